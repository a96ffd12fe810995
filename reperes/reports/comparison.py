"""Comparing two campaigns of the same questionnaire: pure figures from two Results objects."""

from dataclasses import dataclass, field


class NotComparable(Exception):
    """The two campaigns cannot be compared; the message says why, in French."""


def check_comparable(before, after):
    if before.organisation_id != after.organisation_id:
        raise NotComparable("On ne compare que deux diagnostics de la même structure.")
    if before.questionnaire_version.questionnaire_id != after.questionnaire_version.questionnaire_id:
        raise NotComparable(
            "Ces deux diagnostics n'utilisent pas le même questionnaire : leurs résultats ne se comparent "
            "pas."
        )
    if before.pk == after.pk:
        raise NotComparable("Choisissez deux diagnostics différents.")


@dataclass
class ThemeChange:
    theme: dict
    before: float | None
    after: float | None
    items: list = field(default_factory=list)
    actions: list = field(default_factory=list)

    @property
    def delta(self):
        if self.before is None or self.after is None:
            return None
        # Rounded as shown (one decimal), so that the colour never disagrees with the figure.
        return round(self.after - self.before, 1)


@dataclass
class ItemChange:
    item: dict
    before: int  # share of the top answer (« Oui »), in percent
    after: int

    @property
    def delta(self):
        return self.after - self.before


def compare(before_results, after_results, actions=()):
    """Theme by theme and statement by statement, matched by id (themes or statements absent
    from one side are left out). `actions` are attached to their theme."""
    after_themes = {t.id: t for t in after_results.themes}
    top = None
    changes = []
    for theme in before_results.themes:
        other = after_themes.get(theme.id)
        if other is None:
            continue
        other_items = {i.item["id"]: i for i in other.items}
        items = []
        for item in theme.items:
            match = other_items.get(item.item["id"])
            if match is None or not item.total or not match.total:
                continue
            top = top or next(iter(item.shares))
            items.append(ItemChange(item=match.item, before=item.shares[top], after=match.shares[top]))
        changes.append(
            ThemeChange(
                theme=other.theme,
                before=theme.score,
                after=other.score,
                items=sorted(items, key=lambda change: change.delta),
                actions=[a for a in actions if a.theme_id == theme.id],
            )
        )
    return changes

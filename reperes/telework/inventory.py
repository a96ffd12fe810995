"""The inventory's summary: share of teleworkable activity and groupable days, per role and for
the team. Pure functions over activities."""

from dataclasses import dataclass

from reperes.telework.models import FREQUENCY_WEIGHT, REMOTE_SHARE

WORKING_DAYS_PER_MONTH = 21


@dataclass
class Summary:
    label: str
    activities: int
    share: int  # percent of the activity (weighted by frequency) that can be done remotely
    days: int  # whole days per month the activity could be grouped into, capped at a month


def summarise(label, activities):
    weight = sum(FREQUENCY_WEIGHT[a.frequency] for a in activities)
    remote = sum(FREQUENCY_WEIGHT[a.frequency] * REMOTE_SHARE[a.remote] for a in activities)
    days = sum(a.days_per_month for a in activities if a.groupable and a.remote != "no")
    return Summary(
        label=label,
        activities=len(activities),
        share=round(100 * remote / weight) if weight else 0,
        days=min(days, WORKING_DAYS_PER_MONTH),
    )


def summaries(activities):
    """(per role, for the team)."""
    by_role = {}
    for activity in activities:
        by_role.setdefault(activity.role, []).append(activity)
    return [summarise(role, items) for role, items in sorted(by_role.items())], summarise(
        "Toute l'équipe", activities
    )

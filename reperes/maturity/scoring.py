"""Scoring a maturity self-diagnostic: pure functions over a stored definition and answers.

A dimension (a theme of the definition) scores from 0 to 100: the share of the most points its
answered statements could give. Its level is the band of the definition's `levels` that holds
the score (each band from its `min` up to the next band's `min`). The overall score is the mean
of the dimension scores, with its level the same way. A dimension with no answer has no score and
is left out of the mean; completing an assessment needs every statement answered anyway.
"""

from dataclasses import dataclass

__all__ = ["DimensionScore", "Change", "dimension_score", "level_for", "score_answers", "compare_scores"]


@dataclass(frozen=True)
class DimensionScore:
    id: str
    score: float | None
    level: dict | None


def level_for(score, levels):
    """The level (a dict of the definition) whose band holds `score`, or None for no score."""
    if score is None:
        return None
    found = levels[0]
    for level in levels:
        if score >= level["min"]:
            found = level
    return found


def dimension_score(theme, answers, points):
    """0–100 for the answered statements of `theme` ({value: points} of the scale), or None."""
    answered = [points[answers[item["id"]]] for item in theme["items"] if answers.get(item["id"]) in points]
    if not answered:
        return None
    return 100 * sum(answered) / (len(answered) * max(points.values()))


def score_answers(definition, answers):
    """{"dimensions": {id: {"score", "level"}}, "overall": {"score", "level"}} for a definition
    dict and {item id: value}. Scores are kept to one decimal; levels by id. This is what an
    assessment stores when it is completed, so that later content changes move nothing."""
    points = {choice["value"]: choice["points"] for choice in definition["scale"]["choices"]}
    levels = definition["levels"]
    dimensions = {}
    for theme in definition["themes"]:
        dimensions[theme["id"]] = _scored(dimension_score(theme, answers, points), levels)
    scored = [d["score"] for d in dimensions.values() if d["score"] is not None]
    overall = sum(scored) / len(scored) if scored else None
    return {"dimensions": dimensions, "overall": _scored(overall, levels)}


def _scored(score, levels):
    """The score as shown (one decimal), and the level of that very number."""
    if score is None:
        return {"score": None, "level": None}
    score = round(score, 1)
    return {"score": score, "level": level_for(score, levels)["id"]}


@dataclass(frozen=True)
class Change:
    """One dimension, before and after (None where an assessment did not score it)."""

    id: str
    before: float | None
    after: float | None
    before_level: str | None
    after_level: str | None

    @property
    def delta(self):
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def direction(self):
        """In words, so that no colour carries the meaning alone."""
        delta = self.delta
        if delta is None:
            return "non comparable"
        if delta > 0:
            return "en progrès"
        if delta < 0:
            return "en recul"
        return "stable"


def compare_scores(dimension_ids, before, after):
    """[Change] per dimension id, from two stored score dicts (see score_answers)."""
    changes = []
    for dimension_id in dimension_ids:
        old = before["dimensions"].get(dimension_id) or {}
        new = after["dimensions"].get(dimension_id) or {}
        changes.append(
            Change(
                id=dimension_id,
                before=old.get("score"),
                after=new.get("score"),
                before_level=old.get("level"),
                after_level=new.get("level"),
            )
        )
    return changes

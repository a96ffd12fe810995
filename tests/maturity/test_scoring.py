"""Scoring as pure functions: examples, and the properties that keep levels honest."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reperes.maturity.scoring import compare_scores, dimension_score, level_for, score_answers
from tests.maturity.helpers import VALUE_OF, definition

DEFINITION = definition()
ITEMS = [item["id"] for theme in DEFINITION["themes"] for item in theme["items"]]
POINTS = {choice["value"]: choice["points"] for choice in DEFINITION["scale"]["choices"]}
LEVELS = DEFINITION["levels"]


def everything(points):
    return dict.fromkeys(ITEMS, VALUE_OF[points])


def test_all_established_is_100_and_the_top_level():
    scores = score_answers(DEFINITION, everything(3))

    assert scores["overall"] == {"score": 100.0, "level": "integre"}
    assert all(d == {"score": 100.0, "level": "integre"} for d in scores["dimensions"].values())


def test_nothing_established_is_0_and_the_first_level():
    scores = score_answers(DEFINITION, everything(0))

    assert scores["overall"] == {"score": 0.0, "level": "premiers-pas"}


def test_a_dimension_scores_the_share_of_its_maximum_points():
    theme = DEFINITION["themes"][0]  # five statements: 3 + 2 + 1 + 0 + 0 = 6 of 15 points
    answers = dict(
        zip(
            [i["id"] for i in theme["items"]],
            ["etabli", "en-bonne-partie", "quelques-initiatives", "pas-encore", "pas-encore"],
            strict=True,
        )
    )

    assert dimension_score(theme, answers, POINTS) == pytest.approx(40.0)


def test_only_answered_statements_count_and_no_answer_is_no_score():
    theme = DEFINITION["themes"][0]
    first = theme["items"][0]["id"]

    assert dimension_score(theme, {first: "en-bonne-partie"}, POINTS) == pytest.approx(200 / 3)
    assert dimension_score(theme, {}, POINTS) is None
    scores = score_answers(DEFINITION, {first: "etabli"})
    assert scores["dimensions"]["equipement"] == {"score": 100.0, "level": "integre"}
    assert scores["dimensions"]["securite"] == {"score": None, "level": None}
    assert scores["overall"] == {"score": 100.0, "level": "integre"}


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "premiers-pas"),
        (25, "premiers-pas"),
        (25.9, "premiers-pas"),
        (26, "en-construction"),
        (50, "en-construction"),
        (51, "structure"),
        (75.5, "structure"),
        (76, "integre"),
        (100, "integre"),
    ],
)
def test_levels_follow_the_thresholds(score, level):
    assert level_for(score, LEVELS)["id"] == level


def test_the_level_is_that_of_the_score_shown():
    # 4 of 15 points is 26.67, shown 26.7: « En construction », not the band below.
    theme = DEFINITION["themes"][0]
    values = ["etabli", "quelques-initiatives", "pas-encore", "pas-encore", "pas-encore"]
    answers = dict(zip([i["id"] for i in theme["items"]], values, strict=True))

    assert score_answers(DEFINITION, answers)["dimensions"]["equipement"] == {
        "score": 26.7,
        "level": "en-construction",
    }


def test_compare_scores_says_the_direction_in_words():
    before = score_answers(DEFINITION, everything(1))
    after = score_answers(
        DEFINITION, everything(1) | {item["id"]: "etabli" for item in DEFINITION["themes"][0]["items"]}
    )

    changes = compare_scores([t["id"] for t in DEFINITION["themes"]], before, after)

    assert (changes[0].before, changes[0].after, changes[0].delta, changes[0].direction) == (
        33.3,
        100.0,
        66.7,
        "en progrès",
    )
    assert changes[1].direction == "stable"
    assert compare_scores(["equipement"], after, before)[0].direction == "en recul"
    assert compare_scores(["nouvelle"], before, after)[0].direction == "non comparable"


# properties

answers_strategy = st.dictionaries(st.sampled_from(ITEMS), st.sampled_from(list(POINTS)))


def rank(scores):
    order = {level["id"]: n for n, level in enumerate(LEVELS)}
    return order.get(scores["level"], -1)


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy, item=st.sampled_from(ITEMS), data=st.data())
def test_raising_one_answer_never_lowers_a_score_or_a_level(answers, item, data):
    # The statement is answered below the top, then raised to any higher answer.
    current = data.draw(st.sampled_from([v for v, p in POINTS.items() if p < max(POINTS.values())]))
    answers = answers | {item: current}
    higher = [v for v, p in POINTS.items() if p > POINTS[current]]
    raised = answers | {item: data.draw(st.sampled_from(higher))}

    before, after = score_answers(DEFINITION, answers), score_answers(DEFINITION, raised)

    for dimension_id, old in before["dimensions"].items():
        new = after["dimensions"][dimension_id]
        if old["score"] is not None:
            assert new["score"] >= old["score"]
            assert rank(new) >= rank(old)
    assert after["overall"]["score"] >= before["overall"]["score"]
    assert rank(after["overall"]) >= rank(before["overall"])


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy)
def test_the_overall_lies_between_the_lowest_and_highest_dimension(answers):
    scores = score_answers(DEFINITION, answers)
    dimension_scores = [d["score"] for d in scores["dimensions"].values() if d["score"] is not None]

    if not dimension_scores:
        assert scores["overall"] == {"score": None, "level": None}
        return
    assert min(dimension_scores) <= scores["overall"]["score"] <= max(dimension_scores)


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy)
def test_every_score_lies_in_0_100_with_its_level(answers):
    scores = score_answers(DEFINITION, answers)

    for entry in [*scores["dimensions"].values(), scores["overall"]]:
        if entry["score"] is not None:
            assert 0 <= entry["score"] <= 100
            level = level_for(entry["score"], LEVELS)
            assert level["id"] == entry["level"]
            assert level["min"] <= entry["score"] < level["max"] + 1

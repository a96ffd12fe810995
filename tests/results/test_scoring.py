"""Scores of a diagnostic as pure functions of answer counts (the guide: Oui = 1 point)."""

from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from reperes.instruments.definition import DEFINITIONS_DIR, Definition, parse_definition
from reperes.results.scoring import (
    ThemeResult,
    divergences,
    item_result,
    percentages,
    priorities,
    strengths,
    theme_results,
    weakest_items,
)
from tests.results.reference import response_theme_scores

QVT_FILE = DEFINITIONS_DIR / "qvt-numerique.yaml"
SPEC = Definition(parse_definition(QVT_FILE.read_text(encoding="utf-8"), source=QVT_FILE.name))
VALUES = ["oui", "nsp", "non"]
THEME_IDS = [theme["id"] for theme in SPEC.themes]


def distribution_of(responses):
    """{item_id: {value: count}} from a list of responses ({item_id: value})."""
    distribution = defaultdict(Counter)
    for answers in responses:
        for item_id, value in answers.items():
            distribution[item_id][value] += 1
    return distribution


def all_answering(value, **overrides):
    """One response answering `value` everywhere, except the items given as overrides."""
    answers = dict.fromkeys(SPEC.item_ids, value)
    answers.update({item_id.replace("_", "-"): v for item_id, v in overrides.items()})
    return answers


def scored(**scores):
    """ThemeResults with the given scores, in order, for the ranking functions."""
    return [
        ThemeResult(theme={"id": theme_id, "interpretation": {}}, score=score, maximum=5)
        for theme_id, score in scores.items()
    ]


def ids(themes):
    return [theme.id for theme in themes]


def by_id(themes):
    return {theme.id: theme for theme in themes}


responses_strategy = st.lists(
    st.fixed_dictionaries({item_id: st.sampled_from(VALUES) for item_id in SPEC.item_ids}),
    min_size=1,
    max_size=15,
)


# percentages


def test_percentages_sum_to_100_in_scale_order():
    shares = percentages({"non": 1, "oui": 1, "nsp": 1}, VALUES)

    assert list(shares) == VALUES
    assert sum(shares.values()) == 100
    assert sorted(shares.values()) == [33, 33, 34]


def test_percentages_give_the_leftover_point_to_the_largest_remainder():
    assert percentages({"oui": 2, "nsp": 1}, VALUES) == {"oui": 67, "nsp": 33, "non": 0}
    assert percentages({"oui": 1, "nsp": 1, "non": 5}, VALUES) == {"oui": 14, "nsp": 14, "non": 72}


def test_percentages_of_nothing_are_zeros_in_scale_order():
    assert percentages({}, VALUES) == {"oui": 0, "nsp": 0, "non": 0}


def test_percentages_ignore_values_outside_the_scale():
    assert percentages({"oui": 1, "peut-être": 3}, VALUES) == {"oui": 100, "nsp": 0, "non": 0}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=3, max_size=3).filter(any))
def test_percentages_always_sum_to_100_and_stay_within_one_point(counts):
    counts = dict(zip(VALUES, counts, strict=True))
    shares = percentages(counts, VALUES)

    assert sum(shares.values()) == 100
    total = sum(counts.values())
    for value in VALUES:
        assert abs(shares[value] - 100 * counts[value] / total) < 1


# item_result


def test_item_result_counts_shares_points_and_weakness():
    result = item_result(SPEC, SPEC.items[0], "projet", {"oui": 3, "non": 1})

    assert result.counts == {"oui": 3, "nsp": 0, "non": 1}
    assert result.total == 4
    assert result.shares == {"oui": 75, "nsp": 0, "non": 25}
    assert result.points == 0.75
    assert result.weakness == 0.25
    assert result.segments == [
        {"value": "oui", "x": 0, "width": 75, "tone": 4},
        {"value": "non", "x": 75, "width": 25, "tone": 1},
    ]


def test_item_result_counts_nsp_and_non_as_zero_points():
    result = item_result(SPEC, SPEC.items[0], "projet", {"nsp": 2, "non": 2})

    assert result.points == 0
    assert result.weakness == 1


def test_item_result_without_answers_is_empty_not_an_error():
    result = item_result(SPEC, SPEC.items[0], "projet", {})

    assert (result.total, result.points, result.weakness) == (0, 0.0, 0.0)
    assert result.shares == {"oui": 0, "nsp": 0, "non": 0}
    assert result.segments == []


# theme_results


def test_theme_results_follow_the_questionnaire_order():
    themes = theme_results(SPEC, distribution_of([all_answering("oui")]))

    assert ids(themes) == THEME_IDS
    assert [len(theme.items) for theme in themes] == [5] * 6


def test_a_theme_scores_one_point_per_oui_from_0_to_5():
    everything_oui = theme_results(SPEC, distribution_of([all_answering("oui")]))
    nothing_oui = theme_results(SPEC, distribution_of([all_answering("nsp"), all_answering("non")]))

    assert all(theme.score == 5 and theme.maximum == 5 for theme in everything_oui)
    assert all(theme.score == 0 for theme in nothing_oui)


def test_a_theme_score_is_the_mean_of_the_respondents_points():
    responses = [
        all_answering("non", projet_1="oui", projet_2="oui", projet_3="oui"),
        all_answering("nsp", projet_4="oui"),
    ]

    themes = by_id(theme_results(SPEC, distribution_of(responses)))

    assert themes["projet"].score == 2  # (3 + 1) / 2
    assert themes["information"].score == 0


def test_a_theme_nobody_answered_has_no_score_and_no_level():
    themes = by_id(theme_results(SPEC, {}))

    assert themes["projet"].score is None
    assert themes["projet"].level == ""
    assert themes["projet"].interpretation == ""


def test_theme_levels_split_at_40_and_80_percent_of_the_maximum():
    low, medium, high = scored(a=1.9, b=2, c=4)

    assert (low.level, medium.level, high.level) == ("low", "medium", "high")


def test_theme_interpretation_is_the_text_of_its_level():
    themes = by_id(theme_results(SPEC, distribution_of([all_answering("oui")])))

    assert themes["projet"].interpretation == SPEC.theme("projet")["interpretation"]["high"]


# priorities and strengths


def test_priorities_are_the_two_lowest_themes():
    assert priorities(scored(a=1, b=2, c=3, d=4)) == (scored(a=1, b=2), [])


def test_priorities_include_a_tie_at_the_cut():
    chosen, tied = priorities(scored(a=1, b=2, c=2, d=4))

    assert (ids(chosen), tied) == (["a", "b", "c"], [])


def test_priorities_keep_three_themes_tied_at_the_lowest_score():
    chosen, tied = priorities(scored(a=3, b=1, c=1, d=1))

    assert (sorted(ids(chosen)), tied) == (["b", "c", "d"], [])


def test_priorities_leave_ties_beyond_the_cap_for_the_team_to_decide():
    chosen, tied = priorities(scored(a=1, b=2, c=2, d=2, e=4))

    assert ids(chosen) == ["a"]
    assert ids(tied) == ["b", "c", "d"]


def test_priorities_choose_nothing_when_four_themes_tie_at_the_bottom():
    chosen, tied = priorities(scored(a=2, b=2, c=2, d=2, e=5))

    assert chosen == []
    assert ids(tied) == ["a", "b", "c", "d"]


def test_priorities_ignore_unanswered_themes():
    assert ids(priorities(scored(a=None, b=3, c=None, d=4))[0]) == ["b", "d"]
    assert ids(priorities(scored(a=None, b=3))[0]) == ["b"]
    assert priorities(scored(a=None, b=None)) == ([], [])


def test_strengths_are_the_two_highest_themes_with_ties():
    assert ids(strengths(scored(a=5, b=1, c=3, d=4))[0]) == ["a", "d"]
    assert ids(strengths(scored(a=5, b=4, c=4, d=1))[0]) == ["a", "b", "c"]
    chosen, tied = strengths(scored(a=5, b=4, c=4, d=4, e=1))
    assert (ids(chosen), ids(tied)) == (["a"], ["b", "c", "d"])


def test_themes_with_the_same_score_are_tied_whatever_the_order_of_the_additions():
    # Ten people. Three « oui » in each of projet (one on projet-1, two on projet-2),
    # information (three on information-1) and temps (three on temps-1); Oui elsewhere.
    # The three themes score 3 / 10 = 0.3 each: they are the priorities, with no tie left.
    weak = {f"{theme_id}-{n}": "non" for theme_id in ("projet", "information", "temps") for n in range(1, 6)}
    responses = [{**all_answering("oui"), **weak} for _ in range(10)]
    responses[0].update({"projet-1": "oui", "projet-2": "oui", "information-1": "oui", "temps-1": "oui"})
    responses[1].update({"projet-2": "oui", "information-1": "oui", "temps-1": "oui"})
    responses[2].update({"information-1": "oui", "temps-1": "oui"})
    paper = [response_theme_scores(SPEC, answers) for answers in responses]
    assert [sum(scores[t] for scores in paper) for t in ("projet", "information", "temps")] == [3, 3, 3]

    chosen, tied = priorities(theme_results(SPEC, distribution_of(responses)))

    assert sorted(ids(chosen)) == ["information", "projet", "temps"]
    assert tied == []


# weakest_items


def test_weakest_items_come_by_share_of_answers_below_oui():
    distribution = {
        "projet-1": {"oui": 1, "non": 3},  # 75 %
        "projet-2": {"nsp": 4},  # 100 %
        "projet-3": {"oui": 4},  # 0 %: not weak
        "projet-4": {"oui": 2, "nsp": 2},  # 50 %
        "temps-1": {"oui": 3, "non": 1},  # 25 %
    }

    weakest = weakest_items(theme_results(SPEC, distribution))

    assert [item.item["id"] for item in weakest] == ["projet-2", "projet-1", "projet-4", "temps-1"]


def test_weakest_items_stop_at_the_limit():
    weakest = weakest_items(theme_results(SPEC, distribution_of([all_answering("non")])), limit=5)

    assert len(weakest) == 5
    assert all(item.weakness == 1 for item in weakest)


def test_weakest_items_skip_unanswered_statements():
    assert weakest_items(theme_results(SPEC, {})) == []


# divergences


def group(label, **scores):
    return (label, scored(**scores))


def test_a_gap_of_one_point_between_two_groups_is_flagged():
    flags = divergences([group("Direction", a=4, b=3), group("Équipe", a=3, b=3)])

    assert flags == {"a": ("Équipe", "Direction", 1)}


def test_a_gap_of_nine_tenths_is_not_flagged():
    assert divergences([group("Direction", a=3.9), group("Équipe", a=3)]) == {}


def test_a_gap_of_one_point_is_flagged_despite_float_rounding():
    assert 2.3 - 1.3 < 1  # what the groups' means give
    assert "a" in divergences([group("Direction", a=2.3), group("Équipe", a=1.3)])


def test_divergences_name_the_lowest_and_highest_of_several_groups():
    flags = divergences([group("A", a=2), group("B", a=4.5), group("C", a=1)])

    assert flags == {"a": ("C", "B", 3.5)}


def test_divergences_need_two_groups_with_a_score():
    assert divergences([group("Seul", a=0)]) == {}
    assert divergences([group("A", a=None), group("B", a=5)]) == {}
    assert divergences([]) == {}


# properties over the real questionnaire


@settings(max_examples=50, deadline=None)
@given(responses_strategy)
def test_every_theme_score_is_between_0_and_5(responses):
    for theme in theme_results(SPEC, distribution_of(responses)):
        assert 0 <= theme.score <= 5


@settings(max_examples=50, deadline=None)
@given(st.fixed_dictionaries({item_id: st.sampled_from(VALUES) for item_id in SPEC.item_ids}))
def test_a_response_scores_one_point_per_oui(answers):
    scores = response_theme_scores(SPEC, answers)

    assert list(scores) == THEME_IDS
    assert sum(scores.values()) == list(answers.values()).count("oui")


@settings(max_examples=50, deadline=None)
@given(responses_strategy)
def test_theme_scores_are_the_mean_of_the_responses_paper_scores(responses):
    themes = theme_results(SPEC, distribution_of(responses))
    paper = [response_theme_scores(SPEC, answers) for answers in responses]

    for theme in themes:
        expected = sum(scores[theme.id] for scores in paper) / len(responses)
        assert abs(theme.score - expected) < 1e-9

"""Which groups may be shown without isolating fewer than k people (complementary suppression)."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from reperes.lib.disclosure import is_safe, isolatable_sizes, shown_groups


def test_all_groups_are_shown_when_every_group_and_complement_is_large_enough():
    counts = {"direction": 5, "salaries": 8, "benevoles": 6}

    assert shown_groups(counts, total=19, k=5) == ["direction", "salaries", "benevoles"]


def test_shown_groups_keep_the_order_of_the_groups():
    counts = {"z": 6, "a": 7, "m": 5}

    assert shown_groups(counts, total=18, k=5) == ["z", "a", "m"]


def test_a_group_below_k_is_never_shown():
    counts = {"direction": 2, "salaries": 10, "benevoles": 10}

    assert "direction" not in shown_groups(counts, total=22, k=5)
    assert shown_groups({"direction": 4}, total=4, k=5) == []


def test_a_small_group_is_protected_by_hiding_another_group():
    # total − a − b = 2: showing both a and b would reveal the two people of c.
    shown = shown_groups({"a": 5, "b": 5, "c": 2}, total=12, k=5)

    assert len(shown) == 1
    assert shown[0] in {"a", "b"}


def test_the_smaller_group_is_hidden_first():
    assert shown_groups({"a": 9, "b": 6, "c": 2}, total=17, k=5) == ["a"]


def test_respondents_preferring_not_to_say_count_in_the_total_only():
    # Two people in no group: with a and b shown, they could be isolated.
    assert len(shown_groups({"a": 5, "b": 5}, total=12, k=5)) == 1
    # Five people in no group are enough to show both groups.
    assert shown_groups({"a": 5, "b": 5}, total=15, k=5) == ["a", "b"]


def test_everyone_in_one_group_can_be_shown():
    # total − a = 0: an empty set isolates nobody.
    assert shown_groups({"a": 6, "b": 0}, total=6, k=5) == ["a"]


def test_nothing_is_shown_below_k_respondents():
    assert shown_groups({"a": 2, "b": 2}, total=4, k=5) == []
    assert not is_safe(4, [4], 5)


def test_isolatable_sizes_are_the_groups_and_every_complement():
    assert sorted(isolatable_sizes(12, [5, 5])) == [2, 5, 5, 7, 7]


group_counts = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(group_counts, st.integers(min_value=0, max_value=10), st.integers(min_value=3, max_value=6))
def test_no_combination_of_shown_figures_isolates_fewer_than_k_people(counts, no_group, k):
    counts = {f"g{index}": count for index, count in enumerate(counts)}
    total = sum(counts.values()) + no_group

    shown = shown_groups(counts, total, k)

    assert all(counts[key] >= k for key in shown)
    for size in range(1, len(shown) + 1):
        for subset in combinations(shown, size):
            rest = total - sum(counts[key] for key in subset)
            assert rest == 0 or rest >= k, (subset, rest)
    if total < k:
        assert shown == []

"""Which respondent groups may be shown without isolating fewer than k people.

Shown figures are the whole team and some groups. Groups are disjoint, so the only sets a reader
can isolate by adding and subtracting shown figures are: each shown group, and the total minus
any union of shown groups (the people outside them, « je préfère ne pas le dire » included).
Each of those must be empty or hold at least k people. Groups are removed, smallest first,
until that holds (complementary suppression).
"""

from itertools import combinations


def isolatable_sizes(total, shown_counts):
    """Sizes of every set a reader could isolate from the total and the shown group counts."""
    sizes = list(shown_counts)
    for r in range(1, len(shown_counts) + 1):
        for subset in combinations(shown_counts, r):
            sizes.append(total - sum(subset))
    return sizes


def is_safe(total, shown_counts, k):
    if shown_counts and total < k:
        return False
    return all(size == 0 or size >= k for size in isolatable_sizes(total, shown_counts))


def shown_groups(group_counts, total, k):
    """The keys of `group_counts` ({key: count}) that can be shown together.

    `total` counts every respondent, including those in no group.
    """
    candidates = {key: count for key, count in group_counts.items() if count >= k}
    while candidates and not is_safe(total, list(candidates.values()), k):
        smallest = min(candidates, key=lambda key: (candidates[key], str(key)))
        del candidates[smallest]
    return [key for key in group_counts if key in candidates]

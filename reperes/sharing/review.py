"""Six months later: the T0/T1 comparison of each organisation of a cohort that shared both of
its diagnostics, and the cohort's average change per theme."""

from dataclasses import dataclass, field

from django.conf import settings

from reperes.reports.comparison import NotComparable, check_comparable, compare
from reperes.results.compute import build_results

# The cohort's average is shown only over at least this many organisations: with two, each
# could subtract its own change and read the other's.
MIN_ORGANISATIONS = 3


@dataclass
class OrganisationReview:
    organisation: object
    before: object
    after: object
    changes: list


@dataclass
class ThemeAverage:
    theme: dict
    before: float
    after: float
    count: int

    @property
    def delta(self):
        return round(self.after - self.before, 1)


@dataclass
class CohortReview:
    organisations: list = field(default_factory=list)
    averages: list = field(default_factory=list)
    average_withheld: bool = True
    min_organisations: int = MIN_ORGANISATIONS


def review_pairs(shares):
    """(before, after) campaign pairs among `shares` (live shares the reader may see): a
    follow-up campaign whose previous campaign is shared too, both with results shown."""
    by_campaign = {share.campaign_id: share.campaign for share in shares}
    pairs = []
    for campaign in by_campaign.values():
        before = by_campaign.get(campaign.follows_id)
        if before is None or not (before.results_visible and campaign.results_visible):
            continue
        try:
            check_comparable(before, campaign)
        except NotComparable:
            continue
        pairs.append((before, campaign))
    return sorted(pairs, key=lambda pair: (pair[1].organisation.name, pair[1].created_at))


def cohort_review(shares):
    k = settings.ANONYMITY_THRESHOLD
    review = CohortReview()
    latest = {}
    for before, after in review_pairs(shares):
        changes = compare(build_results(before, k=k), build_results(after, k=k))
        review.organisations.append(OrganisationReview(after.organisation, before, after, changes))
        latest[after.organisation_id] = changes  # one pair per organisation: its latest
    if len(latest) < MIN_ORGANISATIONS:
        return review
    sums = {}
    for changes in latest.values():
        for change in changes:
            if change.before is None or change.after is None:
                continue
            entry = sums.setdefault(change.theme["id"], [change.theme, 0.0, 0.0, 0])
            entry[1] += change.before
            entry[2] += change.after
            entry[3] += 1
    review.averages = [
        ThemeAverage(theme=theme, before=before / n, after=after / n, count=n)
        for theme, before, after, n in sums.values()
        if n >= MIN_ORGANISATIONS
    ]
    review.average_withheld = not review.averages
    return review

"""The network's figures about accompaniment requests: how many, on what, from where, how fast,
with what outcome; and the opinion of the organisations, quarter by quarter.

Counts below the anonymity threshold k are not given (« moins de k »), so that a table of the
figures does not point at one organisation of a small region or band; delays are medians, given
only over k requests or more. The observatory reads `request_figures` too.
"""

from collections import Counter
from dataclasses import dataclass
from statistics import median

from reperes.campaigns.models import Campaign
from reperes.organisations import reference
from reperes.requests.actions import SATISFACTION_QUESTIONNAIRE
from reperes.requests.models import Request, Theme
from reperes.results.compute import build_results


@dataclass
class Cell:
    label: str
    count: int
    k: int

    @property
    def shown(self):
        return self.count == 0 or self.count >= self.k


def _cells(counter, labels, k):
    return [Cell(labels.get(code, code or "Non renseigné"), counter[code], k) for code in counter]


def quarter_of(moment):
    return f"{moment.year}-T{(moment.month - 1) // 3 + 1}"


def request_figures(network, *, k, since=None):
    """Figures over the network's requests (made since `since`, a date, if given)."""
    requests = Request.objects.filter(network=network)
    if since is not None:
        requests = requests.filter(created_at__date__gte=since)
    rows = list(
        requests.values(
            "themes", "region", "size_band", "state", "outcome", "created_at", "first_contact_on", "closed_at"
        )
    )
    themes = Counter(code for row in rows for code in row["themes"] if code in Theme.values)
    regions = Counter(row["region"] for row in rows)
    bands = Counter(row["size_band"] for row in rows)
    quarters = Counter(quarter_of(row["created_at"]) for row in rows)
    outcomes = Counter(row["outcome"] for row in rows if row["state"] == Request.State.CLOSED)
    states = Counter(row["state"] for row in rows)
    to_contact = [
        (row["first_contact_on"] - row["created_at"].date()).days for row in rows if row["first_contact_on"]
    ]
    to_close = [(row["closed_at"].date() - row["created_at"].date()).days for row in rows if row["closed_at"]]
    return {
        "k": k,
        "total": len(rows),
        "states": [
            Cell(Request.State(code).label, states[code], k) for code in Request.State.values if states[code]
        ],
        "themes": [Cell(Theme(code).label, themes[code], k) for code in Theme.values],
        "regions": sorted(
            _cells(regions, dict(reference.choices("regions")), k), key=lambda cell: (-cell.count, cell.label)
        ),
        "size_bands": _cells(
            Counter({code: bands[code] for code, _ in reference.choices("size_bands") if bands[code]}),
            dict(reference.choices("size_bands")),
            k,
        ),
        "quarters": [Cell(code, quarters[code], k) for code in sorted(quarters)],
        "outcomes": [
            Cell(Request.Outcome(code).label, outcomes[code], k)
            for code in Request.Outcome.values
            if outcomes[code]
        ],
        "days_to_first_contact": median(to_contact) if len(to_contact) >= k else None,
        "days_to_first_contact_count": len(to_contact),
        "days_to_closure": median(to_close) if len(to_close) >= k else None,
        "days_to_closure_count": len(to_close),
    }


def satisfaction_by_quarter(network, *, k):
    """[(title, state, results or None)] for each quarter's opinion questionnaire: its figures
    once it has closed with at least k answers, never while open (each answer would move them)."""
    campaigns = Campaign.objects.filter(
        network=network, questionnaire_version__questionnaire__slug=SATISFACTION_QUESTIONNAIRE
    ).order_by("-opened_on")
    quarters = []
    for campaign in campaigns:
        if not campaign.is_closed:
            quarters.append((campaign.title, "open", None))
        elif not campaign.results_visible:
            quarters.append((campaign.title, "withheld", None))
        else:
            quarters.append((campaign.title, "shown", build_results(campaign, k=k)))
    return quarters

"""The facts of a release: for a network and a period, one record per contributing organisation.

An organisation contributes when it belongs to the network and agreed to share anonymous
aggregates (Organisation.shares_statistics) at the moment the release is built. Its record holds
its dimensions (region, sector, legal form, size band, programmes taken part in) and its
figures, all read from the stored results and the other apps' tables in a fixed number of
grouped queries (about ten), whatever the number of organisations: a national network has
twenty thousand.

Nothing here is shown as is: tables.py aggregates the records and disclosure.py protects the
cells. The records are kept with the release (ReleaseFacts) for the next release's differencing
and for the member benchmark.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count

from reperes.action_plans.models import Action, Status
from reperes.campaigns.models import Campaign
from reperes.charters.models import CharterStatus, TeleworkCharter
from reperes.instruments.models import Use
from reperes.matchmaking.models import Case
from reperes.maturity.models import Assessment
from reperes.observatory.dimensions import UNKNOWN, size_band
from reperes.organisations.models import Organisation
from reperes.programmes.models import Enrolment
from reperes.requests.models import Request

# The QVT diagnostic: the six determinants. Its theme scores have their own tables; every other
# team instrument has one table « instrument:<slug> ».
QVT = "qvt-numerique"


@dataclass
class OrganisationFacts:
    """One contributing organisation's record. `figures` is JSON-ready (stored in ReleaseFacts):

    - "years": {"2026": {"campaigns": n, "responses": n, "sent": n, "answered": n}} — closed
      team campaigns of the period by calendar year of closing (sent/answered: invitations, for
      the campaigns that used them);
    - "instruments": {slug: {"respondents": n, "scores": {theme_id: score 0..5}, "determinants":
      {tag: score 0..5}, "closed_on": iso}} — its latest campaign of each instrument closed in the
      period with at least k respondents (determinants: the QVT frameworks' entries its
      statements carry, stored at closing; absent from releases built before);
    - "change": {slug: {"before": {theme: score}, "after": {theme: score}, "respondents": n}} —
      its first and latest such campaigns of the same questionnaire up to the end of the period,
      when they differ (respondents: the smaller of the two);
    - "maturity": level id of its latest completed self-diagnostic, or None;
    - "actions": {theme_id: {"opened": n, "done": n}} — actions created / done in the period;
    - "charter": whether it has an adopted telework charter (at the end of the period);
    - "requests": {outcome: n} — its requests to this network closed in the period.
    """

    organisation: int
    region: str = UNKNOWN
    sector: str = UNKNOWN
    legal_form: str = UNKNOWN
    size_band: str = UNKNOWN
    programmes: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def dimension(self, name):
        """Its code in `name` (region, sector, legal_form, size_band); programmes is a list."""
        return getattr(self, name)

    @property
    def responses(self):
        return sum(year["responses"] for year in self.figures.get("years", {}).values())


def contributing(network):
    """The organisations of `network` that agree, now, to contribute to its statistics."""
    return Organisation.objects.filter(affiliations__network=network, shares_statistics=True)


def _empty_figures():
    return {
        "years": {},
        "instruments": {},
        "change": {},
        "maturity": None,
        "actions": {},
        "charter": False,
        "requests": {},
        "cases": {},
    }


def build_facts(network, *, start, end, k=None):
    """{organisation id: OrganisationFacts} for the contributing organisations of `network`,
    with the campaigns, actions and requests of the period [start, end] (dates, inclusive).
    Campaigns whose results rest on fewer than `k` respondents (the team threshold) give
    participation figures but no score."""
    k = settings.ANONYMITY_THRESHOLD if k is None else k
    organisations = contributing(network)
    ids = organisations.values("id")
    facts = {}
    for row in organisations.values("id", "region", "sector", "legal_form", "employees"):
        facts[row["id"]] = OrganisationFacts(
            organisation=row["id"],
            region=row["region"] or UNKNOWN,
            sector=row["sector"] or UNKNOWN,
            legal_form=row["legal_form"] or UNKNOWN,
            size_band=size_band(row["employees"]) or UNKNOWN,
            figures=_empty_figures(),
        )
    if not facts:
        return facts

    # Programmes taken part in: accepted enrolments in cohorts of this network.
    enrolments = (
        Enrolment.objects.filter(
            organisation__in=ids, cohort__network=network, state=Enrolment.State.ACCEPTED
        )
        .values_list("organisation_id", "cohort__programme_version__programme__slug")
        .distinct()
    )
    for organisation_id, programme in enrolments:
        if programme not in facts[organisation_id].programmes:
            facts[organisation_id].programmes.append(programme)

    _add_campaigns(facts, ids, start=start, end=end, k=k)
    _add_maturity(facts, ids, end=end)
    _add_actions(facts, ids, start=start, end=end)
    charters = (
        TeleworkCharter.objects.filter(
            organisation__in=ids, status=CharterStatus.ADOPTED, adopted_on__lte=end
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    for organisation_id in charters:
        facts[organisation_id].figures["charter"] = True
    requests = (
        Request.objects.filter(
            organisation__in=ids,
            network=network,
            state=Request.State.CLOSED,
            closed_at__date__gte=start,
            closed_at__date__lte=end,
        )
        .exclude(outcome="")
        .values("organisation_id", "outcome")
        .annotate(n=Count("id"))
    )
    for row in requests:
        facts[row["organisation_id"]].figures["requests"][row["outcome"]] = row["n"]
    _add_cases(facts, ids, network=network, start=start, end=end)
    for record in facts.values():
        record.programmes.sort()
    return facts


def _add_campaigns(facts, ids, *, start, end, k):
    campaigns = (
        Campaign.objects.filter(
            organisation__in=ids,
            state=Campaign.State.CLOSED,
            closed_on__lte=end,
            questionnaire_version__questionnaire__use=Use.TEAM,
        )
        .order_by("organisation_id", "closed_on", "created_at")
        .values(
            "organisation_id",
            "closed_on",
            "invitations_sent",
            "invitations_answered",
            "questionnaire_version__questionnaire__slug",
            "stored_results__respondents",
            "stored_results__theme_scores",
            "stored_results__determinant_scores",
        )
    )
    scored = {}  # (organisation, slug) → [(closed_on, respondents, scores)] in closing order
    for row in campaigns:
        record = facts[row["organisation_id"]]
        respondents = row["stored_results__respondents"] or 0
        slug = row["questionnaire_version__questionnaire__slug"]
        closed_on = row["closed_on"]
        in_period = closed_on >= start
        if in_period:
            year = record.figures["years"].setdefault(
                str(closed_on.year), {"campaigns": 0, "responses": 0, "sent": 0, "answered": 0}
            )
            year["campaigns"] += 1
            year["responses"] += respondents
            if row["invitations_sent"]:
                year["sent"] += row["invitations_sent"]
                year["answered"] += row["invitations_answered"] or 0
        scores = {
            theme: score
            for theme, score in (row["stored_results__theme_scores"] or {}).items()
            if score is not None
        }
        determinants = {
            tag: score
            for tag, score in (row["stored_results__determinant_scores"] or {}).items()
            if score is not None
        }
        if respondents >= k and scores:
            scored.setdefault((record.organisation, slug), []).append(
                (closed_on, respondents, scores, in_period, determinants)
            )
    for (organisation_id, slug), runs in scored.items():
        record = facts[organisation_id]
        in_period = [run for run in runs if run[3]]
        if in_period:
            closed_on, respondents, scores, _, determinants = in_period[-1]
            record.figures["instruments"][slug] = {
                "respondents": respondents,
                "scores": scores,
                "determinants": determinants,
                "closed_on": closed_on.isoformat(),
            }
        if len(runs) >= 2 and runs[-1][3]:
            first, latest = runs[0], runs[-1]
            record.figures["change"][slug] = {
                "before": first[2],
                "after": latest[2],
                "respondents": min(first[1], latest[1]),
            }


def _add_maturity(facts, ids, *, end):
    assessments = (
        Assessment.objects.filter(
            organisation__in=ids, state=Assessment.State.COMPLETED, completed_at__date__lte=end
        )
        .order_by("organisation_id", "completed_at")
        .values_list("organisation_id", "scores__overall__level")
    )
    for organisation_id, level in assessments:  # the latest one wins
        if level:
            facts[organisation_id].figures["maturity"] = level


def _add_actions(facts, ids, *, start, end):
    opened = (
        Action.objects.filter(organisation__in=ids, created_at__date__gte=start, created_at__date__lte=end)
        .exclude(theme_id="")
        .values("organisation_id", "theme_id")
        .annotate(n=Count("id"))
    )
    for row in opened:
        themes = facts[row["organisation_id"]].figures["actions"]
        themes.setdefault(row["theme_id"], {"opened": 0, "done": 0})["opened"] = row["n"]
    done = (
        Action.objects.filter(organisation__in=ids, status=Status.DONE, done_on__gte=start, done_on__lte=end)
        .exclude(theme_id="")
        .values("organisation_id", "theme_id")
        .annotate(n=Count("id"))
    )
    for row in done:
        themes = facts[row["organisation_id"]].figures["actions"]
        themes.setdefault(row["theme_id"], {"opened": 0, "done": 0})["done"] = row["n"]


def _add_cases(facts, ids, *, network, start, end):
    """The sharing cases closed in the period, counted for the organisation that had the need:
    {category: {"done": n, "abandoned": n, "hours": shared, "days": shared}}."""
    rows = (
        Case.objects.filter(
            network=network,
            organisation__in=ids,
            step=Case.Step.CLOSED,
            closed_at__date__gte=start,
            closed_at__date__lte=end,
        )
        .exclude(outcome="")
        .values_list("organisation_id", "category", "outcome", "hours_shared", "days_shared")
    )
    for organisation_id, category, outcome, hours, days in rows:
        numbers = (
            facts[organisation_id]
            .figures["cases"]
            .setdefault(category, {"done": 0, "abandoned": 0, "hours": 0.0, "days": 0.0})
        )
        numbers[outcome] = numbers.get(outcome, 0) + 1
        if outcome == Case.Outcome.DONE:
            numbers["hours"] += float(hours or 0)
            numbers["days"] += float(days or 0)


def facts_from_rows(rows):
    """OrganisationFacts rebuilt from stored ReleaseFacts rows (the previous release, the
    benchmark)."""
    return {
        row.organisation_id: OrganisationFacts(
            organisation=row.organisation_id,
            region=row.region,
            sector=row.sector,
            legal_form=row.legal_form,
            size_band=row.size_band,
            programmes=list(row.programmes),
            figures=row.figures,
        )
        for row in rows
    }


def default_period(today):
    """The period a release published on `today` covers: the three calendar years up to the
    day before (campaigns closed in it)."""
    return date(today.year - 2, 1, 1), today.fromordinal(today.toordinal() - 1)

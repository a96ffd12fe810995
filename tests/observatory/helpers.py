"""Building observatory data quickly: closed campaigns with their stored results (no responses:
the observatory reads only StoredResults), organisations that contribute or not."""

from datetime import UTC, date, datetime

from reperes.campaigns.models import Campaign
from reperes.maturity.models import Assessment
from reperes.organisations.models import Affiliation
from reperes.results.models import StoredResults
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.organisations.factories import OrganisationFactory

QVT_THEMES = ["projet", "information", "temps", "espaces", "competences", "management"]
# The six LAB'QVT determinants (reperes.observatory.tables.determinant_codes).
DETERMINANTS = [
    "labqvt:relations-climat",
    "labqvt:contenu-travail",
    "labqvt:sante",
    "labqvt:competences-parcours",
    "labqvt:egalite-professionnelle",
    "labqvt:management",
]


def member(network, *, shares=True, **fields):
    fields.setdefault("employees", 15)
    organisation = OrganisationFactory(shares_statistics=shares, **fields)
    Affiliation.objects.create(network=network, organisation=organisation)
    return organisation


def closed_campaign(
    organisation,
    *,
    closed_on,
    respondents,
    score=3.0,
    scores=None,
    determinants=None,
    slug="qvt-numerique",
    **fields,
):
    campaign = CampaignFactory(
        organisation=organisation,
        questionnaire_version=questionnaire_version(slug),
        state=Campaign.State.CLOSED,
        closes_on=closed_on,
        closed_on=closed_on,
        groups=[],
        **fields,
    )
    if scores is None:
        scores = {theme["id"]: score for theme in campaign.spec.themes}
    if determinants is None:
        # What a campaign whose statements all scored alike would store.
        mean = round(sum(scores.values()) / len(scores), 2) if scores else None
        determinants = {tag: mean for tag in DETERMINANTS} if slug == "qvt-numerique" else {}
    StoredResults.objects.create(
        campaign=campaign,
        respondents=respondents,
        theme_scores=scores,
        determinant_scores=determinants,
        distribution={},
        groups=[],
        hidden_groups=False,
        computed_on=closed_on,
    )
    return campaign


def maturity(organisation, level, *, on=date(2026, 3, 1)):
    return Assessment.objects.create(
        organisation=organisation,
        questionnaire_version=questionnaire_version("maturite-numerique"),
        state=Assessment.State.COMPLETED,
        completed_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
        scores={"overall": {"level": level, "score": 50}},
    )


REGIONS = ["53", "52", "84", "11"]
BANDS = [5, 15, 30, 70]
SECTORS = ["animation", "sanitaire_social"]


def populate(network, count, *, seed=1, closed_on=date(2026, 3, 1)):
    """`count` contributing organisations in a few regions, sizes and sectors, each with a
    closed QVT campaign (scores varying), a maturity level every other one, a charter every
    third one."""
    import random

    from reperes.charters.models import CharterStatus, TeleworkCharter

    rng = random.Random(seed)
    organisations = []
    levels = ["premiers-pas", "en-construction", "structure", "integre"]
    for index in range(count):
        organisation = member(
            network,
            region=REGIONS[index % len(REGIONS)],
            employees=BANDS[(index // 2) % len(BANDS)],
            sector=SECTORS[index % len(SECTORS)],
        )
        scores = {theme: round(rng.uniform(1.5, 4.5), 2) for theme in QVT_THEMES}
        determinants = {tag: round(rng.uniform(1.5, 4.5), 2) for tag in DETERMINANTS}
        closed_campaign(
            organisation,
            closed_on=closed_on,
            respondents=rng.randint(5, 30),
            scores=scores,
            determinants=determinants,
        )
        if index % 2 == 0:
            maturity(organisation, levels[rng.randrange(4)])
        if index % 3 == 0:
            TeleworkCharter.objects.create(
                organisation=organisation,
                instrument="charter",
                status=CharterStatus.ADOPTED,
                adopted_on=closed_on,
            )
        organisations.append(organisation)
    return organisations

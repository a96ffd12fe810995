"""J6, the network observatory, in a real browser, at phone and desktop sizes.

The network's analyst logs in with two-factor authentication, opens the observatory from the
network's navigation, filters by region and size (the cell would rest on one organisation: the
page says why it is hidden instead of a figure), opens the table with hidden cells (reasons in
footnotes, the bars and the tile-grid map beside it), downloads it as CSV (the hidden cells stay
hidden) and downloads the key-figures report. axe-core checks every page, which may not scroll
sideways at 320 px either. Then the lead of a member organisation opens the results of its closed
QVT diagnostic and finds, beside them, the scores of « structures comparables » from the
network's latest release (published by the observatory itself, from comparable organisations
of the same size band and sector). The release is stored as the observatory publishes it (hand-made
figures, so that some cells show and some are hidden); the programme evaluation page is tested
with its own journey."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.campaigns import actions as campaigns
from reperes.observatory.actions import publish_release
from reperes.observatory.models import Release
from reperes.organisations.models import Role
from reperes.results.models import StoredResults
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.steps import enter_app_code
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.observatory.helpers import closed_campaign, member
from tests.observatory.test_views import make_release
from tests.organisations.factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANALYST_EMAIL = "nadia@reseau.example"


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "accept_downloads": True}


def set_up():
    network = NetworkFactory(name="Réseau ESS Bretagne", slug="ess-bzh", region="53")
    analyst = UserFactory(email=ANALYST_EMAIL, name="Nadia Le Goff")
    NetworkMembershipFactory(network=network, user=analyst, role="analyst")
    device = TOTPDevice.objects.create(user=analyst, name="Téléphone de Nadia", confirmed=True)
    make_release(network)
    return network, device


def test_an_analyst_filters_reads_a_protected_table_and_downloads_it(page, check_a11y):
    network, device = set_up()

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(ANALYST_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    enter_app_code(page, device)
    expect(page).not_to_have_url(re.compile("/compte/connexion/"))

    page.goto(f"/r/{network.slug}/")
    page.get_by_role("navigation", name="Rubriques du réseau").get_by_role(
        "link", name="Observatoire"
    ).click()
    expect(page.get_by_role("heading", name="Observatoire du réseau", level=1)).to_be_visible()
    expect(page.get_by_text("Publication n° 1 du 1 octobre 2026")).to_be_visible()
    check_a11y()

    # A filter that would isolate one organisation: the reason, not the figure.
    page.get_by_label("Région").select_option(label="Bretagne")
    page.get_by_label("Taille (salarié·es)").select_option(label="1 à 10 salarié·es")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"region=53.*taille=1-10"))
    expect(page.get_by_text("il reposerait sur trop peu de structures")).to_be_visible()
    check_a11y()

    # The table with its hidden cells, their reasons, its chart and map.
    page.get_by_role("link", name="Réponses par région et par taille").first.click()
    expect(page.get_by_role("heading", name="Réponses par région et par taille", level=1)).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Réponses par région et par taille"))
    expect(table.get_by_role("link", name="masqué, voir la note 1")).to_be_visible()
    expect(page.locator("#note-1")).to_contain_text("trop peu de structures")
    expect(page.locator("#note-2")).to_contain_text("retrouvé par addition ou soustraction")
    expect(page.get_by_role("img", name=re.compile("Carte des régions"))).to_be_visible()
    check_a11y()

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    assert download.value.suggested_filename == "observatoire-1-reponses-region-taille.csv"
    with open(download.value.path(), encoding="utf-8-sig") as file:
        lines = list(csv.DictReader(io.StringIO(file.read()), delimiter=";"))
    hidden = [line for line in lines if line["masque_code"]]
    assert {line["masque_code"] for line in hidden} == {"too_few", "secondary"}
    assert all(line["valeur"] == "" for line in hidden)

    page.get_by_role("link", name=re.compile("Publication n° 1")).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Chiffres clés à imprimer (PDF)").click()
    assert download.value.suggested_filename == "chiffres-cles-ess-bzh-1.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read(4) == b"%PDF"


LEAD_EMAIL = "lea@jardins.example"


def answered_and_closed(organisation, lead, respondents=6):
    """A QVT diagnostic of `organisation` answered by `respondents` people (« oui » on the
    management theme, « non » elsewhere), closed by its lead: its results stored on closing."""
    campaign = CampaignFactory(
        organisation=organisation, questionnaire_version=questionnaire_version("qvt-numerique"), groups=[]
    )
    spec = campaign.spec
    for _ in range(respondents):
        draft, _ = campaigns.start_draft(campaign)
        campaigns.save_answers(
            draft, {i: "oui" if spec.theme_of_item[i] == "management" else "non" for i in spec.item_ids}
        )
        campaigns.submit(draft)
    campaigns.close_campaign(campaign, by=lead)
    return campaign


def test_a_lead_sees_comparable_structures_beside_the_results(page, check_a11y):
    network = NetworkFactory(name="Réseau ESS Bretagne", slug="ess-bzh", region="53")
    organisation = member(network, name="Les Jardins du Lien", employees=12, sector="animation", region="53")
    lead = MembershipFactory(
        organisation=organisation, user=UserFactory(email=LEAD_EMAIL, name="Léa Martin"), role=Role.LEAD
    ).user
    campaign = answered_and_closed(organisation, lead)
    assert StoredResults.objects.filter(campaign=campaign).exists()
    # Comparable: the same size band (11 to 19 employees) and sector; the means are 3.5 on
    # every theme, (3.0 × 10 + 3.0 × 10 + 4.5 × 10) / 30. Larger ones are not comparable.
    closed_on = timezone.localdate() - timedelta(days=60)
    for score in (3.0, 3.0, 4.5):
        other = member(network, employees=15, sector="animation", region="53")
        closed_campaign(other, closed_on=closed_on, respondents=10, score=score)
    for _ in range(3):
        larger = member(network, employees=80, sector="animation", region="53")
        closed_campaign(larger, closed_on=closed_on, respondents=10, score=1.0)
    release = publish_release(network, kind=Release.Kind.SCHEDULED)

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(LEAD_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile("/compte/connexion/"))

    page.goto(reverse("results:detail", args=[organisation.slug, campaign.pk]))
    panel = page.locator("section", has=page.get_by_role("heading", name="Structures comparables", level=2))
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("structures de 11 à 19 salarié·es du même secteur")
    expect(panel).to_contain_text(f"du {release.published_on.day} ")
    table = panel.get_by_role("table", name="Vos scores et ceux des structures comparables, sur 5")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(6)
    for index in range(6):
        expect(rows.nth(index).locator("td").nth(1)).to_have_text("3,5")
    check_a11y()

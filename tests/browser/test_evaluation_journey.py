"""J6, the programme evaluation, in a real browser, at phone and desktop sizes.

A facilitator of a national network logs in with two-factor authentication, opens « Évaluation »
from the network's navigation, reads the list of projects, opens the LAB'QVT project (what
Repères counts and what the network enters), switches to one year of it, reads the key figures
per region and for the nation (the national figure entered on its own: 51 publications against
45 summed over the regions, as in the seed), then enters a region's figure: a negative number
is refused in French, a valid one is saved and counted in the sum. axe-core checks every page,
which may not scroll sideways at 320 px either."""

import re
from datetime import date

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.evaluation import actions
from reperes.evaluation.models import NATIONAL, KeyFigure
from reperes.organisations.models import Network
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.steps import enter_app_code, success
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACILITATOR_EMAIL = "fanny@reseau-national.example"
TWEETS = "Publications sur X (Twitter)"


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


def set_up():
    network = NetworkFactory(
        name="Réseau national QVT", slug="national-qvt", scope=Network.Scope.NATIONAL, region=""
    )
    facilitator = UserFactory(email=FACILITATOR_EMAIL, name="Fanny Morel")
    NetworkMembershipFactory(network=network, user=facilitator, role="facilitator")
    device = TOTPDevice.objects.create(user=facilitator, name="Téléphone de Fanny", confirmed=True)
    project = actions.create_project(
        network,
        title="LAB'QVT 2019-2021",
        description="Le laboratoire régional de la qualité de vie au travail.",
        starts_on=date(2019, 1, 1),
        ends_on=date(2021, 12, 31),
        by=facilitator,
    )
    actions.create_project(network, title="Télétravail 2026", starts_on=date(2026, 1, 5), by=facilitator)
    for region, tweets in [("93", 30), ("44", 15), (NATIONAL, 51)]:
        actions.set_key_figures(
            project, region=region, figures={"tweets": (tweets, "exact", "")}, by=facilitator
        )
    return network, project, device


def test_a_facilitator_reads_the_evaluation_and_enters_a_key_figure(page, check_a11y):
    network, project, device = set_up()

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(FACILITATOR_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    enter_app_code(page, device)
    expect(page).not_to_have_url(re.compile("/compte/connexion/"))

    # The list of projects, from the network's navigation.
    page.goto(f"/r/{network.slug}/")
    page.get_by_role("navigation", name="Rubriques du réseau").get_by_role("link", name="Évaluation").click()
    expect(page.get_by_role("heading", name="Évaluation des programmes", level=1)).to_be_visible()
    projects = page.get_by_role("table", name="Projets évalués par le réseau")
    expect(projects.get_by_role("link")).to_have_count(2)
    check_a11y()

    # The project: what Repères counts over the whole project, then over one year of it.
    projects.get_by_role("link", name="LAB'QVT 2019-2021").click()
    expect(page.get_by_role("heading", name="LAB'QVT 2019-2021", level=1)).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Ce que Repères compte, tout le projet"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Ce que le réseau saisit", level=2)).to_be_visible()
    check_a11y()

    page.get_by_label("Période").select_option(label="2020")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"periode=2020"))
    expect(
        page.get_by_role("heading", name="Ce que Repères compte, 2020 (du 01/01/2020 au 31/12/2020)")
    ).to_be_visible()
    expect(page.get_by_label("Période")).to_have_value("2020")
    check_a11y()

    # The key figures: the national row is entered, not the sum of the regions.
    page.get_by_role("navigation", name="Pages du projet").get_by_role(
        "link", name="Chiffres clés par région"
    ).click()
    expect(page.get_by_role("heading", name="LAB'QVT 2019-2021 : chiffres clés", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Chiffres clés par région et pour l'ensemble du réseau")
    expect(table.get_by_role("row", name=re.compile("^Grand Est"))).to_contain_text("15")
    expect(table.get_by_role("row", name=re.compile("^Somme des régions"))).to_contain_text("45")
    expect(table.get_by_role("row", name=re.compile("^National"))).to_contain_text("51 ≠")
    expect(page.get_by_role("region", name="Par région et pour l'ensemble du réseau")).to_be_visible()
    check_a11y()

    # A region's figure: a negative number is refused, in French, under its field.
    page.get_by_role("link", name="Saisir des chiffres").click()
    expect(page.get_by_role("heading", name="Saisir les chiffres clés", level=1)).to_be_visible()
    page.get_by_label("Afficher les chiffres de").select_option(label="Bretagne")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"lieu=53"))
    expect(page.get_by_label("Région, ou « National » pour le chiffre national")).to_have_value("53")
    page.get_by_label(TWEETS, exact=True).fill("-4")
    page.get_by_role("button", name="Enregistrer ces chiffres").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    tweets = page.get_by_label(TWEETS, exact=True)
    expect(tweets).to_have_attribute("aria-invalid", "true")
    expect(tweets).to_have_accessible_description(re.compile("Un chiffre ne peut pas être négatif"))
    assert not KeyFigure.objects.filter(project=project, region="53").exists()
    check_a11y()

    tweets.fill("4")
    page.get_by_role("button", name="Enregistrer ces chiffres").click()
    success(page, "Les chiffres clés sont enregistrés.")
    expect(page.get_by_role("heading", name="LAB'QVT 2019-2021 : chiffres clés", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Chiffres clés par région et pour l'ensemble du réseau")
    expect(table.get_by_role("row", name=re.compile("^Bretagne"))).to_contain_text("4")
    expect(table.get_by_role("row", name=re.compile("^Somme des régions"))).to_contain_text("49")
    expect(table.get_by_role("row", name=re.compile("^National"))).to_contain_text("51 ≠")
    check_a11y()
    figure = KeyFigure.objects.get(project=project, region="53", indicator="tweets")
    assert (figure.value, figure.qualifier) == (4, "exact")

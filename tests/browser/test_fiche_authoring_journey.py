"""Issue 16, a network writes its own fiche, in a real browser.

The network's administrator, at his desk (logging in with two-factor authentication), opens
« Fiches » from the network's navigation and starts a fiche from its title. He writes it and
tags it with a QVT determinant; a first save without « Comment agir » is refused in French with
what he typed kept. He reads it on a phone as a reader will, then publishes it. The lead of a
member organisation finds it, on her phone, among the fiches, marked as proposed by the network,
and reads it with its determinants.

What the journey does not cover is set up with the ORM: the accounts, the network and its member
organisation, a shipped fiche. Every page visited is checked by axe-core at the phone's size and
at the desktop's, and may not scroll sideways at 320 px (tests/browser/conftest.py)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.fiches.models import Fiche, FicheDraft
from reperes.organisations.models import Affiliation, Role
from tests.accounts.factories import UserFactory
from tests.browser.conftest import VIEWPORTS, A11yChecker
from tests.browser.steps import success
from tests.browser.test_authoring_journey import log_in
from tests.fiches.factories import create_fiche, minimal_fiche
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = VIEWPORTS["phone"]
HUGO, ALICE = "hugo@example.org", "alice@example.org"
NETWORK = "Réseau ESS test"
TITLE = "Accueillir une nouvelle personne"
CONTEXT = "Une arrivée se **prépare** avant le premier jour : le poste, les accès, une personne référente."


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Every person's browser opens the live server's relative URLs."""
    return {**browser_context_args, "base_url": live_server.url}


def set_up():
    """The network with its administrator (two-factor app on his phone), one member organisation
    with its lead, and a shipped fiche."""
    network = NetworkFactory(name=NETWORK, slug="reseau")
    hugo = UserFactory(email=HUGO, name="Hugo")
    NetworkMembershipFactory(network=network, user=hugo, role="admin")
    device = TOTPDevice.objects.create(user=hugo, name="Téléphone de Hugo", confirmed=True)
    organisation = OrganisationFactory(name="Les Jardins du Lien", slug="jardins", headcount=12)
    Affiliation.objects.create(network=network, organisation=organisation)
    MembershipFactory(organisation=organisation, user=UserFactory(email=ALICE, name="Alice"), role=Role.LEAD)
    create_fiche(minimal_fiche(determinants=["labqvt:management"]))
    return network, device


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_network_writes_a_fiche_and_a_member_organisation_reads_it(
    page, check_a11y, browser, browser_context_args
):
    network, device = set_up()

    # 1. The administrator opens the network's fiches and starts one.
    log_in(page, HUGO, device)
    page.goto(f"/r/{network.slug}/")
    page.get_by_role("navigation", name="Rubriques du réseau").get_by_role(
        "link", name="Fiches", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Fiches du réseau", level=1)).to_be_visible()
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    check_a11y()
    page.get_by_label("Titre de la nouvelle fiche").fill(TITLE)
    page.get_by_role("button", name="Commencer").click()
    success(page, "La fiche est commencée")
    draft = FicheDraft.objects.get()
    expect(page).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    check_a11y()

    # 2. He writes it; saved without « Comment agir », it is refused and nothing typed is lost.
    page.get_by_label("En une ou deux phrases").fill("Les premiers jours décident souvent de la suite.")
    page.get_by_label("Contexte", exact=True).fill(CONTEXT)
    page.get_by_label("Questions", exact=True).fill(
        "Qui accueille la personne ?\nQue lui montre-t-on d'abord ?"
    )
    page.get_by_label("Relations de travail et climat social").check()
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert answer.value.status == 400
    expect(page.get_by_text("Dites comment agir : c'est le cœur de la fiche.")).to_be_visible()
    expect(page.get_by_label("Contexte", exact=True)).to_have_value(CONTEXT)
    expect(page.get_by_label("Relations de travail et climat social")).to_be_checked()
    check_a11y()
    page.get_by_label("Comment agir", exact=True).fill("Préparez un parcours d'arrivée avec l'équipe.")
    page.get_by_label("Étapes").fill(
        "## Avant l'arrivée\nPréparer le poste et les accès.\n\n## Le premier jour\nUn repas."
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    success(page, "Le brouillon est enregistré.")
    draft.refresh_from_db()
    assert draft.revision == 2 and draft.content["determinants"] == ["labqvt:relations-climat"]

    # 3. He reads it on a phone as a reader will.
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Voir comme un lecteur").click()
    expect(page.get_by_text("Aperçu du brouillon.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator(".fiche__number")).to_have_text(f"Fiche proposée par {NETWORK}")
    expect(page.get_by_role("heading", name="Les questions à se poser en équipe")).to_be_visible()
    expect(page.locator("#contexte strong")).to_have_text("prépare")  # Markdown, rendered
    expect(page.get_by_text("Relations de travail et climat social")).to_be_visible()
    check_a11y()
    page.get_by_role("link", name="Revenir au brouillon").click()
    page.set_viewport_size(desktop)

    # 4. He publishes it: version 1 of the network's fiche.
    page.get_by_role("button", name="Publier la fiche").click()
    success(page, f"« {TITLE} » est publiée (version 1)")
    expect(page.get_by_role("heading", name="Fiches du réseau", level=1)).to_be_visible()
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    check_a11y()
    fiche = Fiche.objects.get(network=network)
    assert fiche.latest_version().number == 1

    # 5. The lead of a member organisation reads it on her phone.
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    try:
        phone = context.new_page()
        check_phone = A11yChecker(phone)
        log_in(phone, ALICE)
        phone.goto("/fiches/")
        network_fiches = phone.locator("#collection-reseaux")
        expect(network_fiches).to_contain_text(f"proposée par {NETWORK}")
        check_phone()
        network_fiches.get_by_role("link", name=TITLE).click()
        expect(phone.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(phone.get_by_text("Déterminants de la QVT", exact=True)).to_be_visible()
        expect(phone.locator("#etape-2")).to_contain_text("Le premier jour")
        check_phone()
    finally:
        context.close()

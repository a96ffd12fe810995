"""Issue 16, a network writes its own programme template, in a real browser.

A facilitator of the network, at her desk (logging in with two-factor authentication), goes from
« Parcours et cohortes » to the network's templates and copies the shipped « Pour un télétravail
de qualité ». She renames her copy, rewrites its second workshop on its own page, reads it on a
phone as an organisation will, publishes it, and creates a cohort with it: the cohort is made of
her version, and the shipped template has not changed.

What the journey does not cover is set up with the ORM: her account, the network, the shipped
templates. Every page visited is checked by axe-core at the phone's size and at the desktop's,
and may not scroll sideways at 320 px (tests/browser/conftest.py)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Cohort, Programme, ProgrammeDraft
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import VIEWPORTS
from tests.browser.steps import enter_app_code, success
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = VIEWPORTS["phone"]
FIONA = "fiona@example.org"
SHIPPED = "Pour un télétravail de qualité"
TITLE = "Télétravail de qualité, Charente"
WORKSHOP = "Changer de pratiques ensemble"
COHORT = "Charente, printemps"


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


def set_up():
    load_programmes()
    network = NetworkFactory(name="Réseau ESS test", slug="reseau")
    fiona = UserFactory(email=FIONA, name="Fiona")
    NetworkMembershipFactory(network=network, user=fiona, role="facilitator")
    device = TOTPDevice.objects.create(user=fiona, name="Téléphone de Fiona", confirmed=True)
    return network, device


def log_in(page, email, device):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
    enter_app_code(page, device)
    expect(page).not_to_have_url(re.compile("/compte/connexion/"))


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_facilitator_adapts_a_shipped_template_and_runs_a_cohort_with_it(page, check_a11y):
    network, device = set_up()
    shipped = Programme.objects.get(title=SHIPPED)
    original = shipped.latest_version()

    # 1. From the network's programmes to its templates; a copy of the shipped one.
    log_in(page, FIONA, device)
    page.goto(f"/r/{network.slug}/")
    page.get_by_role("navigation", name="Rubriques du réseau").get_by_role(
        "link", name="Parcours et cohortes"
    ).click()
    page.get_by_role("link", name="Écrire ou adapter un modèle de parcours").click()
    expect(page.get_by_role("heading", name="Modèles de parcours", level=1)).to_be_visible()
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    check_a11y()
    page.get_by_role("button", name=f"Copier « {SHIPPED} » pour l'adapter").click()
    success(page, f"Brouillon ouvert à partir de « {SHIPPED} »")
    draft = ProgrammeDraft.objects.get()
    expect(page).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    expect(page.get_by_text("fourni avec Repères, qui ne change pas")).to_be_visible()
    check_a11y()

    # 2. Renamed, and its second workshop rewritten on its own page.
    page.get_by_role("link", name="Modifier la présentation et les candidatures").click()
    page.get_by_label("Titre du parcours").fill(TITLE)
    check_a11y()
    page.get_by_role("button", name="Enregistrer").click()
    success(page, "Modifications enregistrées.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

    page.get_by_role("link", name="Modifier l'atelier 2").click()
    expect(page.get_by_role("heading", name="Atelier 2 : Opérer le changement", level=1)).to_be_visible()
    page.get_by_label("Titre de l'atelier").fill(WORKSHOP)
    page.get_by_label("Durée (minutes)").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    # Too short: refused in French, what she typed still there.
    expect(page.get_by_text("supérieure ou égale à 30")).to_be_visible()
    expect(page.get_by_label("Titre de l'atelier")).to_have_value(WORKSHOP)
    check_a11y()
    page.get_by_label("Durée (minutes)").fill("150")
    page.get_by_role("button", name="Enregistrer").click()
    success(page, "Modifications enregistrées.")
    expect(page.get_by_text(f"Atelier 2 : {WORKSHOP}")).to_be_visible()
    check_a11y()

    # 3. Read on a phone as an organisation will.
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Aperçu comme une structure").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=f"Atelier 2 : {WORKSHOP}", level=3)).to_be_visible()
    expect(page.locator("#presentation-atelier-2 .muted")).to_contain_text("2 h 30")
    check_a11y()
    page.get_by_role("link", name="Retour au brouillon").click()
    page.set_viewport_size(desktop)

    # 4. Published: a version of the network's own programme.
    page.get_by_role("button", name="Publier pour les cohortes du réseau").click()
    success(page, f"« {TITLE} » est publié (version 1)")
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    check_a11y()
    own = Programme.objects.get(network=network)
    assert own.title == TITLE and own.latest_version().number == 1

    # 5. A cohort of it.
    page.get_by_role("link", name="← Parcours et cohortes").click()
    page.get_by_role("link", name="Nouvelle cohorte").click()
    page.get_by_role("radio", name=TITLE).check()
    page.get_by_label("Nom de la cohorte").fill(COHORT)
    check_a11y()
    page.get_by_role("button", name="Créer la cohorte").click()
    success(page, "La cohorte est créée")
    cohort = Cohort.objects.get(name=COHORT)
    assert cohort.programme_version == own.latest_version()
    assert cohort.workshops.get(number=2).title == WORKSHOP
    assert shipped.latest_version() == original and original.content["sessions"][1]["title"] != WORKSHOP

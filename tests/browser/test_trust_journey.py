"""Issue 9 in a real browser: an invitations-only diagnostic. The lead invites the team; a
colleague answers through the emailed link; the same link opened in a second browser (a shared
mailbox) offers to start again without showing anything; the lead types paper sheets that the
staff representative attests; the results say where every response came from. axe-core checks
every page, at phone and desktop sizes, and the respondent's pages do not scroll sideways on a
320 px screen."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from reperes.campaigns.models import Campaign, Response
from reperes.instruments.loading import load_definitions
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import A11yChecker
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL = {"width": 320, "height": 640}


def log_in(page, live_url, email):
    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def answer_everything(page, check, value="Oui"):
    page.get_by_label("Salarié·es").check()
    page.get_by_role("button", name="Suivant").click()
    for _ in range(6):
        statements = page.locator("fieldset.statement")
        for index in range(statements.count()):
            statements.nth(index).get_by_label(value, exact=True).check()
        page.get_by_role("button", name=re.compile("Suivant|Relire et envoyer")).click()
    expect(page.get_by_role("heading", name="Relire et envoyer")).to_be_visible()
    check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Merci, vos réponses sont envoyées")).to_be_visible()


def test_invitations_only_diagnostic_with_attested_paper_sheets(
    page, browser, live_url, live_server, settings, check_a11y, browser_context_args
):
    settings.SITE_URL = live_server.url
    settings.ANONYMITY_THRESHOLD = 3
    load_definitions()
    organisation = OrganisationFactory(name="Le Fil d'Ariane", slug="ariane", headcount=6)
    lead = MembershipFactory(
        organisation=organisation, user=UserFactory(email="lea@example.org"), role="lead"
    )
    rep = MembershipFactory(
        organisation=organisation, user=UserFactory(email="remi@example.org"), role="staff_rep"
    )
    MembershipFactory(organisation=organisation, user=UserFactory(email="sam@example.org"), role="member")

    log_in(page, live_url, lead.user.email)
    page.goto(live_url("/s/ariane/diagnostics/nouveau/"))
    expect(page.get_by_text("rien ne peut empêcher quelqu'un de répondre plusieurs fois")).to_be_visible()
    check_a11y()
    page.get_by_label("Titre du diagnostic").fill("Diagnostic sur invitation")
    page.get_by_label("Collèges").fill("Direction\nSalarié·es")
    page.get_by_label("Des invitations personnelles seulement").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_label("Combien de personnes attendez-vous ?").fill("6")
    page.get_by_role("button", name="Ouvrir le diagnostic").click()
    expect(page.get_by_role("heading", name="Sur invitation seulement")).to_be_visible()
    expect(page.locator(".share-link")).to_have_count(0)
    page.get_by_label("Adresses e-mail").fill("sam@example.org\ninconnu@example.net")
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_text("2 invitations envoyées")).to_be_visible()
    expect(page.get_by_text("1 adresse ne correspond à aucun membre")).to_be_visible()
    expect(page.get_by_text("Envois possibles aujourd'hui pour la structure")).to_be_visible()
    check_a11y()
    sam_link = next(
        re.search(r"http://\S+/i/\S+/", m.body).group(0) for m in mail.outbox if m.to == ["sam@example.org"]
    )

    # Sam answers through the invitation on a small phone.
    context = browser.new_context(**{**browser_context_args, "viewport": SMALL})
    phone = context.new_page()
    check = A11yChecker(phone)
    phone.goto(sam_link)
    expect(phone.get_by_role("button", name="Commencer")).to_be_visible()
    check()
    no_sideways_scroll(phone)
    phone.get_by_role("button", name="Commencer").click()
    answer_everything(phone, check)
    context.close()

    # The same link opened in a shared mailbox: nothing shown, and nothing more to send.
    context = browser.new_context(**browser_context_args)
    shared = context.new_page()
    check = A11yChecker(shared)
    shared.goto(sam_link)
    expect(shared.get_by_role("heading", name="Cette invitation a déjà servi")).to_be_visible()
    check()
    share_intro = live_url(f"/d/{Campaign.objects.get().share_id}/")
    shared.goto(share_intro)
    expect(shared.get_by_role("heading", name="Ce diagnostic se fait sur invitation")).to_be_visible()
    check()
    context.close()
    assert Response.objects.count() == 1

    # Three paper sheets typed by the lead count for nothing until the staff representative attests.
    campaign = Campaign.objects.get()
    for _ in range(3):
        page.goto(live_url(f"/s/ariane/diagnostics/{campaign.pk}/papier/saisie/"))
        page.get_by_label("Collège coché sur la feuille").select_option(label="Salarié·es")
        statements = page.locator("fieldset.statement")
        for index in range(statements.count()):
            statements.nth(index).get_by_label("Non", exact=True).check()
        page.get_by_role("button", name="Enregistrer cette feuille").click()
        expect(page.get_by_text("Feuille enregistrée")).to_be_visible()
    check_a11y()
    page.goto(live_url(f"/s/ariane/diagnostics/{campaign.pk}/papier/lots/"))
    expect(page.get_by_text("Une autre personne de la structure")).to_be_visible()
    check_a11y()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    check_a11y = A11yChecker(page)
    log_in(page, live_url, rep.user.email)
    page.goto(live_url(f"/s/ariane/diagnostics/{campaign.pk}/"))
    expect(page.get_by_text("pas encore attesté", exact=True)).to_be_visible()
    expect(page.get_by_text("inconnu@example.net")).to_be_visible()  # every pilot sees the list
    check_a11y()
    page.get_by_role("link", name="Voir et attester les lots").click()
    check_a11y()
    page.get_by_role("button", name="J'atteste ce lot").click()
    expect(page.get_by_text("Le lot est attesté")).to_be_visible()
    check_a11y()

    page.goto(live_url(f"/s/ariane/diagnostics/{campaign.pk}/cloturer/"))
    page.get_by_role("button", name="Clôturer").click()
    expect(page.get_by_text("Le diagnostic est clôturé.")).to_be_visible()
    page.get_by_role("link", name="Voir les résultats").first.click()
    expect(page.get_by_role("heading", name="D'où viennent les réponses")).to_be_visible()
    expect(page.get_by_text("1 par invitation personnelle")).to_be_visible()
    expect(page.get_by_text(re.compile("recueillies avec .* qui a attesté le lot"))).to_be_visible()
    check_a11y()
    assert Response.objects.count() == 4
    context.close()

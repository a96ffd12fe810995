"""J1, the shared diagnostic, in a real browser: a lead opens a campaign and gets the link; six
people answer on a 390×844 phone (one without JavaScript, one by keyboard only, one leaving
halfway and resuming); the lead closes the campaign and sees the radar and the groups.
axe-core checks every page visited, respondent pages included."""

import re

import pytest
from playwright.sync_api import expect

from reperes.campaigns.models import Campaign, Response
from reperes.instruments.loading import load_definitions
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import A11yChecker
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def log_in(page, live_url, email):
    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def answer_theme(page, value, *, keyboard=False):
    statements = page.locator("fieldset.statement")
    for index in range(statements.count()):
        option = statements.nth(index).get_by_label(value, exact=True)
        if keyboard:
            option.focus()
            page.keyboard.press("Space")
        else:
            option.check()
    if keyboard:
        page.get_by_role("button", name=re.compile("Suivant|Relire et envoyer")).focus()
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name=re.compile("Suivant|Relire et envoyer")).click()


def respond(browser, share_url, group, value, *, javascript=True, keyboard=False, leave_after=None):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=javascript)
    page = context.new_page()
    a11y = A11yChecker(page) if javascript else None
    check = a11y or (lambda: None)
    try:
        page.goto(share_url)
        expect(page.get_by_text("Anonyme", exact=True)).to_be_visible()
        check()
        page.get_by_role("button", name="Commencer").click()
        expect(page.get_by_role("heading", name="Vous répondez en tant que…")).to_be_visible()
        check()
        page.get_by_label(group).check()
        page.get_by_role("button", name="Suivant").click()
        resume_link = None
        for number in range(1, 7):
            expect(page.get_by_text(f"Thème {number} sur 6")).to_be_visible()
            check()
            if leave_after == number:
                page.locator("summary", has_text="Reprendre plus tard").click()
                resume_link = page.locator(".resume__link").inner_text()
                break
            answer_theme(page, value, keyboard=keyboard)
        if resume_link:
            context.close()
            context = browser.new_context(viewport=PHONE, locale="fr-FR")
            page = context.new_page()
            check = A11yChecker(page)
            page.goto(resume_link)
            expect(page.get_by_role("heading", name="Reprendre mes réponses")).to_be_visible()
            check()
            page.get_by_role("button", name="Continuer sur cet appareil").click()
            page.get_by_role("button", name="Reprendre là où j'en étais").click()
            page.get_by_role("button", name="Suivant").click()  # the group is remembered
            expect(page.get_by_text(f"Thème {leave_after} sur 6")).to_be_visible()
            for _ in range(leave_after, 7):
                answer_theme(page, value)
        expect(page.get_by_role("heading", name="Relire et envoyer")).to_be_visible()
        check()
        page.get_by_role("button", name="Envoyer mes réponses").click()
        expect(page.get_by_role("heading", name="Merci, vos réponses sont envoyées")).to_be_visible()
        check()
    finally:
        context.close()


def test_team_answers_on_phones_and_the_lead_reads_the_map(
    page, browser, live_url, live_server, settings, check_a11y
):
    settings.SITE_URL = live_server.url
    settings.ANONYMITY_THRESHOLD = 3
    load_definitions()
    organisation = OrganisationFactory(name="L'Atelier Partagé", slug="atelier", headcount=8)
    lead = MembershipFactory(
        organisation=organisation, user=UserFactory(email="lea@example.org"), role="lead"
    ).user

    log_in(page, live_url, lead.email)
    page.get_by_role("link", name="Diagnostics", exact=True).click()
    check_a11y()
    page.get_by_role("link", name="Préparer un diagnostic").click()
    check_a11y()
    page.get_by_label("Titre du diagnostic").fill("Diagnostic numérique de l'automne")
    page.get_by_label("Collèges").fill("Direction\nSalarié·es")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Avant d'ouvrir")).to_be_visible()
    check_a11y()
    page.get_by_label("Combien de personnes attendez-vous ?").fill("6")
    page.get_by_role("button", name="Ouvrir le diagnostic").click()
    expect(page.get_by_text("Le diagnostic est ouvert")).to_be_visible()
    check_a11y()
    share_url = page.locator(".share-link a").first.inner_text()
    assert share_url.startswith(live_server.url + "/d/")

    respond(browser, share_url, "Direction", "Oui")
    respond(browser, share_url, "Direction", "Oui", javascript=False)
    respond(browser, share_url, "Direction", "Oui", keyboard=True)
    respond(browser, share_url, "Salarié·es", "Non", leave_after=3)
    respond(browser, share_url, "Salarié·es", "Non")
    respond(browser, share_url, "Salarié·es", "Je ne sais pas")
    assert Response.objects.count() == 6

    page.reload()
    expect(page.locator(".stat")).to_have_text("6")
    page.get_by_role("link", name="Clôturer maintenant…").click()
    check_a11y()
    page.get_by_role("button", name="Clôturer").click()
    expect(page.get_by_text("Le diagnostic est clôturé.")).to_be_visible()
    assert Campaign.objects.get().state == Campaign.State.CLOSED
    page.get_by_role("link", name="Voir les résultats").first.click()
    expect(page.get_by_role("heading", name="La carte de l'équipe")).to_be_visible()
    expect(page.locator("svg.radar").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="Direction (3)")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Salarié·es (3)")).to_be_visible()
    expect(page.get_by_text("Salarié·es plus bas que Direction").first).to_be_visible()
    check_a11y()
    page.get_by_role("link", name="Organisation du temps de travail").first.click()
    expect(page.get_by_role("heading", name="Les questions à se poser ensemble")).to_be_visible()
    check_a11y()

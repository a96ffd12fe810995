"""J2, from priorities to action, in a real browser: from the demo's closed campaign, read the
weakest theme's fiche, open a discussion, record a meeting, adopt a proposal, see it as an
action, mark it done, answer « cela a-t-il aidé ? », start the follow-up campaign and download
the PDF report. axe-core checks every page visited."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_priorities_to_action(page, live_url, live_server, settings, check_a11y):
    settings.SITE_URL = live_server.url
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False

    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill("dave@demo.reperes.fr")
    page.get_by_label("Mot de passe").fill("demo-reperes-2026")
    page.get_by_role("button", name="Se connecter").click()
    check_a11y()

    page.get_by_role("link", name="Diagnostics", exact=True).click()
    check_a11y()
    page.get_by_role("link", name="Où en sommes-nous avec le numérique ?", exact=True).click()
    check_a11y()
    page.get_by_role("link", name="Voir les résultats").first.click()
    expect(page.get_by_role("heading", name="Nos priorités", exact=True)).to_be_visible()
    check_a11y()

    # The weakest theme's fiche.
    page.locator("#priorites").get_by_role(
        "link", name="lire la fiche « Organisation du temps de travail »"
    ).click()
    expect(page.get_by_role("heading", name="Organisation du temps de travail", level=1)).to_be_visible()
    check_a11y()
    page.go_back()

    # A discussion on that priority, prefilled.
    page.get_by_role("link", name="ouvrir une discussion sur « Organisation du temps de travail »").click()
    expect(page.get_by_label("Titre")).to_have_value("Discussion : Organisation du temps de travail")
    check_a11y()
    page.get_by_role("button", name="Ouvrir la discussion").click()
    expect(page.get_by_text("L'espace de discussion est ouvert.")).to_be_visible()
    check_a11y()

    page.get_by_label("Date de la réunion").fill("2026-11-20")
    page.get_by_label("Nombre de participant·es").fill("9")
    page.get_by_label("Notes").fill("Tout le monde veut des soirées sans messages.")
    page.get_by_role("button", name="Enregistrer la réunion").click()
    expect(page.get_by_text("La réunion est notée.")).to_be_visible()

    page.get_by_label("Votre proposition").fill("Tester une semaine sans messages après 19 h")
    page.get_by_role("button", name="Proposer").click()
    expect(page.get_by_text("La proposition est ajoutée.")).to_be_visible()
    check_a11y()
    proposal = page.locator("article.proposal", has_text="Tester une semaine sans messages après 19 h")
    proposal.locator("summary", has_text="Décider").click()
    proposal.get_by_label("Adoptée").check()
    proposal.get_by_role("button", name="Noter la décision de la réunion").click()
    expect(page.get_by_text("La proposition est adoptée.")).to_be_visible()
    check_a11y()

    page.locator("article.proposal", has_text="Tester une semaine").get_by_role(
        "button", name="En faire une action"
    ).click()
    expect(page.get_by_role("heading", name="Modifier l'action")).to_be_visible()
    check_a11y()
    page.locator("#id_owner").select_option(label="David Roussel")
    page.locator("#id_due_on").fill("2026-12-15")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Tester une semaine sans messages après 19 h")).to_be_visible()
    check_a11y()

    page.get_by_label("Statut").select_option("done")
    page.get_by_role("button", name="Mettre à jour").click()
    expect(page.get_by_text("L'action est maintenant « faite ».")).to_be_visible()
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_text("Merci : votre avis est enregistré, sans votre nom.")).to_be_visible()
    # Counted in batches of k answers, so that the figures never move by one person's answer.
    expect(
        page.get_by_text("1 avis pour l'instant : les résultats s'affichent par paquets de")
    ).to_be_visible()
    check_a11y()

    page.get_by_role("link", name="Plan d'action", exact=True).click()
    expect(page.get_by_role("link", name="Tester une semaine sans messages après 19 h")).to_be_visible()
    check_a11y()

    # Six months on: the follow-up campaign, from the closed one.
    page.get_by_role("link", name="Diagnostics", exact=True).click()
    page.get_by_role("link", name="Où en sommes-nous avec le numérique ?", exact=True).click()
    page.get_by_role("button", name="Préparer le point de suivi").click()
    expect(page.get_by_text("Le point de suivi est prêt")).to_be_visible()
    check_a11y()

    # The PDF report of the campaign that has a comparison.
    page.get_by_role("link", name="Diagnostics", exact=True).click()
    page.locator("tr", has_text="point de suivi").filter(has_text="Clôturé").get_by_role("link").click()
    page.get_by_role("link", name="Voir les résultats").first.click()
    check_a11y()
    with page.expect_download() as download:
        page.get_by_role("button", name="Rapport PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

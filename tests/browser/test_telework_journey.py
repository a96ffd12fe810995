"""J3, telework, in a real browser at phone and desktop sizes: a small association (8 people, no
CSE, no union delegate) lists three activities that two members mark, runs the telework readiness
diagnostic in a meeting, builds its charter clause by clause until the seven mandatory points
are covered, adopts it and downloads it as DOCX, sets its tool-usage rules and places four
information flows on the diagram, one of them by keyboard, and turns a move into an action.
axe-core checks every page visited."""

import io
import re

import docx
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reperes.campaigns.models import Campaign
from reperes.charters.models import CharterStatus, TeleworkCharter
from reperes.organisations.models import Role
from reperes.telework.models import ActivityMember
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import A11yChecker
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "atelier"

ACTIVITIES = [
    {
        "Activité": "Saisir les factures",
        "Fonction ou équipe": "Administratif",
        "remote": "Oui",
        "days": "2",
    },
    {
        "Activité": "Préparer les ateliers",
        "Fonction ou équipe": "Animation",
        "remote": "En partie",
        "conditions": "Avec le matériel pédagogique emporté la veille",
    },
    {
        "Activité": "Accueillir le public",
        "Fonction ou équipe": "Animation",
        "remote": "Non",
    },
]

# The seven contents of L1222-9 II, by slot, as the completeness panel lists them.
MANDATORY_SLOTS = [
    "passage-retour",
    "acceptation",
    "temps-charge",
    "plages-contact",
    "acces-handicap",
    "acces-grossesse",
    "acces-aidants",
]

FLOWS = [
    # name, today (use, reach), tomorrow (use, reach) or None
    ("Planning de la semaine", ("Tout pour le travail quotidien", "Plutôt imposée"), None),
    (
        "Compte rendu du CA",
        ("Tout pour la vie collective de la structure", "Plutôt imposée"),
        ("Tout pour la vie collective de la structure", "Plutôt en accès libre"),
    ),
    (
        "Agenda partagé",
        (
            "Surtout pour le travail quotidien",
            "En accès libre : on va la chercher (dossier partagé, intranet)",
        ),
        None,
    ),
]


def log_in(page, live_url, email):
    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Télétravail", exact=True)).to_be_visible()


def success(page, text):
    expect(page.locator(".alert--success", has_text=text)).to_be_visible()


def activity_card(page, title):
    return page.locator("article.activity", has=page.get_by_role("heading", name=title, exact=True))


# 1. The activity inventory


def add_activity(page, check_a11y, activity):
    page.get_by_role("link", name="Ajouter une activité").click()
    expect(page.get_by_role("heading", name="Nouvelle activité")).to_be_visible()
    for label in ("Activité", "Fonction ou équipe"):
        page.get_by_label(label, exact=True).fill(activity[label])
    page.get_by_label(activity["remote"], exact=True).check()
    if activity["remote"] == "En partie":
        # First without its condition: a French error, and what was typed stays.
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("dites à quelles conditions")).to_be_visible()
        expect(page.get_by_label("Activité", exact=True)).to_have_value(activity["Activité"])
        check_a11y()
        page.get_by_label("À quelles conditions").fill(activity["conditions"])
    if activity.get("days"):
        page.get_by_label("Peut se regrouper en journées entières").check()
        page.get_by_label("Jours par mois ainsi regroupables").fill(activity["days"])
    check_a11y()
    page.get_by_role("button", name="Enregistrer").click()
    success(page, f"L'activité « {activity['Activité']} » est ajoutée.")
    check_a11y()


def mark_activities(page, check_a11y, does, wishes=()):
    for title in does:
        card = activity_card(page, title)
        card.get_by_label("Je fais cette activité").check()
        if title in wishes:
            card.get_by_label("Je souhaiterais la faire à distance").check()
        card.get_by_role("button", name=f"Enregistrer pour « {title} »").click()
        success(page, f"C'est noté pour « {title} ».")
        expect(activity_card(page, title).get_by_label("Je fais cette activité")).to_be_checked()
    check_a11y()


def list_activities(page, other_page, live_url, check_a11y, member):
    page.get_by_role("link", name="Télétravail", exact=True).click()
    expect(page.get_by_text("Aucune activité recensée.")).to_be_visible()
    check_a11y()
    for activity in ACTIVITIES:
        add_activity(page, check_a11y, activity)
    expect(page.get_by_role("heading", name="Synthèse")).to_be_visible()
    expect(activity_card(page, "Préparer les ateliers")).to_contain_text(ACTIVITIES[1]["conditions"])

    mark_activities(page, check_a11y, does=["Saisir les factures", "Préparer les ateliers"])

    # The other member, in a browser session of their own; their wish stays theirs.
    other_a11y = A11yChecker(other_page)
    log_in(other_page, live_url, member.email)
    other_page.get_by_role("link", name="Télétravail", exact=True).click()
    other_a11y()
    expect(other_page.get_by_role("link", name="Ajouter une activité")).to_have_count(0)
    mark_activities(
        other_page,
        other_a11y,
        does=["Préparer les ateliers", "Accueillir le public"],
        wishes=["Préparer les ateliers"],
    )
    expect(other_page.get_by_text("Souhaits", exact=True)).to_have_count(0)
    assert ActivityMember.objects.filter(user=member, wishes_remote=True).count() == 1

    # The lead sees who would like to work remotely, and how many do each activity.
    page.reload()
    workshops = activity_card(page, "Préparer les ateliers")
    expect(workshops).to_contain_text("2 personnes")
    expect(workshops.locator("dd", has_text=member.name)).to_be_visible()
    expect(
        activity_card(page, "Saisir les factures").locator("dd", has_text="aucun pour l'instant")
    ).to_be_visible()
    check_a11y()


# 2. The readiness diagnostic, in a meeting


def record_theme_counts(page):
    statements = page.locator("fieldset.statement")
    for index in range(statements.count()):
        statement = statements.nth(index)
        statement.get_by_label("Plutôt d'accord", exact=True).fill("5")
        statement.get_by_label("Plutôt pas d'accord", exact=True).fill("3")
    statements.first.get_by_label("Désaccords, remarques").fill("Deux personnes hésitent.")


def run_readiness_diagnostic(page, check_a11y):
    page.get_by_role("link", name="Diagnostics", exact=True).click()
    check_a11y()
    page.get_by_role("link", name="Préparer un diagnostic").click()
    check_a11y()
    page.get_by_label("Titre du diagnostic").fill("Télétravail : point de départ")
    page.get_by_label(re.compile(r"Télétravail : où en sommes-nous \?")).check()
    page.get_by_label("Collectif, en réunion").check()
    page.get_by_label("Compter les mains levées pour chaque réponse").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Avant d'ouvrir")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Télétravail : où en sommes-nous ?")
    check_a11y()
    page.get_by_role("button", name="Ouvrir le diagnostic").click()
    expect(page.get_by_role("heading", name="En réunion")).to_be_visible()
    check_a11y()

    page.get_by_role("link", name="Noter les réponses de la réunion").click()
    number = 1
    while True:
        progress = page.locator(".progress-label")
        expect(progress).to_have_text(re.compile(rf"Thème {number} sur \d+"))
        total = int(progress.inner_text().rsplit(" ", 1)[1])
        check_a11y()
        record_theme_counts(page)
        if number == total:
            break
        page.get_by_role("button", name="Enregistrer et continuer").click()
        number += 1
    assert total == 8
    page.get_by_role("button", name="Enregistrer et voir les résultats").click()
    success(page, "Les réponses de la réunion sont enregistrées")
    check_a11y()

    page.get_by_role("link", name="Diagnostics", exact=True).click()
    page.get_by_role("link", name="Télétravail : point de départ").click()
    page.get_by_role("link", name="Clôturer maintenant…").click()
    check_a11y()
    page.get_by_role("button", name="Clôturer").click()
    success(page, "Le diagnostic est clôturé.")
    campaign = Campaign.objects.get(title="Télétravail : point de départ")
    assert campaign.state == Campaign.State.CLOSED and campaign.is_collective
    assert campaign.questionnaire_version.questionnaire.slug == "teletravail-preparation"
    page.get_by_role("link", name="Voir les résultats").first.click()
    expect(page.get_by_role("heading", name="Résultats : Télétravail : point de départ")).to_be_visible()
    expect(page.locator("svg.radar").first).to_be_visible()
    check_a11y()


# 3. The charter


def panel(page):
    return page.locator("section", has=page.get_by_role("heading", name="Les sept points obligatoires"))


def add_clause(page, check_a11y, slot):
    page.locator(f"#slot-{slot}").get_by_label("Ajouter une clause").select_option(index=0)
    page.locator(f"#slot-{slot}").get_by_role("button", name="Ajouter").click()
    success(page, "La clause est ajoutée.")
    check_a11y()
    page.get_by_role("link", name=re.compile("^← ")).click()


def try_to_adopt_while_incomplete(page, check_a11y):
    expect(page.locator("#etat .help")).to_contain_text("Il manque")
    page.get_by_role("button", name="Marquer comme adopté").click()
    refusal = page.locator(".alert--error", has_text="doit traiter les sept points")
    expect(refusal).to_contain_text("Il manque : accès des travailleur·ses handicapé·es")
    expect(refusal).to_contain_text("Le brouillon est conservé.")
    check_a11y()
    # Nothing lost: the clauses added so far are still there, the text is still a draft.
    for slot in MANDATORY_SLOTS[:4]:
        expect(page.locator(f"#slot-{slot} article")).to_have_count(1)
    assert TeleworkCharter.objects.get().status == CharterStatus.DRAFT


def set_parameters(page, check_a11y):
    page.get_by_role("link", name="Modifier les paramètres").click()
    check_a11y()
    start = page.get_by_label("Début des plages où l'on peut joindre la personne en télétravail")
    end = page.get_by_label("Fin de ces plages")
    start.fill("10:00")
    end.fill("09:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette heure doit venir après 10 h.")).to_be_visible()
    expect(start).to_have_value("10:00")
    expect(end).to_have_value("09:00")
    check_a11y()
    end.fill("17:30")
    page.get_by_label("Jours de télétravail régulier par semaine, au plus").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    success(page, "Les paramètres sont enregistrés")
    params = page.locator("section", has=page.get_by_role("heading", name="Paramètres"))
    expect(params).to_contain_text("10:00")
    check_a11y()


def rework_a_clause(page, check_a11y):
    page.locator("#slot-plages-contact").get_by_role("link", name=re.compile("Modifier ou commenter")).click()
    expect(
        page.get_by_role("heading", name="Les heures où l'on peut joindre la personne en télétravail")
    ).to_be_visible()
    check_a11y()
    page.get_by_label(re.compile("Plage commune, temps partiel et canal d'urgence")).check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    success(page, "La clause est enregistrée.")
    contact = page.locator("#slot-plages-contact")
    expect(contact).to_contain_text("Plage commune, temps partiel et canal d'urgence")
    expect(contact).to_contain_text("entre 10 h et 17 h 30")
    contact.get_by_role("link", name=re.compile("Modifier ou commenter")).click()
    page.get_by_label("Votre commentaire").fill("Ajoutons le numéro de l'astreinte du samedi.")
    page.get_by_role("button", name="Commenter").click()
    success(page, "Votre commentaire est ajouté.")
    expect(page.get_by_text("Ajoutons le numéro de l'astreinte du samedi.")).to_be_visible()
    check_a11y()
    page.get_by_role("link", name=re.compile("^← ")).click()
    expect(page.locator("#slot-plages-contact")).to_contain_text("(1 commentaire)")


def build_charter(page, check_a11y):
    page.get_by_role("link", name="Télétravail", exact=True).click()
    page.get_by_role("link", name="Charte de télétravail").click()
    routes = page.locator("section", has=page.get_by_role("heading", name="Quelle forme pour votre texte ?"))
    expect(routes).to_contain_text("8 salarié·es, pas de CSE, pas de délégué·e syndical·e")
    ratified = routes.locator("li", has_text="Projet d'accord approuvé par les deux tiers du personnel")
    expect(ratified.locator(".badge")).to_have_text("possible chez vous")
    expect(ratified).to_contain_text("deux tiers de tout le personnel")
    check_a11y()

    page.get_by_label("Charte de l'employeur").check()
    page.get_by_label("Partir d'une proposition complète").uncheck()
    page.get_by_role("button", name="Créer le brouillon").click()
    success(page, "Le brouillon est créé")
    expect(page.get_by_role("heading", name="Télétravail", level=1)).to_be_visible()
    expect(panel(page).locator(".badge", has_text="manquant")).to_have_count(7)
    expect(panel(page)).to_contain_text("Il manque 7 points")
    check_a11y()

    for slot in MANDATORY_SLOTS[:4]:
        add_clause(page, check_a11y, slot)
    expect(panel(page).locator(".badge", has_text="manquant")).to_have_count(3)
    try_to_adopt_while_incomplete(page, check_a11y)
    for slot in MANDATORY_SLOTS[4:]:
        add_clause(page, check_a11y, slot)
    add_clause(page, check_a11y, "deconnexion")
    expect(panel(page).locator(".badge", has_text="traité")).to_have_count(7)
    expect(panel(page).locator(".badge", has_text="manquant")).to_have_count(0)
    expect(panel(page)).to_contain_text("Les sept points sont traités.")
    check_a11y()

    set_parameters(page, check_a11y)
    rework_a_clause(page, check_a11y)

    page.get_by_role("button", name="Marquer comme adopté").click()
    success(page, "L'adoption est enregistrée")
    expect(page.locator(".badge", has_text="Adopté").first).to_be_visible()
    check_a11y()
    assert TeleworkCharter.objects.get().status == CharterStatus.ADOPTED

    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(download.value.path())
    text = re.sub(r"\s+", " ", "\n".join(paragraph.text for paragraph in document.paragraphs))
    assert "Références juridiques citées" in text
    assert "entre 10 h et 17 h 30" in text


# 4. Tool-usage rules


def set_usage_rules(page, check_a11y):
    page.get_by_role("link", name="Télétravail", exact=True).click()
    page.get_by_role("link", name="Usages et déconnexion").click()
    check_a11y()
    for name, purpose, delay, urgent in [
        ("Messagerie", "Échanger", "Dans la journée", "le téléphone"),
        ("Dossier partagé", "Travailler ensemble", "Pas de réponse attendue", ""),
    ]:
        page.get_by_label("Outil", exact=True).fill(name)
        page.get_by_label("Sert à").select_option(label=purpose)
        page.get_by_label("Délai de réponse attendu").select_option(label=delay)
        page.locator("#id_outil-hours_from").fill("08:30")
        page.locator("#id_outil-hours_to").fill("18:30")
        page.get_by_label("Pour une urgence, passer plutôt par").fill(urgent)
        page.get_by_role("button", name="Ajouter", exact=True).click()
        success(page, f"L'outil « {name} » est ajouté.")
    expect(page.locator("tbody tr")).to_have_count(2)
    check_a11y()

    page.locator("#id_charte-disconnect_from").fill("19:30")
    page.locator("#id_charte-disconnect_to").fill("08:00")
    page.get_by_label("Niveaux d'importance des messages").fill(
        "« URGENT » dans l'objet seulement si cela ne peut attendre."
    )
    page.get_by_role("button", name="Enregistrer les règles").click()
    success(page, "Les règles sont enregistrées.")
    expect(page.locator("#id_charte-disconnect_from")).to_have_value("19:30")
    check_a11y()

    page.get_by_role("link", name="Voir la charte").click()
    expect(
        page.get_by_role("heading", name="Charte d'usage des outils numériques et de déconnexion")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Messagerie")
    expect(page.locator("main")).to_contain_text("entre 19 h 30 et 8 h")
    check_a11y()


# 5. The information diagram


def place_flow(page, name, today, tomorrow):
    page.get_by_label("Information", exact=True).fill(name)
    page.get_by_label("Aujourd'hui, elle sert…").select_option(label=today[0])
    page.get_by_label("Aujourd'hui, elle arrive…").select_option(label=today[1])
    if tomorrow:
        page.get_by_label("Demain, elle devrait servir…").select_option(label=tomorrow[0])
        page.get_by_label("Demain, elle devrait arriver…").select_option(label=tomorrow[1])
    page.get_by_role("button", name="Placer sur le schéma").click()
    success(page, f"« {name} » est placée sur le schéma.")


def place_flow_by_keyboard(page, name):
    """Keyboard only: Tab from field to field, arrows in the lists, Space on the button."""
    page.get_by_label("Information", exact=True).focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")  # today, use: « Les deux » → « Surtout pour la vie collective »
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # today, reach: « Entre les deux » → « Plutôt imposée »
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")  # tomorrow, use: unchanged
    page.keyboard.press("Tab")  # tomorrow, reach: « Sans changement » → … → « Plutôt en accès libre »
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Placer sur le schéma")).to_be_focused()
    page.keyboard.press("Space")
    success(page, f"« {name} » est placée sur le schéma.")


def place_flows(page, check_a11y):
    page.get_by_role("link", name="Télétravail", exact=True).click()
    page.get_by_role("link", name="Circulation de l'information").click()
    expect(page.get_by_text("Aucune information placée pour l'instant.")).to_be_visible()
    check_a11y()
    for name, today, tomorrow in FLOWS:
        place_flow(page, name, today, tomorrow)
    place_flow_by_keyboard(page, "Réunion d'équipe du lundi")
    check_a11y()

    flows = page.locator("ol.flows > li")
    expect(flows).to_have_count(4)
    meeting = flows.filter(has_text="Réunion d'équipe du lundi")
    expect(meeting).to_contain_text("Aujourd'hui : surtout pour la vie collective ; plutôt imposée")
    expect(meeting).to_contain_text("Demain : surtout pour la vie collective ; plutôt en accès libre")
    diagram = page.locator("svg.diagram")
    expect(diagram.locator('circle[fill="#1d5c57"]')).to_have_count(4)  # today
    expect(diagram.locator("line[marker-end]")).to_have_count(2)  # the two moves
    expect(page.get_by_role("button", name=re.compile("^En faire une action"))).to_have_count(2)

    page.get_by_role("button", name="En faire une action pour « Compte rendu du CA »").focus()
    page.keyboard.press("Enter")
    success(page, "Le déplacement est devenu une action du plan.")
    expect(
        page.get_by_role("heading", name="Faire évoluer la circulation de « Compte rendu du CA »")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "Demain : tout pour la vie collective de la structure ; plutôt en accès libre."
    )
    check_a11y()
    page.get_by_role("link", name="Plan d'action", exact=True).click()
    expect(
        page.get_by_role("link", name="Faire évoluer la circulation de « Compte rendu du CA »")
    ).to_be_visible()
    check_a11y()


def test_a_small_team_prepares_telework(page, other_page, live_url, live_server, settings, check_a11y):
    settings.SITE_URL = live_server.url
    call_command("load_content", stdout=io.StringIO())
    organisation = OrganisationFactory(
        name="Les Ateliers du Lien", slug=SLUG, headcount=8, has_cse=False, has_union_delegate=False
    )
    lead = MembershipFactory(
        organisation=organisation, user=UserFactory(email="lea@example.org", name="Léa Morel"), role=Role.LEAD
    ).user
    member = MembershipFactory(
        organisation=organisation,
        user=UserFactory(email="sami@example.org", name="Sami Benali"),
        role=Role.MEMBER,
    ).user

    log_in(page, live_url, lead.email)
    check_a11y()
    list_activities(page, other_page, live_url, check_a11y, member)
    run_readiness_diagnostic(page, check_a11y)
    build_charter(page, check_a11y)
    set_usage_rules(page, check_a11y)
    place_flows(page, check_a11y)
    assert len(check_a11y.checked) > 40

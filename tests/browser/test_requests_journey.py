"""J5, asking the network for accompaniment, and the digital-maturity self-diagnostic, in a real
browser.

The journey, with the organisation's lead on a phone and the facilitator at a desktop: the lead
of a small organisation opens the results of a closed team diagnostic, follows « Demander un
accompagnement » beside its weak themes, finds them ticked and the diagnostic chosen for
sharing, sends the request and reads at once what she can already do (Repères' tools, the
network's matching offers); a facilitator (logging in with two-factor authentication) finds it
in the queue, takes it, reads the shared results, notes a meeting shared with the organisation
and closes the request as accompanied; the lead answers the anonymous closing questionnaire from
the mailed link and sees the request closed, with the shared meeting, on her dashboard and the
request's page. Then she answers the maturity self-diagnostic, one dimension per page (the first
with the keyboard only), reads its level, radar and table; answered again six months later, its
results say how each dimension changed, in words.

What the journey does not cover is set up with the ORM and the actions: accounts, the diagnostic
and its answers, the catalogue's offers, the earlier self-diagnostic. Every page visited is
checked by axe-core at the phone's size and at the desktop's, and may not scroll sideways at
320 px (tests/browser/conftest.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Response
from reperes.instruments.loading import load_definitions
from reperes.maturity.models import Assessment
from reperes.offers.models import Offer
from reperes.organisations.models import Affiliation, Role
from reperes.requests.models import Request, Theme
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import VIEWPORTS, A11yChecker
from tests.browser.steps import enter_app_code, success
from tests.campaigns.factories import questionnaire_version
from tests.maturity.helpers import completed
from tests.offers.factories import OfferFactory
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = VIEWPORTS["desktop"]
K = 5  # settings.ANONYMITY_THRESHOLD in these tests
NETWORK = "Réseau ESS Nouvelle-Aquitaine"
ORGANISATION = "Les Jardins de Cocagne"
LEAD_EMAIL = "lea@example.org"
FIONA_EMAIL = "fiona@example.org"
DIAGNOSTIC = "Télétravail : où en sommes-nous ?"
# The team answered « Pas du tout d'accord » on these themes, « Plutôt d'accord » elsewhere: the
# two weakest call for two request themes.
WEAK_THEMES = {"tt-activites", "tt-collectif"}
ASKED = [Theme.ACTIVITES, Theme.COLLECTIF]
NOT_ASKED = [Theme.PRATIQUES, Theme.HYBRIDE, Theme.CHARTE]
# The network's catalogue: one offer for each asked theme, one for a theme not asked.
OFFERS = [
    (Offer.Kind.EXPERT, "Inventaire des activités avec un·e consultant·e", "activites"),
    (Offer.Kind.TRAINING, "Animer une équipe à distance", "collectif"),
    (Offer.Kind.TRAINING, "Écrire sa charte de télétravail", "charte"),
]
SITUATION = (
    "Un chantier d'insertion de 14 salarié·es ; trois postes administratifs télétravaillent un jour "
    "par semaine."
)
PROBLEM = (
    "Nous ne savons pas quelles tâches se font à distance, et l'équipe du jardin se sent mise à l'écart."
)
MEETING = "Premier rendez-vous : l'inventaire des activités se fera en équipe le 12, avec les encadrant·es."
# The self-diagnostic's dimensions, in order; the first is answered with the keyboard.
DIMENSIONS = 8
FIRST_DIMENSION = "Équipement"


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Every person's browser opens the live server's relative URLs."""
    return {**browser_context_args, "base_url": live_server.url}


# Setup: what the journey does not cover


def today():
    return timezone.localdate()


def french_date(day):
    with translation.override("fr"):
        return date_format(day, "j F Y")


def set_up():
    """The network with its facilitator and catalogue, the organisation (14 employees, in the
    network) with its lead, and its team diagnostic answered by k + 1 people and closed."""
    network = NetworkFactory(name=NETWORK, slug="ess-na", region="75")
    fiona = UserFactory(email=FIONA_EMAIL, name="Fiona Garcia")
    NetworkMembershipFactory(network=network, user=fiona, role="facilitator")
    # A network role logs in with two-factor authentication: the app on her phone.
    device = TOTPDevice.objects.create(user=fiona, name="Téléphone de Fiona", confirmed=True)
    organisation = OrganisationFactory(
        slug="cocagne", name=ORGANISATION, headcount=16, employees=14, region="75"
    )
    Affiliation.objects.create(network=network, organisation=organisation)
    lead = MembershipFactory(
        organisation=organisation, user=UserFactory(email=LEAD_EMAIL, name="Léa Martin"), role=Role.LEAD
    ).user
    for kind, title, subject in OFFERS:
        OfferFactory(network=network, kind=kind, title=title, provider="Uniformation", subjects=[subject])
    campaign = campaign_actions.create_campaign(
        organisation,
        by=lead,
        groups=[],
        questionnaire_version=questionnaire_version("teletravail-preparation"),
        title=DIAGNOSTIC,
        closes_on=today() + timedelta(days=10),
    )
    campaign_actions.open_campaign(campaign, by=lead, expected_respondents=K + 1)
    spec = campaign.spec
    for _ in range(K + 1):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.choose_group(draft, None)
        campaign_actions.save_answers(
            draft,
            {
                item: "pas-du-tout" if spec.theme_of_item[item] in WEAK_THEMES else "plutot-oui"
                for item in spec.item_ids
            },
        )
        campaign_actions.submit(draft)
    campaign_actions.close_campaign(campaign, by=lead)
    return network, fiona, device, organisation, lead, campaign


def backdate(assessment, days):
    when = timezone.now() - timedelta(days=days)
    Assessment.objects.filter(pk=assessment.pk).update(created_at=when, completed_at=when)


# Steps through the browser


def log_in(page, email, device=None):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
        enter_app_code(page, device)
    expect(page).not_to_have_url(re.compile("/compte/connexion/"))


def section(page, heading):
    """The card under `heading` (sections without a label are not landmarks)."""
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def results_url(campaign):
    return reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])


def closing_link(email):
    """The single-use link of the closing questionnaire mailed to `email`."""
    links = [
        re.search(r"http://\S+/i/\S+/", m.body).group(0)
        for m in mail.outbox
        if m.to == [email] and "/i/" in m.body
    ]
    assert len(links) == 1, [m.subject for m in mail.outbox]
    return links[0]


def answer_closing_questionnaire(page, link, check):
    """The two themes of « Votre avis sur l'accompagnement », every statement « Tout à fait
    d'accord », each page checked."""
    page.goto(link)
    expect(page.get_by_role("heading", name=re.compile("^Votre avis sur l'accompagnement"))).to_be_visible()
    check()
    page.get_by_role("button", name="Commencer").click()
    for number in (1, 2):
        expect(page.get_by_text(f"Thème {number} sur 2")).to_be_visible()
        check()
        statements = page.locator("fieldset.statement")
        expect(statements).to_have_count(3)
        for index in range(3):
            statements.nth(index).get_by_label("Tout à fait d'accord", exact=True).check()
        page.get_by_role("button", name=re.compile("Suivant|Relire et envoyer")).click()
    expect(page.get_by_role("heading", name="Relire et envoyer")).to_be_visible()
    check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Merci, vos réponses sont envoyées")).to_be_visible()
    check()


def answer_with_the_keyboard(page):
    """Every statement of the page « En bonne partie » (third choice), and on to the next page,
    without the mouse: Space on the group's first choice, two arrows on, Tab to the next group."""
    statements = page.locator("fieldset.statement")
    count = statements.count()
    statements.first.get_by_role("radio").first.focus()
    for index in range(count):
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(statements.nth(index).get_by_label("En bonne partie", exact=True)).to_be_checked()
        page.keyboard.press("Tab")  # to the next group, or the first button after the last one
    expect(page.get_by_role("button", name="Enregistrer et continuer")).to_be_focused()
    page.keyboard.press("Enter")


def expect_comparison(page, previous_day):
    """The results of the second self-diagnostic, each dimension's change said in words."""
    day = french_date(previous_day)
    expect(page.locator("p", has_text=f"La fois précédente ({day}) :")).to_contain_text("sur 100, niveau")
    expect(page.get_by_text(f"Pointillés : la fois précédente ({day})", exact=True)).to_be_visible()
    table = page.get_by_role(
        "table", name=re.compile("^Score \\(sur 100\\) et niveau de chaque dimension, et")
    )
    expect(table.locator("tbody tr")).to_have_count(DIMENSIONS)
    expect(table.get_by_role("row", name=re.compile(f"^{FIRST_DIMENSION} "))).to_contain_text("stable")
    expect(table.get_by_role("row", name=re.compile("^Travail partagé "))).to_contain_text("en progrès")
    expect(table.get_by_role("row", name=re.compile("^Inclusion "))).to_contain_text("en recul")


# The first answers, in the browser: « En bonne partie » on equipment (with the keyboard),
# « Quelques initiatives » elsewhere. The second, six months later: the same on equipment, more on
# every other dimension but inclusion, less there.
SECOND_TIME = {"equipement": 2, "inclusion": 0}


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_request_from_weak_results_to_the_closing_questionnaire_and_the_maturity_diagnostic(
    page, check_a11y, other_page, browser, browser_context_args, live_server, settings
):
    settings.SITE_URL = live_server.url
    settings.ANONYMITY_THRESHOLD = K
    load_definitions()
    network, fiona, device, organisation, lead, campaign = set_up()

    # 1. The lead, on her phone, opens the closed diagnostic's results and asks for help on its
    # weak themes.
    log_in(page, LEAD_EMAIL)
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    check_a11y()
    page.goto(results_url(campaign))
    expect(page.get_by_role("heading", name=f"Résultats : {DIAGNOSTIC}", level=1)).to_be_visible()
    panel = page.get_by_role("region", name="Être accompagnés sur ces points")
    for theme in ASKED:
        expect(panel).to_contain_text(f"« {theme.label.lower()} »")
    check_a11y()
    panel.get_by_role("link", name="Demander un accompagnement").click()
    expect(page.get_by_role("heading", name="Demander un accompagnement", level=1)).to_be_visible()
    for theme in ASKED:
        expect(page.get_by_label(theme.label, exact=True)).to_be_checked()
    for theme in NOT_ASKED:
        expect(page.get_by_label(theme.label, exact=True)).not_to_be_checked()
    expect(page.get_by_label(f"{DIAGNOSTIC} (clôturé)")).to_be_checked()
    expect(page.get_by_label("Personne à contacter")).to_have_value("Léa Martin")
    check_a11y()
    page.get_by_label("Votre situation").fill(SITUATION)
    page.get_by_label("Votre problématique liée au numérique").fill(PROBLEM)
    page.get_by_role("button", name="Envoyer la demande").click()
    success(page, "Votre demande est envoyée au réseau.")
    help_request = Request.objects.get()
    assert help_request.themes == list(ASKED) and list(help_request.campaigns.all()) == [campaign]
    assert (help_request.state, help_request.contact_email) == (Request.State.NEW, LEAD_EMAIL)

    # She lands on the request, which already says what she can do while she waits.
    expect(page.get_by_role("heading", name=re.compile("^Demande d'accompagnement du"))).to_be_visible()
    expect(section(page, "Résultats partagés pour cette demande")).to_contain_text(
        "seront visibles par la personne qui prendra la demande, et par elle seule."
    )
    waiting = page.get_by_role("region", name="En attendant, ce que vous pouvez déjà faire")
    for theme in ASKED:
        expect(waiting.get_by_role("heading", name=theme.label)).to_be_visible()
    expect(waiting.get_by_role("heading", level=3)).to_have_count(len(ASKED))
    expect(waiting.get_by_role("link", name="L'inventaire des activités")).to_be_visible()
    expect(
        waiting.get_by_role("link", name="Fiche : garder le collectif et prévenir l'isolement")
    ).to_be_visible()
    expect(waiting.get_by_role("link", name=OFFERS[0][1])).to_be_visible()
    expect(waiting.get_by_role("link", name=OFFERS[1][1])).to_be_visible()
    expect(waiting.get_by_role("link", name=OFFERS[2][1])).to_have_count(0)  # a theme not asked
    check_a11y()

    # 2. The facilitator, at her desk, logs in with her app's code and finds the request.
    context = browser.new_context(**{**browser_context_args, "viewport": DESKTOP})
    try:
        desk = context.new_page()
        check_desk = A11yChecker(desk)
        log_in(desk, FIONA_EMAIL, device)
        desk.goto("/r/ess-na/")
        check_desk()
        desk.get_by_role("navigation", name="Rubriques du réseau").get_by_role(
            "link", name="Demandes"
        ).click()
        expect(desk.get_by_role("heading", name="Demandes d'accompagnement", level=1)).to_be_visible()
        expect(
            desk.get_by_role("row", name=re.compile(f"^{ORGANISATION} .*Nouvelle personne$"))
        ).to_be_visible()
        check_desk()
        desk.get_by_role("link", name=ORGANISATION).click()
        expect(desk.get_by_role("heading", name=ORGANISATION, level=1)).to_be_visible()
        expect(desk.get_by_text(PROBLEM)).to_be_visible()
        check_desk()
        desk.get_by_role("button", name="Prendre en charge").click()
        success(desk, "Vous suivez cette demande ; la structure en est informée.")
        check_desk()

        # She reads the results the organisation shares with her, and her alone.
        section(desk, "Résultats partagés").get_by_role("link", name=DIAGNOSTIC).click()
        expect(desk.get_by_role("heading", name=f"Résultats : {DIAGNOSTIC}", level=1)).to_be_visible()
        expect(desk.get_by_role("region", name="Être accompagnés sur ces points")).to_have_count(0)
        check_desk()
        desk.go_back()

        # A meeting, shared with the organisation; then the request is closed as accompanied.
        entry = section(desk, "Suivi")
        entry.get_by_label("Rendez-vous", exact=True).check()
        expect(entry.get_by_label("Date", exact=True)).to_have_value(today().isoformat())
        entry.get_by_label("Format (facultatif)").select_option(label="Visioconférence")
        entry.get_by_label("Ce qui a été dit ou convenu").fill(MEETING)
        entry.get_by_label("Partagée avec la structure").check()
        entry.get_by_role("button", name="Noter").click()
        success(desk, "Le suivi est noté.")
        expect(desk.get_by_text("Accompagnement en cours", exact=True)).to_be_visible()
        expect(section(desk, "Suivi").locator("li", has_text=MEETING)).to_contain_text(
            "Partagée avec la structure"
        )
        check_desk()
        mail.outbox.clear()
        closing = section(desk, "Clore la demande")
        closing.get_by_label("Accompagnée", exact=True).check()
        closing.get_by_role("button", name="Clore").click()
        success(desk, "La demande est close ; la structure en est informée.")
        expect(section(desk, "Clore la demande")).to_have_count(0)
        expect(section(desk, "Résultats partagés")).not_to_contain_text(DIAGNOSTIC)  # the share ended
        check_desk()
    finally:
        context.close()
    help_request.refresh_from_db()
    assert (help_request.state, help_request.outcome) == (Request.State.CLOSED, Request.Outcome.ACCOMPANIED)
    assert help_request.first_contact_on == today()

    # 3. The lead is told, and invited to the anonymous closing questionnaire, which she answers
    # from the mailed link (in another browser: it does not know who she is).
    told = [m for m in mail.outbox if m.to == [LEAD_EMAIL] and "/i/" not in m.body]
    assert len(told) == 1 and "accompagnée" in told[0].body
    assert "un court questionnaire anonyme sur l'accompagnement" in told[0].body
    answer_closing_questionnaire(other_page, closing_link(LEAD_EMAIL), A11yChecker(other_page))
    assert Response.objects.filter(campaign=help_request.satisfaction).count() == 1

    # Her dashboard and the request's page say it is closed, with the meeting shared with her.
    page.goto("/s/cocagne/")
    accompaniment = section(page, "Accompagnement")
    expect(accompaniment).to_contain_text("close, accompagnée")
    check_a11y()
    accompaniment.get_by_role("link", name=re.compile("^Demande du")).click()
    expect(page.locator(".badge", has_text="Close")).to_be_visible()
    shared = section(page, "Le suivi que le réseau partage avec vous")
    expect(shared).to_contain_text(f"Rendez-vous, le {french_date(today())}")
    expect(shared).to_contain_text("(visioconférence)")
    expect(shared).to_contain_text(MEETING)
    expect(page.get_by_role("region", name="En attendant, ce que vous pouvez déjà faire")).to_have_count(0)
    check_a11y()

    # 4. The maturity self-diagnostic: started, eight dimensions one per page, completed.
    page.goto("/s/cocagne/maturite/")
    expect(page.get_by_role("heading", name="Maturité numérique de la structure", level=1)).to_be_visible()
    expect(page.get_by_label("Par les pilotes")).to_be_checked()
    check_a11y()
    page.get_by_role("button", name="Commencer").click()
    for number in range(1, DIMENSIONS + 1):
        expect(page.get_by_text(f"Dimension {number} sur {DIMENSIONS}", exact=True)).to_be_visible()
        if number == 1:
            check_a11y()
            answer_with_the_keyboard(page)
            continue
        statements = page.locator("fieldset.statement")
        for index in range(statements.count()):
            statements.nth(index).get_by_label("Quelques initiatives", exact=True).check()
        if number == DIMENSIONS:
            check_a11y()
        page.get_by_role("button", name=re.compile("^Enregistrer et (continuer|relire)$")).click()
    expect(page.get_by_role("heading", name="Relire et terminer")).to_be_visible()
    expect(page.get_by_text(re.compile(", complet$"))).to_have_count(DIMENSIONS)
    check_a11y()
    page.get_by_role("button", name="Terminer et voir les résultats").click()
    success(page, "L'autodiagnostic est terminé")
    first = Assessment.objects.get()
    assert (
        first.is_completed
        and first.scores["dimensions"]["equipement"]["score"]
        > (first.scores["dimensions"]["inclusion"]["score"])
    )
    expect(
        page.get_by_role("heading", name=f"Niveau d'ensemble : {first.overall_level['label']}")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Score de chaque dimension, de 0 à 100")).to_be_visible()
    table = page.get_by_role("table", name="Score (sur 100) et niveau de chaque dimension")
    expect(table.locator("tbody tr")).to_have_count(DIMENSIONS)
    expect(table.get_by_role("columnheader", name="Évolution")).to_have_count(0)  # nothing to compare yet
    check_a11y()

    # Six months later, answered again (through the actions): the results compare the two.
    backdate(first, days=182)
    second = completed(organisation, lead, points=2, per_dimension=SECOND_TIME)
    page.goto("/s/cocagne/maturite/")
    finished = page.get_by_role("table", name="Autodiagnostics terminés, du plus récent au plus ancien")
    expect(finished.locator("tbody tr")).to_have_count(2)
    check_a11y()
    finished.get_by_role("link", name=french_date(timezone.localdate(second.completed_at))).click()
    expect_comparison(page, timezone.localdate(timezone.now() - timedelta(days=182)))
    check_a11y()

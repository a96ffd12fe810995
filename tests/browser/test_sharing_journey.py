"""J7, skills sharing and the network's library, in a real browser, at phone and desktop sizes.

The lead of an organisation publishes a premises offer; the network's matchmaker (logging in with
two-factor authentication) sends it back once with a comment, which the lead reads from the
mailed link before she edits it and sends it again, and the matchmaker publishes it. The lead of
another organisation finds it by searching « salle reunion » without accents, opens it and asks
to be put in touch; the matchmaker forwards the request, the first lead accepts it, and the
matchmaker opens a sharing case from it, takes it through the diagnostic, the calibration and
the partner to the introduction (the only mail that gives each side the other's address), records
the follow-up and closes the case as done. Then a member of the first organisation reads a news
item of the network's library, linked from a fiche page. Every person keeps one logged-in browser
of the test's size; axe-core checks every page visited, which may not scroll sideways at 320 px
either."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.listings import actions as listing_actions
from reperes.listings.models import Contact, Listing
from reperes.matchmaking.models import Case
from reperes.organisations import reference
from reperes.organisations.models import Affiliation, NetworkRole, Role
from reperes.resources.actions import create_resource
from reperes.resources.models import Resource
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import A11yChecker
from tests.browser.steps import enter_app_code, success
from tests.fiches.factories import create_fiche
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The personas of tests/conftest.py, and the network's matchmaker of tests/listings/conftest.py.
ALICE, BOB, DAVE, MIA = "alice@example.org", "bob@example.org", "dave@example.org", "mia@example.org"
GARDENS, WOOD = "Les Jardins du Lien", "Bois & Compagnie"
REGION = "44"
TITLE = "Salle de réunion le vendredi"
DESCRIPTION = "Une salle de réunion équipée (écran, douze places) au rez-de-chaussée, accessible."
COMMENT = "Précisez les horaires et si la salle est accessible en fauteuil."
AVAILABILITY = "le vendredi, de 9 h à 18 h"
MESSAGE = "Nous cherchons une salle pour notre conseil d'administration, un vendredi par mois."
NEWS = "Élections du CSE : le calendrier"


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Every person's browser opens the live server's relative URLs."""
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture
def browser_of(browser, browser_context_args):
    """browser_of(email, device=None): a person logged in in a browser of their own, at the
    test's size, with its checker; closed after the test."""
    contexts = []

    def open_browser(email, device=None):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        log_in(page, email, device)
        return page, A11yChecker(page)

    yield open_browser
    for context in contexts:
        context.close()


# Setup: what the journey does not cover


def today():
    return timezone.localdate()


def set_up():
    """The personas' network and organisations, its matchmaker with her app, another published
    listing the search must leave out, a fiche and a news item of the library for its themes."""
    gardens = OrganisationFactory(name=GARDENS, slug="jardins", headcount=12)
    wood = OrganisationFactory(name=WOOD, slug="bois", legal_form="scop", headcount=35)
    network = NetworkFactory(name="Réseau ESS test", slug="reseau")
    for organisation in (gardens, wood):
        Affiliation.objects.create(network=network, organisation=organisation)
    MembershipFactory(organisation=gardens, user=UserFactory(email=ALICE, name="Alice"), role=Role.LEAD)
    MembershipFactory(organisation=gardens, user=UserFactory(email=BOB, name="Bob"), role=Role.MEMBER)
    dave = MembershipFactory(
        organisation=wood, user=UserFactory(email=DAVE, name="Dave"), role=Role.LEAD
    ).user
    mia = NetworkMembershipFactory(
        network=network, user=UserFactory(email=MIA, name="Mia"), role=NetworkRole.MATCHMAKER
    ).user
    # A network role logs in with two-factor authentication: the app on her phone.
    device = TOTPDevice.objects.create(user=mia, name="Téléphone de Mia", confirmed=True)
    van = listing_actions.create_listing(
        wood,
        network=network,
        by=dave,
        kind=Listing.Kind.OFFER,
        category=Listing.Category.EQUIPMENT,
        title="Camionnette à prêter le week-end",
        description="Un utilitaire de 12 m³ pour vos déménagements et vos marchés.",
        region=REGION,
        town="Metz",
        starts_on=None,
        ends_on=today() + timedelta(days=60),
        availability="",
        frequency=Listing.Frequency.REGULAR,
        conditions=Listing.Conditions.AT_COST,
        conditions_detail="",
    )
    listing_actions.submit_listing(van, by=dave)
    listing_actions.review_listing(van, decision="publish", by=mia)
    # conduite-projet serves qvt-numerique:projet, whose subjects include dialogue-social.
    fiche = create_fiche()
    create_resource(
        network,
        by=mia,
        kind=Resource.Kind.NEWS,
        title=NEWS,
        summary="Le calendrier des élections professionnelles et ce que le CSE peut demander.",
        subjects=["dialogue-social"],
        regions=[],
        published_on=today(),
        link="https://travail-emploi.gouv.fr/",
    )
    mail.outbox.clear()
    return network, device, fiche


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


def go_to(desk, name):
    """A page of the network's navigation."""
    desk.get_by_role("navigation", name="Rubriques du réseau").get_by_role(
        "link", name=name, exact=True
    ).click()


def section(page, heading):
    """The card under `heading` (sections without a label are not landmarks)."""
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def mails_to(email, since=0):
    return [m for m in mail.outbox[since:] if m.to == [email]]


def link_in(message):
    return re.search(r"http://\S+", message.body).group(0)


def publish_the_offer(page, check):
    """Alice writes the premises offer and sends it for review."""
    page.goto("/s/jardins/annonces/")
    expect(page.get_by_role("heading", name="Annonces de vos réseaux", level=1)).to_be_visible()
    check()
    page.get_by_role("link", name="Publier une annonce").click()
    expect(page.get_by_role("heading", name="Nouvelle annonce", level=1)).to_be_visible()
    check()
    page.get_by_role("group", name="Offre ou besoin").get_by_label("Offre", exact=True).check()
    page.get_by_label("Locaux (bureau, salle de réunion, stockage)", exact=True).check()
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_label("Région").select_option(label=reference.label("regions", REGION))
    page.get_by_label("Commune").fill("Nancy")
    page.get_by_label("Jusqu'au").fill((today() + timedelta(days=90)).isoformat())
    page.get_by_label("Régulière", exact=True).check()
    page.get_by_label("Gratuit", exact=True).check()
    page.get_by_role("button", name="Envoyer pour relecture").click()
    success(page, "Annonce envoyée à la personne chargée de mise en lien")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator(".badge", has_text="En attente de relecture")).to_be_visible()
    check()


def review(desk, check, decision, comment=""):
    """Mia opens the offer from her queue and decides."""
    go_to(desk, "Annonces")
    expect(desk.get_by_role("heading", name="Annonces et mises en lien", level=1)).to_be_visible()
    check()
    section(desk, "À relire (1)").get_by_role("link", name=TITLE).click()
    expect(desk.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    check()
    desk.get_by_label(decision, exact=True).check()
    if comment:
        desk.get_by_label("Commentaire pour l'auteur").fill(comment)
    desk.get_by_role("button", name="Enregistrer la décision").click()
    success(desk, "Décision enregistrée ; l'auteur de l'annonce en est informé.")
    expect(desk.get_by_role("heading", name="Annonces et mises en lien", level=1)).to_be_visible()
    check()


def rework_the_offer(page, check, since):
    """Alice reads the comment from the mailed link, edits the offer and sends it again."""
    sent_back = mails_to(ALICE, since)
    assert len(sent_back) == 1 and COMMENT in sent_back[0].body, [m.subject for m in mail.outbox]
    page.goto(link_in(sent_back[0]))
    expect(page.locator(".badge", has_text="Renvoyée pour modification")).to_be_visible()
    expect(page.locator(".alert--info")).to_contain_text(COMMENT)
    check()
    page.get_by_role("link", name="Modifier", exact=True).click()
    expect(page.get_by_role("heading", name="Modifier l'annonce", level=1)).to_be_visible()
    expect(page.locator(".alert--info")).to_contain_text(COMMENT)  # the comment, beside the form
    expect(page.get_by_label("Titre")).to_have_value(TITLE)
    check()
    page.get_by_label("Description").fill(DESCRIPTION + " Accessible en fauteuil roulant.")
    page.get_by_label("Disponibilités").fill(AVAILABILITY)
    page.get_by_role("button", name="Envoyer pour relecture").click()
    # (The message says only « Annonce enregistrée. »: the badge says it is sent.)
    expect(page.locator(".alert--success")).to_be_visible()
    expect(page.locator(".badge", has_text="En attente de relecture")).to_be_visible()
    check()


def ask_to_be_put_in_touch(page, check):
    """Dave finds the offer by searching without accents, and asks to be put in touch."""
    page.goto("/s/bois/")
    check()
    page.get_by_role("navigation", name="Rubriques de la structure").get_by_role(
        "link", name="Entraide"
    ).click()
    expect(page.get_by_role("heading", name="Annonces de vos réseaux", level=1)).to_be_visible()
    expect(page.get_by_text("2 annonces", exact=True)).to_be_visible()
    check()
    page.get_by_role("search", name="Chercher dans les annonces").get_by_label("Mots-clés").fill(
        "salle reunion"
    )
    page.get_by_role("button", name="Chercher").click()
    expect(page).to_have_url(re.compile(r"q=salle\+reunion"))
    expect(page.get_by_text("1 annonce", exact=True)).to_be_visible()
    results = page.locator("article.listing")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(GARDENS)
    check()
    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(AVAILABILITY)).to_be_visible()
    expect(page.get_by_text(ALICE)).to_have_count(0)  # no address before both agree
    check()
    page.get_by_label("Votre message").fill(MESSAGE)
    page.get_by_role("button", name="Demander la mise en lien").click()
    success(page, "Demande envoyée à la personne chargée de mise en lien.")
    expect(section(page, "Être mis·e en lien")).to_contain_text("demandée")
    check()


def introduce_through_a_case(desk, check):
    """Mia opens a case from the accepted request, takes it to the introduction, records the
    follow-up and closes it as done."""
    go_to(desk, "Mises en lien")
    expect(desk.get_by_role("heading", name="Mises en lien", level=1)).to_be_visible()
    waiting = section(desk, "Demandes de mise en lien sans dossier")
    request = waiting.locator("li", has_text=WOOD)
    expect(request).to_contain_text(f"« {TITLE} » de {GARDENS}")
    expect(request).to_contain_text("Acceptée par l'auteur de l'annonce")
    check()
    request.get_by_role("button", name=f"Ouvrir un dossier pour la demande de {WOOD}").click()
    success(desk, "Le dossier est ouvert à partir de la demande de mise en lien.")
    expect(desk.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(desk.locator("[aria-current=step]")).to_have_text("Diagnostic du besoin")
    check()

    # Diagnostic, then calibration: premises, no staff lent.
    diagnostic = section(desk, "Diagnostic du besoin")
    diagnostic.get_by_label("Ce qui est réellement recherché").fill(
        "Une salle de douze places un vendredi par mois, pour le conseil d'administration."
    )
    diagnostic.get_by_role("button", name="Noter le diagnostic").click()
    success(desk, "Le diagnostic est noté.")
    calibration = section(desk, "Calibrage du partage")
    expect(calibration.get_by_label("Cadre juridique")).to_have_value(Case.Arrangement.NONE)
    check()
    calibration.get_by_label("Ce qui est partagé").fill("La salle de réunion, un vendredi par mois.")
    calibration.get_by_label("Unité").select_option(label="jours")
    calibration.get_by_label("Volume prévu").fill("6")
    calibration.get_by_label("Coût et répartition").fill("Gratuit ; le ménage est à la charge de Bois.")
    calibration.get_by_role("button", name="Noter le calibrage").click()
    success(desk, "Le calibrage du partage est noté.")

    # The partner is the offer's organisation, the offer already linked.
    search = section(desk, "Annonce ou recherche d'un partenaire")
    expect(search).to_contain_text(f"Annonce liée : « {TITLE} » ({GARDENS}, offre)")
    expect(search.get_by_label("Structure partenaire")).to_have_value(
        str(Listing.objects.get(title=TITLE).organisation_id)
    )
    check()
    search.get_by_role("button", name="Proposer ce partenaire").click()
    success(desk, "Le partenaire est choisi")

    # Both agreed through the request: nobody has the other's address yet, then both have.
    touch = section(desk, "Mise en lien")
    expect(touch.get_by_text("accord donné le")).to_have_count(2)
    check()
    # Since the journey began (the setup's mails forgotten), no mail gave either address.
    assert not [m for m in mails_to(ALICE) if DAVE in m.body], [m.subject for m in mails_to(ALICE)]
    assert not [m for m in mails_to(DAVE) if ALICE in m.body], [m.subject for m in mails_to(DAVE)]
    since = len(mail.outbox)
    touch.get_by_role("button", name="Mettre en lien").click()
    success(desk, "Les deux structures sont mises en lien : chacune a reçu le contact de l'autre.")
    introductions = sorted((m.to[0], m.subject) for m in mail.outbox[since:])
    assert introductions == [(ALICE, f"Mise en lien avec {WOOD}"), (DAVE, f"Mise en lien avec {GARDENS}")]
    assert DAVE in mails_to(ALICE, since)[0].body and ALICE in mails_to(DAVE, since)[0].body
    assert Contact.objects.get().state == Contact.State.INTRODUCED

    # Follow-up, then closing as done.
    follow_up = section(desk, "Suivi")
    expect(desk.locator("[aria-current=step]")).to_have_text("Suivi")
    check()
    follow_up.get_by_label("Le partage a-t-il eu lieu ?").select_option(label="Oui")
    follow_up.get_by_label("Partage du").fill(today().isoformat())
    follow_up.get_by_label(re.compile(r"^\s*Au\b")).fill((today() + timedelta(days=150)).isoformat())
    follow_up.get_by_label("Jours partagés").fill("6")
    follow_up.get_by_label("Ce que le partage a donné").fill("Six conseils d'administration tenus.")
    follow_up.get_by_label("Satisfaction de la structure qui avait le besoin").select_option(
        label="Très satisfaite"
    )
    follow_up.get_by_label("Satisfaction de la structure partenaire").select_option(label="Satisfaite")
    follow_up.get_by_role("button", name="Noter le suivi").click()
    success(desk, "Le suivi est noté.")
    check()
    closing = section(desk, "Clore le dossier")
    closing.get_by_label("Partage réalisé", exact=True).check()
    closing.get_by_role("button", name="Clore").click()
    success(desk, "Le dossier est clos.")
    expect(desk.locator(".lead .badge")).to_have_text("Clos")
    expect(section(desk, "Le dossier")).to_contain_text("Partage réalisé")
    expect(section(desk, "Clore le dossier")).to_have_count(0)
    check()
    desk.get_by_role("link", name="← Mises en lien").click()
    desk.get_by_label("Étape").select_option(label="Tous les dossiers")
    desk.get_by_role("button", name="Filtrer").click()
    expect(desk.get_by_role("row", name=re.compile(TITLE))).to_contain_text("partage réalisé")
    expect(section(desk, "Demandes de mise en lien sans dossier")).to_have_count(0)
    check()


def test_a_premises_offer_from_publication_to_a_closed_sharing_case(
    page, check_a11y, browser_of, live_server, settings
):
    settings.SITE_URL = live_server.url
    network, device, fiche = set_up()

    # 1. Alice, lead of the Jardins, publishes a premises offer: the matchmaker is told.
    log_in(page, ALICE)
    publish_the_offer(page, check_a11y)
    listing = Listing.objects.get(title=TITLE)
    assert (listing.state, listing.kind, listing.category) == (
        Listing.State.SUBMITTED,
        Listing.Kind.OFFER,
        Listing.Category.PREMISES,
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [([MIA], f"Annonce à relire : « {TITLE} »")]

    # 2. Mia sends it back once with a comment; Alice reworks it; Mia publishes it.
    desk, check_desk = browser_of(MIA, device)
    desk.goto("/r/reseau/")
    check_desk()
    since = len(mail.outbox)
    review(desk, check_desk, "La renvoyer pour modification", COMMENT)
    listing.refresh_from_db()
    assert (listing.state, listing.review_comment) == (Listing.State.SENT_BACK, COMMENT)
    rework_the_offer(page, check_a11y, since)
    review(desk, check_desk, "Publier l'annonce")
    listing.refresh_from_db()
    assert listing.state == Listing.State.PUBLISHED and listing.availability == AVAILABILITY
    page.reload()
    expect(page.locator(".badge", has_text="Publiée")).to_be_visible()
    check_a11y()

    # 3. Dave, lead of Bois & Compagnie, finds it without accents and asks to be put in touch.
    wood, check_wood = browser_of(DAVE)
    since = len(mail.outbox)
    ask_to_be_put_in_touch(wood, check_wood)
    asked = mail.outbox[since:]
    assert [m.to for m in asked] == [[MIA]] and MESSAGE in asked[0].body

    # 4. Mia forwards the request; Alice accepts it from her offer's page.
    since = len(mail.outbox)
    go_to(desk, "Annonces")
    contact = section(desk, "Demandes de mise en lien (1)").locator("article", has_text=MESSAGE)
    expect(contact.get_by_role("heading")).to_have_text(f"{WOOD} → {GARDENS}")
    contact.get_by_role("button", name=f"Transmettre à {GARDENS}").click()
    success(desk, "Demande transmise à la structure de l'annonce")
    check_desk()
    forwarded = mail.outbox[since:]
    assert [m.to for m in forwarded] == [[ALICE]] and MESSAGE in forwarded[0].body
    since = len(mail.outbox)
    page.goto(link_in(forwarded[0]))
    request = section(page, "Demandes de mise en lien").locator("article", has_text=MESSAGE)
    expect(request.get_by_role("heading")).to_contain_text(WOOD)
    check_a11y()
    request.get_by_role("button", name=f"Accepter la mise en lien avec {WOOD}").click()
    success(page, "Merci : la personne chargée de mise en lien va vous présenter l'une à l'autre.")
    expect(request).to_contain_text("Acceptée par l'auteur de l'annonce")
    check_a11y()
    assert Contact.objects.get().state == Contact.State.ACCEPTED
    assert [m.to for m in mail.outbox[since:]] == [[MIA]]  # the matchmaker is told, nobody else

    # Mia opens a case from it, introduces the two organisations and closes the case as done.
    introduce_through_a_case(desk, check_desk)
    case = Case.objects.get()
    assert (case.organisation.slug, case.partner.slug, case.listing, case.step, case.outcome) == (
        "bois",
        "jardins",
        listing,
        Case.Step.CLOSED,
        Case.Outcome.DONE,
    )
    assert case.happened and case.days_shared == 6

    # Dave's side says it is done.
    wood.reload()
    expect(section(wood, "Être mis·e en lien")).to_contain_text("Mise en lien faite le")
    check_wood()

    # 5. Bob, a member of the Jardins, reads a news item of the library linked from a fiche.
    reader, check_reader = browser_of(BOB)
    reader.goto(fiche.get_absolute_url())
    expect(reader.get_by_role("heading", name=fiche.title, level=1)).to_be_visible()
    library = reader.get_by_role("region", name="Dans la bibliothèque de votre réseau")
    expect(library.get_by_role("link")).to_have_count(1)
    check_reader()
    library.get_by_role("link", name=NEWS).click()
    expect(reader).to_have_url(re.compile(reverse("resources:space_library", args=["jardins"])))
    expect(reader.get_by_role("heading", name=NEWS, level=1)).to_be_visible()
    expect(reader.get_by_text("Actualité RH · Réseau ESS test")).to_be_visible()
    expect(reader.get_by_role("link", name="Ouvrir le lien")).to_have_attribute(
        "href", "https://travail-emploi.gouv.fr/"
    )
    check_reader()

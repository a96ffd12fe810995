"""J4, an accompaniment programme, in a real browser.

The journey, with the facilitator at a desktop and the organisations' people on phones: a
facilitator (logging in with two-factor authentication) creates a cohort from « Pour un
télétravail de qualité » and opens applications; two organisations apply, two join with the
code, a fifth is declined with its reason (and sees, for a regional programme, why it may not
even apply); the first workshop is dated, the second one's day chosen by a date poll; attendance
is taken; the six people present answer the anonymous satisfaction questionnaire from the
mailed link, and its results show once it closes; intersession work is handed in with a PDF and
commented; questions for the expert become a published FAQ; six months later three
organisations have shared their diagnostic and its follow-up with the cohort (one through the
campaign page) and the review shows each comparison and the cohort's average.

What the journey does not cover is set up with the ORM and the actions: accounts, profiles, old
diagnostics and their answers; dates move into the past as time would. Every page visited is
checked by axe-core at the phone's size and at the desktop's, and may not scroll sideways at
320 px (tests/browser/conftest.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign, Response
from reperes.instruments.loading import load_definitions
from reperes.organisations.models import Affiliation, Role
from reperes.programmes import actions as programme_actions
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Cohort, Enrolment, FaqEntry, Programme, Workshop
from reperes.sharing.actions import share_results
from reperes.sharing.models import ResultShare
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import VIEWPORTS, A11yChecker
from tests.browser.steps import enter_app_code, success
from tests.campaigns.factories import questionnaire_version
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = VIEWPORTS["phone"]
K = 5  # settings.ANONYMITY_THRESHOLD in these tests
COHORT = "Charente, 2027"
TEMPLATE = "Pour un télétravail de qualité"

# slug, name, employees, lead, second participant
ORGANISATIONS = [
    ("cocagne", "Les Jardins de Cocagne", 14, "Léa Martin", "Karim Benali"),
    ("atlantique", "Coop'Atlantique", 35, "Nadia Roux", "Paul Girard"),
    ("val", "Mutuelle du Val", 60, "Sophie Bernard", "Hugo Lefèvre"),
    ("ricochet", "Association Ricochet", 8, "Marc Dubois", "Inès Garnier"),
    ("horizon", "Groupe Horizon Solidaire", 320, "Claire Petit", "Théo Morel"),
]
NAMES = {slug: name for slug, name, *_ in ORGANISATIONS}
ENROLLED = ["cocagne", "atlantique", "val", "ricochet"]
DECLINE_REASON = "Votre structure compte plus de 250 salarié·es : ce parcours vise les petites équipes."
QUESTIONS = {
    "cocagne": "Peut-on refuser le télétravail à une salariée qui le demande pour garder ses enfants ?",
    "ricochet": "Un salarié peut-il refuser de revenir sur place si le télétravail s'est bien passé ?",
}
FAQ_QUESTION = "Peut-on refuser ou imposer le télétravail ?"
FAQ_ANSWER = "Un refus doit être motivé ; un retour sur place se prévoit dans la charte ou l'accord."
WORK = "1. Une journée sans réunion à distance le vendredi.\n2. Un point d'équipe hebdomadaire en visio."
COMMENT = "Très concret. Pensez à en parler avec les représentant·es du personnel avant l'atelier 2."


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Every person's browser opens the live server's relative URLs."""
    return {**browser_context_args, "base_url": live_server.url}


# Setup: what the journey does not cover


def today():
    return timezone.localdate()


def french_day(day):
    with translation.override("fr"):
        return date_format(day, "l j F")


def set_up_network():
    network = NetworkFactory(name="Réseau ESS Nouvelle-Aquitaine", slug="ess-na", region="75")
    fiona = UserFactory(email="fiona@example.org", name="Fiona Garcia")
    NetworkMembershipFactory(network=network, user=fiona, role="facilitator")
    # A network role logs in with two-factor authentication: the app on her phone.
    device = TOTPDevice.objects.create(user=fiona, name="Téléphone de Fiona", confirmed=True)
    people = {}
    for slug, name, employees, lead, second in ORGANISATIONS:
        organisation = OrganisationFactory(
            slug=slug, name=name, headcount=employees + 2, employees=employees, region="75"
        )
        Affiliation.objects.create(network=network, organisation=organisation)
        people[slug] = [
            MembershipFactory(
                organisation=organisation,
                user=UserFactory(email=f"{slug}-{n}@example.org", name=person),
                role=Role.LEAD if n == 0 else Role.MEMBER,
            )
            for n, person in enumerate([lead, second])
        ]
    # A regional programme of the same network, run by a colleague: Bretagne, under 50 employees.
    colleague = UserFactory(email="yann@example.org", name="Yann Le Goff")
    NetworkMembershipFactory(network=network, user=colleague, role="facilitator")
    breton = programme_actions.create_cohort(
        network,
        programme=Programme.objects.get(slug="egalite-qvt-bretagne"),
        name="Bretagne, 2027",
        places=10,
        by=colleague,
    )
    programme_actions.set_state(breton, state=Cohort.State.RECRUITING, by=colleague)
    return network, fiona, device, people, breton


def diagnostic_pair(membership, *, before, after):
    """A « Télétravail : où en sommes-nous ? » closed six months ago and its follow-up closed
    today, each answered by k + 1 people; `before` and `after` give each theme's answer."""
    organisation, lead = membership.organisation, membership.user

    def run(campaign, value_for_theme):
        campaign_actions.open_campaign(campaign, by=lead, expected_respondents=K + 1)
        for _ in range(K + 1):
            draft, _ = campaign_actions.start_draft(campaign)
            campaign_actions.choose_group(draft, None)
            spec = campaign.spec
            campaign_actions.save_answers(
                draft, {item: value_for_theme(spec.theme_of_item[item]) for item in spec.item_ids}
            )
            campaign_actions.submit(draft)
        campaign_actions.close_campaign(campaign, by=lead)

    first = campaign_actions.create_campaign(
        organisation,
        by=lead,
        groups=[],
        questionnaire_version=questionnaire_version("teletravail-preparation"),
        title="Télétravail : où en sommes-nous ?",
        closes_on=today() + timedelta(days=10),
    )
    run(first, before)
    long_ago = today() - timedelta(days=190)
    Campaign.objects.filter(pk=first.pk).update(opened_on=long_ago, closes_on=long_ago, closed_on=long_ago)
    first.refresh_from_db()
    follow_up = campaign_actions.start_follow_up(first, by=lead, closes_on=today() + timedelta(days=10))
    run(follow_up, after)
    return first, follow_up


def six_months_of_diagnostics(people):
    """Cocagne, Atlantique and Val each ran the diagnostic and its follow-up; Ricochet did not."""
    return {
        "cocagne": diagnostic_pair(
            people["cocagne"][0],
            before=lambda theme: "plutot-non",
            after=lambda theme: "tout-a-fait" if theme in {"tt-activites", "tt-cadre"} else "plutot-oui",
        ),
        "atlantique": diagnostic_pair(
            people["atlantique"][0], before=lambda theme: "pas-du-tout", after=lambda theme: "plutot-oui"
        ),
        "val": diagnostic_pair(
            people["val"][0], before=lambda theme: "plutot-oui", after=lambda theme: "plutot-oui"
        ),
    }


# Steps through the browser


def log_in(page, email, device=None):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()


def open_cohort(page):
    page.goto("/r/ess-na/cohortes/")
    page.get_by_role("link", name=COHORT).click()
    expect(page.get_by_role("heading", name=COHORT, level=1)).to_be_visible()


def open_workshop(page, number):
    open_cohort(page)
    page.get_by_role("link", name=re.compile(f"^Atelier {number} :")).click()
    expect(page.get_by_role("heading", name=re.compile(f"^Atelier {number} :"))).to_be_visible()


def fix_exact_date(page, day, time):
    page.get_by_label("Date et heure fixées").check()
    page.get_by_label("Jour (facultatif)", exact=True).fill(day.isoformat())
    page.get_by_label("Heure de début").fill(time)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    success(page, "L'atelier est enregistré")


def apply(page, check, slug, people, *, checks):
    page.goto(f"/s/{slug}/parcours/")
    expect(page.get_by_role("heading", name="Appels à candidatures de vos réseaux")).to_be_visible()
    if checks:
        check()
    page.get_by_role("link", name=re.compile(f"Voir et candidater.*{COHORT}")).click()
    expect(page.get_by_role("heading", name=TEMPLATE, level=1)).to_be_visible()
    expect(page.get_by_text("Votre structure ne peut pas encore candidater")).to_have_count(0)
    if checks:
        check()
    page.get_by_label("Pourquoi souhaitez-vous suivre ce parcours ?").fill(
        "Nous avons télétravaillé dans l'urgence et voulons en faire une organisation pensée, avec l'équipe."
    )
    page.get_by_label("Participant·e 1").select_option(label=people[0].user.name)
    page.get_by_label("Participant·e 2").select_option(label=people[1].user.name)
    page.get_by_label("La direction s'engage à libérer le temps des participant·es").check()
    page.get_by_role("button", name="Envoyer la candidature").click()
    success(page, "Votre candidature est envoyée")
    expect(page.get_by_text("Candidature envoyée", exact=True)).to_be_visible()
    if checks:
        check()


def join_with_code(page, check, slug, people, code, *, checks):
    page.goto(f"/s/{slug}/parcours/")
    # Typed as read over the phone: lower case, with a space.
    page.get_by_label("Code d'inscription").fill(f"{code[:4].lower()} {code[4:].lower()}")
    page.get_by_label("Participant·e 1").select_option(label=people[0].user.name)
    page.get_by_label("Participant·e 2").select_option(label=people[1].user.name)
    page.get_by_role("button", name="Rejoindre la cohorte").click()
    success(page, f"Votre structure est inscrite à « {COHORT} ».")
    expect(page.get_by_role("heading", name=COHORT, level=1)).to_be_visible()
    if checks:
        check()


def decide(page, check, slug, *, reason=None, checks=True):
    open_cohort(page)
    applications = page.locator("section", has=page.get_by_role("heading", name="Candidatures à traiter"))
    applications.get_by_role("link", name=NAMES[slug]).click()
    expect(page.get_by_role("heading", name="Candidature", exact=True)).to_be_visible()
    if checks:
        check()
    if reason is None:
        page.get_by_label("Accepter").check()
        page.get_by_role("button", name="Répondre").click()
        success(page, f"{NAMES[slug]} est inscrite")
    else:
        page.get_by_label("Ne pas retenir").check()
        page.get_by_label("Motif (envoyé à la structure)").fill(reason)
        page.get_by_role("button", name="Répondre").click()
        success(page, f"La candidature de {NAMES[slug]} n'est pas retenue")
        expect(page.get_by_role("heading", name="Motif du refus")).to_be_visible()
        if checks:
            check()


def answer_satisfaction(browser, link, value, *, checks):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    check = A11yChecker(page) if checks else (lambda: None)
    try:
        page.goto(link)
        expect(page.get_by_role("heading", name=re.compile("^Votre avis sur l'atelier 1"))).to_be_visible()
        check()
        page.get_by_role("button", name="Commencer").click()
        for number in (1, 2):
            expect(page.get_by_text(f"Thème {number} sur 2")).to_be_visible()
            if number == 1:
                check()
            statements = page.locator("fieldset.statement")
            for index in range(statements.count()):
                statements.nth(index).get_by_label(value, exact=True).check()
            page.get_by_role("button", name=re.compile("Suivant|Relire et envoyer")).click()
        expect(page.get_by_role("heading", name="Relire et envoyer")).to_be_visible()
        check()
        page.get_by_role("button", name="Envoyer mes réponses").click()
        expect(page.get_by_role("heading", name="Merci, vos réponses sont envoyées")).to_be_visible()
        check()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_cohort_from_its_template_to_the_six_month_review(
    page, browser, browser_context_args, live_server, settings
):
    settings.SITE_URL = live_server.url
    settings.ANONYMITY_THRESHOLD = K
    load_definitions()
    load_programmes()
    network, fiona, device, people, breton = set_up_network()
    check_a11y = A11yChecker(page)
    contexts = []

    def phone_of(slug):
        """The organisation's lead, logged in on a phone."""
        context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
        contexts.append(context)
        lead_page = context.new_page()
        log_in(lead_page, people[slug][0].user.email)
        expect(lead_page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
        return lead_page, A11yChecker(lead_page)

    try:
        # 1. The facilitator logs in with her app's code, creates the cohort, opens applications.
        log_in(page, "fiona@example.org", device)
        check_a11y()
        enter_app_code(page, device)
        page.goto("/r/ess-na/cohortes/")
        expect(page.get_by_role("heading", name="Parcours et cohortes")).to_be_visible()
        check_a11y()
        page.get_by_role("link", name=f"Créer une cohorte de « {TEMPLATE} »").click()
        expect(page.get_by_label(TEMPLATE)).to_be_checked()
        check_a11y()
        page.get_by_label("Nom de la cohorte").fill(COHORT)
        page.get_by_label("Nombre de structures accueillies").fill("6")
        page.get_by_label("Lieu habituel des ateliers").fill("Angoulême, Maison des associations")
        page.get_by_label("Fin des candidatures").fill((today() + timedelta(days=30)).isoformat())
        page.get_by_role("button", name="Créer la cohorte").click()
        success(page, "La cohorte est créée")
        expect(page.get_by_role("link", name="Atelier 4 : Bilan et perspectives")).to_be_visible()
        check_a11y()
        page.get_by_role("link", name="Paramètres").click()
        check_a11y()
        page.get_by_label("État").select_option(label="Candidatures ouvertes")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        success(page, "La cohorte est enregistrée.")
        page.get_by_role("link", name="Paramètres").click()
        code = page.locator("p.stat").inner_text().strip()  # given to the invited organisations
        cohort = Cohort.objects.get(name=COHORT)
        assert cohort.state == Cohort.State.RECRUITING and list(cohort.facilitators.all()) == [fiona]
        assert code == cohort.join_code

        # 2. Two organisations apply, two join with the code, a fifth applies too.
        phones = {slug: phone_of(slug) for slug in NAMES}
        for n, slug in enumerate(["cocagne", "atlantique"]):
            apply(*phones[slug], slug, people[slug], checks=n == 0)
        for n, slug in enumerate(["val", "ricochet"]):
            join_with_code(*phones[slug], slug, people[slug], code, checks=n == 0)
        horizon, horizon_check = phones["horizon"]
        apply(horizon, horizon_check, "horizon", people["horizon"], checks=False)
        # It may not even apply to the Bretagne programme, and is told why, in French.
        horizon.goto(f"/s/horizon/parcours/candidature/{breton.pk}/")
        reasons = horizon.get_by_role("region", name="Votre structure ne peut pas encore candidater")
        expect(reasons).to_contain_text(
            "Ce parcours s'adresse aux structures de moins de 50 salarié·es ; votre profil en indique 320."
        )
        expect(reasons).to_contain_text(
            "Ce parcours est proposé aux structures de la région Bretagne ; "
            "votre profil indique Nouvelle-Aquitaine."
        )
        expect(reasons).to_contain_text("Ce parcours est réservé aux structures qui relèvent de l'OPCO")
        expect(reasons.get_by_role("link", name="autres appels à candidatures")).to_be_visible()
        horizon_check()

        # 3. The facilitator accepts the two applications and declines the fifth, with its reason.
        decide(page, check_a11y, "cocagne")
        decide(page, check_a11y, "atlantique", checks=False)
        decide(page, check_a11y, "horizon", reason=DECLINE_REASON)
        horizon.goto("/s/horizon/parcours/")
        expect(horizon.get_by_text("Candidature non retenue")).to_be_visible()
        expect(horizon.get_by_text(DECLINE_REASON)).to_be_visible()
        horizon_check()
        assert dict(Enrolment.objects.filter(cohort=cohort).values_list("organisation__slug", "state")) == {
            **dict.fromkeys(ENROLLED, "accepted"),
            "horizon": "declined",
        }
        open_cohort(page)
        enrolled = page.get_by_role("table", name="Structures inscrites, participant·es et travaux rendus")
        expect(enrolled.locator("tbody tr")).to_have_count(4)
        expect(page.get_by_text("2 places restantes sur 6")).to_be_visible()
        check_a11y()

        # 4. Workshop 1 gets its date: each of the eight participants gets a calendar invitation.
        mail.outbox.clear()
        open_workshop(page, 1)
        check_a11y()
        first_day = today() + timedelta(days=14)
        page.get_by_label("Travail d'intersession à rendre le").fill(
            (first_day + timedelta(days=21)).isoformat()
        )
        fix_exact_date(page, first_day, "09:30")
        assert len([m for m in mail.outbox if "invitation.ics" in str(m.message())]) == 8
        check_a11y()

        # 5. Workshop 2: the week is fixed, the participants say which days suit them.
        open_workshop(page, 2)
        week = today() + timedelta(days=35)
        week -= timedelta(days=week.weekday())
        page.get_by_label("Semaine fixée, jour à choisir ensemble").check()
        page.get_by_label("Semaine du (un jour de la semaine)").fill(week.isoformat())
        page.get_by_label("Les participant·es répondent jusqu'au").fill(
            (today() + timedelta(days=10)).isoformat()
        )
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        success(page, "L'atelier est enregistré")
        tuesday, thursday = week + timedelta(days=1), week + timedelta(days=3)
        for n, (slug, days) in enumerate(
            [("cocagne", [tuesday, thursday]), ("val", [thursday]), ("ricochet", [tuesday, thursday])]
        ):
            lead_page, check = phones[slug]
            lead_page.goto(f"/s/{slug}/parcours/{cohort.pk}/")
            poll = lead_page.locator("#atelier-2")
            for day in days:
                poll.get_by_label(french_day(day)).check()
            if n == 0:
                check()
            poll.get_by_role("button", name="Enregistrer mes disponibilités").click()
            success(lead_page, "Vos disponibilités sont enregistrées.")
        page.reload()
        tally = page.get_by_role("table", name="Participant·es disponibles, par jour")
        for day, count in [(thursday, 3), (tuesday, 2)]:
            # The day as the participants read it, or (today) in ISO form.
            day_name = f"({day.isoformat()}|{french_day(day)})"
            expect(tally.get_by_role("row", name=re.compile(f"^{day_name} {count}$", re.I))).to_be_visible()
        check_a11y()
        fix_exact_date(page, thursday, "14:00")
        second = cohort.workshops.get(number=2)
        assert timezone.localtime(second.starts_at).date() == thursday and second.week_of is None
        lead_page, check = phones["cocagne"]
        lead_page.goto(f"/s/cocagne/parcours/{cohort.pk}/")
        expect(lead_page.locator("#atelier-1")).to_contain_text(french_day(first_day))
        expect(lead_page.locator("#atelier-2")).to_contain_text(french_day(thursday))
        expect(lead_page.get_by_role("link", name="Ajouter à mon agenda l'atelier 2")).to_be_visible()
        check()

        # 6. Workshop 1 takes place; attendance: six present (one remotely), one excused, one absent.
        Workshop.objects.filter(cohort=cohort, number=1).update(starts_at=timezone.now() - timedelta(hours=4))
        mail.outbox.clear()
        open_workshop(page, 1)
        statuses = {
            "Karim Benali": "Présent·e à distance",
            "Hugo Lefèvre": "Absent·e",
            "Inès Garnier": "Excusé·e",
        }
        present = []
        for slug in ENROLLED:
            for membership in people[slug]:
                status = statuses.get(membership.user.name, "Présent·e sur place")
                page.get_by_label(f"{membership.user.name}, présence").select_option(label=status)
                if status.startswith("Présent"):
                    present.append(membership.user.email)
        check_a11y()
        page.get_by_role("button", name="Enregistrer les présences").click()
        success(page, "Les présences sont enregistrées.")
        success(page, "6 personnes présentes reçoivent le questionnaire de satisfaction anonyme.")
        check_a11y()

        # 7. The six answer the anonymous questionnaire on their phones, from the mailed link.
        links = {
            m.to[0]: re.search(r"http://\S+/i/\S+/", m.body).group(0) for m in mail.outbox if "/i/" in m.body
        }
        assert sorted(links) == sorted(present)
        for n, email in enumerate(present):
            value = "Tout à fait d'accord" if n % 2 == 0 else "Plutôt d'accord"
            answer_satisfaction(browser, links[email], value, checks=n == 0)
        satisfaction = cohort.workshops.get(number=1).satisfaction
        assert Response.objects.filter(campaign=satisfaction).count() == 6
        open_cohort(page)
        expect(
            page.get_by_role("row", name=re.compile("^Atelier 1 .*Questionnaire ouvert jusqu'au"))
        ).to_be_visible()
        # A week later it closes: the figures show, for the session, never per organisation.
        campaign_actions.close_campaign(satisfaction, by=fiona)
        page.reload()
        expect(
            page.get_by_role("row", name=re.compile(r"^Atelier 1 .*6.*Atelier : \d,\d \/ 5"))
        ).to_be_visible()
        expect(page.get_by_text("Sur l'ensemble des ateliers affichés (6 réponses)")).to_be_visible()
        check_a11y()

        # 8. Intersession work, handed in with a PDF copy, commented by the facilitator.
        lead_page, check = phones["cocagne"]
        lead_page.goto(f"/s/cocagne/parcours/{cohort.pk}/")
        work = lead_page.locator("#atelier-1")
        work.get_by_label("Ce que nous avons fait").fill(WORK)
        work.get_by_label(re.compile("Joindre une copie")).set_input_files(
            files=[{"name": "pistes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
        )
        work.get_by_role("button", name="Rendre notre travail de l'atelier 1").click()
        success(lead_page, "Votre travail est transmis à l'équipe d'animation.")
        expect(lead_page.locator("#atelier-1").get_by_role("link", name="pistes.pdf")).to_be_visible()
        check()
        open_cohort(page)
        expect(
            enrolled.get_by_role("row", name=re.compile(f"^{NAMES['cocagne']}.*atelier 1"))
        ).to_be_visible()
        page.get_by_role("link", name=NAMES["cocagne"]).click()
        expect(page.get_by_text(WORK.splitlines()[0])).to_be_visible()
        expect(page.get_by_role("link", name="pistes.pdf")).to_be_visible()
        page.get_by_label("Votre commentaire").fill(COMMENT)
        page.get_by_role("button", name="Commenter").click()
        success(page, "La note est enregistrée.")
        check_a11y()
        lead_page.goto(f"/s/cocagne/parcours/{cohort.pk}/")
        expect(lead_page.get_by_text("Commentaire de Fiona Garcia")).to_be_visible()
        expect(lead_page.get_by_text(COMMENT)).to_be_visible()

        # 9. After workshop 2, questions for the expert, which the facilitator makes a FAQ.
        for slug, question in QUESTIONS.items():
            lead_page, check = phones[slug]
            lead_page.goto(f"/s/{slug}/parcours/{cohort.pk}/")
            ask = lead_page.locator("#atelier-2")
            ask.get_by_label("Votre question pour l'expert·e").fill(question)
            ask.get_by_role("button", name="Envoyer ma question").click()
            success(lead_page, "Votre question est transmise à l'équipe d'animation, et à elle seule.")
        open_cohort(page)
        expect(page.get_by_text("2 questions reçues, dont 2 pas encore dans la FAQ.")).to_be_visible()
        page.get_by_role("link", name="Questions et FAQ").click()
        check_a11y()
        page.get_by_label("Question reformulée").fill(FAQ_QUESTION)
        page.get_by_label("Réponse de l'expert·e").fill(FAQ_ANSWER)
        for question in QUESTIONS.values():
            page.get_by_label(question).check()
        page.get_by_role("button", name="Ajouter à la FAQ").click()
        success(page, "La question est ajoutée à la foire aux questions.")
        page.get_by_role("button", name="Publier les réponses").click()
        success(page, "Les questions qui ont une réponse sont publiées.")
        expect(page.get_by_text("Aucune question en attente.")).to_be_visible()
        check_a11y()
        assert FaqEntry.objects.get(cohort=cohort).questions.count() == 2
        lead_page, check = phones["val"]
        lead_page.goto(f"/s/val/parcours/{cohort.pk}/")
        faq = lead_page.locator("section", has=lead_page.get_by_role("heading", name="Foire aux questions"))
        expect(faq.get_by_role("heading", name=FAQ_QUESTION)).to_be_visible()
        expect(faq).not_to_contain_text(QUESTIONS["cocagne"])  # reworded, naming nobody
        check()

        # 10. Six months later: Cocagne shares its diagnostic and its follow-up with the cohort,
        # from each campaign's page; Atlantique and Val did the same.
        pairs = six_months_of_diagnostics(people)
        lead_page, check = phones["cocagne"]
        for campaign in pairs["cocagne"]:
            lead_page.goto(campaign.get_absolute_url())
            expect(lead_page.get_by_text("Ces résultats restent dans l'équipe")).to_be_visible()
            lead_page.get_by_role(
                "link", name="Partager les résultats avec un·e accompagnateur·rice…"
            ).click()
            expect(lead_page.get_by_text("Jamais les réponses écrites")).to_be_visible()
            if campaign.follows_id is None:
                check()
            lead_page.get_by_label(f"Les accompagnateur·rices de la cohorte « {COHORT} »").check()
            lead_page.get_by_role("button", name="Partager les résultats").click()
            success(lead_page, "Les résultats sont partagés.")
            expect(lead_page.locator("#partage")).to_contain_text(f"les accompagnateur·rices de « {COHORT} »")
        check()
        lead_page.get_by_role("link", name="Tout ce que nous partageons").click()
        expect(lead_page.get_by_role("heading", name="Ce que nous partageons")).to_be_visible()
        expect(lead_page.get_by_role("table", name="Résultats partagés").locator("tbody tr")).to_have_count(2)
        expect(lead_page.get_by_text(f"{COHORT} ({network.name}) : inscrite")).to_be_visible()
        check()
        for slug in ["atlantique", "val"]:
            for campaign in pairs[slug]:
                share_results(campaign, network=network, cohort=cohort, by=people[slug][0].user)
        assert ResultShare.objects.filter(cohort=cohort).count() == 6

        # The facilitator reads what was shared, notes one outcome, and opens the review.
        open_cohort(page)
        page.get_by_role("link", name="Résultats partagés").click()
        expect(page.get_by_role("table", name="Diagnostics partagés").locator("tbody tr")).to_have_count(6)
        check_a11y()
        open_cohort(page)
        page.get_by_role("link", name=NAMES["cocagne"]).click()
        page.get_by_label("Bilan").select_option(label="A engagé une démarche QVT durable")
        page.get_by_label("Pourquoi").fill(
            "Une charte adoptée en CSE et un point d'équipe tenu chaque semaine."
        )
        page.get_by_role("button", name="Enregistrer le bilan").click()
        success(page, "Le bilan est noté.")
        open_cohort(page)
        page.get_by_role("link", name="Voir le bilan").click()
        expect(page.get_by_role("heading", name="Six mois après : ce qui a bougé")).to_be_visible()
        average = page.get_by_role("table", name="Score moyen par thème, avant et après (0 à 5)")
        expect(average.locator("tbody tr")).to_have_count(8)  # the eight themes, over 3 structures
        expect(
            average.get_by_role("row", name=re.compile("^Repérer les activités télétravaillables"))
        ).to_contain_text("+")
        for slug in ["cocagne", "atlantique", "val"]:
            expect(page.get_by_role("heading", name=NAMES[slug], level=3)).to_be_visible()
        expect(
            page.get_by_text(f"partagé un diagnostic et son point de suivi avec vous : {NAMES['ricochet']}")
        ).to_be_visible()
        expect(page.get_by_text("1 bilan noté sur 4 structures")).to_be_visible()
        check_a11y()
    finally:
        for context in contexts:
            context.close()

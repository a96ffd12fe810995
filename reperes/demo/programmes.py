"""The demo's programmes, built through the actions the facilitators' and the organisations'
pages call: a cohort of « Pour un télétravail de qualité » in Charente, three workshops held
(attendance, satisfaction, work handed in, questions for the expert and their FAQ) and the
fourth to come, and a call for applications for the Bretagne programme.

The dates follow today's: the actions record what happens now, then `backdate` moves each row
to the day it would have happened on (« what no user can do », as in seed_demo)."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reperes.campaigns import actions as campaign_actions
from reperes.organisations.models import Membership, Organisation
from reperes.programmes import actions
from reperes.programmes.models import (
    Attendance,
    Cohort,
    DateChoice,
    FaqEntry,
    NetworkEvent,
    Programme,
    Registration,
    Workshop,
)
from reperes.sharing.actions import share_results

PARIS = ZoneInfo("Europe/Paris")
TUESDAY, THURSDAY = 1, 3

TELEWORK_COHORT = "Charente — automne 2026"
BRETAGNE_COHORT = "Bretagne — printemps 2027"
ANGOULEME = "Maison de l'ESS, Angoulême"

ONSITE, REMOTE, EXCUSED = Attendance.Status.ONSITE, Attendance.Status.REMOTE, Attendance.Status.EXCUSED

# Who was there, workshop by workshop: mostly in the room, a few by video, one excused.
ATTENDANCE = {
    1: {"marc": REMOTE},
    2: {"carol": EXCUSED, "dave": REMOTE},
    3: {"ines": REMOTE},
}
# How many of those present answered the satisfaction questionnaire: at least k (5) each time,
# so that the facilitators see every session's figures.
SATISFACTION_ANSWERS = {1: 6, 2: 6, 3: 6}

# Questions sent to the expert before workshop 3, by whom, and the FAQ entry that answers each.
QUESTIONS = [
    ("alice", "Peut-on fixer le même jour de télétravail pour toute l'équipe ?", 1),
    ("carol", "Le CSE doit-il être consulté avant d'adopter une charte de télétravail ?", 1),
    ("dave", "Faut-il un avenant au contrat pour télétravailler un jour par semaine ?", 1),
    ("lucie", "L'employeur doit-il rembourser une partie de l'abonnement internet ?", 2),
    ("julien", "Une indemnité de télétravail est-elle obligatoire ? De combien ?", 2),
    ("ines", "Qui paie si l'ordinateur de la structure est volé chez moi ?", 2),
    ("marc", "Une chute à la maison pendant une journée de télétravail, est-ce un accident du travail ?", 3),
]

FAQ = [
    (
        "Comment mettre en place le télétravail : accord, charte ou avenant ? Et avec le CSE ?",
        "Le télétravail se met en place par un accord collectif ou, à défaut, par une charte de "
        "l'employeur, après avis du CSE s'il existe (article L. 1222-9 du code du travail). Sans "
        "accord ni charte, l'employeur et la personne salariée peuvent en convenir par tout moyen, "
        "un échange de mails suffit : pas besoin d'avenant. La charte peut prévoir des jours "
        "collectifs fixes, à condition de le dire et de l'expliquer à l'équipe.",
    ),
    (
        "Frais et équipement : que doit prendre en charge l'employeur ?",
        "Les frais engagés pour le travail restent à la charge de l'employeur. Le plus simple est "
        "une allocation forfaitaire par jour de télétravail, exonérée de cotisations dans la limite "
        "fixée chaque année par l'Urssaf, ou le remboursement sur justificatifs. Le matériel prêté "
        "reste celui de la structure : la charte dit qui l'assure et quoi faire en cas de vol.",
    ),
    (
        "Un accident chez soi pendant le télétravail est-il un accident du travail ?",
        "Oui, s'il survient pendant les heures de télétravail et dans l'exercice de l'activité "
        "professionnelle : il est présumé accident du travail, comme dans les locaux. Il se déclare "
        "de la même façon. Écrire les plages horaires dans la charte évite bien des discussions.",
    ),
]


def seed_programmes(network, users):
    """Both cohorts, once: a cohort found by its name is left as it is."""
    today = timezone.localdate()
    if not network.cohorts.filter(name=TELEWORK_COHORT).exists():
        cohort = telework_cohort(network, users, today)
        # The association shows its facilitators where its team stands on telework.
        association = Organisation.objects.get(slug="jardins-du-lien")
        readiness = association.campaigns.get(
            questionnaire_version__questionnaire__slug="teletravail-preparation", closed_on__isnull=False
        )
        share = share_results(readiness, network=network, cohort=cohort, by=users["alice"])
        backdate(share, created_at=at(readiness.closed_on + timedelta(days=2), 18))
    if not network.cohorts.filter(name=BRETAGNE_COHORT).exists():
        bretagne_call(network, users, today)
    if not network.network_events.exists():
        network_events(network, users, today)


def network_events(network, users, today):
    """A launch webinar held in the spring (live attendance and replays counted) and a regional
    conference in four sessions to come, open for registration."""
    fiona = users["fiona"]
    launch = actions.create_event(
        network,
        by=fiona,
        sessions=[(at(today - timedelta(days=150), 11), 60, "")],
        kind="webinar",
        title="Lancement : le parcours « Pour un télétravail de qualité »",
        description="Une heure pour découvrir le parcours, ses quatre ateliers et comment candidater.",
        region="75",
        format="remote",
        remote_link="https://visio.example.org/lancement-teletravail",
        replay_link="https://video.example.org/replay-lancement-teletravail",
        registrations_open=False,
    )
    # Registered before it took place (registering is closed once an event is past).
    for name, slug in [
        ("julien", "paniers-de-la-touvre"),
        ("lucie", "entraide-d-oc"),
        ("alice", "jardins-du-lien"),
    ]:
        Registration.objects.create(
            event=launch, user=users[name], organisation=Organisation.objects.get(slug=slug)
        )
    session = launch.sessions.get()
    actions.record_reach(launch, live_attendance={session: 46}, host_views=212, by=fiona)
    NetworkEvent.objects.filter(pk=launch.pk).update(replay_clicks=31)
    first = on_or_after(today + timedelta(days=40), 1)
    actions.create_event(
        network,
        by=fiona,
        sessions=[(at(first + timedelta(weeks=3 * n), 14), 150, title) for n, title in enumerate(CONFERENCE)],
        kind="conference",
        title="Conférence sociale régionale de l'ESS",
        description="Employeurs et salarié·es de l'ESS de la région : quatre tables rondes pour formuler "
        "ensemble des propositions sur l'emploi, la formation et le dialogue social.",
        region="75",
        format="hybrid",
        location="Maison de l'ESS, Angoulême",
        remote_link="https://visio.example.org/conference-sociale",
    )


CONFERENCE = [
    "Attirer et fidéliser dans nos métiers",
    "La formation, levier de parcours professionnels",
    "Un dialogue social de qualité",
    "Accompagner employeurs et représentant·es",
]


def telework_cohort(network, users, today):
    fiona = users["fiona"]
    days = {
        1: on_or_before(today - timedelta(days=122), TUESDAY),
        2: on_or_before(today - timedelta(days=91), THURSDAY),
        3: on_or_before(today - timedelta(days=42), TUESDAY),
        4: on_or_after(today + timedelta(days=21), TUESDAY),
    }
    cohort = actions.create_cohort(
        network,
        programme=Programme.objects.get(slug="teletravail-de-qualite"),
        name=TELEWORK_COHORT,
        places=8,
        location=ANGOULEME,
        by=fiona,
    )
    actions.update_cohort(
        cohort,
        by=fiona,
        partners="Agence régionale pour l'amélioration des conditions de travail, "
        "Chambre régionale de l'ESS Nouvelle-Aquitaine",
        funders="Région Nouvelle-Aquitaine, Uniformation (Opco Cohésion sociale)",
    )
    for name, organisation_name, role in [
        (
            "Claire Dufour",
            "Union des employeurs de l'ESS, délégation Nouvelle-Aquitaine",
            "déléguée régionale",
        ),
        ("Bernard Lacombe", "Conseil de prud'hommes d'Angoulême", "conseiller prud'homal"),
        ("Nadia Ferrand", "Organisme de protection sociale de l'ESS", "experte outils RH"),
    ]:
        actions.add_speaker(cohort, name=name, organisation_name=organisation_name, role=role, by=fiona)
    workshops = {workshop.number: workshop for workshop in cohort.workshops.all()}
    # The call for applications gives the first date; the others are known by the month.
    actions.schedule_workshop(
        workshops[1], precision=Workshop.Precision.EXACT, starts_at=at(days[1]), location=ANGOULEME, by=fiona
    )
    for number in (2, 3, 4):
        actions.schedule_workshop(
            workshops[number],
            precision=Workshop.Precision.MONTH,
            month=days[number],
            location=ANGOULEME,
            by=fiona,
        )
    actions.set_state(cohort, state=Cohort.State.RECRUITING, by=fiona)

    # Two organisations applied and were accepted; two were invited and joined with the code.
    enrolments = {}
    for slug, motivation, names, applied in [
        (
            "jardins-du-lien",
            "Nous avons télétravaillé dans l'urgence pour l'administratif et l'accompagnement. Nous "
            "voulons en faire une organisation pensée, avec notre représentante du personnel.",
            ["alice", "carol"],
            days[1] - timedelta(days=40),
        ),
        (
            "entraide-d-oc",
            "Plus de la moitié de nos salarié·es télétravaillent depuis 2020 ; notre accord arrive "
            "à échéance et nous voulons le renégocier en profitant de l'expérience d'autres "
            "employeurs de l'ESS.",
            ["lucie", "marc"],
            days[1] - timedelta(days=33),
        ),
    ]:
        organisation = Organisation.objects.get(slug=slug)
        enrolment = actions.apply(
            cohort,
            organisation,
            motivation=motivation,
            management_commitment=True,
            participants=participants(organisation, names, users),
            by=users[names[0]],
        )
        actions.accept(enrolment, by=fiona)
        backdate(enrolment, applied_at=at(applied, 17), decided_at=at(applied + timedelta(days=4), 11))
        enrolments[slug] = enrolment
    for slug, names, joined in [
        ("bois-et-compagnie", ["dave"], days[1] - timedelta(days=25)),
        ("paniers-de-la-touvre", ["julien", "ines"], days[1] - timedelta(days=18)),
    ]:
        organisation = Organisation.objects.get(slug=slug)
        enrolment = actions.join_with_code(
            organisation,
            code=cohort.join_code,
            participants=participants(organisation, names, users),
            by=users[names[0]],
        )
        backdate(enrolment, applied_at=at(joined, 10), decided_at=at(joined, 10))
        enrolments[slug] = enrolment
    actions.update_cohort(cohort, by=fiona, applications_close_on=days[1] - timedelta(days=14))
    actions.set_state(cohort, state=Cohort.State.RUNNING, by=fiona)
    people = {
        participant.user.email.split("@")[0]: participant
        for enrolment in enrolments.values()
        for participant in enrolment.participants.select_related("membership__user")
    }

    # Workshop 1, then the work it asks for: two organisations in time, one late.
    hold(workshops[1], people, fiona)
    handed_in = {}
    for slug, by, text, files, day in [
        (
            "jardins-du-lien",
            "alice",
            "1. Un jour fixe de télétravail pour l'administratif, le mardi.\n"
            "2. Un point d'équipe le lundi matin, sur place, pour garder le lien avec l'encadrement.\n"
            "3. Des règles simples pour la messagerie, écrites avec l'équipe.",
            [
                pdf_upload(
                    "pistes-jardins-du-lien.pdf",
                    ["Nos pistes d'amélioration", "", "Les Jardins du Lien, après l'atelier 1"],
                )
            ],
            days[1] + timedelta(days=12),
        ),
        (
            "paniers-de-la-touvre",
            "julien",
            "Garder une réunion hebdomadaire en présence pour tout le monde ; équiper les deux "
            "postes de préparation des commandes pour les jours à distance ; former l'équipe à "
            "l'agenda partagé.",
            [],
            days[1] + timedelta(days=19),
        ),
    ]:
        handed_in[slug] = actions.hand_in(
            enrolments[slug], workshop=workshops[1], text=text, files=files, by=users[by]
        )
        backdate(handed_in[slug], handed_in_at=at(day, 16))
    # The actions judge lateness today: the deadline is written down after the two in time,
    # before the late one.
    actions.schedule_workshop(
        workshops[1],
        precision=Workshop.Precision.EXACT,
        starts_at=at(days[1]),
        location=ANGOULEME,
        task_due_on=days[1] + timedelta(days=21),
        by=fiona,
    )
    handed_in["entraide-d-oc"] = actions.hand_in(
        enrolments["entraide-d-oc"],
        workshop=workshops[1],
        text="Trois pistes : revoir les plages de joignabilité, former les managers à l'encadrement "
        "à distance, associer le CSE au bilan de l'accord actuel.",
        files=[],
        by=users["lucie"],
    )
    backdate(handed_in["entraide-d-oc"], handed_in_at=at(days[1] + timedelta(days=25), 9))
    comment = actions.add_note(
        enrolments["jardins-du-lien"],
        assignment=handed_in["jardins-du-lien"],
        text="Trois pistes claires et à votre mesure. Pour la deuxième, pensez à qui anime le point "
        "du lundi quand la coordinatrice est en télétravail : on en parlera à l'atelier 2.",
        by=fiona,
    )
    backdate(comment, created_at=at(days[1] + timedelta(days=14), 10))

    # Workshop 2: a week first, the participants say which days suit them, then the date.
    week_of = days[2] - timedelta(days=days[2].weekday())
    actions.schedule_workshop(
        workshops[2], precision=Workshop.Precision.WEEK, week_of=week_of, location=ANGOULEME, by=fiona
    )
    monday, tuesday, _, thursday, friday = workshops[2].poll_days()
    for key, suits in [
        ("alice", [tuesday, thursday]),
        ("lucie", [thursday, friday]),
        ("julien", [monday, thursday]),
        ("dave", [tuesday, thursday]),
        ("marc", [thursday]),
    ]:
        actions.answer_date_poll(workshops[2], participant=people[key], days=suits)
    DateChoice.objects.filter(workshop=workshops[2]).update(answered_at=at(week_of - timedelta(days=20), 12))
    actions.schedule_workshop(
        workshops[2], precision=Workshop.Precision.EXACT, starts_at=at(days[2]), location=ANGOULEME, by=fiona
    )
    hold(workshops[2], people, fiona)

    # Before workshop 3, questions for the expert; the answers make the FAQ.
    questions = {}
    for position, (key, text, entry) in enumerate(QUESTIONS):
        question = actions.ask_question(people[key].enrolment, text=text, by=users[key])
        backdate(question, asked_at=at(days[2] + timedelta(days=7 + 3 * position), 14))
        questions.setdefault(entry, []).append(question.pk)
    actions.schedule_workshop(
        workshops[3], precision=Workshop.Precision.EXACT, starts_at=at(days[3]), location=ANGOULEME, by=fiona
    )
    hold(workshops[3], people, fiona)
    for number, (question, answer) in enumerate(FAQ, start=1):
        actions.add_faq_entry(
            cohort, question=question, answer=answer, question_ids=questions[number], by=fiona
        )
    actions.publish_faq(cohort, for_network=True, by=fiona)
    FaqEntry.objects.filter(cohort=cohort).update(published_at=at(days[3] + timedelta(days=6), 15))

    # Workshop 4 is in three weeks: the review of what each organisation changed.
    actions.schedule_workshop(
        workshops[4],
        precision=Workshop.Precision.EXACT,
        starts_at=at(days[4]),
        location=ANGOULEME,
        task_due_on=days[4] - timedelta(days=7),
        by=fiona,
    )
    for slug, text, private, day in [
        (
            "bois-et-compagnie",
            "Entretien individuel avec David : les règles de déconnexion votées par l'équipe servent "
            "de base ; l'administratif testera un jour de télétravail par semaine avant l'atelier 4.",
            False,
            days[3] + timedelta(days=14),
        ),
        (
            "entraide-d-oc",
            "La direction hésite encore à rouvrir l'accord cette année. À reprendre avec Lucie avant "
            "l'atelier 4, sans le représentant du personnel dans un premier temps.",
            True,
            days[3] + timedelta(days=16),
        ),
    ]:
        note = actions.add_note(enrolments[slug], text=text, is_private=private, by=fiona)
        backdate(note, created_at=at(day, 17))
    backdate(cohort, created_at=at(days[1] - timedelta(days=60), 10))
    return cohort


def bretagne_call(network, users, today):
    """A cohort recruiting for a month, with one pair's application awaiting the decision."""
    fiona = users["fiona"]
    cohort = actions.create_cohort(
        network,
        programme=Programme.objects.get(slug="egalite-qvt-bretagne"),
        name=BRETAGNE_COHORT,
        places=10,
        location="Maison de l'ESS, Brest",
        applications_close_on=today + timedelta(days=30),
        by=fiona,
    )
    actions.update_cohort(
        cohort,
        by=fiona,
        partners="Chambre régionale de l'ESS de Bretagne, Agence régionale pour l'amélioration "
        "des conditions de travail",
        funders="Région Bretagne, Uniformation, Afdas, Opco Santé",
    )
    for workshop in cohort.workshops.all():
        actions.schedule_workshop(
            workshop,
            precision=Workshop.Precision.MONTH,
            month=month_ahead(today, workshop.number + 1),
            location=cohort.location,
            by=fiona,
        )
    actions.set_state(cohort, state=Cohort.State.RECRUITING, by=fiona)
    association = Organisation.objects.get(slug="ateliers-de-l-aber")
    enrolment = actions.apply(
        cohort,
        association,
        motivation="Notre équipe d'animation est presque entièrement féminine, l'équipe technique "
        "entièrement masculine : nous voulons regarder ensemble la mixité des métiers, l'égalité "
        "dans les parcours et l'organisation des temps de travail.",
        management_commitment=True,
        participants=[
            (membership(association, users["maelle"]), "manager"),
            (membership(association, users["yann"]), "employee"),
        ],
        by=users["maelle"],
    )
    backdate(enrolment, applied_at=at(today - timedelta(days=3), 18))
    backdate(cohort, created_at=at(today - timedelta(days=12), 10))
    return cohort


# Helpers


def participants(organisation, names, users):
    return [(membership(organisation, users[name]), "") for name in names]


def membership(organisation, user):
    return Membership.objects.get(organisation=organisation, user=user)


def hold(workshop, people, by):
    """The workshop took place: the attendance, which invites those present to the satisfaction
    questionnaire; some of them answer, mostly satisfied; it closes a week later."""
    statuses = {
        (participant, Attendance.Half.WHOLE): ATTENDANCE[workshop.number].get(key, ONSITE)
        for key, participant in people.items()
    }
    actions.record_attendance(workshop, statuses=statuses, by=by)
    workshop.attendances.update(recorded_at=workshop.ends_at)
    workshop.refresh_from_db()
    campaign = workshop.satisfaction
    rng = random.Random(workshop.number)
    for invitation in campaign.invitations.order_by("pk")[: SATISFACTION_ANSWERS[workshop.number]]:
        draft, _ = campaign_actions.start_invitation_draft(invitation)
        answers = {
            item_id: rng.choices(["tout-a-fait", "plutot-oui", "plutot-non"], weights=[6, 3, 1])[0]
            for item_id in campaign.spec.item_ids
        }
        campaign_actions.save_answers(draft, answers)
        campaign_actions.submit(draft)
    campaign_actions.close_campaign(campaign, by=by)
    held_on = timezone.localdate(workshop.starts_at)
    closed_on = held_on + timedelta(days=actions.SATISFACTION_DAYS)
    backdate(
        campaign, opened_on=held_on, opened_at=workshop.ends_at, closes_on=closed_on, closed_on=closed_on
    )
    campaign.responses.update(submitted_on=closed_on)


def backdate(instance, **dates):
    """Move a row to the moment it would have been made. Through update(), so that the fields
    Django dates itself (auto_now, auto_now_add) keep the date given."""
    type(instance).objects.filter(pk=instance.pk).update(**dates)


def at(day, hour=None):
    """9:30 in Paris, the workshops' hour, or the given hour."""
    return datetime.combine(day, time(9, 30) if hour is None else time(hour), tzinfo=PARIS)


def on_or_before(day, weekday):
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def month_ahead(day, months):
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def pdf_upload(name, lines):
    """A document as the hand-in form receives it."""
    return SimpleUploadedFile(name, one_page_pdf(lines), content_type="application/pdf")


def one_page_pdf(lines):
    """A one-page PDF of a few lines in Helvetica, written out by hand: no PDF library for so
    little. Lines must not hold parentheses or backslashes (PDF string delimiters)."""
    shown = "".join(f"({line}) '\n" for line in lines)
    stream = f"BT /F1 12 Tf 72 770 Td 18 TL\n{shown}ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)

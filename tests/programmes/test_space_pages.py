"""The organisation's side of a programme (issue 12): the calls for applications, applying,
joining with a code, the cohort as its participants see it, the published FAQ, and the mails
that organisations and facilitators receive."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reperes.organisations.models import Membership
from reperes.programmes import actions
from reperes.programmes.calendar import PARIS
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Cohort, Enrolment, FaqEntry, Programme, Workshop
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

SEPT_14 = datetime(2027, 9, 14, 9, 30, tzinfo=PARIS)  # a Tuesday


@pytest.fixture
def programmes(db):
    load_programmes()
    return {programme.slug: programme for programme in Programme.objects.all()}


def open_cohort(network, fiona, programme, name="Charente, automne 2027"):
    cohort = actions.create_cohort(
        network, programme=programme, name=name, places=8, by=fiona, location="Maison de l'ESS, Angoulême"
    )
    actions.set_state(cohort, state=Cohort.State.RECRUITING, by=fiona)
    return cohort


@pytest.fixture
def telework(network, fiona, programmes):
    return open_cohort(network, fiona, programmes["teletravail-de-qualite"])


@pytest.fixture
def enrolled(telework, org_a, alice, fiona):
    """Organisation A in the telework cohort, alice as its participant, and a cohort whose
    workshops are dated as precisely as the seeds say: a date, a week, a month."""
    membership = Membership.objects.get(user=alice, organisation=org_a)
    enrolment = actions.join_with_code(
        org_a, code=telework.join_code, participants=[(membership, "")], by=alice
    )
    workshops = {w.number: w for w in telework.workshops.all()}
    actions.schedule_workshop(
        workshops[1],
        precision=Workshop.Precision.EXACT,
        starts_at=SEPT_14,
        location="Salle Jean Moulin, Angoulême",
        remote_link="https://visio.example.org/" + "atelier-un-" * 12,
        task_due_on=date(2027, 9, 28),
        by=fiona,
    )
    actions.schedule_workshop(
        workshops[2], precision=Workshop.Precision.WEEK, week_of=date(2027, 10, 18), by=fiona
    )
    actions.schedule_workshop(
        workshops[3], precision=Workshop.Precision.MONTH, month=date(2027, 12, 1), by=fiona
    )
    return enrolment


def get(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return page_text(response)


# the list of programmes


def test_a_lead_sees_the_open_calls_and_the_code_form(client, alice, org_a, telework):
    text = get(client, alice, "programmes:space_list", org_a.slug)
    assert "<h1>Parcours d'accompagnement</h1>" in text
    assert "Pour un télétravail de qualité" in text
    assert "4 ateliers, 12 h en tout" in text
    assert "8 sur 8" in text
    assert "Voir et candidater" in text
    assert reverse("programmes:apply", args=[org_a.slug, telework.pk]) in text
    assert "Vous avez reçu un code ?" in text
    assert 'name="code"' in text and 'name="person_0"' in text
    assert "Ce que nous partageons" in text


def test_a_member_reads_the_calls_but_a_referent_applies(client, bob, org_a, telework):
    text = get(client, bob, "programmes:space_list", org_a.slug)
    assert "Pour un télétravail de qualité" in text
    assert "Voir et candidater" not in text
    assert "un·e référent·e" in text
    assert "Vous avez reçu un code ?" not in text


def test_a_declined_application_shows_its_reason(client, alice, carol, org_a, telework, fiona):
    membership = Membership.objects.get(user=alice, organisation=org_a)
    enrolment = actions.apply(
        telework,
        org_a,
        motivation="Nous voulons avancer.",
        management_commitment=True,
        participants=[(membership, "")],
        by=alice,
    )
    actions.decline(enrolment, reason="La cohorte accueille d'abord les structures de Charente.", by=fiona)
    text = get(client, alice, "programmes:space_list", org_a.slug)
    assert "Candidature non retenue" in text
    assert "La cohorte accueille d'abord les structures de Charente." in text


def test_an_accepted_enrolment_links_to_its_cohort(client, alice, org_a, enrolled):
    text = get(client, alice, "programmes:space_list", org_a.slug)
    assert reverse("programmes:space_cohort", args=[org_a.slug, enrolled.cohort_id]) in text
    assert "Inscrite" in text


# applying and joining


def test_the_apply_page_presents_the_programme(client, alice, org_a, telework):
    text = get(client, alice, "programmes:apply", org_a.slug, telework.pk)
    assert "<h1>Pour un télétravail de qualité</h1>" in text
    assert "Atelier 1 : Diagnostic partagé" in text
    assert "Nos pistes d'amélioration" in text
    assert "Le bilan" in text
    assert "Qui peut candidater" in text
    assert 'name="motivation"' in text
    assert "ne peut pas encore candidater" not in text


def test_the_apply_page_says_why_an_organisation_may_not_apply(
    client, alice, org_a, network, fiona, programmes
):
    cohort = open_cohort(network, fiona, programmes["egalite-qvt-bretagne"], name="Bretagne 2027")
    text = get(client, alice, "programmes:apply", org_a.slug, cohort.pk)
    assert "Votre structure ne peut pas encore candidater" in text
    assert "OPCO" in text
    assert reverse("organisations:settings", args=[org_a.slug]) in text
    assert "autres appels à candidatures" in text
    # The form stays, so that the action's refusal shows and nothing typed is lost.
    assert 'name="motivation"' in text


def test_an_application_refused_keeps_what_was_typed(client, alice, org_a, network, fiona, programmes):
    cohort = open_cohort(network, fiona, programmes["egalite-qvt-bretagne"], name="Bretagne 2027")
    membership = Membership.objects.get(user=alice, organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("programmes:apply", args=[org_a.slug, cohort.pk]),
        {
            "motivation": "Une équipe de douze personnes.",
            "management_commitment": "on",
            "person_0": membership.pk,
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Une équipe de douze personnes." in text
    assert 'role="alert"' in text


def test_an_application_reaches_the_facilitators(
    client, alice, org_a, telework, fiona, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=alice, organisation=org_a)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programmes:apply", args=[org_a.slug, telework.pk]),
            {"motivation": "Nous voulons avancer.", "management_commitment": "on", "person_0": membership.pk},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["fiona@example.org"]
    assert message.subject == "Nouvelle candidature à « Charente, automne 2027 » : Les Jardins du Lien"
    enrolment = Enrolment.objects.get(organisation=org_a)
    assert (
        f"http://testserver/r/{telework.network.slug}/cohortes/{telework.pk}/structures/{enrolment.pk}/"
        in message.body
    )


def test_a_wrong_code_shows_the_form_again(client, alice, org_a, telework):
    membership = Membership.objects.get(user=alice, organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("programmes:join", args=[org_a.slug]), {"code": "ZZZZ2222", "person_0": membership.pk}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "<h1>Rejoindre une cohorte avec un code</h1>" in text
    assert "Ce code ne correspond à aucune cohorte en cours" in text
    assert "Ce que nous partageons" in text


# the cohort's page


def test_a_participant_sees_the_workshops_as_dated(client, alice, org_a, enrolled):
    text = get(client, alice, "programmes:space_cohort", org_a.slug, enrolled.cohort_id)
    assert "<h1>Charente, automne 2027</h1>" in text
    assert "mardi 14 septembre 2027 à 9 h 30" in text
    assert "semaine du 18 octobre, jour à choisir ensemble" in text
    assert "décembre 2027" in text
    assert "Salle Jean Moulin, Angoulême" in text
    assert "https://visio.example.org/atelier-un-" in text
    assert reverse("programmes:workshop_ics", args=[org_a.slug, enrolled.cohort_id, 1]) in text
    # The week's poll, with the days by name
    assert reverse("programmes:poll", args=[org_a.slug, enrolled.cohort_id, 2]) in text
    assert "lundi 18 octobre" in text
    # The session's content and tools
    assert reverse("fiches:detail", args=["teletravail-circonstances-exceptionnelles"]) in text
    assert reverse("programmes:glossary") + "#teletravail" in text
    # Intersession: work to hand in after workshop 1, questions after workshop 2
    assert reverse("programmes:hand_in", args=[org_a.slug, enrolled.cohort_id, 1]) in text
    assert 'enctype="multipart/form-data"' in text
    assert "mardi 28 septembre 2027" in text
    assert reverse("programmes:ask", args=[org_a.slug, enrolled.cohort_id]) in text
    assert "pas même l'autre personne" in text or "ni même l'autre personne" in text
    # Participant's links
    assert "Mon attestation d'assiduité" in text
    assert reverse("programmes:my_certificate", args=[org_a.slug, enrolled.cohort_id]) in text
    participant = enrolled.participants.get()
    assert "http://testserver" + reverse("programmes:feed", args=[participant.feed_token]) in text
    assert "Fiona" in text


def test_a_member_named_participant_sees_the_workshops_but_not_the_pilots_notes(
    client, alice, bob, org_a, fiona, enrolled
):
    actions.set_participants(
        enrolled,
        participants=[(Membership.objects.get(user=alice), ""), (Membership.objects.get(user=bob), "")],
        by=alice,
    )
    actions.add_note(enrolled, text="Point d'étape : la direction est partante.", by=fiona)
    text = get(client, bob, "programmes:space_cohort", org_a.slug, enrolled.cohort_id)
    assert "mardi 14 septembre 2027 à 9 h 30" in text
    assert "Mon attestation d'assiduité" in text
    assert "Point d'étape" not in text
    assert reverse("programmes:participants", args=[org_a.slug, enrolled.cohort_id]) not in text
    text = get(client, bob, "programmes:space_list", org_a.slug)
    assert reverse("programmes:space_cohort", args=[org_a.slug, enrolled.cohort_id]) in text


def test_a_member_not_named_has_no_link_to_the_cohort(client, bob, org_a, enrolled):
    text = get(client, bob, "programmes:space_list", org_a.slug)
    assert "Charente, automne 2027" in text
    assert reverse("programmes:space_cohort", args=[org_a.slug, enrolled.cohort_id]) not in text


def test_handed_in_work_shows_with_its_files_comments_and_lateness(client, alice, org_a, fiona, enrolled):
    workshop = enrolled.cohort.workshops.get(number=1)
    Workshop.objects.filter(pk=workshop.pk).update(task_due_on=date(2026, 1, 5))
    workshop.refresh_from_db()
    upload = SimpleUploadedFile("plan-d-action.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assignment = actions.hand_in(
        enrolled, workshop=workshop, text="Deux pistes : un jour fixe, une charte.", files=[upload], by=alice
    )
    actions.add_note(enrolled, assignment=assignment, text="Belles pistes, à préciser.", by=fiona)
    actions.add_note(enrolled, assignment=assignment, text="Réservé à l'équipe.", is_private=True, by=fiona)
    actions.add_note(enrolled, text="Point d'étape : la direction est partante.", by=fiona)
    text = get(client, alice, "programmes:space_cohort", org_a.slug, enrolled.cohort_id)
    assert "Deux pistes : un jour fixe, une charte." in text
    assert "en retard" in text
    attached = assignment.files.get()
    assert reverse("programmes:own_file", args=[org_a.slug, enrolled.cohort_id, attached.pk]) in text
    assert "Belles pistes, à préciser." in text
    assert "Réservé à l'équipe." not in text
    assert "Point d'étape : la direction est partante." in text


def test_a_refused_hand_in_gives_the_text_back(client, alice, org_a, enrolled):
    client.force_login(alice)
    upload = SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")
    url = reverse("programmes:hand_in", args=[org_a.slug, enrolled.cohort_id, 1])
    response = client.post(url, {"text": "Notre texte à ne pas perdre.", "files": upload}, follow=True)
    text = page_text(response)
    assert "Votre texte est resté dans le formulaire." in text
    assert "Notre texte à ne pas perdre.</textarea>" in text


def test_a_published_faq_shows_on_the_cohort_and_to_the_network(
    client, alice, dave, org_a, org_b, fiona, enrolled
):
    cohort = enrolled.cohort
    actions.add_faq_entry(
        cohort,
        question="Peut-on imposer le télétravail ?",
        answer="Non, sauf circonstances exceptionnelles.",
        question_ids=[],
        by=fiona,
    )
    FaqEntry.objects.create(cohort=cohort, question="Question pas encore publiée", answer="")
    actions.publish_faq(cohort, for_network=True, by=fiona)
    text = get(client, alice, "programmes:space_cohort", org_a.slug, cohort.pk)
    assert "Peut-on imposer le télétravail ?" in text
    assert "Question pas encore publiée" not in text
    text = get(client, dave, "programmes:faq_public", org_b.slug, cohort.pk)
    assert "<h1>Foire aux questions</h1>" in text
    assert "Non, sauf circonstances exceptionnelles." in text
    assert "Question pas encore publiée" not in text


# mails


def test_the_decision_mails_reach_the_pilots(
    alice, carol, dave, org_a, org_b, telework, fiona, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=alice, organisation=org_a)
    enrolment = actions.apply(
        telework,
        org_a,
        motivation="Oui.",
        management_commitment=True,
        participants=[(membership, "")],
        by=alice,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept(enrolment, by=fiona)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "carol@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Votre candidature à « Charente, automne 2027 » est retenue"
    assert f"http://testserver/s/{org_a.slug}/parcours/{telework.pk}/" in message.body

    other = Enrolment.objects.create(cohort=telework, organisation=org_b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline(other, reason="La cohorte est réservée aux structures de Charente.", by=fiona)
    [message] = mail.outbox
    assert message.to == ["dave@example.org"]
    assert "La cohorte est réservée aux structures de Charente." in message.body
    assert all(m.subject == "Votre candidature à « Charente, automne 2027 »" for m in mail.outbox)


def test_a_dated_workshop_mail_gives_the_paris_time_and_the_invitation(
    alice, fiona, enrolled, django_capture_on_commit_callbacks
):
    workshop = enrolled.cohort.workshops.get(number=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.schedule_workshop(
            workshop,
            precision=Workshop.Precision.EXACT,
            starts_at=datetime(2027, 12, 7, 14, 0, tzinfo=PARIS),
            location="Salle Jean Moulin",
            remote_link="https://visio.example.org/trois",
            by=fiona,
        )
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "Atelier 3 le mardi 7 décembre (Charente, automne 2027)"
    assert "Date : mardi 7 décembre 2027 à 14 h (heure de Paris), jusqu'à 17 h" in message.body
    assert "Lieu : Salle Jean Moulin" in message.body
    assert "https://visio.example.org/trois" in message.body
    assert "invitation est jointe" in message.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_workshop(workshop, by=fiona)
    [message] = mail.outbox
    assert message.subject == "Atelier 3 annulé (Charente, automne 2027)"
    assert "prévu le mardi 7 décembre 2027, est annulé" in message.body


def test_a_cohort_message_is_signed_and_says_why(alice, fiona, enrolled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.message_cohort(
            enrolled.cohort, subject="Covoiturage", body="Qui part de Cognac mardi ?\nRépondez-moi.", by=fiona
        )
    [message] = mail.outbox
    assert message.subject == "[Charente, automne 2027] Covoiturage"
    assert message.body.startswith("Qui part de Cognac mardi ?\nRépondez-moi.\n\nFiona\n")
    assert "Vous recevez ce message parce que vous participez à la cohorte" in message.body

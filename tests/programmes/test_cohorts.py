"""Accompaniment programmes as facilitators and organisations live them (issue 12): creating a
cohort, applying and joining with a code, deciding, taking attendance, the date poll and its
calendar invitations, intersession work and notes, questions for the expert and the FAQ,
messages to the cohort; and the attacks on each: other networks, other organisations, members
who do not take part, tampered forms, late answers, mail quotas, guessed codes."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reperes.instruments.loading import load_definitions
from reperes.lib.actions import ActionRefused
from reperes.lib.models import MailCounter
from reperes.organisations.models import Affiliation, Membership, Role
from reperes.programmes import actions
from reperes.programmes.calendar import PARIS
from reperes.programmes.forms import attendance_fields
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import (
    Assignment,
    AssignmentFile,
    Attendance,
    Cohort,
    DateChoice,
    Enrolment,
    ExpertQuestion,
    FaqEntry,
    Participant,
    Programme,
    Workshop,
)
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.lib.files import office_bytes
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

TELEWORK = "teletravail-de-qualite"  # seed-000: four workshops of three hours
BRETAGNE = "egalite-qvt-bretagne"  # a pair, under 50 employees, three OPCOs, full days
WRONG_CODE = (
    "Ce code ne correspond à aucune cohorte en cours. Vérifiez-le (8 caractères, sans espace) "
    "ou demandez-le à votre accompagnateur·rice."
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Helpers


def member(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


def flashed(response):
    """The messages this request queued (the redirect is not followed; messages of earlier
    requests that nobody displayed yet are left out)."""
    return [str(message) for message in get_messages(response.wsgi_request)._queued_messages]


def in_textarea(text, typed):
    """Whether `typed` is given back as the content of a textarea of the page."""
    return re.search(r"<textarea[^>]*>\s*" + re.escape(typed) + r"</textarea>", text) is not None


def day(offset):
    return timezone.localdate() + timedelta(days=offset)


def at(offset, hour=9, minute=30):
    """A moment `offset` days from today, Paris time."""
    return datetime.combine(day(offset), time(hour, minute), tzinfo=PARIS)


def monday_in(weeks):
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def space_url(name, organisation, cohort, *args):
    return reverse(f"programmes:{name}", args=[organisation.slug, cohort.pk, *args])


def network_url(name, cohort, *args):
    return reverse(f"programmes:{name}", args=[cohort.network.slug, cohort.pk, *args])


def attendees(message):
    """The ATTENDEE addresses and the parsed calendar of a mail's text/calendar alternative."""
    [(content, mimetype)] = message.alternatives
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    [event] = calendar.events
    found = event.get("ATTENDEE")
    found = found if isinstance(found, list) else [found]
    return [str(address) for address in found], calendar, event


# Fixtures


@pytest.fixture
def programmes(db):
    load_definitions()  # the questionnaires: tools of the templates, and workshops' satisfaction
    load_programmes()
    return {programme.slug: programme for programme in Programme.objects.all()}


def new_cohort(
    network, by, programme, *, name="Charente, automne 2027", places=8, state=Cohort.State.RECRUITING
):
    cohort = actions.create_cohort(
        network, programme=programme, name=name, places=places, by=by, location="Maison de l'ESS, Angoulême"
    )
    if state != cohort.state:
        actions.set_state(cohort, state=state, by=by)
    return cohort


@pytest.fixture
def telework(network, fiona, programmes):
    return new_cohort(network, fiona, programmes[TELEWORK])


@pytest.fixture
def bretagne(network, fiona, programmes, org_a):
    org_a.region, org_a.opco, org_a.employees = "53", "uniformation", 12
    org_a.save()
    return new_cohort(network, fiona, programmes[BRETAGNE], name="Rennes 2027")


@pytest.fixture
def a_enrolled(telework, org_a, alice, carol):
    """Organisation A in the telework cohort with alice and carol as its two participants."""
    return actions.join_with_code(
        org_a,
        code=telework.join_code,
        participants=[(member(alice, org_a), ""), (member(carol, org_a), "")],
        by=alice,
    )


@pytest.fixture
def b_enrolled(telework, org_b, dave):
    return actions.join_with_code(
        org_b, code=telework.join_code, participants=[(member(dave, org_b), "")], by=dave
    )


@pytest.fixture
def gil(network):
    """Another facilitator of the same network."""
    return NetworkMembershipFactory(
        network=network, user=UserFactory(email="gil@example.org", name="Gil"), role="facilitator"
    ).user


@pytest.fixture
def olga():
    """A facilitator of another network."""
    return NetworkMembershipFactory(
        network=NetworkFactory(name="Autre réseau", slug="autre"),
        user=UserFactory(email="olga@example.org", name="Olga"),
        role="facilitator",
    ).user


@pytest.fixture
def ursula():
    """The lead of an organisation outside the network."""
    outsider = OrganisationFactory(name="Hors Réseau", slug="hors-reseau")
    return MembershipFactory(
        organisation=outsider, user=UserFactory(email="ursula@example.org", name="Ursula"), role=Role.LEAD
    ).user


# Creating a cohort, and who reaches it


def test_facilitator_creates_a_cohort_from_the_telework_template_through_the_page(
    client_of, network, fiona, programmes
):
    client = client_of(fiona)
    url = reverse("programmes:cohort_create", args=[network.slug])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "programme": programmes[TELEWORK].pk,
            "name": "Charente, automne 2027",
            "places": "8",
            "location": "Maison de l'ESS, Angoulême",
        },
        follow=True,
    )

    cohort = Cohort.objects.get()
    assert response.redirect_chain[-1][0] == cohort.get_absolute_url()
    assert "La cohorte est créée : fixez les dates des ateliers, puis ouvrez les candidatures." in page_text(
        response
    )
    assert cohort.network == network
    assert cohort.state == Cohort.State.PREPARING
    assert list(cohort.facilitators.all()) == [fiona]
    assert cohort.programme_version == programmes[TELEWORK].latest_version()
    workshops = list(cohort.workshops.order_by("number"))
    assert [w.number for w in workshops] == [1, 2, 3, 4]
    assert {w.duration_minutes for w in workshops} == {180}
    assert [w.title for w in workshops] == [s.title for s in cohort.spec.sessions]
    assert all(w.precision == Workshop.Precision.MONTH and not w.is_dated for w in workshops)


def test_creating_a_cohort_with_a_template_that_does_not_exist_is_refused(
    client_of, network, fiona, programmes
):
    response = client_of(fiona).post(
        reverse("programmes:cohort_create", args=[network.slug]),
        {"programme": "999999", "name": "Charente", "places": "8"},
    )
    assert response.status_code == 200
    assert "Ce parcours n'existe pas." in page_text(response)
    assert not Cohort.objects.exists()


def test_analyst_gets_404_on_the_create_page(client_of, network, nina, programmes):
    client = client_of(nina)
    url = reverse("programmes:cohort_create", args=[network.slug])
    assert client.get(url).status_code == 404
    response = client.post(url, {"programme": programmes[TELEWORK].pk, "name": "Pirate", "places": "8"})
    assert response.status_code == 404
    assert not Cohort.objects.exists()
    with pytest.raises(ActionRefused, match="Seul·es les accompagnateur·rices et l'administration"):
        actions.create_cohort(network, programme=programmes[TELEWORK], name="Pirate", places=8, by=nina)


def test_facilitator_of_another_network_gets_404_on_this_networks_cohort_pages(
    client_of, telework, a_enrolled, olga
):
    client = client_of(olga)
    urls = [
        reverse("programmes:cohorts", args=["reseau"]),
        reverse("programmes:cohort_create", args=["reseau"]),
        network_url("cohort", telework),
        network_url("cohort_edit", telework),
        network_url("workshop", telework, 1),
        network_url("enrolment", telework, a_enrolled.pk),
        network_url("faq", telework),
        network_url("message", telework),
        # Her own network's address with this cohort's id.
        reverse("programmes:cohort", args=["autre", telework.pk]),
        reverse("programmes:workshop", args=["autre", telework.pk, 1]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(network_url("message", telework), {"subject": "Pub", "body": "Pub"}).status_code == 404

    # Even listed among its facilitators by mistake, she needs a role in this network.
    telework.facilitators.add(olga)
    assert client.get(network_url("cohort", telework)).status_code == 404
    telework.facilitators.remove(olga)
    with pytest.raises(ActionRefused, match="Seule une personne de l'équipe du réseau"):
        actions.add_facilitator(telework, user=olga, by=telework.created_by)


def test_network_admin_not_among_the_facilitators_sees_the_list_but_not_the_cohort(
    client_of, telework, a_enrolled, hugo
):
    client = client_of(hugo)
    response = client.get(reverse("programmes:cohorts", args=["reseau"]))
    assert response.status_code == 200
    assert telework.name in page_text(response)
    for url in [
        network_url("cohort", telework),
        network_url("workshop", telework, 1),
        network_url("enrolment", telework, a_enrolled.pk),
        network_url("faq", telework),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_co_facilitator_added_to_the_cohort_reaches_it(client_of, telework, gil, fiona):
    assert client_of(gil).get(network_url("cohort", telework)).status_code == 404
    actions.add_facilitator(telework, user=gil, by=fiona)
    assert client_of(gil).get(network_url("cohort", telework)).status_code == 200


# Applications


def bretagne_application(alice, bob, org_a, **extra):
    return {
        "person_0": str(member(alice, org_a).pk),
        "person_1": str(member(bob, org_a).pk),
        "motivation": "Notre équipe veut parler d'égalité avant le prochain recrutement.",
        "management_commitment": "on",
        **extra,
    }


def test_an_eligible_organisation_applies_and_the_facilitators_are_emailed(
    client_of, bretagne, org_a, alice, bob, fiona, gil, mailoutbox, django_capture_on_commit_callbacks
):
    actions.add_facilitator(bretagne, user=gil, by=fiona)
    client = client_of(alice)
    url = space_url("apply", org_a, bretagne)
    assert "Votre structure ne peut pas encore candidater" not in page_text(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, bretagne_application(alice, bob, org_a), follow=True)

    assert "Votre candidature est envoyée : l'équipe d'animation vous répondra par e-mail." in page_text(
        response
    )
    enrolment = Enrolment.objects.get(cohort=bretagne, organisation=org_a)
    assert enrolment.state == Enrolment.State.APPLIED
    assert enrolment.management_commitment
    assert enrolment.applied_by == alice
    assert enrolment.motivation.startswith("Notre équipe veut parler d'égalité")
    assert {(p.user, p.pair_role) for p in enrolment.participants.all()} == {
        (alice, Participant.PairRole.MANAGER),
        (bob, Participant.PairRole.EMPLOYEE),
    }
    assert sorted(message.to[0] for message in mailoutbox) == ["fiona@example.org", "gil@example.org"]
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert mailoutbox[0].subject == "Nouvelle candidature à « Rennes 2027 » : Les Jardins du Lien"
    assert network_url("enrolment", bretagne, enrolment.pk) in mailoutbox[0].body


@pytest.mark.parametrize(
    ("profile", "reason"),
    [
        pytest.param(
            {"employees": 80},
            "Ce parcours s'adresse aux structures de moins de 50 salarié·es ; votre profil en indique 80.",
            id="too-many-employees",
        ),
        pytest.param(
            {"opco": "akto"},
            "Ce parcours est réservé aux structures qui relèvent de l'OPCO Uniformation (Opco Cohésion "
            "sociale), Opco Santé ou Afdas ; votre profil indique Akto.",
            id="opco-outside-the-list",
        ),
        pytest.param(
            {"employees": None},
            "Ce parcours s'adresse aux structures de moins de 50 salarié·es ; le profil de votre structure "
            "n'indique pas encore son nombre de salarié·es : renseignez-le pour pouvoir candidater.",
            id="employees-unknown",
        ),
        pytest.param(
            {"region": "52"},
            "Ce parcours est proposé aux structures de la région Bretagne ; votre profil indique "
            "Pays de la Loire.",
            id="another-region",
        ),
    ],
)
def test_an_ineligible_organisation_is_refused_with_the_reason_and_keeps_what_it_typed(
    client_of, bretagne, org_a, alice, bob, mailoutbox, django_capture_on_commit_callbacks, profile, reason
):
    for field, value in profile.items():
        setattr(org_a, field, value)
    org_a.save()
    client = client_of(alice)
    url = space_url("apply", org_a, bretagne)
    assert reason in page_text(client.get(url))

    typed = "Nous voulons comprendre pourquoi les postes d'encadrement sont tous occupés par des hommes."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, bretagne_application(alice, bob, org_a, motivation=typed))

    assert response.status_code == 200
    text = page_text(response)
    assert "Votre structure ne peut pas encore candidater" in text
    assert text.count(reason) == 2  # above the page, and as the form's error
    assert in_textarea(text, typed)
    assert f'<option value="{member(bob, org_a).pk}" selected>' in response.content.decode()
    assert not Enrolment.objects.exists()
    assert mailoutbox == []


def test_an_organisation_outside_the_network_cannot_even_see_the_call(client_of, bretagne, ursula):
    outsider = ursula.memberships.get().organisation
    assert client_of(ursula).get(space_url("apply", outsider, bretagne)).status_code == 404


def test_a_pair_programme_refuses_a_single_participant(client_of, bretagne, org_a, alice, bob):
    response = client_of(alice).post(
        space_url("apply", org_a, bretagne), bretagne_application(alice, bob, org_a, person_1="")
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in page_text(response)
    assert not Enrolment.objects.exists()

    pair = "Ce parcours s'adresse à un binôme : direction + salarié·e. Nommez une personne pour chaque place."
    for participants in (
        [(member(alice, org_a), "manager")],
        [(member(alice, org_a), "manager"), (member(bob, org_a), "manager")],
    ):
        with pytest.raises(ActionRefused) as refusal:
            actions.apply(
                bretagne,
                org_a,
                motivation="Seule",
                management_commitment=True,
                participants=participants,
                by=alice,
            )
        assert str(refusal.value) == pair
    assert not Enrolment.objects.exists()


def test_the_same_person_cannot_hold_both_places_of_the_pair(client_of, bretagne, org_a, alice, bob):
    response = client_of(alice).post(
        space_url("apply", org_a, bretagne),
        bretagne_application(alice, bob, org_a, person_1=str(member(alice, org_a).pk)),
    )
    assert "Une même personne ne peut pas occuper deux places." in page_text(response)
    assert not Enrolment.objects.exists()


def test_the_management_commitment_is_required_where_the_programme_asks_for_it(
    client_of, bretagne, org_a, alice, bob
):
    data = bretagne_application(alice, bob, org_a)
    del data["management_commitment"]
    response = client_of(alice).post(space_url("apply", org_a, bretagne), data)
    assert (
        "Ce parcours demande l'engagement de la direction : cochez la case pour le confirmer."
        in page_text(response)
    )
    assert not Enrolment.objects.exists()


def test_a_plain_member_cannot_apply_for_the_organisation(client_of, telework, org_a, bob):
    client = client_of(bob)
    url = space_url("apply", org_a, telework)
    assert client.get(url).status_code == 404
    response = client.post(url, {"person_0": str(member(bob, org_a).pk), "motivation": "Moi"})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def apply_telework(cohort, organisation, user):
    return actions.apply(
        cohort,
        organisation,
        motivation="Nous avons télétravaillé dans l'urgence.",
        management_commitment=True,
        participants=[(member(user, organisation), "")],
        by=user,
    )


def test_the_facilitator_declines_with_a_reason_and_the_pilots_are_emailed(
    client_of, telework, org_a, alice, bob, carol, fiona, mailoutbox, django_capture_on_commit_callbacks
):
    enrolment = apply_telework(telework, org_a, alice)
    client = client_of(fiona)
    url = network_url("decide", telework, enrolment.pk)

    response = client.post(url, {"decision": "decline", "reason": "  "})
    assert flashed(response) == ["Donnez le motif : la structure le recevra."]
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.APPLIED

    reason = "La cohorte est réservée cette fois aux structures de Charente."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "decline", "reason": reason})

    assert flashed(response) == [
        "La candidature de Les Jardins du Lien n'est pas retenue ; le motif lui est envoyé."
    ]
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.DECLINED
    assert enrolment.decline_reason == reason
    # The pilots (lead and staff representative), not the plain member.
    assert sorted(message.to[0] for message in mailoutbox) == ["alice@example.org", "carol@example.org"]
    for message in mailoutbox:
        assert message.subject == "Votre candidature à « Charente, automne 2027 »"
        assert reason in message.body
    # And the organisation reads the reason on its own page.
    assert reason in page_text(client_of(alice).get(reverse("programmes:space_list", args=[org_a.slug])))
    # A decided application is not decided again.
    response = client_of(fiona).post(url, {"decision": "accept"})
    assert flashed(response) == ["Cette candidature a déjà reçu une réponse."]


def test_accepting_when_the_cohort_is_full_is_refused(
    client_of,
    network,
    fiona,
    programmes,
    org_a,
    org_b,
    alice,
    dave,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    cohort = new_cohort(network, fiona, programmes[TELEWORK], name="Petite cohorte", places=1)
    waiting = apply_telework(cohort, org_b, dave)
    actions.join_with_code(org_a, code=cohort.join_code, participants=[(member(alice, org_a), "")], by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(fiona).post(network_url("decide", cohort, waiting.pk), {"decision": "accept"})

    assert flashed(response) == [
        "La cohorte « Petite cohorte » est complète. Écrivez à l'équipe du réseau pour être prévenu·e "
        "d'une prochaine session."
    ]
    waiting.refresh_from_db()
    assert waiting.state == Enrolment.State.APPLIED
    assert mailoutbox == []


def test_accepting_an_application_tells_the_pilots(
    client_of, telework, org_a, alice, carol, fiona, mailoutbox, django_capture_on_commit_callbacks
):
    enrolment = apply_telework(telework, org_a, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(fiona).post(
            network_url("decide", telework, enrolment.pk), {"decision": "accept"}
        )
    assert flashed(response) == ["Les Jardins du Lien est inscrite ; ses référent·es sont prévenu·es."]
    enrolment.refresh_from_db()
    assert enrolment.is_accepted
    assert sorted(message.to[0] for message in mailoutbox) == ["alice@example.org", "carol@example.org"]


@pytest.mark.parametrize(
    "closed",
    [
        pytest.param({"state": Cohort.State.PREPARING}, id="not-recruiting"),
        pytest.param({"state": Cohort.State.RUNNING}, id="running"),
        pytest.param({"state": Cohort.State.RECRUITING, "applications_close_on": -1}, id="past-the-date"),
    ],
)
def test_applications_to_a_closed_cohort_are_refused(client_of, telework, org_a, alice, closed):
    telework.state = closed["state"]
    if "applications_close_on" in closed:
        telework.applications_close_on = day(closed["applications_close_on"])
    telework.save()
    client = client_of(alice)
    url = space_url("apply", org_a, telework)
    assert "Les candidatures à cette cohorte sont closes." in page_text(client.get(url))

    response = client.post(
        url, {"person_0": str(member(alice, org_a).pk), "motivation": "Nous arrivons après la date."}
    )
    text = page_text(response)
    assert '<div class="alert alert--error" role="alert">' in response.content.decode()
    assert "Les candidatures à cette cohorte sont closes." in text
    assert in_textarea(text, "Nous arrivons après la date.")
    assert not Enrolment.objects.exists()
    # Nor is the call listed any more.
    listing = page_text(client.get(reverse("programmes:space_list", args=[org_a.slug])))
    assert "Aucun appel à candidatures ouvert dans vos réseaux en ce moment." in listing


# Joining with a code


def join(client, organisation, code, *people):
    data = {"code": code, **{f"person_{n}": str(m.pk) for n, m in enumerate(people)}}
    return client.post(reverse("programmes:join", args=[organisation.slug]), data)


def test_the_right_code_enrols_the_organisation_at_once(client_of, telework, org_a, alice, carol, mailoutbox):
    response = join(client_of(alice), org_a, telework.join_code, member(alice, org_a), member(carol, org_a))

    assert response.status_code == 302
    assert response.url == space_url("space_cohort", org_a, telework)
    assert flashed(response) == ["Votre structure est inscrite à « Charente, automne 2027 »."]
    enrolment = Enrolment.objects.get(cohort=telework, organisation=org_a)
    assert enrolment.state == Enrolment.State.ACCEPTED
    assert enrolment.joined_with_code
    assert {p.user for p in enrolment.participants.all()} == {alice, carol}


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "' OR 1=1 --", "the network's code"])
def test_a_wrong_code_is_refused_in_french(client_of, network, telework, org_a, alice, code):
    if code == "the network's code":  # codes of one kind do not open the other
        code = network.join_code
    response = join(client_of(alice), org_a, code, member(alice, org_a))
    assert response.status_code == 200
    assert WRONG_CODE in page_text(response)
    assert not Enrolment.objects.exists()


def test_an_empty_code_is_asked_for(client_of, telework, org_a, alice):
    response = join(client_of(alice), org_a, "", member(alice, org_a))
    assert "Ce champ est obligatoire." in page_text(response)
    assert not Enrolment.objects.exists()


def test_a_plain_member_cannot_join_for_the_organisation(client_of, telework, org_a, bob):
    assert join(client_of(bob), org_a, telework.join_code, member(bob, org_a)).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_code_of_a_finished_cohort_is_refused_like_a_wrong_one(client_of, telework, org_a, alice, fiona):
    actions.set_state(telework, state=Cohort.State.FINISHED, by=fiona)
    response = join(client_of(alice), org_a, telework.join_code, member(alice, org_a))
    assert WRONG_CODE in page_text(response)
    assert not Enrolment.objects.exists()


def test_joining_twice_is_refused(client_of, telework, a_enrolled, org_a, alice):
    response = join(client_of(alice), org_a, telework.join_code, member(alice, org_a))
    assert "Votre structure est déjà inscrite à « Charente, automne 2027 »." in page_text(response)
    assert Enrolment.objects.count() == 1
    assert a_enrolled.participants.count() == 2  # the first naming stands


def test_a_code_typed_with_spaces_and_in_lower_case_is_accepted(client_of, telework, org_a, alice):
    code = telework.join_code
    typed = f"  {code[:4].lower()} {code[4:].lower()} "
    response = join(client_of(alice), org_a, typed, member(alice, org_a))
    assert response.status_code == 302
    assert Enrolment.objects.get(organisation=org_a).is_accepted


def test_a_code_cannot_enrol_people_of_another_organisation(client_of, telework, org_a, alice, dave, org_b):
    response = join(client_of(alice), org_a, telework.join_code, member(dave, org_b))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Enrolment.objects.exists()


def test_guessing_cohort_codes_is_throttled(client_of, settings, telework, org_a, alice):
    settings.JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR = 3
    client = client_of(alice)
    for guess in ["AAAAAAAA", "AAAAAAAB", "AAAAAAAC"]:
        assert join(client, org_a, guess, member(alice, org_a)).status_code == 200
    response = join(client, org_a, "AAAAAAAD", member(alice, org_a))
    assert response.status_code == 429
    # Even the right code waits: hammering does not shorten the wait.
    assert join(client, org_a, telework.join_code, member(alice, org_a)).status_code == 429
    assert not Enrolment.objects.exists()


# Attendance


@pytest.fixture
def bretagne_pair(bretagne, org_a, alice, bob):
    """Organisation A in the Bretagne cohort with its pair: alice (management) and bob."""
    return actions.join_with_code(
        org_a,
        code=bretagne.join_code,
        participants=[(member(alice, org_a), "manager"), (member(bob, org_a), "employee")],
        by=alice,
    )


def held(workshop, by, days_ago=2):
    return actions.schedule_workshop(
        workshop, precision=Workshop.Precision.EXACT, starts_at=at(-days_ago), by=by
    )


def test_attendance_for_a_workshop_not_yet_held_is_refused(client_of, telework, a_enrolled, fiona):
    workshop = telework.workshops.get(number=1)
    actions.schedule_workshop(workshop, precision=Workshop.Precision.EXACT, starts_at=at(3), by=fiona)
    alice_part = a_enrolled.participants.get(membership__user__email="alice@example.org")

    response = client_of(fiona).post(
        network_url("attendance", telework, 1), {f"a-{alice_part.pk}-whole": "onsite"}
    )

    assert response.status_code == 302
    assert flashed(response) == ["Les présences se notent une fois l'atelier commencé."]
    assert not Attendance.objects.exists()
    # Nor before its date is known at all.
    with pytest.raises(ActionRefused, match="Les présences se notent une fois l'atelier commencé."):
        actions.record_attendance(
            telework.workshops.get(number=3), statuses={(alice_part, "whole"): "onsite"}, by=fiona
        )


def test_a_full_day_workshop_takes_morning_and_afternoon(client_of, bretagne, bretagne_pair, fiona):
    workshop = held(bretagne.workshops.get(number=1), fiona)
    assert workshop.duration_minutes == 420
    assert workshop.halves == [Attendance.Half.MORNING, Attendance.Half.AFTERNOON]
    participants = list(bretagne_pair.participants.order_by("pk"))
    alice_part, bob_part = participants
    names = [name for _, _, name in attendance_fields(workshop, participants)]
    assert names == [
        f"a-{alice_part.pk}-morning",
        f"a-{alice_part.pk}-afternoon",
        f"a-{bob_part.pk}-morning",
        f"a-{bob_part.pk}-afternoon",
    ]

    response = client_of(fiona).post(
        network_url("attendance", bretagne, 1),
        {
            f"a-{alice_part.pk}-morning": "onsite",
            f"a-{alice_part.pk}-afternoon": "onsite",
            f"a-{bob_part.pk}-morning": "remote",
            f"a-{bob_part.pk}-afternoon": "excused",
        },
    )

    assert flashed(response)[0] == "Les présences sont enregistrées."
    recorded = {(a.participant_id, a.half): (a.status, a.minutes) for a in Attendance.objects.all()}
    assert recorded == {
        (alice_part.pk, "morning"): ("onsite", 210),
        (alice_part.pk, "afternoon"): ("onsite", 210),
        (bob_part.pk, "morning"): ("remote", 210),
        (bob_part.pk, "afternoon"): ("excused", 0),
    }
    # A whole-session value makes no sense for a full day.
    with pytest.raises(ActionRefused, match="Cette personne ne participe pas à cet atelier."):
        actions.record_attendance(workshop, statuses={(alice_part, "whole"): "onsite"}, by=fiona)


def test_a_tampered_attendance_value_saves_nothing(client_of, telework, a_enrolled, b_enrolled, fiona):
    held(telework.workshops.get(number=1), fiona)
    alice_part, carol_part = a_enrolled.participants.order_by("membership__user__name")
    dave_part = b_enrolled.participants.get()

    response = client_of(fiona).post(
        network_url("attendance", telework, 1),
        {
            f"a-{alice_part.pk}-whole": "onsite",
            f"a-{carol_part.pk}-whole": "present-fake",
            f"a-{dave_part.pk}-whole": "remote",
        },
    )

    assert flashed(response) == ["Une présence n'a pas été comprise : rien n'a été enregistré. Réessayez."]
    assert not Attendance.objects.exists()


def test_a_participant_of_a_declined_enrolment_cannot_be_marked(
    client_of, telework, a_enrolled, org_b, dave, fiona
):
    declined = apply_telework(telework, org_b, dave)
    actions.decline(declined, reason="Complet pour votre territoire.", by=fiona)
    dave_part = declined.participants.get()
    workshop = held(telework.workshops.get(number=1), fiona)
    alice_part = a_enrolled.participants.get(membership__user__email="alice@example.org")

    response = client_of(fiona).post(
        network_url("attendance", telework, 1),
        {f"a-{alice_part.pk}-whole": "onsite", f"a-{dave_part.pk}-whole": "onsite"},
    )

    assert flashed(response)[0] == "Les présences sont enregistrées."
    assert list(Attendance.objects.values_list("participant_id", flat=True)) == [alice_part.pk]
    with pytest.raises(ActionRefused, match="Cette personne ne participe pas à cet atelier."):
        actions.record_attendance(workshop, statuses={(dave_part, "whole"): "onsite"}, by=fiona)
    assert not Attendance.objects.filter(participant=dave_part).exists()


def test_the_workshop_page_of_a_held_full_day_shows_morning_and_afternoon(
    client_of, bretagne, bretagne_pair, fiona
):
    workshop = held(bretagne.workshops.get(number=1), fiona)
    response = client_of(fiona).get(network_url("workshop", bretagne, 1))
    assert response.status_code == 200
    text = page_text(response)
    assert "(journée : présences par demi-journée)" in text
    assert "Enregistrer les présences" in text
    for participant in bretagne_pair.participants.all():
        for _, _, name in attendance_fields(workshop, [participant]):
            assert f'name="{name}"' in text
    assert f'name="a-{bretagne_pair.participants.first().pk}-whole"' not in text


def test_the_cohort_settings_page_shows_the_closing_date(client_of, telework, fiona):
    telework.applications_close_on = day(30)
    telework.save()
    response = client_of(fiona).get(network_url("cohort_edit", telework))
    assert response.status_code == 200
    assert f'value="{day(30).isoformat()}"' in response.content.decode()


# The date poll and the calendar invitations


@pytest.fixture
def polled(telework, a_enrolled, fiona):
    """Workshop 2, whose week is known and whose day the participants choose."""
    return actions.schedule_workshop(
        telework.workshops.get(number=2),
        precision=Workshop.Precision.WEEK,
        week_of=monday_in(3) + timedelta(days=2),  # any day: the week starts on its Monday
        poll_closes_on=day(7),
        by=fiona,
    )


def poll(client, organisation, workshop, days):
    return client.post(
        space_url("poll", organisation, workshop.cohort, workshop.number),
        {"days": [d.isoformat() for d in days]},
    )


def test_a_participant_answers_the_date_poll(client_of, polled, org_a, alice):
    monday = monday_in(3)
    assert polled.week_of == monday
    client = client_of(alice)
    page = page_text(client.get(space_url("space_cohort", org_a, polled.cohort)))
    assert "Enregistrer mes disponibilités" in page

    response = poll(client, org_a, polled, [monday, monday + timedelta(days=2)])

    assert flashed(response) == ["Vos disponibilités sont enregistrées."]
    choice = DateChoice.objects.get()
    assert choice.participant.user == alice
    assert choice.days == [monday.isoformat(), (monday + timedelta(days=2)).isoformat()]
    # Answering again replaces the answer.
    poll(client, org_a, polled, [monday + timedelta(days=4)])
    assert DateChoice.objects.get().days == [(monday + timedelta(days=4)).isoformat()]
    assert dict(actions.poll_tally(polled))[monday + timedelta(days=4)] == 1


def test_answering_the_poll_after_it_closed_is_refused_and_saves_nothing(client_of, polled, org_a, alice):
    monday = monday_in(3)
    client = client_of(alice)
    poll(client, org_a, polled, [monday])
    Workshop.objects.filter(pk=polled.pk).update(poll_closes_on=day(-1))

    response = poll(client, org_a, polled, [monday + timedelta(days=1), monday + timedelta(days=3)])

    assert flashed(response) == [
        "Le choix de la date de cet atelier est clos : l'équipe d'animation a fixé la date ou le délai "
        "est passé. Vos disponibilités n'ont pas été enregistrées."
    ]
    assert DateChoice.objects.get().days == [monday.isoformat()]
    # And the form is gone from the page.
    assert "Enregistrer mes disponibilités" not in page_text(
        client.get(space_url("space_cohort", org_a, polled.cohort))
    )


def test_days_outside_the_week_are_not_recorded(client_of, polled, org_a, alice):
    monday = monday_in(3)
    alice_part = Participant.objects.get(membership__user=alice)
    saturday, next_month = monday + timedelta(days=5), monday + timedelta(days=31)

    # The action keeps only the days of the week being decided.
    actions.answer_date_poll(polled, participant=alice_part, days=[monday, saturday, next_month])
    assert DateChoice.objects.get().days == [monday.isoformat()]

    # The page refuses a tampered answer whole, and says so.
    response = poll(client_of(alice), org_a, polled, [monday + timedelta(days=1), saturday])
    assert flashed(response) == [
        "Ces jours ne font pas partie de la semaine proposée : rien n'a été enregistré."
    ]
    assert DateChoice.objects.get().days == [monday.isoformat()]


def test_a_pilot_who_is_not_a_participant_does_not_answer_the_poll(
    client_of, telework, org_a, alice, carol, fiona
):
    actions.join_with_code(
        org_a, code=telework.join_code, participants=[(member(alice, org_a), "")], by=alice
    )
    workshop = actions.schedule_workshop(
        telework.workshops.get(number=2), precision=Workshop.Precision.WEEK, week_of=monday_in(3), by=fiona
    )
    response = poll(client_of(carol), org_a, workshop, [monday_in(3)])
    assert response.status_code == 404
    assert not DateChoice.objects.exists()


def schedule_page(client, workshop, starts, location="Maison de l'ESS, Angoulême"):
    return client.post(
        network_url("workshop", workshop.cohort, workshop.number),
        {
            "precision": "exact",
            "date": starts.date().isoformat(),
            "time": starts.strftime("%H:%M"),
            "location": location,
        },
    )


def test_fixing_the_date_sends_each_participant_one_invitation_naming_only_them(
    client_of, polled, b_enrolled, fiona, mailoutbox, django_capture_on_commit_callbacks
):
    everyone = {"alice@example.org", "carol@example.org", "dave@example.org"}
    starts = datetime.combine(monday_in(3) + timedelta(days=3), time(9, 30), tzinfo=PARIS)

    with django_capture_on_commit_callbacks(execute=True):
        response = schedule_page(client_of(fiona), polled, starts)

    assert response.status_code == 302
    assert flashed(response) == [
        "L'atelier est enregistré ; les participant·es sont prévenu·es d'une date fixée."
    ]
    polled.refresh_from_db()
    assert polled.is_dated and polled.starts_at == starts and polled.sequence == 0
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(everyone)
    for message in mailoutbox:
        [own] = message.to
        assert message.cc == [] and message.bcc == []
        found, calendar, event = attendees(message)
        assert calendar["METHOD"] == "REQUEST"
        assert message.alternatives[0][1] == "text/calendar; method=REQUEST; charset=UTF-8"
        assert found == [f"mailto:{own}"]
        raw = message.message().as_string()
        for other in everyone - {own}:
            assert other not in raw
        assert event.decoded("DTSTART") == starts
        assert int(event["SEQUENCE"]) == 0


def test_moving_the_date_raises_the_sequence_and_cancelling_sends_a_cancel(
    client_of, telework, a_enrolled, fiona, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = telework.workshops.get(number=1)
    client = client_of(fiona)
    moves = [at(20), at(21), at(21, hour=14)]
    for starts in moves:
        with django_capture_on_commit_callbacks(execute=True):
            assert schedule_page(client, workshop, starts).status_code == 302
    # Saving the same date again tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        schedule_page(client, workshop, moves[-1])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(network_url("workshop_cancel", telework, 1))
    assert flashed(response) == ["L'atelier est annulé ; les participant·es sont prévenu·es."]

    alice_mails = [message for message in mailoutbox if message.to == ["alice@example.org"]]
    assert len(alice_mails) == 4
    seen = [attendees(message) for message in alice_mails]
    uids = {str(event["UID"]) for _, _, event in seen}
    assert uids == {f"{workshop.uid}@testserver"}
    assert [int(event["SEQUENCE"]) for _, _, event in seen] == [0, 1, 2, 3]
    assert [calendar["METHOD"] for _, calendar, _ in seen] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    assert [event.decoded("DTSTART") for _, _, event in seen[:3]] == moves
    assert seen[3][2]["STATUS"] == "CANCELLED"
    assert alice_mails[1].subject.startswith("Changement : atelier 1")
    assert alice_mails[3].subject == "Atelier 1 annulé (Charente, automne 2027)"
    workshop.refresh_from_db()
    assert workshop.is_cancelled and workshop.sequence == 3
    with pytest.raises(ActionRefused, match="Cet atelier est annulé."):
        actions.schedule_workshop(workshop, precision=Workshop.Precision.EXACT, starts_at=at(30), by=fiona)


# Intersession work, comments and notes


def hand_in(client, organisation, cohort, number, text, *files):
    data = {"text": text}
    if files:
        data["files"] = list(files)
    return client.post(space_url("hand_in", organisation, cohort, number), data)


def pdf(name="plan-d-action.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_work_handed_in_before_the_deadline_is_not_late(client_of, telework, a_enrolled, org_a, alice, fiona):
    workshop = telework.workshops.get(number=1)
    actions.schedule_workshop(
        workshop, precision=Workshop.Precision.EXACT, starts_at=at(-7), task_due_on=day(7), by=fiona
    )
    docx = SimpleUploadedFile("charte.docx", office_bytes(".docx"), content_type=DOCX)

    response = hand_in(
        client_of(alice), org_a, telework, 1, "Nous avons fait passer le questionnaire.", pdf(), docx
    )

    assert flashed(response) == ["Votre travail est transmis à l'équipe d'animation."]
    assignment = Assignment.objects.get()
    assert not assignment.is_late
    assert assignment.handed_in_by == alice
    assert sorted(assignment.files.values_list("name", flat=True)) == ["charte.docx", "plan-d-action.pdf"]
    attached = assignment.files.get(name="plan-d-action.pdf")
    own = client_of(alice).get(space_url("own_file", org_a, telework, attached.pk))
    assert own.status_code == 200 and own.content == PDF_BYTES
    assert own["Content-Disposition"] == 'attachment; filename="plan-d-action.pdf"'
    facilitator = client_of(fiona).get(network_url("assignment_file", telework, attached.pk))
    assert facilitator.status_code == 200 and facilitator.content == PDF_BYTES


def test_work_handed_in_after_the_deadline_is_accepted_and_marked_late(
    client_of, telework, a_enrolled, org_a, alice, fiona
):
    workshop = telework.workshops.get(number=1)
    actions.schedule_workshop(
        workshop, precision=Workshop.Precision.EXACT, starts_at=at(-14), task_due_on=day(-1), by=fiona
    )

    response = hand_in(client_of(alice), org_a, telework, 1, "Rendu avec un peu de retard.")

    assert flashed(response) == [
        "Votre travail est transmis à l'équipe d'animation. "
        "Le délai était passé : il est marqué « en retard »."
    ]
    assert Assignment.objects.get().is_late
    assert "atelier 1 (en retard)" in page_text(client_of(fiona).get(network_url("cohort", telework)))


@pytest.mark.parametrize(
    ("upload", "refusal"),
    [
        pytest.param(
            SimpleUploadedFile("notes.txt", b"du texte", content_type="text/plain"),
            "« notes.txt » n'est ni un PDF ni un document Word (DOCX).",
            id="not-pdf-or-docx",
        ),
        pytest.param(
            SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html"),
            "« page.html » n'est ni un PDF ni un document Word (DOCX).",
            id="html",
        ),
        pytest.param(
            SimpleUploadedFile(
                "gros.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
            ),
            "« gros.pdf » dépasse 5 Mo : exportez-le de nouveau ou allégez-le.",
            id="over-5-mb",
        ),
    ],
)
def test_a_refused_file_saves_nothing_and_keeps_the_text(
    client_of, telework, a_enrolled, org_a, alice, upload, refusal
):
    client = client_of(alice)
    text = "Notre compte rendu de l'atelier, à ne pas perdre."

    response = hand_in(client, org_a, telework, 1, text, pdf(), upload)

    assert flashed(response) == [f"{refusal} Votre texte est resté dans le formulaire."]
    assert not Assignment.objects.exists()
    assert not AssignmentFile.objects.exists()
    page = page_text(client.get(response.url))
    assert in_textarea(page, text)


def test_a_program_disguised_as_a_pdf_is_refused(client_of, telework, a_enrolled, org_a, alice):
    disguised = SimpleUploadedFile(
        "plan.pdf.exe", b"MZ\x90\x00\x03" + b"\x00" * 64, content_type="application/pdf"
    )
    response = hand_in(client_of(alice), org_a, telework, 1, "Notre plan d'action.", disguised)
    assert flashed(response) == [
        "« plan.pdf.exe » n'est ni un PDF ni un document Word (DOCX). "
        "Votre texte est resté dans le formulaire."
    ]
    assert not AssignmentFile.objects.exists()


def test_work_for_a_workshop_the_cohort_does_not_have_is_a_404(client_of, telework, a_enrolled, org_a, alice):
    assert hand_in(client_of(alice), org_a, telework, 9, "Atelier fantôme").status_code == 404
    assert not Assignment.objects.exists()


def test_there_is_no_work_to_hand_in_after_a_workshop_that_asks_questions(
    client_of, telework, a_enrolled, org_a, alice
):
    assert telework.workshops.get(number=2).spec.intersession.kind == "questions"
    response = hand_in(client_of(alice), org_a, telework, 2, "Du travail en trop.")
    assert flashed(response) == [
        "Il n'y a pas de travail à rendre après cet atelier. Votre texte est resté dans le formulaire."
    ]
    assert not Assignment.objects.exists()


@pytest.fixture
def a_work(a_enrolled, telework, alice):
    """Organisation A's work after workshop 1, with a PDF."""
    return actions.hand_in(
        a_enrolled,
        workshop=telework.workshops.get(number=1),
        text="Synthèse confidentielle des Jardins : trois personnes épuisées.",
        files=[pdf("synthese-jardins.pdf")],
        by=alice,
    )


def test_another_organisation_cannot_download_a_work_file(
    client_of, network, fiona, programmes, telework, a_work, b_enrolled, org_a, org_b, dave
):
    attached = a_work.files.get()
    client = client_of(dave)
    assert client.get(space_url("own_file", org_b, telework, attached.pk)).status_code == 404
    assert client.get(space_url("own_file", org_a, telework, attached.pk)).status_code == 404


def test_a_facilitator_reaches_a_file_only_through_its_own_cohort(
    client_of, network, fiona, gil, programmes, telework, a_work
):
    attached = a_work.files.get()
    other = new_cohort(network, gil, programmes[TELEWORK], name="Vienne 2027")
    mine_too = new_cohort(network, fiona, programmes[TELEWORK], name="Deux-Sèvres 2027")
    # Gil facilitates another cohort, not this one.
    assert client_of(gil).get(network_url("assignment_file", other, attached.pk)).status_code == 404
    assert client_of(gil).get(network_url("assignment_file", telework, attached.pk)).status_code == 404
    # Fiona, through another cohort of hers.
    assert client_of(fiona).get(network_url("assignment_file", mine_too, attached.pk)).status_code == 404
    assert client_of(fiona).get(network_url("assignment_file", telework, attached.pk)).status_code == 200


def test_another_organisation_never_sees_a_work_or_its_comments(
    client_of, telework, a_enrolled, a_work, b_enrolled, org_b, dave, fiona
):
    actions.add_note(
        a_enrolled, text="Très beau travail de synthèse, bravo aux Jardins.", by=fiona, assignment=a_work
    )
    actions.add_note(a_enrolled, text="Suivi : la direction des Jardins est motivée.", by=fiona)

    text = page_text(client_of(dave).get(space_url("space_cohort", org_b, telework)))

    for secret in (
        "Synthèse confidentielle",
        "synthese-jardins.pdf",
        "Très beau travail",
        "la direction des Jardins",
    ):
        assert secret not in text
    assert "Les Jardins du Lien" not in text


def test_a_private_note_is_hidden_from_the_organisation_and_a_public_one_shown(
    client_of, telework, a_enrolled, a_work, org_a, alice, carol, fiona
):
    client = client_of(fiona)
    url = network_url("note_add", telework, a_enrolled.pk)
    client.post(url, {"text": "Commentaire pour la structure sur son travail.", "assignment": a_work.pk})
    client.post(
        url, {"text": "Entre nous : la synthèse est faible.", "assignment": a_work.pk, "is_private": "on"}
    )
    client.post(url, {"text": "Note de suivi partagée avec la structure."})
    client.post(url, {"text": "Note réservée : tension entre la direction et le CSE.", "is_private": "on"})
    assert a_enrolled.notes.count() == 4

    for pilot in (alice, carol):
        text = page_text(client_of(pilot).get(space_url("space_cohort", org_a, telework)))
        assert "Commentaire pour la structure sur son travail." in text
        assert "Note de suivi partagée avec la structure." in text
        assert "Entre nous : la synthèse est faible." not in text
        assert "tension entre la direction et le CSE" not in text

    facilitator = page_text(client_of(fiona).get(network_url("enrolment", telework, a_enrolled.pk)))
    assert "Entre nous : la synthèse est faible." in facilitator
    assert "tension entre la direction et le CSE" in facilitator


def test_a_note_cannot_be_pinned_to_another_organisations_work(
    client_of, telework, a_work, b_enrolled, fiona
):
    response = client_of(fiona).post(
        network_url("note_add", telework, b_enrolled.pk), {"text": "Mauvaise cible", "assignment": a_work.pk}
    )
    assert response.status_code == 404
    assert not a_work.comments.exists()


def test_a_tampered_assignment_id_on_a_note_is_a_404(client_of, telework, a_enrolled, a_work, fiona):
    response = client_of(fiona).post(
        network_url("note_add", telework, a_enrolled.pk), {"text": "Note", "assignment": "1 OR 1=1"}
    )
    assert response.status_code == 404
    assert not a_enrolled.notes.exists()


def test_a_facilitator_cannot_decide_on_another_cohorts_application(
    client_of, network, telework, fiona, gil, programmes, org_b, dave
):
    other = new_cohort(network, gil, programmes[TELEWORK], name="Vienne 2027")
    application = apply_telework(other, org_b, dave)
    client = client_of(fiona)
    assert client.get(network_url("enrolment", telework, application.pk)).status_code == 404
    response = client.post(network_url("decide", telework, application.pk), {"decision": "accept"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == Enrolment.State.APPLIED


# Questions for the expert and the FAQ


QUESTION = "Chez Les Jardins du Lien, notre animatrice en arrêt maladie peut-elle télétravailler ?"
REWORDED = "Une personne en arrêt de travail peut-elle télétravailler ?"
ANSWER = "Non : un arrêt de travail suspend le contrat, télétravail compris."


def test_a_question_is_read_by_the_facilitators_alone_then_published_without_names(
    client_of,
    telework,
    a_enrolled,
    b_enrolled,
    org_a,
    org_b,
    alice,
    carol,
    dave,
    fiona,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(alice).post(space_url("ask", org_a, telework), {"text": QUESTION})
    assert flashed(response) == ["Votre question est transmise à l'équipe d'animation, et à elle seule."]
    question = ExpertQuestion.objects.get()
    assert question.asked_by == alice
    assert mailoutbox == []

    # Carol takes part with alice: she does not see the question anywhere.
    client = client_of(carol)
    for url in (
        space_url("space_cohort", org_a, telework),
        reverse("programmes:space_list", args=[org_a.slug]),
    ):
        text = page_text(client.get(url))
        assert "animatrice en arrêt maladie" not in text
    assert "Vous n'avez pas encore posé de question (10 au plus)." in page_text(
        client.get(space_url("space_cohort", org_a, telework))
    )
    assert "Vous avez posé 1 question dans cette cohorte" in page_text(
        client_of(alice).get(space_url("space_cohort", org_a, telework))
    )

    # Nor does the organisation's journal say that someone asked.
    journal = page_text(client_of(carol).get(reverse("organisations:events", args=[org_a.slug])))
    assert "animatrice en arrêt maladie" not in journal
    assert "expert" not in journal

    # The facilitator reads it, rewords it and publishes the answer.
    facilitator = client_of(fiona)
    assert QUESTION in page_text(facilitator.get(network_url("faq", telework)))
    facilitator.post(
        network_url("faq", telework),
        {"question": REWORDED, "answer": ANSWER, "question_ids": [str(question.pk)]},
    )
    facilitator.post(network_url("faq_publish", telework), {"for_network": "on"})
    entry = FaqEntry.objects.get()
    assert entry.published_at is not None
    question.refresh_from_db()
    assert question.faq_entry == entry

    # Carol's page names her organisation's participants; its FAQ names nobody.
    page = page_text(client_of(carol).get(space_url("space_cohort", org_a, telework)))
    faq = page[page.index("<h2>Foire aux questions</h2>") :]
    faq = faq[: faq.index("</section>")]
    assert REWORDED in faq and ANSWER in faq
    assert "animatrice en arrêt maladie" not in page
    assert "Alice" not in faq and "Jardins" not in faq
    # Another organisation's pages, and the FAQ open to the network, name nobody at all.
    for name in ("space_cohort", "faq_public"):
        text = page_text(client_of(dave).get(space_url(name, org_b, telework)))
        assert REWORDED in text and ANSWER in text
        for secret in ("animatrice en arrêt maladie", "Alice", "alice@example.org", "Jardins"):
            assert secret not in text


def test_an_unanswered_entry_is_not_published(client_of, telework, a_enrolled, org_a, alice, fiona):
    actions.ask_question(a_enrolled, text=QUESTION, by=alice)
    actions.add_faq_entry(telework, question=REWORDED, answer="", question_ids=[], by=fiona)
    client_of(fiona).post(network_url("faq_publish", telework), {"for_network": "on"})
    assert FaqEntry.objects.get().published_at is None
    assert REWORDED not in page_text(client_of(alice).get(space_url("space_cohort", org_a, telework)))


def test_the_faq_is_open_to_the_networks_organisations_only_when_the_facilitator_says_so(
    client_of, telework, a_enrolled, org_a, org_b, alice, dave, fiona, ursula
):
    actions.ask_question(a_enrolled, text=QUESTION, by=alice)
    actions.add_faq_entry(telework, question=REWORDED, answer=ANSWER, question_ids=[], by=fiona)
    client_of(fiona).post(network_url("faq_publish", telework))  # box not ticked
    telework.refresh_from_db()
    assert not telework.faq_for_network
    assert client_of(dave).get(space_url("faq_public", org_b, telework)).status_code == 404

    actions.publish_faq(telework, for_network=True, by=fiona)
    assert client_of(dave).get(space_url("faq_public", org_b, telework)).status_code == 200
    # An organisation outside the network does not read it, even with the address.
    outsider = ursula.memberships.get().organisation
    assert client_of(ursula).get(space_url("faq_public", outsider, telework)).status_code == 404
    assert client_of(ursula).get(space_url("faq_public", org_b, telework)).status_code == 404


# Members who are not participants


def test_a_member_who_is_not_a_participant_sees_only_that_the_organisation_takes_part(
    client_of, telework, a_enrolled, org_a, bob
):
    client = client_of(bob)
    assert client.get(space_url("space_cohort", org_a, telework)).status_code == 404
    assert client.get(space_url("faq_public", org_a, telework)).status_code == 404
    assert client.post(space_url("ask", org_a, telework), {"text": "Et moi ?"}).status_code == 404
    assert client.post(space_url("hand_in", org_a, telework, 1), {"text": "Et moi ?"}).status_code == 404

    response = client.get(reverse("programmes:space_list", args=[org_a.slug]))
    text = page_text(response)
    assert "Charente, automne 2027" in text
    assert "Inscrite" in text
    assert space_url("space_cohort", org_a, telework) not in text
    assert not ExpertQuestion.objects.exists() and not Assignment.objects.exists()


def test_an_organisation_not_enrolled_gets_404_on_the_cohort_pages(
    client_of, telework, a_enrolled, org_b, dave
):
    client = client_of(dave)
    assert client.get(space_url("space_cohort", org_b, telework)).status_code == 404
    assert client.post(space_url("ask", org_b, telework), {"text": "Intrus"}).status_code == 404
    assert not ExpertQuestion.objects.exists()


# Messages to the cohort


def test_a_message_goes_to_each_participant_and_counts_in_the_senders_quota(
    client_of,
    settings,
    telework,
    a_enrolled,
    b_enrolled,
    fiona,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 4
    client = client_of(fiona)
    url = network_url("message", telework)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Atelier 2", "body": "Pensez au questionnaire."}, follow=True)

    assert "Message envoyé à 3 participant·es." in page_text(response)
    assert sorted(message.to for message in mailoutbox) == [
        ["alice@example.org"],
        ["carol@example.org"],
        ["dave@example.org"],
    ]
    assert mailoutbox[0].subject == "[Charente, automne 2027] Atelier 2"
    assert MailCounter.objects.get(scope="account", key=str(fiona.pk)).count == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Rappel", "body": "Encore un message."})

    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Votre compte a atteint sa limite d'envois d'e-mails pour aujourd'hui (il en reste 1). "
        "Réessayez demain." in text
    )
    assert in_textarea(text, "Encore un message.")
    assert len(mailoutbox) == 3
    assert MailCounter.objects.get(scope="account", key=str(fiona.pk)).count == 3


def test_fixing_a_date_over_the_quota_is_refused_and_tells_nobody(
    client_of, settings, telework, a_enrolled, fiona, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 1
    workshop = telework.workshops.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule_page(client_of(fiona), workshop, at(20))
    assert response.status_code == 200
    assert "Votre compte a atteint sa limite d'envois d'e-mails" in page_text(response)
    workshop.refresh_from_db()
    assert not workshop.is_dated
    assert mailoutbox == []


# Query count


def enrol_organisations(cohort, count, start=0):
    for n in range(start, start + count):
        organisation = OrganisationFactory(name=f"Structure {n:02}", slug=f"structure-{n:02}")
        Affiliation.objects.create(network=cohort.network, organisation=organisation)
        lead = MembershipFactory(organisation=organisation, role=Role.LEAD)
        staff = MembershipFactory(organisation=organisation, role=Role.STAFF_REP)
        enrolment = actions.join_with_code(
            organisation, code=cohort.join_code, participants=[(lead, ""), (staff, "")], by=lead.user
        )
        actions.hand_in(
            enrolment, workshop=cohort.workshops.get(number=1), text="Travail", files=[], by=lead.user
        )


def test_the_cohort_page_costs_the_same_queries_for_4_or_8_organisations(
    client_of, network, fiona, programmes, django_assert_max_num_queries
):
    cohort = new_cohort(network, fiona, programmes[TELEWORK], places=10)
    client = client_of(fiona)
    url = network_url("cohort", cohort)
    client.get(url)  # session and caches warmed

    enrol_organisations(cohort, 4)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    enrol_organisations(cohort, 4, start=4)
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as eight:
        response = client.get(url)
    assert response.status_code == 200
    assert page_text(response).count("atelier 1") >= 8
    assert len(eight) == len(four), (len(four), len(eight))

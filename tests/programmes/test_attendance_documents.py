"""The attendance sheet, the attendance certificate and the cohort's export: who is on them,
the hours they count, and that a participant's certificate names nobody else."""

import datetime
import io
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from reperes.organisations.models import Membership
from reperes.programmes import document_views
from reperes.programmes.documents import (
    attendance_certificate_pdf,
    attendance_matrix,
    attendance_sheet_pdf,
    cohort_xlsx,
    hours_label,
)
from reperes.programmes.models import (
    Assignment,
    Attendance,
    Cohort,
    Enrolment,
    Participant,
    Programme,
    ProgrammeVersion,
    Speaker,
    Workshop,
)
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

PARIS = ZoneInfo("Europe/Paris")
ONSITE, REMOTE, EXCUSED, ABSENT = Attendance.Status
WHOLE, MORNING, AFTERNOON = Attendance.Half


def pdf_text(content, tmp_path):
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


@pytest.fixture
def cohort(network, fiona):
    programme = Programme.objects.create(slug="qvt", title="Qualité de vie au travail")
    version = ProgrammeVersion.objects.create(
        programme=programme, number=1, content_hash="0" * 64, source="test", content={}
    )
    cohort = Cohort.objects.create(
        network=network,
        programme_version=version,
        name="Cohorte Loire 2021",
        places=8,
        location="Nantes",
        funders="Uniformation",
        state=Cohort.State.RUNNING,
    )
    cohort.facilitators.add(fiona)
    return cohort


def participant(enrolment, user, pair_role=""):
    membership = Membership.objects.get(user=user, organisation=enrolment.organisation)
    return Participant.objects.create(enrolment=enrolment, membership=membership, pair_role=pair_role)


@pytest.fixture
def alice_in(cohort, org_a, alice):
    enrolment = Enrolment.objects.create(cohort=cohort, organisation=org_a, state=Enrolment.State.ACCEPTED)
    return participant(enrolment, alice, Participant.PairRole.MANAGER)


@pytest.fixture
def bob_in(alice_in, bob):
    return participant(alice_in.enrolment, bob, Participant.PairRole.EMPLOYEE)


@pytest.fixture
def dave_declined(cohort, org_b, dave):
    enrolment = Enrolment.objects.create(cohort=cohort, organisation=org_b, state=Enrolment.State.DECLINED)
    return participant(enrolment, dave)


def workshop(cohort, number, minutes=180, starts_at=None, **fields):
    if starts_at is None:
        return Workshop.objects.create(
            cohort=cohort, number=number, title=f"Séance {number}", duration_minutes=minutes
        )
    return Workshop.objects.create(
        cohort=cohort,
        number=number,
        title=f"Séance {number}",
        duration_minutes=minutes,
        precision=Workshop.Precision.EXACT,
        starts_at=starts_at,
        **fields,
    )


def on(day, hour=9, minute=30):
    return datetime.datetime(2021, 9, day, hour, minute, tzinfo=PARIS)


def attend(participant, workshop, status, half=WHOLE):
    return Attendance.objects.create(participant=participant, workshop=workshop, status=status, half=half)


def test_hours_label():
    assert [hours_label(m) for m in (0, 45, 180, 210, 630, 65)] == [
        "0 h",
        "45 min",
        "3 h",
        "3 h 30",
        "10 h 30",
        "1 h 05",
    ]


def test_sheet_lists_accepted_participants_with_one_signature_column(
    cohort, alice_in, bob_in, dave_declined, tmp_path
):
    session = workshop(cohort, 2, 180, on(14), location="Maison de l'ESS, Nantes")
    session.speakers.add(
        Speaker.objects.create(cohort=cohort, name="Maître Durand", organisation_name="Cabinet D")
    )
    text = pdf_text(attendance_sheet_pdf(session), tmp_path)
    assert "Feuille d'émargement" in text
    assert "Cohorte Loire 2021" in text
    assert "Qualité de vie au travail" in text
    assert "Atelier 2 : Séance 2" in text
    assert "mardi 14 septembre 2021, 9 h 30 – 12 h 30" in text
    assert "Maison de l'ESS, Nantes" in text
    assert "Fiona" in text
    assert "Maître Durand" in text
    assert "Alice" in text and "Bob" in text and "Les Jardins du Lien" in text
    assert "Dave" not in text and "Bois & Compagnie" not in text
    assert "Signature" in text
    assert "Matin" not in text and "Après-midi" not in text


def test_sheet_of_a_full_day_has_a_morning_and_an_afternoon_column(cohort, alice_in, tmp_path):
    text = pdf_text(attendance_sheet_pdf(workshop(cohort, 1, 420, on(17, 9, 0))), tmp_path)
    assert "vendredi 17 septembre 2021, 9 h – 16 h" in text
    assert "Matin" in text and "Après-midi" in text


def test_sheet_of_an_undated_workshop_says_the_date_is_to_be_set(cohort, alice_in, tmp_path):
    text = pdf_text(attendance_sheet_pdf(workshop(cohort, 3)), tmp_path)
    assert "Date à fixer" in text
    assert "Alice" in text


def test_sheet_breaks_across_pages_and_repeats_its_header(cohort, tmp_path):
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        organisation=OrganisationFactory(name="Grande Structure"),
        state=Enrolment.State.ACCEPTED,
    )
    for n in range(30):
        member = MembershipFactory(
            organisation=enrolment.organisation, user=UserFactory(name=f"Personne {n:02d}")
        )
        Participant.objects.create(enrolment=enrolment, membership=member)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(attendance_sheet_pdf(workshop(cohort, 1, 180, on(14))))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    assert all("Participant·e" in page and "Signature" in page for page in pages if "Personne" in page)
    assert all(f"Personne {n:02d}" in text for n in range(30))


def test_certificate_counts_the_hours_attended_of_the_held_workshops(
    cohort, alice_in, bob_in, dave_declined, tmp_path
):
    held = [workshop(cohort, n, 180, on(7 * n)) for n in (1, 2, 3, 4)]
    for session in held[:3]:
        attend(alice_in, session, ONSITE)
        attend(bob_in, session, ONSITE)
    attend(alice_in, held[3], EXCUSED)
    workshop(cohort, 5, 180)  # not dated: not held
    workshop(cohort, 6, 180, datetime.datetime(2999, 1, 5, 9, tzinfo=PARIS))  # to come
    cancelled = workshop(cohort, 7, 180, on(2), cancelled_at=on(1))
    attend(alice_in, cancelled, ONSITE)
    text = pdf_text(attendance_certificate_pdf(alice_in, cohort=cohort), tmp_path)
    assert "Attestation d'assiduité" in text
    assert "Alice" in text and "Les Jardins du Lien" in text
    assert "Qualité de vie au travail" in text and "Cohorte Loire 2021" in text
    assert "9 h sur 12 h" in text
    assert "Excusé·e" in text
    assert "Séance 5" not in text and "Séance 6" not in text and "Séance 7" not in text
    assert "Fiona" in text
    assert "Fait à Nantes, le" in text
    assert "Bob" not in text and "Dave" not in text


def test_certificate_counts_half_a_full_day_for_the_morning_only(cohort, alice_in, tmp_path):
    day = workshop(cohort, 1, 420, on(17, 9, 0))
    attend(alice_in, day, REMOTE, MORNING)
    attend(alice_in, day, ABSENT, AFTERNOON)
    text = pdf_text(attendance_certificate_pdf(alice_in, cohort=cohort), tmp_path)
    assert "3 h 30 sur 7 h" in text
    assert "Matin : présent·e à distance" in text
    assert "absent·e" in text


def test_certificate_refuses_a_participant_of_another_cohort(cohort, alice_in, network):
    other = Cohort.objects.create(
        network=network, programme_version=cohort.programme_version, name="Autre", places=4
    )
    with pytest.raises(ValueError):
        attendance_certificate_pdf(alice_in, cohort=other)


def test_matrix_gives_statuses_per_half_and_minutes(cohort, alice_in, bob_in, dave_declined):
    morning = workshop(cohort, 1, 180, on(14))
    day = workshop(cohort, 2, 420, on(21, 9, 0))
    attend(alice_in, morning, ONSITE)
    attend(alice_in, day, ONSITE, MORNING)
    attend(alice_in, day, ONSITE, AFTERNOON)
    attend(bob_in, day, EXCUSED, AFTERNOON)
    matrix = attendance_matrix(cohort)
    assert [w.number for w in matrix.workshops] == [1, 2]
    assert matrix.held_minutes == 600
    alice_row, bob_row = matrix.rows
    assert (alice_row.participant, bob_row.participant) == (alice_in, bob_in)
    assert alice_row.statuses == [[(WHOLE, ONSITE)], [(MORNING, ONSITE), (AFTERNOON, ONSITE)]]
    assert bob_row.statuses == [[(WHOLE, "")], [(MORNING, ""), (AFTERNOON, EXCUSED)]]
    assert (alice_row.minutes, alice_row.hours, bob_row.minutes) == (600, "10 h", 0)


def test_matrix_query_count_does_not_grow_with_participants(cohort, alice_in, django_assert_max_num_queries):
    sessions = [workshop(cohort, n, 420 if n == 2 else 180, on(7 * n)) for n in (1, 2, 3)]
    for _ in range(12):
        enrolment = Enrolment.objects.create(
            cohort=cohort, organisation=OrganisationFactory(), state=Enrolment.State.ACCEPTED
        )
        member = MembershipFactory(organisation=enrolment.organisation)
        person = Participant.objects.create(enrolment=enrolment, membership=member)
        for session in sessions:
            for half in session.halves:
                attend(person, session, ONSITE, half)
    with django_assert_max_num_queries(3):
        matrix = attendance_matrix(cohort)
        assert len(matrix.rows) == 13
        assert {row.organisation.name for row in matrix.rows}
        assert [row.participant.membership.user.name for row in matrix.rows]
        assert sum(row.minutes for row in matrix.rows) == 12 * (180 + 420 + 180)


def test_export_has_three_sheets_and_neutralises_formulas(cohort, alice_in, bob_in, tmp_path):
    alice_in.membership.user.name = '=HYPERLINK("http://evil.example")'
    alice_in.membership.user.save()
    session = workshop(cohort, 1, 180, on(14))
    attend(alice_in, session, ONSITE)
    Assignment.objects.create(enrolment=alice_in.enrolment, workshop=session, text="-fait", is_late=True)
    workbook = load_workbook(io.BytesIO(cohort_xlsx(cohort)))
    assert workbook.sheetnames == ["Structures", "Présences", "Travaux"]
    structures = [[c.value for c in row] for row in workbook["Structures"].iter_rows()]
    assert structures[1][:2] == ["Les Jardins du Lien", "Inscrite"]
    assert "Bob" in structures[1][2]
    presences = [[c.value for c in row] for row in workbook["Présences"].iter_rows()]
    assert presences[0][:4] == ["Participant·e", "Structure", "Place dans le binôme", "Atelier 1"]
    names = [row[0] for row in presences[1:]]
    assert '\'=HYPERLINK("http://evil.example")' in names
    alice_row = presences[1 + names.index('\'=HYPERLINK("http://evil.example")')]
    assert alice_row[3:] == ["Présent·e sur place", 3, 3]
    travaux = [[c.value for c in row] for row in workbook["Travaux"].iter_rows()]
    assert travaux[1] == [
        "Atelier 1 : Séance 1",
        "Les Jardins du Lien",
        timezone.localdate().isoformat(),
        "oui",
    ]
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


# The views, called directly: the lead adds their URLs.


@pytest.fixture
def rf():
    return RequestFactory()


def as_user(rf, user):
    request = rf.get("/")
    request.user = user
    user.is_verified = lambda: True
    return request


def test_facilitator_downloads_the_sheet_the_certificate_and_the_export(cohort, alice_in, fiona, network, rf):
    workshop(cohort, 1, 180, on(14))
    request = as_user(rf, fiona)
    sheet = document_views.attendance_sheet(request, network.slug, cohort.pk, 1)
    assert sheet["Content-Type"] == "application/pdf"
    assert (
        sheet["Content-Disposition"] == 'attachment; filename="emargement-cohorte-loire-2021-atelier-1.pdf"'
    )
    certificate = document_views.attendance_certificate(request, network.slug, cohort.pk, alice_in.pk)
    assert certificate.content.startswith(b"%PDF")
    export = document_views.cohort_export(request, network.slug, cohort.pk)
    assert export["Content-Disposition"] == 'attachment; filename="cohorte-loire-2021.xlsx"'


def test_facilitator_gets_404_for_a_missing_workshop_or_a_declined_participant(
    cohort, alice_in, dave_declined, fiona, network, rf
):
    request = as_user(rf, fiona)
    with pytest.raises(Http404):
        document_views.attendance_sheet(request, network.slug, cohort.pk, 9)
    with pytest.raises(Http404):
        document_views.attendance_certificate(request, network.slug, cohort.pk, dave_declined.pk)


def test_outsider_gets_404(cohort, alice_in, nina, network, rf):
    workshop(cohort, 1, 180, on(14))
    request = as_user(rf, nina)
    with pytest.raises(Http404):
        document_views.attendance_sheet(request, network.slug, cohort.pk, 1)
    with pytest.raises(Http404):
        document_views.cohort_export(request, network.slug, cohort.pk)


def test_participant_downloads_their_own_certificate(cohort, alice_in, bob_in, org_a, rf, tmp_path):
    response = document_views.my_certificate(as_user(rf, bob_in.membership.user), org_a.slug, cohort.pk)
    text = pdf_text(response.content, tmp_path)
    assert "Bob" in text and "Alice" not in text


def test_member_who_is_not_a_participant_gets_404(cohort, alice_in, carol, org_a, rf):
    with pytest.raises(Http404):
        document_views.my_certificate(as_user(rf, carol), org_a.slug, cohort.pk)


def test_pilot_who_is_not_a_participant_gets_404(cohort, org_a, alice, bob, rf):
    enrolment = Enrolment.objects.create(cohort=cohort, organisation=org_a, state=Enrolment.State.ACCEPTED)
    participant(enrolment, bob)
    with pytest.raises(Http404):
        document_views.my_certificate(as_user(rf, alice), org_a.slug, cohort.pk)

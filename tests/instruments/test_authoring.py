"""A network writes its own questionnaire without a developer: its staff export a shipped one as
XLSForm, import a workbook as a draft (every problem listed, nothing kept), look at it as a
respondent will, publish it, and its member organisations — only they — run a diagnostic with
it. A published version never changes; a new import makes the next one."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reperes.campaigns.models import Campaign
from reperes.instruments import actions
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire, QuestionnaireDraft
from reperes.instruments.xlsform import REPERES, SURVEY, export_workbook
from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Affiliation, Event, Role
from tests.accounts.factories import UserFactory
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def shipped():
    load_definitions(only=["qvt-numerique"])
    return Questionnaire.objects.get(slug="qvt-numerique")


def workbook(shipped, *, slug="bien-etre-reseau", title="Bien-être au travail (réseau)", change=None):
    """The shipped questionnaire's workbook, renamed as a network would before importing it."""
    book = load_workbook(io.BytesIO(export_workbook(shipped.latest_version().definition)))
    for row in book[REPERES].iter_rows(min_row=2):
        if row[0].value == "slug":
            row[1].value = slug
        if row[0].value == "title":
            row[1].value = title
    if change:
        change(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(data, name="questionnaire.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_the_staff_export_a_shipped_questionnaire_as_xlsform(client_of, hugo, network, shipped):
    response = client_of(hugo).get(reverse("instruments:export", args=[network.slug, shipped.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="qvt-numerique-v1.xlsx"' in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:3] == ["survey", "choices", "settings"]


def test_import_preview_publish_and_a_member_organisation_runs_it(
    client_of, hugo, alice, dave, network, org_a, shipped
):
    client = client_of(hugo)
    library = reverse("instruments:library", args=[network.slug])
    assert client.get(library).status_code == 200
    response = client.post(
        reverse("instruments:import", args=[network.slug]), {"workbook": upload(workbook(shipped))}
    )
    draft = QuestionnaireDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.slug == "bien-etre-reseau"
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Bien-être au travail (réseau)" in page
    assert "30 affirmations" in page

    # The preview: the answering pages' statements, one theme per page, then nothing more.
    preview = client.get(
        reverse("campaigns:draft_preview", args=[network.slug, draft.pk, 1])
    ).content.decode()
    assert "Thème 1 sur 6" in preview
    assert 'type="radio"' in preview
    assert "Conduite d&#x27;un projet de transformation" in preview
    assert client.get(reverse("campaigns:draft_preview", args=[network.slug, draft.pk, 7])).status_code == 404

    # Not yet published: no organisation sees it.
    create = reverse("campaigns:create", args=[org_a.slug])
    assert "Bien-être au travail (réseau)" not in client_of(alice).get(create).content.decode()

    client = client_of(hugo)
    response = client.post(reverse("instruments:publish", args=[network.slug, draft.pk]))
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get(slug="bien-etre-reseau")
    assert questionnaire.network == network
    assert questionnaire.latest_version().number == 1
    assert list(Event.objects.filter(network=network).values_list("verb", flat=True).order_by("pk")) == [
        "questionnaire_imported",
        "questionnaire_published",
    ]

    # A lead of a member organisation runs a diagnostic with it.
    client = client_of(alice)
    assert "Bien-être au travail (réseau)" in client.get(create).content.decode()
    response = client.post(
        create,
        {
            "title": "Diagnostic du réseau",
            "questionnaire": questionnaire.pk,
            "mode": "individual",
            "access": "link",
            "collective_method": "counts",
            "closes_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "groups": "",
        },
    )
    assert response.status_code == 302, [str(e) for e in response.context["form"].errors.items()]
    campaign = Campaign.objects.get(title="Diagnostic du réseau")
    assert campaign.questionnaire_version == questionnaire.latest_version()


def test_another_network_s_organisations_never_see_it(client_of, hugo, network, shipped):
    draft = actions.import_draft(network, data=workbook(shipped), file_name="q.xlsx", by=hugo)
    actions.publish_draft(draft, by=hugo)
    elsewhere = OrganisationFactory(name="Ailleurs", slug="ailleurs")
    Affiliation.objects.create(
        network=NetworkFactory(name="Autre réseau", slug="autre"), organisation=elsewhere
    )
    lead = MembershipFactory(organisation=elsewhere, role=Role.LEAD).user
    assert not Questionnaire.objects.available_to(elsewhere).filter(slug="bien-etre-reseau").exists()
    page = client_of(lead).get(reverse("campaigns:create", args=[elsewhere.slug])).content.decode()
    assert "Bien-être au travail (réseau)" not in page
    # A questionnaire chosen by a link it may not use chooses nothing.
    page = client_of(lead).get(
        reverse("campaigns:create", args=[elsewhere.slug]) + "?questionnaire=bien-etre-reseau"
    )
    assert "Bien-être au travail (réseau)" not in page.content.decode()


def test_a_workbook_with_problems_lists_them_and_keeps_nothing(client_of, hugo, network, shipped):
    def break_it(book):
        book[SURVEY]["C3"] = '=CONCAT("a","b")'
        book[SURVEY].insert_rows(4)
        book[SURVEY]["A4"], book[SURVEY]["B4"], book[SURVEY]["C4"] = "integer", "age", "Votre âge"

    response = client_of(hugo).post(
        reverse("instruments:import", args=[network.slug]),
        {"workbook": upload(workbook(shipped, change=break_it))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le classeur n'est pas importé" in page
    assert "une formule" in page
    assert QuestionnaireDraft.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Ce fichier est vide"),
        (b"type,name,label\n", "pas un classeur XLSX"),
        (b"x" * (2 * 1024 * 1024 + 1), "dépasse 2 Mo"),
    ],
)
def test_bad_files_are_refused_in_french(client_of, hugo, network, shipped, data, message):
    response = client_of(hugo).post(
        reverse("instruments:import", args=[network.slug]), {"workbook": upload(data)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert QuestionnaireDraft.objects.count() == 0


def test_a_published_version_never_changes_and_a_new_import_is_the_next_version(hugo, network, shipped):
    first = actions.import_draft(network, data=workbook(shipped), file_name="v1.xlsx", by=hugo)
    version_1 = actions.publish_draft(first, by=hugo)
    with pytest.raises(ActionRefused, match="déjà publié"):
        actions.publish_draft(first, by=hugo)
    same = actions.import_draft(network, data=workbook(shipped), file_name="v1-bis.xlsx", by=hugo)
    with pytest.raises(ActionRefused, match="identique à la version 1"):
        actions.publish_draft(same, by=hugo)
    renamed = actions.import_draft(
        network,
        data=workbook(shipped, title="Bien-être au travail, 2e édition"),
        file_name="v2.xlsx",
        by=hugo,
    )
    version_2 = actions.publish_draft(renamed, by=hugo)
    assert (version_1.number, version_2.number) == (1, 2)
    version_1.refresh_from_db()
    assert version_1.definition["title"] == "Bien-être au travail (réseau)"
    assert Questionnaire.objects.get(slug="bien-etre-reseau").title == "Bien-être au travail, 2e édition"
    with pytest.raises(ActionRefused, match="reste"):
        actions.delete_draft(renamed, by=hugo)


def test_a_slug_held_by_repères_or_another_network_is_never_taken(hugo, network, shipped):
    # The shipped questionnaire exported and imported as is: its slug is Repères' own.
    draft = actions.import_draft(
        network, data=workbook(shipped, slug="qvt-numerique"), file_name="q.xlsx", by=hugo
    )
    assert draft.slug == "qvt-numerique-reseau"
    actions.publish_draft(draft, by=hugo)
    assert Questionnaire.objects.get(slug="qvt-numerique").network is None
    assert Questionnaire.objects.get(slug="qvt-numerique").versions.count() == 1

    other = NetworkFactory(name="Autre", slug="autre")
    admin = NetworkMembershipFactory(network=other, user=UserFactory(), role="admin").user
    theirs = actions.import_draft(
        other, data=workbook(shipped, slug="qvt-numerique-reseau"), file_name="q.xlsx", by=admin
    )
    assert theirs.slug == "qvt-numerique-reseau-autre"


def test_a_shipped_file_never_adds_versions_to_a_network_s_questionnaire(hugo, network, shipped, tmp_path):
    from reperes.instruments.definition import DefinitionError

    draft = actions.import_draft(
        network, data=workbook(shipped, slug="nouveau-diag"), file_name="q.xlsx", by=hugo
    )
    actions.publish_draft(draft, by=hugo)
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    from reperes.instruments.definition import DEFINITIONS_DIR

    (definitions / "scales.yaml").write_text((DEFINITIONS_DIR / "scales.yaml").read_text())
    text = (
        (DEFINITIONS_DIR / "qvt-numerique.yaml")
        .read_text()
        .replace("slug: qvt-numerique", "slug: nouveau-diag")
    )
    (definitions / "nouveau-diag.yaml").write_text(text)
    with pytest.raises(DefinitionError, match="publié par un réseau"):
        load_definitions(definitions)


@pytest.mark.parametrize("persona", ["alice", "dave", "fiona", "nina"])
def test_who_may_author(client_of, personas, network, shipped, persona):
    response = client_of(personas[persona]).get(reverse("instruments:library", args=[network.slug]))
    # Network staff who write content: administrators, facilitators, analysts. Members of an
    # organisation hold no network role: the page does not exist for them.
    assert response.status_code == (200 if persona in ("fiona", "nina") else 404)


def test_another_network_s_drafts_and_questionnaires_are_a_404(client_of, hugo, network, shipped):
    other = NetworkFactory(name="Autre", slug="autre")
    admin = NetworkMembershipFactory(network=other, user=UserFactory(), role="admin").user
    theirs = actions.import_draft(other, data=workbook(shipped, slug="a-eux"), file_name="q.xlsx", by=admin)
    actions.publish_draft(
        actions.import_draft(other, data=workbook(shipped, slug="a-eux-2"), file_name="q.xlsx", by=admin),
        by=admin,
    )
    client = client_of(hugo)
    for url in (
        reverse("instruments:draft", args=[network.slug, theirs.pk]),
        reverse("instruments:draft_export", args=[network.slug, theirs.pk]),
        reverse("campaigns:draft_preview", args=[network.slug, theirs.pk, 1]),
        reverse("instruments:export", args=[network.slug, "a-eux-2"]),
        reverse("instruments:draft", args=[other.slug, theirs.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("instruments:publish", args=[network.slug, theirs.pk])).status_code == 404
    assert client.post(reverse("instruments:delete", args=[network.slug, theirs.pk])).status_code == 404
    assert QuestionnaireDraft.objects.filter(pk=theirs.pk, published_version__isnull=True).exists()


def test_a_copy_of_a_shipped_questionnaire_remembers_where_it_came_from(client_of, hugo, network, shipped):
    client = client_of(hugo)
    exported = client.get(reverse("instruments:export", args=[network.slug, shipped.slug])).content
    book = load_workbook(io.BytesIO(exported))
    assert ["copie_de", "qvt-numerique@1"] in [list(row) for row in book[REPERES].iter_rows(values_only=True)]
    for row in book[REPERES].iter_rows(min_row=2):
        if row[0].value == "slug":
            row[1].value = "ma-copie"
    output = io.BytesIO()
    book.save(output)
    draft = actions.import_draft(network, data=output.getvalue(), file_name="copie.xlsx", by=hugo)
    assert draft.based_on == shipped.latest_version()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Copie de" in page
    assert "version 1 (fourni avec Repères, qui ne change pas)" in page
    actions.publish_draft(draft, by=hugo)
    assert shipped.versions.count() == 1  # the original is untouched
    # The draft's own workbook still names its origin.
    again = client.get(reverse("instruments:draft_export", args=[network.slug, draft.pk])).content
    rows = [list(row) for row in load_workbook(io.BytesIO(again))[REPERES].iter_rows(values_only=True)]
    assert ["copie_de", "qvt-numerique@1"] in rows

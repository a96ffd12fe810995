"""A network writes its own programme templates (issue 16, point 2): a draft from scratch or a
copy of a shipped template (which never changes), edited page by page with the rules of the
template files, refused in French with the input kept, stale forms refused, previewed as an
organisation reads it, published as immutable versions; its facilitators create cohorts with
it, and no other network sees it."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Event
from reperes.programmes import actions, authoring
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Cohort, Programme, ProgrammeDraft, ProgrammeVersion
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db

TELEWORK = "teletravail-de-qualite"


@pytest.fixture
def shipped():
    load_programmes()
    return Programme.objects.get(slug=TELEWORK)


@pytest.fixture
def other_network():
    network = NetworkFactory(name="Un autre réseau", slug="autre-reseau")
    zoe = NetworkMembershipFactory(
        network=network, user=UserFactory(email="zoe@example.org", name="Zoé"), role="facilitator"
    ).user
    network.zoe = zoe
    return network


def url(name, network, *args):
    return reverse(f"programmes:{name}", args=[network.slug, *args])


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def session_data(draft, number, **changes):
    """The POST of workshop `number`'s page as it shows the draft, with `changes`."""
    session = draft.content["sessions"][number - 1]
    intersession = session.get("intersession") or {}
    data = {
        "revision": draft.revision,
        "title": session["title"],
        "duration_minutes": session["duration_minutes"],
        "format": session["format"],
        "date_hint": session.get("date_hint") or "",
        "objectives": "\n".join(session.get("objectives", [])),
        "content": "\n".join(session.get("content", [])),
        "speakers": "\n".join(session.get("speakers", [])),
        "intersession_title": intersession.get("title", ""),
        "intersession_kind": intersession.get("kind", "work"),
        "intersession_task": intersession.get("task", ""),
    }
    return data | changes


def copy_of(client, network, programme):
    response = client.post(url("template_copy", network, programme.pk))
    assert response.status_code == 302
    return ProgrammeDraft.objects.get(network=network, published_version__isnull=True)


# Starting a draft


def test_a_draft_from_scratch_starts_with_one_workshop_and_a_review(client_of, hugo, network):
    client = client_of(hugo)
    assert client.get(url("template_create", network)).status_code == 200
    response = client.post(
        url("template_create", network),
        {"title": "Mieux se réunir", "aim": "Des réunions plus courtes.", "audience": "Les équipes."},
    )
    draft = ProgrammeDraft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.network == network and draft.created_by == hugo and draft.revision == 1
    assert draft.content["slug"] == "mieux-se-reunir-reseau"
    assert [session["title"] for session in draft.content["sessions"]] == ["Premier atelier"]
    assert draft.content["review"]["after_months"] == 6
    assert Event.objects.filter(verb="programmes.template_created", network=network).exists()


def test_a_copy_remembers_its_original_which_does_not_change(client_of, hugo, network, shipped):
    original = shipped.latest_version()
    before = (original.content_hash, dict(original.content))
    draft = copy_of(client_of(hugo), network, shipped)
    assert draft.based_on == original and draft.programme is None
    assert draft.content["slug"] == f"{TELEWORK}-reseau"
    assert draft.content["sessions"] == original.content["sessions"]

    draft = actions.save_template_draft(
        draft,
        content=authoring.without_session(draft.content, 2),
        revision=draft.revision,
        by=hugo,
    )
    original.refresh_from_db()
    assert (original.content_hash, original.content) == before
    assert shipped.versions.count() == 1 and shipped.network is None
    page = page_text(client_of(hugo).get(draft.get_absolute_url()))
    assert "Copie de" in page and "fourni avec Repères, qui ne change pas" in page


# Editing


def test_the_author_edits_a_workshop_on_its_own_page(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    page = client.get(url("template_session", network, draft.pk, 2))
    assert page.status_code == 200 and "Opérer le changement" in page_text(page)
    response = client.post(
        url("template_session", network, draft.pk, 2),
        session_data(
            draft,
            2,
            title="Changer ensemble",
            duration_minutes="150",
            objectives="Écouter chaque structure\n\n  Choisir   une piste  ",
            remove_tools=["0"],
            new_tool="fiche:teletravail-circonstances-exceptionnelles",
            new_tool_label="Relire la fiche avant l'atelier",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    session = draft.content["sessions"][1]
    assert session["title"] == "Changer ensemble" and session["duration_minutes"] == 150
    assert session["objectives"] == ["Écouter chaque structure", "Choisir une piste"]
    assert session["tools"][0]["slug"] != "teletravail-preparation"
    assert session["tools"][-1] == {
        "kind": "fiche",
        "slug": "teletravail-circonstances-exceptionnelles",
        "label": "Relire la fiche avant l'atelier",
    }
    assert draft.revision == 2 and draft.updated_by == hugo


def test_general_part_and_review_are_edited_and_validated(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    general = {
        "revision": draft.revision,
        "title": "Télétravail en Charente",
        "aim": "Installer un **télétravail** choisi.",
        "audience": "Les employeurs de l'ESS.",
        "enrolment": "pair",
        "pair_roles": ["manager", "employee"],
        "max_participants": "2",
        "max_employees": "49",
        "management_commitment": "on",
    }
    response = client.post(url("template_general", network, draft.pk), general)
    assert response.status_code == 302, page_text(response)
    draft.refresh_from_db()
    assert draft.title == "Télétravail en Charente" and draft.content["enrolment"] == "pair"
    assert draft.content["eligibility"]["max_employees"] == 49
    response = client.post(
        url("template_review", network, draft.pk),
        {"revision": draft.revision, "after_months": "9", "questionnaire": "", "text": "On refait le point."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content["review"] == {"after_months": 9, "questionnaire": "", "text": "On refait le point."}
    preview = page_text(client.get(url("template_preview", network, draft.pk)))
    assert "<strong>télétravail</strong>" in preview and "Un binôme par structure" in preview


def test_invalid_input_is_refused_in_french_and_kept(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    typed = "Un objectif " + "très " * 80
    response = client.post(
        url("template_session", network, draft.pk, 1),
        session_data(draft, 1, title="Nouveau titre gardé", duration_minutes="20", objectives=typed),
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "Assurez-vous que cette valeur est supérieure ou égale à 30" in page
    assert "Ligne 1 : 300 caractères au plus" in page
    assert 'value="Nouveau titre gardé"' in page and typed.strip() in page
    # A pair needs two roles.
    general = {"revision": 1, "title": "T", "aim": "A", "audience": "P", "enrolment": "pair"}
    response = client.post(url("template_general", network, draft.pk), general | {"max_participants": "2"})
    assert response.status_code == 400 and "Un binôme a deux rôles : cochez-en deux." in page_text(response)
    # Moving the last workshop up would leave an intersession with nothing after it: refused.
    last = len(draft.content["sessions"])
    response = client.post(
        url("template_session_move", network, draft.pk, last), {"revision": draft.revision, "direction": "up"}
    )
    assert response.status_code == 302
    assert any(
        message.startswith("Le modèle n'est pas enregistré : atelier") for message in flashed(response)
    )
    draft.refresh_from_db()
    assert draft.revision == 1


def test_markdown_is_sanitised_in_the_preview(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    content = dict(draft.content, aim="Voir <script>alert(1)</script> [ici](javascript:alert(1)) et *là*.")
    actions.save_template_draft(draft, content=content, revision=1, by=hugo)
    page = client.get(url("template_preview", network, draft.pk)).content.decode()
    assert "<script>alert(1)" not in page and "javascript:alert" not in page and "<em>là</em>" in page


def test_a_stale_form_is_refused_and_its_input_kept(client_of, hugo, fiona, network, shipped):
    draft = copy_of(client_of(hugo), network, shipped)
    opened_at = draft.revision
    # Fiona saves first.
    response = client_of(fiona).post(
        url("template_session", network, draft.pk, 1), session_data(draft, 1, title="Le titre de Fiona")
    )
    assert response.status_code == 302
    # Hugo's page was opened before: refused, what he typed given back.
    response = client_of(hugo).post(
        url("template_session", network, draft.pk, 1),
        session_data(draft, 1, title="Le titre de Hugo", revision=opened_at),
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "Ce brouillon a été modifié par Fiona depuis que vous avez ouvert la page" in page
    assert 'value="Le titre de Hugo"' in page
    draft.refresh_from_db()
    assert draft.content["sessions"][0]["title"] == "Le titre de Fiona" and draft.revision == opened_at + 1


def test_workshops_are_added_reordered_and_removed_without_javascript(client_of, hugo, network):
    client = client_of(hugo)
    draft = actions.create_template_draft(network, title="Réunions", aim="Mieux.", audience="Tous.", by=hugo)
    add = url("template_session_add", network, draft.pk)
    client.post(add, {"revision": 1, "title": "Deuxième", "duration_minutes": 90, "format": "remote"})
    client.post(add, {"revision": 2, "title": "Troisième", "duration_minutes": 60, "format": "hybrid"})
    draft.refresh_from_db()
    assert [s["title"] for s in draft.content["sessions"]] == ["Premier atelier", "Deuxième", "Troisième"]
    client.post(url("template_session_move", network, draft.pk, 3), {"revision": 3, "direction": "up"})
    client.post(url("template_session_remove", network, draft.pk, 1), {"revision": 4})
    draft.refresh_from_db()
    assert [(s["number"], s["title"]) for s in draft.content["sessions"]] == [
        (1, "Troisième"),
        (2, "Deuxième"),
    ]
    # A wrong field of the small form: the draft's page again, the input kept.
    response = client.post(
        add, {"revision": 5, "title": "Trop court", "duration_minutes": 5, "format": "onsite"}
    )
    assert response.status_code == 400 and 'value="Trop court"' in page_text(response)


# Publishing


def test_publish_v1_then_v2_and_a_cohort_keeps_v1(client_of, hugo, fiona, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    response = client.post(url("template_publish", network, draft.pk), {"revision": draft.revision})
    assert response.status_code == 302
    draft.refresh_from_db()
    programme = draft.programme
    assert programme.network == network and programme.slug == f"{TELEWORK}-reseau"
    v1 = draft.published_version
    assert v1.number == 1 and v1.content["slug"] == programme.slug
    # A published draft no longer changes.
    with pytest.raises(ActionRefused):
        actions.save_template_draft(draft, content=draft.content, revision=draft.revision, by=hugo)
    assert client.get(url("template_session", network, draft.pk, 1)).status_code == 302

    cohort = actions.create_cohort(network, programme=programme, name="Charente", places=6, by=fiona)
    assert cohort.programme_version == v1

    # Editing the published template makes a new draft; the same draft while it is pending.
    response = client.post(url("template_copy", network, programme.pk))
    second = ProgrammeDraft.objects.pending().get()
    assert second.programme == programme and second.based_on == v1
    client.post(url("template_copy", network, programme.pk))
    assert ProgrammeDraft.objects.pending().count() == 1
    # Identical: nothing to publish.
    response = client.post(url("template_publish", network, second.pk), {"revision": second.revision})
    assert any("identique à la version 1" in message for message in flashed(response))
    client.post(
        url("template_session", network, second.pk, 1), session_data(second, 1, title="Diagnostic, version 2")
    )
    second.refresh_from_db()
    client.post(url("template_publish", network, second.pk), {"revision": second.revision})
    second.refresh_from_db()
    assert second.published_version.number == 2 and programme.latest_version().number == 2
    cohort = Cohort.objects.get(pk=cohort.pk)
    assert cohort.programme_version == v1 and cohort.spec.sessions[0].title == "Diagnostic partagé"
    assert cohort.workshops.get(number=1).title == "Diagnostic partagé"
    assert ProgrammeVersion.objects.get(pk=v1.pk).content == v1.content


def test_publishing_a_stale_page_is_refused(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    actions.save_template_draft(
        draft, content=authoring.without_session(draft.content, 3), revision=1, by=hugo
    )
    response = client.post(url("template_publish", network, draft.pk), {"revision": 1})
    assert any("Ce brouillon a été modifié" in message for message in flashed(response))
    assert not Programme.objects.filter(network=network).exists()


# Other networks and cohort creation


def test_another_networks_draft_is_a_404_and_its_programme_is_never_offered(
    client_of, hugo, fiona, network, other_network, shipped
):
    draft = copy_of(client_of(hugo), network, shipped)
    actions.publish_template_draft(draft, revision=draft.revision, by=hugo)
    own = Programme.objects.get(network=network)
    zoe = client_of(other_network.zoe)
    for name, method in [
        ("template_draft", "get"),
        ("template_preview", "get"),
        ("template_general", "get"),
        ("template_publish", "post"),
        ("template_delete", "post"),
    ]:
        assert getattr(zoe, method)(url(name, network, draft.pk)).status_code == 404
        assert getattr(zoe, method)(url(name, other_network, draft.pk)).status_code == 404
    # Copying another network's programme through its own pages: not found.
    assert zoe.post(url("template_copy", other_network, own.pk)).status_code == 404

    # Cohort creation offers the shipped programmes and the network's own only.
    page = page_text(zoe.get(url("cohort_create", other_network)))
    assert shipped.title in page and f'value="{own.pk}"' not in page
    response = zoe.post(
        url("cohort_create", other_network), {"programme": own.pk, "name": "Volée", "places": 5}
    )
    assert response.status_code == 200
    assert "Ce parcours n'existe pas." in page_text(response)
    assert not Cohort.objects.exists()
    assert Programme.objects.available_to(other_network).filter(pk=own.pk).exists() is False
    page = page_text(client_of(fiona).get(url("cohort_create", network)))
    assert re.search(rf'value="{own.pk}"', page)
    response = client_of(fiona).post(
        url("cohort_create", network), {"programme": own.pk, "name": "Volée", "places": 5}
    )
    assert response.status_code == 302 and Cohort.objects.get().programme_version.programme == own


def test_only_the_networks_content_authors_reach_the_pages(client_of, alice, network, shipped):
    assert client_of(alice).get(url("templates", network)).status_code == 404
    assert client_of(None).get(url("templates", network)).status_code == 302


def test_a_draft_is_deleted_but_a_published_one_stays(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    assert client.post(url("template_delete", network, draft.pk)).status_code == 302
    assert not ProgrammeDraft.objects.exists()
    draft = copy_of(client, network, shipped)
    actions.publish_template_draft(draft, revision=draft.revision, by=hugo)
    client.post(url("template_delete", network, draft.pk))
    assert ProgrammeDraft.objects.filter(pk=draft.pk).exists()


# Query bounds


def test_the_templates_page_reads_a_bounded_number_of_queries(
    client_of, hugo, network, shipped, django_assert_max_num_queries
):
    client = client_of(hugo)
    for programme in Programme.objects.filter(network__isnull=True)[:3]:
        copy_of(client, network, programme)
        draft = ProgrammeDraft.objects.pending().get()
        actions.publish_template_draft(draft, revision=draft.revision, by=hugo)
    for programme in Programme.objects.filter(network__isnull=True)[:2]:
        actions.copy_programme(network, programme=programme, by=hugo)
    with django_assert_max_num_queries(12):
        response = client.get(url("templates", network))
    assert response.status_code == 200
    assert page_text(response).count("(nouveau brouillon)") == 3
    draft = ProgrammeDraft.objects.pending().first()
    with django_assert_max_num_queries(12):
        assert client.get(draft.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("template_preview", network, draft.pk)).status_code == 200


def test_a_workshop_uses_at_most_twenty_tools(client_of, hugo, network, shipped):
    client = client_of(hugo)
    draft = copy_of(client, network, shipped)
    content = dict(draft.content)
    glossary = [t for s in content["sessions"] for t in s.get("tools", []) if t["kind"] == "glossary"]
    fiches = [t for s in content["sessions"] for t in s.get("tools", []) if t["kind"] != "glossary"]
    unique = list({(t["kind"], t["slug"]): t for t in glossary + fiches}.values())[:20]
    assert len(unique) == 20
    content["sessions"][0]["tools"] = unique
    draft = actions.save_template_draft(draft, content=content, revision=1, by=hugo)
    response = client.post(
        url("template_session", network, draft.pk, 1),
        session_data(draft, 1, new_tool="exercise:usages-numeriques", new_tool_label="Écrire nos règles"),
    )
    assert response.status_code == 400
    assert "Un atelier utilise 20 outils au plus" in page_text(response)

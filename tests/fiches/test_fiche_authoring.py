"""A network writes its own fiches without a developer: its staff start one (blank or a copy of a
shipped fiche, which stays as it is), write it in a draft, look at it as a reader will, publish it,
and the members of its member organisations — only they — read it. A published version never
changes; editing a published fiche starts a new draft."""

import pytest
import yaml
from django.urls import reverse

from reperes.fiches import actions
from reperes.fiches.forms import FicheDraftForm
from reperes.fiches.models import Fiche, FicheDraft
from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Affiliation, Event, Role
from tests.accounts.factories import UserFactory
from tests.fiches.factories import create_fiche, minimal_fiche
from tests.helpers import page_text
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    return create_fiche(minimal_fiche(determinants=["labqvt:management", "anact:dialogue-social"]))


@pytest.fixture
def other_network():
    """Another network, with a facilitator (zoe) and a member organisation whose lead is olga."""
    network = NetworkFactory(name="Un autre réseau", slug="autre-reseau")
    organisation = OrganisationFactory(name="Ailleurs", slug="ailleurs")
    Affiliation.objects.create(network=network, organisation=organisation)
    zoe = NetworkMembershipFactory(
        network=network, user=UserFactory(email="zoe@example.org", name="Zoé"), role="facilitator"
    ).user
    olga = MembershipFactory(
        organisation=organisation, user=UserFactory(email="olga@example.org", name="Olga"), role=Role.LEAD
    ).user
    return network, zoe, olga


def form_data(draft, **changes):
    """What the draft's form posts when its author changes `changes`."""
    data = {key: value for key, value in FicheDraftForm.initial_for(draft).items() if value is not None}
    data.update(changes)
    return data


def written(draft, **changes):
    """A complete fiche, as an author fills the form."""
    complete = dict(
        title="Accueillir une nouvelle personne",
        summary="Les premiers jours comptent.",
        context="Une arrivée se **prépare** avant le premier jour.",
        stakes="Garder les personnes qui arrivent.",
        opportunities="Un collectif qui se renouvelle\nDes regards neufs",
        risks="Un départ rapide",
        questions="Qui accueille la personne ?\nQue lui montre-t-on la première semaine ?",
        how_to_act="Préparez un parcours d'arrivée.",
        steps="## Avant l'arrivée\nPréparer le poste.\n\n## Le premier jour\nUn repas ensemble.",
        example_organisation="Une Scop de l'Aude",
        example_text="Un binôme pour chaque arrivée.",
        reading="Bien accueillir | Aract | https://www.anact.fr/ | 2024",
        determinants=["labqvt:relations-climat", "anact:relations-travail"],
    )
    return form_data(draft, **{**complete, **changes})


def published(network, by, title="Accueillir une nouvelle personne"):
    draft = actions.create_draft(network, title=title, by=by)
    form = FicheDraftForm(written(draft, title=title))
    assert form.is_valid(), form.errors
    actions.update_draft(draft, content=form.content(draft.content), revision=1, by=by)
    actions.publish_draft(draft, by=by)
    return Fiche.objects.get(network=network, title=title)


def test_the_staff_start_a_fiche_from_scratch(client_of, fiona, network):
    client = client_of(fiona)
    assert client.get(reverse("fiches:network_library", args=[network.slug])).status_code == 200

    response = client.post(reverse("fiches:draft_create", args=[network.slug]), {"title": "Accueillir"})

    draft = FicheDraft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert (draft.network, draft.title, draft.created_by, draft.revision) == (network, "Accueillir", fiona, 1)
    assert Event.objects.filter(network=network, verb="fiche_draft_created", actor=fiona).exists()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_blank_title_is_refused_in_french(client_of, fiona, network):
    response = client_of(fiona).post(reverse("fiches:draft_create", args=[network.slug]), {"title": " "})

    assert response.status_code == 400
    assert "Donnez un titre à la fiche." in page_text(response)
    assert not FicheDraft.objects.exists()


def test_copying_a_shipped_fiche_leaves_the_original_unchanged(client_of, hugo, network, shipped):
    original = shipped.latest_version()
    client = client_of(hugo)

    client.post(reverse("fiches:draft_copy", args=[network.slug, shipped.slug]))
    draft = FicheDraft.objects.get()
    client.post(draft.get_absolute_url(), form_data(draft, title="Notre conduite de projet"))

    draft.refresh_from_db()
    assert draft.based_on == original and draft.fiche is None
    assert draft.content["context"] == original.content["context"]
    assert draft.content["determinants"] == original.content["determinants"]
    assert draft.content["theme"] == "" and draft.content["slug"] == ""  # not tied to a questionnaire
    assert draft.title == "Notre conduite de projet"
    shipped.refresh_from_db()
    assert shipped.title == "Conduite d'un projet de transformation"
    assert shipped.versions.count() == 1 and shipped.latest_version().content == original.content
    assert "Copie de « Conduite d'un projet de transformation », version 1" in page_text(
        client.get(draft.get_absolute_url())
    )


def test_a_double_click_makes_one_draft(client_of, fiona, network, shipped):
    client = client_of(fiona)
    for _ in range(2):
        client.post(reverse("fiches:draft_create", args=[network.slug]), {"title": "Accueillir"})
        client.post(reverse("fiches:draft_copy", args=[network.slug, shipped.slug]))

    assert FicheDraft.objects.filter(based_on=None).count() == 1
    assert FicheDraft.objects.filter(based_on=shipped.latest_version()).count() == 1


def test_the_author_edits_every_section(client_of, fiona, network):
    draft = actions.create_draft(network, title="Accueillir", by=fiona)

    response = client_of(fiona).post(draft.get_absolute_url(), written(draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    content = draft.content
    assert draft.revision == 2 and draft.updated_by == fiona
    assert content["title"] == draft.title == "Accueillir une nouvelle personne"
    assert content["opportunities"] == ["Un collectif qui se renouvelle", "Des regards neufs"]
    assert content["questions"] == [
        {"item": "", "text": "Qui accueille la personne ?"},
        {"item": "", "text": "Que lui montre-t-on la première semaine ?"},
    ]
    assert content["steps"] == [
        {"title": "Avant l'arrivée", "text": "Préparer le poste.", "anchor": "etape-1"},
        {"title": "Le premier jour", "text": "Un repas ensemble.", "anchor": "etape-2"},
    ]
    assert content["example"] == {
        "organisation": "Une Scop de l'Aude",
        "text": "Un binôme pour chaque arrivée.",
    }
    assert content["reading"] == [
        {"title": "Bien accueillir", "publisher": "Aract", "url": "https://www.anact.fr/", "year": "2024"}
    ]
    assert content["determinants"] == ["labqvt:relations-climat", "anact:relations-travail"]
    # The form shows back what was saved: a second save with it changes nothing but the revision.
    assert FicheDraftForm.initial_for(draft)["steps"] == written(draft)["steps"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"how_to_act": ""}, "Dites comment agir : c'est le cœur de la fiche."),
        ({"title": "x" * 201}, "Assurez-vous que cette valeur comporte au plus 200 caractères"),
        ({"context": "x" * 8001}, "au plus 8000 caractères"),
        ({"reading": "Un guide | Anact | javascript:alert(1)"}, "l'adresse doit commencer par https://"),
        ({"steps": "Un texte sans titre"}, "commencez chaque étape par une ligne « ## Titre de l'étape »"),
        ({"steps": "## Un titre seul"}, "L'étape « Un titre seul » n'a pas de texte."),
        ({"questions": "\n".join(f"Question {n} ?" for n in range(13))}, "12 questions au plus"),
        ({"opportunities": "o" * 301}, "La ligne 1 dépasse 300 caractères"),
        ({"example_text": ""}, "remplissez les deux, ou aucun"),
        ({"determinants": ["labqvt:bonheur"]}, "« labqvt:bonheur » ne fait pas partie de la liste."),
    ],
)
def test_a_refusal_keeps_what_was_written(client_of, fiona, network, changes, message):
    draft = actions.create_draft(network, title="Accueillir", by=fiona)
    data = written(draft, **changes)

    response = client_of(fiona).post(draft.get_absolute_url(), data)

    assert response.status_code == 400
    assert message in page_text(response)
    for kept in ("title", "summary", "context", "questions", "steps", "reading"):
        assert data[kept] in page_text(response), kept
    draft.refresh_from_db()
    assert draft.revision == 1 and draft.content["context"] == ""


def test_a_stale_form_is_refused_and_keeps_its_text(client_of, fiona, hugo, network):
    draft = actions.create_draft(network, title="Accueillir", by=fiona)
    seen_by_fiona = written(draft)  # revision 1
    client_of(hugo).post(draft.get_absolute_url(), written(draft, context="Le texte de Hugo."))

    response = client_of(fiona).post(
        draft.get_absolute_url(), {**seen_by_fiona, "context": "Celui de Fiona."}
    )

    assert response.status_code == 400
    assert "enregistré par quelqu'un d'autre pendant que vous l'écriviez" in page_text(response)
    assert "Celui de Fiona." in response.content.decode()
    draft.refresh_from_db()
    assert draft.revision == 2 and draft.content["context"] == "Le texte de Hugo."


def test_publishing_makes_version_1_then_editing_makes_a_new_draft_and_version_2(client_of, hugo, network):
    client = client_of(hugo)
    draft = actions.create_draft(network, title="Accueillir", by=hugo)
    client.post(draft.get_absolute_url(), written(draft))

    response = client.post(reverse("fiches:draft_publish", args=[network.slug, draft.pk]))

    assert response["Location"] == reverse("fiches:network_library", args=[network.slug])
    fiche = Fiche.objects.get(network=network)
    first = fiche.latest_version()
    assert (
        first.number == 1 and first.content["context"] == "Une arrivée se **prépare** avant le premier jour."
    )
    assert fiche.slug == "reseau-accueillir-une-nouvelle-personne"
    assert fiche.label == "Fiche proposée par Réseau ESS test"
    draft.refresh_from_db()
    assert draft.published_version == first and draft.fiche == fiche
    # A published draft no longer changes: its page has no form, a post changes nothing.
    page = client.get(draft.get_absolute_url())
    assert "Ce brouillon est publié et ne change plus" in page_text(page)
    client.post(draft.get_absolute_url(), written(draft, context="Changé après coup."))
    draft.refresh_from_db()
    assert draft.content == first.content

    client.post(reverse("fiches:draft_copy", args=[network.slug, fiche.slug]))
    second_draft = FicheDraft.objects.pending().get()
    assert (second_draft.fiche, second_draft.based_on) == (fiche, first)
    # Asking again opens the same draft rather than a second one.
    client.post(reverse("fiches:draft_copy", args=[network.slug, fiche.slug]))
    assert FicheDraft.objects.pending().count() == 1
    client.post(
        second_draft.get_absolute_url(), written(second_draft, context="Une arrivée se prépare à deux.")
    )
    client.post(reverse("fiches:draft_publish", args=[network.slug, second_draft.pk]))

    assert list(fiche.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert fiche.latest_version().content["context"] == "Une arrivée se prépare à deux."
    first.refresh_from_db()
    assert first.content["context"] == "Une arrivée se **prépare** avant le premier jour."
    assert Fiche.objects.filter(network=network).count() == 1
    assert Event.objects.filter(network=network, verb="fiche_published").count() == 2


def test_publishing_an_incomplete_or_unchanged_draft_is_refused(hugo, network):
    draft = actions.create_draft(network, title="Accueillir", by=hugo)
    with pytest.raises(ActionRefused, match="il manque : le contexte, au moins une question, comment agir"):
        actions.publish_draft(draft, by=hugo)

    fiche = published(network, hugo)
    again = actions.copy_fiche(network, fiche, by=hugo)
    with pytest.raises(ActionRefused, match="identique à la version 1"):
        actions.publish_draft(again, by=hugo)
    assert fiche.versions.count() == 1


def test_a_member_of_a_member_organisation_reads_the_network_fiche(client_of, bob, dave, hugo, network):
    fiche = published(network, hugo)

    for reader in (bob, dave, hugo):
        response = client_of(reader).get(fiche.get_absolute_url())
        assert response.status_code == 200
        assert "Fiche proposée par Réseau ESS test" in page_text(response)
        assert "Un exemple proposé par Réseau ESS test." in page_text(response)
    listing = " ".join(page_text(client_of(bob).get(reverse("fiches:list"))).split())
    assert (
        'Accueillir une nouvelle personne</a> <small class="muted">— proposée par Réseau ESS test' in listing
    )


def test_a_network_fiche_is_a_404_for_anyone_else(client_of, hugo, network, other_network, shipped):
    fiche = published(network, hugo)
    _, zoe, olga = other_network

    for outsider in (None, zoe, olga, UserFactory(email="seul@example.org")):
        client = client_of(outsider)
        assert client.get(fiche.get_absolute_url()).status_code == 404
        assert "Accueillir une nouvelle personne" not in page_text(client.get(reverse("fiches:list")))
        # The shipped fiches stay public.
        assert client.get(shipped.get_absolute_url()).status_code == 200


def test_the_staff_of_another_network_get_404_on_drafts_and_copies(client_of, hugo, network, other_network):
    fiche = published(network, hugo)
    draft = actions.create_draft(network, title="Brouillon", by=hugo)
    other, zoe, _ = other_network
    client = client_of(zoe)

    assert client.get(reverse("fiches:draft", args=[network.slug, draft.pk])).status_code == 404
    # Their own network's address with this network's draft or fiche: not found either.
    assert client.get(reverse("fiches:draft", args=[other.slug, draft.pk])).status_code == 404
    assert client.get(reverse("fiches:draft_preview", args=[other.slug, draft.pk])).status_code == 404
    assert client.post(reverse("fiches:draft_publish", args=[other.slug, draft.pk])).status_code == 404
    assert client.post(reverse("fiches:draft_copy", args=[other.slug, fiche.slug])).status_code == 404
    assert not FicheDraft.objects.filter(network=other).exists()


def test_the_members_of_an_organisation_do_not_write_fiches(client_of, alice, network):
    assert client_of(alice).get(reverse("fiches:network_library", args=[network.slug])).status_code == 404


def test_the_preview_shows_the_reader_s_page_with_markdown_sanitised(client_of, fiona, network):
    draft = actions.create_draft(network, title="Accueillir", by=fiona)
    client = client_of(fiona)
    client.post(
        draft.get_absolute_url(),
        written(draft, context="**Gras** <script>alert(1)</script> [x](javascript:alert(1))"),
    )

    response = client.get(reverse("fiches:draft_preview", args=[network.slug, draft.pk]))

    html = response.content.decode()
    assert "<strong>Gras</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html
    text = page_text(response)
    assert "Aperçu du brouillon." in text
    assert "Les questions à se poser en équipe" in text and "Qui accueille la personne ?" in text
    assert "Déterminants de la QVT" in text and "Relations de travail et climat social" in text


def test_a_fiche_page_shows_its_determinants_with_their_labels(client, shipped):
    text = page_text(client.get(shipped.get_absolute_url()))

    assert "Déterminants de la QVT" in text
    assert "LAB'QVT : Management" in text
    assert "Anact : Dialogue social" in text


def test_a_content_file_cannot_take_a_network_fiche_s_slug(hugo, network, tmp_path):
    from reperes.fiches.definition import FicheError
    from reperes.fiches.loading import load_fiches

    fiche = published(network, hugo)
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(minimal_fiche(slug=fiche.slug)), encoding="utf-8")
    with pytest.raises(FicheError, match="déjà pris par la fiche d'un réseau"):
        load_fiches(tmp_path)
    assert fiche.versions.count() == 1


def test_the_lists_read_a_bounded_number_of_queries(
    client_of, bob, hugo, network, shipped, django_assert_max_num_queries
):
    for number in range(4):
        published(network, hugo, title=f"Fiche {number}")
        actions.create_draft(network, title=f"Brouillon {number}", by=hugo)
    create_fiche(minimal_fiche(slug="autre", number=2, theme="autre"))

    client = client_of(bob)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("fiches:list"))
    assert page_text(response).count("proposée par Réseau ESS test") == 4
    client = client_of(hugo)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("fiches:network_library", args=[network.slug]))
    assert page_text(response).count("Brouillon ") >= 4


def test_an_organisation_has_the_shipped_fiches_and_its_networks(
    hugo, network, org_a, other_network, shipped
):
    own = published(network, hugo)
    other, zoe, _ = other_network
    theirs = published(other, zoe, title="Une fiche d'ailleurs")

    assert set(Fiche.objects.available_to(org_a)) == {shipped, own}
    assert set(Fiche.objects.visible_to(zoe)) == {shipped, theirs}

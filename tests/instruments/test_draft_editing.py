"""A network's staff write a questionnaire in the interface, without a workbook: they start from a
shipped questionnaire (a copy that remembers where it came from; the original never changes) or
from one of the network's own (the draft of its next version), edit its settings, its themes and
statements (tagged with the QVT determinants) and its open questions, add, remove and reorder
them; every save is checked with the rules of an import, and a form drawn before someone else's
save is refused rather than overwriting it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reperes.instruments import actions
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire, QuestionnaireDraft
from reperes.instruments.xlsform import import_workbook
from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Event
from tests.accounts.factories import UserFactory
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    load_definitions(only=["qvt-numerique"])
    return Questionnaire.objects.get(slug="qvt-numerique")


@pytest.fixture
def copy(client_of, hugo, network, shipped):
    client_of(hugo).post(reverse("instruments:copy", args=[network.slug, shipped.slug]))
    return QuestionnaireDraft.objects.get()


def url(name, draft, *args):
    return reverse(f"instruments:{name}", args=[draft.network.slug, draft.pk, *args])


def theme_post(draft, theme_index=0, action="save", new_text="", new_tags=(), **changes):
    """The theme page's form as the author would send it, with `changes` (« items-0-text »…)."""
    theme = draft.definition["themes"][theme_index]
    interpretation = theme.get("interpretation") or {}
    data = {
        "theme-revision": draft.revision,
        "theme-title": theme["title"],
        "theme-short_title": theme.get("short_title", ""),
        "theme-description": theme.get("description", ""),
        "theme-fiche": theme.get("fiche", ""),
        "theme-interpretation_low": interpretation.get("low", ""),
        "theme-interpretation_medium": interpretation.get("medium", ""),
        "theme-interpretation_high": interpretation.get("high", ""),
        "items-TOTAL_FORMS": len(theme["items"]),
        "items-INITIAL_FORMS": len(theme["items"]),
        "new-text": new_text,
        "new-determinants": list(new_tags),
        "action": action,
    }
    for index, item in enumerate(theme["items"]):
        data[f"items-{index}-text"] = item["text"]
        data[f"items-{index}-determinants"] = [
            tag for tag in item.get("determinants", []) if tag.startswith("labqvt:")
        ]
    data.update(changes)
    return data


def test_a_copy_of_a_shipped_questionnaire_leaves_the_original_unchanged(client_of, hugo, network, shipped):
    original = shipped.latest_version()
    before = dict(original.definition)
    response = client_of(hugo).post(reverse("instruments:copy", args=[network.slug, shipped.slug]))
    draft = QuestionnaireDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.origin == QuestionnaireDraft.Origin.COPY
    assert draft.based_on == original
    assert draft.slug == "qvt-numerique-copie"
    assert draft.title == f"{before['title']} (copie)"
    assert draft.definition["themes"] == before["themes"]
    assert draft.definition["slug"] == draft.slug
    page = client_of(hugo).get(draft.get_absolute_url()).content.decode()
    assert "Copie de" in page
    assert "fourni avec Repères, qui ne change pas" in page
    # A second copy gets a slug of its own.
    client_of(hugo).post(reverse("instruments:copy", args=[network.slug, shipped.slug]))
    assert QuestionnaireDraft.objects.latest("pk").slug == "qvt-numerique-copie-2"
    # Edited and published, the copy becomes a questionnaire of the network; the original stays.
    actions.publish_draft(draft, by=hugo)
    original.refresh_from_db()
    assert original.definition == before
    assert shipped.versions.count() == 1
    assert Questionnaire.objects.get(slug="qvt-numerique-copie").network == network
    assert "questionnaire_copied" in Event.objects.filter(network=network).values_list("verb", flat=True)


def test_the_settings_are_edited(client_of, hugo, copy):
    client = client_of(hugo)
    assert client.get(url("draft_settings", copy)).status_code == 200
    response = client.post(
        url("draft_settings", copy),
        {
            "revision": 0,
            "title": "Le numérique chez nous",
            "summary": "Ce que les outils changent à notre travail.",
            "duration_minutes": 12,
            "scale": "frequence-4",
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.title == copy.definition["title"] == "Le numérique chez nous"
    assert copy.definition["summary"] == "Ce que les outils changent à notre travail."
    assert copy.definition["duration_minutes"] == 12
    assert copy.definition["scale"]["code"] == "frequence-4"
    assert (copy.revision, copy.updated_by) == (1, hugo)
    assert copy.updated_at is not None
    # The preview answers on the new scale.
    preview = client.get(reverse("campaigns:draft_preview", args=[copy.network.slug, copy.pk, 1]))
    assert "Souvent" in preview.content.decode()


def test_a_theme_and_its_statements_are_edited_and_tagged(client_of, hugo, copy):
    client = client_of(hugo)
    theme = copy.definition["themes"][0]
    page = client.get(url("draft_theme", copy, theme["id"]))
    assert page.status_code == 200
    assert "Santé au travail" in page.content.decode()  # the determinants to tick
    data = theme_post(
        copy,
        **{
            "theme-title": "Nos projets numériques",
            "theme-short_title": "Projets",
            "theme-fiche": "gestion-information",
            "theme-interpretation_low": "Un point à reprendre ensemble.",
            "items-0-text": "Nous choisissons nos outils ensemble.",
            "items-0-determinants": ["labqvt:management", "anact:relations"],
        },
    )
    response = client.post(url("draft_theme", copy, theme["id"]), data)
    assert response.status_code == 302
    copy.refresh_from_db()
    edited = copy.definition["themes"][0]
    assert edited["id"] == theme["id"]
    assert (edited["title"], edited["short_title"], edited["fiche"]) == (
        "Nos projets numériques",
        "Projets",
        "gestion-information",
    )
    assert edited["interpretation"]["low"] == "Un point à reprendre ensemble."
    first = edited["items"][0]
    assert (first["id"], first["text"]) == (theme["items"][0]["id"], "Nous choisissons nos outils ensemble.")
    # The ticked tags, and the finer ones the statement carried (not offered here) kept.
    finer = [tag for tag in theme["items"][0].get("determinants", []) if not tag.startswith("labqvt:")]
    finer = [tag for tag in finer if tag != "anact:relations"]
    assert first["determinants"][:2] == ["labqvt:management", "anact:relations"]
    assert set(first["determinants"]) == {"labqvt:management", "anact:relations", *finer}
    # The preview shows the edit.
    preview = client.get(reverse("campaigns:draft_preview", args=[copy.network.slug, copy.pk, 1]))
    assert "Nous choisissons nos outils ensemble." in preview.content.decode()


def test_statements_are_added_moved_and_removed_with_stable_ids(client_of, hugo, copy):
    client = client_of(hugo)
    theme = copy.definition["themes"][0]
    ids = [item["id"] for item in theme["items"]]
    client.post(
        url("draft_theme", copy, theme["id"]),
        theme_post(copy, new_text="Les outils nous laissent du temps.", new_tags=["labqvt:sante"]),
    )
    copy.refresh_from_db()
    items = copy.definition["themes"][0]["items"]
    added = items[-1]
    assert [item["id"] for item in items[:-1]] == ids
    assert added["id"] not in ids and added["id"].startswith(theme["id"])
    assert added == {
        "id": added["id"],
        "text": "Les outils nous laissent du temps.",
        "determinants": ["labqvt:sante"],
    }

    last = len(items) - 1
    client.post(url("draft_theme", copy, theme["id"]), theme_post(copy, action=f"up-{last}"))
    copy.refresh_from_db()
    assert [item["id"] for item in copy.definition["themes"][0]["items"]][-2:] == [added["id"], ids[-1]]

    client.post(url("draft_theme", copy, theme["id"]), theme_post(copy, action="remove-0"))
    copy.refresh_from_db()
    remaining = [item["id"] for item in copy.definition["themes"][0]["items"]]
    assert ids[0] not in remaining and added["id"] in remaining
    # A new statement never takes the id of one removed (the copied version still holds it).
    client.post(url("draft_theme", copy, theme["id"]), theme_post(copy, new_text="Une autre affirmation."))
    copy.refresh_from_db()
    newest = copy.definition["themes"][0]["items"][-1]["id"]
    assert newest not in ids and newest != added["id"]


def test_themes_are_added_moved_and_removed(client_of, hugo, copy):
    client = client_of(hugo)
    first_ids = [theme["id"] for theme in copy.definition["themes"]]
    response = client.post(
        url("theme_add", copy),
        {"revision": 0, "title": "Équipement", "statement": "Nos ordinateurs suffisent à notre travail."},
    )
    copy.refresh_from_db()
    new_theme = copy.definition["themes"][-1]
    assert response["Location"] == url("draft_theme", copy, new_theme["id"])
    assert new_theme["id"] == "equipement"
    assert new_theme["items"][0]["text"] == "Nos ordinateurs suffisent à notre travail."
    count = len(first_ids) + 1
    response = client.post(
        url("themes_arrange", copy), {"revision": copy.revision, "action": f"up-{count - 1}"}, follow=True
    )
    assert "Thème déplacé." in response.content.decode(), [str(m) for m in response.context["messages"]]
    copy.refresh_from_db()
    assert [theme["id"] for theme in copy.definition["themes"]][-2:] == ["equipement", first_ids[-1]]
    client.post(url("themes_arrange", copy), {"revision": copy.revision, "action": "remove-0"})
    copy.refresh_from_db()
    assert [theme["id"] for theme in copy.definition["themes"]][0] == first_ids[1]
    # The preview has one page per theme, in their new order.
    preview = client.get(reverse("campaigns:draft_preview", args=[copy.network.slug, copy.pk, count - 2]))
    assert "Équipement" in preview.content.decode()


def test_open_questions_are_added_edited_and_removed(client_of, hugo, copy):
    client = client_of(hugo)
    page = url("draft_free_text", copy)
    assert client.get(page).status_code == 200
    base = {"revision": 0, "title": "", "description": "", "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0}
    # A question needs a page title.
    response = client.post(page, {**base, "new-text": "Qu'aimeriez-vous changer ?", "new-help": ""})
    assert response.status_code == 400
    assert "Donnez un titre" in response.content.decode()
    assert "Qu&#x27;aimeriez-vous changer ?" in response.content.decode()  # kept as typed
    response = client.post(
        page, {**base, "title": "Pour finir", "new-text": "Qu'aimeriez-vous changer ?", "new-max_length": 300}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    question = copy.definition["free_text"]["items"][0]
    assert (question["text"], question["max_length"]) == ("Qu'aimeriez-vous changer ?", 300)
    assert copy.spec.text_items == [question]
    preview = client.get(reverse("campaigns:draft_preview", args=[copy.network.slug, copy.pk, 7]))
    assert "Qu&#x27;aimeriez-vous changer ?" in preview.content.decode()
    # Removing the last question removes the page.
    response = client.post(
        page,
        {
            **base,
            "revision": 1,
            "title": "Pour finir",
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 1,
            "items-0-text": question["text"],
            "items-0-help": "",
            "items-0-max_length": 300,
            "action": "remove-0",
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert "free_text" not in copy.definition


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items-0-text": "Quel est votre âge ?"}, "porte sur la personne qui répond"),
        ({"items-0-text": "x" * 501}, "au plus 500 caractères"),
        ({"items-0-text": ""}, "Ce champ est obligatoire"),
        ({"theme-title": "t" * 201}, "au plus 200 caractères"),
        ({"theme-fiche": "fiche-inconnue"}, "Sélectionnez un choix valide"),
        ({"items-0-determinants": ["labqvt:inconnu"]}, "Sélectionnez un choix valide"),
    ],
)
def test_an_invalid_theme_is_refused_and_what_was_typed_stays(client_of, hugo, copy, changes, message):
    theme = copy.definition["themes"][0]
    before = copy.definition
    changes = {"theme-description": "Une présentation tapée avec soin.", **changes}
    response = client_of(hugo).post(url("draft_theme", copy, theme["id"]), theme_post(copy, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Une présentation tapée avec soin." in page
    copy.refresh_from_db()
    assert copy.definition == before
    assert copy.revision == 0


def test_a_theme_left_without_statement_is_refused_in_french(hugo, copy):
    definition = dict(copy.definition)
    definition["themes"] = [{**definition["themes"][0], "items": []}, *definition["themes"][1:]]
    with pytest.raises(ActionRefused, match="n'est pas enregistré.*aucune affirmation"):
        actions.update_draft(copy, definition, revision=0, by=hugo)
    with pytest.raises(ActionRefused, match="au moins un thème"):
        actions.update_draft(copy, {**copy.definition, "themes": []}, revision=0, by=hugo)


def test_the_last_theme_cannot_be_removed(client_of, hugo, copy):
    themes = copy.definition["themes"]
    actions.update_draft(copy, {**copy.definition, "themes": themes[:1]}, revision=0, by=hugo)
    response = client_of(hugo).post(
        url("themes_arrange", copy), {"revision": 1, "action": "remove-0"}, follow=True
    )
    assert "au moins un thème" in response.content.decode()
    copy.refresh_from_db()
    assert len(copy.definition["themes"]) == 1


def test_a_stale_form_is_refused_and_nothing_is_overwritten(client_of, hugo, fiona, copy):
    theme = copy.definition["themes"][0]
    stale = theme_post(copy, **{"items-0-text": "La version de Hugo."})  # drawn at revision 0
    response = client_of(fiona).post(
        url("draft_theme", copy, theme["id"]), theme_post(copy, **{"items-0-text": "La version de Fiona."})
    )
    assert response.status_code == 302
    response = client_of(hugo).post(url("draft_theme", copy, theme["id"]), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "modifié par quelqu&#x27;un d&#x27;autre" in page
    assert "La version de Hugo." in page  # what he typed, to copy again
    copy.refresh_from_db()
    assert copy.definition["themes"][0]["items"][0]["text"] == "La version de Fiona."
    assert (copy.revision, copy.updated_by) == (1, fiona)
    # The same on the settings page.
    response = client_of(hugo).post(
        url("draft_settings", copy),
        {"revision": 0, "title": "Autre", "summary": "", "duration_minutes": 5, "scale": "accord-4"},
    )
    assert response.status_code == 409
    copy.refresh_from_db()
    assert copy.title != "Autre"


def test_an_edited_draft_exports_and_imports_back_the_same(client_of, hugo, copy):
    theme = copy.definition["themes"][0]
    client = client_of(hugo)
    client.post(
        url("draft_theme", copy, theme["id"]),
        theme_post(
            copy, new_text="Nos réunions laissent la place à chacun.", new_tags=["labqvt:relations-climat"]
        ),
    )
    copy.refresh_from_db()
    data = client.get(url("draft_export", copy)).content
    assert import_workbook(data) == copy.definition
    rows = [list(row) for row in load_workbook(io.BytesIO(data))["reperes"].iter_rows(values_only=True)]
    assert ["copie_de", "qvt-numerique@1"] in rows


def test_editing_a_published_questionnaire_makes_a_new_draft(client_of, hugo, network, copy):
    version_1 = actions.publish_draft(copy, by=hugo)
    client = client_of(hugo)
    theme = copy.definition["themes"][0]
    # The published draft's pages refuse edits and say what to do.
    response = client.post(url("draft_theme", copy, theme["id"]), theme_post(copy), follow=True)
    assert "préparez la version suivante" in response.content.decode()
    assert client.get(url("draft_settings", copy)).status_code == 302
    with pytest.raises(ActionRefused, match="publié"):
        actions.update_draft(copy, copy.definition, revision=copy.revision, by=hugo)

    response = client.post(reverse("instruments:edit", args=[network.slug, copy.slug]))
    draft = QuestionnaireDraft.objects.pending().get()
    assert response["Location"] == draft.get_absolute_url()
    assert (draft.origin, draft.slug, draft.based_on) == (
        QuestionnaireDraft.Origin.EDIT,
        copy.slug,
        version_1,
    )
    # « Modifier » again finds the draft under way rather than a second one.
    client.post(reverse("instruments:edit", args=[network.slug, copy.slug]))
    assert QuestionnaireDraft.objects.pending().count() == 1

    client.post(
        url("draft_theme", draft, theme["id"]), theme_post(draft, **{"items-0-text": "Version deux."})
    )
    draft.refresh_from_db()
    version_2 = actions.publish_draft(draft, by=hugo)
    assert version_2.number == 2 and version_2.questionnaire == version_1.questionnaire
    version_1.refresh_from_db()
    assert version_1.definition["themes"][0]["items"][0]["text"] != "Version deux."


def test_a_shipped_questionnaire_is_copied_never_edited(client_of, hugo, network, shipped):
    response = client_of(hugo).post(reverse("instruments:edit", args=[network.slug, shipped.slug]))
    assert response.status_code == 404
    assert not QuestionnaireDraft.objects.exists()


def test_another_network_s_draft_is_a_404(client_of, hugo, network, shipped):
    other = NetworkFactory(name="Autre", slug="autre")
    admin = NetworkMembershipFactory(network=other, user=UserFactory(), role="admin").user
    theirs = actions.copy_questionnaire(other, shipped, by=admin)
    mine = QuestionnaireDraft(network=network, pk=theirs.pk)
    theme_id = theirs.definition["themes"][0]["id"]
    client = client_of(hugo)
    for name, args in (
        ("draft_settings", ()),
        ("draft_theme", (theme_id,)),
        ("draft_free_text", ()),
    ):
        assert client.get(url(name, mine, *args)).status_code == 404, name
        assert client.post(url(name, mine, *args), {"revision": 0}).status_code == 404, name
    for name in ("theme_add", "themes_arrange"):
        assert client.post(url(name, mine), {"revision": 0, "action": "remove-0"}).status_code == 404
    # Nor may they copy or edit what another network published.
    actions.publish_draft(theirs, by=admin)
    for name in ("copy", "edit"):
        response = client.post(reverse(f"instruments:{name}", args=[mine.network.slug, theirs.slug]))
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revision == 0


@pytest.mark.parametrize("persona", ["alice", "dave", "fiona", "nina"])
def test_who_may_edit_a_draft(client_of, personas, hugo, network, shipped, persona):
    draft = actions.copy_questionnaire(network, shipped, by=hugo)
    theme_id = draft.definition["themes"][0]["id"]
    response = client_of(personas[persona]).get(url("draft_theme", draft, theme_id))
    assert response.status_code == (200 if persona in ("fiona", "nina") else 404)
    response = client_of(personas[persona]).post(
        reverse("instruments:copy", args=[network.slug, shipped.slug])
    )
    assert response.status_code == (302 if persona in ("fiona", "nina") else 404)


def test_an_unknown_theme_is_a_404(client_of, hugo, copy):
    assert client_of(hugo).get(url("draft_theme", copy, "nulle-part")).status_code == 404


def test_the_draft_page_reads_a_bounded_number_of_rows(
    client_of, hugo, network, copy, django_assert_max_num_queries
):
    client = client_of(hugo)
    for index in range(3):
        client.post(
            url("theme_add", copy), {"revision": index, "title": f"Thème {index}", "statement": "Oui."}
        )
    with django_assert_max_num_queries(12):
        response = client.get(copy.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thème 2" in page and "par Hugo" in page
    with django_assert_max_num_queries(12):
        assert client.get(url("draft_theme", copy, copy.definition["themes"][0]["id"])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("instruments:library", args=[network.slug])).status_code == 200


def test_every_shipped_questionnaire_can_be_copied_and_saved(hugo, network):
    """A copy is saved with the rules of an import: every shipped questionnaire passes them."""
    load_definitions()
    for questionnaire in Questionnaire.objects.filter(network__isnull=True):
        draft = actions.copy_questionnaire(network, questionnaire, by=hugo)
        actions.update_draft(draft, draft.definition, revision=0, by=hugo)


def test_a_self_diagnostic_copy_keeps_its_next_steps_and_takes_new_themes_from_a_workbook(
    client_of, hugo, network
):
    load_definitions(only=["maturite-numerique"])
    shipped = Questionnaire.objects.get(use="organisation")
    draft = actions.copy_questionnaire(network, shipped, by=hugo)
    client = client_of(hugo)
    theme = draft.definition["themes"][0]
    response = client.post(
        url("draft_theme", draft, theme["id"]), theme_post(draft, **{"theme-title": "Outils"})
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.definition["themes"][0]["title"] == "Outils"
    assert draft.definition["themes"][0]["next_steps"] == theme["next_steps"]
    response = client.post(url("theme_add", draft), {"revision": 1, "title": "Nouveau", "statement": "Oui."})
    assert response.status_code == 400
    assert "feuille « reperes_etapes »" in response.content.decode()
    draft.refresh_from_db()
    assert draft.revision == 1

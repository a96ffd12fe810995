"""The telework questionnaires (issue 5): new scales, open questions, the meeting's synthesis
lists, and choosing a questionnaire for a campaign."""

import copy
from datetime import timedelta

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns import actions
from reperes.campaigns.answer_views import DRAFT_COOKIE
from reperes.campaigns.models import (
    Campaign,
    CollectiveAnswer,
    Draft,
    FreeTextAnswer,
    Response,
    SynthesisEntry,
)
from reperes.instruments.definition import (
    DEFINITIONS_DIR,
    Definition,
    DefinitionError,
    load_scales,
    parse_definition,
)
from reperes.instruments.loading import load_definitions
from reperes.lib.actions import ActionRefused
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

TELEWORK_FICHES = {
    "teletravail-cadre-juridique",
    "teletravail-frais-indemnite",
    "teletravail-accidents",
    "teletravail-acces-pour-toutes",
    "teletravail-charge-de-travail",
    "teletravail-collectif",
    "teletravail-circonstances-exceptionnelles",
    "teletravail-petites-structures",
}
GUIDE_FICHES = {
    "conduite-projet",
    "gestion-information",
    "temps-de-travail",
    "espaces-de-travail",
    "metiers-competences",
    "pratiques-manageriales",
}
NEW = {
    "teletravail-preparation": "accord-4",
    "teletravail-crise": "accord-4",
    "droit-deconnexion": "frequence-4",
}
CRISIS_LISTS = ["crise-fonctionne", "crise-pas-fonctionne", "crise-pistes"]

WITH_TEXT = {
    "slug": "essai",
    "title": "Questionnaire d'essai",
    "scale": "accord-4",
    "scoring": "sum-points",
    "themes": [{"id": "a", "title": "Thème A", "items": [{"id": "a-1", "text": "Une affirmation."}]}],
    "free_text": {
        "title": "En quelques mots",
        "items": [{"id": "mots", "type": "text", "text": "Ce qui a fonctionné", "max_length": 300}],
    },
}


def with_text():
    return copy.deepcopy(WITH_TEXT)


def refusal(data):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="essai.yaml")
    return str(caught.value)


def spec_of(slug):
    path = DEFINITIONS_DIR / f"{slug}.yaml"
    return Definition(parse_definition(path.read_text(encoding="utf-8"), source=path.name))


# the files


@pytest.mark.parametrize("slug", NEW)
def test_each_telework_questionnaire_parses_with_its_scale_and_a_fiche_per_theme(slug):
    spec = spec_of(slug)

    assert spec.data["slug"] == slug
    assert spec.scale["code"] == NEW[slug]
    assert 5 <= len(spec.themes) <= 9
    for theme in spec.themes:
        assert 3 <= len(theme["items"]) <= 5, theme["id"]
        assert theme["fiche"] in TELEWORK_FICHES | GUIDE_FICHES
        assert all(item["id"].startswith(theme["id"]) for item in theme["items"])
        assert all(theme["interpretation"][level] for level in ("low", "medium", "high"))


def test_the_readiness_diagnostic_covers_the_offer_and_the_practical_themes():
    spec = spec_of("teletravail-preparation")

    assert 6 <= len(spec.themes) <= 9
    assert {theme["fiche"] for theme in spec.themes} >= {
        "teletravail-cadre-juridique",
        "teletravail-collectif",
        "teletravail-charge-de-travail",
        "teletravail-frais-indemnite",
    }


def test_the_crisis_questionnaire_ends_with_three_open_questions():
    spec = spec_of("teletravail-crise")

    assert spec.text_item_ids == CRISIS_LISTS
    assert [item["text"] for item in spec.text_items] == [
        "Ce qui a fonctionné",
        "Ce qui n'a pas fonctionné",
        "Pistes d'amélioration",
    ]
    assert not set(spec.text_item_ids) & set(spec.item_ids)  # not scored, not drawn


def test_disconnection_themes_lead_to_the_guide_fiches():
    assert {theme["fiche"] for theme in spec_of("droit-deconnexion").themes} == {
        "temps-de-travail",
        "gestion-information",
    }


def test_new_scales_put_the_unknown_answer_apart_worth_no_point():
    scales = load_scales()

    for code in ("accord-4", "frequence-4"):
        choices = scales[code]["choices"]
        assert [c["points"] for c in choices] == [3, 2, 1, 0, 0]
        assert choices[-1] == {
            "value": "nsp",
            "label": "Je ne sais pas / ne s'applique pas",
            "points": 0,
            "neutral": True,
        }


@pytest.mark.django_db
def test_all_four_questionnaires_load():
    for slug in [*NEW, "qvt-numerique"]:
        assert questionnaire_version(slug).spec.data["slug"] == slug


# malformed files


def test_an_open_question_inside_a_theme_is_refused():
    data = with_text()
    data["themes"][0]["items"].append({"id": "a-2", "type": "text", "text": "Vos idées ?"})

    assert refusal(data) == (
        "essai.yaml, thème 1 (« a »), affirmation 2 : une question ouverte (« type: text ») se place "
        "dans la section « free_text », pas dans un thème"
    )


def test_an_unknown_item_type_is_refused():
    data = with_text()
    data["themes"][0]["items"][0]["type"] = "curseur"

    assert (
        refusal(data)
        == "essai.yaml, thème 1 (« a »), affirmation 1 : type inconnu « curseur » (connus : choice, text)"
    )


@pytest.mark.parametrize("max_length", [0, 6000, "mille", True])
def test_an_open_question_needs_a_sensible_max_length(max_length):
    data = with_text()
    data["free_text"]["items"][0]["max_length"] = max_length

    assert refusal(data) == (
        "essai.yaml, free_text, question 1 : « max_length » doit être un nombre entier de 1 à 5000 "
        f"(reçu : {max_length!r})"
    )


def test_an_open_question_cannot_reuse_a_statement_id():
    data = with_text()
    data["free_text"]["items"][0]["id"] = "a-1"

    assert refusal(data) == "essai.yaml, free_text, question 1 : identifiant « a-1 » en double"


def test_an_empty_free_text_section_is_refused():
    data = with_text()
    data["free_text"]["items"] = []

    assert refusal(data) == "essai.yaml, free_text : aucune question ouverte"


def test_a_valid_open_question_is_normalised_with_its_default_length():
    data = with_text()
    del data["free_text"]["items"][0]["max_length"]

    definition = parse_definition(data, source="essai.yaml")

    assert definition["free_text"]["items"] == [
        {"id": "mots", "type": "text", "text": "Ce qui a fonctionné", "help": "", "max_length": 1000}
    ]


def write_scales(tmp_path, scale):
    path = tmp_path / "scales.yaml"
    path.write_text(yaml.safe_dump({"essai": scale}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_neutral_choice_worth_points_is_refused(tmp_path):
    path = write_scales(
        tmp_path,
        {
            "label": "Essai",
            "choices": [
                {"value": "oui", "label": "Oui", "points": 1},
                {"value": "nsp", "label": "Je ne sais pas", "points": 1, "neutral": True},
            ],
        },
    )
    with pytest.raises(DefinitionError) as caught:
        load_scales(path)

    assert str(caught.value) == (
        "scales.yaml, échelle « essai », choix 2 : un choix « neutral » ne vaut aucun point"
    )


def test_a_scale_where_nothing_is_worth_a_point_is_refused(tmp_path):
    path = write_scales(
        tmp_path,
        {
            "label": "Essai",
            "choices": [
                {"value": "a", "label": "A", "points": 0},
                {"value": "b", "label": "B", "points": 0},
            ],
        },
    )
    with pytest.raises(DefinitionError, match="au moins un choix doit valoir des points$"):
        load_scales(path)


# choosing the questionnaire


@pytest.mark.parametrize("slug", [*NEW, "qvt-numerique"])
def test_a_lead_prepares_a_campaign_of_any_questionnaire(client, alice, org_a, slug):
    version = questionnaire_version(slug)
    client.force_login(alice)
    response = client.post(
        reverse("campaigns:create", args=[org_a.slug]),
        {
            "questionnaire": version.questionnaire.pk,
            "title": "Télétravail, bilan",
            "mode": "individual",
            "collective_method": "counts",
            "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "groups": "Direction\nSalarié·es",
        },
    )

    campaign = org_a.campaigns.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.questionnaire_version == version


@pytest.mark.django_db
def test_the_form_offers_the_four_questionnaires_and_proposes_the_general_one(client, alice, org_a):
    load_definitions()
    client.force_login(alice)
    page = page_text(client.get(reverse("campaigns:create", args=[org_a.slug])))

    assert page.count('name="questionnaire"') == 4
    assert "Le télétravail pendant la crise : qu'en retenir ? — 22 affirmations, 3 questions ouvertes" in page
    general = questionnaire_version("qvt-numerique").questionnaire.pk
    checked = [line for line in page.splitlines() if 'name="questionnaire"' in line and "checked" in line]
    assert len(checked) == 1 and f'value="{general}"' in checked[0]


# answering the open questions


@pytest.fixture
def crisis(org_a):
    return CampaignFactory(
        organisation=org_a, questionnaire_version=questionnaire_version("teletravail-crise")
    )


def answer_statements(client, campaign, value="plutot-oui"):
    client.get(reverse("answer:intro", args=[campaign.share_id]))
    client.post(reverse("answer:start", args=[campaign.share_id]))
    client.post(reverse("answer:group", args=[campaign.share_id]), {"group": str(campaign.groups.first().pk)})
    for number, theme in enumerate(campaign.spec.themes, start=1):
        response = client.post(
            reverse("answer:theme", args=[campaign.share_id, number]),
            {**{item["id"]: value for item in theme["items"]}, "nav": "next"},
        )
    return response


def test_after_the_last_theme_come_the_open_questions(client, crisis):
    response = answer_statements(client, crisis)

    assert response["Location"] == reverse("answer:texts", args=[crisis.share_id])
    page = page_text(client.get(response["Location"]))
    assert "Tirer les enseignements" in page
    assert '<label for="id_crise-fonctionne">' in page
    assert "Facultatif, 1000 caractères au plus." in page
    assert "au moins 10 réponses" in page


def test_a_too_long_text_is_pointed_out_in_french_and_nothing_is_lost(client, crisis):
    answer_statements(client, crisis)
    too_long = "x" * 1001

    response = client.post(
        reverse("answer:texts", args=[crisis.share_id]),
        {"crise-fonctionne": "Les visios du lundi", "crise-pas-fonctionne": too_long, "crise-pistes": ""},
    )

    assert response.status_code == 400
    page = page_text(response)
    assert (
        "Ce texte dépasse 1000 caractères (1001) : raccourcissez-le. Vos autres réponses sont enregistrées."
        in page
    )
    assert too_long in page  # given back to be shortened, not erased
    draft = Draft.objects.get()
    assert draft.answers["crise-fonctionne"] == "Les visios du lundi"
    assert "crise-pas-fonctionne" not in draft.answers
    assert all(draft.answers[item_id] == "plutot-oui" for item_id in crisis.spec.item_ids)


def test_open_answers_are_kept_in_the_draft_and_stored_apart_from_the_response(client, crisis):
    answer_statements(client, crisis)
    response = client.post(
        reverse("answer:texts", args=[crisis.share_id]),
        {"crise-fonctionne": "  L'entraide  ", "crise-pas-fonctionne": "", "crise-pistes": "Un jour commun"},
    )
    assert response["Location"] == reverse("answer:review", args=[crisis.share_id])
    assert Draft.objects.get().answers["crise-fonctionne"] == "L'entraide"
    review = page_text(client.get(response["Location"]))
    assert "L'entraide" in review and "Rien d'écrit (facultatif)" in review

    client.post(reverse("answer:review", args=[crisis.share_id]))

    stored = Response.objects.get()
    assert stored.answers.count() == len(crisis.spec.item_ids)
    assert sorted(FreeTextAnswer.objects.values_list("item_id", "text")) == [
        ("crise-fonctionne", "L'entraide"),
        ("crise-pistes", "Un jour commun"),
    ]


def test_an_open_answer_holds_nothing_that_leads_back_to_a_response_a_group_or_a_time():
    fields = {field.name for field in FreeTextAnswer._meta.get_fields()}

    assert fields == {"id", "campaign", "item_id", "text"}


def test_the_open_questions_page_is_a_404_for_a_questionnaire_without_them(client, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.get(reverse("answer:intro", args=[campaign.share_id]))
    client.post(reverse("answer:start", args=[campaign.share_id]))
    assert DRAFT_COOKIE in client.cookies

    assert client.get(reverse("answer:texts", args=[campaign.share_id])).status_code == 404


def test_closing_rewrites_open_answers_under_new_random_keys(crisis):
    for text in ["un", "deux", "trois"]:
        draft, _ = actions.start_draft(crisis)
        actions.save_answers(draft, {**dict.fromkeys(crisis.spec.item_ids, "nsp"), "crise-pistes": text})
        actions.submit(draft)
    before = set(FreeTextAnswer.objects.values_list("id", flat=True))

    actions.forget_after_close(crisis)

    assert sorted(FreeTextAnswer.objects.values_list("text", flat=True)) == ["deux", "trois", "un"]
    assert not before & set(FreeTextAnswer.objects.values_list("id", flat=True))


def test_a_paper_sheet_carries_its_open_answers_apart(client, alice, crisis):
    client.force_login(alice)
    sheet = page_text(
        client.get(reverse("campaigns:paper_sheet", args=[crisis.organisation.slug, crisis.pk]))
    )
    assert "Pistes d'amélioration" in sheet

    data = {"group": "aucun", "sheet_key": "k" * 22, **dict.fromkeys(crisis.spec.item_ids, "tout-a-fait")}
    data["crise-pistes"] = "Un local partagé"
    response = client.post(reverse("campaigns:paper_entry", args=[crisis.organisation.slug, crisis.pk]), data)

    assert response.status_code == 302
    assert Response.objects.get().source == "paper"
    assert list(FreeTextAnswer.objects.values_list("text", flat=True)) == ["Un local partagé"]


# the meeting's synthesis (collective mode)


@pytest.fixture
def meeting(org_a):
    return CampaignFactory(
        organisation=org_a,
        mode=Campaign.Mode.COLLECTIVE,
        groups=[],
        questionnaire_version=questionnaire_version("teletravail-crise"),
    )


def synthesis_url(campaign):
    return reverse("campaigns:synthesis", args=[campaign.organisation.slug, campaign.pk])


def test_the_last_theme_of_the_meeting_leads_to_the_synthesis(client, alice, meeting):
    client.force_login(alice)
    last = len(meeting.spec.themes)
    theme = meeting.spec.themes[-1]
    data = {f"{item['id']}__tout-a-fait": 4 for item in theme["items"]}

    response = client.post(
        reverse("campaigns:collective", args=[meeting.organisation.slug, meeting.pk, last]), data
    )

    assert response["Location"] == synthesis_url(meeting)


def test_the_team_fills_three_lists_and_sees_them_with_the_results(client, alice, meeting):
    client.force_login(alice)
    page = page_text(client.get(synthesis_url(meeting)))
    for title in ["Ce qui a fonctionné", "Ce qui n'a pas fonctionné", "Pistes d'amélioration"]:
        assert f"<h2>{title}</h2>" in page
    assert '<label for="id_crise-pistes-text">' in page

    for item_id, text in [
        ("crise-fonctionne", "La visio du lundi matin"),
        ("crise-pas-fonctionne", "Les ordinateurs partagés en famille"),
        ("crise-pistes", "Prêter un ordinateur portable"),
        ("crise-pistes", "Un jour sur site par semaine"),
    ]:
        response = client.post(synthesis_url(meeting), {"item": item_id, f"{item_id}-text": text})
        assert response["Location"] == synthesis_url(meeting) + f"#{item_id}"
    actions.record_collective_answers(
        meeting, by=alice, entries={meeting.spec.item_ids[0]: {"counts": {"plutot-oui": 3}}}
    )

    results = page_text(client.get(reverse("results:detail", args=[meeting.organisation.slug, meeting.pk])))
    assert "Tirer les enseignements" in results
    assert results.index("La visio du lundi matin") < results.index("Les ordinateurs partagés en famille")
    assert results.index("Prêter un ordinateur portable") < results.index("Un jour sur site par semaine")
    assert "Faire d'une piste une action du plan" in results


def test_a_line_is_removed_and_an_empty_line_is_refused(client, alice, meeting):
    entry = actions.add_synthesis_entry(meeting, by=alice, item_id="crise-pistes", text="À retirer")
    client.force_login(alice)

    empty = client.post(synthesis_url(meeting), {"item": "crise-pistes", "crise-pistes-text": "  "})
    assert empty.status_code == 400
    assert "Écrivez la ligne avant de l'ajouter." in page_text(empty)

    client.post(reverse("campaigns:synthesis_remove", args=[meeting.organisation.slug, meeting.pk, entry.pk]))
    assert not SynthesisEntry.objects.exists()


def test_the_synthesis_of_another_organisation_is_a_404(client, dave, alice, meeting):
    entry = actions.add_synthesis_entry(meeting, by=alice, item_id="crise-pistes", text="Une piste")
    client.force_login(dave)

    assert client.get(synthesis_url(meeting)).status_code == 404
    assert (
        client.post(synthesis_url(meeting), {"item": "crise-pistes", "crise-pistes-text": "x"}).status_code
        == 404
    )
    remove = reverse("campaigns:synthesis_remove", args=[meeting.organisation.slug, meeting.pk, entry.pk])
    assert client.post(remove).status_code == 404
    assert SynthesisEntry.objects.count() == 1


def test_a_member_cannot_write_the_synthesis(client, bob, meeting):
    client.force_login(bob)
    assert client.get(synthesis_url(meeting)).status_code == 404


def test_no_synthesis_for_an_individual_campaign_or_an_unknown_list(client, alice, crisis, meeting):
    client.force_login(alice)
    assert client.get(synthesis_url(crisis)).status_code == 404
    assert client.post(synthesis_url(meeting), {"item": "inconnue", "inconnue-text": "x"}).status_code == 404


def test_the_synthesis_is_written_while_the_campaign_is_open(alice, meeting):
    Campaign.objects.filter(pk=meeting.pk).update(state=Campaign.State.CLOSED)
    meeting.refresh_from_db()

    with pytest.raises(ActionRefused):
        actions.add_synthesis_entry(meeting, by=alice, item_id="crise-pistes", text="Trop tard")


def test_a_line_of_the_synthesis_becomes_the_title_of_a_new_action(client, alice, org_b, meeting):
    entry = actions.add_synthesis_entry(
        meeting, by=alice, item_id="crise-pistes", text="Un jour commun par mois"
    )
    for item_id in meeting.spec.item_ids:
        CollectiveAnswer.objects.create(campaign=meeting, item_id=item_id, counts={"plutot-oui": 3})
    client.force_login(alice)
    results = client.get(reverse("results:detail", args=[meeting.organisation.slug, meeting.pk]))
    assert f"?diagnostic={meeting.pk}&amp;piste={entry.pk}" in results.content.decode()

    create = reverse("action_plans:create", args=[meeting.organisation.slug])
    page = page_text(client.get(f"{create}?diagnostic={meeting.pk}&piste={entry.pk}"))
    assert 'value="Un jour commun par mois"' in page
    assert "Noté en réunion : « Un jour commun par mois »" in page
    # A line of another organisation's meeting, or a made-up id, fills nothing in.
    foreign = CampaignFactory(organisation=org_b, mode=Campaign.Mode.COLLECTIVE, groups=[])
    other = SynthesisEntry.objects.create(campaign=foreign, item_id="crise-pistes", text="Ailleurs")
    for query in [f"diagnostic={meeting.pk}&piste={other.pk}", f"diagnostic={meeting.pk}&piste=abc"]:
        assert "Ailleurs" not in page_text(client.get(f"{create}?{query}"))

"""An insider attacks what the networks write (questionnaires, fiches, programme templates) and the
team exercises: another network's content reached by changing an id or a slug, a form tampered to
use what it does not offer, markup smuggled into text, oversized or forged input, a member who is
not a pilot, identity questions slipped into a questionnaire. Each test performs the attack and
asserts it fails."""

import uuid
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.action_plans.models import Action
from reperes.campaigns.models import Campaign
from reperes.exercises import actions as exercise_actions
from reperes.exercises.models import Entry, Exercise
from reperes.fiches import actions as fiche_actions
from reperes.fiches.forms import FicheDraftForm
from reperes.fiches.models import Fiche, FicheDraft
from reperes.instruments import actions as instrument_actions
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire, QuestionnaireDraft
from reperes.organisations.models import Affiliation, Role
from reperes.programmes import actions as programme_actions
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Cohort, Programme, ProgrammeDraft
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert('x1')</script>",
    '<img src=x onerror="alert(2)">',
    "[lien](javascript:alert(3))",
    '<a href="javascript:alert(4)">clic</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(5)">',
)
PAYLOAD = " ".join(PAYLOADS)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []
        self.script = False

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))
        self.script = tag == "script"

    def handle_endtag(self, tag):
        self.script = False

    def handle_data(self, data):
        if self.script and "alert" in data:
            self.found.append(("script-alert", {}))


def assert_inert(html):
    """Nothing of PAYLOADS runs: the page, parsed as a browser would, has no element from them (a
    script calling alert, an image, a frame, an svg), no event handler and no javascript: URL.
    The same text shown escaped is harmless."""
    parser = _Elements()
    parser.feed(html)
    for tag, attributes in parser.found:
        assert tag != "script-alert", attributes
        assert "evil.example" not in str(attributes) and attributes.get("src") != "x", (tag, attributes)
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (tag, name, value)


@pytest.fixture
def other():
    """Network B: its admin (zoe) and a member organisation whose lead is olga."""
    network = NetworkFactory(name="Réseau B", slug="reseau-b")
    organisation = OrganisationFactory(name="Ailleurs", slug="ailleurs")
    Affiliation.objects.create(network=network, organisation=organisation)
    network.zoe = NetworkMembershipFactory(
        network=network, user=UserFactory(email="zoe@example.org", name="Zoé"), role="admin"
    ).user
    network.olga = MembershipFactory(
        organisation=organisation, user=UserFactory(email="olga@example.org", name="Olga"), role=Role.LEAD
    ).user
    network.organisation = organisation
    return network


# --- Questionnaires ----------------------------------------------------------------------------


@pytest.fixture
def shipped_questionnaire():
    load_definitions(only=["qvt-numerique"])
    return Questionnaire.objects.get(slug="qvt-numerique")


def q_url(name, network, draft_id, *args):
    return reverse(f"instruments:{name}", args=[network.slug, draft_id, *args])


def theme_post(draft, **changes):
    theme = draft.definition["themes"][0]
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
        "new-text": "",
        "action": "save",
    }
    for index, item in enumerate(theme["items"]):
        data[f"items-{index}-text"] = item["text"]
        data[f"items-{index}-determinants"] = [
            tag for tag in item.get("determinants", []) if tag.startswith("labqvt:")
        ]
    return data | changes


def test_every_endpoint_of_another_network_s_questionnaire_draft_is_a_404(
    client_of, hugo, network, other, shipped_questionnaire
):
    theirs = instrument_actions.copy_questionnaire(other, shipped_questionnaire, by=other.zoe)
    theme_id = theirs.definition["themes"][0]["id"]
    client = client_of(hugo)
    for slug_network in (network, other):
        for name, args in (
            ("draft", ()),
            ("draft_settings", ()),
            ("draft_theme", (theme_id,)),
            ("draft_free_text", ()),
            ("draft_export", ()),
            ("publish", ()),
            ("delete", ()),
            ("theme_add", ()),
            ("themes_arrange", ()),
        ):
            address = q_url(name, slug_network, theirs.pk, *args)
            assert client.get(address).status_code in (404, 405), (name, slug_network.slug)
            response = client.post(address, {"revision": theirs.revision, "title": "Volé", "statement": "x"})
            assert response.status_code == 404, (name, slug_network.slug)
        preview = reverse("campaigns:draft_preview", args=[slug_network.slug, theirs.pk, 1])
        assert client.get(preview).status_code == 404
    theirs.refresh_from_db()
    assert theirs.published_version_id is None and theirs.revision == 0
    assert QuestionnaireDraft.objects.filter(pk=theirs.pk).exists()
    # Published: its export, copy and edit pages are not found either.
    instrument_actions.publish_draft(theirs, by=other.zoe)
    for name in ("export", "copy", "edit"):
        address = reverse(f"instruments:{name}", args=[network.slug, theirs.slug])
        assert client.post(address).status_code == 404, name
        assert client.get(address).status_code in (404, 405), name
    assert QuestionnaireDraft.objects.filter(network=network).count() == 0


def test_a_campaign_with_another_network_s_questionnaire_is_refused(
    client_of, hugo, network, other, shipped_questionnaire
):
    draft = instrument_actions.copy_questionnaire(network, shipped_questionnaire, by=hugo)
    instrument_actions.publish_draft(draft, by=hugo)
    theirs = Questionnaire.objects.get(network=network)
    response = client_of(other.olga).post(
        reverse("campaigns:create", args=[other.organisation.slug]),
        {
            "title": "Diagnostic détourné",
            "questionnaire": theirs.pk,
            "mode": "individual",
            "access": "link",
            "collective_method": "counts",
            "closes_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "groups": "",
        },
    )
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors["questionnaire"]
    assert any("Sélectionnez un choix valide" in error for error in errors), errors
    assert not Campaign.objects.exists()


def test_markup_in_statements_and_themes_is_escaped_in_the_preview(
    client_of, hugo, network, shipped_questionnaire
):
    draft = instrument_actions.copy_questionnaire(network, shipped_questionnaire, by=hugo)
    theme_id = draft.definition["themes"][0]["id"]
    client = client_of(hugo)
    response = client.post(
        q_url("draft_theme", network, draft.pk, theme_id),
        theme_post(
            draft,
            **{
                "theme-title": "Thème <script>alert('t')</script>",
                "theme-description": PAYLOAD,
                "items-0-text": "J'ai " + PAYLOADS[1],
                "new-text": "Mon travail " + PAYLOADS[0],
            },
        ),
    )
    if response.status_code == 302:
        for page in (
            client.get(reverse("campaigns:draft_preview", args=[network.slug, draft.pk, 1])),
            client.get(q_url("draft_theme", network, draft.pk, theme_id)),
            client.get(q_url("draft", network, draft.pk)),
        ):
            assert page.status_code == 200
            assert_inert(page.content.decode())
    else:
        # Refused: in French, and nothing was written.
        assert response.status_code == 400
        draft.refresh_from_db()
        assert draft.revision == 0


@pytest.mark.parametrize(
    "text",
    [
        "Quel est votre âge ?",
        "Votre ancienneté dans la structure",
        "Quel est votre poste ?",
        "Vous avez quel âge ?",
        "Quel âge avez-vous ?",
        "J'ai plus de 50 ans.",
        "Je suis une femme.",
        "Êtes-vous un homme ou une femme ?",
        "Je travaille dans la structure depuis plus de 10 ans.",
        "Depuis combien d'années travaillez-vous ici ?",
    ],
)
def test_identity_questions_typed_in_the_editor_are_refused(
    client_of, hugo, network, shipped_questionnaire, text
):
    draft = instrument_actions.copy_questionnaire(network, shipped_questionnaire, by=hugo)
    theme_id = draft.definition["themes"][0]["id"]
    client = client_of(hugo)
    # As a new statement, as an edited statement, as the first statement of a new theme.
    for data, address in (
        (theme_post(draft, **{"new-text": text}), q_url("draft_theme", network, draft.pk, theme_id)),
        (theme_post(draft, **{"items-0-text": text}), q_url("draft_theme", network, draft.pk, theme_id)),
        (
            {"revision": draft.revision, "title": "Profil", "statement": text},
            q_url("theme_add", network, draft.pk),
        ),
    ):
        response = client.post(address, data)
        assert response.status_code == 400, (text, address)
        assert "porte sur la personne qui répond" in page_text(response)
    draft.refresh_from_db()
    assert draft.revision == 0
    assert text not in str(draft.definition)


def test_thousands_of_statements_or_forged_fields_are_refused_without_writing(
    client_of, hugo, network, shipped_questionnaire
):
    draft = instrument_actions.copy_questionnaire(network, shipped_questionnaire, by=hugo)
    theme_id = draft.definition["themes"][0]["id"]
    address = q_url("draft_theme", network, draft.pk, theme_id)
    kept = draft.definition
    client = client_of(hugo)
    many = theme_post(draft, **{"items-TOTAL_FORMS": 3000, "items-INITIAL_FORMS": 3000})
    for index in range(3000):
        many[f"items-{index}-text"] = f"Affirmation {index}"
    for data in (
        many,
        theme_post(draft, **{"new-text": "x" * 200_000}),
        theme_post(draft, **{"theme-revision": "-1"}),
        theme_post(draft, **{"theme-revision": "abc"}),
        theme_post(draft, **{"theme-revision": draft.revision + 5}),
        theme_post(draft, **{"items-TOTAL_FORMS": "-3"}),
        theme_post(draft, action="remove-999"),
        theme_post(draft, action="up--1"),
    ):
        response = client.post(address, data)
        assert response.status_code in (302, 400, 409), response.status_code
    draft.refresh_from_db()
    # A forged button (« remove-999 ») is taken as « save »: nothing else changes.
    assert draft.definition == kept
    # Theme buttons out of range, negative or forged change nothing.
    for action in ("remove-999", "remove--1", "down-9999", "up-abc", "remove-"):
        response = client.post(q_url("themes_arrange", network, draft.pk), {"revision": 0, "action": action})
        assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.definition == kept
    assert len(draft.definition["themes"]) == len(shipped_questionnaire.latest_version().definition["themes"])
    # An unknown theme id, even a long or odd one, is a 404.
    for theme in ("nulle-part", "a" * 300, "0"):
        assert client.get(q_url("draft_theme", network, draft.pk, theme)).status_code == 404


def test_publishing_twice_makes_one_version(client_of, hugo, network, shipped_questionnaire):
    draft = instrument_actions.copy_questionnaire(network, shipped_questionnaire, by=hugo)
    client = client_of(hugo)
    first = client.post(q_url("publish", network, draft.pk))
    second = client.post(q_url("publish", network, draft.pk))
    assert first.status_code == 302 and second.status_code in (302, 400, 404)
    assert Questionnaire.objects.get(network=network).versions.count() == 1


# --- Fiches ------------------------------------------------------------------------------------


def fiche_data(draft, **changes):
    data = {key: value for key, value in FicheDraftForm.initial_for(draft).items() if value is not None}
    complete = dict(
        title="Accueillir une nouvelle personne",
        summary="Les premiers jours comptent.",
        context="Une arrivée se **prépare** avant le premier jour.",
        stakes="Garder les personnes qui arrivent.",
        opportunities="Un collectif qui se renouvelle",
        risks="Un départ rapide",
        questions="Qui accueille la personne ?",
        how_to_act="Préparez un parcours d'arrivée.",
        steps="## Avant l'arrivée\nPréparer le poste.",
        example_organisation="Une Scop de l'Aude",
        example_text="Un binôme pour chaque arrivée.",
        reading="Bien accueillir | Aract | https://www.anact.fr/ | 2024",
        determinants=["labqvt:relations-climat"],
    )
    return data | complete | changes


def publish_fiche(network, by, **changes):
    draft = fiche_actions.create_draft(network, title="Accueillir", by=by)
    form = FicheDraftForm(fiche_data(draft, **changes))
    assert form.is_valid(), form.errors
    fiche_actions.update_draft(draft, content=form.content(draft.content), revision=1, by=by)
    fiche_actions.publish_draft(draft, by=by)
    return Fiche.objects.get(network=network)


def test_a_network_fiche_is_absent_for_outsiders_everywhere(client_of, hugo, bob, dave, network, other):
    fiche = publish_fiche(network, hugo, title="Fiche très confidentielle")
    detail = reverse("fiches:detail", args=[fiche.slug])
    for outsider in (None, other.olga, other.zoe):
        client = client_of(outsider)
        assert client.get(detail).status_code == 404
        listing = client.get(reverse("fiches:list"))
        assert listing.status_code == 200
        assert "Fiche très confidentielle" not in listing.content.decode()
        assert fiche.slug not in listing.content.decode()
        # Another network's library does not list it, nor can its staff copy it.
        if outsider == other.zoe:
            library = client.get(reverse("fiches:network_library", args=[other.slug]))
            assert "Fiche très confidentielle" not in library.content.decode()
            response = client.post(reverse("fiches:draft_copy", args=[other.slug, fiche.slug]))
            assert response.status_code == 404
            assert not FicheDraft.objects.filter(network=other).exists()
    for member in (bob, dave):
        assert client_of(member).get(detail).status_code == 200


def test_another_network_s_fiche_draft_endpoints_are_a_404(client_of, hugo, network, other):
    draft = fiche_actions.create_draft(network, title="Brouillon secret", by=hugo)
    client = client_of(other.zoe)
    for slug in (network.slug, other.slug):
        for name in ("draft", "draft_preview", "draft_publish", "draft_delete"):
            address = reverse(f"fiches:{name}", args=[slug, draft.pk])
            assert client.get(address).status_code in (404, 405), name
            assert client.post(address, fiche_data(draft)).status_code == 404, name
    draft.refresh_from_db()
    assert draft.revision == 1 and draft.published_version_id is None and draft.title == "Brouillon secret"


def test_markup_in_every_fiche_field_never_runs(client_of, hugo, bob, network):
    fields = (
        "summary",
        "context",
        "stakes",
        "opportunities",
        "risks",
        "questions",
        "how_to_act",
        "example_organisation",
        "example_text",
    )
    fiche = publish_fiche(
        network,
        hugo,
        title="Titre <script>alert('t')</script>",
        steps="## Étape <img src=x onerror=alert(1)>\n" + PAYLOAD,
        reading=(
            'Lecture <script>x</script> | <b onmouseover=alert(1)>x</b> | https://a.example/"onclick=x | 2024'
        ),
        **{name: PAYLOAD.replace("\n", " ")[:190] for name in fields},
    )
    draft = FicheDraft.objects.get(network=network)
    client = client_of(hugo)
    preview = client.get(reverse("fiches:draft_preview", args=[network.slug, draft.pk]))
    assert preview.status_code == 200
    assert_inert(preview.content.decode())
    page = client_of(bob).get(fiche.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert_inert(html)


def test_javascript_reading_links_are_refused(client_of, hugo, network):
    draft = fiche_actions.create_draft(network, title="Accueillir", by=hugo)
    for url in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,x"):
        form = FicheDraftForm(fiche_data(draft, reading=f"Lecture | Éditeur | {url} | 2024"))
        assert not form.is_valid()
        assert "l'adresse doit commencer par https:// ou http://" in form.errors["reading"][0]


def test_oversized_or_forged_fiche_drafts_are_refused_and_nothing_is_lost(client_of, hugo, network):
    draft = fiche_actions.create_draft(network, title="Accueillir", by=hugo)
    client = client_of(hugo)
    assert client.post(draft.get_absolute_url(), fiche_data(draft)).status_code == 302
    draft.refresh_from_db()
    kept = (draft.revision, draft.content)
    for changes in (
        {"context": "x" * 500_000},
        {"questions": "\n".join(f"Question {n} ?" for n in range(5000))},
        {"steps": "\n".join(f"## Étape {n}\nTexte." for n in range(2000))},
        {"reading": "\n".join(f"Lecture {n} | A | https://a.example/ | 2024" for n in range(2000))},
        {"revision": "-4"},
        {"revision": "abc"},
        {"revision": draft.revision + 7},
        {"determinants": ["labqvt:inexistant", "<script>"]},
        {"collection": "autre"},
    ):
        response = client.post(draft.get_absolute_url(), fiche_data(draft, **changes))
        assert response.status_code in (400, 409), changes
    draft.refresh_from_db()
    assert (draft.revision, draft.content) == kept


# --- Programme templates -----------------------------------------------------------------------


@pytest.fixture
def shipped_programme():
    load_programmes()
    return Programme.objects.get(slug="teletravail-de-qualite")


def p_url(name, network, *args):
    return reverse(f"programmes:{name}", args=[network.slug, *args])


def test_markup_in_a_programme_template_never_runs(client_of, hugo, network, shipped_programme):
    client = client_of(hugo)
    client.post(p_url("template_copy", network, shipped_programme.pk))
    draft = ProgrammeDraft.objects.get(network=network)
    content = dict(draft.content)
    content["title"] = "Parcours <script>alert('t')</script>"
    content["aim"] = PAYLOAD
    content["review"] = {**(content.get("review") or {}), "text": PAYLOAD}
    sessions = []
    for session in content["sessions"]:
        changed = {
            **session,
            "title": "Atelier <img src=x onerror=alert(1)>",
            "objectives": [PAYLOADS[0], PAYLOADS[2]],
            "content": [PAYLOADS[1], PAYLOADS[3]],
        }
        if session.get("intersession"):
            changed["intersession"] = {**session["intersession"], "task": PAYLOAD}
        sessions.append(changed)
    content["sessions"] = sessions
    programme_actions.save_template_draft(draft, content=content, revision=draft.revision, by=hugo)
    draft.refresh_from_db()
    for name, args in (
        ("template_preview", (draft.pk,)),
        ("template_draft", (draft.pk,)),
        ("template_session", (draft.pk, 1)),
        ("templates", ()),
    ):
        response = client.get(p_url(name, network, *args))
        assert response.status_code == 200, name
        assert_inert(response.content.decode())


def test_oversized_or_forged_workshops_are_refused_and_nothing_is_lost(
    client_of, hugo, network, shipped_programme
):
    client = client_of(hugo)
    client.post(p_url("template_copy", network, shipped_programme.pk))
    draft = ProgrammeDraft.objects.get(network=network)
    kept = (draft.revision, draft.content)
    session = draft.content["sessions"][0]
    base = {
        "revision": draft.revision,
        "title": session["title"],
        "duration_minutes": session["duration_minutes"],
        "format": session["format"],
        "date_hint": session.get("date_hint") or "",
        "objectives": "\n".join(session.get("objectives", [])),
        "content": "\n".join(session.get("content", [])),
        "speakers": "\n".join(session.get("speakers", [])),
        "intersession_title": (session.get("intersession") or {}).get("title", ""),
        "intersession_kind": (session.get("intersession") or {}).get("kind", "work"),
        "intersession_task": (session.get("intersession") or {}).get("task", ""),
    }
    address = p_url("template_session", network, draft.pk, 1)
    for changes in (
        {"objectives": "\n".join(f"Objectif {n}" for n in range(5000))},
        {"content": "x" * 500_000},
        {"duration_minutes": "-30"},
        {"duration_minutes": "99999999"},
        {"format": "<script>"},
        {"revision": "-1"},
        {"revision": "abc"},
        {"revision": draft.revision + 3},
    ):
        response = client.post(address, base | changes)
        assert response.status_code in (200, 302, 400, 409), changes
        draft.refresh_from_db()
        assert (draft.revision, draft.content) == kept, changes
    for number in (0, -1, 999):
        response = client.post(f"{p_url('template_draft', network, draft.pk)}ateliers/{number}/", base)
        assert response.status_code == 404, number
    # Adding workshops without end stops at the limit, with a French message.
    for _ in range(80):
        draft.refresh_from_db()
        client.post(p_url("template_session_add", network, draft.pk), {"revision": draft.revision})
    draft.refresh_from_db()
    assert len(draft.content["sessions"]) <= 40


def test_a_cohort_from_another_network_s_programme_is_refused(
    client_of, hugo, network, other, shipped_programme
):
    client_of(hugo).post(p_url("template_copy", network, shipped_programme.pk))
    draft = ProgrammeDraft.objects.get(network=network)
    programme_actions.publish_template_draft(draft, revision=draft.revision, by=hugo)
    own = Programme.objects.get(network=network)
    client = client_of(other.zoe)
    for slug_network in (other, network):
        response = client.post(
            p_url("cohort_create", slug_network), {"programme": own.pk, "name": "Volée", "places": 5}
        )
        if slug_network == other:
            assert response.status_code in (200, 400)
            assert "Ce parcours n'existe pas." in page_text(response)
        else:
            assert response.status_code == 404
    for pk in (-1, 0, "abc", own.pk + 1000):
        response = client.post(p_url("cohort_create", other), {"programme": pk, "name": "Volée", "places": 5})
        assert response.status_code in (200, 400)
    assert not Cohort.objects.exists()


# --- Team exercises ----------------------------------------------------------------------------


@pytest.fixture
def review(alice, org_a):
    exercise, _ = exercise_actions.start_exercise(
        org_a,
        by=alice,
        kind="tool_review",
        title="Revue de « messagerie »",
        tool_name="Messagerie",
        family="communication",
        stage="before",
        submit_key=uuid.uuid4(),
    )
    exercise_actions.save_entries(
        exercise,
        by=alice,
        title=exercise.title,
        entries={"regles": {"notes": "Des mails à 23 h.", "decision": "adjust", "agreed": "Pas après 19 h"}},
    )
    return exercise


def entries_data(exercise, **overrides):
    data = {"title": exercise.title}
    for section in exercise.spec.sections:
        data |= {f"{section.key}-notes": "", f"{section.key}-decision": "", f"{section.key}-agreed": ""}
    return data | overrides


def e_url(name, organisation, exercise, *args):
    return reverse(f"exercises:{name}", args=[organisation.slug, exercise.pk, *args])


def test_a_member_who_is_not_a_pilot_and_outsiders_change_nothing(client_of, bob, dave, org_a, org_b, review):
    before = list(Entry.objects.values_list("key", "notes", "agreed", "action"))
    for person, organisation, expected in ((bob, org_a, 404), (dave, org_a, 404), (dave, org_b, 404)):
        client = client_of(person)
        assert client.post(
            e_url("edit", organisation, review), entries_data(review, title="Volé")
        ).status_code == (expected)
        assert client.post(e_url("entry_action", organisation, review, "regles")).status_code == expected
        assert client.post(e_url("after_review", organisation, review)).status_code == expected
        if person == dave and organisation == org_b:
            assert client.get(e_url("detail", organisation, review)).status_code == 404
    response = client_of(bob).post(
        reverse("exercises:start", args=[org_a.slug, "revue-outil"]),
        {
            "tool_name": "Agenda",
            "family": "collaboration",
            "stage": "before",
            "submit_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.title == "Revue de « messagerie »"
    assert list(Entry.objects.values_list("key", "notes", "agreed", "action")) == before
    assert Exercise.objects.count() == 1 and not Action.objects.exists()


def test_a_decision_never_becomes_another_organisation_s_action(client_of, dave, org_a, org_b, review):
    theirs, _ = exercise_actions.start_exercise(
        org_b,
        by=dave,
        kind="tool_review",
        title="Revue",
        tool_name="X",
        family="communication",
        stage="before",
    )
    client = client_of(dave)
    # Dave, pilot of B, sends A's exercise through B's address: not found, no action anywhere.
    assert client.post(e_url("entry_action", org_b, review, "regles")).status_code == 404
    for key in ("inconnue", "../regles", "regles%00"):
        assert client.post(f"/s/{org_b.slug}/exercices/{theirs.pk}/{key}/action/").status_code == 404
    assert not Action.objects.exists()


def test_markup_in_exercise_notes_is_escaped_everywhere(client_of, alice, bob, org_a, review):
    client = client_of(alice)
    response = client.post(
        e_url("edit", org_a, review),
        entries_data(
            review,
            title="Revue <script>alert('t')</script>",
            **{"regles-notes": PAYLOAD, "regles-decision": "adjust", "regles-agreed": PAYLOADS[1]},
        ),
    )
    assert response.status_code == 302
    response = client.post(e_url("entry_action", org_a, review, "regles"))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.organisation == org_a
    for person, address in (
        (bob, review.get_absolute_url()),
        (alice, e_url("edit", org_a, review)),
        (alice, response["Location"]),
    ):
        page = client_of(person).get(address)
        assert page.status_code == 200
        assert_inert(page.content.decode())


def test_oversized_or_forged_exercise_input_is_refused_and_nothing_is_lost(client_of, alice, org_a, review):
    client = client_of(alice)
    kept = list(Entry.objects.values_list("key", "notes", "decision", "agreed"))
    for changes in (
        {"regles-notes": "x" * 2001},
        {"regles-agreed": "x" * 201},
        {"regles-decision": "supprimer-tout"},
        {"title": ""},
        {"title": "x" * 201},
    ):
        response = client.post(e_url("edit", org_a, review), entries_data(review, **changes))
        assert response.status_code == 400, changes
        assert "Les réponses de l'équipe sont enregistrées." not in page_text(response)
    assert list(Entry.objects.values_list("key", "notes", "decision", "agreed")) == kept
    review.refresh_from_db()
    assert review.title == "Revue de « messagerie »"
    # Keys of sections that do not exist are ignored, never stored.
    response = client.post(
        e_url("edit", org_a, review),
        entries_data(review, **{"pirate-notes": "x" * 10_000, "regles-notes": "Des mails à 23 h."}),
    )
    assert response.status_code == 302
    assert not Entry.objects.filter(key="pirate").exists()
    assert Entry.objects.get(key="regles").notes == "Des mails à 23 h."


def test_a_double_submit_starts_one_exercise_and_a_forged_key_is_harmless(
    client_of, alice, dave, org_a, org_b, review
):
    key = str(uuid.uuid4())
    data = {
        "tool_name": "Agenda",
        "family": "collaboration",
        "stage": "before",
        "title": "",
        "submit_key": key,
    }
    client = client_of(alice)
    first = client.post(reverse("exercises:start", args=[org_a.slug, "revue-outil"]), data)
    second = client.post(reverse("exercises:start", args=[org_a.slug, "revue-outil"]), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert org_a.exercises.count() == 2
    # Another organisation reusing A's key (a forged hidden field) neither sees A's exercise nor breaks.
    response = client_of(dave).post(reverse("exercises:start", args=[org_b.slug, "revue-outil"]), data)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"] != first["Location"]
        assert org_b.exercises.count() == 1
    assert org_a.exercises.count() == 2
    client = client_of(alice)
    for bad in ("-1", "abc", ""):
        response = client.post(
            reverse("exercises:start", args=[org_a.slug, "revue-outil"]), data | {"submit_key": bad}
        )
        assert response.status_code == 400
        assert "Le formulaire est incomplet" in page_text(response)


def test_publishing_a_fiche_or_a_programme_twice_makes_one_version(
    client_of, hugo, network, shipped_programme
):
    draft = fiche_actions.create_draft(network, title="Accueillir", by=hugo)
    client = client_of(hugo)
    assert client.post(draft.get_absolute_url(), fiche_data(draft)).status_code == 302
    publish = reverse("fiches:draft_publish", args=[network.slug, draft.pk])
    assert client.post(publish).status_code == 302
    assert client.post(publish).status_code in (302, 404)
    assert Fiche.objects.get(network=network).versions.count() == 1
    # A published draft cannot be deleted from under its version.
    client.post(reverse("fiches:draft_delete", args=[network.slug, draft.pk]))
    assert Fiche.objects.get(network=network).versions.count() == 1

    client.post(p_url("template_copy", network, shipped_programme.pk))
    template = ProgrammeDraft.objects.get(network=network)
    address = p_url("template_publish", network, template.pk)
    assert client.post(address, {"revision": template.revision}).status_code == 302
    assert client.post(address, {"revision": template.revision}).status_code in (302, 404)
    for forged in ("-1", "abc", ""):
        assert client.post(address, {"revision": forged}).status_code in (302, 400, 404)
    assert Programme.objects.get(network=network).versions.count() == 1

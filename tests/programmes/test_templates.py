"""Programme templates: validated on load, refused with a French message naming the file, the
place and the problem, stored as immutable versions."""

import copy

import pytest
import yaml

from reperes.lib.content import read_yaml
from reperes.programmes.definition import (
    CONTENT_DIR,
    ProgrammeError,
    ProgrammeSpec,
    parse_programme,
    programme_files,
)
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Programme, ProgrammeVersion

MINIMAL = {
    "slug": "essai",
    "title": "Parcours d'essai",
    "aim": "Essayer.",
    "audience": "Des structures de l'ESS.",
    "enrolment": "organisation",
    "max_participants": 2,
    "sessions": [
        {
            "number": 1,
            "title": "Premier atelier",
            "duration_minutes": 180,
            "format": "onsite",
            "date_hint": "exact",
            "tools": [{"kind": "questionnaire", "slug": "teletravail-crise", "label": "Le questionnaire"}],
            "intersession": {"title": "Des pistes", "task": "Écrire deux pistes.", "kind": "work"},
        },
        {"number": 2, "title": "Bilan", "duration_minutes": 210, "format": "remote", "is_review": True},
    ],
    "review": {"after_months": 6, "questionnaire": "qvt-numerique", "text": "On compare."},
}


def minimal(**changes):
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


def refusal(data, source="essai.yaml"):
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(data, source=source)
    return str(caught.value)


def write(directory, name, data):
    (directory / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# the shipped templates


def test_every_shipped_template_parses():
    slugs = [ProgrammeSpec.parse(read_yaml(path), source=path.name).slug for path in programme_files()]
    assert slugs == [
        "egalite-professionnelle-grand-est",
        "egalite-qvt-bretagne",
        "formation-action-qvt-paca",
        "teletravail-de-qualite",
    ]


def test_the_telework_template_is_four_half_days_of_twelve_hours():
    spec = ProgrammeSpec.parse(read_yaml(CONTENT_DIR / "teletravail-de-qualite.yaml"), source="t.yaml")
    assert spec.session_count == 4
    assert [session.duration_minutes for session in spec.sessions] == [180] * 4
    assert spec.total_minutes == 720 and spec.total_hours_label == "12 h"
    assert [session.date_hint for session in spec.sessions] == ["exact", "week", "month", "month"]
    assert [s.intersession.kind for s in spec.sessions[:3]] == ["work", "questions", "work"]
    assert spec.sessions[-1].is_review and spec.sessions[-1].intersession is None
    assert ("questionnaire", "teletravail-crise") in {(t.kind, t.slug) for t in spec.session(1).tools}
    assert spec.session(5) is None


def test_the_bretagne_template_is_for_a_pair_under_fifty_employees():
    spec = ProgrammeSpec.parse(read_yaml(CONTENT_DIR / "egalite-qvt-bretagne.yaml"), source="b.yaml")
    assert spec.is_pair and spec.pair_roles == ["manager", "employee"]
    assert spec.eligibility.max_employees == 49
    assert spec.eligibility.opcos == ["uniformation", "opco_sante", "afdas"]
    assert spec.eligibility.management_commitment
    assert spec.session_count == 5 and spec.total_hours_label == "35 h"
    assert spec.equality_note


@pytest.mark.django_db
def test_every_shipped_template_loads_and_loading_twice_makes_no_new_version():
    first = load_programmes()
    assert len(first) == 4 and all(created for _, number, created in first if number == 1)
    assert load_programmes() == [(slug, 1, False) for slug, _, _ in first]
    assert ProgrammeVersion.objects.count() == 4
    version = Programme.objects.get(slug="teletravail-de-qualite").latest_version()
    assert version.spec.title == "Pour un télétravail de qualité"
    assert version.source == "teletravail-de-qualite.yaml"


# refusals


def test_the_minimal_template_is_normalised_with_every_key():
    content = parse_programme(minimal(), source="essai.yaml")
    assert content["origin"] == "" and content["pair_roles"] == [] and content["equality_note"] == ""
    assert content["eligibility"] == {
        "max_employees": None,
        "opcos": [],
        "regions": [],
        "network_members_only": False,
        "management_commitment": False,
        "note": "",
    }
    assert content["sessions"][1]["intersession"] is None
    spec = ProgrammeSpec.from_content(content)
    assert spec.total_hours_label == "6 h 30"
    assert spec.session(1).tools[0].kind_label == "Questionnaire"


def test_an_unknown_key_is_refused():
    assert refusal(minimal(colour="vert")).startswith("essai.yaml, racine : clé inconnue « colour »")


def test_an_unknown_key_in_a_session_is_refused():
    data = minimal()
    data["sessions"][1]["room"] = "B12"
    assert refusal(data).startswith("essai.yaml, sessions, atelier 2 : clé inconnue « room »")


def test_a_missing_title_is_refused():
    data = minimal()
    del data["title"]
    assert refusal(data) == "essai.yaml, title : « title » doit être un texte non vide"


def test_session_numbers_must_follow_each_other():
    data = minimal()
    data["sessions"][1]["number"] = 3
    assert refusal(data) == (
        "essai.yaml, sessions, atelier 2 : les ateliers sont numérotés 1, 2, 3… dans l'ordre : "
        "celui-ci doit porter le numéro 2 (reçu : 3)"
    )


@pytest.mark.parametrize("duration", [0, 15, 600, "3 h", 180.5, True, None])
def test_a_bad_duration_is_refused(duration):
    data = minimal()
    data["sessions"][0]["duration_minutes"] = duration
    assert refusal(data) == (
        "essai.yaml, sessions, atelier 1 : « duration_minutes » doit être un nombre entier de 30 à 480 "
        f"(reçu : {duration!r})"
    )


def test_an_unknown_questionnaire_is_refused():
    data = minimal()
    data["sessions"][0]["tools"][0]["slug"] = "egalite"
    message = refusal(data)
    assert message.startswith(
        "essai.yaml, sessions, atelier 1, outil 1 : aucun questionnaire de reperes/instruments/definitions/ "
        "ne s'appelle « egalite »"
    )
    assert "qvt-numerique" in message


def test_an_unknown_fiche_is_refused():
    data = minimal()
    data["sessions"][0]["tools"].append({"kind": "fiche", "slug": "inconnue", "label": "Une fiche"})
    assert refusal(data).startswith(
        "essai.yaml, sessions, atelier 1, outil 2 : aucune fiche de reperes/fiches/content/ ne s'appelle "
        "« inconnue »"
    )


def test_an_unknown_tool_kind_is_refused():
    data = minimal()
    data["sessions"][0]["tools"][0]["kind"] = "video"
    assert refusal(data).startswith("essai.yaml, sessions, atelier 1, outil 1 : « kind » inconnu 'video'")


def test_an_unknown_opco_is_refused():
    message = refusal(minimal(eligibility={"opcos": ["uniformation", "opco_inconnu"]}))
    assert message.startswith("essai.yaml, eligibility, opcos, entrée 2 : code inconnu 'opco_inconnu'")
    assert "opco_sante" in message


def test_an_unknown_region_is_refused():
    assert refusal(minimal(eligibility={"regions": ["99"]})).startswith(
        "essai.yaml, eligibility, regions, entrée 1 : code inconnu '99'"
    )


@pytest.mark.parametrize(
    "roles", [None, [], ["manager"], ["manager", "manager"], ["manager", "director"], "manager"]
)
def test_pair_enrolment_needs_two_different_pair_roles(roles):
    data = minimal(enrolment="pair")
    if roles is not None:
        data["pair_roles"] = roles
    message = refusal(data)
    assert message.startswith("essai.yaml, pair_roles : ")
    assert "un binôme a deux rôles différents parmi manager, employee, staff_rep" in message or (
        "doit être une liste" in message
    )


def test_pair_roles_belong_to_pair_enrolment_only():
    assert refusal(minimal(pair_roles=["manager", "employee"])) == (
        "essai.yaml, pair_roles : seul un parcours en binôme (« enrolment: pair ») a des rôles"
    )


@pytest.mark.parametrize("count", [0, 5, "2"])
def test_max_participants_is_one_to_four(count):
    assert refusal(minimal(max_participants=count)).startswith(
        "essai.yaml, max_participants : « max_participants » doit être un nombre entier de 1 à 4"
    )


def test_only_the_last_session_is_the_review_and_it_has_no_intersession():
    data = minimal()
    data["sessions"][0]["is_review"] = True
    assert (
        refusal(data) == "essai.yaml, sessions, atelier 1 : seul le dernier atelier peut être celui du bilan"
    )
    data = minimal()
    data["sessions"][1]["intersession"] = {"title": "Et après", "task": "Rien.", "kind": "none"}
    assert refusal(data).startswith(
        "essai.yaml, sessions, atelier 2 : le dernier atelier n'a pas d'intersession"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "visio"}, "essai.yaml, sessions, atelier 1 : « format » inconnu 'visio'"),
        ({"date_hint": "day"}, "essai.yaml, sessions, atelier 1 : « date_hint » inconnu 'day'"),
        (
            {"objectives": "Comprendre"},
            "essai.yaml, sessions, atelier 1 : « objectives » doit être une liste",
        ),
        ({"speakers": [""]}, "essai.yaml, sessions, atelier 1, speakers, entrée 1 : texte vide"),
        ({"is_review": "oui"}, "essai.yaml, sessions, atelier 1 : « is_review » vaut true ou false"),
        (
            {"intersession": {"title": "T", "task": "Écrire.", "kind": "essay"}},
            "essai.yaml, sessions, atelier 1, intersession : « kind » inconnu 'essay'",
        ),
    ],
)
def test_wrong_session_values_are_refused(change, message):
    data = minimal()
    data["sessions"][0].update(change)
    assert refusal(data).startswith(message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sessions": []}, "essai.yaml, sessions : au moins un atelier est nécessaire"),
        ({"enrolment": "person"}, "essai.yaml, enrolment : « enrolment » inconnu 'person'"),
        ({"slug": "Avec Espaces"}, "essai.yaml, slug : « slug » doit être fait de minuscules"),
        ({"eligibility": {"max_employees": "50"}}, "essai.yaml, eligibility : « max_employees » doit être"),
        (
            {"eligibility": {"network_members_only": "yes"}},
            "essai.yaml, eligibility : « network_members_only »",
        ),
        ({"eligibility": ["49"]}, "essai.yaml, eligibility : doit être un ensemble de clés"),
        ({"review": None}, "essai.yaml, review : doit être un ensemble de clés"),
        (
            {"review": {"after_months": 6, "text": "x", "when": 1}},
            "essai.yaml, review : clé inconnue « when »",
        ),
        (
            {"review": {"after_months": 6, "questionnaire": "egalite", "text": "x"}},
            "essai.yaml, review : aucun questionnaire",
        ),
    ],
)
def test_wrong_programme_values_are_refused(change, message):
    assert refusal(minimal(**change)).startswith(message)


def test_a_file_that_is_not_a_programme_is_refused():
    assert refusal(["un", "deux"]).startswith("essai.yaml, racine : doit être un ensemble de clés")


# loading into versions


@pytest.mark.django_db
def test_loading_is_versioned(tmp_path):
    write(tmp_path, "essai.yaml", minimal())
    assert load_programmes(tmp_path) == [("essai", 1, True)]
    assert load_programmes(tmp_path) == [("essai", 1, False)]

    write(tmp_path, "essai.yaml", minimal(title="Parcours d'essai, revu"))
    assert load_programmes(tmp_path) == [("essai", 2, True)]

    programme = Programme.objects.get()
    assert programme.title == "Parcours d'essai, revu"
    assert [v.spec.title for v in programme.versions.order_by("number")] == [
        "Parcours d'essai",
        "Parcours d'essai, revu",
    ]


@pytest.mark.django_db
def test_malformed_yaml_is_refused_with_its_file(tmp_path):
    (tmp_path / "casse.yaml").write_text("slug: [", encoding="utf-8")
    with pytest.raises(ProgrammeError, match=r"^casse\.yaml : YAML illisible"):
        load_programmes(tmp_path)


@pytest.mark.django_db
def test_nothing_is_half_loaded_when_one_of_two_files_is_bad(tmp_path):
    write(tmp_path, "a-bon.yaml", minimal())
    load_programmes(tmp_path)
    write(tmp_path, "a-bon.yaml", minimal(title="Nouveau titre"))
    bad = minimal(slug="mauvais")
    bad["sessions"][0]["duration_minutes"] = 5
    write(tmp_path, "b-mauvais.yaml", bad)

    with pytest.raises(ProgrammeError, match=r"^b-mauvais\.yaml, sessions, atelier 1 : « duration_minutes »"):
        load_programmes(tmp_path)

    assert ProgrammeVersion.objects.count() == 1
    assert list(Programme.objects.values_list("slug", "title")) == [("essai", "Parcours d'essai")]


@pytest.mark.django_db
def test_two_files_with_the_same_slug_are_refused(tmp_path):
    write(tmp_path, "a.yaml", minimal())
    write(tmp_path, "b.yaml", minimal())
    with pytest.raises(ProgrammeError, match=r"^b\.yaml, slug : « essai » est déjà utilisé par a\.yaml$"):
        load_programmes(tmp_path)
    assert not Programme.objects.exists()


def test_the_glossary_file_is_not_a_template():
    assert "glossary.yaml" not in [path.name for path in programme_files()]
    assert (CONTENT_DIR / "glossary.yaml").exists()

"""The programme templates name the maturity self-diagnostic as a tool of its own kind; the
cohort page links it to the organisation's maturity pages."""

import copy

import pytest
from django.urls import reverse

from reperes.organisations.models import Membership
from reperes.programmes import actions
from reperes.programmes.definition import ProgrammeError, parse_programme, shipped_tools
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Cohort, Programme

SESSION = {"number": 1, "title": "Atelier", "duration_minutes": 180, "format": "onsite"}
MINIMAL = {
    "slug": "essai",
    "title": "Parcours d'essai",
    "aim": "Essayer.",
    "audience": "Tout le monde.",
    "enrolment": "organisation",
    "max_participants": 2,
    "sessions": [SESSION],
    "review": {"after_months": 6, "text": "On compare."},
}


def with_tool(kind, slug):
    data = copy.deepcopy(MINIMAL)
    data["sessions"][0]["tools"] = [{"kind": kind, "slug": slug, "label": "L'autodiagnostic"}]
    return data


def test_the_maturity_tool_kind_names_the_self_diagnostic():
    content = parse_programme(with_tool("maturity", "maturite-numerique"), source="essai.yaml")

    assert content["sessions"][0]["tools"] == [
        {"kind": "maturity", "slug": "maturite-numerique", "label": "L'autodiagnostic"}
    ]
    tools = shipped_tools()
    assert tools["maturity"] == {"maturite-numerique"}
    assert "maturite-numerique" not in tools["questionnaire"]


def test_the_self_diagnostic_is_not_a_team_questionnaire_tool():
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(with_tool("questionnaire", "maturite-numerique"), source="essai.yaml")

    assert str(caught.value).startswith(
        "essai.yaml, sessions, atelier 1, outil 1 : aucun questionnaire de reperes/instruments/definitions/ "
        "ne s'appelle « maturite-numerique »"
    )


def test_a_team_questionnaire_is_not_a_maturity_tool():
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(with_tool("maturity", "qvt-numerique"), source="essai.yaml")

    assert str(caught.value) == (
        "essai.yaml, sessions, atelier 1, outil 1 : aucun autodiagnostic de structure "
        "(« use: organisation ») ne s'appelle « qvt-numerique » (possibles : maturite-numerique)"
    )


@pytest.mark.django_db
def test_the_seed_000_programme_uses_it_in_workshop_1_and_in_the_review():
    load_programmes()
    spec = Programme.objects.get(slug="teletravail-de-qualite").latest_version().spec
    first = [(tool.kind, tool.slug) for tool in spec.session(1).tools]
    assert ("maturity", "maturite-numerique") in first
    assert ("questionnaire", "qvt-numerique") not in first
    assert ("maturity", "maturite-numerique") in [(tool.kind, tool.slug) for tool in spec.session(4).tools]
    assert spec.session(1).tools[1].kind_label == "Autodiagnostic de la structure"


@pytest.mark.django_db
def test_the_cohort_page_links_the_tool_to_the_organisations_maturity_home(
    client_of, network, fiona, alice, org_a
):
    load_programmes()
    cohort = actions.create_cohort(
        network,
        programme=Programme.objects.get(slug="teletravail-de-qualite"),
        name="Charente",
        places=8,
        by=fiona,
    )
    actions.set_state(cohort, state=Cohort.State.RECRUITING, by=fiona)
    membership = Membership.objects.get(user=alice, organisation=org_a)
    actions.join_with_code(org_a, code=cohort.join_code, participants=[(membership, "")], by=alice)

    page = client_of(alice).get(reverse("programmes:space_cohort", args=[org_a.slug, cohort.pk]))

    assert page.status_code == 200
    assert f'<a href="{reverse("maturity:home", args=[org_a.slug])}">' in page.content.decode()

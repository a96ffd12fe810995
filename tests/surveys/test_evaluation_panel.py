"""The network surveys on the programme evaluation page: Repères counts the « enquêtes menées »
and the « réponses de structures aux enquêtes » of the period, which the network entered by
hand before (reperes.surveys.panels, hook `evaluation_panel`)."""

from datetime import date

import pytest
from django.urls import reverse

from reperes.evaluation import actions as evaluation_actions
from reperes.evaluation.figures import Period
from reperes.surveys import actions
from reperes.surveys.panels import evaluation_panel
from tests.helpers import page_text
from tests.surveys.conftest import TODAY, answer, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveys(network, hugo, members):
    """Two surveys of 2026 (one closed with 5 answers in Bretagne and 2 in Normandie, one still
    open with 1 answer), and one of another network's kind: a draft, never counted."""
    closed = make_survey(network, hugo, title="Pratiques 2026")
    for organisation in members[:5] + members[8:10]:
        answer(closed, organisation)
    actions.close_survey(closed, by=hugo, today=date(2026, 7, 1))
    running = make_survey(network, hugo, title="Besoins d'automne", today=date(2026, 9, 1))
    answer(running, members[0], today=date(2026, 9, 2))
    make_survey(network, hugo, title="Brouillon", open_=False, today=date(2026, 9, 1))
    return closed, running


def project_of(network, by=None):
    return evaluation_actions.create_project(network, title="QVT 2026", starts_on=date(2026, 1, 1), by=by)


def period(start, end):
    return Period("p", "période", start, end)


def test_the_panel_counts_the_surveys_and_answers_of_the_period(network, surveys):
    project = project_of(network)
    panel = evaluation_panel(project=project, period=period(date(2026, 1, 1), date(2026, 12, 31)))
    assert [s.title for s in panel["surveys"]] == ["Pratiques 2026", "Besoins d'automne"]
    assert [(s.targeted, s.answered) for s in panel["surveys"]] == [(14, 7), (14, 1)]
    assert panel["answers"] == 8 and panel["targeted"] == 28
    assert panel["by_region"] == [("Bretagne", 6), ("Normandie", 2)]


def test_a_survey_outside_the_period_is_not_counted_and_no_survey_no_panel(network, surveys):
    project = project_of(network)
    # The closed survey ran from 10 June to 1 July; the open one from 1 September.
    summer = evaluation_panel(project=project, period=period(date(2026, 7, 2), date(2026, 8, 31)))
    assert summer is None
    june = evaluation_panel(project=project, period=period(date(2026, 6, 1), date(2026, 6, 30)))
    assert [s.title for s in june["surveys"]] == ["Pratiques 2026"]


def test_the_project_page_shows_them(client_of, hugo, network, surveys):
    project = project_of(network, hugo)
    text = page_text(client_of(hugo).get(reverse("evaluation:project", args=[network.slug, project.pk])))
    assert "Enquêtes du réseau auprès des structures" in text
    assert "Pratiques 2026" in text and "Besoins d'automne" in text and "Brouillon" not in text


def test_another_networks_surveys_never_show(network, surveys, hugo):
    from tests.organisations.factories import NetworkFactory

    other = NetworkFactory(slug="autre-reseau")
    project = evaluation_actions.create_project(other, title="Ailleurs", starts_on=TODAY, by=None)
    assert evaluation_panel(project=project, period=period(date(2026, 1, 1), date(2026, 12, 31))) is None

"""The project page: computed and entered indicators, within a bounded number of queries, and
the plain words about what is counted and what is not."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reperes.programmes.models import Attendance, Participant
from tests.accounts.factories import UserFactory
from tests.evaluation.conftest import closed_campaign, enrol
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# The sentence of the privacy page about page views (docs and legal pages quote it).
PRIVACY_LINE = (
    "Pages ouvertes sur toute l'instance, comptées par page et par mois seulement : ni personne, ni "
    "structure, ni provenance."
)


def project_url(project):
    return reverse("evaluation:project", args=["reseau", project.pk])


def grow(cohort, n):
    """n more organisations enrolled and sharing, each with one participant present at workshop 1
    and a closed diagnostic."""
    workshop = cohort.workshops.get(number=1)
    for _ in range(n):
        organisation = OrganisationFactory(shares_statistics=True)
        enrolment = enrol(cohort, organisation)
        membership = MembershipFactory(organisation=organisation, user=UserFactory())
        participant = Participant.objects.create(enrolment=enrolment, membership=membership)
        Attendance.objects.create(workshop=workshop, participant=participant, status="onsite")
        closed_campaign(organisation, "oui", days_ago=5, responses=1)


def test_the_page_shows_computed_and_entered_indicators(client_of, project, cohort, nina):
    grow(cohort, 3)
    page = page_text(client_of(nina).get(project_url(project)))
    assert "Ce que Repères compte" in page and "Ce que le réseau saisit" in page
    assert "Seules sont comptées les structures qui ont accepté de contribuer" in page
    assert PRIVACY_LINE in " ".join(page.split())
    assert "Cohorte « Cohorte de printemps »" in page


def test_the_number_of_queries_does_not_grow_with_the_organisations(
    client_of, project, cohort, nina, django_assert_max_num_queries
):
    client = client_of(nina)
    grow(cohort, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(project_url(project)).status_code == 200
    grow(cohort, 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(project_url(project)).status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(40):
        assert client.get(project_url(project)).status_code == 200


def test_a_period_with_no_data_says_so(client_of, project, nina):
    project.starts_on = timezone.localdate() - timedelta(days=800)
    project.save()
    year = str(project.starts_on.year)
    response = client_of(nina).get(project_url(project) + f"?periode={year}")
    page = page_text(response)
    assert response.status_code == 200
    assert "Aucune consultation enregistrée sur la période." in page
    assert "Aucune structure du projet n'a encore passé deux fois le même questionnaire" in page


def test_an_unknown_period_falls_back_to_the_whole_project(client_of, project, nina):
    page = page_text(client_of(nina).get(project_url(project) + "?periode=1789"))
    assert "tout le projet" in page


def test_the_list_of_projects(client_of, project, fiona, nina):
    page = page_text(client_of(nina).get(reverse("evaluation:projects", args=["reseau"])))
    assert "Télétravail 2026" in page and "Nouveau projet" not in page
    page = page_text(client_of(fiona).get(reverse("evaluation:projects", args=["reseau"])))
    assert "Nouveau projet" in page

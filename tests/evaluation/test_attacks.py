"""Attacks on the programme evaluation by a curious insider (../shared/THREATS.md): each test
performs the attack and checks that it teaches nothing about one organisation."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.evaluation import actions
from reperes.evaluation.figures import before_after, organisations_reached, period_for
from reperes.fiches.models import PageViewCount
from reperes.sharing.models import ResultShare
from tests.evaluation.conftest import closed_campaign, enrol
from tests.organisations.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def whole(project):
    period, _ = period_for(project, "tout")
    return period


def figures_of(project, period=None):
    """{questionnaire slug: (organisations, [(before, after)…])} as the project page shows them."""
    shown = {}
    for table in before_after(project, period or whole(project)):
        if table["shown"]:
            shown[table["questionnaire"].slug] = (
                table["organisations"],
                sorted((row["before"], row["after"]) for row in table["themes"]),
            )
    return shown


def sharing_members(cohort, count, *, first="non", last="oui"):
    organisations = []
    for n in range(count):
        organisation = OrganisationFactory(name=f"Structure {n}", slug=f"s-{n}", shares_statistics=True)
        enrol(cohort, organisation)
        closed_campaign(organisation, first, days_ago=40)
        organisations.append(organisation)
    return organisations


# Differencing over time: read the T0→T1 means, wait for one known organisation's second
# diagnostic to close, read again.


def test_t0_t1_does_not_move_when_one_more_organisation_answers_twice(project, cohort):
    members = sharing_members(cohort, 4)
    for organisation in members[:3]:
        closed_campaign(organisation, "oui", days_ago=10)
    before = figures_of(project)
    assert before, "three organisations answered twice: the means are shown"

    # The fourth one's second diagnostic closes (its team answered « non » again: no change).
    closed_campaign(members[3], "non", days_ago=5)
    after = figures_of(project)

    # The figures did not move by one organisation: whatever they show, they are those of before.
    assert after == before


def test_t0_t1_moves_only_by_whole_batches_of_three(project, cohort):
    members = sharing_members(cohort, 6)
    for organisation in members[:3]:
        closed_campaign(organisation, "oui", days_ago=20)
    three = figures_of(project)
    readings = [three]
    for days_ago, organisation in zip([15, 10, 5], members[3:], strict=True):
        closed_campaign(organisation, "non", days_ago=days_ago)
        readings.append(figures_of(project))
    # Unchanged after the fourth and the fifth; the sixth completes a batch of three.
    assert readings[1] == readings[2] == three
    [(count, rows)] = readings[3].values()
    assert count == 6
    # The difference is the mean of three organisations (0 → 0), never one.
    assert all(after == pytest.approx(2.5) for _before, after in rows)


def test_a_third_diagnostic_does_not_change_an_organisation_s_contribution(project, cohort):
    members = sharing_members(cohort, 3)
    for organisation in members:
        closed_campaign(organisation, "oui", days_ago=20)
    before = figures_of(project)
    # One organisation's team answers a third time, all « non »: the figures would move by exactly
    # that organisation's change if its latest diagnostic replaced its second.
    closed_campaign(members[0], "non", days_ago=5)
    assert figures_of(project) == before


# Differencing across figures: the whole project minus one of its years.


def test_t0_t1_of_the_whole_project_minus_a_year_reveals_nobody(network, cohort, hugo):
    today = timezone.localdate()
    project = actions.create_project(
        network,
        title="Projet de deux ans",
        starts_on=date(today.year - 1, 1, 1),
        cohorts=[cohort],
        by=hugo,
    )
    members = sharing_members(cohort, 4)
    # Three organisations answered twice this year; the fourth did last year.
    for organisation in members[:3]:
        closed_campaign(organisation, "oui", days_ago=3)
    last_year = date(today.year - 1, 6, 1)
    from reperes.campaigns.models import Campaign

    Campaign.objects.filter(organisation=members[3]).update(
        closed_on=last_year - timedelta(days=60), opened_on=last_year - timedelta(days=75)
    )
    second = closed_campaign(members[3], "non", days_ago=3)
    Campaign.objects.filter(pk=second.pk).update(
        closed_on=last_year, opened_on=last_year - timedelta(days=14)
    )

    whole_figures = figures_of(project)
    this_year, _ = period_for(project, str(today.year))
    year_figures = figures_of(project, this_year)
    previous_year, _ = period_for(project, str(today.year - 1))
    assert figures_of(project, previous_year) == {}  # one organisation: nothing
    # Whatever is shown for the whole project and for this year, they do not differ by one
    # organisation (which would be the fourth one's scores, by subtraction).
    assert whole_figures, "four organisations answered twice: a batch of three is shown"
    for slug, (count_whole, _) in whole_figures.items():
        count_year = year_figures.get(slug, (0, None))[0]
        assert count_whole - count_year == 0 or count_whole - count_year >= 3


# A facilitator who sees some organisations' results individually subtracts them.


def test_t0_t1_leaves_out_a_batch_with_an_organisation_the_network_sees_individually(
    project, cohort, network
):
    members = sharing_members(cohort, 3)
    seconds = [closed_campaign(organisation, "oui", days_ago=10) for organisation in members]
    assert figures_of(project)
    from reperes.organisations.models import Affiliation

    Affiliation.objects.create(network=network, organisation=members[0])
    ResultShare.objects.create(organisation=members[0], campaign=seconds[0], network=network)
    # Two of the three now known to the network's facilitators: the third would follow by
    # subtraction (mean × 3 minus the two known).
    Affiliation.objects.create(network=network, organisation=members[1])
    ResultShare.objects.create(organisation=members[1], campaign=seconds[1], network=network)
    assert figures_of(project) == {}


# « Organisations reached »: a live count must not tell when someone answered.


def test_organisations_reached_does_not_move_when_someone_answers(project, cohort, sharing):
    from reperes.campaigns.models import Campaign, Response
    from tests.campaigns.factories import CampaignFactory

    for key in ("a", "b", "c"):
        enrol(cohort, sharing[key])
        closed_campaign(sharing[key], "oui", days_ago=10)
    watched = OrganisationFactory(name="Observée", slug="observee", shares_statistics=True)
    enrol(cohort, watched)
    running = CampaignFactory(
        organisation=watched, state=Campaign.State.OPEN, opened_on=timezone.localdate() - timedelta(days=1)
    )
    before = organisations_reached(project, whole(project))
    assert before["diagnosed"] == {"value": 3, "shown": True}
    # The first person of the watched organisation answers: the count must not tell it.
    Response.objects.create(campaign=running, submitted_on=timezone.localdate(), submission_key="x-1")
    assert organisations_reached(project, whole(project)) == before


# Page views: per page and month, never per person.


def test_page_views_are_stored_per_page_and_month_only():
    fields = {field.name for field in PageViewCount._meta.get_fields()}
    assert fields <= {"id", "item", "month", "views"}, fields


# Reaching across tenants: another network's project, a project id that does not exist.


def test_another_network_s_project_is_a_404(client_of, hugo, project):
    other = NetworkFactory(slug="autre-reseau")
    client = client_of(hugo)
    assert client.get(reverse("evaluation:project", args=[other.slug, project.pk])).status_code == 404
    assert (
        client.get(reverse("evaluation:project", args=[project.network.slug, project.pk])).status_code == 200
    )
    bogus = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/r/{project.network.slug}/evaluation/{bogus}/").status_code == 404
    assert client.get(f"/r/{project.network.slug}/evaluation/pas-un-uuid/").status_code == 404


def test_a_huge_period_parameter_is_harmless(client_of, hugo, project):
    url = reverse("evaluation:project", args=[project.network.slug, project.pk])
    response = client_of(hugo).get(url, {"periode": "9" * 5000})
    assert response.status_code == 200

"""Steering committees may name people: their members and minutes go after ten years."""

from datetime import date

import pytest

from reperes.evaluation import jobs
from reperes.evaluation.actions import add_committee, create_project, forget_old_committee_records
from reperes.evaluation.models import SteeringCommittee
from tests.organisations.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def test_members_and_minutes_of_old_committees_are_erased_once_dates_and_regions_stay():
    network = NetworkFactory(scope="national")
    project = create_project(network, title="LAB'QVT", starts_on=date(2014, 1, 1), by=None)
    old = add_committee(
        project, region="", held_on=date(2016, 11, 29), by=None, members="M. Dupont", minutes="Lancé."
    )
    recent = add_committee(project, region="53", held_on=date(2020, 3, 2), by=None, members="Mme Durand")

    assert forget_old_committee_records(today=date(2026, 12, 1)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.members, old.minutes, old.held_on, old.region) == ("", "", date(2016, 11, 29), "")
    assert recent.members == "Mme Durand"
    assert forget_old_committee_records(today=date(2026, 12, 1)) == 0
    assert "vidés" in jobs.purge()
    assert SteeringCommittee.objects.count() == 2

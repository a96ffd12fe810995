"""The demo's accompaniment side: requests in every state, handled through the actions."""

import pytest

from reperes.requests.models import Entry, Request
from reperes.sharing.models import ResultShare

pytestmark = pytest.mark.django_db


def test_requests_in_every_state_and_outcome(demo):
    requests = Request.objects.filter(network=demo)
    assert set(requests.values_list("state", flat=True)) == set(Request.State.values)
    assert set(requests.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Request.Outcome.values
    ) - {Request.Outcome.NO_ANSWER}
    jardins = requests.get(organisation__slug="jardins-du-lien")
    assert jardins.state == Request.State.IN_PROGRESS
    assert jardins.entries.filter(visibility=Entry.Visibility.INTERNAL).exists()
    assert ResultShare.objects.filter(
        organisation=jardins.organisation, facilitator=jardins.facilitator
    ).exists()
    assert all(r.created_at.date() <= (r.closed_at or r.created_at).date() for r in requests)

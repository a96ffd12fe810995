"""A cohort's facilitator adds a co-facilitator from the network's team; only the team can be
added, and the co-facilitator then reaches the cohort's pages."""

import pytest
from django.urls import reverse

from reperes.programmes.actions import create_cohort
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Programme
from tests.accounts.factories import UserFactory
from tests.organisations.factories import NetworkMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(network, fiona):
    load_programmes()
    return create_cohort(
        network, programme=Programme.objects.get(slug="teletravail-de-qualite"), name="C", places=8, by=fiona
    )


def test_a_facilitator_adds_a_co_facilitator_who_then_reaches_the_cohort(client_of, cohort, fiona, hugo):
    cohort_url = reverse("programmes:cohort", args=["reseau", cohort.pk])
    assert client_of(hugo).get(cohort_url).status_code == 404

    response = client_of(fiona).post(
        reverse("programmes:facilitator_add", args=["reseau", cohort.pk]), {"co-user": hugo.pk}
    )

    assert response.status_code == 302
    assert set(cohort.facilitators.all()) == {fiona, hugo}
    assert client_of(hugo).get(cohort_url).status_code == 200


def test_an_analyst_or_someone_outside_the_network_cannot_be_added(client_of, cohort, fiona, nina, alice):
    stranger = NetworkMembershipFactory(user=UserFactory(), role="facilitator").user  # another network
    for person in (nina, alice, stranger):
        client_of(fiona).post(
            reverse("programmes:facilitator_add", args=["reseau", cohort.pk]), {"co-user": person.pk}
        )
    assert list(cohort.facilitators.all()) == [fiona]

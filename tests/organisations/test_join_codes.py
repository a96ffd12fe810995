"""Point 8 of issue 9: guessing a network's join code is throttled per account and per client
address, with the French 429 page."""

import pytest
from django.test import Client
from django.urls import reverse

from reperes.organisations.models import Affiliation, Role
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def attempt(client, organisation, code):
    return client.post(reverse("organisations:networks", args=[organisation.slug]), {"code": code})


def test_guessing_codes_from_one_account_is_throttled(client, alice, org_a, settings):
    settings.JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR = 5
    network = NetworkFactory(join_code="ABCD2345")
    client.force_login(alice)
    for n in range(5):
        assert attempt(client, org_a, f"ZZZZ999{n}").status_code == 200
    response = attempt(client, org_a, "ABCD2345")  # even the right code, once over the limit
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    text = page_text(response)
    assert "Trop de tentatives" in text
    assert "Réessayez dans " in text
    assert not Affiliation.objects.filter(network=network, organisation=org_a).exists()


def test_guessing_codes_from_one_address_with_many_accounts_is_throttled(settings):
    settings.JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR = 100
    settings.JOIN_CODE_ATTEMPTS_PER_CLIENT_PER_HOUR = 6
    statuses = []
    for _ in range(4):  # sock puppets: a new account and organisation every two guesses
        membership = MembershipFactory(role=Role.LEAD)
        client = Client(REMOTE_ADDR="203.0.113.5")
        client.force_login(membership.user)
        statuses += [attempt(client, membership.organisation, "ZZZZ9999").status_code for _ in range(2)]
    assert statuses == [200] * 6 + [429] * 2


def test_another_address_is_not_throttled_by_the_first(settings):
    settings.JOIN_CODE_ATTEMPTS_PER_CLIENT_PER_HOUR = 1
    first, second = MembershipFactory(role=Role.LEAD), MembershipFactory(role=Role.LEAD)
    for membership, address in ((first, "203.0.113.5"), (second, "198.51.100.7")):
        client = Client(REMOTE_ADDR=address)
        client.force_login(membership.user)
        assert attempt(client, membership.organisation, "ZZZZ9999").status_code == 200


def test_a_few_mistakes_then_the_right_code_still_joins(client, alice, org_a):
    network = NetworkFactory(join_code="ABCD2345")
    client.force_login(alice)
    for _ in range(3):
        attempt(client, org_a, "ABCD2346")
    assert attempt(client, org_a, "abcd 2345").status_code == 302
    assert Affiliation.objects.filter(network=network, organisation=org_a).exists()


def test_reading_the_page_is_not_an_attempt(client, alice, org_a, settings):
    settings.JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR = 1
    client.force_login(alice)
    for _ in range(3):
        assert client.get(reverse("organisations:networks", args=[org_a.slug])).status_code == 200
    assert attempt(client, org_a, "ZZZZ9999").status_code == 200

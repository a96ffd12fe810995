"""Shared fixtures: the personas of STYLE.md.

alice (lead of organisation A), bob (member of A), carol (staff representative of A), dave (lead
of organisation B), fiona (facilitator), nina (network analyst) and hugo (network admin) of a
network that A and B belong to.
"""

import contextlib

import pytest
from django.core.cache import cache

from reperes.lib.logging import AdminEmailHandler
from reperes.organisations.models import Affiliation, NetworkMembership, Role
from tests.accounts.factories import UserFactory
from tests.helpers import force_login_verified
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, request, _media_root):
    # Argon2 is deliberately slow; tests that check hashing use the real setting explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"
    # Uploaded and generated files go to a folder of the session, never to var/media.
    settings.MEDIA_ROOT = _media_root
    # The default cache is a database table: a test without the database gets one in memory.
    # A test's transaction keeps its cache rows to itself; a transactional test (live server)
    # commits them, hence the clearing before and after, whenever the database is open.
    if not (request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with contextlib.suppress(RuntimeError):  # the database opens after this fixture
        cache.clear()
    AdminEmailHandler.forget_reports()  # each test sees its own error reports
    yield
    with contextlib.suppress(RuntimeError):
        cache.clear()


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Les Jardins du Lien", slug="jardins", headcount=12)


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Bois & Compagnie", slug="bois", legal_form="scop", headcount=35)


@pytest.fixture
def network(db, org_a, org_b):
    network = NetworkFactory(name="Réseau ESS test", slug="reseau")
    Affiliation.objects.create(network=network, organisation=org_a)
    Affiliation.objects.create(network=network, organisation=org_b)
    return network


@pytest.fixture
def alice(org_a):
    return MembershipFactory(
        organisation=org_a,
        user=UserFactory(email="alice@example.org", name="Alice"),
        role=Role.LEAD,
    ).user


@pytest.fixture
def bob(org_a):
    return MembershipFactory(
        organisation=org_a, user=UserFactory(email="bob@example.org", name="Bob"), role=Role.MEMBER
    ).user


@pytest.fixture
def carol(org_a):
    return MembershipFactory(
        organisation=org_a,
        user=UserFactory(email="carol@example.org", name="Carol"),
        role=Role.STAFF_REP,
    ).user


@pytest.fixture
def dave(org_b):
    return MembershipFactory(
        organisation=org_b, user=UserFactory(email="dave@example.org", name="Dave"), role=Role.LEAD
    ).user


@pytest.fixture
def fiona(network):
    return NetworkMembershipFactory(
        network=network,
        user=UserFactory(email="fiona@example.org", name="Fiona"),
        role="facilitator",
    ).user


@pytest.fixture
def nina(network):
    return NetworkMembershipFactory(
        network=network, user=UserFactory(email="nina@example.org", name="Nina"), role="analyst"
    ).user


@pytest.fixture
def hugo(network):
    return NetworkMembershipFactory(
        network=network, user=UserFactory(email="hugo@example.org", name="Hugo"), role="admin"
    ).user


@pytest.fixture
def personas(alice, bob, carol, dave, fiona, nina, hugo):
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "fiona": fiona,
        "nina": nina,
        "hugo": hugo,
    }


@pytest.fixture
def client_of(client):
    """client_of(user) logs `user` in (or out, for None) and returns the test client. A person
    with a network role logs in with two-factor authentication, as they must."""

    def login(user):
        client.logout()
        if user is not None and NetworkMembership.objects.filter(user=user).exists():
            force_login_verified(client, user)
        elif user is not None:
            client.force_login(user)
        return client

    return login

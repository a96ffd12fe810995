import factory

from reperes.organisations.models import (
    Invitation,
    Membership,
    Network,
    NetworkInvitation,
    NetworkMembership,
    Organisation,
    Role,
)
from tests.accounts.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Structure {n}")
    legal_form = "association"
    headcount = 12
    sector = "animation"
    region = "52"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Réseau {n}")
    scope = Network.Scope.REGIONAL
    region = "52"


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    role = "facilitator"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    role = Role.MEMBER


class NetworkInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkInvitation

    network = factory.SubFactory(NetworkFactory)
    email = factory.Sequence(lambda n: f"invite-reseau{n}@example.org")
    role = "facilitator"

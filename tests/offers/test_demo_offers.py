"""The demo's catalogue (reperes/demo/offers.py) on a fresh network: its counts by kind, the
BFC directory, the expired offer that shows nowhere for members, and a second run that adds
nothing."""

from datetime import date

import pytest

from reperes.demo.offers import seed_offers
from reperes.offers.matching import matching_offers
from reperes.offers.models import Offer
from reperes.organisations.models import Affiliation, Event
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def test_the_demo_catalogue_has_every_kind_of_offer(network, hugo):
    created = seed_offers(network, by=hugo, today=TODAY)

    offers = Offer.objects.for_network(network)
    counts = {kind: offers.filter(kind=kind).count() for kind in Offer.Kind}
    assert len(created) == offers.count() == 24
    assert counts == {
        Offer.Kind.PROGRAMME: 2,
        Offer.Kind.EXPERT: 3,
        Offer.Kind.TRAINING: 13,  # a dozen current, and the expired one
        Offer.Kind.HR_SCHEME: 6,
    }
    assert offers.current(TODAY).count() == 23 and offers.expired(TODAY).count() == 1
    assert Event.objects.filter(network=network, verb="offers.created").count() == 24


def test_the_demo_has_the_free_telework_expert_for_under_250_and_trainings_with_opcos(network, hugo):
    seed_offers(network, by=hugo, today=TODAY)

    expert = Offer.objects.get(title="Objectif télétravail : un·e expert·e à vos côtés")
    assert expert.max_employees == 249 and expert.cost == "Gratuit"
    assert expert.subjects == ["activites", "pratiques", "hybride", "collectif", "charte"]
    trainings = Offer.objects.filter(kind=Offer.Kind.TRAINING).current(TODAY)
    assert all(t.provider and t.format and t.duration and t.cost for t in trainings)
    assert sum(bool(t.funders) for t in trainings) >= 10
    schemes = Offer.objects.filter(kind=Offer.Kind.HR_SCHEME)
    assert all(scheme.regions == ["27"] for scheme in schemes)


def test_members_see_the_bfc_directory_only_in_bfc_and_never_the_expired_offer(network, hugo, org_a):
    seed_offers(network, by=hugo, today=TODAY)
    dijon = OrganisationFactory(name="Solidarités Côte-d'Or", region="27", headcount=20, employees=15)
    Affiliation.objects.create(network=network, organisation=dijon)

    in_bfc = {offer.title for offer in matching_offers(dijon, today=TODAY)}
    elsewhere = {offer.title for offer in matching_offers(org_a, today=TODAY)}

    assert "Aides à l'embauche et contrats aidés" in in_bfc
    assert "Aides à l'embauche et contrats aidés" not in elsewhere
    assert "Webinaire : le télétravail imposé par la crise" not in in_bfc | elsewhere
    assert len(in_bfc) == 23 and len(elsewhere) == 17


def test_running_it_again_adds_nothing(network, hugo):
    seed_offers(network, by=hugo, today=TODAY)
    assert seed_offers(network, by=hugo, today=TODAY) == []
    assert Offer.objects.count() == 24

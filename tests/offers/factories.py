import factory

from reperes.offers.models import Offer
from tests.organisations.factories import NetworkFactory


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    network = factory.SubFactory(NetworkFactory)
    kind = Offer.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Formation {n}")
    summary = "Une offre pour essayer."
    subjects = factory.LazyFunction(list)
    regions = factory.LazyFunction(list)
    size_bands = factory.LazyFunction(list)
    funders = factory.LazyFunction(list)

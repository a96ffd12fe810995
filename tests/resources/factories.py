import factory

from reperes.resources.models import Resource
from tests.organisations.factories import NetworkFactory


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    network = factory.SubFactory(NetworkFactory)
    kind = Resource.Kind.GUIDE
    title = factory.Sequence(lambda n: f"Guide {n}")
    summary = "Une ressource pour essayer."
    subjects = factory.LazyFunction(list)
    regions = factory.LazyFunction(list)
    author_name = "L'équipe du réseau"

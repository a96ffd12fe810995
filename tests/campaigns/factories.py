from datetime import timedelta

import factory
from django.utils import timezone

from reperes.campaigns.models import Campaign, RespondentGroup
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from tests.organisations.factories import OrganisationFactory


def questionnaire_version(slug="qvt-numerique"):
    """The stored version of a questionnaire from the data files (loaded on first use, alone:
    storing all ten takes a tenth of a second, and most tests call this)."""
    if not Questionnaire.objects.filter(slug=slug).exists():
        load_definitions(only={slug})
    return Questionnaire.objects.get(slug=slug).latest_version()


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    questionnaire_version = factory.LazyFunction(questionnaire_version)
    title = factory.Sequence(lambda n: f"Diagnostic {n}")
    state = Campaign.State.OPEN
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    opened_on = factory.LazyFunction(timezone.localdate)
    opened_at = factory.LazyFunction(timezone.now)
    expected_respondents = 12

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if not create:
            return
        labels = ["Direction", "Salarié·es", "Bénévoles"] if extracted is None else extracted
        for position, label in enumerate(labels):
            RespondentGroup.objects.create(campaign=obj, label=label, position=position)

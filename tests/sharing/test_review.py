"""Six months later: each organisation's T0/T1 comparison when it shared both diagnostics, and
the cohort's average per theme only over at least three such organisations."""

import datetime
import itertools

import pytest
from django.urls import reverse

from reperes.campaigns.models import Answer, Campaign, Response
from reperes.programmes.actions import create_cohort
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Enrolment, Programme
from reperes.sharing import actions
from reperes.sharing.models import ResultShare
from reperes.sharing.review import cohort_review
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
keys = itertools.count()


@pytest.fixture
def cohort(network, fiona):
    load_programmes()
    return create_cohort(
        network, programme=Programme.objects.get(slug="teletravail-de-qualite"), name="C", places=8, by=fiona
    )


def closed_with_answers(organisation, value, follows=None):
    campaign = CampaignFactory(
        organisation=organisation,
        questionnaire_version=questionnaire_version("qvt-numerique"),
        state=Campaign.State.CLOSED,
        closed_on=datetime.date(2026, 6, 30),
        follows=follows,
    )
    for _ in range(5):
        response = Response.objects.create(
            campaign=campaign, submitted_on=datetime.date(2026, 6, 1), submission_key=f"r-{next(keys)}"
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, value=value) for i in campaign.spec.item_ids
        )
    return campaign


def enrolled_pair(cohort, network, name, *, share_both=True):
    organisation = OrganisationFactory(name=name)
    network.affiliations.create(organisation=organisation)
    Enrolment.objects.create(cohort=cohort, organisation=organisation, state=Enrolment.State.ACCEPTED)
    lead = MembershipFactory(organisation=organisation, role="lead").user
    before = closed_with_answers(organisation, "non")
    after = closed_with_answers(organisation, "oui", follows=before)
    for campaign in (before, after) if share_both else (after,):
        actions.share_results(campaign, network=network, cohort=cohort, by=lead)
    return organisation


def shares_of(cohort):
    return list(ResultShare.objects.filter(cohort=cohort).select_related("campaign__organisation"))


def test_two_organisations_show_their_comparisons_but_no_average(cohort, network):
    for name in ("Une", "Deux"):
        enrolled_pair(cohort, network, name)

    review = cohort_review(shares_of(cohort))

    assert len(review.organisations) == 2
    assert review.average_withheld and review.averages == []


def test_from_three_organisations_the_average_shows(client_of, cohort, network, fiona):
    for name in ("Une", "Deux", "Trois"):
        enrolled_pair(cohort, network, name)

    review = cohort_review(shares_of(cohort))

    assert not review.average_withheld
    assert all(average.count == 3 and average.delta == 5.0 for average in review.averages)
    page = page_text(client_of(fiona).get(reverse("sharing:cohort_review", args=["reseau", cohort.pk])))
    assert "Score moyen par thème, avant et après" in page


def test_an_organisation_that_shared_only_its_follow_up_counts_for_nothing(cohort, network):
    enrolled_pair(cohort, network, "Une")
    enrolled_pair(cohort, network, "Deux")
    enrolled_pair(cohort, network, "Trois", share_both=False)

    review = cohort_review(shares_of(cohort))

    assert [item.organisation.name for item in review.organisations] == ["Deux", "Une"]
    assert review.average_withheld

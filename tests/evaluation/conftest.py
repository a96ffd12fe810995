"""A small known data set for the evaluation figures: a cohort of the network with two past
workshops, a network event, organisations that contribute to the statistics and one that does
not. Every expected figure in these tests is counted by hand from what is created here."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from reperes.campaigns.models import Answer, Campaign, Response
from reperes.evaluation import actions
from reperes.instruments.loading import load_definitions
from reperes.programmes.actions import create_cohort
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Enrolment, Programme, Workshop
from tests.campaigns.factories import CampaignFactory
from tests.organisations.factories import OrganisationFactory

keys = itertools.count()


@pytest.fixture
def sharing(org_a, org_b):
    """A and B contribute to the statistics; C too; D does not."""
    org_c = OrganisationFactory(name="Cuisine Solidaire", slug="cuisine", shares_statistics=True)
    org_d = OrganisationFactory(name="Discrète", slug="discrete", shares_statistics=False)
    for organisation in (org_a, org_b):
        organisation.shares_statistics = True
        organisation.save()
    return {"a": org_a, "b": org_b, "c": org_c, "d": org_d}


@pytest.fixture
def cohort(network, fiona, sharing):
    load_definitions()
    load_programmes()
    cohort = create_cohort(
        network,
        programme=Programme.objects.get(slug="teletravail-de-qualite"),
        name="Cohorte de printemps",
        places=8,
        by=fiona,
    )
    for number, days_ago in [(1, 20), (2, 10)]:
        Workshop.objects.filter(cohort=cohort, number=number).update(
            precision="exact", starts_at=timezone.now() - timedelta(days=days_ago)
        )
    return cohort


@pytest.fixture
def project(network, cohort, hugo):
    return actions.create_project(
        network,
        title="Télétravail 2026",
        starts_on=timezone.localdate() - timedelta(days=60),
        cohorts=[cohort],
        by=hugo,
    )


def enrol(cohort, organisation, state=Enrolment.State.ACCEPTED):
    return Enrolment.objects.create(cohort=cohort, organisation=organisation, state=state)


def closed_campaign(organisation, value, *, days_ago, responses=5):
    """A closed diagnostic of `organisation` where `responses` people answered `value` to every
    statement (« oui » scores 5 on every theme, « non » 0)."""
    closed_on = timezone.localdate() - timedelta(days=days_ago)
    campaign = CampaignFactory(
        organisation=organisation,
        state=Campaign.State.CLOSED,
        opened_on=closed_on - timedelta(days=14),
        closes_on=closed_on,
        closed_on=closed_on,
    )
    for _ in range(responses):
        response = Response.objects.create(
            campaign=campaign, submitted_on=closed_on, submission_key=f"e-{next(keys)}"
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, value=value) for i in campaign.spec.item_ids
        )
    return campaign

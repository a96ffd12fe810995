"""The demo's maturity self-diagnostic: answered twice, six months apart, better on most
dimensions but not all."""

import pytest
from django.utils import timezone

from reperes.demo.maturity import seed_maturity
from reperes.maturity.models import Assessment
from reperes.maturity.queries import compare_assessments, maturity_summary
from tests.maturity.helpers import load

pytestmark = pytest.mark.django_db


def test_seed_maturity_answers_twice_about_six_months_apart(org_a, alice):
    load()

    first, second = seed_maturity(org_a, alice)

    assert Assessment.objects.filter(organisation=org_a).completed().count() == 2
    assert not Assessment.objects.drafts().exists()
    gap = (second.completed_at - first.completed_at).days
    assert 170 <= gap <= 200
    assert second.completed_at < timezone.now() and first.created_at < first.completed_at
    changes = [row.change for row in compare_assessments(first, second)]
    assert sum(change.delta > 0 for change in changes) >= 5
    assert any(change.delta < 0 for change in changes)
    assert second.overall_score > first.overall_score
    assert second.mode == "meeting" and second.notes["distance"]
    assert maturity_summary(org_a)["latest"]["url"].endswith(f"/{second.pk}/")


def test_seed_maturity_twice_adds_nothing(org_a, alice):
    load()
    seed_maturity(org_a, alice)

    seed_maturity(org_a, alice)

    assert Assessment.objects.filter(organisation=org_a).count() == 2

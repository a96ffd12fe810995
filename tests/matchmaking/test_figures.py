"""The figures the observatory will read: cases per category, region and outcome, hours and days
shared, for the organisations that contribute to the network's statistics."""

from datetime import timedelta
from decimal import Decimal

import pytest

from reperes.matchmaking import actions
from reperes.matchmaking.figures import case_figures
from reperes.matchmaking.models import Case
from tests.matchmaking.conftest import TODAY, new_case

pytestmark = pytest.mark.django_db
PERIOD = (TODAY - timedelta(days=90), TODAY)


def test_cases_per_category_region_and_outcome(at_step, network, org_a, org_b, mia):
    org_a.shares_statistics = True
    org_a.region = "44"
    org_a.save()
    done = at_step(Case.Step.FOLLOW_UP)
    actions.record_follow_up(
        done, happened=True, hours_shared=Decimal("30"), days_shared=Decimal("24"), by=mia
    )
    actions.close_case(done, outcome=Case.Outcome.DONE, by=mia)
    abandoned = new_case(network, org_a, mia, category="premises")
    actions.close_case(abandoned, outcome=Case.Outcome.ABANDONED, reason="Plus besoin.", by=mia)
    new_case(network, org_a, mia, category="premises")
    new_case(network, org_b, mia, category="equipment")  # B does not contribute

    figures = case_figures(network, PERIOD)
    assert figures["total"] == 3
    assert ("staff_lending", "Prêt de personnel", 1) in figures["by_category"]
    assert dict((code, n) for code, _, n in figures["by_category"])["premises"] == 2
    assert dict((code, n) for code, _, n in figures["by_category"])["equipment"] == 0
    assert [(code, n) for code, _, n in figures["by_region"]] == [("44", 3)]
    assert [(label, n) for _, label, n in figures["by_outcome"]] == [
        ("En cours", 1),
        ("Partage réalisé", 1),
        ("Abandonné", 1),
    ]
    assert (figures["hours_shared"], figures["days_shared"]) == (Decimal("30"), Decimal("24"))
    assert case_figures(network, PERIOD, contributing_only=False)["total"] == 4
    assert case_figures(network, (TODAY - timedelta(days=9), TODAY - timedelta(days=1)))["total"] == 0


def test_figures_take_a_bounded_number_of_queries(at_step, network, django_assert_max_num_queries):
    for _ in range(3):
        at_step(Case.Step.SEARCH)
    with django_assert_max_num_queries(4):
        case_figures(network, PERIOD)

"""The organisation dashboard (reperes/spaces): what each role sees, and that every figure comes
from the app that owns it, in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from reperes.action_plans.actions import change_status, create_action
from reperes.action_plans.models import Status
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def test_dashboard_shows_next_steps_to_a_new_lead(client, alice, org_a):
    client.force_login(alice)
    page = page_text(client.get(org_a.get_absolute_url()))
    assert "Pour bien démarrer" in page
    assert "Associer un·e représentant·e du personnel" in page


def test_dashboard_for_a_member_has_no_management(client, bob, org_a):
    client.force_login(bob)
    page = page_text(client.get(org_a.get_absolute_url()))
    assert "Pour bien démarrer" not in page
    assert reverse("organisations:settings", args=[org_a.slug]) not in page


def test_dashboard_counts_open_overdue_and_awaited_actions(client, alice, org_a):
    create_action(org_a, by=alice, title="En retard", due_on=datetime.date(2020, 1, 1))
    create_action(org_a, by=alice, title="À venir", due_on=datetime.date(2099, 1, 1))
    done = create_action(org_a, by=alice, title="Faite")
    change_status(done, status=Status.DONE, by=alice)
    client.force_login(alice)
    response = client.get(org_a.get_absolute_url())
    assert response.context["open_actions"] == 2
    assert response.context["overdue_actions"] == 1
    assert [action.title for action in response.context["feedback_awaited"]] == ["Faite"]


def test_dashboard_reads_in_a_bounded_number_of_queries(client, alice, org_a, django_assert_max_num_queries):
    client.force_login(alice)
    client.get(org_a.get_absolute_url())
    # 3 for the accompaniment card (programmes), 1 for its requests, 2 for the maturity card,
    # 1 for the network surveys waiting for an answer
    with django_assert_max_num_queries(23):
        client.get(org_a.get_absolute_url())

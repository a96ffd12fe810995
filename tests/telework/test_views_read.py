"""Telework pages read; the actions write, each in one transaction (issue 10, point 4). The
diagram, the tools and the usage rules are working notes: no audit event, their author is kept
on the notes."""

from datetime import time
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.telework import actions
from reperes.telework.models import Tool, UsageCharter
from tests.telework.test_usage import url

pytestmark = pytest.mark.django_db


def test_showing_the_usage_rules_writes_nothing(client, alice, bob, org_a):
    for user in (alice, bob):
        client.force_login(user)
        assert client.get(url(org_a)).status_code == 200
    assert not UsageCharter.objects.exists()


def test_adding_and_removing_a_tool_marks_the_rules_updated_without_an_event(alice, bob, org_a):
    tool = actions.add_tool(org_a, by=alice, name="Messagerie", purpose="exchange", reply_delay="day")
    assert UsageCharter.objects.get(organisation=org_a).updated_by == alice
    actions.remove_tool(tool, by=bob)
    charter = UsageCharter.objects.get(organisation=org_a)
    assert charter.updated_by == bob and charter.updated_on == timezone.localdate()
    assert not org_a.tools.exists()
    assert not org_a.events.filter(verb__startswith="telework.tool").exists()


def test_a_tool_is_not_left_behind_when_the_rules_cannot_be_updated(alice, org_a):
    with (
        mock.patch.object(actions, "_touch_usage_rules", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        actions.add_tool(org_a, by=alice, name="Messagerie", purpose="exchange", reply_delay="day")
    assert not Tool.objects.exists()


def test_tool_delete_goes_through_the_action_and_a_foreign_tool_is_a_404(client, alice, dave, org_a, org_b):
    tool = actions.add_tool(org_a, by=alice, name="Messagerie", purpose="exchange", reply_delay="day")
    client.force_login(dave)
    foreign = reverse("telework:tool_delete", args=[org_b.slug, tool.pk])
    assert client.post(foreign).status_code == 404
    client.force_login(alice)
    with mock.patch.object(actions, "remove_tool", wraps=actions.remove_tool) as remove_tool:
        response = client.post(reverse("telework:tool_delete", args=[org_a.slug, tool.pk]))
    assert response.status_code == 302
    remove_tool.assert_called_once()
    assert not Tool.objects.exists()
    assert client.post(reverse("telework:tool_delete", args=[org_a.slug, tool.pk])).status_code == 404


def test_save_usage_rules_is_one_transaction(alice, org_a):
    with (
        mock.patch.object(UsageCharter, "save", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        actions.save_usage_rules(org_a, by=alice, disconnect_from=time(19), disconnect_to=time(7, 30))
    assert not UsageCharter.objects.exists()

"""The actions behind the information diagram and the usage rules (fiches 2 and 6)."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reperes.telework import actions
from reperes.telework.models import InformationFlow, UsageCharter

pytestmark = pytest.mark.django_db


def test_place_flow_records_who_placed_it(alice, org_a):
    flow = actions.place_flow(
        org_a, by=alice, name="Planning", current_x=-5, current_y=5, target_x=-5, target_y=-3
    )
    assert flow.organisation == org_a and flow.created_by == alice and flow.moves


def test_place_flow_refuses_a_point_off_the_diagram(alice, org_a):
    with pytest.raises(ValidationError):
        actions.place_flow(org_a, by=alice, name="Planning", current_x=9, current_y=0)
    assert not InformationFlow.objects.exists()


def test_add_tool(alice, org_a):
    tool = actions.add_tool(org_a, by=alice, name="Messagerie", purpose="exchange", reply_delay="day")
    assert list(org_a.tools.all()) == [tool]


def test_save_usage_rules_keeps_one_set_per_organisation(alice, bob, org_a):
    actions.save_usage_rules(org_a, by=alice, disconnect_from=time(19), disconnect_to=time(7, 30))
    charter = actions.save_usage_rules(org_a, by=bob, quiet_slots="Le mardi matin.")
    assert UsageCharter.objects.filter(organisation=org_a).count() == 1
    assert charter.disconnect_from == time(19) and charter.quiet_slots == "Le mardi matin."
    assert charter.updated_by == bob and charter.updated_on == timezone.localdate()

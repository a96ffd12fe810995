"""The discussion page does not read the plan above it: it links to action_plans pages, which
find the action made from a proposal (issue 10, point 4)."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

import reperes
from reperes.action_plans import actions as plan_actions
from reperes.action_plans.models import Action
from reperes.discussions import actions
from reperes.discussions.models import Decision
from reperes.lib.actions import ActionRefused
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(org_a, alice):
    discussion = actions.open_discussion(org_a, by=alice, title="Temps", agenda="")
    proposal = actions.propose(discussion, by=alice, text="Pas de mails après 19 h")
    actions.decide(proposal, by=alice, decision=Decision.ADOPTED)
    return proposal


def for_proposal(org, proposal):
    return reverse("action_plans:for_proposal", args=[org.slug, proposal.pk])


def test_the_discussion_page_offers_the_action_then_links_to_it(client, alice, org_a, adopted):
    client.force_login(alice)
    page = page_text(client.get(adopted.discussion.get_absolute_url()))
    assert "En faire une action" in page and for_proposal(org_a, adopted) not in page
    plan_actions.action_from_proposal(adopted, by=alice)
    page = page_text(client.get(adopted.discussion.get_absolute_url()))
    assert for_proposal(org_a, adopted) in page and "En faire une action" not in page


def test_the_link_leads_to_the_action_made_from_the_proposal(client, alice, bob, org_a, adopted):
    client.force_login(bob)
    response = client.get(for_proposal(org_a, adopted))
    assert response["Location"] == adopted.discussion.get_absolute_url()
    assert "pas encore une action" in page_text(client.get(response["Location"]))
    action = plan_actions.action_from_proposal(adopted, by=alice)
    assert client.get(for_proposal(org_a, adopted))["Location"] == action.get_absolute_url()


def test_a_second_click_lands_on_the_existing_action(client, alice, org_a, adopted):
    client.force_login(alice)
    url = reverse("action_plans:from_proposal", args=[org_a.slug, adopted.pk])
    client.post(url)
    action = Action.objects.get()
    response = client.post(url)
    assert response["Location"] == action.get_absolute_url()
    assert Action.objects.count() == 1


def test_a_foreign_proposal_is_a_404(client, dave, org_a, adopted):
    client.force_login(dave)
    assert client.get(for_proposal(org_a, adopted)).status_code == 404


def test_a_refused_action_from_proposal_writes_nothing(alice, org_a, adopted):
    plan_actions.action_from_proposal(adopted, by=alice)
    with pytest.raises(ActionRefused, match="déjà une action"):
        plan_actions.action_from_proposal(adopted, by=alice)
    assert Action.objects.count() == 1
    assert org_a.events.filter(verb="action.created").count() == 1


def test_discussions_code_does_not_read_the_action_of_a_proposal():
    root = Path(reperes.__file__).resolve().parent / "discussions"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            assert not (isinstance(node, ast.Attribute) and node.attr == "action"), path
    templates = Path(reperes.__file__).resolve().parent.parent / "templates" / "discussions"
    for path in templates.rglob("*.html"):
        assert ".action." not in path.read_text() and ".action " not in path.read_text(), path

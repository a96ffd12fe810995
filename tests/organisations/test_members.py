import pytest
from django.urls import reverse

from reperes.organisations.models import Membership, Role
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def role_url(org, membership):
    return reverse("organisations:member_role", args=[org.slug, membership.pk])


def remove_url(org, membership):
    return reverse("organisations:member_remove", args=[org.slug, membership.pk])


def test_lead_changes_a_role(client, alice, bob, org_a):
    client.force_login(alice)
    membership = org_a.memberships.get(user=bob)
    client.post(role_url(org_a, membership), {"role": Role.STAFF_REP})
    membership.refresh_from_db()
    assert membership.role == Role.STAFF_REP
    event = org_a.events.get(verb="member.role_changed")
    assert event.actor == alice
    assert event.target == "Bob"
    assert "membre → représentant·e du personnel" in event.description


def test_tampered_role_is_refused(client, alice, bob, org_a):
    client.force_login(alice)
    membership = org_a.memberships.get(user=bob)
    response = client.post(role_url(org_a, membership), {"role": "superadmin"}, follow=True)
    assert "Ce rôle n'existe pas" in page_text(response)
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_last_lead_cannot_step_down(client, alice, org_a):
    client.force_login(alice)
    membership = org_a.memberships.get(user=alice)
    response = client.post(role_url(org_a, membership), {"role": Role.MEMBER}, follow=True)
    assert "au moins une personne référente" in page_text(response)
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_a_lead_can_step_down_when_another_remains(client, alice, bob, org_a):
    org_a.memberships.filter(user=bob).update(role=Role.LEAD)
    client.force_login(alice)
    client.post(role_url(org_a, org_a.memberships.get(user=alice)), {"role": Role.MEMBER})
    assert org_a.memberships.get(user=alice).role == Role.MEMBER


def test_lead_removes_a_member(client, alice, bob, org_a):
    client.force_login(alice)
    client.post(remove_url(org_a, org_a.memberships.get(user=bob)))
    assert not org_a.memberships.filter(user=bob).exists()
    assert org_a.events.filter(verb="member.removed").exists()


def test_last_lead_cannot_leave(client, alice, org_a):
    client.force_login(alice)
    response = client.post(reverse("organisations:leave", args=[org_a.slug]), follow=True)
    assert "seule personne référente" in page_text(response)
    assert org_a.memberships.filter(user=alice).exists()


def test_member_leaves(client, bob, org_a):
    client.force_login(bob)
    response = client.post(reverse("organisations:leave", args=[org_a.slug]))
    assert response.status_code == 302
    assert not org_a.memberships.filter(user=bob).exists()
    assert client.get(org_a.get_absolute_url()).status_code == 404


def test_staff_rep_sees_events_but_cannot_manage(client, carol, bob, org_a):
    client.force_login(carol)
    assert client.get(reverse("organisations:events", args=[org_a.slug])).status_code == 200
    membership = org_a.memberships.get(user=bob)
    assert client.post(role_url(org_a, membership), {"role": Role.LEAD}).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_lead_cannot_touch_a_membership_of_another_organisation(client, alice, dave, org_a, org_b):
    client.force_login(alice)
    foreign = org_b.memberships.get(user=dave)
    assert client.post(role_url(org_a, foreign), {"role": Role.MEMBER}).status_code == 404
    assert client.post(remove_url(org_a, foreign)).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk, role=Role.LEAD).exists()


def test_members_page_lists_the_team_in_few_queries(
    client, alice, bob, carol, org_a, django_assert_max_num_queries
):
    from tests.organisations.factories import MembershipFactory

    MembershipFactory.create_batch(20, organisation=org_a)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organisations:members", args=[org_a.slug]))
    assert response.status_code == 200
    assert page_text(response).count('id="role-') == 23


def test_user_switches_between_organisations(client, alice, org_a, org_b):
    Membership.objects.create(organisation=org_b, user=alice, role=Role.MEMBER)
    client.force_login(alice)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    page = page_text(home)
    assert org_a.get_absolute_url() in page and org_b.get_absolute_url() in page
    assert client.get(org_b.get_absolute_url()).status_code == 200

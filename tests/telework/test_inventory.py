import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reperes.telework import actions
from reperes.telework.inventory import summaries
from reperes.telework.models import Activity, ActivityMember
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def data(**overrides):
    return {
        "title": "Saisir les factures",
        "role": "Administratif",
        "description": "",
        "frequency": "weekly",
        "on_site_needs": "Les factures papier",
        "remote": "yes",
        "conditions": "",
        "groupable": "on",
        "days_per_month": "4",
        **overrides,
    }


def test_lead_adds_activities_and_the_summary_weighs_them(client, alice, org_a):
    client.force_login(alice)
    url = reverse("telework:activity_add", args=[org_a.slug])
    client.post(url, data())
    client.post(
        url,
        data(title="Accueillir le public", remote="no", groupable="", days_per_month="0", frequency="daily"),
    )
    client.post(
        url, data(title="Préparer la paie", remote="partly", conditions="Avec le logiciel à distance")
    )
    assert Activity.objects.count() == 3
    by_role, team = summaries(list(Activity.objects.all()))
    # weekly yes (4) + daily no (20) + weekly partly (4 x 0.5) out of 28
    assert team.share == round(100 * 6 / 28)
    assert team.days == 8
    page = page_text(client.get(reverse("telework:inventory", args=[org_a.slug])))
    assert "Toute l'équipe" in page and f"{team.share} %" in page
    assert org_a.events.filter(verb="telework.activity_added").count() == 3


def test_partly_remote_needs_a_condition(client, alice, org_a):
    client.force_login(alice)
    response = client.post(reverse("telework:activity_add", args=[org_a.slug]), data(remote="partly"))
    assert response.status_code == 400
    assert "dites à quelles conditions" in page_text(response)
    assert not Activity.objects.exists()


def test_days_beyond_a_month_or_without_grouping_are_refused(client, alice, org_a):
    client.force_login(alice)
    url = reverse("telework:activity_add", args=[org_a.slug])
    assert "21 jours travaillés" in page_text(client.post(url, data(days_per_month="30")))
    assert "Cochez d'abord" in page_text(client.post(url, data(groupable="", days_per_month="3")))
    assert not Activity.objects.exists()


def test_a_members_wish_is_seen_by_pilots_not_by_other_members(client, alice, bob, carol, org_a):
    activity = Activity.objects.create(organisation=org_a, title="Saisir les factures", role="Administratif")
    client.force_login(bob)
    client.post(
        reverse("telework:activity_mark", args=[org_a.slug, activity.pk]),
        {"does_it": "on", "wishes_remote": "on"},
    )
    assert ActivityMember.objects.get().wishes_remote
    from tests.organisations.factories import MembershipFactory

    colleague = MembershipFactory(organisation=org_a).user
    client.force_login(colleague)
    assert "Bob" not in page_text(client.get(reverse("telework:inventory", args=[org_a.slug])))
    for pilot in (alice, carol):
        client.force_login(pilot)
        assert "Bob" in page_text(client.get(reverse("telework:inventory", args=[org_a.slug])))


def test_unmarking_removes_the_member(bob, org_a):
    activity = Activity.objects.create(organisation=org_a, title="Accueil", role="Accueil")
    actions.mark(activity, user=bob, does_it=True, wishes_remote=True)
    actions.mark(activity, user=bob, does_it=False, wishes_remote=True)
    assert not ActivityMember.objects.exists()


def test_member_cannot_edit_and_foreign_activity_is_a_404(client, bob, dave, org_a, org_b):
    activity = Activity.objects.create(organisation=org_a, title="Accueil", role="Accueil")
    client.force_login(bob)
    assert client.get(reverse("telework:activity_edit", args=[org_a.slug, activity.pk])).status_code == 404
    client.force_login(dave)
    assert (
        client.post(reverse("telework:activity_mark", args=[org_b.slug, activity.pk]), {}).status_code == 404
    )


def test_export_has_activities_and_summary_sheets(client, bob, org_a):
    Activity.objects.create(organisation=org_a, title="=Saisie", role="Administratif", remote="yes")
    client.force_login(bob)
    response = client.get(reverse("telework:inventory_export", args=[org_a.slug]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Activités", "Synthèse"]
    assert workbook["Activités"]["A2"].value == "'=Saisie"
    assert workbook["Synthèse"]["A3"].value == "Toute l'équipe"

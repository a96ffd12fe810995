import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reperes.action_plans import actions
from reperes.action_plans.models import Action, Feedback, FeedbackParticipation, Status
from reperes.lib.actions import ActionRefused
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def data(**overrides):
    return {
        "title": "Fixer des horaires de messagerie",
        "description": "Pas de mails après 19 h.",
        "owner": "",
        "owner_name": "",
        "start_on": today().isoformat(),
        "due_on": (today() + timedelta(days=30)).isoformat(),
        "review_on": "",
        "status": "proposed",
        "indicator": "Mails après 19 h",
        "indicator_target": "Moins de 5 par semaine",
        "project_step": "2",
        **overrides,
    }


def test_lead_adds_an_action_from_a_weak_statement_and_the_owner_is_told(
    client, alice, bob, org_a, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    url = reverse("action_plans:create", args=[org_a.slug])
    query = f"?diagnostic={campaign.pk}&theme=temps&affirmation=temps-2"
    form = page_text(client.get(url + query))
    assert "Point de départ : « Des règles sur le droit à la déconnexion" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + query, data(owner=bob.pk, contributors=[alice.pk]))
    action = Action.objects.get()
    assert response["Location"] == action.get_absolute_url()
    assert (action.campaign, action.theme_id, action.item_id, action.fiche) == (
        campaign,
        "temps",
        "temps-2",
        "temps-de-travail",
    )
    assert list(action.contributors.all()) == [alice]
    assert mail.outbox[0].to == [bob.email]
    assert "Une action vous est confiée" in mail.outbox[0].subject
    assert org_a.events.filter(verb="action.created", target=action.title).exists()


def test_origin_from_another_organisation_is_ignored(client, alice, org_a, org_b):
    foreign = CampaignFactory(organisation=org_b)
    client.force_login(alice)
    url = reverse("action_plans:create", args=[org_a.slug]) + f"?diagnostic={foreign.pk}&theme=temps"
    client.post(url, data())
    assert Action.objects.get().campaign is None


def test_malformed_origin_is_ignored(client, alice, org_a):
    client.force_login(alice)
    url = reverse("action_plans:create", args=[org_a.slug]) + "?diagnostic=pas-un-uuid"
    assert client.get(url).status_code == 200


def test_owner_outside_the_organisation_is_refused(client, alice, dave, org_a):
    client.force_login(alice)
    response = client.post(reverse("action_plans:create", args=[org_a.slug]), data(owner=dave.pk))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Action.objects.exists()


def test_due_date_before_start_is_refused(client, alice, org_a):
    client.force_login(alice)
    response = client.post(
        reverse("action_plans:create", args=[org_a.slug]),
        data(start_on="2026-12-10", due_on="2026-12-01"),
    )
    assert "L'échéance ne peut pas précéder le début" in page_text(response)
    assert not Action.objects.exists()


def test_owner_and_person_without_account_not_both(client, alice, bob, org_a):
    client.force_login(alice)
    response = client.post(
        reverse("action_plans:create", args=[org_a.slug]), data(owner=bob.pk, owner_name="Jeanne")
    )
    assert "pas les deux" in page_text(response)


def test_member_cannot_add_actions(client, bob, org_a):
    client.force_login(bob)
    assert client.post(reverse("action_plans:create", args=[org_a.slug]), data()).status_code == 404


def test_owner_moves_their_own_action_and_it_is_logged(client, alice, bob, org_a):
    action = Action.objects.create(organisation=org_a, title="Former l'équipe", owner=bob)
    other = Action.objects.create(organisation=org_a, title="Autre", owner=alice)
    client.force_login(bob)
    client.post(reverse("action_plans:status", args=[org_a.slug, action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == Status.DONE and action.done_on == today()
    assert (
        client.post(
            reverse("action_plans:status", args=[org_a.slug, other.pk]), {"status": "done"}
        ).status_code
        == 404
    )
    assert org_a.events.filter(verb="action.status_changed").count() == 1


def test_overdue_actions_stand_out_and_filters_work(client, bob, org_a):
    Action.objects.create(organisation=org_a, title="En retard", due_on=today() - timedelta(days=2))
    Action.objects.create(organisation=org_a, title="À venir", due_on=today() + timedelta(days=2))
    Action.objects.create(
        organisation=org_a, title="Faite en retard", due_on=today() - timedelta(days=9), status=Status.DONE
    )
    client.force_login(bob)
    url = reverse("action_plans:list", args=[org_a.slug])
    page = page_text(client.get(url))
    assert "1 action en retard" in page
    assert page.count('class="is-overdue"') == 1
    filtered = page_text(client.get(url, {"overdue": "on"}))
    assert "En retard" in filtered and "À venir" not in filtered
    board = page_text(client.get(url, {"vue": "tableau"}))
    assert "Proposée" in board and "Faite" in board


def test_did_it_help_is_anonymous_once_per_member_and_shown_from_k(alice, org_a, settings):
    settings.ANONYMITY_THRESHOLD = 3
    action = Action.objects.create(organisation=org_a, title="Réunion mensuelle", status=Status.DONE)
    members = [alice] + [UserFactory() for _ in range(2)]
    actions.give_feedback(action, user=members[0], value="yes")
    with pytest.raises(ActionRefused):
        actions.give_feedback(action, user=members[0], value="no")
    assert action.feedback_figures() == {"counts": None, "counted": 0, "pending": 1}
    actions.give_feedback(action, user=members[1], value="partly")
    actions.give_feedback(action, user=members[2], value="yes")
    assert action.feedback_figures() == {
        "counts": {"yes": 2, "partly": 1, "no": 0},
        "counted": 3,
        "pending": 0,
    }
    # Nothing links who answered to what was answered.
    assert {f.name for f in Feedback._meta.concrete_fields} == {"id", "action", "value", "counted"}
    assert FeedbackParticipation.objects.count() == 3


def test_feedback_only_once_done(alice, org_a):
    action = Action.objects.create(organisation=org_a, title="Pas finie")
    with pytest.raises(ActionRefused):
        actions.give_feedback(action, user=alice, value="yes")


def test_feedback_through_the_page(client, bob, org_a):
    action = Action.objects.create(organisation=org_a, title="Réunion", status=Status.DONE)
    client.force_login(bob)
    url = reverse("action_plans:feedback", args=[org_a.slug, action.pk])
    client.post(url, {"value": "yes"})
    again = page_text(client.post(url, {"value": "no"}, follow=True))
    assert "déjà donné votre avis" in again
    assert Feedback.objects.count() == 1


def test_weekly_digest_reminds_owners_of_due_and_overdue_actions(
    alice, bob, org_a, django_capture_on_commit_callbacks
):
    Action.objects.create(organisation=org_a, title="Due", owner=bob, due_on=today() + timedelta(days=3))
    Action.objects.create(organisation=org_a, title="Late", owner=bob, due_on=today() - timedelta(days=3))
    Action.objects.create(organisation=org_a, title="Far", owner=alice, due_on=today() + timedelta(days=60))
    Action.objects.create(organisation=org_a, title="Done", owner=alice, due_on=today(), status=Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled", job="action_plans.weekly_digest", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert "Due" in mail.outbox[0].body and "Late" in mail.outbox[0].body


def test_action_of_another_organisation_is_a_404(client, dave, org_b, org_a):
    action = Action.objects.create(organisation=org_a, title="Secrète")
    client.force_login(dave)
    assert client.get(reverse("action_plans:detail", args=[org_b.slug, action.pk])).status_code == 404


def test_dashboard_asks_each_member_once_about_done_actions(client, alice, bob, org_a):
    action = Action.objects.create(organisation=org_a, title="Réunion d'équipe mensuelle", status=Status.DONE)
    client.force_login(bob)
    assert "Réunion d'équipe mensuelle" in page_text(client.get(org_a.get_absolute_url()))
    actions.give_feedback(action, user=bob, value="yes")
    assert "Réunion d'équipe mensuelle" not in page_text(client.get(org_a.get_absolute_url()))
    client.force_login(alice)
    assert "Réunion d'équipe mensuelle" in page_text(client.get(org_a.get_absolute_url()))

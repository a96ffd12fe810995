"""Campaign life cycle as the lead and the staff representative see it."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from reperes.campaigns import actions
from reperes.campaigns.models import Campaign, CampaignInvitation, Response
from reperes.lib.actions import ActionRefused
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def create_data(**overrides):
    questionnaire = questionnaire_version().questionnaire
    return {
        "questionnaire": questionnaire.pk,
        "title": "Diagnostic de rentrée",
        "mode": "individual",
        "collective_method": "counts",
        "closes_on": (today() + timedelta(days=10)).isoformat(),
        "groups": "Direction\nSalarié·es\n\nsalarié·es\nBénévoles",
        **overrides,
    }


def submit_responses(campaign, count, group=None):
    for _ in range(count):
        draft, _ = actions.start_draft(campaign)
        actions.choose_group(draft, group)
        actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
        actions.submit(draft)


def test_lead_prepares_a_campaign_with_default_groups(client, alice, org_a):
    client.force_login(alice)
    form = page_text(client.get(reverse("campaigns:create", args=[org_a.slug])))
    assert "Direction\nSalarié·es\nBénévoles\nAdministrateurs·rices" in form
    response = client.post(reverse("campaigns:create", args=[org_a.slug]), create_data())
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.state == Campaign.State.DRAFT
    assert [g.label for g in campaign.groups.all()] == ["Direction", "Salarié·es", "Bénévoles"]
    assert campaign.questionnaire_version == questionnaire_version()
    assert org_a.events.filter(verb="campaign.created").exists()


def test_staff_rep_can_prepare_a_campaign_but_a_member_cannot(client, carol, bob, org_a):
    client.force_login(carol)
    assert client.post(reverse("campaigns:create", args=[org_a.slug]), create_data()).status_code == 302
    client.force_login(bob)
    assert client.post(reverse("campaigns:create", args=[org_a.slug]), create_data()).status_code == 404
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("closes_on", "2001-01-01", "aujourd'hui ou une date à venir"),
        ("title", "", "Ce champ est obligatoire"),
        ("groups", "\n".join(f"Collège {n}" for n in range(9)), "8 collèges au plus"),
        ("mode", "sondage", "Sélectionnez un choix valide"),
    ],
)
def test_campaign_form_validation(client, alice, org_a, field, value, message):
    client.force_login(alice)
    response = client.post(reverse("campaigns:create", args=[org_a.slug]), create_data(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Campaign.objects.exists()


def test_opening_asks_the_expected_number_with_headcount_as_default(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a, state=Campaign.State.DRAFT, opened_on=None)
    client.force_login(alice)
    page = page_text(client.get(campaign.get_absolute_url()))
    assert f'name="expected_respondents" value="{org_a.headcount}"' in page
    client.post(reverse("campaigns:open", args=[org_a.slug, campaign.pk]), {"expected_respondents": 15})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.OPEN
    assert campaign.expected_respondents == 15
    assert campaign.opened_on == today()


def test_groups_cannot_change_once_open(alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    with pytest.raises(ActionRefused):
        actions.update_campaign(campaign, by=alice, groups=["Tous"], title="x")


def test_campaign_past_its_closing_date_counts_as_closed_when_read(org_a):
    campaign = CampaignFactory(organisation=org_a, closes_on=today() - timedelta(days=1))
    assert campaign.state == Campaign.State.OPEN
    assert campaign.status == Campaign.State.CLOSED
    assert campaign.is_closed


def test_postponing_the_closing_date(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    later = campaign.closes_on + timedelta(days=7)
    client.post(reverse("campaigns:postpone", args=[org_a.slug, campaign.pk]), {"closes_on": later})
    campaign.refresh_from_db()
    assert campaign.closes_on == later
    earlier = page_text(
        client.post(
            reverse("campaigns:postpone", args=[org_a.slug, campaign.pk]),
            {"closes_on": today()},
            follow=True,
        )
    )
    assert "La nouvelle date doit être après" in earlier


def test_closing_below_k_asks_for_confirmation(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    submit_responses(campaign, 2)
    client.force_login(alice)
    url = reverse("campaigns:close", args=[org_a.slug, campaign.pk])
    page = page_text(client.get(url))
    assert "les résultats ne seront jamais affichés" in page
    client.post(url)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.OPEN
    client.post(url, {"confirm": "1"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
    assert campaign.closed_on == today()


def test_closing_with_enough_responses_needs_no_confirmation(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    submit_responses(campaign, 5)
    client.force_login(alice)
    client.post(reverse("campaigns:close", args=[org_a.slug, campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED


def test_a_closed_campaign_never_reopens(alice, org_a):
    campaign = CampaignFactory(organisation=org_a, state=Campaign.State.CLOSED)
    with pytest.raises(ActionRefused):
        actions.open_campaign(campaign, by=alice, expected_respondents=3)
    with pytest.raises(ActionRefused):
        actions.postpone_campaign(campaign, by=alice, closes_on=today() + timedelta(days=30))


def test_invitations_are_single_use_and_reminders_skip_those_who_answered(
    client, alice, org_a, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("campaigns:invite", args=[org_a.slug, campaign.pk]),
            {"emails": "eve@example.org, Fred@example.org\nfred@example.org"},
        )
    assert CampaignInvitation.objects.count() == 2
    assert len(mail.outbox) == 2
    invitation = CampaignInvitation.objects.get(email="eve@example.org")
    assert len(invitation.token_hash) == 64  # stored hashed
    link = re.search(r"http://testserver(/i/\S+/)", mail.outbox[0].body).group(1)
    assert link.split("/")[2] not in invitation.token_hash

    other = client.__class__()
    landing = other.get(link)["Location"]  # a GET creates nothing: the draft starts on a POST
    assert not campaign.drafts.exists()
    other.post(landing)
    other.post(reverse("answer:group", args=[campaign.share_id]), {"group": "aucun"})
    for number, theme in enumerate(campaign.spec.themes, start=1):
        data = {item["id"]: "nsp" for item in theme["items"]}
        other.post(reverse("answer:theme", args=[campaign.share_id, number]), data)
    other.post(reverse("answer:review", args=[campaign.share_id]))
    assert Response.objects.count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campaigns:remind", args=[org_a.slug, campaign.pk]))
    assert [m.to for m in mail.outbox] == [[mail_to] for mail_to in ["fred@example.org"]]
    assert mail.outbox[0].subject.startswith("Rappel")
    page = page_text(client.get(campaign.get_absolute_url()))
    assert "1 invité·e sur 2 ont répondu (50 %)" in page


def test_invalid_invitation_addresses_are_listed(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("campaigns:invite", args=[org_a.slug, campaign.pk]),
        {"emails": "bon@example.org pas-une-adresse"},
    )
    assert "pas-une-adresse" in page_text(response)
    assert not CampaignInvitation.objects.exists()


def test_responses_beyond_the_expected_number_are_flagged(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a, expected_respondents=3)
    submit_responses(campaign, 5)
    client.force_login(alice)
    page = page_text(client.get(campaign.get_absolute_url()))
    assert "2 réponses de plus que le nombre de personnes attendues" in page
    assert "préférez les invitations personnelles" in page


def test_qr_code_and_poster(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    qr = client.get(reverse("campaigns:qr", args=[org_a.slug, campaign.pk]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    poster = page_text(client.get(reverse("campaigns:poster", args=[org_a.slug, campaign.pk])))
    assert campaign.share_url() in poster
    assert "<svg" in poster


def test_results_link_can_be_shared_and_revoked(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    url = reverse("campaigns:results_link", args=[org_a.slug, campaign.pk])
    client.post(url, {"action": "share"})
    campaign.refresh_from_db()
    token = campaign.results_token
    assert token and len(token) >= 22
    anonymous = client.__class__()
    assert anonymous.get(reverse("results:shared", args=[token])).status_code == 200
    client.post(url, {"action": "revoke"})
    assert anonymous.get(reverse("results:shared", args=[token])).status_code == 404


def test_campaign_of_another_organisation_is_a_404(client, dave, org_b, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(dave)
    for name in ("detail", "close", "qr", "poster"):
        assert client.get(reverse(f"campaigns:{name}", args=[org_b.slug, campaign.pk])).status_code == 404
    assert client.get(reverse("results:detail", args=[org_b.slug, campaign.pk])).status_code == 404


def test_collective_mode_records_counts_and_shows_results_at_once(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a, mode=Campaign.Mode.COLLECTIVE, groups=[])
    client.force_login(alice)
    for number, theme in enumerate(campaign.spec.themes, start=1):
        data = {}
        for item in theme["items"]:
            data.update({f"{item['id']}__oui": 3, f"{item['id']}__nsp": 1, f"{item['id']}__non": 0})
        data[f"{theme['items'][0]['id']}__note"] = "Deux avis opposés"
        response = client.post(reverse("campaigns:collective", args=[org_a.slug, campaign.pk, number]), data)
    assert response["Location"] == reverse("results:detail", args=[org_a.slug, campaign.pk])
    page = page_text(client.get(response["Location"]))
    assert "ne sont pas anonymes" in page
    assert "3,8" in page  # 5 statements x 3/4 « Oui »
    assert "Deux avis opposés" in page


def test_collective_mode_refuses_negative_counts(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a, mode=Campaign.Mode.COLLECTIVE, groups=[])
    client.force_login(alice)
    response = client.post(
        reverse("campaigns:collective", args=[org_a.slug, campaign.pk, 1]), {"projet-1__oui": -2}
    )
    assert response.status_code == 200
    assert "supérieure ou égale à 0" in page_text(response)
    assert not campaign.collective_answers.exists()


def test_collective_consensus(alice, org_a):
    campaign = CampaignFactory(
        organisation=org_a,
        mode=Campaign.Mode.COLLECTIVE,
        collective_method=Campaign.CollectiveMethod.CONSENSUS,
        groups=[],
    )
    actions.record_collective_answers(
        campaign, by=alice, entries={"projet-1": {"consensus": "oui"}, "projet-2": {"consensus": "non"}}
    )
    from reperes.results.compute import build_results

    results = build_results(campaign, k=5)
    assert results.themes[0].score == 1


def test_a_campaign_past_its_date_is_settled_when_read(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a, closes_on=today() - timedelta(days=1))
    actions.start_draft(campaign)
    CampaignInvitation.objects.create(
        campaign=campaign, email="eve@example.org", token_hash="b" * 64, sent_on=today()
    )
    client.force_login(alice)
    client.get(campaign.get_absolute_url())
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
    assert campaign.closed_on == campaign.closes_on
    assert not campaign.drafts.exists()
    assert not campaign.invitations.exists() and campaign.invitations_sent == 1


def test_the_campaign_jobs_close_due_campaigns_and_notify_pilots(
    alice, carol, bob, org_a, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    due = CampaignFactory(organisation=org_a, closes_on=today())
    soon = CampaignFactory(organisation=org_a, closes_on=today() + timedelta(days=2))
    submit_responses(due, 5)
    Campaign.objects.filter(pk=due.pk).update(closes_on=today() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        for job in ["campaigns.close_due", "campaigns.closing_soon"]:
            call_command("run_scheduled", job=job, stdout=io.StringIO())
    due.refresh_from_db()
    soon.refresh_from_db()
    assert due.state == Campaign.State.CLOSED and soon.state == Campaign.State.OPEN
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([alice.email, carol.email] * 2)
    subjects = {m.subject.split(" :")[0] for m in mail.outbox}
    assert subjects == {"Diagnostic clôturé", f"Clôture le {date_format(soon.closes_on, 'j F')}"}
    assert bob.email not in recipients


def test_the_postpone_field_shows_the_current_closing_date(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f'value="{campaign.closes_on:%Y-%m-%d}"' in page


@pytest.mark.parametrize(
    "slug", ["maturite-numerique", "satisfaction-atelier", "satisfaction-accompagnement"]
)
def test_a_questionnaire_not_made_for_teams_never_becomes_a_team_diagnostic(org_a, alice, slug):
    from reperes.campaigns.actions import create_campaign
    from reperes.lib.actions import ActionRefused
    from tests.campaigns.factories import questionnaire_version

    with pytest.raises(ActionRefused, match="ne se fait pas en diagnostic d'équipe"):
        create_campaign(
            org_a, by=alice, groups=[], questionnaire_version=questionnaire_version(slug), title="x"
        )

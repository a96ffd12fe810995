from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.action_plans.models import Action, Status
from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign
from reperes.lib.actions import ActionRefused
from reperes.reports.comparison import NotComparable, check_comparable, compare
from reperes.results.compute import build_results
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def answered(campaign, count, value_for_theme, group=None):
    for _ in range(count):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.choose_group(draft, group)
        spec = campaign.spec
        campaign_actions.save_answers(
            draft, {i: value_for_theme(spec.theme_of_item[i]) for i in spec.item_ids}
        )
        campaign_actions.submit(draft)


def close(campaign, days_ago):
    day = today() - timedelta(days=days_ago)
    Campaign.objects.filter(pk=campaign.pk).update(state="closed", closes_on=day, closed_on=day)
    campaign.refresh_from_db()


@pytest.fixture
def pair(org_a, alice):
    before = CampaignFactory(organisation=org_a, groups=["Direction", "Salarié·es"])
    answered(before, 5, lambda theme: "non")
    close(before, 200)
    after = campaign_actions.start_follow_up(before, by=alice, closes_on=today() + timedelta(days=10))
    Campaign.objects.filter(pk=after.pk).update(state="open", opened_on=today())
    after.refresh_from_db()
    answered(after, 6, lambda theme: "oui" if theme == "temps" else "non")
    close(after, 1)
    return before, after


def test_follow_up_copies_questionnaire_mode_and_groups(pair):
    before, after = pair
    assert after.follows == before
    assert after.questionnaire_version.questionnaire == before.questionnaire_version.questionnaire
    assert [g.label for g in after.groups.all()] == ["Direction", "Salarié·es"]
    assert after.title.endswith("point de suivi")


def test_follow_up_only_from_a_closed_campaign(alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    with pytest.raises(ActionRefused):
        campaign_actions.start_follow_up(campaign, by=alice, closes_on=today())


def test_follow_up_in_one_click(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    close(campaign, 3)
    client.force_login(alice)
    response = client.post(
        reverse("reports:follow_up", args=[org_a.slug, campaign.pk]),
        {"closes_on": (today() + timedelta(days=20)).isoformat()},
    )
    follow_up = Campaign.objects.get(follows=campaign)
    assert response["Location"] == follow_up.get_absolute_url()
    assert follow_up.state == Campaign.State.DRAFT


def test_comparison_by_theme_and_statement_with_the_actions_done_in_between(client, bob, org_a, pair):
    before, after = pair
    Action.objects.create(
        organisation=org_a,
        title="Règles de déconnexion",
        theme_id="temps",
        status=Status.DONE,
        done_on=today() - timedelta(days=50),
    )
    Action.objects.create(
        organisation=org_a,
        title="Trop ancienne",
        theme_id="temps",
        status=Status.DONE,
        done_on=today() - timedelta(days=300),
    )
    changes = compare(build_results(before, k=5), build_results(after, k=5), list(Action.objects.all()))
    temps = next(c for c in changes if c.theme["id"] == "temps")
    assert (temps.before, temps.after, temps.delta) == (0, 5, 5)
    assert all(item.delta == 100 for item in temps.items)
    client.force_login(bob)
    page = page_text(client.get(reverse("reports:comparison", args=[org_a.slug, after.pk])))
    assert "Ce qui a bougé" in page
    assert "Règles de déconnexion" in page
    assert "Trop ancienne" not in page
    assert "+5,0" in page


def test_comparison_waits_until_both_sides_reach_k(client, bob, org_a, pair):
    before, after = pair
    small = CampaignFactory(organisation=org_a, follows=before)
    answered(small, 2, lambda theme: "oui")
    close(small, 1)
    client.force_login(bob)
    page = page_text(client.get(reverse("reports:comparison", args=[org_a.slug, small.pk])))
    assert "La comparaison apparaîtra" in page
    assert "<table" not in page


def test_comparison_with_a_campaign_of_another_organisation_is_refused(client, alice, org_a, org_b, pair):
    _, after = pair
    foreign = CampaignFactory(organisation=org_b)
    client.force_login(alice)
    response = client.get(reverse("reports:comparison", args=[org_a.slug, after.pk]), {"avec": foreign.pk})
    assert response.status_code == 400
    assert "n'existe pas dans votre structure" in page_text(response)
    with pytest.raises(NotComparable):
        check_comparable(foreign, after)


def test_comparison_between_different_questionnaires_is_refused(org_a, pair):
    from reperes.instruments.models import Questionnaire, QuestionnaireVersion

    before, after = pair
    other = Questionnaire.objects.create(slug="autre", title="Autre")
    version = QuestionnaireVersion.objects.create(
        questionnaire=other,
        number=1,
        content_hash="x",
        definition=before.questionnaire_version.definition,
        source="x",
    )
    different = CampaignFactory(organisation=org_a, questionnaire_version=version)
    with pytest.raises(NotComparable, match="même questionnaire"):
        check_comparable(different, after)

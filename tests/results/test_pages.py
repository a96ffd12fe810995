"""The results pages: what is shown, when, and to whom."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns import actions
from reperes.campaigns.models import Campaign
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def submit(campaign, group, value_for_theme):
    draft, _ = actions.start_draft(campaign)
    actions.choose_group(draft, group)
    spec = campaign.spec
    actions.save_answers(draft, {i: value_for_theme(spec.theme_of_item[i]) for i in spec.item_ids})
    actions.submit(draft)


def closed(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        state=Campaign.State.CLOSED, closed_on=timezone.localdate()
    )
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def campaign(org_a):
    return CampaignFactory(organisation=org_a, groups=["Direction", "Salarié·es", "Bénévoles"])


def results_url(campaign):
    return reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])


def test_nothing_before_closing_even_with_many_responses(client, bob, campaign):
    for _ in range(6):
        submit(campaign, None, lambda theme: "oui")
    client.force_login(bob)
    page = page_text(client.get(results_url(campaign)))
    assert "6 réponses pour l'instant" in page
    assert "Les résultats apparaîtront à la clôture" in page
    assert "La carte de l'équipe" not in page


def test_nothing_ever_below_k(client, bob, campaign):
    for _ in range(4):
        submit(campaign, None, lambda theme: "oui")
    closed(campaign)
    client.force_login(bob)
    page = page_text(client.get(results_url(campaign)))
    assert "Les résultats ne peuvent pas être affichés" in page
    assert "<svg" not in page


def test_every_member_sees_the_map_with_a_table_for_screen_readers(client, bob, campaign):
    direction, staff, _ = campaign.groups.all()
    for _ in range(5):
        submit(campaign, direction, lambda theme: "oui" if theme == "management" else "non")
    for _ in range(6):
        submit(campaign, staff, lambda theme: "non")
    closed(campaign)
    client.force_login(bob)
    response = client.get(results_url(campaign))
    page = page_text(response)
    assert 'class="radar"' in page and "<polygon" in page
    assert "<caption>Score moyen par thème (0 à 5)</caption>" in page
    assert "Nos priorités possibles" in page
    # Both groups have ≥ 5 and nobody is outside them: both shown, with the divergence.
    assert "Direction (5)" in page and "Salarié·es (6)" in page
    assert "5 points" in page or "5,0 points" in page
    assert "Salarié·es plus bas que Direction" in page


def test_a_group_that_would_isolate_people_by_subtraction_is_hidden(client, bob, campaign):
    direction, staff, volunteers = campaign.groups.all()
    for group, count in [(direction, 5), (staff, 5), (volunteers, 2)]:
        for _ in range(count):
            submit(campaign, group, lambda theme: "oui")
    closed(campaign)
    client.force_login(bob)
    page = page_text(client.get(results_url(campaign)))
    shown = [label for label in ("Direction (5)", "Salarié·es (5)", "Bénévoles (2)") if label in page]
    # Total 12: showing both groups of 5 would leave the 2 volunteers exposed.
    assert len(shown) == 1
    assert "certains collèges ne sont pas affichés" in page


def test_shared_link_shows_the_same_results_without_an_account(client, campaign):
    for _ in range(5):
        submit(campaign, None, lambda theme: "oui")
    closed(campaign)
    actions.share_results(campaign, by=None)
    page = page_text(client.get(reverse("results:shared", args=[campaign.results_token])))
    assert "La carte de l'équipe" in page
    theme = page_text(client.get(reverse("results:shared_theme", args=[campaign.results_token, "temps"])))
    assert "Les questions à se poser ensemble" in theme
    assert "Les règles d'organisation du temps de travail" in theme


def test_theme_page_lists_the_statements_as_questions(client, bob, campaign):
    client.force_login(bob)
    page = page_text(
        client.get(reverse("results:theme", args=[campaign.organisation.slug, campaign.pk, "espaces"]))
    )
    assert "Organisation des espaces de travail" in page
    assert page.count("<li>") >= 5


def test_unknown_theme_is_a_404(client, bob, campaign):
    client.force_login(bob)
    url = reverse("results:theme", args=[campaign.organisation.slug, campaign.pk, "inconnu"])
    assert client.get(url).status_code == 404


def test_results_page_query_count_does_not_grow_with_responses(
    client, bob, campaign, django_assert_max_num_queries
):
    direction = campaign.groups.first()
    for _ in range(30):
        submit(campaign, direction, lambda theme: "oui")
    closed(campaign)
    client.force_login(bob)
    # Closed without stored figures (as before they were stored): computed from the rows. 21
    # (one to learn that no figures are stored), and the panels of the apps above for the
    # weakest themes: offers, listings and resources (1 query each). Stored figures:
    # tests/results/test_fragments.py.
    with django_assert_max_num_queries(24):
        assert client.get(results_url(campaign)).status_code == 200

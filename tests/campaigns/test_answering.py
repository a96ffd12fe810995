"""The respondent's journey with the test client: no account, drafts, submit once, bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns import actions
from reperes.campaigns.answer_views import DONE_COOKIE, DRAFT_COOKIE
from reperes.campaigns.models import Campaign, CampaignInvitation, Draft, Response, hash_token
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org_a):
    return CampaignFactory(organisation=org_a)


def url(name, campaign, *args):
    return reverse(f"answer:{name}", args=[campaign.share_id, *args])


def begin(client, campaign, group="first"):
    client.get(url("intro", campaign))
    client.post(url("start", campaign))
    choice = str(campaign.groups.first().pk) if group == "first" else group
    return client.post(url("group", campaign), {"group": choice})


def answer_theme(client, campaign, number, value="oui", nav="next"):
    theme = campaign.spec.themes[number - 1]
    data = {item["id"]: value for item in theme["items"]}
    return client.post(url("theme", campaign, number), {**data, "nav": nav})


def answer_all(client, campaign, value="oui"):
    begin(client, campaign)
    for number in range(1, len(campaign.spec.themes) + 1):
        answer_theme(client, campaign, number, value)
    return client.post(url("review", campaign))


def test_intro_explains_anonymity_duration_and_when_results_appear(client, campaign):
    page = page_text(client.get(url("intro", campaign)))
    assert "Anonyme" in page
    assert "Environ 5 minutes" in page
    assert campaign.closes_on.strftime("%Y") in page
    assert reverse("answer:privacy") in page


def test_full_journey_stores_one_anonymous_response(client, campaign):
    response = answer_all(client, campaign)
    assert response["Location"] == url("thanks", campaign)
    stored = Response.objects.get()
    assert stored.group == campaign.groups.first()
    assert stored.submitted_on == timezone.localdate()
    assert stored.answers.count() == 30
    assert not Draft.objects.exists()
    thanks = page_text(client.get(response["Location"]))
    assert "Merci, vos réponses sont envoyées" in thanks


def test_theme_pages_show_progress_and_keep_answers(client, campaign):
    begin(client, campaign)
    answer_theme(client, campaign, 1, "non")
    page = page_text(client.get(url("theme", campaign, 1)))
    assert "Thème 1 sur 6" in page
    assert page.count('value="non" checked') == 0  # rendered with the checked attribute
    assert page.count("checked") == 5
    assert Draft.objects.get().answers == {f"projet-{n}": "non" for n in range(1, 6)}


def test_back_saves_what_was_answered(client, campaign):
    begin(client, campaign)
    answer_theme(client, campaign, 1)
    response = client.post(url("theme", campaign, 2), {"information-1": "nsp", "nav": "prev"})
    assert response["Location"] == url("theme", campaign, 1)
    assert Draft.objects.get().answers["information-1"] == "nsp"


def test_prefer_not_to_say(client, campaign):
    begin(client, campaign, group="aucun")
    for number in range(1, 7):
        answer_theme(client, campaign, number)
    client.post(url("review", campaign))
    assert Response.objects.get().group is None


def test_missing_group_choice_is_explained(client, campaign):
    client.post(url("start", campaign))
    response = client.post(url("group", campaign), {"group": "999999"})
    assert response.status_code == 400
    assert "Choisissez une réponse" in page_text(response)


def test_missing_answers_are_pointed_out_and_kept(client, campaign):
    begin(client, campaign)
    answer_theme(client, campaign, 1)
    response = client.post(url("review", campaign))
    assert response.status_code == 400
    page = page_text(response)
    assert "Il manque des réponses" in page
    assert "Il reste 25 affirmations sans réponse" in page
    assert page.count("Sans réponse") == 25
    assert not Response.objects.exists()
    assert len(Draft.objects.get().answers) == 5


def test_invalid_value_is_refused_in_french_and_nothing_is_saved(client, campaign):
    begin(client, campaign)
    response = client.post(url("theme", campaign, 1), {"projet-1": "peut-etre", "projet-2": "oui"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in page_text(response)
    assert Draft.objects.get().answers == {}


def test_unknown_item_and_item_of_another_campaign_are_ignored(client, campaign):
    begin(client, campaign)
    client.post(url("theme", campaign, 1), {"projet-1": "oui", "inconnu-9": "oui", "temps-1": "non"})
    assert Draft.objects.get().answers == {"projet-1": "oui"}


def test_double_submit_stores_one_response(client, campaign):
    answer_all(client, campaign)
    again = client.post(url("review", campaign))
    assert again.status_code == 409  # the browser already answered
    assert Response.objects.count() == 1


def test_submitting_the_same_draft_twice_is_idempotent(campaign):
    draft, _ = actions.start_draft(campaign)
    actions.choose_group(draft, None)
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
    actions.submit(draft)
    with pytest.raises(actions.AlreadySubmitted):
        actions.submit(draft)
    assert Response.objects.count() == 1


def test_one_answer_per_browser_with_the_share_link(client, campaign):
    answer_all(client, campaign)
    assert client.cookies[DONE_COOKIE].value == "1"
    page = client.get(url("intro", campaign))
    assert page.status_code == 409
    assert "déjà répondu depuis cet appareil" in page_text(page)


def test_cookies_are_scoped_to_the_campaign(client, campaign):
    begin(client, campaign)
    cookie = client.cookies[DRAFT_COOKIE]
    assert cookie["path"] == url("intro", campaign)
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_resume_link_restores_the_draft_in_another_browser(client, campaign, django_user_model):
    from django.test import Client

    begin(client, campaign)
    answer_theme(client, campaign, 1)
    token = client.cookies[DRAFT_COOKIE].value
    other = Client()
    assert "Continuer sur cet appareil" in page_text(other.get(url("resume", campaign, token)))
    response = other.post(url("resume", campaign, token))
    assert response["Location"] == url("intro", campaign)
    assert "Reprendre là où j'en étais" in page_text(other.get(url("intro", campaign)))
    for number in range(2, 7):
        answer_theme(other, campaign, number)
    other.post(url("review", campaign))
    assert Response.objects.get().answers.filter(item_id="projet-1", value="oui").exists()


def test_resume_link_of_another_campaign_is_refused(client, campaign, org_a):
    other_campaign = CampaignFactory(organisation=org_a)
    _, token = actions.start_draft(other_campaign)
    response = client.get(url("resume", campaign, token))
    assert response.status_code == 404
    assert "Ce lien de reprise ne fonctionne pas" in page_text(response)


@pytest.mark.parametrize("share_id", ["inconnu", "x" * 22])
def test_unknown_campaign_link(client, share_id):
    response = client.get(reverse("answer:intro", args=[share_id]))
    assert response.status_code == 404
    assert "Page introuvable" in page_text(response)


def test_draft_campaign_cannot_be_answered_yet(client, org_a):
    campaign = CampaignFactory(organisation=org_a, state=Campaign.State.DRAFT)
    response = client.get(url("intro", campaign))
    assert response.status_code == 403
    assert "pas encore ouvert" in page_text(response)
    assert client.post(url("start", campaign)).status_code == 403
    assert not Draft.objects.exists()


def test_closed_campaign_keeps_nothing_and_says_so(client, campaign):
    begin(client, campaign)
    answer_theme(client, campaign, 1)
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_on=timezone.localdate() - timezone.timedelta(days=1)
    )
    for response in (client.get(url("intro", campaign)), client.post(url("review", campaign))):
        assert response.status_code == 410
        assert "Ce diagnostic est clôturé" in page_text(response)
    assert not Response.objects.exists()


def test_invitation_link_answers_once_and_records_only_that(client, campaign):
    invitation = CampaignInvitation.objects.create(
        campaign=campaign,
        email="eve@example.org",
        token_hash=hash_token("secret"),
        sent_on=timezone.localdate(),
    )
    response = client.get(reverse("answer:invitation", args=["secret"]))
    landing = reverse("answer:invitation_start", args=[campaign.share_id, "secret"])
    assert response["Location"] == landing
    client.post(landing)
    client.post(url("group", campaign), {"group": "aucun"})
    for number in range(1, 7):
        answer_theme(client, campaign, number)
    client.post(url("review", campaign))
    invitation.refresh_from_db()
    assert invitation.used and campaign.invitations.answered().get() == invitation
    assert Response.objects.get().source == "invitation"
    reused = client.get(landing)
    assert reused.status_code == 409
    assert "Cette invitation a déjà servi" in page_text(reused)
    assert client.post(landing).status_code == 409
    assert Response.objects.count() == 1


def test_forged_invitation_token(client, campaign):
    response = client.get(reverse("answer:invitation", args=["pas-un-vrai-jeton"]))
    assert response.status_code == 404
    assert "Ce lien d'invitation ne fonctionne plus" in page_text(response)


def test_oversized_post_is_refused_cleanly(client, campaign, settings):
    begin(client, campaign)
    response = client.post(
        url("theme", campaign, 1), {"projet-1": "oui", "x": "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    assert response.status_code == 400
    assert "Requête invalide" in page_text(response)
    assert Draft.objects.get().answers == {}


def test_csrf_failure_on_an_answer_page_loses_nothing(campaign):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get(url("intro", campaign))
    token = client.cookies["csrftoken"].value
    client.post(url("start", campaign), {"csrfmiddlewaretoken": token})
    client.post(url("group", campaign), {"group": "aucun", "csrfmiddlewaretoken": token})
    client.post(url("theme", campaign, 1), {"projet-1": "oui", "csrfmiddlewaretoken": token})
    response = client.post(url("theme", campaign, 2), {"information-1": "oui"})  # no token
    assert response.status_code == 403
    assert "Formulaire expiré" in page_text(response)
    assert Draft.objects.get().answers == {"projet-1": "oui"}


def test_answer_pages_work_for_signed_in_members_without_linking_them(client, alice, campaign):
    client.force_login(alice)
    answer_all(client, campaign)
    stored = Response.objects.get()
    assert {key for key in stored.__dict__ if not key.startswith("_")} == {
        "id",
        "campaign_id",
        "group_id",
        "submitted_on",
        "source",
        "paper_batch_id",
        "submission_key",
    }


def test_privacy_page_says_what_is_stored(client):
    page = page_text(client.get(reverse("answer:privacy")))
    assert "Ce qui n'est jamais enregistré" in page
    assert "adresse IP" in page

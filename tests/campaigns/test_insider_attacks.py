"""Issue 9: an insider's attacks on a diagnostic's anonymity, each performed and shown to fail.

Resume links that leak a colleague's draft, invitations used several times, padding a group up
to the threshold, the storage order of a dump, a campaign that closes while someone submits,
and the closing notice that must go out once whichever way the campaign closes.
"""

import io
import random
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns import actions
from reperes.campaigns.answer_views import DRAFT_COOKIE
from reperes.campaigns.models import (
    Answer,
    Campaign,
    CampaignInvitation,
    Draft,
    FreeTextAnswer,
    Response,
    hash_token,
    new_token,
)
from reperes.lib import storage
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.dumps import spearman, storage_order
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def url(name, campaign, *args):
    return reverse(f"answer:{name}", args=[campaign.share_id, *args])


def answer_theme(client, campaign, number, value="oui"):
    theme = campaign.spec.themes[number - 1]
    return client.post(url("theme", campaign, number), {item["id"]: value for item in theme["items"]})


def finish(client, campaign, value="oui"):
    for number in range(1, len(campaign.spec.themes) + 1):
        answer_theme(client, campaign, number, value)
    return client.post(url("review", campaign))


def begin(client, campaign):
    client.post(url("start", campaign))
    client.post(url("group", campaign), {"group": str(campaign.groups.first().pk)})


@pytest.fixture
def campaign(org_a):
    return CampaignFactory(organisation=org_a)


def invite(campaign, email="eve@example.org", token="jeton-invitation-secret"):
    return CampaignInvitation.objects.create(
        campaign=campaign, email=email, token_hash=hash_token(token), sent_on=timezone.localdate()
    )


# 1. Resume links


def test_a_resume_link_sent_to_a_colleague_leaves_the_sender_nothing_to_watch(campaign):
    sender, colleague = Client(), Client()
    begin(sender, campaign)
    token = sender.cookies[DRAFT_COOKIE].value
    link = url("resume", campaign, token)

    # The colleague opens the link the sender sent and presses the button.
    page = colleague.get(link)
    assert "Continuer sur cet appareil" in page_text(page)
    colleague.post(link)
    answer_theme(colleague, campaign, 1, "non")

    # The sender's cookie is dead: no review page, no answers, no way to submit.
    review = sender.get(url("review", campaign))
    assert review.status_code == 302 and review["Location"] == url("intro", campaign)
    assert sender.post(url("review", campaign)).status_code == 302
    assert "Reprendre là où j'en étais" not in page_text(sender.get(url("intro", campaign)))
    # The link itself works once.
    assert sender.get(link).status_code == 404
    assert sender.post(link).status_code == 404
    assert Draft.objects.get().answers["projet-1"] == "non"


def test_a_mail_scanner_fetching_a_resume_link_changes_nothing(campaign):
    owner = Client()
    begin(owner, campaign)
    token = owner.cookies[DRAFT_COOKIE].value
    before = Draft.objects.get().token_hash
    for _ in range(3):
        Client().get(url("resume", campaign, token))
    assert Draft.objects.get().token_hash == before == hash_token(token)
    assert owner.get(url("review", campaign)).status_code == 200


# 2. Invitations


def test_three_browsers_on_one_invitation_give_one_response(campaign):
    invite(campaign)
    browsers = [Client(), Client(), Client()]
    landing = reverse("answer:invitation_start", args=[campaign.share_id, "jeton-invitation-secret"])
    for browser in browsers:
        assert (
            browser.get(reverse("answer:invitation", args=["jeton-invitation-secret"]))["Location"] == landing
        )
        browser.get(landing)
    assert not Draft.objects.exists()  # GETs (mail scanners) create nothing

    first, second, third = browsers
    first.post(landing)
    answer_theme(first, campaign, 1, "non")
    # A second browser without the draft's cookie never sees the first one's answers…
    page = page_text(second.get(landing))
    assert "Recommencer ici" in page and "ne s'affichent pas ici" in page
    assert second.get(url("review", campaign)).status_code == 302
    # …and starting again deletes them unseen.
    second.post(landing)
    third.post(landing)
    assert Draft.objects.count() == 1

    replaced = finish(first, campaign)
    assert replaced.status_code == 302  # its draft is gone: back to the invitation-only intro
    assert finish(second, campaign).status_code == 302
    assert finish(third, campaign)["Location"] == url("thanks", campaign)
    assert Response.objects.count() == 1
    for browser in browsers:
        again = browser.post(landing)
        assert again.status_code == 409
        assert "Cette invitation a déjà servi" in page_text(again)
    assert Response.objects.count() == 1


def test_a_draft_replaced_elsewhere_is_not_submitted_and_says_so(campaign):
    invitation = invite(campaign)
    draft, _ = actions.start_invitation_draft(invitation)
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
    actions.start_invitation_draft(invitation)  # reopened in a shared mailbox
    with pytest.raises(actions.DraftReplaced):
        actions.submit(draft)
    assert not Response.objects.exists()


def test_submitting_leaves_the_invitation_row_untouched(campaign):
    """No write pairs an invitation with the response it gave (same transaction id, same day)."""
    invitation = invite(campaign)
    draft, _ = actions.start_invitation_draft(invitation)
    before = CampaignInvitation.objects.filter(pk=invitation.pk).values().get()
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
    actions.submit(draft)
    assert CampaignInvitation.objects.filter(pk=invitation.pk).values().get() == before
    assert campaign.invitations.answered().count() == 1


# 3. Padding


def submit_one(campaign, value, group=None):
    draft, _ = actions.start_draft(campaign)
    actions.choose_group(draft, group)
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, value))
    return actions.submit(draft)


def type_sheets(client, campaign, count, value, group):
    entry = reverse("campaigns:paper_entry", args=[campaign.organisation.slug, campaign.pk])
    data = {"group": str(group.pk), **dict.fromkeys(campaign.spec.item_ids, value)}
    for _ in range(count):
        client.post(entry, {**data, "sheet_key": new_token()})


def test_a_lead_cannot_pad_a_campaign_over_k_with_paper_sheets_alone(client, alice, campaign):
    direction = campaign.groups.first()
    submit_one(campaign, "non", direction)  # the one real person
    client.force_login(alice)
    type_sheets(client, campaign, 4, "oui", direction)  # k - 1 sheets whose answers she knows
    client.post(reverse("campaigns:close", args=[campaign.organisation.slug, campaign.pk]), {"confirm": "1"})
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.response_count == 5 and campaign.countable_response_count == 1
    assert not campaign.results_visible
    export = client.get(
        reverse("reports:results_export", args=[campaign.organisation.slug, campaign.pk, "csv"])
    )
    assert export.status_code != 200 or b"non" not in export.content
    page = page_text(client.get(reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])))
    assert "ne peuvent pas être affichés" in page


def test_a_lead_cannot_pad_one_group_over_k_even_when_the_team_is_above_it(client, alice, campaign):
    direction, staff = list(campaign.groups.all())[:2]
    submit_one(campaign, "non", direction)  # the only director who answered
    for _ in range(10):
        submit_one(campaign, "oui", staff)
    for _ in range(5):
        submit_one(campaign, "oui")  # « je préfère ne pas le dire »
    client.force_login(alice)
    type_sheets(client, campaign, 4, "oui", direction)
    actions.close_campaign(campaign, by=alice)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.results_visible
    page = page_text(client.get(reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])))
    assert "Salarié·es" in page
    from reperes.results.compute import build_results

    shown = [group.label for group in build_results(campaign, k=5).groups]
    assert "Direction" not in shown
    # What the page and the exports say about where the answers came from.
    assert "16 par le lien partagé" in page
    assert "4 sur papier, dont 4 dans des lots non attestés" in page
    assert f"4 feuilles papier saisies par {alice} ({alice.email})" in page
    csv = client.get(reverse("reports:results_export", args=[campaign.organisation.slug, campaign.pk, "csv"]))
    text = csv.content.decode("utf-8-sig")
    assert "Réponses par le lien partagé" in text and "Réponses sur papier" in text


def test_an_attested_batch_counts_and_names_both_people(client, alice, carol, campaign):
    direction = campaign.groups.first()
    client.force_login(alice)
    type_sheets(client, campaign, 5, "oui", direction)
    batch = campaign.paper_batches.get()
    client.force_login(carol)
    client.post(
        reverse("campaigns:paper_attest", args=[campaign.organisation.slug, campaign.pk, batch.pk]),
        {"sheets": 5},
    )
    client.force_login(alice)
    type_sheets(client, campaign, 1, "oui", direction)  # after attestation: a new batch, unattested
    assert campaign.paper_batches.count() == 2
    actions.close_campaign(campaign, by=alice)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.countable_response_count == 5 and campaign.results_visible
    page = page_text(client.get(reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])))
    assert f"recueillies avec {carol} ({carol.email}) qui a attesté le lot" in page
    # No attestation after the close: results never change once closed.
    with pytest.raises(actions.ActionRefused):
        actions.attest_paper_batch(campaign.paper_batches.last(), by=carol, sheets=1)


def test_an_invitations_only_campaign_has_no_share_link_anywhere(client, alice, bob, org_a):
    campaign = CampaignFactory(organisation=org_a, access=Campaign.Access.INVITATIONS)
    for user in (alice, bob):
        client.force_login(user)
        page = page_text(client.get(campaign.get_absolute_url()))
        assert campaign.share_url() not in page
        assert "Sur invitation seulement" in page
    client.force_login(alice)
    for name in ("qr", "poster"):
        assert client.get(reverse(f"campaigns:{name}", args=[org_a.slug, campaign.pk])).status_code == 404
    stranger = Client()
    assert stranger.get(url("intro", campaign)).status_code == 403
    assert stranger.post(url("start", campaign)).status_code == 403
    assert not Draft.objects.exists()


def test_every_pilot_sees_the_invited_addresses_and_what_looks_wrong(client, alice, carol, bob, org_a):
    campaign = CampaignFactory(organisation=org_a, expected_respondents=2)
    invite(campaign, "bob@example.org", "t1")
    invite(campaign, "moi.aussi@example.net", "t2")
    invite(campaign, "encore.moi@example.net", "t3")
    client.force_login(carol)  # the staff representative sees what the lead sent
    page = page_text(client.get(campaign.get_absolute_url()))
    assert "moi.aussi@example.net" in page and "encore.moi@example.net" in page
    assert "1 invitation de plus que le nombre de personnes attendues" in page
    assert "2 adresses ne correspondent à aucun membre" in page
    client.force_login(bob)  # a member is not a pilot
    assert "moi.aussi@example.net" not in page_text(client.get(campaign.get_absolute_url()))


def test_the_mode_choice_says_what_a_share_link_cannot_prevent(client, alice, org_a):
    client.force_login(alice)
    page = page_text(client.get(reverse("campaigns:create", args=[org_a.slug])))
    assert "rien ne peut empêcher quelqu'un de répondre plusieurs fois" in page


def test_two_reminders_are_days_apart(alice, campaign, django_capture_on_commit_callbacks):
    invite(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.remind_respondents(campaign, by=alice) == 1
        with pytest.raises(actions.ActionRefused, match="attendez"):
            actions.remind_respondents(campaign, by=alice)
    assert len(mail.outbox) == 1


# 5. Storage order


def test_a_dump_after_close_does_not_pair_responses_with_their_arrival(alice, org_a, monkeypatch):
    monkeypatch.setattr(storage, "RNG", random.Random(20261130))
    campaign = CampaignFactory(
        organisation=org_a, groups=[], questionnaire_version=questionnaire_version("teletravail-crise")
    )
    spec = campaign.spec
    items = spec.item_ids
    values = [choice["value"] for choice in spec.scale["choices"]]
    text_item = spec.text_items[0]["id"]
    for n in range(50):  # known respondents in a known order, each with a recognisable answer
        draft, _ = actions.start_draft(campaign)
        answers = {item: values[(n >> (2 * i)) % 4] for i, item in enumerate(items[:3])}
        answers.update({item: values[0] for item in items[3:]})
        answers[text_item] = f"réponse {n}"
        actions.save_answers(draft, answers)
        actions.submit(draft)
    actions.close_campaign(campaign, by=alice)

    signature = {}
    for response_id, item_id, value in Answer.objects.values_list("response_id", "item_id", "value"):
        if item_id in items[:3]:
            signature.setdefault(str(response_id).replace("-", ""), {})[item_id] = value

    def arrival(response_id):
        answers = signature[str(response_id).replace("-", "")]
        return sum(values.index(answers[item]) << (2 * i) for i, item in enumerate(items[:3]))

    responses = storage_order(Response._meta.db_table, ["id", "submitted_on"])
    order = [arrival(row[0]) for row in responses]
    assert sorted(order) == list(range(50))
    assert abs(spearman(order, list(range(50)))) < 0.3
    assert {row[1] for row in responses} == {campaign.closed_on or timezone.localdate()} or len(
        {str(row[1]) for row in responses}
    ) == 1

    answers = storage_order(Answer._meta.db_table, ["response_id"])
    first_seen = list(dict.fromkeys(arrival(row[0]) for row in answers))
    assert abs(spearman(first_seen, list(range(50)))) < 0.3

    texts = [int(row[0].split()[1]) for row in storage_order(FreeTextAnswer._meta.db_table, ["text"])]
    assert abs(spearman(texts, list(range(50)))) < 0.3
    assert not CampaignInvitation.objects.filter(campaign=campaign).exists()


def test_closing_dates_every_response_the_closing_day(alice, campaign):
    for _ in range(3):
        submit_one(campaign, "oui")
    Response.objects.update(submitted_on=timezone.localdate() - timedelta(days=3))
    actions.close_campaign(campaign, by=alice)
    campaign.refresh_from_db()
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {campaign.closed_on}


# 12. Nothing lost, nothing doubled


def test_a_campaign_closed_while_someone_answers_tells_them_their_answers_were_not_stored(alice, campaign):
    respondent = Client()
    begin(respondent, campaign)
    for number in range(1, len(campaign.spec.themes) + 1):
        answer_theme(respondent, campaign, number)
    actions.close_campaign(campaign, by=alice)
    response = respondent.post(url("review", campaign))
    assert response.status_code == 410
    assert "clôturé avant l'arrivée de vos réponses" in page_text(response)
    assert "Merci" not in page_text(response)
    assert not Response.objects.exists()


def test_the_close_racing_a_submit_stores_nothing_and_says_why(alice, campaign):
    draft, _ = actions.start_draft(campaign)
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(actions.CampaignClosedBeforeSubmit):
        actions.submit(draft)
    assert not Response.objects.exists()


def test_a_paper_sheet_posted_twice_is_stored_once(client, alice, campaign):
    client.force_login(alice)
    entry = reverse("campaigns:paper_entry", args=[campaign.organisation.slug, campaign.pk])
    data = {"group": "aucun", "sheet_key": new_token(), **dict.fromkeys(campaign.spec.item_ids, "oui")}
    client.post(entry, data)
    again = client.post(entry, data, follow=True)
    assert "déjà enregistrée" in page_text(again)
    assert Response.objects.count() == 1


# 13. One close, one notice


def test_the_closing_notice_goes_once_whichever_way_the_campaign_closes(
    client, alice, carol, bob, campaign, django_capture_on_commit_callbacks
):
    for _ in range(5):
        submit_one(campaign, "oui")
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(campaign.get_absolute_url())  # the first read after the date closes it
        call_command("run_scheduled", job="campaigns.close_due", stdout=io.StringIO())  # then the scheduler
        actions.close_campaign(campaign, by=alice)  # then a pilot presses « clôturer »
    closed = [m for m in mail.outbox if m.subject.startswith("Diagnostic clôturé")]
    assert sorted(m.to[0] for m in closed) == sorted([alice.email, carol.email])
    assert campaign.organisation.events.filter(verb="campaign.closed").count() == 1


# 11. The draft cookie


def test_the_draft_cookie_is_secure_prefixed_in_production_and_dies_with_the_campaign(
    client, campaign, settings
):
    settings.SESSION_COOKIE_SECURE = True
    client.post(url("start", campaign), secure=True)
    cookie = client.cookies["__Secure-brouillon"]
    assert cookie["secure"]
    days = (campaign.closes_on - timezone.localdate()).days
    assert int(cookie["max-age"]) <= (days + 2) * 86400


# 9. Mail quotas on campaign invitations


def test_a_new_organisation_cannot_mail_hundreds_of_strangers(client, alice, campaign, settings):
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 20
    client.force_login(alice)
    emails = "\n".join(f"inconnu{n}@example.com" for n in range(25))
    response = client.post(
        reverse("campaigns:invite", args=[campaign.organisation.slug, campaign.pk]),
        {"emails": emails},
        follow=True,
    )
    assert "il en reste 20 aujourd'hui" in page_text(response)
    assert not CampaignInvitation.objects.exists()
    assert len(mail.outbox) == 0


def test_a_campaign_title_with_a_carriage_return_is_kept_on_one_line(client, alice, org_a):
    from tests.campaigns.test_campaigns import create_data

    client.force_login(alice)
    client.post(
        reverse("campaigns:create", args=[org_a.slug]), {**create_data(), "title": "Diagnostic\r\nBcc: x"}
    )
    assert Campaign.objects.get().title == "Diagnostic Bcc: x"


# Scanners and retries: fetching any answering link changes nothing


def snapshot():
    return (
        list(Draft.objects.values_list("token_hash", "group_id", "group_chosen", "answers", "invitation_id")),
        list(CampaignInvitation.objects.values_list("pk", "used", "token_hash")),
        Response.objects.count(),
    )


@pytest.mark.parametrize("groups", [None, []])
def test_a_scanner_fetching_every_answering_link_changes_nothing(org_a, groups):
    campaign = CampaignFactory(organisation=org_a, groups=groups)
    invite(campaign)
    holder = Client()
    holder.post(url("start", campaign))
    token = holder.cookies[DRAFT_COOKIE].value
    before = snapshot()
    for client in (holder, Client()):
        for name, args in [
            ("intro", []),
            ("group", []),
            ("theme", [1]),
            ("review", []),
            ("thanks", []),
            ("resume", [token]),
            ("invitation_start", ["jeton-invitation-secret"]),
        ]:
            client.get(url(name, campaign, *args))
        client.get(reverse("answer:invitation", args=["jeton-invitation-secret"]))
    assert snapshot() == before


# The security review's attacks (issue 9), each shown to fail now


def test_a_lead_cannot_attest_her_own_sheets_with_a_second_account(client, alice, org_a):
    from reperes.organisations import actions as org_actions
    from reperes.organisations.models import Role

    campaign = CampaignFactory(organisation=org_a)
    direction = campaign.groups.first()
    submit_one(campaign, "non", direction)  # the one real director
    invitation = org_actions.invite_member(
        org_a, email="alice+double@example.org", role=Role.STAFF_REP, by=alice
    )
    sock = org_actions.create_account_and_accept(invitation, name="Bob", password="un-long-mot-de-passe").user
    client.force_login(alice)
    type_sheets(client, campaign, 4, "oui", direction)
    batch = campaign.paper_batches.get()
    client.force_login(sock)
    page = page_text(client.get(reverse("campaigns:paper_batches", args=[org_a.slug, campaign.pk])))
    assert "avant l'ouverture du diagnostic" in page
    client.post(reverse("campaigns:paper_attest", args=[org_a.slug, campaign.pk, batch.pk]), {"sheets": 4})
    batch.refresh_from_db()
    assert not batch.is_attested
    actions.close_campaign(campaign, by=alice)
    assert not Campaign.objects.get(pk=campaign.pk).results_visible


def test_an_attestation_covers_the_sheets_the_attester_saw_not_more(client, alice, carol, campaign):
    direction = campaign.groups.first()
    client.force_login(alice)
    type_sheets(client, campaign, 1, "oui", direction)
    batch = campaign.paper_batches.get()
    type_sheets(client, campaign, 10, "oui", direction)  # typed after Carol opened the page
    client.force_login(carol)
    response = client.post(
        reverse("campaigns:paper_attest", args=[campaign.organisation.slug, campaign.pk, batch.pk]),
        {"sheets": 1},
        follow=True,
    )
    assert "Le lot compte maintenant 11 feuilles, pas 1" in page_text(response)
    batch.refresh_from_db()
    assert not batch.is_attested


def test_a_dump_after_close_does_not_say_which_response_came_by_invitation(alice, campaign):
    staff = list(campaign.groups.all())[1]
    for _ in range(9):
        submit_one(campaign, "oui", staff)
    invitation = invite(campaign)
    draft, _ = actions.start_invitation_draft(invitation)
    actions.choose_group(draft, staff)
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "non"))
    actions.submit(draft)
    actions.close_campaign(campaign, by=alice)
    assert set(Response.objects.values_list("source", flat=True)) == {Response.Source.WITHHELD}
    assert not Response.objects.filter(paper_batch__isnull=False).exists()
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.channel_counts["invitation"] == 1 and campaign.channel_counts["link"] == 9


def test_a_dump_after_close_holds_no_row_of_a_group_that_is_not_shown(client, alice, campaign):
    from reperes.results.compute import build_results

    direction, staff = list(campaign.groups.all())[:2]
    submit_one(campaign, "non", direction)  # the director
    for _ in range(9):
        submit_one(campaign, "oui", staff)
    for _ in range(5):
        submit_one(campaign, "oui")
    actions.close_campaign(campaign, by=alice)
    assert not Response.objects.filter(group=direction).exists()
    assert Response.objects.filter(group=staff).count() == 9
    results = build_results(Campaign.objects.get(pk=campaign.pk), k=5)
    assert [group.label for group in results.groups] == ["Salarié·es"] and results.hidden_groups
    assert results.respondents == 15


def test_no_sheet_and_no_attestation_lands_after_the_close(alice, carol, campaign):
    stale = Campaign.objects.get(pk=campaign.pk)
    answers = dict.fromkeys(campaign.spec.item_ids, "non")
    actions.record_paper_response(stale, by=alice, group=None, answers=answers, sheet_key=new_token())
    batch = campaign.paper_batches.get()
    actions.close_campaign(campaign, by=alice)
    with pytest.raises(actions.ActionRefused):
        actions.record_paper_response(stale, by=alice, group=None, answers=answers, sheet_key=new_token())
    with pytest.raises(actions.ActionRefused):
        actions.attest_paper_batch(batch, by=carol, sheets=1)
    assert Response.objects.count() == 1


def test_the_open_answers_of_one_respondent_are_stored_shuffled(org_a, monkeypatch):
    campaign = CampaignFactory(
        organisation=org_a, groups=[], questionnaire_version=questionnaire_version("teletravail-crise")
    )
    monkeypatch.setattr(storage, "shuffled", lambda rows: list(reversed(list(rows))))
    texts = {item["id"]: f"texte {n}" for n, item in enumerate(campaign.spec.text_items)}
    actions._store_free_texts(campaign, texts)
    stored = [row[0] for row in storage_order(FreeTextAnswer._meta.db_table, ["text"])]
    assert stored == list(reversed(list(texts.values())))

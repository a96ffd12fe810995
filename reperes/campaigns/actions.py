"""State changes of campaigns and anonymous answering.

Anonymity rules enforced here: a response is written with its answers, its group and the day,
nothing else; the draft that carried the answers is deleted in the same transaction; an
invitation records only that its holder answered.
"""

import secrets
from datetime import date, datetime, time
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns.models import (
    Answer,
    Campaign,
    CampaignInvitation,
    CollectiveAnswer,
    Draft,
    FreeTextAnswer,
    PaperBatch,
    RespondentGroup,
    Response,
    SynthesisEntry,
    hash_token,
    new_token,
)
from reperes.instruments.models import Use
from reperes.lib import settling, storage
from reperes.lib.actions import ActionRefused
from reperes.lib.disclosure import shown_groups
from reperes.lib.hooks import notify
from reperes.lib.limits import MailQuotaExceeded, reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.organisations.journal import record_event

DEFAULT_GROUPS = ["Direction", "Salarié·es", "Bénévoles", "Administrateurs·rices"]
# Two reminders of one campaign are at least this many days apart.
REMINDER_INTERVAL_DAYS = 3
CLOSING_FIELDS = ["state", "closed_on", "invitations_sent", "invitations_answered"]


# Campaign life cycle


@transaction.atomic
def create_campaign(organisation, *, by, groups, **fields):
    if fields["questionnaire_version"].questionnaire.use != Use.TEAM:
        # A workshop's questionnaire or the organisation's own self-diagnostic (maturity) is
        # answered elsewhere: never by a team, anonymously, as a diagnostic.
        raise ActionRefused("Ce questionnaire ne se fait pas en diagnostic d'équipe.")
    campaign = Campaign.objects.create(organisation=organisation, created_by=by, **fields)
    set_groups(campaign, groups)
    record_event(
        by=by,
        verb="campaign.created",
        target=campaign.title,
        description=f"{by} a préparé le diagnostic « {campaign.title} ».",
        organisation=organisation,
    )
    return campaign


@transaction.atomic
def open_network_campaign(network, *, questionnaire_version, title, closes_on, by):
    """A campaign the network runs (not a team's diagnostic): answered with personal invitations
    only, open at once. Who is invited, and what it is for, is the caller's (a cohort's workshop)."""
    if closes_on < timezone.localdate():
        raise ActionRefused("La date de clôture est passée.")
    campaign = Campaign.objects.create(
        network=network,
        questionnaire_version=questionnaire_version,
        title=title,
        access=Campaign.Access.INVITATIONS,
        state=Campaign.State.OPEN,
        closes_on=closes_on,
        opened_on=timezone.localdate(),
        opened_at=timezone.now(),
        created_by=by,
    )
    record_event(
        by=by,
        verb="campaign.opened",
        target=title,
        description=f"{by} a ouvert le questionnaire « {title} ».",
        network=network,
    )
    return campaign


def set_groups(campaign, labels):
    if not campaign.is_draft:
        raise ActionRefused("Les collèges ne changent plus une fois le diagnostic ouvert.")
    campaign.groups.all().delete()
    RespondentGroup.objects.bulk_create(
        RespondentGroup(campaign=campaign, label=label, position=n) for n, label in enumerate(labels)
    )


@transaction.atomic
def start_follow_up(campaign, *, by, closes_on):
    """A new campaign of the same questionnaire, six months on: same title stem, mode and groups.

    Invitees cannot be copied: their addresses were erased when the first campaign closed, as
    anonymity requires. The team invites again from the new campaign's page.
    """
    if not campaign.is_closed:
        raise ActionRefused("Le point de suivi se lance à partir d'un diagnostic clôturé.")
    questionnaire = campaign.questionnaire_version.questionnaire
    follow_up = create_campaign(
        campaign.organisation,
        by=by,
        groups=[group.label for group in campaign.groups.all()],
        questionnaire_version=questionnaire.latest_version(),
        title=f"{campaign.title} — point de suivi",
        mode=campaign.mode,
        collective_method=campaign.collective_method,
        closes_on=closes_on,
        follows=campaign,
    )
    return follow_up


@transaction.atomic
def update_campaign(campaign, *, by, groups, **fields):
    if not campaign.is_draft:
        raise ActionRefused(
            "Un diagnostic ouvert ne se modifie plus ; sa date de clôture peut être repoussée."
        )
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save()
    set_groups(campaign, groups)
    record_event(
        by=by,
        verb="campaign.updated",
        target=campaign.title,
        description=f"{by} a modifié le diagnostic « {campaign.title} » en préparation.",
        organisation=campaign.organisation,
        network=campaign.network,
    )
    return campaign


@transaction.atomic
def open_campaign(campaign, *, by, expected_respondents):
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_draft:
        raise ActionRefused("Ce diagnostic n'est plus en préparation.")
    if campaign.closes_on < timezone.localdate():
        raise ActionRefused("La date de clôture est passée : choisissez une date à venir avant d'ouvrir.")
    campaign.state = Campaign.State.OPEN
    campaign.opened_on = timezone.localdate()
    campaign.opened_at = timezone.now()
    campaign.expected_respondents = expected_respondents
    campaign.save(update_fields=["state", "opened_on", "opened_at", "expected_respondents"])
    record_event(
        by=by,
        verb="campaign.opened",
        target=campaign.title,
        description=f"{by} a ouvert le diagnostic « {campaign.title} » aux réponses.",
        organisation=campaign.organisation,
        network=campaign.network,
    )
    return campaign


@transaction.atomic
def postpone_campaign(campaign, *, by, closes_on):
    if not campaign.is_open:
        raise ActionRefused("Seul un diagnostic ouvert peut être prolongé.")
    if closes_on <= campaign.closes_on:
        raise ActionRefused("La nouvelle date doit être après la date de clôture actuelle.")
    campaign.closes_on = closes_on
    campaign.save(update_fields=["closes_on"])
    record_event(
        by=by,
        verb="campaign.postponed",
        target=campaign.title,
        description=f"{by} a repoussé la clôture de « {campaign.title} » au {closes_on:%d/%m/%Y}.",
        organisation=campaign.organisation,
        network=campaign.network,
    )


def close_campaign(campaign, *, by=None):
    """Close for good, exactly once, whatever triggers it: the explicit close (`by` a pilot),
    the scheduler, or the first read after the closing date (`by=None`).

    In one transaction: no more answers; drafts deleted; invitations reduced to their counts;
    the anonymous rows rewritten in a random order and dated the closing day (rewrite_anonymous
    _rows); the « diagnostic clôturé » notice queued to the pilots. Returns True when this call
    closed the campaign, False when it was closed already (or is not open).
    """
    with transaction.atomic():
        locked = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=campaign.pk)
        )
        if locked.state == Campaign.State.CLOSED:
            _refresh(campaign, locked)
            return False
        if locked.state == Campaign.State.DRAFT:
            raise ActionRefused("Ce diagnostic n'a pas encore été ouvert.")
        if by is None and not locked.is_closed:
            return False  # the scheduler only closes campaigns past their date
        today = timezone.localdate()
        locked.state = Campaign.State.CLOSED
        if by is None:
            locked.closed_on = locked.closes_on
        else:
            locked.closed_on = min(today, max(locked.closes_on, locked.opened_on or date.min))
        locked.invitations_sent = locked.invitations.count()
        locked.invitations_answered = locked.invitations.answered().count()
        locked.closing_figures = closing_figures(locked)
        locked.save(
            update_fields=[
                "state",
                "closed_on",
                "invitations_sent",
                "invitations_answered",
                "closing_figures",
            ]
        )
        forget_after_close(locked)
        # Apps above store what they compute once from the closed rows (results: StoredResults).
        notify("campaign_closed", campaign=locked)
        count = locked.responses.count()
        if by is None:
            description = (
                f"Le diagnostic « {locked.title} » s'est clôturé à la date prévue ({count} réponses)."
            )
        else:
            description = f"{by} a clôturé le diagnostic « {locked.title} » ({count} réponses)."
        record_event(
            by=by,
            verb="campaign.closed",
            target=locked.title,
            description=description,
            organisation=locked.organisation,
            network=locked.network,
        )
        transaction.on_commit(partial(notify_pilots, locked.pk, "campaigns/email/closed"))
    _refresh(campaign, locked)
    return True


def _refresh(campaign, fresh):
    """Copy the closing fields onto the caller's instance, and drop its cached counts."""
    for name in (*CLOSING_FIELDS, "closing_figures"):
        setattr(campaign, name, getattr(fresh, name))
    for cached in (
        "response_count",
        "countable_response_count",
        "channel_counts",
        "invitation_count",
        "answered_invitation_count",
    ):
        campaign.__dict__.pop(cached, None)


def is_due(campaign):
    """Open, and past its closing date: reads as closed, not yet closed in the database."""
    return campaign.state == Campaign.State.OPEN and campaign.is_closed


def settle_if_due(campaign):
    """Close a campaign whose date has passed, through the one close action.

    Reading a campaign already treats it as closed after its date; this makes it true in the
    database (the documented exception to « a GET never writes »), through the shared
    mechanism of lib/settling.py, which votes use too. Called on read (`access.get_campaign`,
    the answer pages) and by the scheduler, so nothing depends on either. Returns True when it
    closed the campaign.
    """
    return settling.settle_if_due(campaign, is_due=is_due, close=partial(close_campaign, by=None))


def notify_pilots(campaign_id, template):
    """Email the leads and staff representatives of a campaign's organisation."""
    campaign = Campaign.objects.select_related("organisation").get(pk=campaign_id)
    if campaign.organisation is None:
        return  # a network's campaign: its facilitators follow it on their own pages
    pilots = campaign.organisation.pilots().select_related("user")
    for membership in pilots:
        send_templated_mail(membership.user.email, template, {"campaign": campaign, "user": membership.user})


def closing_figures(campaign):
    """What the results need once the rows forget their channel, their batch, and the groups
    that may not be shown: the channel counts, the countable responses, the groups shown (with
    their countable size) and whether others were hidden, how many invitations went outside."""
    countable = dict.fromkeys([group.pk for group in campaign.groups.all()], 0)
    total = 0
    for group_id, n in (
        campaign.responses.countable().values_list("group_id").annotate(n=Count("*")).order_by()
    ):
        total += n
        if group_id is not None:
            countable[group_id] = n
    shown = shown_groups(countable, total, campaign.threshold)
    invitations = list(campaign.invitations.all())
    return {
        "channels": campaign.live_channel_counts(),
        "responses": campaign.responses.count(),
        "countable": total,
        "groups": {str(group_id): countable[group_id] for group_id in shown},
        "hidden_groups": any(n and group_id not in shown for group_id, n in countable.items()),
        "invitations_outside": campaign.invitation_flags(invitations)["outside"],
    }


def forget_after_close(campaign):
    """What must not outlive the answering period: drafts, invitations (addresses, tokens, who
    started), the order and days in which anonymous rows arrived, their channel and paper
    batch, and the group of responses in a group that may not be shown (a dump would otherwise
    hold one row per person of a small group)."""
    figures = campaign.closing_figures or closing_figures(campaign)
    for batch in campaign.paper_batches.annotate(live_sheets=Count("responses")):
        batch.sheets = batch.live_sheets
        batch.save(update_fields=["sheets"])
    shown = [int(group_id) for group_id in figures["groups"]]
    campaign.responses.exclude(group__in=shown).update(group=None)
    campaign.drafts.all().delete()
    campaign.invitations.all().delete()
    rewrite_anonymous_rows(campaign)


def rewrite_anonymous_rows(campaign):
    """Rewrite the campaign's responses, answers and open answers in a random order, with new
    random keys, all dated the closing day.

    Rows written one after another keep their arrival order in the table's storage (SQLite's
    rowid, PostgreSQL's heap, and so any dump), and a response is written in the same
    transaction as its open answers. Once answering is over nothing needs that order: deleting
    and rewriting the rows in one transaction removes it, and gives every row the same
    transaction id (see reperes.lib.storage, which votes and feedback use at every write).
    """
    responses = list(campaign.responses.values_list("id", "group_id"))
    answers = {}
    for response_id, item_id, value in Answer.objects.filter(response__campaign=campaign).values_list(
        "response_id", "item_id", "value"
    ):
        answers.setdefault(response_id, []).append((item_id, value))
    campaign.responses.all().delete()
    day = campaign.closed_on or timezone.localdate()
    new = []
    rows = []
    for old_id, group_id in storage.shuffled(responses):
        response = Response(
            id=storage.new_key(),
            campaign_id=campaign.pk,
            group_id=group_id,
            source=Response.Source.WITHHELD,
            paper_batch_id=None,
            submitted_on=day,
            submission_key=new_token(),
        )
        new.append(response)
        rows.extend(Answer(response=response, item_id=i, value=v) for i, v in answers.get(old_id, []))
    Response.objects.bulk_create(new, batch_size=500)
    Answer.objects.bulk_create(storage.shuffled(rows), batch_size=2000)
    storage.rewrite(
        campaign.free_texts.all(), list(campaign.free_texts.values("campaign_id", "item_id", "text"))
    )


def _store_free_texts(campaign, texts):
    """The non-empty open answers of one respondent, with nothing that links them to the
    response written in the same transaction."""
    spec = campaign.spec
    rows = []
    for item in spec.text_items:
        text = (texts.get(item["id"]) or "").strip()
        if text:
            text = text[: item["max_length"]]
            rows.append(
                FreeTextAnswer(id=storage.new_key(), campaign=campaign, item_id=item["id"], text=text)
            )
    rows = storage.shuffled(rows)
    FreeTextAnswer.objects.bulk_create(rows)


def share_results(campaign, *, by):
    campaign.results_token = new_token()
    campaign.save(update_fields=["results_token"])
    record_event(
        by=by,
        verb="campaign.results_shared",
        target=campaign.title,
        description=f"{by} a créé un lien vers les résultats de « {campaign.title} ».",
        organisation=campaign.organisation,
        network=campaign.network,
    )


def revoke_results_link(campaign, *, by):
    campaign.results_token = None
    campaign.save(update_fields=["results_token"])
    record_event(
        by=by,
        verb="campaign.results_link_revoked",
        target=campaign.title,
        description=f"{by} a désactivé le lien vers les résultats de « {campaign.title} ».",
        organisation=campaign.organisation,
        network=campaign.network,
    )


# Invitations


def invitation_link(token):
    return settings.SITE_URL + reverse("answer:invitation", args=[token])


def _send_link(invitation, *, reminder):
    """Give `invitation` a fresh single-use token (stored hashed) and email its link."""
    token = secrets.token_urlsafe(24)
    invitation.token_hash = hash_token(token)
    invitation.save()
    send_templated_mail(
        invitation.email,
        "campaigns/email/invitation",
        {"campaign": invitation.campaign, "url": invitation_link(token), "reminder": reminder},
    )


def _reserve(count, campaign, by):
    """Count the emails against the organisation's and the sender's daily quotas, or refuse."""
    try:
        reserve_mails(count=count, organisation=campaign.organisation, user=by)
    except MailQuotaExceeded as exceeded:
        raise ActionRefused(exceeded.message) from exceeded


def _plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


@transaction.atomic
def invite_respondents(campaign, *, emails, by):
    """Send single-use links. Returns the number of new invitations (known addresses are skipped)."""
    if not campaign.is_open:
        raise ActionRefused("Les invitations partent quand le diagnostic est ouvert.")
    known = set(campaign.invitations.values_list("email", flat=True))
    new = [email for email in dict.fromkeys(emails) if email not in known]
    _reserve(len(new), campaign, by)
    for email in new:
        _send_link(
            CampaignInvitation(campaign=campaign, email=email, sent_on=timezone.localdate()), reminder=False
        )
    if new:
        record_event(
            by=by,
            verb="campaign.invitations_sent",
            target=campaign.title,
            description=f"{by} a invité {_plural(len(new), 'personne')} à répondre à « {campaign.title} ».",
            organisation=campaign.organisation,
            network=campaign.network,
        )
    return len(new)


@transaction.atomic
def remind_respondents(campaign, *, by):
    """Send a new link to invitees who have not answered. Old links stop working; a draft in
    progress stays in its browser."""
    if not campaign.is_open:
        raise ActionRefused("On ne relance que pendant que le diagnostic est ouvert.")
    last = campaign.invitations.aggregate(last=Max("reminded_on"))["last"]
    if last is not None and (timezone.localdate() - last).days < REMINDER_INTERVAL_DAYS:
        raise ActionRefused(
            f"Une relance est déjà partie le {last:%d/%m/%Y} : attendez {REMINDER_INTERVAL_DAYS} jours "
            "entre deux relances, pour ne pas lasser l'équipe."
        )
    pending = list(campaign.invitations.pending().select_for_update(of=("self",)))
    _reserve(len(pending), campaign, by)
    count = 0
    for invitation in pending:
        invitation.reminded_on = timezone.localdate()
        _send_link(invitation, reminder=True)
        count += 1
    if count:
        record_event(
            by=by,
            verb="campaign.reminded",
            target=campaign.title,
            description=f"{by} a relancé {_plural(count, 'personne')} pour « {campaign.title} ».",
            organisation=campaign.organisation,
            network=campaign.network,
        )
    return count


# Answering


def start_draft(campaign):
    """A new draft for the share link; returns (draft, token). The token goes in a cookie and
    the resume link; only its hash is stored."""
    if campaign.is_invitations_only:
        raise ActionRefused("Ce diagnostic se remplit sur invitation personnelle seulement.")
    token = new_token()
    draft = Draft.objects.create(
        token_hash=hash_token(token), campaign=campaign, updated_on=timezone.localdate()
    )
    return draft, token


class InvitationAnswered(Exception):
    """The invitation gave its response already."""


def start_invitation_draft(invitation):
    """The one draft of an invitation; returns (draft, token). Starting again deletes the draft
    begun earlier (in another browser, a shared mailbox…), unseen: its answers are never shown.

    The invitation row is locked, so two browsers starting at once give one draft. Refused once
    the invitation was answered (used, and its draft gone into a response).
    """
    with transaction.atomic():
        invitation = CampaignInvitation.objects.select_for_update().get(pk=invitation.pk)
        deleted, _ = Draft.objects.filter(invitation=invitation).delete()
        if invitation.used and not deleted:
            raise InvitationAnswered
        if not invitation.used:
            invitation.used = True
            invitation.save(update_fields=["used"])
        token = new_token()
        draft = Draft.objects.create(
            token_hash=hash_token(token),
            campaign_id=invitation.campaign_id,
            invitation=invitation,
            updated_on=timezone.localdate(),
        )
    return draft, token


def find_draft(campaign, token):
    if not token:
        return None
    return campaign.drafts.filter(token_hash=hash_token(token)).first()


def rotate_draft_token(campaign, token):
    """Move a draft to a new token and kill the old one; returns the new token, or None when
    the old one leads nowhere. A resume link thus works once: whoever sent it is left with a
    dead cookie, and cannot watch or change what the person who opened it answers."""
    new = new_token()
    updated = Draft.objects.filter(campaign=campaign, token_hash=hash_token(token or "")).update(
        token_hash=hash_token(new), updated_on=timezone.localdate()
    )
    return new if updated else None


def choose_group(draft, group):
    draft.group = group
    draft.group_chosen = True
    draft.updated_on = timezone.localdate()
    draft.save(update_fields=["group", "group_chosen", "updated_on"])


def save_answers(draft, answers):
    """Merge `answers` ({item_id: value}, already validated) into the draft: choices for the
    statements, texts for the open questions."""
    draft.answers = {**draft.answers, **answers}
    draft.updated_on = timezone.localdate()
    draft.save(update_fields=["answers", "updated_on"])


class AlreadySubmitted(Exception):
    """The draft was submitted already (double click, retried request)."""


class CampaignClosedBeforeSubmit(Exception):
    """The campaign closed before the answers arrived: nothing was stored."""


class DraftReplaced(Exception):
    """The draft is gone without a response: its invitation was started again elsewhere."""


def submit(draft):
    """Turn a complete draft into an anonymous response, once.

    The draft is deleted first, in the same transaction, and the response carries the draft's
    random submission key (unique): a second submission of the same draft (double click,
    retried request, concurrent requests) deletes nothing, or hits the unique key, and stores
    nothing more. The invitation, if any, is not touched: whether it was answered is derived
    from its draft being gone, so no write pairs the invitation with this response.
    """
    campaign = draft.campaign
    spec = campaign.spec
    missing = [item_id for item_id in spec.item_ids if draft.answers.get(item_id) not in spec.values]
    if missing:
        raise ActionRefused("Il manque des réponses.")
    try:
        with transaction.atomic():
            # Deleting the draft first takes its row lock: a concurrent submission of the same
            # draft (or the close, which deletes drafts) waits, then deletes nothing.
            deleted, _ = Draft.objects.filter(pk=draft.pk).delete()
            if not deleted:
                raise _why_gone(draft)
            if not Campaign.objects.filter(
                pk=campaign.pk, state=Campaign.State.OPEN, closes_on__gte=timezone.localdate()
            ).exists():
                raise CampaignClosedBeforeSubmit
            response = Response.objects.create(
                id=storage.new_key(),
                campaign_id=draft.campaign_id,
                group_id=draft.group_id,
                submitted_on=timezone.localdate(),
                source=Response.Source.INVITATION if draft.invitation_id else Response.Source.LINK,
                submission_key=draft.submission_key,
            )
            Answer.objects.bulk_create(
                Answer(response=response, item_id=item_id, value=draft.answers[item_id])
                for item_id in spec.item_ids
            )
            _store_free_texts(campaign, draft.answers)
    except IntegrityError as error:
        raise AlreadySubmitted from error
    return response


def _why_gone(draft):
    """The exception that says why a draft was not there to submit."""
    if Response.objects.filter(submission_key=draft.submission_key).exists():
        return AlreadySubmitted()
    campaign = Campaign.objects.get(pk=draft.campaign_id)
    if not campaign.is_open:
        return CampaignClosedBeforeSubmit()
    return DraftReplaced()


# Paper


class SheetAlreadyRecorded(Exception):
    """This sheet's form was posted already (double click, back and resend)."""


def current_paper_batch(campaign, user):
    """The batch `user` is typing into: their last one not yet attested, or None."""
    return campaign.paper_batches.filter(entered_by=user, attested_on__isnull=True).last()


def record_paper_response(campaign, *, by, group, answers, texts=None, sheet_key):
    """One paper answer sheet typed in: an anonymous response marked « papier », in the typist's
    current batch, and its open answers (`texts`), stored apart. It counts towards thresholds
    once a second person attests the batch. `sheet_key` comes with the form, so a sheet posted
    twice is stored once. The event says that a sheet was typed, never what it said."""
    spec = campaign.spec
    if any(answers.get(item_id) not in spec.values for item_id in spec.item_ids):
        raise ActionRefused("Il manque des réponses.")
    try:
        with transaction.atomic():
            # The campaign row first, as the close takes it: no sheet lands after a close.
            campaign = (
                Campaign.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=campaign.pk)
            )
            if campaign.is_collective or not campaign.is_open:
                raise ActionRefused("Les feuilles papier se saisissent dans un diagnostic individuel ouvert.")
            batch = (
                campaign.paper_batches.select_for_update()
                .filter(entered_by=by, attested_on__isnull=True)
                .last()
            ) or PaperBatch.objects.create(
                campaign=campaign, entered_by=by, entered_by_name=str(by), entered_by_email=by.email
            )
            response = Response.objects.create(
                id=storage.new_key(),
                campaign=campaign,
                group=group,
                submitted_on=timezone.localdate(),
                source=Response.Source.PAPER,
                paper_batch=batch,
                submission_key=f"papier-{sheet_key}",
            )
            Answer.objects.bulk_create(
                Answer(response=response, item_id=item_id, value=answers[item_id])
                for item_id in spec.item_ids
            )
            _store_free_texts(campaign, texts or {})
            record_event(
                by=by,
                verb="campaign.paper_entered",
                target=campaign.title,
                description=f"{by} a saisi une feuille de réponse papier pour « {campaign.title} ».",
                organisation=campaign.organisation,
                network=campaign.network,
            )
    except IntegrityError as error:
        raise SheetAlreadyRecorded from error
    return response


def may_attest(batch, user):
    """None if `user` may attest `batch`, else why not (French).

    Not the typist; and a member since before the campaign opened, so that nobody can create a
    second account (invited to an address they hold) to attest their own sheets. Two people who
    agree can still pad: the results name them both, with their addresses."""
    if batch.entered_by_id == user.pk:
        return (
            "Une autre personne que celle qui a saisi les feuilles doit attester le lot : c'est ce qui "
            "empêche quiconque d'atteindre seul le seuil d'anonymat avec des réponses qu'il connaît."
        )
    campaign = batch.campaign
    opened = campaign.opened_at or datetime.combine(
        campaign.opened_on or date.max, time.min, tzinfo=timezone.get_current_timezone()
    )
    membership = campaign.organisation.memberships.filter(user=user).first()
    if membership is None or membership.created_at >= opened:
        return (
            "Seule une personne déjà membre de la structure dans Repères avant l'ouverture du diagnostic "
            "peut attester un lot : un compte créé depuis pourrait appartenir à la personne qui a saisi."
        )
    return None


def attest_paper_batch(batch, *, by, sheets):
    """A second member confirms that they collected the batch's `sheets` sheets with the person
    who typed them. From then on the sheets count towards thresholds, and no sheet can join the
    batch. `sheets` is the count the attester was shown: a batch that grew since is refused."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=batch.campaign_id)
        )
        if not campaign.is_open:
            raise ActionRefused(
                "Les lots s'attestent avant la clôture, pour que les résultats ne changent plus ensuite."
            )
        batch = PaperBatch.objects.select_for_update().get(pk=batch.pk)
        batch.campaign = campaign
        if batch.is_attested:
            raise ActionRefused("Ce lot est déjà attesté.")
        if refusal := may_attest(batch, by):
            raise ActionRefused(refusal)
        count = batch.responses.count()
        if not count:
            raise ActionRefused("Ce lot ne contient encore aucune feuille.")
        if count != sheets:
            raise ActionRefused(
                f"Le lot compte maintenant {_plural(count, 'feuille')}, pas {sheets} : des feuilles ont été "
                "saisies depuis que vous avez ouvert la page. Vérifiez le nombre avant d'attester."
            )
        batch.attested_by = by
        batch.attested_by_name = str(by)
        batch.attested_by_email = by.email
        batch.attested_on = timezone.localdate()
        batch.save(update_fields=["attested_by", "attested_by_name", "attested_by_email", "attested_on"])
        record_event(
            by=by,
            verb="campaign.paper_attested",
            target=campaign.title,
            description=(
                f"{by} a attesté avoir recueilli avec {batch.entered_by_name} les "
                f"{_plural(count, 'feuille')} papier de « {campaign.title} »."
            ),
            organisation=campaign.organisation,
            network=campaign.network,
        )
    return batch


# Collective mode


@transaction.atomic
def record_collective_answers(campaign, *, by, entries):
    """entries: {item_id: {"counts": {value: n}, "consensus": value, "note": text}}. In meeting
    mode answers are the group's, not anyone's: the event says who typed them, not what."""
    if not campaign.is_collective or campaign.is_closed:
        raise ActionRefused("Ce diagnostic ne se remplit pas en réunion, ou il est clôturé.")
    for item_id, entry in entries.items():
        CollectiveAnswer.objects.update_or_create(
            campaign=campaign,
            item_id=item_id,
            defaults={
                "counts": entry.get("counts", {}),
                "consensus": entry.get("consensus", ""),
                "note": entry.get("note", ""),
            },
        )
    record_event(
        by=by,
        verb="campaign.collective_answers",
        target=campaign.title,
        description=f"{by} a noté les réponses de la réunion ({_plural(len(entries), 'affirmation')}) "
        f"dans « {campaign.title} ».",
        organisation=campaign.organisation,
        network=campaign.network,
    )


def _synthesis_open(campaign):
    if not campaign.is_collective or not campaign.is_open:
        raise ActionRefused("La synthèse se remplit pendant la réunion, quand le diagnostic est ouvert.")


@transaction.atomic
def add_synthesis_entry(campaign, *, by, item_id, text):
    """One line under an open question, typed during the meeting."""
    _synthesis_open(campaign)
    item = campaign.spec.text_item(item_id)
    text = " ".join(text.split())
    if item is None or not text:
        raise ActionRefused("Écrivez une ligne sous l'une des questions de la synthèse.")
    entry = SynthesisEntry.objects.create(campaign=campaign, item_id=item_id, text=text[:500])
    record_event(
        by=by,
        verb="campaign.synthesis_added",
        target=campaign.title,
        description=f"{by} a ajouté une ligne à la synthèse de « {campaign.title} ».",
        organisation=campaign.organisation,
        network=campaign.network,
    )
    return entry


@transaction.atomic
def remove_synthesis_entry(campaign, *, by, entry_id):
    _synthesis_open(campaign)
    deleted, _ = campaign.synthesis_entries.filter(pk=entry_id).delete()
    if not deleted:
        raise ActionRefused("Cette ligne n'existe plus.")
    record_event(
        by=by,
        verb="campaign.synthesis_removed",
        target=campaign.title,
        description=f"{by} a retiré une ligne de la synthèse de « {campaign.title} ».",
        organisation=campaign.organisation,
        network=campaign.network,
    )

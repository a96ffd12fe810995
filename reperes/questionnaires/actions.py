"""State changes of campaigns and anonymous answering.

Anonymity rules enforced here: a response is written with its answers, its group and the day,
nothing else; the draft that carried the answers is deleted in the same transaction; an
invitation records only that its holder answered.
"""

import random
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reperes.lib.mail import send_templated_mail
from reperes.organisations.actions import ActionRefused, record_event
from reperes.questionnaires.models import (
    Answer,
    Campaign,
    CampaignInvitation,
    CollectiveAnswer,
    Draft,
    FreeTextAnswer,
    RespondentGroup,
    Response,
    SynthesisEntry,
    hash_token,
    new_token,
)

DEFAULT_GROUPS = ["Direction", "Salarié·es", "Bénévoles", "Administrateurs·rices"]


# Campaign life cycle


@transaction.atomic
def create_campaign(organisation, *, by, groups, **fields):
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
    campaign.expected_respondents = expected_respondents
    campaign.save(update_fields=["state", "opened_on", "expected_respondents"])
    record_event(
        by=by,
        verb="campaign.opened",
        target=campaign.title,
        description=f"{by} a ouvert le diagnostic « {campaign.title} » aux réponses.",
        organisation=campaign.organisation,
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
    )


@transaction.atomic
def close_campaign(campaign, *, by):
    """Close for good: no more answers, drafts deleted, invitees' addresses forgotten."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state == Campaign.State.CLOSED:
        return campaign
    if campaign.state == Campaign.State.DRAFT:
        raise ActionRefused("Ce diagnostic n'a pas encore été ouvert.")
    campaign.state = Campaign.State.CLOSED
    campaign.closed_on = min(timezone.localdate(), max(campaign.closes_on, campaign.opened_on or date.min))
    campaign.save(update_fields=["state", "closed_on"])
    forget_after_close(campaign)
    record_event(
        by=by,
        verb="campaign.closed",
        target=campaign.title,
        description=(
            f"{by} a clôturé le diagnostic « {campaign.title} » ({campaign.response_count} réponses)."
        ),
        organisation=campaign.organisation,
    )
    return campaign


def settle_if_due(campaign):
    """Record the closing of a campaign whose date has passed, and forget what must go.

    Reading a campaign already treats it as closed after its date; this makes it true in the
    database too (state, drafts, invitees' addresses). Called lazily on read and by the cron
    command, so nothing depends on the scheduler. Returns True when it closed the campaign.
    """
    if campaign.state != Campaign.State.OPEN or not campaign.is_closed:
        return False
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.OPEN).update(
            state=Campaign.State.CLOSED, closed_on=campaign.closes_on
        )
        if not updated:
            return False
        campaign.state, campaign.closed_on = Campaign.State.CLOSED, campaign.closes_on
        forget_after_close(campaign)
        record_event(
            by=None,
            verb="campaign.closed",
            target=campaign.title,
            description=f"Le diagnostic « {campaign.title} » s'est clôturé à la date prévue.",
            organisation=campaign.organisation,
        )
    return True


def forget_after_close(campaign):
    """What must not outlive the answering period: drafts, emails and token hashes, and the
    order in which open answers arrived."""
    campaign.drafts.all().delete()
    campaign.invitations.update(email="", token_hash=None)
    shuffle_free_texts(campaign)


def shuffle_free_texts(campaign):
    """Rewrite the campaign's open answers in a random order, with new random keys.

    Rows written one after another keep their arrival order in the table's storage (SQLite's
    rowid, PostgreSQL's heap), and a response is written just before its open answers. Once
    answering is over, nothing needs that order: rewriting the rows shuffled removes it.
    """
    rows = list(campaign.free_texts.values_list("item_id", "text"))
    if not rows:
        return
    random.SystemRandom().shuffle(rows)
    campaign.free_texts.all().delete()
    FreeTextAnswer.objects.bulk_create(
        FreeTextAnswer(id=uuid.uuid4(), campaign=campaign, item_id=item_id, text=text)
        for item_id, text in rows
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
            rows.append(FreeTextAnswer(campaign=campaign, item_id=item["id"], text=text))
    random.SystemRandom().shuffle(rows)
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
        "questionnaires/email/invitation",
        {"campaign": invitation.campaign, "url": invitation_link(token), "reminder": reminder},
    )


def _plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


@transaction.atomic
def invite_respondents(campaign, *, emails, by):
    """Send single-use links. Returns the number of new invitations (known addresses are skipped)."""
    if not campaign.is_open:
        raise ActionRefused("Les invitations partent quand le diagnostic est ouvert.")
    known = set(campaign.invitations.values_list("email", flat=True))
    new = [email for email in dict.fromkeys(emails) if email not in known]
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
        )
    return len(new)


@transaction.atomic
def remind_respondents(campaign, *, by):
    """Send a new link to invitees who have not answered. Old links stop working."""
    if not campaign.is_open:
        raise ActionRefused("On ne relance que pendant que le diagnostic est ouvert.")
    pending = campaign.invitations.filter(answered_on__isnull=True, token_hash__isnull=False)
    count = 0
    for invitation in pending.select_for_update():
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
        )
    return count


# Answering


def start_draft(campaign, *, invitation=None):
    """A new draft; returns (draft, token). The token goes in a cookie and the resume link."""
    token = new_token()
    draft = Draft.objects.create(
        token_hash=hash_token(token),
        campaign=campaign,
        invitation=invitation,
        updated_on=timezone.localdate(),
    )
    return draft, token


def find_draft(campaign, token):
    if not token:
        return None
    return campaign.drafts.filter(token_hash=hash_token(token)).first()


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


def submit(draft):
    """Turn a complete draft into an anonymous response, once.

    The draft is deleted first, in the same transaction, and the response carries the draft's
    random submission key (unique): a second submission of the same draft (double click,
    retried request, concurrent requests) deletes nothing, or hits the unique key, and stores
    nothing more.
    """
    campaign = draft.campaign
    spec = campaign.spec
    missing = [item_id for item_id in spec.item_ids if draft.answers.get(item_id) not in spec.values]
    if missing:
        raise ActionRefused("Il manque des réponses.")
    try:
        with transaction.atomic():
            # Deleting the draft first takes its row lock: a concurrent submission of the same
            # draft waits, then deletes nothing and stops here. One DELETE, no SELECT.
            deleted, _ = Draft.objects.filter(pk=draft.pk).delete()
            if not deleted:
                raise AlreadySubmitted
            response = Response.objects.create(
                campaign_id=draft.campaign_id,
                group_id=draft.group_id,
                submitted_on=timezone.localdate(),
                source=Response.Source.WEB,
                submission_key=draft.submission_key,
            )
            Answer.objects.bulk_create(
                Answer(response=response, item_id=item_id, value=draft.answers[item_id])
                for item_id in spec.item_ids
            )
            _store_free_texts(campaign, draft.answers)
            if draft.invitation_id:
                CampaignInvitation.objects.filter(pk=draft.invitation_id).update(
                    answered_on=timezone.localdate(), token_hash=None
                )
    except IntegrityError as error:
        raise AlreadySubmitted from error
    return response


# Paper


@transaction.atomic
def record_paper_response(campaign, *, by, group, answers, texts=None):
    """One paper answer sheet typed in: an anonymous response marked « papier » that counts
    towards k like any other, and its open answers (`texts`), stored apart. The event says that
    a sheet was typed, never what it said."""
    if campaign.is_collective or not campaign.is_open:
        raise ActionRefused("Les feuilles papier se saisissent dans un diagnostic individuel ouvert.")
    spec = campaign.spec
    if any(answers.get(item_id) not in spec.values for item_id in spec.item_ids):
        raise ActionRefused("Il manque des réponses.")
    response = Response.objects.create(
        campaign=campaign,
        group=group,
        submitted_on=timezone.localdate(),
        source=Response.Source.PAPER,
        submission_key=new_token(),
    )
    Answer.objects.bulk_create(
        Answer(response=response, item_id=item_id, value=answers[item_id]) for item_id in spec.item_ids
    )
    _store_free_texts(campaign, texts or {})
    record_event(
        by=by,
        verb="campaign.paper_entered",
        target=campaign.title,
        description=f"{by} a saisi une feuille de réponse papier pour « {campaign.title} ».",
        organisation=campaign.organisation,
    )
    return response


# Collective mode


@transaction.atomic
def record_collective_answers(campaign, *, by, entries):
    """entries: {item_id: {"counts": {value: n}, "consensus": value, "note": text}}."""
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
    return SynthesisEntry.objects.create(campaign=campaign, item_id=item_id, text=text[:500])


@transaction.atomic
def remove_synthesis_entry(campaign, *, by, entry_id):
    _synthesis_open(campaign)
    deleted, _ = campaign.synthesis_entries.filter(pk=entry_id).delete()
    if not deleted:
        raise ActionRefused("Cette ligne n'existe plus.")

"""The campaigns' periodic jobs, run by `manage.py run_scheduled` (declared in apps.py)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from reperes.campaigns.actions import notify_pilots, settle_if_due
from reperes.campaigns.models import Campaign, CampaignInvitation, Draft
from reperes.lib.schedule import last_finished

CLOSING_SOON = "campaigns.closing_soon"
NOTICE_DAYS = 2


def close_due():
    """Close, through the one close action, every open campaign past its closing date. They
    already read as closed, and the first read closes them too; this makes the close (drafts
    and invitations forgotten, anonymous rows rewritten, the « diagnostic clôturé » notice)
    happen even when nobody reads them. Safe to run twice: a closed campaign is not due."""
    due = Campaign.objects.filter(state=Campaign.State.OPEN, closes_on__lt=timezone.localdate())
    closed = sum(settle_if_due(campaign) for campaign in due.select_related("organisation"))
    return f"Diagnostics clôturés : {closed}."


def closing_soon(today=None):
    """Tell the pilots of each open campaign (not a meeting) that closes in two days.

    Once a day (the scheduler runs it once per day), and idempotent on its own: it notifies the
    campaigns whose closing date entered the two-day horizon since its last finished run. The
    day after a run, that is the campaigns closing in two days. After a missed day (scheduler
    stopped, run interrupted), it is also those closing tomorrow, whose notice comes a day late
    rather than never; never those closing today or earlier. Run twice on a day, the second
    run finds nothing new. Postponing a campaign past the horizon gives it a notice again for
    its new date. The mails leave when every one of them is queued (one transaction), so that a
    failure halfway sends none and the next run sends them all once.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=NOTICE_DAYS)
    last = last_finished(CLOSING_SOON)
    if last is None:
        first = horizon  # first run ever: only those entering the horizon today
    else:
        first = max(timezone.localdate(last) + timedelta(days=NOTICE_DAYS + 1), today + timedelta(days=1))
    soon = Campaign.objects.filter(state=Campaign.State.OPEN, closes_on__range=(first, horizon)).exclude(
        mode=Campaign.Mode.COLLECTIVE
    )
    notified = 0
    with transaction.atomic():
        for campaign_id in soon.values_list("pk", flat=True):
            notify_pilots(campaign_id, "campaigns/email/closing_soon")
            notified += 1
    return f"Clôtures annoncées : {notified}."


def purge():
    """Make sure no draft and no invitation outlives its campaign's answering period (privacy
    page: « à la clôture »). Closing erases them; this catches what closing has not: a campaign
    past its date that nobody read and the five-minute job has not closed yet (it is closed now,
    through the one close action), and campaigns closed before closing erased them. Their
    invitation counts are kept on the campaign first, as closing keeps them. Safe to run twice:
    the second run finds nothing."""
    due = Campaign.objects.filter(state=Campaign.State.OPEN, closes_on__lt=timezone.localdate())
    closed = sum(settle_if_due(campaign) for campaign in due.select_related("organisation"))
    with transaction.atomic():
        left = CampaignInvitation.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
        counted = left.annotate(n=Count("pk")).values("n")
        answered = left.filter(used=True, draft__isnull=True).annotate(n=Count("pk")).values("n")
        Campaign.objects.filter(
            Exists(left), state=Campaign.State.CLOSED, invitations_sent__isnull=True
        ).update(
            invitations_sent=Coalesce(Subquery(counted), 0),
            invitations_answered=Coalesce(Subquery(answered), 0),
        )
        drafts, _ = Draft.objects.filter(campaign__state=Campaign.State.CLOSED).delete()
        _, per_model = CampaignInvitation.objects.filter(campaign__state=Campaign.State.CLOSED).delete()
        invitations = per_model.get(CampaignInvitation._meta.label, 0)
    return (
        f"Diagnostics clôturés à leur date : {closed} ; brouillons et invitations restés après la "
        f"clôture effacés : {drafts} et {invitations}."
    )

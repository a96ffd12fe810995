from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reperes.campaigns.actions import notify_pilots, settle_if_due
from reperes.campaigns.models import Campaign


class Command(BaseCommand):
    help = (
        "For cron, once a day. Closes, through the one close action, the campaigns whose date has "
        "passed (they already count as closed when read, and the first read closes them too): the "
        "close forgets drafts and invitations, rewrites the anonymous rows, and sends the pilots the "
        "« diagnostic clôturé » notice, exactly once whichever comes first. Also tells the pilots "
        "when a campaign closes in two days (once: that notice depends on the day it runs)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        closed = reminded = 0
        for campaign in Campaign.objects.filter(state=Campaign.State.OPEN).select_related("organisation"):
            if settle_if_due(campaign):
                closed += 1
            elif campaign.closes_on == today + timedelta(days=2) and not campaign.is_collective:
                reminded += 1
                notify_pilots(campaign.pk, "campaigns/email/closing_soon")
        self.stdout.write(f"Diagnostics clôturés : {closed} ; clôtures annoncées : {reminded}.")

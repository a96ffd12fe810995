from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reperes.lib.mail import send_templated_mail
from reperes.organisations.models import Role
from reperes.questionnaires.actions import settle_if_due
from reperes.questionnaires.models import Campaign


class Command(BaseCommand):
    help = (
        "For cron, once a day. Closes in the database the campaigns whose date has passed (they "
        "already count as closed when read), forgets their drafts and invitees' addresses, and "
        "emails the leads and staff representatives: results are ready, or a campaign closes in "
        "two days. Sends nothing twice: each notice depends on the day it runs."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        closed = reminded = 0
        for campaign in Campaign.objects.filter(state=Campaign.State.OPEN).select_related("organisation"):
            if settle_if_due(campaign):
                closed += 1
                self.notify(campaign, "questionnaires/email/closed")
            elif campaign.closes_on == today + timedelta(days=2) and not campaign.is_collective:
                reminded += 1
                self.notify(campaign, "questionnaires/email/closing_soon")
        self.stdout.write(f"Diagnostics clôturés : {closed} ; clôtures annoncées : {reminded}.")

    def notify(self, campaign, template):
        pilots = campaign.organisation.memberships.filter(
            role__in=[Role.LEAD, Role.STAFF_REP]
        ).select_related("user")
        for membership in pilots:
            send_templated_mail(
                membership.user.email, template, {"campaign": campaign, "user": membership.user}
            )

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reperes.action_plans.models import Action
from reperes.lib.mail import send_templated_mail


class Command(BaseCommand):
    help = (
        "For cron, once a week. Emails each owner the list of their open actions that are overdue "
        "or due within seven days. Owners without an account are not emailed."
    )

    def handle(self, *args, **options):
        horizon = timezone.localdate() + timedelta(days=7)
        due = (
            Action.objects.open()
            .filter(owner__isnull=False, due_on__lte=horizon)
            .select_related("owner", "organisation")
            .order_by("owner_id", "due_on")
        )
        by_owner = {}
        for action in due:
            by_owner.setdefault(action.owner, []).append(action)
        for owner, owned in by_owner.items():
            send_templated_mail(owner.email, "action_plans/email/digest", {"user": owner, "actions": owned})
        self.stdout.write(
            f"Récapitulatifs envoyés : {len(by_owner)} ({sum(map(len, by_owner.values()))} actions)."
        )

"""The action plans' periodic job, run by `manage.py run_scheduled` (declared in apps.py)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reperes.action_plans.models import Action
from reperes.lib.mail import send_templated_mail
from reperes.lib.schedule import last_finished

DIGEST = "action_plans.weekly_digest"
HORIZON_DAYS = 7


def weekly_digest():
    """Email each owner the list of their open actions that are overdue or due within seven
    days. Owners without an account are not emailed.

    Once a week: the scheduler runs it once per week, and the job itself sends nothing when its
    last finished run was in the same week (an operator's `--job` after the Monday run). The
    mails leave when every one of them is queued (one transaction), so that a failure halfway
    sends none and the next run sends them all once."""
    today = timezone.localdate()
    last = last_finished(DIGEST)
    if last is not None and timezone.localdate(last).isocalendar()[:2] == today.isocalendar()[:2]:
        return "Récapitulatifs déjà envoyés cette semaine."
    horizon = today + timedelta(days=HORIZON_DAYS)
    due = (
        Action.objects.open()
        .filter(owner__isnull=False, due_on__lte=horizon)
        .select_related("owner", "organisation")
        .order_by("owner_id", "due_on")
    )
    by_owner = {}
    for action in due:
        by_owner.setdefault(action.owner, []).append(action)
    with transaction.atomic():
        for owner, owned in by_owner.items():
            send_templated_mail(owner.email, "action_plans/email/digest", {"user": owner, "actions": owned})
    return f"Récapitulatifs envoyés : {len(by_owner)} ({sum(map(len, by_owner.values()))} actions)."


from django.db import transaction

from reperes.organisations.actions import record_event
from reperes.telework.models import (
    Activity,
    ActivityMember,
)


@transaction.atomic
def add_activity(organisation, *, by, **fields):
    activity = Activity.objects.create(organisation=organisation, created_by=by, **fields)
    record_event(
        by=by,
        verb="telework.activity_added",
        target=activity.title,
        description=f"{by} a ajouté l'activité « {activity.title} » à l'inventaire du télétravail.",
        organisation=organisation,
    )
    return activity


@transaction.atomic
def update_activity(activity, *, by):
    activity.save()
    record_event(
        by=by,
        verb="telework.activity_updated",
        target=activity.title,
        description=f"{by} a modifié l'activité « {activity.title} ».",
        organisation=activity.organisation,
    )


def mark(activity, *, user, does_it, wishes_remote):
    """A member says whether they do the activity, and whether they would like to do it remotely.
    No audit event: the wish is personal."""
    if not does_it:
        ActivityMember.objects.filter(activity=activity, user=user).delete()
        return None
    member, _ = ActivityMember.objects.update_or_create(
        activity=activity, user=user, defaults={"wishes_remote": wishes_remote}
    )
    return member

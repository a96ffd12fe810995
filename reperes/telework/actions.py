from django.db import transaction
from django.utils import timezone

from reperes.organisations.journal import record_event
from reperes.telework.models import (
    Activity,
    ActivityMember,
    InformationFlow,
    Tool,
    UsageCharter,
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


# The information diagram and the usage rules (fiches 2 and 6). No audit event: these are the
# team's working notes, edited freely by its pilots.


def place_flow(organisation, *, by, **fields):
    """Place a flow of information on the diagram, where it is today and where it should be."""
    flow = InformationFlow(organisation=organisation, created_by=by, **fields)
    flow.full_clean()
    flow.save()
    return flow


def add_tool(organisation, *, by, **fields):
    """A digital tool of the team and the rule for using it."""
    return Tool.objects.create(organisation=organisation, **fields)


def save_usage_rules(organisation, *, by, **fields):
    """The team's usage and disconnection rules: there is one set per organisation."""
    charter, _ = UsageCharter.objects.get_or_create(organisation=organisation)
    for name, value in fields.items():
        setattr(charter, name, value)
    charter.updated_by = by
    charter.updated_on = timezone.localdate()
    charter.save()
    return charter

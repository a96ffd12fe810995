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


@transaction.atomic
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
# team's working notes, edited freely by its pilots; who changed them last is kept on the
# notes themselves (InformationFlow.created_by, UsageCharter.updated_by).


@transaction.atomic
def place_flow(organisation, *, by, **fields):
    """Place a flow of information on the diagram, where it is today and where it should be.
    No audit event (working notes): `by` is kept as the flow's author."""
    flow = InformationFlow(organisation=organisation, created_by=by, **fields)
    flow.full_clean()
    flow.save()
    return flow


def _touch_usage_rules(organisation, *, by):
    """The usage rules of the organisation, created if needed, marked as updated by `by` today.
    The tools are part of them: the usage document lists both."""
    charter, _ = UsageCharter.objects.select_for_update().get_or_create(organisation=organisation)
    charter.updated_by = by
    charter.updated_on = timezone.localdate()
    return charter


@transaction.atomic
def add_tool(organisation, *, by, **fields):
    """A digital tool of the team and the rule for using it. No audit event (working notes):
    the usage rules it belongs to record `by` as their last editor."""
    tool = Tool.objects.create(organisation=organisation, **fields)
    _touch_usage_rules(organisation, by=by).save(update_fields=["updated_by", "updated_on"])
    return tool


@transaction.atomic
def remove_tool(tool, *, by):
    """Take a tool off the team's list. No audit event (working notes): the usage rules record
    `by` as their last editor."""
    tool.delete()
    _touch_usage_rules(tool.organisation, by=by).save(update_fields=["updated_by", "updated_on"])


@transaction.atomic
def save_usage_rules(organisation, *, by, **fields):
    """The team's usage and disconnection rules: there is one set per organisation. No audit
    event (working notes): `by` is kept as their last editor."""
    charter = _touch_usage_rules(organisation, by=by)
    for name, value in fields.items():
        setattr(charter, name, value)
    charter.save()
    return charter

"""State changes of the action plan. Each writes an audit event."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from reperes.action_plans.models import Action, Feedback, FeedbackParticipation, Status
from reperes.discussions.models import Decision
from reperes.lib.mail import send_templated_mail
from reperes.organisations.actions import ActionRefused, record_event


def _notify_owner(action, *, by):
    if action.owner and action.owner != by:
        send_templated_mail(action.owner.email, "action_plans/email/assigned", {"action": action, "by": by})


@transaction.atomic
def create_action(organisation, *, by, contributors=(), **fields):
    action = Action.objects.create(organisation=organisation, created_by=by, **fields)
    action.contributors.set(contributors)
    record_event(
        by=by,
        verb="action.created",
        target=action.title,
        description=f"{by} a ajouté l'action « {action.title} » au plan d'action.",
        organisation=organisation,
    )
    _notify_owner(action, by=by)
    return action


@transaction.atomic
def update_action(action, *, by, changed, previous_owner_id, contributors=()):
    if action.status == Status.DONE and not action.done_on:
        action.done_on = timezone.localdate()
    action.save()
    action.contributors.set(contributors)
    if changed:
        record_event(
            by=by,
            verb="action.updated",
            target=action.title,
            description=f"{by} a modifié l'action « {action.title} » ({', '.join(changed)}).",
            organisation=action.organisation,
        )
    if action.owner_id != previous_owner_id:
        _notify_owner(action, by=by)
    return action


@transaction.atomic
def change_status(action, *, status, by):
    old = action.get_status_display().lower()
    action.status = status
    action.done_on = timezone.localdate() if status == Status.DONE else None
    action.save(update_fields=["status", "done_on", "updated_at"])
    record_event(
        by=by,
        verb="action.status_changed",
        target=action.title,
        description=(
            f"{by} a passé l'action « {action.title} » de « {old} » "
            f"à « {action.get_status_display().lower()} »."
        ),
        organisation=action.organisation,
    )
    return action


def give_feedback(action, *, user, value):
    """Record « cela a-t-il aidé ? » once per member, anonymously: who answered is stored apart
    from what was answered, with nothing linking them."""
    if action.status != Status.DONE:
        raise ActionRefused("On donne son avis une fois l'action faite.")
    try:
        with transaction.atomic():
            FeedbackParticipation.objects.create(action=action, user=user)
            Feedback.objects.create(action=action, value=value)
    except IntegrityError as error:
        raise ActionRefused("Vous avez déjà donné votre avis sur cette action.") from error


def feedback_summary(action, *, k):
    """{value: count} once at least k members answered, else None (with the number so far)."""
    counts = {choice: 0 for choice, _ in Feedback._meta.get_field("value").choices}
    for value in action.feedback.values_list("value", flat=True):
        counts[value] += 1
    total = sum(counts.values())
    return (counts if total >= k else None), total


def action_from_proposal(proposal, *, by):
    if proposal.decision != Decision.ADOPTED:
        raise ActionRefused("Seule une proposition adoptée devient une action.")
    if Action.objects.filter(proposal=proposal).exists():
        raise ActionRefused("Cette proposition est déjà une action du plan.")
    discussion = proposal.discussion
    theme = discussion.campaign.spec.theme(discussion.theme_id) if discussion.campaign else None
    return create_action(
        discussion.organisation,
        by=by,
        title=proposal.text[:200],
        description=proposal.details,
        campaign=discussion.campaign,
        theme_id=discussion.theme_id,
        fiche=theme.get("fiche", "") if theme else "",
        proposal=proposal,
    )

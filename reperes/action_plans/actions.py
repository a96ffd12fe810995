"""State changes of the action plan. Each writes an audit event."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reperes.action_plans.models import Action, Status
from reperes.discussions.models import Decision, Proposal
from reperes.lib import storage
from reperes.lib.actions import ActionRefused
from reperes.lib.mail import send_templated_mail
from reperes.organisations.journal import record_event


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


@transaction.atomic
def give_feedback(action, *, user, value):
    """Record « cela a-t-il aidé ? » once per member, anonymously, and publish in batches.

    Who answered (FeedbackParticipation) is stored apart from what was answered (Feedback), and
    both sets of the action's rows are rewritten in a random order with new keys at every answer
    (reperes.lib.storage): neither order nor keys nor times pair them, in a dump taken
    at any moment.

    The published figures are a snapshot that changes only when at least k answers not yet
    counted have arrived: then all of them are counted at once. Comparing the page before and
    after a colleague answers shows that someone answered, never what. Why k new answers rather
    than the action's review date: publishing whatever had arrived by a date could publish one
    answer on its own. Answers that never make a batch of k stay uncounted, and stored.
    """
    action = Action.objects.select_for_update().get(pk=action.pk)  # one answer at a time
    if action.status != Status.DONE:
        raise ActionRefused("On donne son avis une fois l'action faite.")
    if action.feedback_participations.filter(user=user).exists():
        raise ActionRefused("Vous avez déjà donné votre avis sur cette action.")
    participations = list(action.feedback_participations.values("action_id", "user_id"))
    participations.append({"action_id": action.pk, "user_id": user.pk})
    answers = list(action.feedback.values("action_id", "value", "counted"))
    answers.append({"action_id": action.pk, "value": value, "counted": False})
    if sum(not answer["counted"] for answer in answers) >= settings.ANONYMITY_THRESHOLD:
        for answer in answers:
            answer["counted"] = True
    storage.rewrite(action.feedback_participations.all(), participations)
    storage.rewrite(action.feedback.all(), answers)


@transaction.atomic
def action_from_proposal(proposal, *, by):
    """The action an adopted proposal becomes. The proposal's row is locked, so that of two
    clicks at the same moment the second is refused rather than failing on the unique link."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.decision != Decision.ADOPTED:
        raise ActionRefused("Seule une proposition adoptée devient une action.")
    if Action.objects.filter(proposal=proposal).exists():
        raise ActionRefused("Cette proposition est déjà une action du plan.")
    discussion = proposal.discussion
    theme = discussion.campaign.spec.theme(discussion.theme_id) if discussion.campaign else None
    proposal.in_plan_since = timezone.localdate()
    proposal.save(update_fields=["in_plan_since"])
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


def document_to_action(organisation, *, by, title, description, label, url, fiche):
    """An action of the plan that puts a document (a usage charter, a telework charter) into
    practice, linked to it."""
    return create_action(
        organisation,
        by=by,
        title=title,
        description=description,
        document_label=label,
        document_url=url,
        fiche=fiche,
        social_dialogue=True,
    )

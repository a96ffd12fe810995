"""State changes of the team exercises. No audit event of their own (working notes, as the
telework exercises): who started and last edited an exercise is kept on it, and an action born
from one is recorded by the action plan's own event."""

from django.db import IntegrityError, transaction

from reperes.action_plans.actions import create_action
from reperes.exercises.models import Decision, Entry, Exercise, Stage


def start_exercise(organisation, *, by, kind, submit_key=None, **fields):
    """A new exercise of `kind`. The same form submitted twice (`submit_key`) gives the
    exercise the first submit made. Returns (exercise, created)."""
    if submit_key:
        existing = Exercise.objects.filter(submit_key=submit_key).first()
        if existing and existing.organisation_id == organisation.pk:
            return existing, False
        if existing:
            # A key held by another organisation's exercise was forged: start without one.
            submit_key = None
    try:
        with transaction.atomic():
            exercise = Exercise(
                organisation=organisation,
                kind=kind,
                submit_key=submit_key,
                created_by=by,
                updated_by=by,
                **fields,
            )
            exercise.full_clean()
            exercise.save()
    except IntegrityError:
        # The twin submit won the race: its exercise is ours.
        existing = organisation.exercises.filter(submit_key=submit_key).first()
        if existing is None:
            raise
        return existing, False
    return exercise, True


@transaction.atomic
def save_entries(exercise, *, by, title, entries):
    """The team's notes and decisions, section by section: `entries` is {key: {notes, decision,
    agreed}} for sections of the exercise's kind; other keys are ignored."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    for key, values in entries.items():
        if exercise.spec.section(key) is None:
            continue
        if not exercise.is_tool_review:
            values = {**values, "decision": ""}
        Entry.objects.update_or_create(exercise=exercise, key=key, defaults=values)
    exercise.title = title
    exercise.updated_by = by
    exercise.save(update_fields=["title", "updated_by", "updated_on"])
    return exercise


@transaction.atomic
def start_after_review(before, *, by):
    """The « after adoption » review of a tool reviewed before adopting it: same tool, same
    family, the earlier answers shown beside the new ones. One per « before » review: asking
    again gives the one that exists. Returns (review, created)."""
    before = Exercise.objects.select_for_update().get(pk=before.pk)
    if not before.may_follow_up:
        raise ValueError("Only a « before » tool review is followed by an « after » one.")
    existing = before.followups.first()
    if existing:
        return existing, False
    after = Exercise.objects.create(
        organisation=before.organisation,
        kind=before.kind,
        title=f"{before.tool_name} — après l'adoption"[:200],
        tool_name=before.tool_name,
        family=before.family,
        stage=Stage.AFTER,
        previous=before,
        created_by=by,
        updated_by=by,
    )
    return after, True


def _action_title(exercise, section, entry):
    if entry.agreed:
        return entry.agreed
    if exercise.is_tool_review:
        verb = "Renoncer à" if entry.decision == Decision.DROP else "Ajuster"
        return f"{verb} « {exercise.tool_name} » : {section.title[0].lower()}{section.title[1:]}"[:200]
    return section.action_title


@transaction.atomic
def entry_to_action(exercise, key, *, by):
    """What the team decided on one section becomes an action of the plan, prefilled (title,
    description, fiche, QVT determinants) and linked back from the entry. The entry's row is
    locked: a double click gives the action the first click made. Returns (action, created),
    or (None, False) when nothing was decided yet."""
    section = exercise.spec.section(key)
    entry = Entry.objects.select_for_update().filter(exercise=exercise, key=key).first()
    if section is None or entry is None:
        return None, False
    if entry.action_id:
        return entry.action, False
    if not entry.may_become_action:
        return None, False
    lines = [f"Issue de l'exercice « {exercise.title} » — {section.title}."]
    if exercise.is_tool_review:
        stage = exercise.get_stage_display().lower()
        lines.append(f"Outil : {exercise.tool_name} ({exercise.family_spec.label}, {stage}).")
        if entry.decision:
            lines.append(f"Décision : {entry.get_decision_display()}.")
    if entry.notes:
        lines += ["", entry.notes]
    action = create_action(
        exercise.organisation,
        by=by,
        title=_action_title(exercise, section, entry)[:200],
        description="\n".join(lines)[:5000],
        fiche=exercise.spec.fiche,
        determinants=list(section.determinants),
        document_label=exercise.title[:200],
        document_url=exercise.get_absolute_url(),
    )
    entry.action = action
    entry.save(update_fields=["action"])
    return action, True

"""Changes to maturity self-diagnostics: start (or resume), save a dimension, complete, delete a
draft. Each runs in one transaction, takes the acting user as `by`, and raises ActionRefused with
a French message when a rule forbids it (nothing is written then)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reperes.instruments.models import Questionnaire, Use
from reperes.lib.actions import ActionRefused
from reperes.maturity.models import NOTE_MAX_LENGTH, QUESTIONNAIRE_SLUG, Assessment
from reperes.maturity.scoring import score_answers
from reperes.organisations.journal import record_event
from reperes.organisations.models import Organisation


def current_version():
    """The latest loaded version of the maturity questionnaire, or None."""
    questionnaire = Questionnaire.objects.filter(slug=QUESTIONNAIRE_SLUG, use=Use.ORGANISATION).first()
    return questionnaire.latest_version() if questionnaire else None


@transaction.atomic
def start_assessment(organisation, *, mode, by):
    """A new draft, or the organisation's draft in progress (one at a time: a second start resumes
    it, whatever mode it asks for). Returns (assessment, created)."""
    if mode not in Assessment.Mode.values:
        raise ActionRefused("Choisissez comment vous répondez : entre pilotes ou en réunion d'équipe.")
    # The organisation's row is the lock: two starts at once make one draft.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    draft = Assessment.objects.filter(organisation=organisation).drafts().first()
    if draft is not None:
        return draft, False
    version = current_version()
    if version is None:
        raise ActionRefused(
            "L'autodiagnostic de maturité numérique n'est pas installé sur ce serveur : "
            "l'administrateur·rice doit charger les contenus (manage.py load_content)."
        )
    assessment = Assessment.objects.create(
        organisation=organisation, questionnaire_version=version, mode=mode, started_by=by
    )
    record_event(
        by=by,
        verb="maturity.started",
        target="Maturité numérique",
        description=f"{by} a commencé l'autodiagnostic de maturité numérique "
        f"({assessment.get_mode_display().lower()}).",
        organisation=organisation,
    )
    return assessment, True


def _locked_draft(assessment):
    locked = Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if locked is None or not locked.is_draft:
        raise ActionRefused(
            "Cet autodiagnostic est terminé ou a été supprimé : il ne peut plus être modifié."
        )
    return locked


@transaction.atomic
def save_answers(assessment, dimension_id, answers, note="", *, by):
    """Record the answers ({item id: value}) and the note of one dimension. A value absent or
    empty leaves the earlier answer as it was; a value or statement that is not the dimension's
    is refused, and nothing is saved."""
    assessment = _locked_draft(assessment)
    dimension = next((d for d in assessment.dimensions if d["id"] == dimension_id), None)
    if dimension is None:
        raise ActionRefused("Cette dimension n'existe pas dans l'autodiagnostic.")
    item_ids = {item["id"] for item in dimension["items"]}
    values = set(assessment.spec.values)
    given = {item_id: value for item_id, value in answers.items() if value not in (None, "")}
    if not all(item_id in item_ids and isinstance(v, str) and v in values for item_id, v in given.items()):
        raise ActionRefused(
            "Une réponse n'est pas valide : choisissez parmi les réponses proposées. Rien n'a été perdu, "
            "les réponses déjà enregistrées sont intactes."
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ActionRefused(f"La note dépasse {NOTE_MAX_LENGTH} caractères : raccourcissez-la.")
    assessment.answers = {**assessment.answers, **given}
    notes = {key: text for key, text in assessment.notes.items() if key != dimension_id}
    if note:
        notes[dimension_id] = note
    assessment.notes = notes
    assessment.save(update_fields=["answers", "notes"])
    return assessment


@transaction.atomic
def complete_assessment(assessment, *, by):
    """Score and freeze the assessment. Refused while a statement is unanswered, naming the
    dimensions left."""
    assessment = _locked_draft(assessment)
    missing = assessment.incomplete_dimensions
    if missing:
        names = ", ".join(f"« {dimension['title']} »" for dimension in missing)
        raise ActionRefused(f"Il reste des affirmations sans réponse dans : {names}.")
    assessment.scores = score_answers(assessment.questionnaire_version.definition, assessment.answers)
    assessment.state = Assessment.State.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.completed_by = by
    assessment.save(update_fields=["scores", "state", "completed_at", "completed_by"])
    level = assessment.overall_level
    record_event(
        by=by,
        verb="maturity.completed",
        target="Maturité numérique",
        description=f"{by} a terminé l'autodiagnostic de maturité numérique : niveau « {level['label']} ».",
        organisation=assessment.organisation,
    )
    return assessment


@transaction.atomic
def delete_draft(assessment, *, by):
    """Delete a draft and its answers. A completed assessment stays: it is the history."""
    assessment = _locked_draft(assessment)
    organisation = assessment.organisation
    assessment.delete()
    record_event(
        by=by,
        verb="maturity.draft_deleted",
        target="Maturité numérique",
        description=f"{by} a supprimé l'autodiagnostic de maturité numérique en cours.",
        organisation=organisation,
    )


# A draft started a year ago and never finished is forgotten: its answers and notes describe
# the organisation as it was, and name who started it.
DRAFT_RETENTION_DAYS = 365


@transaction.atomic
def purge_stale_drafts(*, today=None):
    """Delete the drafts started more than DRAFT_RETENTION_DAYS ago. Returns how many."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=DRAFT_RETENTION_DAYS)
    deleted, _ = Assessment.objects.drafts().filter(created_at__date__lt=limit).delete()
    return deleted

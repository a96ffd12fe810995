"""What a network's staff do with questionnaires of their own: import an XLSForm workbook as a
draft, publish a draft as a new immutable version of the network's questionnaire. Shipped
questionnaires come from data files (`loading.load_definitions`) and are never changed here.
Each verb writes one line of the network's journal."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reperes.instruments.definition import definition_files
from reperes.instruments.models import Questionnaire, QuestionnaireDraft, QuestionnaireVersion
from reperes.instruments.xlsform import import_workbook, workbook_origin
from reperes.lib.actions import ActionRefused
from reperes.lib.content import read_yaml, store_if_changed
from reperes.organisations.journal import record_event

SLUG_LENGTH = 50  # VersionedContent.slug


def shipped_slugs():
    """The slugs of the questionnaires shipped as data files, loaded or not yet."""
    return {read_yaml(path).get("slug") for path in definition_files()}


def network_slug(network, wanted):
    """The slug the network's questionnaire gets: `wanted` when no other owner (Repères' own
    files or another network) holds it, otherwise `wanted` followed by the network's slug."""
    taken_elsewhere = (
        wanted in shipped_slugs()
        or Questionnaire.objects.filter(slug=wanted).exclude(network=network).exists()
    )
    if not taken_elsewhere:
        return wanted
    return f"{wanted[: SLUG_LENGTH - len(network.slug) - 1]}-{network.slug}"[:SLUG_LENGTH].strip("-")


def import_draft(network, *, data, file_name, by):
    """A new draft from the workbook `data` (bytes). Raises xlsform.WorkbookError listing every
    problem: then nothing is kept."""
    definition = import_workbook(data)
    definition["slug"] = network_slug(network, definition["slug"])
    origin = workbook_origin(data)
    based_on = (
        QuestionnaireVersion.objects.filter(
            Q(questionnaire__network__isnull=True) | Q(questionnaire__network=network),
            questionnaire__slug=origin[0],
            number=origin[1],
        ).first()
        if origin
        else None
    )
    draft = QuestionnaireDraft.objects.create(
        network=network,
        title=definition["title"],
        slug=definition["slug"],
        definition=definition,
        file_name=file_name[:200],
        based_on=based_on,
        created_by=by,
    )
    record_event(
        by=by,
        verb="questionnaire_imported",
        target=draft.title,
        description=f"Questionnaire importé d'un classeur XLSForm ({draft.file_name}), en brouillon.",
        network=network,
    )
    return draft


@transaction.atomic
def publish_draft(draft, *, by):
    """The draft becomes the latest version of the network's questionnaire (created on its first
    publication); member organisations can then run campaigns with it. A published draft is
    never published again."""
    draft = QuestionnaireDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused("Ce brouillon est déjà publié : importez une nouvelle version du classeur.")
    network = draft.network
    definition = draft.definition
    questionnaire = Questionnaire.objects.select_for_update().filter(slug=draft.slug).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            slug=draft.slug, title=draft.title, use=definition.get("use", "team"), network=network
        )
    elif questionnaire.network_id != network.pk:
        raise ActionRefused(
            f"L'identifiant « {draft.slug} » appartient à un autre questionnaire : importez de nouveau le "
            "classeur, Repères lui en donnera un libre."
        )
    elif questionnaire.use != definition.get("use", "team"):
        raise ActionRefused(
            "Ce questionnaire ne peut pas changer d'usage d'une version à l'autre "
            f"(« {questionnaire.get_use_display()} »)."
        )
    if questionnaire.title != draft.title:
        questionnaire.title = draft.title
        questionnaire.save(update_fields=["title"])
    version, created = store_if_changed(
        questionnaire.versions, definition, definition=definition, source=f"xlsform:{draft.file_name}"[:200]
    )
    if not created:
        raise ActionRefused(
            f"Ce brouillon est identique à la version {version.number} déjà publiée : "
            "rien de nouveau à publier."
        )
    draft.published_version = version
    draft.published_at = timezone.now()
    draft.save(update_fields=["published_version", "published_at"])
    record_event(
        by=by,
        verb="questionnaire_published",
        target=draft.title,
        description=f"Questionnaire publié (version {version.number}) pour les structures du réseau.",
        network=network,
    )
    return version


@transaction.atomic
def delete_draft(draft, *, by):
    draft = QuestionnaireDraft.objects.select_for_update().select_related("network").get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused("Un brouillon publié reste, pour garder la trace de ce qui a été publié.")
    record_event(
        by=by,
        verb="questionnaire_draft_deleted",
        target=draft.title,
        description="Brouillon de questionnaire supprimé.",
        network=draft.network,
    )
    draft.delete()

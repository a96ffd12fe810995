"""What a network's staff do with questionnaires of their own: import an XLSForm workbook as a
draft, or start one from a shipped or published questionnaire (a copy, or the next version of
one of the network's own), edit it in the interface, publish it as a new immutable version of
the network's questionnaire. Shipped questionnaires come from data files
(`loading.load_definitions`) and are never changed here. Each verb but the edits writes one
line of the network's journal (a draft keeps who edited it last, and when)."""

import copy

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reperes.instruments.authoring import DraftInvalid, check
from reperes.instruments.definition import definition_files
from reperes.instruments.models import Questionnaire, QuestionnaireDraft, QuestionnaireVersion
from reperes.instruments.xlsform import import_workbook, workbook_origin
from reperes.lib.actions import ActionRefused, refuse_when_drafts_pile_up
from reperes.lib.content import read_yaml, store_if_changed
from reperes.organisations.journal import record_event

SLUG_LENGTH = 50  # VersionedContent.slug
PUBLISHED = (
    "Ce brouillon est publié : la version qu'il est devenu ne change plus. Pour la corriger, "
    "préparez la version suivante (« Modifier » dans les questionnaires du réseau)."
)


class StaleDraft(ActionRefused):
    """The form was drawn from an earlier revision of the draft: someone saved in between."""


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
    problem: then nothing is kept. ActionRefused when the network has too many drafts waiting."""
    refuse_when_drafts_pile_up(network.questionnaire_drafts.pending())
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


def _free_slug(network, wanted):
    """`wanted`, or `wanted-2`, `wanted-3`…: a slug that no questionnaire (shipped, of this network
    or of another) and no pending draft of the network holds yet."""
    wanted = wanted[:SLUG_LENGTH].strip("-")
    taken = (
        shipped_slugs()
        | set(Questionnaire.objects.filter(slug__startswith=wanted).values_list("slug", flat=True))
        | set(
            network.questionnaire_drafts.pending()
            .filter(slug__startswith=wanted)
            .values_list("slug", flat=True)
        )
    )
    slug, number = wanted, 1
    while slug in taken:
        number += 1
        slug = f"{wanted[: SLUG_LENGTH - len(str(number)) - 1].rstrip('-')}-{number}"
    return slug


@transaction.atomic
def copy_questionnaire(network, questionnaire, *, by):
    """A draft copy of the latest version of `questionnaire` (shipped, or published by the
    network), under a new slug and title: publishing it makes a new questionnaire of the network.
    The original never changes; the copy remembers which version it came from."""
    version = questionnaire.latest_version()
    if version is None:
        raise ActionRefused("Ce questionnaire n'a encore aucune version : il n'y a rien à copier.")
    refuse_when_drafts_pile_up(network.questionnaire_drafts.pending())
    suffix = " (copie)"
    title = version.definition["title"][: 200 - len(suffix)] + suffix
    slug = _free_slug(network, f"{questionnaire.slug[: SLUG_LENGTH - 6]}-copie")
    definition = {**copy.deepcopy(version.definition), "slug": slug, "title": title}
    draft = QuestionnaireDraft.objects.create(
        network=network,
        title=title,
        slug=slug,
        definition=definition,
        origin=QuestionnaireDraft.Origin.COPY,
        based_on=version,
        created_by=by,
    )
    record_event(
        by=by,
        verb="questionnaire_copied",
        target=draft.title,
        description=f"Brouillon copié de « {questionnaire.title} » (version {version.number}).",
        network=network,
    )
    return draft


@transaction.atomic
def start_next_version(network, questionnaire, *, by):
    """The draft of the next version of one of the network's own questionnaires, from its latest
    version (a published version is never edited). A draft already under way is returned rather
    than a second one: (draft, created)."""
    if questionnaire.network_id != network.pk:
        raise ActionRefused(
            "Seuls les questionnaires publiés par le réseau se modifient ; copiez les autres."
        )
    under_way = network.questionnaire_drafts.pending().filter(slug=questionnaire.slug).first()
    if under_way is not None:
        return under_way, False
    refuse_when_drafts_pile_up(network.questionnaire_drafts.pending())
    version = questionnaire.latest_version()
    draft = QuestionnaireDraft.objects.create(
        network=network,
        title=version.definition["title"],
        slug=questionnaire.slug,
        definition=copy.deepcopy(version.definition),
        origin=QuestionnaireDraft.Origin.EDIT,
        based_on=version,
        created_by=by,
    )
    record_event(
        by=by,
        verb="questionnaire_draft_started",
        target=draft.title,
        description=f"Brouillon de la version {version.number + 1} ouvert.",
        network=network,
    )
    return draft, True


@transaction.atomic
def update_draft(draft, definition, *, revision, by):
    """Store the edited `definition` of a pending draft, checked with every rule of an import
    (authoring.check). `revision` is the draft's revision the author's form was drawn from: if
    someone saved since, StaleDraft, and nothing is overwritten."""
    draft = QuestionnaireDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused(PUBLISHED)
    if draft.revision != revision:
        raise StaleDraft(
            "Ce brouillon a été modifié par quelqu'un d'autre depuis que vous avez ouvert cette page : "
            "rien n'est enregistré, pour ne pas effacer son travail. Votre saisie est ci-dessous ; "
            "rechargez la page pour voir la version à jour, puis refaites vos changements."
        )
    try:
        definition = check({**definition, "slug": draft.slug})
    except DraftInvalid as invalid:
        raise ActionRefused(str(invalid)) from invalid
    draft.definition = definition
    draft.title = definition["title"]
    draft.revision += 1
    draft.updated_at = timezone.now()
    draft.updated_by = by
    draft.save(update_fields=["definition", "title", "revision", "updated_at", "updated_by"])
    return draft


@transaction.atomic
def publish_draft(draft, *, by):
    """The draft becomes the latest version of the network's questionnaire (created on its first
    publication); member organisations can then run campaigns with it. A published draft is
    never published again."""
    draft = QuestionnaireDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused(
            "Ce brouillon est déjà publié : préparez la version suivante (« Modifier ») ou importez "
            "une nouvelle version du classeur."
        )
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
    source = f"xlsform:{draft.file_name}" if draft.origin == draft.Origin.IMPORT else "édité dans Repères"
    version, created = store_if_changed(
        questionnaire.versions, definition, definition=definition, source=source[:200]
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

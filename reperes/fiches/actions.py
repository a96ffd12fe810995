"""What a network's staff do with fiches of their own: start a draft (blank, or a copy of a
shipped fiche that stays as it is), edit it, publish it as a new immutable version of the
network's fiche, start a new draft from a published fiche. Shipped fiches come from content files
(`loading.load_fiches`) and are never changed here. Each verb writes one line of the network's
journal."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from reperes.fiches.definition import fiche_files
from reperes.fiches.models import Collection, Fiche, FicheDraft
from reperes.lib.actions import ActionRefused, refuse_when_drafts_pile_up
from reperes.lib.content import store_if_changed
from reperes.organisations.journal import record_event

SLUG_LENGTH = 50  # VersionedContent.slug
STALE = (
    "Ce brouillon a été enregistré par quelqu'un d'autre pendant que vous l'écriviez : vos modifications "
    "ne sont pas enregistrées, pour ne pas effacer les siennes. Elles sont encore dans le formulaire "
    "ci-dessous : copiez-les, rechargez la page, puis reportez-les."
)
PUBLISHED = (
    "Ce brouillon est publié et ne change plus : modifiez la fiche publiée, cela crée un nouveau brouillon."
)


def blank_content(title):
    """A fiche with only its title: the sections are written in the draft's form."""
    return {
        "slug": "",
        "collection": Collection.GUIDE.value,
        "theme": "",
        "number": 0,
        "title": title,
        "summary": "",
        "context": "",
        "stakes": "",
        "opportunities": [],
        "risks": [],
        "questions": [],
        "how_to_act": "",
        "steps": [],
        "example": None,
        "reading": [],
        "references": [],
    }


def _as_network_content(content):
    """A copy of a fiche's content for a network's draft: not tied to a questionnaire's theme or
    statements (those links belong to the shipped questionnaires and their fiches)."""
    copy = {**blank_content(content["title"]), **content}
    copy.update(slug="", theme="", number=0)
    copy["questions"] = [{"item": "", "text": question["text"]} for question in content.get("questions", ())]
    return copy


def create_draft(network, *, title, by):
    """A blank fiche. Sent twice (a double click), it opens the untouched draft of the first."""
    untouched = network.fiche_drafts.pending().filter(title=title, created_by=by, revision=1, based_on=None)
    if untouched.filter(fiche=None).exists():
        return untouched.filter(fiche=None).first()
    refuse_when_drafts_pile_up(network.fiche_drafts.pending())
    draft = FicheDraft.objects.create(
        network=network, title=title, content=blank_content(title), created_by=by, updated_by=by
    )
    record_event(
        by=by,
        verb="fiche_draft_created",
        target=title,
        description="Fiche commencée, en brouillon.",
        network=network,
    )
    return draft


@transaction.atomic
def copy_fiche(network, fiche, *, by):
    """A draft from the latest version of `fiche`: a copy when it is shipped (the original never
    changes; the draft remembers where it came from), the next version of the network's own fiche
    otherwise. A published fiche already being rewritten returns that draft rather than a second."""
    if fiche.network_id not in (None, network.pk):
        raise ActionRefused("Cette fiche appartient à un autre réseau.")
    own = fiche.network_id == network.pk
    version = fiche.latest_version()
    if version is None:
        raise ActionRefused("Cette fiche n'a pas encore de version à copier.")
    pending = network.fiche_drafts.pending()
    # The draft of the next version, if one is being written; a copy sent twice (a double click)
    # opens the untouched copy rather than making a second one.
    pending = (
        pending.filter(fiche=fiche) if own else pending.filter(based_on=version, revision=1, created_by=by)
    )
    if pending.exists():
        return pending.first()
    refuse_when_drafts_pile_up(network.fiche_drafts.pending())
    content = version.content if own else _as_network_content(version.content)
    draft = FicheDraft.objects.create(
        network=network,
        fiche=fiche if own else None,
        based_on=version,
        title=version.content["title"],
        content=content,
        created_by=by,
        updated_by=by,
    )
    record_event(
        by=by,
        verb="fiche_draft_created",
        target=draft.title,
        description=(
            f"Nouveau brouillon de la fiche publiée (version {version.number})."
            if own
            else f"Copie de « {fiche.title} » (version {version.number}), en brouillon."
        ),
        network=network,
    )
    return draft


@transaction.atomic
def update_draft(draft, *, content, revision, by):
    """Save the form's `content`. `revision` is the number the form was shown with: an older one
    means someone saved in between, and nothing is written."""
    draft = FicheDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused(PUBLISHED)
    if revision != draft.revision:
        raise ActionRefused(STALE)
    draft.content = content
    draft.title = content["title"]
    draft.revision += 1
    draft.updated_by = by
    draft.save(update_fields=["content", "title", "revision", "updated_by", "updated_at"])
    return draft


def missing_sections(content):
    """The French names of what a fiche needs before it is published."""
    needed = [
        ("context", "le contexte"),
        ("questions", "au moins une question"),
        ("how_to_act", "comment agir"),
    ]
    return [name for key, name in needed if not content.get(key)]


def _free_slug(network, title):
    """A slug no shipped file and no other fiche holds: the network's, then the title's words."""
    base = slugify(f"{network.slug}-{title}")[:SLUG_LENGTH].strip("-") or network.slug
    shipped = {path.stem for path in fiche_files()}
    candidate, number = base, 2
    while candidate in shipped or Fiche.objects.filter(slug=candidate).exists():
        suffix = f"-{number}"
        candidate = f"{base[: SLUG_LENGTH - len(suffix)].rstrip('-')}{suffix}"
        number += 1
    return candidate


@transaction.atomic
def publish_draft(draft, *, by):
    """The draft becomes the latest version of the network's fiche (created on its first
    publication): its staff and the members of its member organisations can read it. A published
    draft never changes again."""
    draft = (
        FicheDraft.objects.select_for_update(of=("self",)).select_related("network", "fiche").get(pk=draft.pk)
    )
    network = draft.network
    if draft.published_version_id:
        raise ActionRefused(PUBLISHED)
    missing = missing_sections(draft.content)
    if missing:
        raise ActionRefused(f"Avant de publier, il manque : {', '.join(missing)}.")
    fiche = draft.fiche
    if fiche is None:
        number = (network.fiches.aggregate(last=Max("number"))["last"] or 0) + 1
        fiche = Fiche.objects.create(
            network=network,
            slug=_free_slug(network, draft.title),
            collection=draft.content["collection"],
            number=number,
            title=draft.title,
        )
    elif fiche.network_id != network.pk:
        raise ActionRefused("Cette fiche appartient à un autre réseau.")
    content = {**draft.content, "slug": fiche.slug, "number": fiche.number, "theme": ""}
    version, created = store_if_changed(
        fiche.versions, content, content=content, source=f"réseau {network.slug}"[:200]
    )
    if not created:
        raise ActionRefused(
            f"Ce brouillon est identique à la version {version.number} déjà publiée : "
            "rien de nouveau à publier."
        )
    if (fiche.title, fiche.collection) != (draft.title, content["collection"]):
        fiche.title, fiche.collection = draft.title, content["collection"]
        fiche.save(update_fields=["title", "collection"])
    draft.fiche = fiche
    draft.content = content
    draft.published_version = version
    draft.published_at = timezone.now()
    draft.save(update_fields=["fiche", "content", "published_version", "published_at"])
    record_event(
        by=by,
        verb="fiche_published",
        target=draft.title,
        description=f"Fiche publiée (version {version.number}) pour les structures du réseau.",
        network=network,
    )
    return version


@transaction.atomic
def delete_draft(draft, *, by):
    draft = FicheDraft.objects.select_for_update(of=("self",)).select_related("network").get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused("Un brouillon publié reste, pour garder la trace de ce qui a été publié.")
    record_event(
        by=by,
        verb="fiche_draft_deleted",
        target=draft.title,
        description="Brouillon de fiche supprimé.",
        network=draft.network,
    )
    draft.delete()

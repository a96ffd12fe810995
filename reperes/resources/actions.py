"""What a network's staff do with its library: add an item, change it, archive it and bring it
back. Items are never deleted (a project ends, its guides stay reachable). Each verb checks the
item as the form does, checks an uploaded file by its content, writes one line of the network's
journal; a replaced file is removed from the disk once the change is committed."""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from reperes.lib.actions import ActionRefused, check_or_refuse
from reperes.lib.uploads import detect_type, display_name
from reperes.organisations.journal import record_event
from reperes.resources.models import Resource

MAX_FILE_BYTES = 10 * 1024 * 1024
ACCEPTED_EXTENSIONS = (
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
)
ACCEPTED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG ou WebP"

# What a user may set on an item (the form's fields); the rest belongs to the verbs.
EDITABLE_FIELDS = (
    "kind",
    "title",
    "summary",
    "subjects",
    "determinants",
    "regions",
    "published_on",
    "link",
    "public",
    "author_name",
)


def check_upload(upload):
    """The FileType of an uploaded file, or ActionRefused saying in French what is wrong."""
    name = display_name(upload.name)
    if upload.size > MAX_FILE_BYTES:
        raise ActionRefused(
            f"« {name} » dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo : allégez-le, "
            "ou déposez-le ailleurs et donnez son lien."
        )
    file_type = detect_type(upload, ACCEPTED_EXTENSIONS)
    if file_type is None:
        raise ActionRefused(
            f"« {name} » n'est pas un fichier accepté, ou son contenu ne correspond pas à son extension. "
            f"Formats acceptés : {ACCEPTED_LABEL}."
        )
    return file_type


def _event(resource, *, by, verb, description):
    record_event(
        by=by,
        verb=f"resources.{verb}",
        target=resource.title,
        description=description,
        network=resource.network,
    )


def _set(resource, fields):
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(unknown)}")
    for name, value in fields.items():
        setattr(resource, name, value)


def _check(resource):
    """full_clean, its messages turned into one refusal naming each field; a link or a file."""
    if resource.link and resource.file:
        raise ActionRefused("Donnez un lien ou un fichier, pas les deux.")
    if resource.public and resource.kind != Resource.Kind.NEWS:
        raise ActionRefused("Seules les actualités RH vont dans le fil d'actualités public.")
    check_or_refuse(resource, exclude=["network", "author", "file"])


def _check_offers(resource, offers):
    if any(offer.network_id != resource.network_id for offer in offers):
        raise ActionRefused("Une ressource ne renvoie qu'aux offres de son réseau.")


def _attach(resource, upload):
    file_type = check_upload(upload)
    if resource.link:
        raise ActionRefused("Donnez un lien ou un fichier, pas les deux.")
    resource.file_name = display_name(upload.name)
    resource.file_type = file_type.content_type
    resource.file_size = upload.size
    resource.file.save(file_type.extension, upload, save=False)


def _forget_file_on_commit(stored_name, storage):
    if stored_name:
        transaction.on_commit(lambda: storage.delete(stored_name))


@contextmanager
def _file_kept_only_if_saved(resource, previous=""):
    """A file written to the disk by `_attach` is removed again when what follows fails (the
    transaction is then rolled back and nothing would point to it)."""
    try:
        yield
    except BaseException:
        if resource.file.name and resource.file.name != previous:
            resource.file.storage.delete(resource.file.name)
        raise


@transaction.atomic
def create_resource(network, *, by, upload=None, offers=(), **fields):
    """A new item of `network`'s library, with a link or an uploaded file (`upload`)."""
    fields.setdefault("author_name", str(by) if by else "")
    resource = Resource(network=network, author=by)
    _set(resource, fields)
    _check(resource)
    _check_offers(resource, offers)
    with _file_kept_only_if_saved(resource):
        if upload is not None:
            _attach(resource, upload)
        resource.save()
        resource.offers.set(offers)
        _event(
            resource,
            by=by,
            verb="created",
            description=f"Ressource « {resource.title} » ajoutée à la bibliothèque",
        )
    return resource


@transaction.atomic
def update_resource(resource, *, by, upload=None, remove_file=False, offers=None, **fields):
    """Change an item; `upload` replaces its file, `remove_file` takes it away."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    previous = resource.file.name
    _set(resource, fields)
    if remove_file or upload is not None:
        resource.file = ""
        resource.file_name, resource.file_type, resource.file_size = "", "", None
    _check(resource)
    if offers is not None:
        _check_offers(resource, offers)
    with _file_kept_only_if_saved(resource, previous):
        if upload is not None:
            _attach(resource, upload)
        resource.save()
        if offers is not None:
            resource.offers.set(offers)
        if previous and previous != resource.file.name:
            _forget_file_on_commit(previous, resource.file.storage)
        _event(resource, by=by, verb="updated", description=f"Ressource « {resource.title} » modifiée")
    return resource


@transaction.atomic
def archive_resource(resource, *, by):
    """Out of the lists, panels and feed; still reachable at its address, with a notice."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.is_archived:
        return resource
    resource.archived_at = timezone.now()
    resource.save(update_fields=["archived_at", "updated_at"])
    _event(resource, by=by, verb="archived", description=f"Ressource « {resource.title} » archivée")
    return resource


@transaction.atomic
def restore_resource(resource, *, by):
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not resource.is_archived:
        return resource
    resource.archived_at = None
    resource.save(update_fields=["archived_at", "updated_at"])
    _event(resource, by=by, verb="restored", description=f"Ressource « {resource.title} » remise en ligne")
    return resource

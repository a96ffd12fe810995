"""State changes of prepared documents: asking for one, building it (the task), retrying,
purging the expired ones."""

import logging

from django.db import transaction
from django.tasks import task

from reperes.lib.http import safe_filename
from reperes.lib.pdf import PdfUnavailable
from reperes.organisations.models import Organisation
from reperes.reports.models import PreparedDocument
from reperes.reports.prepared import DocumentUnavailable, document_key, kind_of

logger = logging.getLogger(__name__)

Status = PreparedDocument.Status

BUILD_FAILED = (
    "Le document n'a pas pu être préparé. Réessayez dans un moment ; si cela recommence, "
    "signalez-le à l'équipe de Repères."
)


# Limits on what one person or one organisation may ask for, so that a loop of requests fills
# neither the task queue (which also carries the mail) nor the database. A document lives a day,
# so the counts of current documents are counts over the last day.
MAX_QUEUED_PER_ORGANISATION = 5
MAX_CURRENT_PER_PERSON = 30
MAX_CURRENT_PER_ORGANISATION = 100

TOO_MANY_QUEUED = (
    "Plusieurs documents de votre structure sont déjà en préparation. Attendez qu'ils soient prêts, "
    "puis réessayez dans quelques minutes."
)
TOO_MANY_TODAY = (
    "Trop de documents ont été demandés ces dernières 24 heures. Téléchargez ceux qui sont prêts, "
    "ou réessayez demain."
)
LIMIT_REASONS = (TOO_MANY_QUEUED, TOO_MANY_TODAY)


def _limit_reason(organisation, by):
    """Why a new document may not be asked for now, or None."""
    current = (
        PreparedDocument.objects.current().filter(organisation=organisation).exclude(error__in=LIMIT_REASONS)
    )
    if current.filter(status=Status.QUEUED).count() >= MAX_QUEUED_PER_ORGANISATION:
        return TOO_MANY_QUEUED
    if current.count() >= MAX_CURRENT_PER_ORGANISATION:
        return TOO_MANY_TODAY
    if by is not None and current.filter(requested_by=by).count() >= MAX_CURRENT_PER_PERSON:
        return TOO_MANY_TODAY
    return None


def request_document(organisation, *, by, kind, params, title=""):
    """Ask for a document of `kind` built from `params` (JSON values): one row, one task.

    The same request made while the first is still in preparation (a double click, a second
    member) gets that one. The task is enqueued once the row is committed: with the immediate
    backend it has run when this returns, with the database backend a worker runs it.

    Over a limit (MAX_…), no task: the request gets a failed document that says why, one per
    kind and parameters, reused by the next requests, so that refusals fill nothing either.
    """
    kind_of(kind)  # an unknown kind fails here, in the request, not in the worker
    key = document_key(kind, params)
    with transaction.atomic():
        # Requests of one organisation wait for each other: parallel ones cannot overshoot.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
        pending = (
            PreparedDocument.objects.current()
            .filter(organisation=organisation, key=key, status=Status.QUEUED)
            .first()
        )
        if pending is not None:
            return pending
        if reason := _limit_reason(organisation, by):
            refused = (
                PreparedDocument.objects.current()
                .filter(organisation=organisation, key=key, status=Status.FAILED, error=reason)
                .first()
            )
            if refused is None:
                refused = PreparedDocument.objects.create(
                    organisation=organisation,
                    requested_by=by,
                    kind=kind,
                    params=params,
                    key=key,
                    title=title[:200],
                    status=Status.FAILED,
                    error=reason,
                )
            return refused
        document = PreparedDocument.objects.create(
            organisation=organisation, requested_by=by, kind=kind, params=params, key=key, title=title[:200]
        )
    build_document.enqueue(str(document.pk))
    document.refresh_from_db()
    return document


def retry_document(document, *, by):
    """Ask again for a document that failed or expired, with the same kind and parameters."""
    return request_document(
        document.organisation, by=by, kind=document.kind, params=document.params, title=document.title
    )


@task
def build_document(document_id):
    """Build the bytes of a queued document and store them; a second run finds it no longer
    queued and builds nothing."""
    document = PreparedDocument.objects.select_related("organisation").filter(pk=document_id).first()
    if document is None or document.status != Status.QUEUED:
        return document.status if document else "gone"
    queued = PreparedDocument.objects.filter(pk=document.pk, status=Status.QUEUED)
    try:
        filename, content_type, content = kind_of(document.kind).build(document.organisation, document.params)
    except (DocumentUnavailable, PdfUnavailable) as reason:
        queued.update(status=Status.FAILED, error=str(reason))
        return Status.FAILED.value
    except Exception:
        logger.exception("Building the prepared document %s (%s) failed", document.pk, document.kind)
        queued.update(status=Status.FAILED, error=BUILD_FAILED)
        return Status.FAILED.value
    queued.update(
        status=Status.READY, filename=safe_filename(filename), content_type=content_type, content=content
    )
    return Status.READY.value


def purge_documents():
    """Delete the prepared documents past their expiry (a day after they were asked for)."""
    deleted, _ = PreparedDocument.objects.expired().delete()
    return deleted

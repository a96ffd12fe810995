"""Publishing the observatory's releases.

A release is built once, in one transaction: the facts of the contributing organisations, every
table of the catalogue protected by disclosure.protect, and the facts kept for the next
release. Its figures never change afterwards: an organisation that withdraws its agreement
leaves the past releases as they were and is absent from the next one.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.observatory import tables
from reperes.observatory.facts import build_facts, default_period, facts_from_rows
from reperes.observatory.models import Release, ReleaseFacts, ReleaseRequest, ReleaseTable
from reperes.organisations.journal import record_event
from reperes.organisations.models import Network
from reperes.sharing.known import known_organisations

# An analyst may ask for a release no more often than this.
logger = logging.getLogger(__name__)

REQUEST_INTERVAL_DAYS = 30
FAILED_REQUEST_DAYS = 30
# Releases, with their tables and the facts kept for differencing, are deleted after this.
RETENTION_YEARS = 5


def _previous_tables(release, specs, k):
    """{table key: disclosure.PreviousTable} of `release` (the previous one), or {}."""
    if release is None:
        return {}
    from reperes.observatory.disclosure import PreviousTable

    previous_facts = facts_from_rows(ReleaseFacts.objects.filter(release=release))
    stored = {table.key: table for table in ReleaseTable.objects.filter(release=release)}
    previous = {}
    for spec in specs:
        table = stored.get(spec.key)
        if table is None:
            continue
        cells, _sent = tables.contributions(spec, previous_facts, k=k)
        previous[spec.key] = PreviousTable(cells=cells, shown=_shown_flags(table))
    return previous


def _shown_flags(table):
    """Which cells of a stored table were shown: {(row, col) / ("row", r) / ("col", c) /
    ("total",): bool}."""
    data = table.data or {}
    rows = [row["code"] for row in table.rows]
    columns = [column["code"] for column in table.columns]

    def shown(cell):
        return bool(cell) and cell.get("why", "") in ("", "empty")

    flags = {}
    for row, line in zip(rows, data.get("cells") or [], strict=False):
        for column, cell in zip(columns, line, strict=False):
            flags[(row, column)] = shown(cell)
    for row, cell in zip(rows, data.get("row_totals") or [], strict=False):
        flags[("row", row)] = shown(cell)
    for column, cell in zip(columns, data.get("column_totals") or [], strict=False):
        flags[("col", column)] = shown(cell)
    if data.get("total") is not None:
        flags[("total",)] = shown(data["total"])
    return flags


class _Outdated(Exception):
    """Another release was published while this one was computed."""


class _AlreadyDone(Exception):
    """The request this release was for was published by another run of the task."""


def _compute(network, today, k):
    """Everything a release of `network` holds, computed from the data of the day, before any
    write: (previous release or None, facts, [ReleaseTable without its release])."""
    start, end = default_period(today)
    facts = build_facts(network, start=start, end=end, k=k)
    previous_release = Release.objects.filter(network=network).order_by("-number").first()
    labels = tables.Labels()
    specs = tables.catalogue(network, labels=labels)
    known = known_organisations(network)
    previous = _previous_tables(previous_release, specs, k)
    # Every table is protected on its own, and those that count the same figures of the same
    # organisations are also protected together (docs/disclosure.md, « Linked tables »).
    protected, _linked = tables.protect_release(
        specs, facts, k=k, known=known, labels=labels, previous=previous
    )
    rows = []
    for position, spec in enumerate(specs, start=1):
        prepared, table = protected[spec.key]
        table_rows, columns, data, _cells = tables.build_table(
            spec, facts, k=k, known=known, labels=labels, prepared=prepared, protected=table
        )
        rows.append(
            ReleaseTable(
                key=spec.key,
                position=position,
                figure=spec.figure,
                title=spec.title,
                definition=spec.definition,
                unit=spec.unit,
                row_dimension=spec.rows,
                column_dimension=spec.columns,
                rows=table_rows,
                columns=columns,
                data=data,
            )
        )
    return previous_release, (start, end), facts, rows


def publish_release(network, *, kind, by=None, today=None, before_writing=None):
    """Build and store a release of `network`'s figures: facts, protected tables, kept facts.
    Returns the Release. The number of queries does not depend on the number of organisations.

    The figures are computed first, outside any transaction of this function's own: at national
    scale the joint audit takes minutes, during which SQLite would hold its only write lock and
    keep every respondent waiting. The release is then written in a short transaction, after
    locking the network and checking that no release came out meanwhile (else it is computed
    again, since the difference rules depend on the previous release). `before_writing` runs
    inside that transaction first (publish_requested takes its request there)."""
    today = today or timezone.localdate()
    k = settings.ANONYMITY_THRESHOLD
    for _attempt in range(3):
        previous_release, (start, end), facts, rows = _compute(network, today, k)
        try:
            with transaction.atomic():
                # Lock the network row, so that two publications at once number their releases
                # in turn.
                Network.objects.select_for_update().filter(pk=network.pk).first()
                latest = Release.objects.filter(network=network).order_by("-number").first()
                if latest != previous_release:
                    raise _Outdated
                if before_writing is not None:
                    before_writing()
                return _write(network, kind, by, today, (start, end), facts, rows, latest)
        except _Outdated:
            continue
    raise RuntimeError("Trois publications concurrentes : réessayez.")


def _write(network, kind, by, today, period, facts, rows, latest):
    start, end = period
    release = Release.objects.create(
        network=network,
        number=(latest.number if latest else 0) + 1,
        published_on=today,
        kind=kind,
        requested_by=by,
        period_start=start,
        period_end=end,
        organisations=len(facts),
    )
    for row in rows:
        row.release = release
    ReleaseTable.objects.bulk_create(rows)
    ReleaseFacts.objects.bulk_create(
        [
            ReleaseFacts(
                release=release,
                organisation_id=record.organisation,
                region=record.region,
                sector=record.sector,
                legal_form=record.legal_form,
                size_band=record.size_band,
                programmes=record.programmes,
                figures=record.figures,
            )
            for record in facts.values()
        ],
        batch_size=1000,
    )
    record_event(
        by=by,
        verb="observatory.publish",
        network=network,
        target=str(release.number),
        description=(
            f"Publication n° {release.number} de l'observatoire ({release.get_kind_display().lower()}) : "
            f"{release.organisations} structure(s) contributrice(s)."
        ),
    )
    return release


def last_requested(network):
    return (
        Release.objects.filter(network=network, kind=Release.Kind.REQUESTED).order_by("-published_on").first()
    )


def next_request_allowed_on(network):
    """The first day an analyst may ask for a release again, or None when they may now."""
    last = last_requested(network)
    if last is None:
        return None
    allowed = last.published_on + timedelta(days=REQUEST_INTERVAL_DAYS)
    return allowed if allowed > timezone.localdate() else None


@transaction.atomic
def request_release(network, *, by):
    """An analyst's or administrator's release on demand, no more than once a month, published
    by a task (`publish_requested`): the Release when it is already out (tasks run at once
    without a worker), None while the worker prepares it. The network row is locked before the
    check, so that two requests at once (a double click, a script) give one release, not two a
    moment apart."""
    Network.objects.select_for_update().filter(pk=network.pk).first()
    # A request still queued after a day was lost (its task never ran, or died): failed.
    ReleaseRequest.objects.filter(
        network=network,
        status=ReleaseRequest.Status.QUEUED,
        requested_on__lt=timezone.localdate() - timedelta(days=1),
    ).update(status=ReleaseRequest.Status.FAILED)
    pending = ReleaseRequest.objects.filter(network=network, status=ReleaseRequest.Status.QUEUED).first()
    if pending is not None:
        raise ActionRefused(
            f"La publication demandée le {pending.requested_on:%d/%m/%Y} est en préparation : elle "
            "paraîtra dans la liste des publications dès qu'elle sera prête."
        )
    allowed = next_request_allowed_on(network)
    if allowed is not None:
        raise ActionRefused(
            "Une publication a déjà été demandée il y a moins d'un mois : la prochaine pourra "
            f"l'être à partir du {allowed:%d/%m/%Y}. Les chiffres ne sont pas recalculés plus "
            "souvent, pour qu'aucune structure ne puisse être retrouvée par différence."
        )
    # A failed request is replaced by this one.
    ReleaseRequest.objects.filter(network=network, status=ReleaseRequest.Status.FAILED).delete()
    pending = ReleaseRequest.objects.create(
        network=network, requested_by=by, requested_on=timezone.localdate()
    )
    # With the database backend the task row is written in this transaction: the worker sees it
    # once the request is committed.
    publish_requested.enqueue(pending.pk)
    pending = ReleaseRequest.objects.filter(pk=pending.pk).first()
    if pending is None:
        return last_requested(network)
    if pending.status == ReleaseRequest.Status.FAILED:
        raise ActionRefused(PUBLISH_FAILED)
    return None


PUBLISH_FAILED = (
    "La publication n'a pas pu être préparée. Rien n'a été publié ; vous pouvez la demander à "
    "nouveau, et si l'échec se répète, prévenir l'équipe qui héberge Repères."
)


@task
def publish_requested(request_id):
    """Publish the release a ReleaseRequest asks for. The request is taken (locked and deleted)
    in the transaction that writes the release: a second run of the task, even at the same
    time, finds it gone and publishes nothing. On failure nothing is published and the request
    is kept as failed."""
    pending = (
        ReleaseRequest.objects.select_related("network", "requested_by")
        .filter(pk=request_id, status=ReleaseRequest.Status.QUEUED)
        .first()
    )
    if pending is None:
        return "gone"

    def take():
        taken = (
            ReleaseRequest.objects.select_for_update()
            .filter(pk=pending.pk, status=ReleaseRequest.Status.QUEUED)
            .first()
        )
        if taken is None:
            raise _AlreadyDone
        taken.delete()

    try:
        release = publish_release(
            pending.network, kind=Release.Kind.REQUESTED, by=pending.requested_by, before_writing=take
        )
    except _AlreadyDone:
        return "gone"
    except Exception:
        logger.exception("The release requested for network %s failed", pending.network_id)
        ReleaseRequest.objects.filter(pk=pending.pk).update(status=ReleaseRequest.Status.FAILED)
        return "failed"
    return release.number


def is_quarter_start(day):
    return day.day == 1 and day.month in (1, 4, 7, 10)


def publish_scheduled(today=None):
    """The quarterly release of every network with contributing organisations. Returns the
    releases published."""
    today = today or timezone.localdate()
    published = []
    networks = Network.objects.filter(affiliations__organisation__shares_statistics=True).distinct()
    for network in networks:
        if Release.objects.filter(network=network, kind=Release.Kind.SCHEDULED, published_on=today).exists():
            continue
        published.append(publish_release(network, kind=Release.Kind.SCHEDULED, today=today))
    return published


def purge_old_releases(today=None):
    """Delete the releases older than RETENTION_YEARS, with their tables and kept facts, and
    the failed requests for a release older than FAILED_REQUEST_DAYS."""
    today = today or timezone.localdate()
    try:
        limit = today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        limit = date(today.year - RETENTION_YEARS, 2, 28)
    deleted, _ = Release.objects.filter(published_on__lt=limit).delete()
    # A request whose release failed is kept a month for the page to say so.
    failed_before = today - timedelta(days=FAILED_REQUEST_DAYS)
    forgotten, _ = ReleaseRequest.objects.filter(
        status=ReleaseRequest.Status.FAILED, requested_on__lt=failed_before
    ).delete()
    return deleted + forgotten

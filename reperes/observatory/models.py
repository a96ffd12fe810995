from django.conf import settings
from django.db import models
from django.urls import reverse

from reperes.organisations.models import Network, Organisation


def _explanation(reason):
    if not reason:
        return ""
    try:
        from reperes.observatory.disclosure import REASONS
    except ImportError:  # pragma: no cover - while disclosure.py is being written
        REASONS = {}
    return REASONS.get(reason, "Ce chiffre n'est pas publié pour protéger les structures.")


class ReleaseQuerySet(models.QuerySet):
    def latest_for(self, network):
        return self.filter(network=network).order_by("-number").first()


class Release(models.Model):
    """A dated publication of the network's figures; never recomputed afterwards."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Publication trimestrielle"
        REQUESTED = "requested", "Publication à la demande"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="observatory_releases")
    number = models.PositiveIntegerField("numéro")
    published_on = models.DateField("date de publication")
    kind = models.CharField("type", max_length=20, choices=Kind)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    organisations = models.PositiveIntegerField("structures contributrices")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = "publication de l'observatoire"
        verbose_name_plural = "publications de l'observatoire"
        ordering = ["network", "-number"]
        constraints = [models.UniqueConstraint(fields=["network", "number"], name="one_release_number")]

    def __str__(self):
        return f"{self.network} — publication n° {self.number} du {self.published_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("observatory:release", args=[self.network.slug, self.number])


class ReleaseRequest(models.Model):
    """A release on demand while a task publishes it: at national scale the joint audit of a
    release takes minutes, more than a request may last. Deleted once the release is published
    (the release then counts for the monthly limit). With a worker, a failure keeps it as failed,
    so that the page says so and the analyst may ask again; without one, the failure is said at
    once and nothing is kept. A request still queued after a day is taken for failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En préparation"
        FAILED = "failed", "Échec"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="observatory_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_on = models.DateField("demandée le")
    status = models.CharField("état", max_length=20, choices=Status, default=Status.QUEUED)

    class Meta:
        verbose_name = "publication demandée"
        verbose_name_plural = "publications demandées"
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return f"{self.network} — publication demandée le {self.requested_on:%d/%m/%Y}"


class ReleaseTable(models.Model):
    """One protected table of a release, as published: hidden cells carry no figure at all."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="tables")
    key = models.SlugField("clé", max_length=80)
    position = models.PositiveSmallIntegerField("ordre")
    # participation | qvt | instrument:<slug> | maturity | change | actions | charters | requests
    figure = models.CharField("indicateur", max_length=80)
    title = models.CharField("titre", max_length=200)
    definition = models.TextField("définition")
    unit = models.CharField("unité", max_length=80)
    # region, sector, legal_form, size_band, programme, period, theme, level, outcome, measure
    row_dimension = models.CharField("lignes", max_length=40)
    column_dimension = models.CharField("colonnes", max_length=40, blank=True)
    rows = models.JSONField("lignes", default=list)  # [{"code": "53", "label": "Bretagne"}, …]
    columns = models.JSONField("colonnes", default=list)
    # {"cells": [[cell, …] per row, in columns order], "row_totals": [cell…] | None,
    #  "column_totals": [cell…] | None, "total": cell | None}
    # cell = {"v": figure as displayed or None, "n": organisations or None, "w": responses or None,
    #         "why": "" when shown, else a key of reperes.observatory.disclosure.REASONS}
    data = models.JSONField("données", default=dict)

    class Meta:
        verbose_name = "tableau publié"
        verbose_name_plural = "tableaux publiés"
        ordering = ["release", "position"]
        constraints = [models.UniqueConstraint(fields=["release", "key"], name="one_table_key_per_release")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("observatory:table", args=[self.release.network.slug, self.release.number, self.key])

    @staticmethod
    def present(cell):
        """A stored cell as templates and exports read it."""
        if cell is None:
            return None
        why = cell.get("why", "")
        return {
            "value": cell.get("v"),
            "organisations": cell.get("n"),
            "responses": cell.get("w"),
            "shown": not why or why == "empty",
            "empty": why == "empty",
            "reason": why,
            "explanation": _explanation(why),
        }

    def grid(self):
        """The rows as templates and exports iterate them: label, cells in column order, total."""
        data = self.data or {}
        cells = data.get("cells") or []
        row_totals = data.get("row_totals")
        grid = []
        for index, row in enumerate(self.rows):
            line = cells[index] if index < len(cells) else []
            grid.append(
                {
                    "code": row["code"],
                    "label": row["label"],
                    "cells": [self.present(cell) for cell in line],
                    "total": self.present(row_totals[index]) if row_totals else None,
                }
            )
        return grid

    def column_total_cells(self):
        totals = (self.data or {}).get("column_totals")
        return [self.present(cell) for cell in totals] if totals else None

    def total_cell(self):
        return self.present((self.data or {}).get("total"))

    @property
    def hidden_count(self):
        return sum(
            1
            for line in (self.data or {}).get("cells") or []
            for cell in line
            if cell.get("why") not in ("", "empty")
        )


class ReleaseFacts(models.Model):
    """One contributing organisation's facts at a release: never shown, used only to build the
    next release (differencing) and the member benchmark. Deleted with its release; releases
    older than five years are deleted (reperes.observatory.jobs)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="facts")
    # No database constraint: an organisation deleted later leaves its past facts in place until
    # the release goes, so that the next release's differencing still sees what was published.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    region = models.CharField(max_length=3, blank=True)
    sector = models.CharField(max_length=40, blank=True)
    legal_form = models.CharField(max_length=40, blank=True)
    size_band = models.CharField(max_length=10, blank=True)
    programmes = models.JSONField(default=list)  # programme ids taken part in
    figures = models.JSONField(default=dict)  # see reperes.observatory.facts.OrganisationFacts

    class Meta:
        verbose_name = "données internes d'une publication"
        verbose_name_plural = "données internes des publications"
        constraints = [
            models.UniqueConstraint(fields=["release", "organisation"], name="one_facts_row_per_organisation")
        ]
        indexes = [models.Index(fields=["release", "size_band", "sector"])]

    def __str__(self):
        return f"{self.release} — {self.organisation_id}"

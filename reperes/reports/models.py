"""Documents prepared outside the request: the PDF report, the charters' PDF and DOCX files.

A member asks for a document (`actions.request_document`); one task builds it
(`actions.build_document`) with the builder registered for its kind (`prepared.builder_for`)
and stores the bytes here for a day, the time to download it. What it holds is what the page
shows (aggregated results, a charter), never a response; `actions.purge_documents` deletes it
once expired.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# How long a prepared document stays downloadable (the privacy page says it).
DOCUMENT_LIFETIME = timedelta(days=1)


def _expires():
    return timezone.now() + DOCUMENT_LIFETIME


class PreparedDocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires__gt=timezone.now())

    def expired(self):
        return self.filter(expires__lte=timezone.now())


class PreparedDocument(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "En préparation"
        READY = "ready", "Prêt"
        FAILED = "failed", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No reverse accessors: organisations and accounts sit below reports.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="structure"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandé par",
    )
    kind = models.CharField("type", max_length=50)
    params = models.JSONField("paramètres", default=dict, blank=True)
    # The kind and its parameters as one string: the same request finds the one in preparation.
    key = models.CharField("clé", max_length=255, db_index=True)
    title = models.CharField("titre", max_length=200, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField("erreur", blank=True)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    content_type = models.CharField("type de contenu", max_length=100, blank=True)
    content = models.BinaryField("contenu", blank=True, default=b"")
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    expires = models.DateTimeField("expire le", default=_expires)

    objects = PreparedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document préparé"
        verbose_name_plural = "documents préparés"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("reports:document", args=[self.organisation.slug, self.pk])

    @property
    def is_expired(self):
        return self.expires <= timezone.now()

    @property
    def is_ready(self):
        return self.status == self.Status.READY

    @property
    def is_failed(self):
        return self.status == self.Status.FAILED

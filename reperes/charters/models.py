from django.conf import settings
from django.db import models

from reperes.organisations.models import Organisation


class Instrument(models.TextChoices):
    """How a structure formalises telework (Code du travail L1222-9 I, L2232-21 to -23)."""

    AGREEMENT = "agreement", "Accord collectif d'entreprise"
    RATIFIED = "ratified", "Projet d'accord approuvé par les deux tiers du personnel"
    CHARTER = "charter", "Charte de l'employeur"
    INDIVIDUAL = "individual", "Accord individuel avec chaque salarié·e"


class CharterStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumis aux représentant·es du personnel"
    ADOPTED = "adopted", "Adopté"


class TeleworkCharter(models.Model):
    """A telework charter or agreement being drafted from the clause library, with its status.

    The chosen clauses are CharterClause rows; each status change stores a CharterVersion, the
    document as it then read."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="telework_charters")
    title = models.CharField("titre", max_length=200, default="Télétravail")
    instrument = models.CharField("forme du texte", max_length=20, choices=Instrument)
    co_drafted = models.BooleanField(
        "rédigé avec les représentant·es du personnel",
        default=False,
        help_text="La ou le référent·e et une ou un représentant·e du personnel le cosignent.",
    )
    status = models.CharField("état", max_length=20, choices=CharterStatus, default=CharterStatus.DRAFT)
    version = models.PositiveIntegerField("version", default=1)
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    communicated_on = models.DateField("projet communiqué au personnel le", null=True, blank=True)
    submitted_on = models.DateField("soumis le", null=True, blank=True)
    staff_opinion_on = models.DateField("avis des représentant·es du personnel le", null=True, blank=True)
    staff_opinion = models.TextField("résumé de l'avis", blank=True, max_length=3000)
    adopted_on = models.DateField("adopté le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_on = models.DateField("créé le", auto_now_add=True)
    updated_on = models.DateField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "charte ou accord de télétravail"
        verbose_name_plural = "chartes et accords de télétravail"
        ordering = ["-created_on", "-pk"]

    def __str__(self):
        return f"{self.get_instrument_display()} — {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("charters:detail", args=[self.organisation.slug, self.pk])

    @property
    def is_draft(self):
        return self.status == CharterStatus.DRAFT


class CharterClause(models.Model):
    """A clause of the library chosen for a charter, with its wording or the team's own text."""

    charter = models.ForeignKey(TeleworkCharter, on_delete=models.CASCADE, related_name="clauses")
    clause_id = models.CharField("clause", max_length=60)
    wording_id = models.CharField("rédaction", max_length=60)
    custom_text = models.TextField(
        "rédaction de l'équipe",
        blank=True,
        max_length=6000,
        help_text="Laissez vide pour garder la rédaction choisie dans la bibliothèque.",
    )

    class Meta:
        verbose_name = "clause retenue"
        verbose_name_plural = "clauses retenues"
        constraints = [
            models.UniqueConstraint(fields=["charter", "clause_id"], name="one_clause_per_charter")
        ]

    def __str__(self):
        return self.clause_id


class ClauseComment(models.Model):
    """A member's comment on one clause of a charter being drafted."""

    charter_clause = models.ForeignKey(CharterClause, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("commentaire", max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "commentaire de clause"
        verbose_name_plural = "commentaires de clauses"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class CharterVersion(models.Model):
    """The document as it read at a status change: immutable."""

    charter = models.ForeignKey(TeleworkCharter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    status = models.CharField("état", max_length=20, choices=CharterStatus)
    content = models.JSONField("contenu")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version de charte"
        verbose_name_plural = "versions de chartes"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.charter} — version {self.number} ({self.get_status_display()})"


class CharterSignature(models.Model):
    """The co-signature of an adopted version by the lead or a staff representative."""

    charter = models.ForeignKey(TeleworkCharter, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField("version")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField("nom", max_length=200)
    role = models.CharField("rôle", max_length=20)
    signed_on = models.DateField("signé le", auto_now_add=True)

    class Meta:
        verbose_name = "signature"
        verbose_name_plural = "signatures"
        constraints = [
            models.UniqueConstraint(fields=["charter", "version", "role"], name="one_signature_per_role")
        ]

    def __str__(self):
        return f"{self.name} ({self.role})"

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reperes.lib.actions import code_list_errors
from reperes.offers.subjects import subject_codes, subject_label
from reperes.organisations import reference
from reperes.organisations.models import Network

DESCRIPTION_MAX_LENGTH = 5000
ELIGIBILITY_MAX_LENGTH = 1000


class OfferQuerySet(models.QuerySet):
    def for_network(self, network):
        return self.filter(network=network)

    def current(self, today=None):
        """Open today: started (or without a start), not ended (or without an end), not
        archived. Expired offers leave every list by themselves, with no job to run."""
        today = today or timezone.localdate()
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            archived=False,
        )

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(archived=False, starts_on__gt=today)

    def expired(self, today=None):
        today = today or timezone.localdate()
        return self.filter(archived=False, ends_on__lt=today)

    def archived(self):
        return self.filter(archived=True)


class Offer(models.Model):
    """One entry of a network's catalogue: a programme or call, an expert's accompaniment, a
    training, or a regional HR support scheme; whom it is for (regions, sizes, a cap on
    employees) and which subjects it serves."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme ou appel à projets"
        EXPERT = "expert", "Accompagnement par un·e expert·e"
        TRAINING = "training", "Formation"
        HR_SCHEME = "hr_scheme", "Dispositif d'appui RH"

    class Format(models.TextChoices):
        ONSITE = "onsite", "En présentiel"
        REMOTE = "remote", "À distance"
        MIXED = "mixed", "Mixte (présentiel et à distance)"

    class Status(models.TextChoices):
        CURRENT = "current", "En cours"
        UPCOMING = "upcoming", "À venir"
        EXPIRED = "expired", "Expirée"
        ARCHIVED = "archived", "Archivée"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField("type d'offre", max_length=20, choices=Kind)
    title = models.CharField("titre", max_length=200)
    summary = models.CharField(
        "en une phrase", max_length=300, help_text="Ce que la structure y gagne, en quelques mots."
    )
    description = models.TextField(
        "présentation",
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text="Texte simple ; Markdown accepté pour les listes, le gras et les liens.",
    )
    provider = models.CharField("organisme", max_length=200, blank=True)
    format = models.CharField("format", max_length=20, choices=Format, blank=True)
    duration = models.CharField(
        "durée", max_length=100, blank=True, help_text="Par exemple « 2 jours » ou « 14 heures »."
    )
    cost = models.CharField(
        "coût", max_length=200, blank=True, help_text="Par exemple « gratuit » ou « 450 € par personne »."
    )
    funders = models.JSONField("OPCO qui peuvent financer", default=list, blank=True)
    other_funding = models.CharField(
        "autres financements",
        max_length=300,
        blank=True,
        help_text="Région, fonds de branche, mécénat… en quelques mots.",
    )
    subjects = models.JSONField("sujets", default=list, blank=True)
    regions = models.JSONField("régions", default=list, blank=True, help_text="Aucune cochée : toutes.")
    size_bands = models.JSONField(
        "tailles de structure", default=list, blank=True, help_text="Aucune cochée : toutes."
    )
    max_employees = models.PositiveIntegerField(
        "nombre maximal de salarié·es",
        null=True,
        blank=True,
        help_text="Par exemple 249 pour une offre réservée aux structures de moins de 250 salarié·es.",
    )
    eligibility = models.TextField(
        "conditions d'accès",
        blank=True,
        validators=[MaxLengthValidator(ELIGIBILITY_MAX_LENGTH)],
    )
    audience = models.CharField(
        "public visé", max_length=300, blank=True, help_text="Par exemple « dirigeant·es et encadrant·es »."
    )
    contact_name = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("adresse e-mail du contact", max_length=254, blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=30, blank=True)
    link = models.URLField("page de l'offre", max_length=500, blank=True)
    starts_on = models.DateField("valable à partir du", null=True, blank=True)
    ends_on = models.DateField("valable jusqu'au", null=True, blank=True)
    archived = models.BooleanField("archivée", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("création", auto_now_add=True)
    updated_at = models.DateTimeField("dernière modification", auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "offre"
        verbose_name_plural = "offres"
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="offer_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "La fin de validité ne peut pas précéder son début."
        allowed = {
            "funders": {code for code, _ in reference.choices("opcos")},
            "regions": {code for code, _ in reference.choices("regions")},
            "size_bands": {code for code, _ in reference.choices("size_bands")},
            "subjects": set(subject_codes()),
        }
        errors.update(code_list_errors(self, allowed))
        if errors:
            raise ValidationError(errors)

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.archived:
            return self.Status.ARCHIVED
        if self.ends_on and self.ends_on < today:
            return self.Status.EXPIRED
        if self.starts_on and self.starts_on > today:
            return self.Status.UPCOMING
        return self.Status.CURRENT

    @property
    def status_label(self):
        return self.status().label

    @property
    def is_current(self):
        return self.status() == self.Status.CURRENT

    @property
    def funder_labels(self):
        return [reference.label("opcos", code) for code in self.funders]

    @property
    def region_labels(self):
        return [reference.label("regions", code) for code in self.regions]

    @property
    def size_band_labels(self):
        return [reference.label("size_bands", code) for code in self.size_bands]

    @property
    def subject_labels(self):
        return [label for label in map(subject_label, self.subjects) if label]

    @property
    def is_training(self):
        return self.kind == self.Kind.TRAINING

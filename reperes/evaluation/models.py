"""A network's projects and what it enters about them for the evaluation (« évaluation des
programmes »): partners and funders, steering committees, key figures per region and for the
nation, its assessment of the general indicators. What Repères computes itself is in figures.py."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from reperes.organisations import reference
from reperes.organisations.models import Network
from reperes.programmes.models import Cohort, NetworkEvent

NATIONAL = ""  # the `region` of a national entry


def region_label(code):
    return reference.label("regions", code) if code else "National"


class Indicator(models.TextChoices):
    """The key figures a network enters per region and for the nation (the LAB'QVT's « chiffres
    clés »). The national figure is entered on its own: it is not the sum of the regions."""

    PEOPLE = "people", "Personnes travaillant sur le projet"
    PROVIDERS = "providers", "Prestataires externes"
    NATIONAL_COMMITTEES = "national_committees", "Comités de pilotage nationaux"
    REGIONAL_COMMITTEES = "regional_committees", "Comités de pilotage en région"
    AGENDA = "agenda", "Passages à l'ordre du jour des instances régionales"
    TWEETS = "tweets", "Publications sur X (Twitter)"
    LINKEDIN = "linkedin", "Publications LinkedIn"
    ARTICLES = "articles", "Articles publiés"
    SURVEYS = "surveys", "Enquêtes menées"
    SURVEY_ANSWERS = "survey_answers", "Réponses de structures aux enquêtes"
    PARTNERS = "partners", "Partenaires mobilisés"
    UNIONS = "unions", "Organisations syndicales associées"
    INTERVIEWS = "interviews", "Entretiens menés"
    EVENTS = "events", "Conférences et webinaires organisés"
    SPEAKERS = "speakers", "Intervenant·es"
    AUDIENCE = "audience", "Spectateur·rices (direct et replay)"
    HOURS = "hours", "Heures d'échanges"
    MAILINGS = "mailings", "Envois d'appels à candidatures"
    TOOLS = "tools", "Outils produits (guides, kits, vidéos)"


class Qualifier(models.TextChoices):
    EXACT = "exact", "Exactement"
    AT_LEAST = "at_least", "Plus de"
    ABOUT = "about", "Environ"


class GeneralIndicator(models.TextChoices):
    """The general indicators the network assesses in words (the LAB'QVT's first list)."""

    BODIES = "bodies", "Développement des instances régionales de dialogue social"
    PROJECT_MODE = "project_mode", "Dynamique de projet dans les régions"
    OTHER_REGIONS = "other_regions", "Intérêt des régions qui ne participent pas encore"
    PARTNERS = "partners", "Liens avec les partenaires et les acteurs locaux"
    MOBILISATION = "mobilisation", "Mobilisation et leviers"


class Project(models.Model):
    """A project or programme a network evaluates: a declared project (LAB'QVT 2019–2021) or
    one of its programmes, with the cohorts and events whose figures Repères computes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="evaluation_projects")
    title = models.CharField("nom du projet", max_length=200)
    description = models.TextField("présentation", blank=True)
    starts_on = models.DateField("début")
    ends_on = models.DateField(
        "fin", null=True, blank=True, help_text="Laissez vide pour un projet en cours."
    )
    cohorts = models.ManyToManyField(
        Cohort, blank=True, related_name="evaluation_projects", verbose_name="cohortes du projet"
    )
    events = models.ManyToManyField(
        NetworkEvent, blank=True, related_name="evaluation_projects", verbose_name="événements du projet"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "projet évalué"
        verbose_name_plural = "projets évalués"
        ordering = ["-starts_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:project", args=[self.network.slug, self.pk])

    @property
    def period_label(self):
        if self.ends_on:
            return f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"
        return f"depuis le {self.starts_on:%d/%m/%Y}"


class Partner(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", "Partenaire"
        FUNDER = "funder", "Financeur"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("rôle", max_length=20, choices=Kind, default=Kind.PARTNER)
    region = models.CharField("région", max_length=3, blank=True)
    contribution = models.CharField("contribution", max_length=300, blank=True)

    class Meta:
        verbose_name = "partenaire ou financeur"
        verbose_name_plural = "partenaires et financeurs"
        ordering = ["kind", "region", "name"]

    def __str__(self):
        return self.name

    @property
    def region_label(self):
        return region_label(self.region)


class SteeringCommittee(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="committees")
    region = models.CharField("région", max_length=3, blank=True)
    held_on = models.DateField("date")
    members = models.TextField("membres", blank=True)
    minutes = models.TextField("compte rendu", blank=True)

    class Meta:
        verbose_name = "comité de pilotage"
        verbose_name_plural = "comités de pilotage"
        ordering = ["held_on", "region"]

    def __str__(self):
        return f"Comité de pilotage du {self.held_on:%d/%m/%Y} ({self.region_label})"

    @property
    def region_label(self):
        return region_label(self.region)


class KeyFigure(models.Model):
    """One figure of one region, or of the nation (`region` empty): entered, never summed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="key_figures")
    region = models.CharField("région", max_length=3, blank=True)
    indicator = models.CharField("indicateur", max_length=40, choices=Indicator)
    value = models.PositiveIntegerField("valeur", null=True, blank=True)
    qualifier = models.CharField("précision", max_length=20, choices=Qualifier, default=Qualifier.EXACT)
    note = models.CharField("en mots", max_length=120, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["region", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "region", "indicator"], name="one_key_figure_per_place"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | ~models.Q(note=""),
                name="key_figure_has_value_or_note",
            ),
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} — {region_label(self.region)} : {self.display}"

    @property
    def display(self):
        if self.value is None:
            return self.note
        if self.qualifier == Qualifier.AT_LEAST:
            return f"plus de {self.value}"
        if self.qualifier == Qualifier.ABOUT:
            return f"environ {self.value}"
        return str(self.value)


class Assessment(models.Model):
    """The network's words on one general indicator of a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    indicator = models.CharField("indicateur", max_length=40, choices=GeneralIndicator)
    text = models.TextField("appréciation")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "appréciation d'un indicateur général"
        verbose_name_plural = "appréciations des indicateurs généraux"
        ordering = ["indicator"]
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="one_assessment_per_indicator")
        ]

    def __str__(self):
        return self.get_indicator_display()

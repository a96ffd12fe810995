"""Questionnaires as content: an identity and its immutable versions, loaded from data files."""

from functools import cached_property

from django.db import models

from reperes.instruments.definition import Definition
from reperes.lib.models import ContentVersion, VersionedContent


class Use(models.TextChoices):
    """Who answers a questionnaire: a team about itself (a diagnostic, anonymous), the
    participants of a cohort's workshop (its satisfaction questionnaire), or the organisation
    about itself, by name (a self-diagnostic: reperes.maturity; never a team campaign), or the
    organisation answering a survey its network sends to its members (one answer per
    organisation, in the surveys app)."""

    TEAM = "team", "Diagnostic d'équipe"
    WORKSHOP = "workshop", "Satisfaction d'un atelier"
    ORGANISATION = "organisation", "Autodiagnostic de la structure"
    NETWORK = "network", "Enquête d'un réseau auprès de ses structures"


class Questionnaire(VersionedContent):
    """A questionnaire's identity; its texts live in immutable versions."""

    title = models.CharField("titre", max_length=200)
    use = models.CharField("usage", max_length=20, choices=Use, default=Use.TEAM)

    class Meta:
        verbose_name = "questionnaire"
        verbose_name_plural = "questionnaires"
        ordering = ["title"]

    def __str__(self):
        return self.title


class QuestionnaireVersion(ContentVersion):
    """One loaded state of a definition file. Never edited: a changed file makes a new one."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    definition = models.JSONField("définition")

    class Meta:
        verbose_name = "version de questionnaire"
        verbose_name_plural = "versions de questionnaires"
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="one_version_number"),
        ]

    def __str__(self):
        return f"{self.questionnaire.title} (version {self.number})"

    @cached_property
    def spec(self):
        return Definition(self.definition)

"""Questionnaires as content: an identity and its immutable versions, loaded from data files."""

from functools import cached_property

from django.db import models

from reperes.instruments.definition import Definition


class Questionnaire(models.Model):
    """A questionnaire's identity; its texts live in immutable versions."""

    slug = models.SlugField("identifiant", unique=True)
    title = models.CharField("titre", max_length=200)

    class Meta:
        verbose_name = "questionnaire"
        verbose_name_plural = "questionnaires"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def latest_version(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """One loaded state of a definition file. Never edited: a changed file makes a new one."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("version")
    content_hash = models.CharField("empreinte", max_length=64)
    definition = models.JSONField("définition")
    source = models.CharField("fichier", max_length=200)
    loaded_at = models.DateTimeField("chargée le", auto_now_add=True)

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

"""The digital-maturity self-diagnostic: one Assessment each time an organisation answers.

It is answered in the organisation's name, by its pilots alone or in a team meeting; who started
and who completed it are kept (it is not anonymous, and the pages say so). Its scores are stored
at completion, so that later changes of content or of scoring move no past result.
"""

import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reperes.instruments.models import QuestionnaireVersion, Use
from reperes.organisations.models import Organisation

# The questionnaire file the assessments use (reperes/instruments/definitions/).
QUESTIONNAIRE_SLUG = "maturite-numerique"
# What the team said about one dimension, in a few lines.
NOTE_MAX_LENGTH = 1000


class AssessmentQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(state=Assessment.State.COMPLETED)

    def drafts(self):
        return self.filter(state=Assessment.State.DRAFT)

    def latest_first(self):
        return self.order_by("-completed_at", "-created_at")


class Assessment(models.Model):
    class Mode(models.TextChoices):
        PILOTS = "pilots", "Par les pilotes"
        MEETING = "meeting", "En réunion d'équipe"

    class State(models.TextChoices):
        DRAFT = "draft", "En cours"
        COMPLETED = "completed", "Terminé"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="maturity_assessments", verbose_name="structure"
    )
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"questionnaire__use": Use.ORGANISATION},
        verbose_name="version du questionnaire",
    )
    mode = models.CharField("façon de répondre", max_length=20, choices=Mode, default=Mode.PILOTS)
    state = models.CharField("état", max_length=20, choices=State, default=State.DRAFT)
    answers = models.JSONField("réponses", default=dict, blank=True)
    notes = models.JSONField("notes par dimension", default=dict, blank=True)
    scores = models.JSONField("scores à la clôture", null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="commencé par",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="terminé par",
    )
    created_at = models.DateTimeField("commencé le", default=timezone.now)
    completed_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "autodiagnostic de maturité numérique"
        verbose_name_plural = "autodiagnostics de maturité numérique"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(state="draft"),
                name="one_maturity_draft_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(completed_at__isnull=False, scores__isnull=False),
                name="completed_maturity_has_scores",
            ),
        ]

    def __str__(self):
        day = self.completed_at or self.created_at
        return f"Maturité numérique — {self.organisation} — {day:%d/%m/%Y}"

    def get_absolute_url(self):
        if self.is_draft:
            return reverse(
                "maturity:answer", args=[self.organisation.slug, self.pk, self.next_dimension_number]
            )
        return reverse("maturity:results", args=[self.organisation.slug, self.pk])

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT

    @property
    def is_completed(self):
        return self.state == self.State.COMPLETED

    @cached_property
    def spec(self):
        return self.questionnaire_version.spec

    @property
    def dimensions(self):
        return self.spec.themes

    def dimension(self, number):
        """The dimension at 1-based `number`, or None."""
        if 1 <= number <= len(self.dimensions):
            return self.dimensions[number - 1]
        return None

    def unanswered(self, dimension):
        return [item for item in dimension["items"] if item["id"] not in self.answers]

    @property
    def incomplete_dimensions(self):
        return [dimension for dimension in self.dimensions if self.unanswered(dimension)]

    @property
    def answered_count(self):
        item_ids = set(self.spec.item_ids)
        return len([item_id for item_id in self.answers if item_id in item_ids])

    @property
    def next_dimension_number(self):
        """Where to resume: the first dimension with a statement left, else the last one."""
        for number, dimension in enumerate(self.dimensions, start=1):
            if self.unanswered(dimension):
                return number
        return len(self.dimensions)

    def level(self, level_id):
        return next((level for level in self.spec.levels if level["id"] == level_id), None)

    @property
    def overall_level(self):
        return self.level(self.scores["overall"]["level"]) if self.scores else None

    @property
    def overall_score(self):
        return self.scores["overall"]["score"] if self.scores else None

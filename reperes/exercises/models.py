from django.conf import settings
from django.db import models
from django.urls import reverse

from reperes.action_plans.models import Action
from reperes.exercises.guide import FAMILY_CHOICES, KIND_CHOICES, KINDS, family
from reperes.organisations.models import Organisation


class Stage(models.TextChoices):
    BEFORE = "before", "Avant l'adoption"
    AFTER = "after", "Après l'adoption"


class Decision(models.TextChoices):
    KEEP = "keep", "Continuer ainsi"
    ADJUST = "adjust", "Ajuster"
    DROP = "drop", "Renoncer"


class Exercise(models.Model):
    """One run of a team exercise of the guide: a tool review, the working-time compromise or
    the workspace co-design. The three share their shape (a title, the guide's sections, the
    team's entry for each, entries becoming actions), so one model with a `kind` holds them;
    what differs is data (guide.KINDS), and the few fields of a tool review stay blank
    otherwise."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exercises")
    kind = models.CharField("exercice", max_length=20, choices=KIND_CHOICES)
    title = models.CharField("titre", max_length=200)
    # A tool review only
    tool_name = models.CharField(
        "outil", max_length=100, blank=True, help_text="Par exemple « agenda partagé », « logiciel de paie »."
    )
    family = models.CharField("famille d'outils", max_length=20, choices=FAMILY_CHOICES, blank=True)
    stage = models.CharField("moment", max_length=10, choices=Stage, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name="revue d'avant l'adoption",
    )
    # The key of the form that created it: a second submit of the same form finds it.
    submit_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_on = models.DateField("commencé le", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_on = models.DateField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "exercice d'équipe"
        verbose_name_plural = "exercices d'équipe"
        ordering = ["-created_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exercises:detail", args=[self.organisation.slug, self.pk])

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def family_spec(self):
        return family(self.family)

    @property
    def is_tool_review(self):
        return self.kind == "tool_review"

    @property
    def may_follow_up(self):
        """A « before » review may be followed by an « after » one."""
        return self.is_tool_review and self.stage == Stage.BEFORE

    def sections(self):
        """[{section, entry, earlier}] in the guide's order: the team's entry for each section
        (None before the first save) and, for an « after » review, the « before » one's."""
        entries = {entry.key: entry for entry in self.entries.select_related("action")}
        earlier = {}
        if self.previous_id:
            earlier = {entry.key: entry for entry in self.previous.entries.all()}
        return [
            {"section": section, "entry": entries.get(section.key), "earlier": earlier.get(section.key)}
            for section in self.spec.sections
        ]


class Entry(models.Model):
    """What the team said and decided on one section of an exercise."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField("section", max_length=40)
    notes = models.TextField("ce que l'équipe en dit", blank=True, max_length=2000)
    decision = models.CharField("décision", max_length=10, choices=Decision, blank=True)
    agreed = models.CharField(
        "ce que nous retenons",
        max_length=200,
        blank=True,
        help_text="Une phrase courte : elle devient l'intitulé de l'action.",
    )
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="action"
    )

    class Meta:
        verbose_name = "réponse d'équipe"
        verbose_name_plural = "réponses d'équipe"
        constraints = [models.UniqueConstraint(fields=["exercise", "key"], name="one_entry_per_section")]

    def __str__(self):
        return f"{self.exercise} — {self.key}"

    @property
    def is_empty(self):
        return not (self.notes or self.decision or self.agreed)

    @property
    def may_become_action(self):
        """Something was decided, and it is not in the plan yet (or its action was deleted)."""
        return self.action_id is None and bool(
            self.agreed or self.decision in (Decision.ADJUST, Decision.DROP)
        )

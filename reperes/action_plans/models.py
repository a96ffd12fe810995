import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns.models import Campaign
from reperes.discussions.models import Proposal
from reperes.instruments.frameworks import labels
from reperes.organisations.models import Organisation


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Faite"
    ABANDONED = "abandoned", "Abandonnée"


class ProjectStep(models.IntegerChoices):
    """The five steps of a transformation project (fiche 1 of the guide)."""

    PRE_PROJECT = 1, "1. Avant-projet"
    PREPARATION = 2, "2. Préparation"
    VALIDATION = 3, "3. Validation des solutions"
    DELIVERY = 4, "4. Réalisation"
    FOLLOW_UP = 5, "5. Suivi"


class Helpfulness(models.TextChoices):
    YES = "yes", "Oui"
    PARTLY = "partly", "En partie"
    NO = "no", "Non"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Status.PROPOSED, Status.IN_PROGRESS])

    def overdue(self):
        return self.open().filter(due_on__lt=timezone.localdate())

    def done(self):
        return self.filter(status=Status.DONE)

    def awaiting_feedback_from(self, user):
        """Done actions on which `user` has not yet said whether they helped (asked once,
        anonymously: only the participation is linked to the person)."""
        return self.done().exclude(feedback_participations__user=user).order_by("-done_on")


class Action(models.Model):
    """One line of the organisation's action plan."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True, max_length=5000)
    # Where it comes from
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="diagnostic",
    )
    theme_id = models.CharField("thème", max_length=40, blank=True)
    item_id = models.CharField("affirmation", max_length=40, blank=True)
    fiche = models.CharField("fiche", max_length=60, blank=True)
    # The entries of the QVT frameworks the action works on (reperes/instruments/frameworks.py),
    # prefilled from the statements of the theme it comes from.
    determinants = models.JSONField("déterminants de la QVT", default=list, blank=True)
    # A document of the organisation the action puts into practice (a usage charter, a telework
    # charter): its label and its address inside Repères.
    document_label = models.CharField("document lié", max_length=200, blank=True)
    document_url = models.CharField("adresse du document", max_length=300, blank=True)
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action",
        verbose_name="proposition adoptée",
    )
    # Who
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name="responsable",
    )
    owner_name = models.CharField(
        "responsable sans compte", max_length=150, blank=True, help_text="Une personne qui n'a pas de compte."
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contributed_actions",
        verbose_name="contributeur·rices",
    )
    # When and how
    start_on = models.DateField("début", null=True, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)
    review_on = models.DateField("date de bilan", null=True, blank=True)
    status = models.CharField("statut", max_length=20, choices=Status, default=Status.PROPOSED)
    indicator = models.CharField("indicateur de suivi", max_length=200, blank=True)
    indicator_target = models.CharField("cible", max_length=200, blank=True)
    project_step = models.PositiveSmallIntegerField(
        "étape du projet", choices=ProjectStep, null=True, blank=True
    )
    social_dialogue = models.BooleanField(
        "à présenter aux représentant·es du personnel",
        default=False,
        help_text="Cochez si l'action relève du dialogue social (charte, accord, conditions de travail).",
    )
    done_on = models.DateField("faite le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["due_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("action_plans:detail", args=[self.organisation.slug, self.pk])

    @property
    def determinant_labels(self):
        return labels(self.determinants)

    @property
    def is_open(self):
        return self.status in (Status.PROPOSED, Status.IN_PROGRESS)

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def owner_label(self):
        if self.owner:
            return str(self.owner)
        return self.owner_name or "Personne"

    @property
    def theme(self):
        if self.campaign and self.theme_id:
            return self.campaign.spec.theme(self.theme_id)
        return None

    @property
    def item_text(self):
        if self.campaign and self.item_id:
            for item in self.campaign.spec.items:
                if item["id"] == self.item_id:
                    return item["text"]
        return ""

    def feedback_figures(self):
        """What the page shows of « cela a-t-il aidé ? »: {value: count} over the answers counted
        so far (None before the first batch of k), how many are counted, and how many wait for
        the next batch. Only the counted answers say anything about what people answered."""
        counts = dict.fromkeys(Helpfulness.values, 0)
        pending = 0
        for value, counted in self.feedback.values_list("value", "counted"):
            if counted:
                counts[value] += 1
            else:
                pending += 1
        counted = sum(counts.values())
        return {"counts": counts if counted else None, "counted": counted, "pending": pending}


class FeedbackParticipation(models.Model):
    """That a member answered « cela a-t-il aidé ? » for an action; never what they answered.
    Random key, no time: the action's rows are rewritten in a random order with its Feedback at
    every answer (reperes.lib.storage), so nothing pairs the two tables."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="feedback_participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "user"], name="one_feedback_per_member")]

    def __str__(self):
        return f"Avis donné sur « {self.action} »"


class Feedback(models.Model):
    """What was answered to « cela a-t-il aidé ? ». No user, no time: random key, nothing else.

    `counted` says whether the answer is in the published figures. Answers are counted in
    batches of at least k (give_feedback), so the figures a member sees never move by one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="feedback")
    value = models.CharField(max_length=10, choices=Helpfulness)
    counted = models.BooleanField("compté", default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.get_value_display()

"""Questionnaires as content: an identity and its immutable versions, loaded from data files."""

from functools import cached_property

from django.db import models
from django.urls import reverse

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


class QuestionnaireQuerySet(models.QuerySet):
    def available_to(self, organisation):
        """The shipped questionnaires and those published by the networks of `organisation`."""
        return self.filter(models.Q(network__isnull=True) | models.Q(network__in=organisation.networks.all()))


class Questionnaire(VersionedContent):
    """A questionnaire's identity; its texts live in immutable versions."""

    title = models.CharField("titre", max_length=200)
    use = models.CharField("usage", max_length=20, choices=Use, default=Use.TEAM)
    # None: shipped with Repères (a data file), for every organisation; otherwise written by a
    # network (imported and published), for its member organisations.
    network = models.ForeignKey(
        "organisations.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name="réseau",
    )

    objects = QuestionnaireQuerySet.as_manager()

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


class DraftQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(published_version__isnull=True)


class QuestionnaireDraft(models.Model):
    """A questionnaire a network is preparing (imported from an XLSForm workbook, copied from a
    shipped or published questionnaire, or the next version of one of its own): a normalised
    definition, not answerable, which the staff edit in the interface (`actions.update_draft`,
    each save counted by `revision` so that two authors never overwrite each other). Publishing
    it makes a new immutable version of the network's questionnaire (`actions.publish_draft`);
    the draft then keeps which version it became and can no longer change: editing again makes
    a new draft."""

    class Origin(models.TextChoices):
        IMPORT = "import", "Importé d'un classeur XLSForm"
        COPY = "copy", "Copie d'un questionnaire"
        EDIT = "edit", "Nouvelle version d'un questionnaire du réseau"

    network = models.ForeignKey(
        "organisations.Network", on_delete=models.CASCADE, related_name="questionnaire_drafts"
    )
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant")
    definition = models.JSONField("définition")
    origin = models.CharField("origine", max_length=20, choices=Origin, default=Origin.IMPORT)
    file_name = models.CharField("fichier importé", max_length=200, blank=True)
    # The version the workbook was exported from, when it names one that exists: a network's
    # copy of a shipped questionnaire remembers where it came from (the original never changes).
    based_on = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="copie de",
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="importé par"
    )
    created_at = models.DateTimeField("importé le", auto_now_add=True)
    # Each save in the interface adds one: a form carries the revision it was drawn from, and a
    # form drawn before someone else's save is refused rather than overwriting it.
    revision = models.PositiveIntegerField("révision", default=0)
    updated_at = models.DateTimeField("modifié le", null=True, blank=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifié par",
    )
    published_version = models.OneToOneField(
        QuestionnaireVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name="version publiée",
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "brouillon de questionnaire"
        verbose_name_plural = "brouillons de questionnaires"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("instruments:draft", args=[self.network.slug, self.pk])

    @cached_property
    def spec(self):
        return Definition(self.definition)

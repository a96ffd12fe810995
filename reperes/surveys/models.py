"""A network's surveys of its member organisations (« enquêtes auprès des structures
adhérentes »), answered once per organisation with the questionnaire engine of
reperes.instruments (`use: network`).

A Survey targets the network's organisations, all of them or those of some regions, sectors
and size bands. At opening each targeted organisation gets a Recipient row, with its region,
sector, size band and legal form as they were that day: the segments of the response rates and
of the results, which later changes to the organisation's profile do not move. The Recipient row
also holds the organisation's answer: one row per (survey, organisation), so an organisation
cannot answer twice; submitting again while the survey is open replaces the answer (the last
one is kept until closing).

Confidential by default: nobody in the network sees an organisation's answers, only figures by
segment that the disclosure rules of reperes.observatory let through (results.py). A survey that
says, before it opens, that its answers are attributed shows each organisation's answers to the
network's staff. Open answers are quoted by name only where the organisation agreed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reperes.instruments.models import QuestionnaireVersion, Use
from reperes.observatory.dimensions import label as dimension_label
from reperes.observatory.dimensions import size_band_choices
from reperes.organisations import reference
from reperes.organisations.models import Network, Organisation

TITLE_MAX_LENGTH = 200
INTRODUCTION_MAX_LENGTH = 2000


class SurveyQuerySet(models.QuerySet):
    def visible_to_organisation(self):
        """What an organisation may see of its networks' surveys: opened ones, never drafts."""
        return self.exclude(state=Survey.State.DRAFT).exclude(state=Survey.State.SCHEDULED)


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "En préparation"
        SCHEDULED = "scheduled", "Programmée"
        OPEN = "open", "En cours"
        CLOSED = "closed", "Clôturée"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+", verbose_name="réseau")
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"questionnaire__use": Use.NETWORK},
        verbose_name="questionnaire",
    )
    title = models.CharField("titre", max_length=TITLE_MAX_LENGTH)
    introduction = models.TextField("mot d'introduction", max_length=INTRODUCTION_MAX_LENGTH, blank=True)
    attributed = models.BooleanField(
        "réponses nominatives",
        default=False,
        help_text="Fixé avant l'ouverture : l'équipe du réseau verra alors les réponses de chaque structure.",
    )
    # Targeting: empty lists mean every organisation of the network.
    regions = models.JSONField("régions", default=list, blank=True)
    sectors = models.JSONField("secteurs", default=list, blank=True)
    size_bands = models.JSONField("tailles", default=list, blank=True)
    # The one breakdown its results are published by, chosen before it opens: tables of the same
    # answers by two breakdowns, each protected on its own, would pin organisations by crossing
    # them (tests/surveys/test_results.py performs it).
    breakdown = models.CharField(
        "résultats répartis par",
        max_length=20,
        blank=True,
        default="region",
        choices=[
            ("region", "Région"),
            ("sector", "Secteur d'activité"),
            ("size_band", "Taille (salarié·es)"),
            ("legal_form", "Forme juridique"),
            ("", "Aucune répartition : l'ensemble seulement"),
        ],
    )
    opens_on = models.DateField("ouverture")
    closes_on = models.DateField("clôture")
    first_closes_on = models.DateField("clôture prévue au départ", null=True, blank=True)
    state = models.CharField("état", max_length=20, choices=State, default=State.DRAFT)
    opened_on = models.DateField("ouverte le", null=True, blank=True)
    closed_on = models.DateField("clôturée le", null=True, blank=True)
    last_reminder_on = models.DateField("dernière relance", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("relances envoyées", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("création", default=timezone.now)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = "enquête du réseau"
        verbose_name_plural = "enquêtes des réseaux"
        ordering = ["-opens_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey", args=[self.network.slug, self.pk])

    @property
    def spec(self):
        return self.questionnaire_version.spec

    @property
    def is_draft(self):
        return self.state in (self.State.DRAFT, self.State.SCHEDULED)

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_closed(self):
        return self.state == self.State.CLOSED

    @property
    def was_postponed(self):
        return self.first_closes_on is not None and self.closes_on > self.first_closes_on

    @property
    def closed_early(self):
        return self.first_closes_on is not None and self.closes_on < self.first_closes_on

    def targeting_labels(self):
        """The targeting in words, one line per criterion; « Toutes les structures du réseau »."""
        lines = []
        if self.regions:
            lines.append("Régions : " + ", ".join(reference.label("regions", code) for code in self.regions))
        if self.sectors:
            lines.append("Secteurs : " + ", ".join(reference.label("sectors", code) for code in self.sectors))
        if self.size_bands:
            bands = dict(size_band_choices())
            lines.append("Tailles : " + ", ".join(bands.get(code, code) for code in self.size_bands))
        return lines or ["Toutes les structures du réseau"]


class RecipientQuerySet(models.QuerySet):
    def waiting_for(self, organisation, user):
        """The open surveys `organisation` has not answered yet that `user` may answer (its pilots,
        and the colleague a questionnaire was handed to), soonest closing first."""
        waiting = self.filter(organisation=organisation, survey__state=Survey.State.OPEN).exclude(
            state=Recipient.State.SUBMITTED
        )
        if not organisation.abilities["pilot"]:
            waiting = waiting.filter(delegate=user)
        return waiting.select_related("survey", "survey__network").order_by("survey__closes_on")


class Recipient(models.Model):
    """An organisation asked to answer a survey, with its segments on the day the survey opened,
    and its answer: the same row, so that there is at most one answer per organisation."""

    class State(models.TextChoices):
        WAITING = "waiting", "Pas encore commencée"
        DRAFT = "draft", "Commencée"
        SUBMITTED = "submitted", "Envoyée"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    region = models.CharField("région", max_length=3, blank=True)
    sector = models.CharField("secteur", max_length=40, blank=True)
    size_band = models.CharField("taille", max_length=10, blank=True)
    legal_form = models.CharField("forme juridique", max_length=40, blank=True)
    state = models.CharField("état", max_length=20, choices=State, default=State.WAITING)
    answers = models.JSONField("réponses", default=dict, blank=True)
    texts = models.JSONField("réponses ouvertes", default=dict, blank=True)
    quote_consent = models.BooleanField("accepte d'être citée", default=False)
    # The day only: an hour would tell who answered, in a small structure.
    submitted_on = models.DateField("réponse envoyée le", null=True, blank=True)
    # A colleague a pilot handed the questionnaire to; forgotten when the survey closes.
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="confiée à",
    )

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = "structure destinataire"
        verbose_name_plural = "structures destinataires"
        ordering = ["survey", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "organisation"], name="one_answer_per_organisation"),
        ]

    def __str__(self):
        return f"{self.survey} — {self.organisation}"

    @property
    def has_answered(self):
        return self.state == self.State.SUBMITTED

    def segment(self, dimension):
        return getattr(self, dimension)

    def segment_label(self, dimension):
        return dimension_label(dimension, getattr(self, dimension))

    def answered_count(self, spec):
        return len([item_id for item_id in spec.item_ids if item_id in self.answers])

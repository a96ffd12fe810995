"""Accompaniment requests: what an organisation asks its network for, and how the network's
facilitators follow it until it is closed."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns.models import Campaign
from reperes.offers.models import Offer
from reperes.organisations.models import Network, Organisation

SITUATION_MAX_LENGTH = 3000
ENTRY_MAX_LENGTH = 3000


class Theme(models.TextChoices):
    """The five telework themes of the expert-accompaniment offer (seed 002). The codes are
    subjects of reperes.offers too, so a theme finds its offers."""

    ACTIVITES = "activites", "Repérer avec l'équipe les activités qui se prêtent au télétravail"
    PRATIQUES = "pratiques", "Améliorer nos pratiques de télétravail"
    HYBRIDE = "hybride", "Concilier travail à distance et travail sur place"
    COLLECTIF = "collectif", "Garder un collectif de travail soudé"
    CHARTE = "charte", "Rédiger une charte ou un accord de télétravail"


class RequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Request.State.CLOSED)

    def closed(self):
        return self.filter(state=Request.State.CLOSED)

    def on_dashboard(self, organisation, *, days=30):
        """What the organisation's dashboard shows: its open requests, and those closed in the
        last `days` days."""
        since = timezone.now() - timedelta(days=days)
        return (
            self.filter(organisation=organisation)
            .filter(~models.Q(state=Request.State.CLOSED) | models.Q(closed_at__gte=since))
            .select_related("network", "facilitator")
            .order_by("-created_at")
        )


class Request(models.Model):
    """One request for accompaniment, from an organisation to one of its networks."""

    class State(models.TextChoices):
        NEW = "new", "Nouvelle"
        TAKEN = "taken", "Prise en charge"
        IN_PROGRESS = "in_progress", "Accompagnement en cours"
        CLOSED = "closed", "Close"

    class Outcome(models.TextChoices):
        ACCOMPANIED = "accompanied", "Accompagnée"
        ORIENTED = "oriented", "Orientée vers une autre offre"
        NOT_ELIGIBLE = "not_eligible", "Non éligible"
        WITHDRAWN = "withdrawn", "Retirée par la structure"
        NO_ANSWER = "no_answer", "Sans réponse de la structure"

    # Every change of state a step may make; anything else is refused (actions.py).
    TRANSITIONS = {
        State.NEW: {State.TAKEN, State.CLOSED},
        State.TAKEN: {State.TAKEN, State.IN_PROGRESS, State.CLOSED},
        State.IN_PROGRESS: {State.IN_PROGRESS, State.CLOSED},
        State.CLOSED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="accompaniment_requests"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="accompaniment_requests")
    themes = models.JSONField("thèmes", default=list)
    situation = models.TextField("votre situation", max_length=SITUATION_MAX_LENGTH)
    problem = models.TextField("votre problématique liée au numérique", max_length=SITUATION_MAX_LENGTH)
    contact_name = models.CharField("personne à contacter", max_length=200)
    contact_email = models.EmailField("son adresse e-mail")
    contact_phone = models.CharField("son téléphone", max_length=30, blank=True)
    campaigns = models.ManyToManyField(
        Campaign,
        blank=True,
        related_name="+",
        verbose_name="résultats partagés avec la personne qui prend la demande",
    )
    state = models.CharField("état", max_length=20, choices=State, default=State.NEW)
    outcome = models.CharField("issue", max_length=20, choices=Outcome, blank=True)
    outcome_note = models.CharField("précision sur l'issue", max_length=500, blank=True)
    outcome_offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="offre vers laquelle la structure est orientée",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accompagnateur·rice",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    taken_at = models.DateTimeField("prise en charge le", null=True, blank=True)
    first_contact_on = models.DateField("premier contact le", null=True, blank=True)
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    # The organisation's profile when it asked, for the network's figures: they must not move
    # when the profile changes later.
    region = models.CharField("région", max_length=3, blank=True)
    size_band = models.CharField("tranche d'effectif", max_length=20, blank=True)
    employees = models.PositiveIntegerField("salarié·es", null=True, blank=True)
    # The network's anonymous questionnaire the closing invitation went to (one per quarter).
    satisfaction = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'accompagnement"
        verbose_name_plural = "demandes d'accompagnement"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(state="closed", closed_at__isnull=False) & ~models.Q(outcome=""))
                | (~models.Q(state="closed") & models.Q(outcome="")),
                name="request_outcome_when_closed",
            ),
        ]

    def __str__(self):
        return f"Demande de {self.organisation} ({self.created_at:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("requests:detail", args=[self.organisation.slug, self.pk])

    def get_network_url(self):
        return reverse("requests:handle", args=[self.network.slug, self.pk])

    @property
    def theme_labels(self):
        return [Theme(code).label for code in self.themes if code in Theme.values]

    @property
    def is_open(self):
        return self.state != self.State.CLOSED

    def may_become(self, state):
        return state in self.TRANSITIONS[self.state]

    def days_to_first_contact(self):
        if self.first_contact_on is None:
            return None
        return (self.first_contact_on - self.created_at.date()).days

    def days_to_closure(self):
        if self.closed_at is None:
            return None
        return (self.closed_at.date() - self.created_at.date()).days


class Step(models.Model):
    """One change in a request's life (asked, taken, assigned, started, closed), for its
    timeline on both sides."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField("état", max_length=20, choices=Request.State)
    description = models.CharField("ce qui s'est passé", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "étape d'une demande"
        verbose_name_plural = "étapes des demandes"
        ordering = ["at", "pk"]

    def __str__(self):
        return self.description


class EntryQuerySet(models.QuerySet):
    def shared(self):
        return self.filter(visibility=Entry.Visibility.SHARED)


class Entry(models.Model):
    """One line of the follow-up log a facilitator keeps: a contact, a meeting, a document or a
    note, internal to the network or shared with the organisation."""

    class Kind(models.TextChoices):
        CONTACT = "contact", "Prise de contact"
        MEETING = "meeting", "Rendez-vous"
        DOCUMENT = "document", "Document"
        NOTE = "note", "Note"

    class Format(models.TextChoices):
        PHONE = "phone", "Téléphone"
        VIDEO = "video", "Visioconférence"
        ONSITE = "onsite", "Sur place"
        EMAIL = "email", "Courriel"

    class Visibility(models.TextChoices):
        INTERNAL = "internal", "Interne au réseau"
        SHARED = "shared", "Partagée avec la structure"

    class Work(models.TextChoices):
        """Repères work of the organisation an entry points to (its pilots follow the link)."""

        INVENTORY = "inventory", "L'inventaire des activités"
        CHARTER = "charter", "La charte de télétravail"
        ACTION_PLAN = "action_plan", "Le plan d'action"
        DIAGNOSTICS = "diagnostics", "Les diagnostics d'équipe"
        MATURITY = "maturity", "L'autodiagnostic de maturité numérique"

    CONTACTS = (Kind.CONTACT, Kind.MEETING)

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("type", max_length=20, choices=Kind)
    happened_on = models.DateField("date")
    format = models.CharField("format", max_length=20, choices=Format, blank=True)
    summary = models.TextField("ce qui a été dit ou convenu", max_length=ENTRY_MAX_LENGTH)
    link = models.URLField("lien vers un document", max_length=500, blank=True)
    work = models.CharField("travail dans Repères", max_length=20, choices=Work, blank=True)
    visibility = models.CharField(
        "visible par", max_length=20, choices=Visibility, default=Visibility.INTERNAL
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi d'une demande"
        verbose_name_plural = "suivis des demandes"
        ordering = ["-happened_on", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.happened_on:%d/%m/%Y}"

    @property
    def is_shared(self):
        return self.visibility == self.Visibility.SHARED

    def work_url(self):
        """Where the organisation's pilots find the linked work in their space."""
        slug = self.request.organisation.slug
        names = {
            self.Work.INVENTORY: "telework:inventory",
            self.Work.CHARTER: "charters:list",
            self.Work.ACTION_PLAN: "action_plans:list",
            self.Work.DIAGNOSTICS: "campaigns:list",
            self.Work.MATURITY: "maturity:home",
        }
        return reverse(names[self.work], args=[slug]) if self.work else ""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from reperes.listings.models import Contact, Listing
from reperes.matchmaking.legal import get_legal
from reperes.organisations.models import Network, Organisation

TEXT_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 2000
MONEY = {"max_digits": 10, "decimal_places": 2, "null": True, "blank": True}
VOLUME = {"max_digits": 8, "decimal_places": 1, "null": True, "blank": True}


def euros(amount):
    """« 1 234,50 € », as French writes amounts."""
    if amount is None:
        return ""
    whole, _, cents = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{cents} €"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(step=Case.Step.CLOSED)

    def closed(self):
        return self.filter(step=Case.Step.CLOSED)

    def concerning(self, organisation):
        """The cases where `organisation` has the need or is the partner found."""
        return self.filter(Q(organisation=organisation) | Q(partner=organisation))


class Case(models.Model):
    """A sharing case (« dossier de mise en lien ») that the network's matchmaker follows for an
    organisation with a need: diagnostic, calibration of the sharing, a listing published or
    found, putting in touch once both organisations agree, legal assistance where staff are lent
    or a job is shared, follow-up and closing. State changes are the verbs of actions.py."""

    class Step(models.TextChoices):
        DIAGNOSTIC = "diagnostic", "Diagnostic du besoin"
        CALIBRATION = "calibration", "Calibrage du partage"
        SEARCH = "search", "Annonce ou recherche d'un partenaire"
        INTRODUCTION = "introduction", "Mise en lien"
        LEGAL = "legal", "Accompagnement juridique"
        FOLLOW_UP = "follow_up", "Suivi"
        CLOSED = "closed", "Clos"

    class Arrangement(models.TextChoices):
        NONE = "none", "Sans mise à disposition de personnel"
        LENDING = "lending", "Prêt de main-d'œuvre à but non lucratif"
        EMPLOYER_GROUP = "employer_group", "Emploi partagé par un groupement d'employeurs"

    class Unit(models.TextChoices):
        HOURS = "hours", "heures"
        DAYS = "days", "jours"

    class Side(models.TextChoices):
        NEED = "need", "La structure qui a le besoin"
        PARTNER = "partner", "La structure partenaire"

    class Outcome(models.TextChoices):
        DONE = "done", "Partage réalisé"
        ABANDONED = "abandoned", "Abandonné"

    class Satisfaction(models.IntegerChoices):
        NOT_AT_ALL = 1, "Pas du tout satisfaite"
        LITTLE = 2, "Peu satisfaite"
        SATISFIED = 3, "Satisfaite"
        VERY = 4, "Très satisfaite"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name="structure qui a le besoin"
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure partenaire",
    )
    category = models.CharField("catégorie", max_length=20, choices=Listing.Category)
    title = models.CharField("intitulé", max_length=150)
    matchmaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    listing = models.ForeignKey(Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact = models.OneToOneField(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step = models.CharField("étape", max_length=20, choices=Step, default=Step.DIAGNOSTIC)

    # Diagnostic
    need = models.TextField("besoin exprimé", validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    sought = models.TextField(
        "ce qui est réellement recherché", blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    diagnostic_notes = models.TextField(
        "notes du diagnostic", blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )

    # Calibration
    shared_what = models.TextField(
        "ce qui est partagé", blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    unit = models.CharField("unité", max_length=10, choices=Unit, blank=True)
    planned_volume = models.DecimalField("volume prévu", validators=[MinValueValidator(Decimal(0))], **VOLUME)
    starts_on = models.DateField("début prévu", null=True, blank=True)
    ends_on = models.DateField("fin prévue", null=True, blank=True)
    cost_note = models.CharField("coût et répartition", max_length=300, blank=True)
    roles = models.TextField("qui fait quoi", blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    arrangement = models.CharField(
        "cadre juridique", max_length=20, choices=Arrangement, default=Arrangement.NONE
    )
    lender_side = models.CharField("structure prêteuse", max_length=10, choices=Side, blank=True)
    salary = models.DecimalField("salaire versé", validators=[MinValueValidator(Decimal(0))], **MONEY)
    charges = models.DecimalField(
        "charges sociales afférentes", validators=[MinValueValidator(Decimal(0))], **MONEY
    )
    expenses = models.DecimalField(
        "frais professionnels remboursés", validators=[MinValueValidator(Decimal(0))], **MONEY
    )
    invoiced = models.DecimalField(
        "montant facturé à la structure utilisatrice", validators=[MinValueValidator(Decimal(0))], **MONEY
    )
    duties = models.CharField("travail confié", max_length=300, blank=True)
    hours = models.CharField("horaires", max_length=200, blank=True)
    place = models.CharField("lieu de travail", max_length=200, blank=True)
    post_features = models.CharField("caractéristiques particulières du poste", max_length=300, blank=True)
    trial_period = models.CharField("période probatoire", max_length=300, blank=True)

    # Putting in touch: each organisation's agreement, recorded by one of its pilots.
    need_agreed_at = models.DateTimeField(null=True, blank=True)
    need_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_agreed_at = models.DateTimeField(null=True, blank=True)
    partner_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    introduced_at = models.DateTimeField(null=True, blank=True)

    # Legal assistance: {item id: ISO date ticked}; the employee, once they agreed in writing.
    checklist = models.JSONField(default=dict, blank=True)
    employee_name = models.CharField("nom et prénom de la personne salariée", max_length=150, blank=True)
    employee_qualification = models.CharField("qualification", max_length=150, blank=True)

    # Follow-up
    happened = models.BooleanField("le partage a eu lieu", null=True, blank=True)
    shared_from = models.DateField("partage du", null=True, blank=True)
    shared_until = models.DateField("au", null=True, blank=True)
    hours_shared = models.DecimalField(
        "heures partagées", validators=[MinValueValidator(Decimal(0))], **VOLUME
    )
    days_shared = models.DecimalField("jours partagés", validators=[MinValueValidator(Decimal(0))], **VOLUME)
    follow_up_note = models.TextField(
        "ce que le partage a donné", blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    need_satisfaction = models.PositiveSmallIntegerField(
        "satisfaction de la structure qui avait le besoin", choices=Satisfaction, null=True, blank=True
    )
    partner_satisfaction = models.PositiveSmallIntegerField(
        "satisfaction de la structure partenaire", choices=Satisfaction, null=True, blank=True
    )

    # Closing
    outcome = models.CharField("issue", max_length=20, choices=Outcome, blank=True)
    outcome_reason = models.CharField("motif", max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The day the retention rule erased the employee's identity, the notes and the journal.
    personal_data_erased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier de mise en lien"
        verbose_name_plural = "dossiers de mise en lien"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["network", "step"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=True) | ~Q(partner=models.F("organisation")),
                name="case_partner_is_another_organisation",
            ),
            models.CheckConstraint(
                condition=Q(employee_name="") | Q(checklist__has_key="employee-agreement"),
                name="case_employee_named_after_agreement",
            ),
        ]

    def __str__(self):
        return self.title

    def get_network_url(self):
        return reverse("matchmaking:case", args=[self.network.slug, self.pk])

    @property
    def is_open(self):
        return self.step != self.Step.CLOSED

    @property
    def both_agreed(self):
        return self.need_agreed_at is not None and self.partner_agreed_at is not None

    def progress(self):
        """[(label, "done" | "current" | "todo")] of the steps this case goes through: the
        legal step only where staff are lent or a job is shared."""
        steps = [
            (value, label)
            for value, label in self.Step.choices
            if value != self.Step.CLOSED
            and (value != self.Step.LEGAL or self.arrangement != self.Arrangement.NONE)
        ]
        values = [value for value, _ in steps]
        position = len(values) if self.step == self.Step.CLOSED else values.index(self.step)
        return [
            (label, "done" if index < position else "current" if index == position else "todo")
            for index, (_, label) in enumerate(steps)
        ]

    @property
    def planned_volume_label(self):
        return volume_label(self.planned_volume, self.unit)

    @property
    def hours_shared_label(self):
        return volume_label(self.hours_shared, "hours")

    @property
    def days_shared_label(self):
        return volume_label(self.days_shared, "days")

    # Staff lending: who lends, who uses, and whether the amounts stay at cost.

    @property
    def lender(self):
        if self.lender_side == self.Side.NEED:
            return self.organisation
        return self.partner if self.lender_side == self.Side.PARTNER else None

    @property
    def user(self):
        if self.lender_side == self.Side.NEED:
            return self.partner
        return self.organisation if self.lender_side == self.Side.PARTNER else None

    @property
    def cost(self):
        """Salary, social charges and professional expenses: all a lender may invoice."""
        parts = [self.salary, self.charges, self.expenses]
        if all(part is None for part in parts):
            return None
        return sum((part or Decimal(0) for part in parts), Decimal(0))

    @property
    def cost_summary(self):
        zero = Decimal(0)
        return (
            f"salaire {euros(self.salary or zero)}, charges {euros(self.charges or zero)}, frais "
            f"{euros(self.expenses or zero)} ; facturé {euros(self.invoiced) or 'non précisé'}"
        )

    @property
    def profit_reason(self):
        """Why the calibrated lending is unlawful, or ""."""
        return profit_reason(
            arrangement=self.arrangement,
            salary=self.salary,
            charges=self.charges,
            expenses=self.expenses,
            invoiced=self.invoiced,
        )

    # Legal assistance

    def checklist_items(self):
        """[{item, applies, done_on, automatic_ok}] for the case's arrangement, in file order."""
        if self.arrangement == self.Arrangement.NONE:
            return []
        rows = []
        for item in get_legal().checklists[self.arrangement].values():
            if item.applies == "lender_cse":
                applies = self.lender is None or self.lender.has_cse
            elif item.applies == "user_cse":
                applies = self.user is None or self.user.has_cse
            else:
                applies = True
            if item.automatic:
                done_on = None
                done = self.invoiced is not None and self.cost is not None and not self.profit_reason
            else:
                ticked = self.checklist.get(item.id)
                done_on = datetime.date.fromisoformat(ticked) if ticked else None
                done = done_on is not None
            rows.append({"item": item, "applies": applies, "done": done, "done_on": done_on})
        return rows

    def missing_items(self):
        return [row["item"] for row in self.checklist_items() if row["applies"] and not row["done"]]

    @property
    def employee_agreed(self):
        return "employee-agreement" in self.checklist


def volume_label(value, unit):
    """« 1 jour », « 7,5 heures »: a volume as French writes it, or ""."""
    if value is None or not unit:
        return ""
    number = f"{value:.1f}".removesuffix(".0").replace(".", ",")
    word = {"hours": "heure", "days": "jour"}[unit]
    return f"{number} {word}{'s' if value >= 2 else ''}"


def profit_reason(*, arrangement, salary, charges, expenses, invoiced):
    """The French reason why a lending invoiced above its cost is unlawful, or "" (L8241-1)."""
    if arrangement != Case.Arrangement.LENDING or invoiced is None:
        return ""
    cost = sum((part or Decimal(0) for part in (salary, charges, expenses)), Decimal(0))
    if invoiced <= cost:
        return ""
    return (
        f"Le montant facturé ({euros(invoiced)}) dépasse le salaire, les charges sociales et les frais "
        f"professionnels ({euros(cost)}) : la structure prêteuse ferait un bénéfice de "
        f"{euros(invoiced - cost)}. Un prêt de main-d'œuvre à but lucratif est interdit hors travail "
        "temporaire (Code du travail, article L8241-1) : c'est un prêt illicite, puni pénalement. "
        "Ramenez le montant facturé au coût."
    )


class Entry(models.Model):
    """One dated line of a case's journal: a note of the matchmaker, or a step taken."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        STEP = "step", "Étape"
        # Written by Repères itself (a case closed for lack of activity), by nobody.
        AUTOMATIC = "automatic", "Automatique"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.NOTE)
    step = models.CharField("étape", max_length=20, choices=Case.Step)
    text = models.TextField("note", validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "note du dossier"
        verbose_name_plural = "notes du dossier"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]

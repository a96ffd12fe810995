from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reperes.organisations import reference
from reperes.organisations.models import Network, Organisation

DESCRIPTION_MAX_LENGTH = 4000
MESSAGE_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
# A listing runs a year at most from its publication; its author can extend it.
LONGEST_RUN = timedelta(days=366)
# The author is told this long before the end date, and can extend it.
EXPIRY_NOTICE = timedelta(days=7)


class ListingQuerySet(models.QuerySet):
    def published(self, today=None):
        """What the network's members see: published and not past its end date."""
        today = today or timezone.localdate()
        return self.filter(state=Listing.State.PUBLISHED, ends_on__gte=today)

    def expired(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state=Listing.State.PUBLISHED, ends_on__lt=today)

    def awaiting_review(self):
        return self.filter(state=Listing.State.SUBMITTED)

    def visible_to_members(self, network, today=None):
        return self.filter(network=network).published(today)


class Listing(models.Model):
    """An offer or a need that an organisation publishes to its network's members: a skill for
    a mission, a shared job, staff lending, premises, equipment or a service. The network's
    matchmaker checks it before members see it; it leaves the lists at its end date."""

    class Kind(models.TextChoices):
        OFFER = "offer", "Offre"
        NEED = "need", "Besoin"

    class Category(models.TextChoices):
        SKILLS = "skills", "Compétences pour une mission"
        SHARED_JOB = "shared_job", "Emploi partagé (temps partagé, groupement d'employeurs)"
        STAFF_LENDING = "staff_lending", "Prêt de personnel"
        PREMISES = "premises", "Locaux (bureau, salle de réunion, stockage)"
        EQUIPMENT = "equipment", "Matériel (véhicule, outillage, informatique)"
        SERVICES = "services", "Services"

    class Frequency(models.TextChoices):
        ONCE = "once", "Ponctuelle"
        REGULAR = "regular", "Régulière"
        CONTINUOUS = "continuous", "En continu"

    class Conditions(models.TextChoices):
        FREE = "free", "Gratuit"
        AT_COST = "at_cost", "À prix coûtant"
        SHARED_COST = "shared_cost", "Coût partagé"

    class State(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SUBMITTED = "submitted", "En attente de relecture"
        SENT_BACK = "sent_back", "Renvoyée pour modification"
        PUBLISHED = "published", "Publiée"
        REFUSED = "refused", "Refusée"
        WITHDRAWN = "withdrawn", "Retirée"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="listings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="listings")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("offre ou besoin", max_length=10, choices=Kind)
    category = models.CharField("catégorie", max_length=20, choices=Category)
    title = models.CharField("titre", max_length=150)
    description = models.TextField("description", validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    region = models.CharField("région", max_length=3, choices=reference.choices("regions"))
    town = models.CharField("commune", max_length=100)
    starts_on = models.DateField("à partir du", null=True, blank=True)
    ends_on = models.DateField("jusqu'au")
    availability = models.CharField(
        "disponibilités",
        max_length=200,
        blank=True,
        help_text="Par exemple « le mardi et le jeudi », « hors vacances scolaires ».",
    )
    frequency = models.CharField("fréquence", max_length=20, choices=Frequency)
    conditions = models.CharField("conditions", max_length=20, choices=Conditions)
    conditions_detail = models.CharField(
        "précisions sur les conditions",
        max_length=200,
        blank=True,
        help_text="Par exemple « frais de ménage partagés » ou « salaire et charges refacturés ».",
    )
    state = models.CharField("état", max_length=20, choices=State, default=State.DRAFT)
    review_comment = models.TextField(
        "commentaire de la relecture", blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # The day the author was told that the end date is near (once per end date).
    expiry_notice_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = "annonce"
        verbose_name_plural = "annonces"
        ordering = ["-published_on", "-created_at"]
        indexes = [models.Index(fields=["network", "state", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="listing_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def region_label(self):
        return reference.label("regions", self.region)

    @property
    def is_expired(self):
        return self.state == self.State.PUBLISHED and self.ends_on < timezone.localdate()

    @property
    def is_visible_to_members(self):
        return self.state == self.State.PUBLISHED and not self.is_expired

    @property
    def is_editable(self):
        """The author edits a draft, a listing sent back, or a published one (which then goes
        back to the matchmaker)."""
        return self.state in (self.State.DRAFT, self.State.SENT_BACK, self.State.PUBLISHED)

    @property
    def status_label(self):
        return "Expirée" if self.is_expired else self.get_state_display()


class Report(models.Model):
    """A member tells the matchmaker that a listing is wrong, out of date or out of place."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField("motif", validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Signalement de « {self.listing} »"


class Contact(models.Model):
    """An organisation asks to be put in touch about a listing. No address is shown: the
    matchmaker asks the listing's organisation, and once both sides agree, opens a sharing case
    from the request (reperes.matchmaking), whose introduction gives each the other's contact."""

    class State(models.TextChoices):
        ASKED = "asked", "Demandée"
        FORWARDED = "forwarded", "Transmise à l'auteur de l'annonce"
        ACCEPTED = "accepted", "Acceptée par l'auteur de l'annonce"
        DECLINED = "declined", "Déclinée"
        INTRODUCED = "introduced", "Mise en lien faite"

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField("message", validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)])
    state = models.CharField("état", max_length=20, choices=State, default=State.ASKED)
    # Who on the listing's side answered, and who introduced them: the addresses given in the
    # introduction are theirs at that moment, never shown before.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    introduced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "demande de mise en lien"
        verbose_name_plural = "demandes de mise en lien"
        ordering = ["-created_at"]
        constraints = [
            # One open request per organisation and listing: asking twice adds nothing.
            models.UniqueConstraint(
                fields=["listing", "organisation"],
                condition=Q(state__in=["asked", "forwarded", "accepted"]),
                name="one_open_contact_per_listing",
            )
        ]

    def __str__(self):
        return f"Mise en lien « {self.listing} » — {self.organisation}"

    @property
    def is_open(self):
        return self.state in (self.State.ASKED, self.State.FORWARDED, self.State.ACCEPTED)

    @property
    def both_agreed(self):
        """The asking organisation agreed by asking; the listing's side by accepting."""
        return self.state in (self.State.ACCEPTED, self.State.INTRODUCED)

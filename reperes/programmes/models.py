import secrets
import uuid
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns.models import Campaign
from reperes.lib.models import ContentVersion, VersionedContent
from reperes.organisations.models import Membership, Network, Organisation, new_join_code

# A workshop of this many minutes or more is a full day: attendance is taken by half day.
FULL_DAY_MINUTES = 360


def new_feed_token():
    return secrets.token_urlsafe(24)


class ProgrammeQuerySet(models.QuerySet):
    def available_to(self, network):
        """The programmes shipped with Repères and those `network` wrote and published: never
        another network's."""
        return self.filter(models.Q(network__isnull=True) | models.Q(network=network))


class Programme(VersionedContent):
    """A programme template's identity (« parcours d'accompagnement »); its sessions, tasks and
    rules live in immutable versions, so that a cohort keeps the version it was created from."""

    title = models.CharField("titre", max_length=200)
    # None: shipped with Repères (a data file in content/), for every network; otherwise written
    # by a network in the interface (a ProgrammeDraft published), for its own cohorts only.
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name="réseau",
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["title"]

    def __str__(self):
        return self.title


class ProgrammeVersion(ContentVersion):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    content = models.JSONField("contenu")

    class Meta:
        verbose_name = "version de parcours"
        verbose_name_plural = "versions de parcours"
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_programme_version_number")
        ]

    def __str__(self):
        return f"{self.programme} (version {self.number})"

    @cached_property
    def spec(self):
        from reperes.programmes.definition import ProgrammeSpec

        return ProgrammeSpec.from_content(self.content)


class ProgrammeDraftQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(published_version__isnull=True)


class ProgrammeDraft(models.Model):
    """A programme template a network is writing in the interface: a content dict valid by the
    same rules as a template file (definition.parse_programme), checked at every save.

    Written from scratch, or as a copy of a version (`based_on`: a shipped template, which never
    changes, or the network's own published one, whose `programme` it then continues).
    Publishing makes a new immutable ProgrammeVersion of the network's programme
    (`actions.publish_template_draft`); the draft then keeps which version it became and no
    longer changes: editing a published template starts a new draft. `revision` counts the
    saves, so that a form opened before someone else's save is refused rather than undoing it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="programme_drafts")
    title = models.CharField("titre", max_length=200)
    content = models.JSONField("contenu")
    based_on = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="copie de",
    )
    # The network's programme this draft becomes the next version of (None until its first
    # publication, for a template written from scratch or copied from a shipped one).
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name="parcours",
    )
    revision = models.PositiveIntegerField("révision", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="modifié par",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    published_version = models.OneToOneField(
        ProgrammeVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name="version publiée",
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)

    objects = ProgrammeDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "brouillon de parcours"
        verbose_name_plural = "brouillons de parcours"
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:template_draft", args=[self.network.slug, self.pk])

    @property
    def is_published(self):
        return self.published_version_id is not None

    @cached_property
    def spec(self):
        from reperes.programmes.definition import ProgrammeSpec

        return ProgrammeSpec.from_content(self.content)


class CohortQuerySet(models.QuerySet):
    def led_by(self, user):
        return self.filter(facilitators=user)


class Cohort(models.Model):
    """One run of a programme by a network's facilitators, with the organisations enrolled."""

    class State(models.TextChoices):
        PREPARING = "preparing", "En préparation"
        RECRUITING = "recruiting", "Candidatures ouvertes"
        RUNNING = "running", "En cours"
        FINISHED = "finished", "Terminé"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="cohorts")
    programme_version = models.ForeignKey(ProgrammeVersion, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField("nom", max_length=200)
    state = models.CharField("état", max_length=20, choices=State, default=State.PREPARING)
    places = models.PositiveSmallIntegerField("nombre de places")
    location = models.CharField("lieu habituel", max_length=200, blank=True)
    applications_close_on = models.DateField("fin des candidatures", null=True, blank=True)
    join_code = models.CharField("code d'inscription", max_length=16, unique=True, default=new_join_code)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_cohorts", verbose_name="accompagnateur·rices"
    )
    partners = models.TextField("partenaires", blank=True)
    funders = models.TextField("financeurs", blank=True)
    faq_for_network = models.BooleanField("FAQ ouverte aux membres du réseau", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = "cohorte"
        verbose_name_plural = "cohortes"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:cohort", args=[self.network.slug, self.pk])

    @property
    def spec(self):
        return self.programme_version.spec

    @property
    def is_recruiting(self):
        if self.state != self.State.RECRUITING:
            return False
        return self.applications_close_on is None or timezone.localdate() <= self.applications_close_on

    def accepted_enrolments(self):
        return self.enrolments.filter(state=Enrolment.State.ACCEPTED)

    def places_left(self):
        return max(self.places - self.accepted_enrolments().count(), 0)


class Speaker(models.Model):
    """Someone who speaks at a cohort's workshops: an expert, a labour-court adviser…"""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField("nom", max_length=200)
    organisation_name = models.CharField("structure", max_length=200, blank=True)
    role = models.CharField("rôle", max_length=200, blank=True)

    class Meta:
        verbose_name = "intervenant·e"
        verbose_name_plural = "intervenant·es"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Workshop(models.Model):
    """One session of a cohort (« atelier »), numbered as in the programme template.

    Its date is known as the seeds give it: an exact date and time, a week whose day the
    participants choose together, or only a month. Only an exact date makes a calendar event;
    `uid` and `sequence` let calendars update the same event when it moves."""

    class Precision(models.TextChoices):
        EXACT = "exact", "Date et heure fixées"
        WEEK = "week", "Semaine fixée, jour à choisir ensemble"
        MONTH = "month", "Mois seulement"

    class Format(models.TextChoices):
        ONSITE = "onsite", "Sur place"
        REMOTE = "remote", "À distance"
        HYBRID = "hybrid", "Sur place et à distance"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="workshops")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("titre", max_length=200)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)")
    format = models.CharField("format", max_length=20, choices=Format, default=Format.ONSITE)
    precision = models.CharField("date", max_length=20, choices=Precision, default=Precision.MONTH)
    starts_at = models.DateTimeField("début", null=True, blank=True)
    week_of = models.DateField("semaine du", null=True, blank=True)
    month = models.DateField("mois", null=True, blank=True)
    location = models.CharField("lieu", max_length=200, blank=True)
    remote_link = models.URLField("lien de connexion", max_length=500, blank=True)
    poll_closes_on = models.DateField("fin du sondage de dates", null=True, blank=True)
    task_due_on = models.DateField("travail d'intersession à rendre le", null=True, blank=True)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="workshops")
    # The anonymous satisfaction questionnaire of the workshop: a campaign of the network,
    # opened when attendance is first taken, closing a week after the workshop.
    satisfaction = models.OneToOneField(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshop"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "atelier"
        verbose_name_plural = "ateliers"
        ordering = ["cohort", "number"]
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="one_workshop_number")]

    def __str__(self):
        return f"Atelier {self.number} : {self.title}"

    @property
    def spec(self):
        return self.cohort.spec.session(self.number)

    @property
    def is_dated(self):
        return self.precision == self.Precision.EXACT and self.starts_at is not None

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None

    @property
    def calendar_summary(self):
        return f"Atelier {self.number} : {self.title} — {self.cohort.name}"

    @property
    def calendar_location(self):
        if self.format == self.Format.REMOTE:
            return "À distance"
        return self.location or self.cohort.location

    @property
    def is_full_day(self):
        return self.duration_minutes >= FULL_DAY_MINUTES

    @property
    def hours(self):
        return self.duration_minutes / 60

    @property
    def has_taken_place(self):
        return self.is_dated and not self.is_cancelled and self.starts_at <= timezone.now()

    @property
    def halves(self):
        """The parts attendance is taken for: morning and afternoon for a full day."""
        if self.is_full_day:
            return [Attendance.Half.MORNING, Attendance.Half.AFTERNOON]
        return [Attendance.Half.WHOLE]

    @property
    def poll_is_open(self):
        return (
            self.precision == self.Precision.WEEK
            and self.poll_closes_on is not None
            and timezone.localdate() <= self.poll_closes_on
        )

    def poll_days(self):
        """The working days of the week being decided."""
        if not self.week_of:
            return []
        return [self.week_of + timedelta(days=n) for n in range(5)]


class EnrolmentQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(state=Enrolment.State.ACCEPTED)


class Enrolment(models.Model):
    """An organisation's place in a cohort, from its application (or its code) on."""

    class State(models.TextChoices):
        APPLIED = "applied", "Candidature envoyée"
        ACCEPTED = "accepted", "Inscrite"
        DECLINED = "declined", "Candidature non retenue"
        WITHDRAWN = "withdrawn", "Retirée"

    class Outcome(models.TextChoices):
        ENGAGED = "engaged", "A engagé une démarche QVT durable"
        NOT_ENGAGED = "not_engaged", "N'a pas engagé de démarche durable"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="enrolments")
    state = models.CharField("état", max_length=20, choices=State, default=State.APPLIED)
    joined_with_code = models.BooleanField("inscrite avec le code", default=False)
    motivation = models.TextField("motivation", blank=True)
    management_commitment = models.BooleanField("engagement de la direction", default=False)
    decline_reason = models.TextField("motif", blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField("six mois après", max_length=20, choices=Outcome, blank=True)
    outcome_reason = models.TextField("pourquoi", blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="one_enrolment_per_cohort")
        ]

    def __str__(self):
        return f"{self.organisation} — {self.cohort}"

    @property
    def is_accepted(self):
        return self.state == self.State.ACCEPTED


class Participant(models.Model):
    """A member of an enrolled organisation named to attend the workshops."""

    class PairRole(models.TextChoices):
        MANAGER = "manager", "Direction"
        EMPLOYEE = "employee", "Salarié·e"
        STAFF_REP = "staff_rep", "Représentant·e du personnel"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="participants")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="participations")
    pair_role = models.CharField("place dans le binôme", max_length=20, choices=PairRole, blank=True)
    feed_token = models.CharField(max_length=40, unique=True, default=new_feed_token, editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "participant·e"
        verbose_name_plural = "participant·es"
        ordering = ["membership__user__name"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "membership"], name="one_participant_per_member")
        ]

    def __str__(self):
        return str(self.membership.user)

    @property
    def user(self):
        return self.membership.user


class DateChoice(models.Model):
    """A participant's answer to a workshop's date poll: the days of the week that suit them."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="date_choices")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="date_choices")
    days = models.JSONField("jours qui conviennent", default=list)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "disponibilité"
        verbose_name_plural = "disponibilités"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "participant"], name="one_date_choice_per_person")
        ]

    def __str__(self):
        return f"{self.participant} — atelier {self.workshop.number}"


class Attendance(models.Model):
    """Whether a participant attended a workshop (or half of a full-day one)."""

    class Status(models.TextChoices):
        ONSITE = "onsite", "Présent·e sur place"
        REMOTE = "remote", "Présent·e à distance"
        EXCUSED = "excused", "Excusé·e"
        ABSENT = "absent", "Absent·e"

    class Half(models.TextChoices):
        WHOLE = "whole", "Séance"
        MORNING = "morning", "Matin"
        AFTERNOON = "afternoon", "Après-midi"

    PRESENT = (Status.ONSITE, Status.REMOTE)

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")
    half = models.CharField("partie", max_length=20, choices=Half, default=Half.WHOLE)
    status = models.CharField("présence", max_length=20, choices=Status)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "participant", "half"], name="one_attendance_per_half"
            )
        ]

    def __str__(self):
        return f"{self.participant} — atelier {self.workshop.number} ({self.get_half_display()})"

    @property
    def is_present(self):
        return self.status in self.PRESENT

    @property
    def minutes(self):
        """The time this record counts towards the attendance certificate."""
        if not self.is_present:
            return 0
        if self.half == self.Half.WHOLE:
            return self.workshop.duration_minutes
        return self.workshop.duration_minutes // 2


class Assignment(models.Model):
    """An organisation's intersession work handed in after a workshop (« travail d'intersession »)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="assignments")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="assignments")
    text = models.TextField("ce que nous avons fait")
    handed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handed_in_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField("rendu en retard", default=False)

    class Meta:
        verbose_name = "travail d'intersession"
        verbose_name_plural = "travaux d'intersession"
        ordering = ["workshop__number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "workshop"], name="one_assignment_per_workshop")
        ]

    def __str__(self):
        return f"{self.enrolment} — atelier {self.workshop.number}"


class AssignmentFile(models.Model):
    """A copy of a document the organisation chose to attach: never a link into its space."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="files")
    name = models.CharField("nom", max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    attached_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Note(models.Model):
    """A facilitator's comment on intersession work or a follow-up note of individual
    accompaniment. The organisation's pilots read it, unless it is marked private."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="notes")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("note")
    is_private = models.BooleanField("visible des accompagnateur·rices seulement", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "note de suivi"
        verbose_name_plural = "notes de suivi"
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class ExpertQuestion(models.Model):
    """A participant's question for the expert. Only the cohort's facilitators read it: not even
    the other participant of the same organisation. It names nobody once it is in the FAQ."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("question")
    faq_entry = models.ForeignKey(
        "FaqEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "question pour l'expert"
        verbose_name_plural = "questions pour l'expert"
        ordering = ["asked_at"]

    def __str__(self):
        return self.text[:60]


class FaqEntry(models.Model):
    """A question reworded by the facilitator, with the expert's answer."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="faq")
    question = models.TextField("question")
    answer = models.TextField("réponse", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "question-réponse"
        verbose_name_plural = "foire aux questions"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.question[:60]


class NetworkEvent(models.Model):
    """A webinar, a conference or a restitution the network holds outside any cohort (or to
    recruit one): members register; its reach is counted for the programme evaluation (who
    registered, from which region, how many attended live, replays)."""

    class Kind(models.TextChoices):
        WEBINAR = "webinar", "Webinaire"
        CONFERENCE = "conference", "Conférence"
        RESTITUTION = "restitution", "Restitution"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="network_events")
    kind = models.CharField("type", max_length=20, choices=Kind, default=Kind.WEBINAR)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("présentation", blank=True)
    region = models.CharField(
        "région", max_length=3, blank=True, help_text="Laissez vide pour un événement national."
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="launch_events",
        verbose_name="cohorte à laquelle il invite",
    )
    format = models.CharField(
        "format", max_length=20, choices=Workshop.Format, default=Workshop.Format.REMOTE
    )
    location = models.CharField("lieu", max_length=200, blank=True)
    remote_link = models.URLField("lien de connexion", max_length=500, blank=True)
    replay_link = models.URLField("lien du replay", max_length=500, blank=True)
    replay_clicks = models.PositiveIntegerField("clics sur le replay", default=0)
    host_views = models.PositiveIntegerField(
        "vues selon l'hébergeur vidéo",
        null=True,
        blank=True,
        help_text="Le chiffre que donne la plateforme vidéo (direct et replay), si vous l'avez.",
    )
    registrations_open = models.BooleanField("inscriptions ouvertes", default=True)
    # The anonymous satisfaction questionnaire sent to those registered, once the sessions are
    # over: a campaign of the network, like a workshop's.
    satisfaction = models.OneToOneField(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="network_event"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement du réseau"
        verbose_name_plural = "événements du réseau"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def region_label(self):
        from reperes.organisations import reference

        return reference.label("regions", self.region) if self.region else "National"

    @property
    def live_attendance(self):
        return sum(session.live_attendance or 0 for session in self.sessions.all())

    @property
    def is_over(self):
        sessions = [s for s in self.sessions.all() if not s.is_cancelled]
        return bool(sessions) and all(s.has_taken_place for s in sessions)


class EventSession(models.Model):
    """One session of a network event (a conference may have four), a calendar event like a
    workshop: same UID across moves, a higher SEQUENCE, STATUS:CANCELLED."""

    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("titre", max_length=200, blank=True)
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=90)
    live_attendance = models.PositiveIntegerField("personnes connectées ou présentes", null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "séance d'un événement"
        verbose_name_plural = "séances des événements"
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="one_event_session_number")]

    def __str__(self):
        return f"{self.event} — séance {self.number}"

    # The calendar attributes (reperes/programmes/calendar.py), as a workshop has them.
    is_dated = True

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def format(self):
        return self.event.format

    @property
    def remote_link(self):
        return self.event.remote_link

    def get_format_display(self):
        return self.event.get_format_display()

    @property
    def calendar_summary(self):
        title = f" : {self.title}" if self.title else ""
        return f"{self.event.title}{title}"

    @property
    def calendar_location(self):
        return "À distance" if self.format == Workshop.Format.REMOTE else self.event.location

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def has_taken_place(self):
        return self.starts_at <= timezone.now()


class Registration(models.Model):
    """A member's registration to a network event, with the organisation they come from."""

    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="event_registrations"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "inscription à un événement"
        verbose_name_plural = "inscriptions aux événements"
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]

    def __str__(self):
        return f"{self.user} → {self.event}"

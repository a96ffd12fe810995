import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from reperes.lib.mail import single_line
from reperes.organisations import reference

# Join codes avoid letters and digits that are easy to confuse when read aloud or typed.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


def unique_slug(model, name, *, max_length=50):
    base = slugify(name)[: max_length - 4].strip("-") or "structure"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Role(models.TextChoices):
    LEAD = "lead", "Référent·e"
    STAFF_REP = "staff_rep", "Représentant·e du personnel"
    MEMBER = "member", "Membre"


class NetworkRole(models.TextChoices):
    ADMIN = "admin", "Administration du réseau"
    FACILITATOR = "facilitator", "Accompagnateur·rice"
    ANALYST = "analyst", "Chargé·e d'observatoire"
    MATCHMAKER = "matchmaker", "Chargé·e de mise en lien"


class Network(models.Model):
    """A regional or national union that supports organisations."""

    class Scope(models.TextChoices):
        REGIONAL = "regional", "Régional"
        NATIONAL = "national", "National"

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant", unique=True)
    scope = models.CharField("échelle", max_length=20, choices=Scope, default=Scope.REGIONAL)
    region = models.CharField("région", max_length=3, blank=True)
    description = models.TextField("présentation", blank=True)
    join_code = models.CharField("code d'adhésion", max_length=16, unique=True, default=new_join_code)
    created_at = models.DateTimeField("création", auto_now_add=True)

    class Meta:
        verbose_name = "réseau"
        verbose_name_plural = "réseaux"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Network, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("networks:home", args=[self.slug])

    def clean(self):
        self.name = single_line(self.name)  # it goes into mail subjects (admin forms too)
        reference.check_code("regions", self.region)

    @property
    def region_label(self):
        return reference.label("regions", self.region)

    def staff_organisation_ids(self):
        """The ids of the member organisations that someone of the network's staff belongs to:
        they read those teams' results and answers, so the network's figures treat them as
        known (an analyst could otherwise pad a small cell with organisations of their own,
        then subtract them)."""
        staff = NetworkMembership.objects.filter(network=self).values("user_id")
        return frozenset(
            Membership.objects.filter(user_id__in=staff, organisation__affiliations__network=self)
            .values_list("organisation_id", flat=True)
            .distinct()
        )

    def get_abilities(self, network_membership):
        """What the holder of `network_membership` may do in this network.

        Network roles never see inside an organisation: only what it shared with them.
        """
        role = network_membership.role if network_membership else None
        is_admin = role == NetworkRole.ADMIN
        return {
            "view": role is not None,
            "manage_staff": is_admin,
            "manage_organisations": is_admin,
            "see_organisation_list": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR),
            # Facilitators run cohorts, and with administrators create them; what organisations
            # share reaches facilitators only (reperes.sharing).
            "run_cohorts": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR),
            "see_shares": role == NetworkRole.FACILITATOR,
            # Accompaniment requests (reperes.requests): facilitators take and follow them,
            # administrators assign them too; analysts see only the figures.
            "handle_requests": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR),
            "assign_requests": is_admin,
            "see_request_figures": role is not None,
            # The catalogue of offers (reperes.offers): every role reads it, staff keep it.
            "manage_offers": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR),
            # Programme evaluation (reperes.evaluation): every role reads it, staff enter figures.
            "evaluate_programmes": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR),
            # The observatory (reperes.observatory): every role reads its releases; the
            # administrators and analysts may ask for one between the quarterly ones.
            "see_observatory": role is not None,
            "request_release": role in (NetworkRole.ADMIN, NetworkRole.ANALYST),
            # Surveys of the member organisations (reperes.surveys): administrators and analysts
            # prepare, open, remind and close them; every role reads response rates and results.
            "run_surveys": role in (NetworkRole.ADMIN, NetworkRole.ANALYST),
            "see_surveys": role is not None,
            # Skills sharing (reperes.listings, reperes.matchmaking): the matchmaker (« chargé·e
            # de mise en lien ») and the administrators check listings before members see them,
            # turn contact requests into introductions and follow the sharing cases.
            "match": role in (NetworkRole.ADMIN, NetworkRole.MATCHMAKER),
            # The network's own questionnaires (reperes.instruments): its staff import, check
            # and publish them, and export any questionnaire as an XLSForm workbook.
            "author_content": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR, NetworkRole.ANALYST),
            # The network's library (reperes.resources): its staff keep it.
            "manage_resources": role in (NetworkRole.ADMIN, NetworkRole.FACILITATOR, NetworkRole.MATCHMAKER),
        }


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=NetworkRole)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre d'un réseau"
        verbose_name_plural = "membres des réseaux"
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="one_network_role_per_user")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.network}"


class Organisation(models.Model):
    """A structure of the social economy: association, cooperative, mutual…"""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant", unique=True)
    legal_form = models.CharField("forme juridique", max_length=40)
    headcount = models.PositiveIntegerField(
        "effectif",
        help_text="Nombre de personnes qui travaillent dans la structure, salariées ou non.",
    )
    # Every cut-off of the programmes and the law counts employees, not volunteers: a separate
    # figure, asked where it is missing.
    employees = models.PositiveIntegerField(
        "nombre de salarié·es",
        null=True,
        blank=True,
        help_text="Salarié·es sous contrat de travail, quel que soit leur temps de travail.",
    )
    has_cse = models.BooleanField("a un comité social et économique (CSE)", default=False)
    has_union_delegate = models.BooleanField("a un·e délégué·e syndical·e", default=False)
    sector = models.CharField("secteur d'activité", max_length=40)
    region = models.CharField("région", max_length=3)
    opco = models.CharField("OPCO", max_length=40, blank=True)
    # The agreement to contribute anonymous aggregates to the statistics of the networks the
    # organisation belongs to (reperes.observatory); changed by actions.set_statistics_consent.
    # db_default too: rows written by older code (and the migration test's past models) say no.
    shares_statistics = models.BooleanField(
        "contribue aux statistiques anonymes de ses réseaux", default=False, db_default=False
    )
    statistics_consent_on = models.DateField("date de l'accord ou du retrait", null=True, blank=True)
    networks = models.ManyToManyField(
        Network, through="Affiliation", related_name="organisations", blank=True
    )
    created_at = models.DateTimeField("création", auto_now_add=True)

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("spaces:dashboard", args=[self.slug])

    def clean(self):
        self.name = single_line(self.name)  # it goes into mail subjects (admin forms too)
        errors = {}
        for field, list_name in [
            ("legal_form", "legal_forms"),
            ("sector", "sectors"),
            ("region", "regions"),
            ("opco", "opcos"),
        ]:
            try:
                reference.check_code(list_name, getattr(self, field))
            except ValidationError as error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)

    @property
    def legal_form_label(self):
        return reference.label("legal_forms", self.legal_form)

    @property
    def sector_label(self):
        return reference.label("sectors", self.sector)

    @property
    def region_label(self):
        return reference.label("regions", self.region)

    @property
    def opco_label(self):
        return reference.label("opcos", self.opco)

    @property
    def size_band(self):
        band = reference.size_band(self.headcount)
        return band["code"] if band else ""

    @property
    def size_band_label(self):
        band = reference.size_band(self.headcount)
        return band["label"] if band else ""

    def leads(self):
        return self.memberships.filter(role=Role.LEAD)

    def pilots(self):
        """The memberships that run the team space: leads and staff representatives."""
        return self.memberships.filter(role__in=(Role.LEAD, Role.STAFF_REP))

    def team_figures(self):
        """The counts the dashboard shows about the team itself."""
        members = self.memberships.all()
        return {
            "member_count": members.count(),
            "pilot_count": members.exclude(role=Role.MEMBER).count(),
            "pending_invitations": self.invitations.pending().count(),
        }

    def get_abilities(self, membership):
        """What the holder of `membership` may do here, for views and templates.

        Staff representatives see everything the lead sees (BRIEF: participation by design);
        managing people and the organisation's profile stays with leads.
        """
        role = membership.role if membership else None
        is_lead = role == Role.LEAD
        is_pilot = role in (Role.LEAD, Role.STAFF_REP)
        return {
            "view": role is not None,
            "view_members": role is not None,
            "view_events": is_pilot,
            "invite": is_lead,
            "manage_members": is_lead,
            "edit": is_lead,
            "manage_networks": is_lead,
            "leave": role is not None,
            # Every member takes part in the team space: diagnostics, discussions, action plan,
            # telework tools. Pilots (leads and staff representatives) run them.
            "take_part": role is not None,
            "pilot": is_pilot,
        }


class Affiliation(models.Model):
    """An organisation's membership of a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    joined_at = models.DateTimeField("adhésion", auto_now_add=True)

    class Meta:
        verbose_name = "adhésion à un réseau"
        verbose_name_plural = "adhésions aux réseaux"
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="one_affiliation_per_network")
        ]

    def __str__(self):
        return f"{self.organisation} — {self.network}"


class MembershipQuerySet(models.QuerySet):
    def with_users(self):
        return self.select_related("user").order_by("user__name", "user__email")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def default_invitation_expiry():
    return timezone.now() + timezone.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class BaseInvitation(models.Model):
    """An invitation sent by email. The link carries a signed copy of the id; it works once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("adresse e-mail")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def state(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"


class Invitation(BaseInvitation):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField("rôle", max_length=20, choices=Role, default=Role.MEMBER)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class NetworkInvitation(BaseInvitation):
    """Invites a person to a network role, or an organisation (through its lead) to join."""

    ORGANISATION = "organisation"
    ROLE_CHOICES = [*NetworkRole.choices, (ORGANISATION, "Structure adhérente")]

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField("invité·e comme", max_length=20, choices=ROLE_CHOICES)

    class Meta:
        verbose_name = "invitation à un réseau"
        verbose_name_plural = "invitations aux réseaux"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.network}"


class Event(models.Model):
    """One line of the audit trail: who did what, when, in which organisation or network."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField("action", max_length=60)
    target = models.CharField("objet", max_length=200, blank=True)
    description = models.CharField("description", max_length=300)
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "journal des événements"
        ordering = ["-created_at"]

    def __str__(self):
        return self.description

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from reperes.organisations.models import Organisation


class Frequency(models.TextChoices):
    DAILY = "daily", "Tous les jours"
    WEEKLY = "weekly", "Chaque semaine"
    MONTHLY = "monthly", "Chaque mois"
    OCCASIONAL = "occasional", "De temps en temps"


# Rough occurrences per month, to weigh activities against each other in the summary.
FREQUENCY_WEIGHT = {"daily": 20, "weekly": 4, "monthly": 1, "occasional": 0.5}


class Remote(models.TextChoices):
    YES = "yes", "Oui"
    PARTLY = "partly", "En partie"
    NO = "no", "Non"


REMOTE_SHARE = {"yes": 1.0, "partly": 0.5, "no": 0.0}


class Activity(models.Model):
    """An activity of the team (not a job title) and whether it can be done remotely."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(
        "activité", max_length=200, help_text="Par exemple « saisir les factures », pas « comptable »."
    )
    role = models.CharField(
        "fonction ou équipe",
        max_length=100,
        help_text="Qui la fait d'habitude, par exemple « Administratif ».",
    )
    description = models.TextField("description", blank=True, max_length=2000)
    frequency = models.CharField("fréquence", max_length=20, choices=Frequency, default=Frequency.WEEKLY)
    on_site_needs = models.TextField(
        "ce qu'elle demande sur place",
        blank=True,
        max_length=2000,
        help_text="Matériel, documents papier, collègues, public accueilli…",
    )
    remote = models.CharField("faisable à distance", max_length=10, choices=Remote, default=Remote.NO)
    conditions = models.TextField("à quelles conditions", blank=True, max_length=2000)
    groupable = models.BooleanField(
        "peut se regrouper en journées entières", default=False, help_text="Par exemple un jour par semaine."
    )
    days_per_month = models.PositiveSmallIntegerField("jours par mois ainsi regroupables", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "activité"
        verbose_name_plural = "activités"
        ordering = ["role", "title"]

    def __str__(self):
        return self.title


class ActivityMember(models.Model):
    """A member does this activity, and may wish to do it remotely. The wish is personal: only
    the member, the leads and the staff representatives see it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    wishes_remote = models.BooleanField("souhaite la faire à distance", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="one_mark_per_member")]

    def __str__(self):
        return f"{self.user} — {self.activity}"


AXIS = [MinValueValidator(-5), MaxValueValidator(5)]


class InformationFlow(models.Model):
    """A flow of information placed on the guide's diagram (fiche 2), today and where it should be.

    x: -5 useful for daily work … +5 useful for the organisation's collective life;
    y: -5 free access (shared folder, intranet) … +5 imposed (mail, text message, meeting).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="information_flows")
    name = models.CharField(
        "information", max_length=120, help_text="Par exemple « planning de la semaine »."
    )
    current_x = models.SmallIntegerField("aujourd'hui : usage", validators=AXIS)
    current_y = models.SmallIntegerField("aujourd'hui : diffusion", validators=AXIS)
    target_x = models.SmallIntegerField("demain : usage", validators=AXIS, null=True, blank=True)
    target_y = models.SmallIntegerField("demain : diffusion", validators=AXIS, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "flux d'information"
        verbose_name_plural = "flux d'information"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def moves(self):
        return self.target_x is not None and (self.target_x, self.target_y) != (
            self.current_x,
            self.current_y,
        )


class Purpose(models.TextChoices):
    """The guide's three uses of digital tools (fiche 6)."""

    EXCHANGE = "exchange", "Échanger"
    COLLABORATE = "collaborate", "Travailler ensemble"
    INFORM = "inform", "S'informer"


class ReplyDelay(models.TextChoices):
    HOUR = "hour", "Dans l'heure"
    DAY = "day", "Dans la journée"
    TWO_DAYS = "two_days", "Sous 48 heures"
    NONE = "none", "Pas de réponse attendue"


class Tool(models.Model):
    """A digital tool of the team and the rule for using it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tools")
    name = models.CharField(
        "outil", max_length=100, help_text="Par exemple « messagerie », « groupe WhatsApp »."
    )
    purpose = models.CharField("sert à", max_length=20, choices=Purpose)
    reply_delay = models.CharField(
        "délai de réponse attendu", max_length=20, choices=ReplyDelay, default=ReplyDelay.DAY
    )
    hours_from = models.TimeField("utilisé de", null=True, blank=True)
    hours_to = models.TimeField("à", null=True, blank=True)
    urgent_channel = models.CharField(
        "pour une urgence, passer plutôt par",
        max_length=100,
        blank=True,
        help_text="Par exemple « le téléphone ».",
    )

    class Meta:
        verbose_name = "outil"
        verbose_name_plural = "outils"
        ordering = ["purpose", "name"]

    def __str__(self):
        return self.name


class UsageCharter(models.Model):
    """The team's rules for a reasonable use of digital tools and the right to disconnect."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="usage_charter")
    disconnect_from = models.TimeField("pas de sollicitation à partir de", null=True, blank=True)
    disconnect_to = models.TimeField("jusqu'à", null=True, blank=True)
    weekend = models.BooleanField("ni le week-end", default=True)
    importance_levels = models.TextField(
        "niveaux d'importance des messages",
        blank=True,
        max_length=2000,
        help_text="Par exemple : « URGENT » dans l'objet seulement si cela ne peut attendre le lendemain.",
    )
    quiet_slots = models.TextField(
        "plages sans réunion ou sans téléphone",
        blank=True,
        max_length=2000,
        help_text="Par exemple le mardi matin.",
    )
    overconnection_alert = models.TextField(
        "que faire si quelqu'un est trop connecté", blank=True, max_length=2000
    )
    awareness_actions = models.TextField(
        "actions de sensibilisation et de formation", blank=True, max_length=2000
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_on = models.DateField("mise à jour le", null=True, blank=True)

    class Meta:
        verbose_name = "charte d'usage et de déconnexion"
        verbose_name_plural = "chartes d'usage et de déconnexion"

    def __str__(self):
        return f"Charte d'usage — {self.organisation}"

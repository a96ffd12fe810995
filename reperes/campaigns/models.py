import hashlib
import secrets
import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reperes.instruments.models import QuestionnaireVersion
from reperes.organisations.models import Network, Organisation


def new_token():
    """128 bits of randomness, URL-safe: for share links, results links and drafts."""
    return secrets.token_urlsafe(16)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def anonymity_threshold():
    return settings.ANONYMITY_THRESHOLD


# Open answers are shown only from this many responses to the campaign: more than k, because a
# sentence can give its author away where a tick cannot. A setting can raise it, never lower it
# below k.
FREE_TEXT_THRESHOLD = 10


def free_text_threshold():
    return max(getattr(settings, "FREE_TEXT_THRESHOLD", FREE_TEXT_THRESHOLD), anonymity_threshold())


class CampaignQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("questionnaire_version__questionnaire").annotate(
            responses_total=models.Count("responses", distinct=True)
        )


class Campaign(models.Model):
    """One run of a questionnaire: a « diagnostic » in the interface.

    A campaign belongs to an organisation (its team answers about itself) or to a network (the
    network asks people outside any one team: the satisfaction questionnaire of a cohort's
    workshop, later network surveys). The apps above say what a network's campaign is for
    (a workshop points at its campaign); this one answers, closes and counts both alike."""

    class Mode(models.TextChoices):
        INDIVIDUAL = "individual", "Individuel et anonyme"
        COLLECTIVE = "collective", "Collectif, en réunion"

    class State(models.TextChoices):
        DRAFT = "draft", "En préparation"
        OPEN = "open", "Ouvert aux réponses"
        CLOSED = "closed", "Clôturé"

    class CollectiveMethod(models.TextChoices):
        COUNTS = "counts", "Compter les mains levées pour chaque réponse"
        CONSENSUS = "consensus", "Noter la réponse sur laquelle l'équipe s'accorde"

    class Access(models.TextChoices):
        LINK = "link", "Un lien partagé, et des invitations si vous le souhaitez"
        INVITATIONS = "invitations", "Des invitations personnelles seulement"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="campaigns"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="campaigns"
    )
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField("titre", max_length=200)
    mode = models.CharField("mode de réponse", max_length=20, choices=Mode, default=Mode.INDIVIDUAL)
    collective_method = models.CharField(
        "méthode en réunion",
        max_length=20,
        choices=CollectiveMethod,
        default=CollectiveMethod.COUNTS,
    )
    access = models.CharField("comment répondre", max_length=20, choices=Access, default=Access.LINK)
    state = models.CharField("état", max_length=20, choices=State, default=State.DRAFT)
    closes_on = models.DateField("date de clôture")
    expected_respondents = models.PositiveIntegerField(
        "nombre de répondant·es attendu", null=True, blank=True
    )
    share_id = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    results_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="diagnostic précédent",
        help_text="Le diagnostic dont celui-ci est le point de suivi, six mois plus tard.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_on = models.DateField(null=True, blank=True)
    # The moment of opening (not a respondent's): only members who joined before it may
    # attest paper sheets, so that nobody can create a second account to attest their own.
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # At close the invitation rows are deleted (they could be paired with responses); these
    # keep what the campaign page still shows about them.
    invitations_sent = models.PositiveIntegerField(null=True, blank=True)
    invitations_answered = models.PositiveIntegerField(null=True, blank=True)
    # Fixed at close, when the rows lose their channel and the groups that may not be shown
    # (closing_figures): {"channels": {...}, "responses": n (every response; absent from
    # campaigns closed before 2 December 2026), "countable": n, "groups": {group id: n} for the
    # groups shown, "hidden_groups": bool, "invitations_outside": n}.
    closing_figures = models.JSONField(null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic"
        verbose_name_plural = "diagnostics"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, network__isnull=True)
                | models.Q(organisation__isnull=True, network__isnull=False),
                name="campaign_has_one_owner",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.organisation.slug, self.pk])

    @property
    def owner(self):
        """The organisation or the network that runs the campaign (its name heads the answer
        pages and the invitations)."""
        return self.organisation or self.network

    @property
    def is_network_campaign(self):
        return self.organisation_id is None

    @property
    def spec(self):
        return self.questionnaire_version.spec

    @property
    def status(self):
        """The state as people see it: an open campaign past its closing date is closed,
        whenever it is read, so that nothing depends on a scheduler."""
        if self.state == self.State.OPEN and self.closes_on < timezone.localdate():
            return self.State.CLOSED
        return self.state

    @property
    def status_label(self):
        return self.State(self.status).label

    @property
    def is_draft(self):
        return self.status == self.State.DRAFT

    @property
    def is_open(self):
        return self.status == self.State.OPEN

    @property
    def is_closed(self):
        return self.status == self.State.CLOSED

    @property
    def is_collective(self):
        return self.mode == self.Mode.COLLECTIVE

    @property
    def effective_closed_on(self):
        if self.closed_on:
            return self.closed_on
        return self.closes_on if self.is_closed else None

    @property
    def is_invitations_only(self):
        return self.access == self.Access.INVITATIONS

    @property
    def has_share_link(self):
        return not self.is_collective and not self.is_invitations_only

    @cached_property
    def response_count(self):
        """Every response received, whatever its channel: the figure shown to the team. Kept at
        close with the channel counts (a closed diagnostic's rows never change, only a collective
        one's meeting notes may still be written)."""
        if self.closing_figures and "responses" in self.closing_figures and not self.is_collective:
            return self.closing_figures["responses"]
        return self.responses.count()

    @cached_property
    def countable_response_count(self):
        """Responses that count towards the anonymity threshold: paper sheets only once a second
        person attested their batch (see Response.objects.countable)."""
        if self.closing_figures:
            return self.closing_figures["countable"]
        return self.responses.countable().count()

    @cached_property
    def channel_counts(self):
        """How many responses came through each channel, for the results page and exports."""
        if self.closing_figures:
            return self.closing_figures["channels"]
        return self.live_channel_counts()

    def live_channel_counts(self):
        rows = dict(self.responses.values_list("source").annotate(n=models.Count("*")).order_by())
        unattested = self.responses.filter(
            source=Response.Source.PAPER, paper_batch__attested_on__isnull=True
        ).count()
        paper = rows.get(Response.Source.PAPER, 0)
        return {
            "link": rows.get(Response.Source.LINK, 0),
            "invitation": rows.get(Response.Source.INVITATION, 0),
            "paper": paper,
            "paper_attested": paper - unattested,
            "paper_unattested": unattested,
        }

    @property
    def invitations_outside(self):
        """Invitations sent to addresses that were no member's, as kept at close."""
        return (self.closing_figures or {}).get("invitations_outside")

    @property
    def threshold(self):
        return anonymity_threshold()

    @property
    def has_enough_responses(self):
        return self.countable_response_count >= self.threshold

    @property
    def results_visible(self):
        if self.is_collective:
            return self.collective_answers.exists()
        return self.is_closed and self.has_enough_responses

    @property
    def free_text_threshold(self):
        return free_text_threshold()

    @property
    def free_texts_visible(self):
        """Open answers of an individual campaign: shown with the results, from 10 responses."""
        return (
            not self.is_collective
            and self.results_visible
            and self.countable_response_count >= self.free_text_threshold
        )

    @property
    def over_expected(self):
        """Responses beyond the expected number: someone may have answered twice."""
        if self.expected_respondents is None:
            return 0
        return max(0, self.response_count - self.expected_respondents)

    @cached_property
    def invitation_count(self):
        if self.invitations_sent is not None:
            return self.invitations_sent
        return self.invitations.count()

    @cached_property
    def answered_invitation_count(self):
        if self.invitations_answered is not None:
            return self.invitations_answered
        return self.invitations.answered().count()

    @property
    def response_rate(self):
        if not self.invitation_count:
            return None
        return round(100 * self.answered_invitation_count / self.invitation_count)

    def invitation_flags(self, invitations):
        """What a pilot should question in the invitations sent: more than the people expected,
        and addresses that are no member's (a sock puppet would be one). Marks each invitation
        with `.outside` and returns {"beyond": n, "outside": n}."""
        if self.organisation is None:
            # A network's campaign invites the people its caller chose (those present at a
            # workshop): there is no team to be outside of.
            members = {invitation.email.lower() for invitation in invitations}
        else:
            members = {
                email.lower() for email in self.organisation.memberships.values_list("user__email", flat=True)
            }
        outside = 0
        for invitation in invitations:
            invitation.outside = invitation.email.lower() not in members
            outside += invitation.outside
        headcount = self.organisation.headcount if self.organisation else 0
        expected = self.expected_respondents or headcount or 0
        return {"beyond": max(0, len(invitations) - expected) if expected else 0, "outside": outside}

    def share_url(self):
        return settings.SITE_URL + reverse("answer:intro", args=[self.share_id])

    def results_url(self):
        if not self.results_token:
            return ""
        return settings.SITE_URL + reverse("results:shared", args=[self.results_token])


class RespondentGroup(models.Model):
    """A « collège »: Direction, Salarié·es, Bénévoles… chosen by respondents."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    label = models.CharField("libellé", max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "collège"
        verbose_name_plural = "collèges"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class InvitationQuerySet(models.QuerySet):
    def answered(self):
        """Used, and no draft left: the draft became a response. Derived, never written at
        submit time, so that no write pairs an invitation with the response it gave."""
        return self.filter(used=True, draft__isnull=True)

    def pending(self):
        """Not answered yet: never used, or a draft still in progress."""
        return self.exclude(used=True, draft__isnull=True)


class CampaignInvitation(models.Model):
    """An emailed link for one person: one draft, so at most one response.

    Records *whether* the invitee started (`used`), never *what* or *when* they answered:
    whether they finished is derived from the draft being gone (InvitationQuerySet.answered).
    The rows are deleted when the campaign closes, their counts kept on the campaign.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse", blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_on = models.DateField("envoyée le")
    reminded_on = models.DateField("relancée le", null=True, blank=True)
    used = models.BooleanField("lien utilisé", default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation à répondre"
        verbose_name_plural = "invitations à répondre"
        ordering = ["email"]

    def __str__(self):
        return self.email or "(adresse effacée)"


class PaperBatch(models.Model):
    """Paper sheets typed in by one pilot. They count towards no threshold until a second
    member attests that they collected the sheets together (a closed box opened together): one
    person alone cannot push a group over k with sheets whose answers they know."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="paper_batches")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_by_name = models.CharField("saisi par", max_length=150)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attested_by_name = models.CharField("attesté par", max_length=150, blank=True)
    attested_on = models.DateField("attesté le", null=True, blank=True)
    entered_by_email = models.EmailField("adresse de la personne qui a saisi", blank=True)
    attested_by_email = models.EmailField("adresse de la personne qui a attesté", blank=True)
    started_on = models.DateField("commencé le", default=timezone.localdate)
    # Kept at close, when the responses forget their batch.
    sheets = models.PositiveIntegerField("feuilles", null=True, blank=True)

    class Meta:
        verbose_name = "lot de feuilles papier"
        verbose_name_plural = "lots de feuilles papier"
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"Feuilles saisies par {self.entered_by_name}"

    @property
    def is_attested(self):
        return self.attested_on is not None

    @property
    def sheet_count(self):
        if self.sheets is not None:
            return self.sheets
        if hasattr(self, "live_sheets"):
            return self.live_sheets
        return self.responses.count()


class ResponseQuerySet(models.QuerySet):
    def countable(self):
        """The responses that count towards a threshold: online ones, and paper sheets whose
        batch a second person attested."""
        return self.filter(
            ~models.Q(source=Response.Source.PAPER) | models.Q(paper_batch__attested_on__isnull=False)
        )


class Response(models.Model):
    """What one person answered. Nothing here says who, when (beyond the day) or from where.

    The primary key is random, and lists always order by it, never by submission. At close the
    campaign's responses are rewritten in a random order, dated the closing day (actions.close).
    """

    class Source(models.TextChoices):
        LINK = "link", "Lien partagé"
        INVITATION = "invitation", "Invitation personnelle"
        PAPER = "paper", "Papier"
        # At close every row forgets its channel (the counts are kept on the campaign): a
        # channel with fewer than k responses would otherwise isolate them in a dump.
        WITHHELD = "withheld", "Effacé à la clôture"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    group = models.ForeignKey(
        RespondentGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        help_text="Vide : la personne a préféré ne pas le dire.",
    )
    submitted_on = models.DateField("date de réponse")
    source = models.CharField(max_length=10, choices=Source, default=Source.LINK)
    paper_batch = models.ForeignKey(
        PaperBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    submission_key = models.CharField(max_length=64, unique=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        ordering = ["id"]

    def __str__(self):
        return f"Réponse au diagnostic « {self.campaign} »"


class Answer(models.Model):
    """One statement's answer within a response. No sequential id: its key is the pair."""

    pk = models.CompositePrimaryKey("response_id", "item_id")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=40)
    value = models.CharField(max_length=20)

    class Meta:
        verbose_name = "réponse à une affirmation"
        verbose_name_plural = "réponses aux affirmations"

    def __str__(self):
        return f"{self.item_id} : {self.value}"


class Draft(models.Model):
    """Answers saved as the respondent goes, before submitting. Deleted in the submit
    transaction. Reached through a random token kept in a cookie (and a resume link); only its
    hash is stored."""

    token_hash = models.CharField(max_length=64, primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="drafts")
    group_chosen = models.BooleanField(default=False)
    group = models.ForeignKey(RespondentGroup, on_delete=models.SET_NULL, null=True, blank=True)
    answers = models.JSONField(default=dict)
    submission_key = models.CharField(max_length=64, default=new_token)
    invitation = models.OneToOneField(
        CampaignInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="draft"
    )
    updated_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = "brouillon de réponse"
        verbose_name_plural = "brouillons de réponse"

    def __str__(self):
        return f"Brouillon ({self.campaign})"


class CollectiveAnswer(models.Model):
    """In collective mode, what the meeting recorded for one statement (not anonymous)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="collective_answers")
    item_id = models.CharField(max_length=40)
    counts = models.JSONField("décompte", default=dict)
    consensus = models.CharField("réponse retenue", max_length=20, blank=True)
    note = models.TextField("désaccords, remarques", blank=True, max_length=2000)

    class Meta:
        verbose_name = "réponse en réunion"
        verbose_name_plural = "réponses en réunion"
        constraints = [models.UniqueConstraint(fields=["campaign", "item_id"], name="one_collective_answer")]

    def __str__(self):
        return f"{self.item_id} ({self.campaign})"

    def distribution(self):
        """{value: count}: the hands counted, or one vote for the agreed answer."""
        if self.consensus:
            return {self.consensus: 1}
        return {value: int(count) for value, count in self.counts.items() if int(count) > 0}


class FreeTextAnswer(models.Model):
    """An open answer (« ce qui a fonctionné… »), kept apart from every response.

    No link to a Response or a RespondentGroup, no date: nothing joins it back to a person or a
    group. The key is random and lists order by it, never by arrival; when the campaign closes
    the rows are rewritten in a random order (actions.rewrite_anonymous_rows), so that their place
    in the table says nothing either.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="free_texts")
    item_id = models.CharField(max_length=40)
    text = models.TextField("texte", max_length=5000)

    class Meta:
        verbose_name = "réponse ouverte"
        verbose_name_plural = "réponses ouvertes"
        ordering = ["id"]

    def __str__(self):
        return f"{self.item_id} ({self.campaign})"


class SynthesisEntry(models.Model):
    """In collective mode, one line the team wrote under an open question during the meeting
    (« ce qui a fonctionné », « pistes d'amélioration »…). Not anonymous, like the meeting."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="synthesis_entries")
    item_id = models.CharField(max_length=40)
    text = models.CharField("texte", max_length=500)
    added_on = models.DateField("ajoutée le", default=timezone.localdate)

    class Meta:
        verbose_name = "ligne de synthèse"
        verbose_name_plural = "lignes de synthèse"
        ordering = ["item_id", "pk"]

    def __str__(self):
        return self.text

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from reperes.campaigns.models import Campaign
from reperes.organisations.models import Organisation


class Discussion(models.Model):
    """An « espace de discussion sur le travail » about one theme, usually a priority."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="discussions")
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    theme_id = models.CharField("thème", max_length=40, blank=True)
    title = models.CharField("titre", max_length=200)
    agenda = models.TextField("ordre du jour", blank=True, max_length=10000)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_on = models.DateField("ouverte le")

    class Meta:
        verbose_name = "espace de discussion"
        verbose_name_plural = "espaces de discussion"
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:detail", args=[self.organisation.slug, self.pk])


class Meeting(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("date")
    participants = models.PositiveIntegerField("participant·es")
    notes = models.TextField("notes", blank=True, max_length=10000)

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"Réunion du {self.held_on:%d/%m/%Y}"


class Decision(models.TextChoices):
    PENDING = "pending", "À décider"
    ADOPTED = "adopted", "Adoptée"
    REJECTED = "rejected", "Écartée"


class Proposal(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="proposals")
    text = models.CharField("proposition", max_length=300)
    details = models.TextField("précisions", blank=True, max_length=5000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField("décision", max_length=20, choices=Decision, default=Decision.PENDING)
    decided_by_vote = models.BooleanField(default=False)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    # Set by the action plan (an app above this one) when the proposal becomes one of its
    # actions, so that the discussion page knows without reading the plan.
    in_plan_since = models.DateField("au plan d'action depuis", null=True, blank=True)

    class Meta:
        verbose_name = "proposition"
        verbose_name_plural = "propositions"
        ordering = ["pk"]

    def __str__(self):
        return self.text


class Choice(models.TextChoices):
    FOR = "for", "Pour"
    ABSTAIN = "abstain", "Abstention"
    AGAINST = "against", "Contre"
    BLOCK = "block", "Objection bloquante"


class Vote(models.Model):
    """A short vote of the organisation's members on one proposal."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="vote")
    anonymous = models.BooleanField("vote anonyme", default=True)
    closes_on = models.DateField("fin du vote")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed = models.BooleanField(default=False)

    class Meta:
        verbose_name = "vote"
        verbose_name_plural = "votes"

    def __str__(self):
        return f"Vote sur « {self.proposal} »"


class Ballot(models.Model):
    """A named ballot: who voted what, changeable until the vote closes."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice)
    reason = models.CharField("raison", max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "user"], name="one_named_ballot")]

    def __str__(self):
        return f"{self.user} : {self.get_choice_display()}"


class VoterRecord(models.Model):
    """That a member cast an anonymous ballot; never what. Random key, no time: the rows of a
    vote are rewritten in a random order with its ballots at every ballot and at close (see
    storage.py), so that neither their order nor their keys pair a voter with a ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "user"], name="one_anonymous_ballot")]

    def __str__(self):
        return f"{self.user} a voté"


class AnonymousBallot(models.Model):
    """What was voted anonymously: random key, no user, no time. Final once cast; rewritten in a
    random order with the vote's VoterRecords (storage.py). Counted only at close, from k
    voters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="anonymous_ballots")
    choice = models.CharField(max_length=10, choices=Choice)
    reason = models.CharField("raison", max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.get_choice_display()

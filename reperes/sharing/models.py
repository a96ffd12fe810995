import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from reperes.campaigns.models import Campaign
from reperes.organisations.models import Network, NetworkRole, Organisation
from reperes.programmes.models import Cohort


class ResultShareQuerySet(models.QuerySet):
    def live(self):
        """Shares still in force: a network share while the organisation belongs to the network,
        a cohort share while it is enrolled in the cohort. Leaving ends them without a step."""
        return self.filter(
            Q(cohort__isnull=True, facilitator__isnull=True, organisation__affiliations__network=F("network"))
            | Q(cohort__enrolments__organisation=F("organisation"), cohort__enrolments__state="accepted")
            | Q(
                facilitator__isnull=False,
                organisation__affiliations__network=F("network"),
                facilitator__network_memberships__network=F("network"),
                facilitator__network_memberships__role=NetworkRole.FACILITATOR,
            )
        ).distinct()

    def visible_to(self, user, network):
        """The shares of `network` that `user` may read: as one of its facilitators for a share
        with the network, as one of a cohort's facilitators for a share with that cohort, as the
        one person a share names (the facilitator who took an accompaniment request)."""
        is_facilitator = network.memberships.filter(user=user, role=NetworkRole.FACILITATOR).exists()
        audience = Q(cohort__facilitators=user) | Q(facilitator=user)
        if is_facilitator:
            audience |= Q(cohort__isnull=True, facilitator__isnull=True)
        return self.live().filter(audience, network=network).distinct()


class ResultShare(models.Model):
    """One campaign's results shared by its organisation with the facilitators of a network, of
    one cohort of that network, or with one facilitator of the network by name (the person who
    took its accompaniment request, reperes.requests). Revoking deletes the row: access ends at
    once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="result_shares")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="result_shares")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="result_shares")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="result_shares"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accompagnateur·rice",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("depuis le", auto_now_add=True)

    objects = ResultShareQuerySet.as_manager()

    class Meta:
        verbose_name = "partage de résultats"
        verbose_name_plural = "partages de résultats"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "cohort"],
                condition=Q(cohort__isnull=False),
                name="one_share_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["campaign", "network"],
                condition=Q(cohort__isnull=True, facilitator__isnull=True),
                name="one_share_per_network",
            ),
            models.UniqueConstraint(
                fields=["campaign", "network", "facilitator"],
                condition=Q(facilitator__isnull=False),
                name="one_share_per_facilitator",
            ),
            models.CheckConstraint(
                condition=Q(cohort__isnull=True) | Q(facilitator__isnull=True),
                name="share_with_a_cohort_or_a_person",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} → {self.audience_label}"

    def participation(self):
        """What facilitators see of a campaign before its results: the responses in steps of k,
        so that no figure moves by one when one known person answers (THREATS: differencing)."""
        k = settings.ANONYMITY_THRESHOLD
        campaign = self.campaign
        count = 0 if campaign.is_collective else campaign.response_count
        return {
            "threshold": k,
            "at_least": count // k * k,
            "below_threshold": count < k,
            "expected": campaign.expected_respondents,
        }

    @property
    def is_live(self):
        return ResultShare.objects.live().filter(pk=self.pk).exists()

    @property
    def audience_label(self):
        if self.facilitator_id:
            return (
                f"{self.facilitator.get_full_name() or self.facilitator.email}, accompagnateur·rice du "
                f"réseau « {self.network.name} », pour votre demande d'accompagnement"
            )
        if self.cohort_id:
            return f"les accompagnateur·rices de « {self.cohort.name} » ({self.network.name})"
        return f"les accompagnateur·rices du réseau « {self.network.name} »"

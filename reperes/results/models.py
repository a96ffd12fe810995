from django.conf import settings
from django.db import models

from reperes.campaigns.models import Campaign


class PriorityQuerySet(models.QuerySet):
    def last_prioritised_campaign(self, organisation):
        """The organisation's latest diagnostic whose team chose priorities, or None."""
        return (
            Campaign.objects.filter(organisation=organisation, priorities__isnull=False)
            .order_by("-created_at")
            .first()
        )


class Priority(models.Model):
    """A theme the team chose to work on after reading a campaign's results (« nos priorités »)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="priorities")
    theme_id = models.CharField("thème", max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    chosen_on = models.DateField("choisie le")

    objects = PriorityQuerySet.as_manager()

    class Meta:
        verbose_name = "priorité"
        verbose_name_plural = "priorités"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "theme_id"], name="one_priority_per_theme")
        ]

    def __str__(self):
        return self.theme_id

    @property
    def theme(self):
        """The theme's definition in the version the campaign was answered with."""
        return self.campaign.spec.theme(self.theme_id) or {
            "id": self.theme_id,
            "title": self.theme_id,
            "fiche": "",
        }

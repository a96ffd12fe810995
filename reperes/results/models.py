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


class StoredResults(models.Model):
    """A closed campaign's figures, computed once at closing from the anonymous rows
    (reperes.results.actions.store_results) and read by every page and export since: a closed
    campaign's results never change.

    Only counts and scores, never a free text (open answers stay where they are). Groups: the
    ones shown, as decided at closing; `hidden_groups` says whether others were withheld.
    `computed_on` is a day, never a finer time (the anonymity rules keep no moment).
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="stored_results")
    # Every response counted, paper sheets not attested included, as the results page says it.
    respondents = models.PositiveIntegerField("réponses")
    # {theme id: score from 0 to 5, or None when nobody answered}, for the whole team.
    theme_scores = models.JSONField("scores par thème")
    # {tag: score from 0 to 5, or None}, the same through the QVT frameworks' entries that the
    # statements carry (scoring.determinant_tag_scores), for the observatory's tables.
    determinant_scores = models.JSONField("scores par déterminant", default=dict)
    # {item id: {value: count}}, for the whole team.
    distribution = models.JSONField("répartition des réponses")
    # [{"id", "label", "size", "distribution", "theme_scores"}] for the groups shown only.
    groups = models.JSONField("collèges affichés")
    hidden_groups = models.BooleanField("des collèges sont masqués")
    computed_on = models.DateField("calculés le")

    class Meta:
        verbose_name = "résultats enregistrés"
        verbose_name_plural = "résultats enregistrés"

    def __str__(self):
        return f"Résultats de « {self.campaign} »"

from django.db import transaction
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.organisations.journal import record_event
from reperes.results.compute import live_figures
from reperes.results.models import Priority, StoredResults

MAX_PRIORITIES = 3


@transaction.atomic
def set_priorities(campaign, *, theme_ids, by):
    """Replace the campaign's priorities with `theme_ids` (one to three themes, in order)."""
    valid = [t["id"] for t in campaign.spec.themes]
    theme_ids = [theme_id for theme_id in dict.fromkeys(theme_ids) if theme_id in valid]
    if not 1 <= len(theme_ids) <= MAX_PRIORITIES:
        raise ActionRefused(f"Choisissez de 1 à {MAX_PRIORITIES} thèmes.")
    if not campaign.results_visible:
        raise ActionRefused("Les priorités se choisissent à partir des résultats, une fois affichés.")
    campaign.priorities.all().delete()
    Priority.objects.bulk_create(
        Priority(
            campaign=campaign, theme_id=theme_id, position=n, chosen_by=by, chosen_on=timezone.localdate()
        )
        for n, theme_id in enumerate(theme_ids)
    )
    titles = ", ".join(campaign.spec.theme(theme_id)["short_title"] for theme_id in theme_ids)
    record_event(
        by=by,
        verb="campaign.priorities_set",
        target=campaign.title,
        description=f"{by} a choisi les priorités de l'équipe : {titles}.",
        organisation=campaign.organisation,
    )


def store_results(campaign):
    """Store the figures of `campaign`, just closed, computed once from its anonymous rows (the
    `campaign_closed` hook of reperes.campaigns.actions.close_campaign). Idempotent."""
    figures = live_figures(campaign, k=campaign.threshold)
    stored, _ = StoredResults.objects.update_or_create(
        campaign=campaign, defaults={**figures, "computed_on": timezone.localdate()}
    )
    return stored

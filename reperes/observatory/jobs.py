"""The observatory's periodic work (reperes.lib.schedule): the quarterly release and the purge
of releases older than five years.

The scheduler has no quarterly period: the job runs every day and publishes only on the first
day of a quarter (1 January, 1 April, 1 July, 1 October); a missed first day is not caught up
(the next quarter's release comes on time, and an analyst may publish on demand meanwhile).
"""

from django.utils import timezone

from reperes.observatory.actions import is_quarter_start, publish_scheduled, purge_old_releases


def quarterly_release(today=None):
    today = today or timezone.localdate()
    deleted = purge_old_releases(today)
    if not is_quarter_start(today):
        return f"Pas de publication aujourd'hui ; {deleted} ligne(s) de plus de cinq ans supprimée(s)."
    releases = publish_scheduled(today)
    return f"{len(releases)} publication(s) trimestrielle(s) ; {deleted} ligne(s) anciennes supprimée(s)."

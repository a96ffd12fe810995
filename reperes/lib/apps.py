from django.apps import AppConfig

from reperes.lib.schedule import Job, day, minutes


class LibConfig(AppConfig):
    """Template tags, the tables of reperes.lib (mail counters and keys, worker heartbeats,
    scheduled runs), and the scheduler's own jobs."""

    name = "reperes.lib"
    verbose_name = "Outils communs"
    # Run by `manage.py run_scheduled` (reperes/lib/schedule.py).
    periodic_jobs = [
        Job("lib.requeue", "reperes.lib.jobs.requeue", every=minutes(5)),
        Job("lib.purge", "reperes.lib.jobs.purge", every=day(after="03:00")),
        Job("lib.forget_counters", "reperes.lib.jobs.forget_counters", every=day(after="03:25")),
    ]

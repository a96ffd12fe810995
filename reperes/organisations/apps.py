from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class OrganisationsConfig(AppConfig):
    name = "reperes.organisations"
    verbose_name = "Structures et réseaux"
    # Run by `manage.py run_scheduled` (reperes/lib/schedule.py).
    periodic_jobs = [Job("organisations.purge", "reperes.organisations.jobs.purge", every=day(after="03:10"))]

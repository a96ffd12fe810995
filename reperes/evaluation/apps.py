from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class EvaluationConfig(AppConfig):
    """Programme evaluation: the indicators of a network's projects (participation,
    satisfaction, organisations reached, page views, T0→T1), the figures the network enters
    itself, and the key figures per region and for the nation."""

    name = "reperes.evaluation"
    verbose_name = "Évaluation des programmes"
    periodic_jobs = [Job("evaluation.purge", "reperes.evaluation.jobs.purge", every=day(after="03:50"))]

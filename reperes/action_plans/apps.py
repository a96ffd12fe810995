from django.apps import AppConfig

from reperes.lib.schedule import MONDAY, Job, week


class ActionPlansConfig(AppConfig):
    name = "reperes.action_plans"
    verbose_name = "Plans d'action"
    # Run by `manage.py run_scheduled` (reperes/lib/schedule.py).
    periodic_jobs = [
        Job(
            "action_plans.weekly_digest",
            "reperes.action_plans.jobs.weekly_digest",
            every=week(on=MONDAY, after="07:00"),
        ),
    ]

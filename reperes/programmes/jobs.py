"""The programmes' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.programmes.actions import purge_past_cohorts


def purge():
    """Work, notes and questions go a year after a cohort's last workshop, attendance after three."""
    return f"Cohortes dont des données ont atteint leur durée de conservation : {purge_past_cohorts()}."

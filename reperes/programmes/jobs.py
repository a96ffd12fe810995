"""The programmes' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.programmes.actions import purge_past_cohorts, purge_past_events


def purge():
    """Work, notes and questions go a year after a cohort's last workshop, attendance after three;
    registrations to events a year after their last session."""
    cohorts, registrations = purge_past_cohorts(), purge_past_events()
    return (
        f"Cohortes dont des données ont atteint leur durée de conservation : {cohorts}. "
        f"Inscriptions à des événements effacées : {registrations}."
    )

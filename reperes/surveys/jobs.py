"""The surveys' daily work, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.surveys import actions


def daily(today=None):
    opened = actions.open_due(today)
    added = actions.sync_targets(today)
    reminded = actions.remind_due(today)
    closed = actions.close_due(today)
    purged = actions.purge_old_surveys(today)
    return (
        f"Enquêtes : {opened} ouverte(s), {added} structure(s) ajoutée(s), {reminded} relance(s), "
        f"{closed} clôturée(s), {purged} ligne(s) de plus de {actions.RETENTION_YEARS} ans supprimée(s)."
    )

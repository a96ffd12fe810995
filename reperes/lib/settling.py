"""Settling on read: the one documented exception to « a GET never writes ».

Some things end by themselves on a date: a campaign past its closing date, a vote past its end.
Until someone closes them they already read as closed; `settle_if_due` makes that true in the
database the first time anything reads them (a page, a POST, a command), through the app's own
close action, so that the close happens once, with all its effects (shuffled rows, decision,
event, notices), whoever comes first.

Each app keeps its own close action and its own due test, and calls this helper from the
function every read goes through (`campaigns.access.get_campaign`, `discussions.actions
.settle_vote`). The helper locks the row, tests again under the lock, and closes: of two
readers at the same moment, the second waits for the lock, finds the object settled and does
nothing.
"""

from django.db import transaction


def settle_if_due(obj, *, is_due, close):
    """Close `obj` through `close(obj)` if `is_due(obj)`, once. Returns True when this call
    closed it, False when it was not due or another call closed it first (then `obj` is
    refreshed from the database, so that the caller reads it closed).

    `is_due` is tested first on `obj` as read (no lock, no query for the common case of an
    object still running or already closed), then on the row locked with `select_for_update`
    in one transaction; `close` runs inside that transaction, with the caller's instance, so
    that the close action may refresh it. `close` must be idempotent itself (a second call
    does nothing): the lock makes the second call rare, the action makes it harmless.
    """
    if not is_due(obj):
        return False
    with transaction.atomic():
        locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        if not is_due(locked):
            obj.refresh_from_db()  # settled (or changed) by someone else meanwhile
            return False
        close(obj)
    return True

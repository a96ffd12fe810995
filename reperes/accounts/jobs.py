"""The accounts' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from reperes.accounts.models import SecurityEvent
from reperes.accounts.throttle import code_rule, login_rules

# django-axes writes rows only with its own handler (ours keeps its counters in the cache): should
# an instance switch back to it, the addresses and user agents it records go after this many days.
AXES_RECORDS_DAYS = 30


def longest_throttle_memory():
    """How long, at most, a throttle counter outlives the last attempt it counted (the privacy
    page: « Compteurs de tentatives »)."""
    return max(rule.memory for rule in [*login_rules(), code_rule()])


def purge():
    """Delete the security log lines older than SECURITY_LOG_RETENTION (a new line deletes them
    too, but an account nobody uses writes none), the expired sessions, and django-axes' records
    older than AXES_RECORDS_DAYS. Safe to run twice: the second run finds nothing."""
    now = timezone.now()
    events, _ = SecurityEvent.objects.filter(at__lt=now - settings.SECURITY_LOG_RETENTION).delete()
    sessions = forget_expired_sessions(now)
    axes = forget_axes_records(now - timedelta(days=AXES_RECORDS_DAYS))
    return (
        f"Comptes : {events} ligne(s) du journal de sécurité, {sessions} session(s) expirée(s), "
        f"{axes} trace(s) de connexion effacées."
    )


@transaction.atomic
def forget_axes_records(cutoff):
    """Delete django-axes' rows older than `cutoff`. Returns how many."""
    logs, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    AccessAttemptExpiration.objects.filter(access_attempt__attempt_time__lt=cutoff).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return logs + failures + attempts


def forget_expired_sessions(now):
    """Expired sessions, deleted in one query (Django's `clearsessions`). Returns how many, or 0
    when the session engine forgets them by itself (signed cookies, a cache)."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    if issubclass(store, DatabaseSessionStore):
        deleted, _ = store.get_model_class().objects.filter(expire_date__lt=now).delete()
        return deleted
    store.clear_expired()
    return 0

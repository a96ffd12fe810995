"""Sending email: rendered in the request, handed to a task on commit, sent by the task.

Every mail Repères sends to a person goes through the `deliver_mail` task of Django's tasks
framework. With TASKS_BACKEND=immediate (the default) the task runs at once, in the request
that queued it; with TASKS_BACKEND=database it waits in django_tasks_db's table until
`manage.py worker` runs it, and a slow or broken mail server no longer holds a request.

- **Queued on commit.** `send_templated_mail` renders the mail in the request and queues it
  when the surrounding transaction commits: a change that rolls back queues nothing.
- **Counted when queued.** Callers reserve their emails (`reperes.lib.limits.reserve_mails`)
  in the same transaction, before queuing: the daily quotas count a mail when it is queued,
  not when a worker sends it, so a burst is refused even while nothing has gone yet.
- **At least once.** Each mail carries a random idempotency key; the task sends only if the key
  is not in `SentMail`, then records it. A task run twice (a worker restarted, a task put back
  in the queue) sends once. A crash between the mail server's acceptance and the recording of
  the key, or two runs of the same task at the same instant, can send it twice.
- **Forgotten once sent.** A queued task keeps its arguments (the address, the body, which may
  hold a single-use link) in its row. Once the mail has gone, the task erases them from its own
  row, so that a dump of the database does not list who was sent what. A failed task keeps
  them, to be looked at or retried, until the scheduler purges old task rows.

- **Calendar invitations.** A mail may carry an iCalendar scheduling message (`calendar`, with
  its `calendar_method`, REQUEST or CANCEL; or PUBLISH, a calendar to add as it is): it goes as
  a text/calendar alternative, which mail clients turn into an invitation, and as an
  `invitation.ics` attachment for the others. It names the recipient, so it is erased from the
  task row with the rest.

Error reports to ADMINS do not go through the task: `reperes.lib.logging.AdminEmailHandler`
sends them at once, through the "admins" mailer, because the queue may be what is failing.
"""

import re
import secrets
import unicodedata
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone

SUBJECT_MAX_LENGTH = 150
# What a sent mail's task row keeps in place of the address, the subject and the body.
ERASED = "[erased once sent]"
CALENDAR_METHODS = {"REQUEST", "CANCEL", "PUBLISH"}


def single_line(text):
    """`text` without control characters or line breaks, its spaces collapsed.

    For every name or title typed by a user that may end up in a mail subject (an organisation,
    a network, a person, a campaign, a discussion): a carriage return there makes the mail
    header invalid, and the send fails after the change it announces was saved.
    """
    kept = []
    for char in str(text):
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp"}:  # controls (CR, LF, tab…) and line separators
            kept.append(" ")
        elif category != "Cf":  # invisible format characters, such as bidi overrides, go
            kept.append(char)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def queue_mail(to, subject, body, *, calendar=None, calendar_method=None):
    """Queue one mail now, under a fresh idempotency key. Returns the task result.

    Most callers want `send_templated_mail`, which waits for the commit. This is for a mail
    that changes nothing in the database (a password reset), so has no commit to wait for.
    `calendar` is an iCalendar scheduling message (text or bytes) whose METHOD is
    `calendar_method`.
    """
    # Names in the subject were cleaned by their forms; this holds for data that was not.
    subject = single_line(subject)
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    arguments = (secrets.token_hex(16), to, subject, body.strip() + "\n")
    if calendar is None:
        return deliver_mail.enqueue(*arguments)
    if calendar_method not in CALENDAR_METHODS:
        raise ValueError(f"A calendar goes with a method among {sorted(CALENDAR_METHODS)}.")
    if isinstance(calendar, bytes):
        calendar = calendar.decode()  # task arguments are stored as JSON
    return deliver_mail.enqueue(*arguments, calendar=calendar, calendar_method=calendar_method)


def send_templated_mail(to, template, context, *, calendar=None, calendar_method=None):
    """Render templates/<template>.txt (first line: the subject) and queue it on commit, with
    its calendar scheduling message if any (see queue_mail)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject, _, body = render_to_string(f"{template}.txt", context).strip().partition("\n")
    transaction.on_commit(
        partial(queue_mail, to, subject, body, calendar=calendar, calendar_method=calendar_method)
    )


@task(takes_context=True)
def deliver_mail(context, key, to, subject, body, calendar=None, calendar_method=None):
    """Send one mail unless its key says it was sent, then record the key and forget the mail.

    At least once: a crash after the mail server accepted the mail and before the key is
    recorded sends it again when the task is run again.
    """
    from reperes.lib.models import SentMail

    if to != ERASED and not SentMail.objects.filter(key=key).exists():
        if calendar is None:
            send_mail(subject, body, None, [to])
        else:
            _send_with_calendar(to, subject, body, calendar, calendar_method)
        SentMail.objects.get_or_create(key=key)
        outcome = "sent"
    else:
        outcome = "already sent"
    _erase_arguments(context, key)
    return outcome


def _send_with_calendar(to, subject, body, calendar, method):
    """The mail with its calendar as the alternative that clients read as an invitation
    (RFC 6047: text/calendar with the method), and as a file for those that do not."""
    message = EmailMultiAlternatives(subject, body, None, [to])
    message.attach_alternative(calendar, f"text/calendar; method={method}; charset=UTF-8")
    message.attach("invitation.ics", calendar, "application/ics")
    message.send()


def _erase_arguments(context, key):
    """With the database backend, replace a sent mail's arguments in its task row by ERASED,
    keeping the key (without secret) so that a run again finds it and sends nothing. The
    keyword arguments (a calendar, which names its attendees) go entirely."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    result = context.task_result
    if isinstance(task_backends[result.backend], DatabaseBackend):
        erased = {"args": [key, ERASED, ERASED, ERASED], "kwargs": {}}
        DBTaskResult.objects.filter(pk=result.id).update(args_kwargs=erased)


def purge_mail_keys(days):
    """Delete the idempotency keys of mails sent more than `days` days ago; returns how many.

    A key only has to outlive every way its task can run again (a task put back in the queue
    when its worker fell silent, within minutes), so a few days are plenty."""
    from reperes.lib.models import SentMail

    deleted, _ = SentMail.objects.filter(sent_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted

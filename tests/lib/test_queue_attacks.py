"""Attacks on the mail queue and the scheduler (issue 11): what a failed mail leaves in logs,
error reports and the task table; a scheduled close racing a pilot's close."""

import json
import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign, Response
from reperes.lib import jobs
from reperes.lib.logging import ExceptionReporter, MaskSecrets, carries_mail
from reperes.lib.mail import send_templated_mail
from reperes.lib.schedule import periodic_jobs, run_now
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ADDRESS = "camille.secret@example.org"
TOKEN = "Zt0k3nQuiPermetDeRepondre"
LINK = f"http://testserver/i/{TOKEN}/"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(verbosity=0):
    """At verbosity 1 the worker logs each task at INFO and a failed one at ERROR, as in production."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=verbosity)


class Keep(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
        self.addFilter(MaskSecrets())
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record):
        self.records.append((record, self.format(record)))


def queue_invitation(django_capture_on_commit_callbacks):
    user = UserFactory(email=ADDRESS, name="Camille")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_templated_mail(user.email, "accounts/email/verify", {"user": user, "url": LINK})


def refused(*args, **kwargs):
    raise smtplib.SMTPRecipientsRefused({ADDRESS: (550, f"<{ADDRESS}> unknown, see {LINK}".encode())})


def test_a_failed_mail_leaves_no_address_nor_link_in_logs_or_error_reports(
    queue, django_capture_on_commit_callbacks
):
    queue_invitation(django_capture_on_commit_callbacks)
    keep = Keep()
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db", "reperes")]
    for logger in loggers:
        logger.addHandler(keep)
    try:
        with mock.patch("reperes.lib.mail.send_mail", side_effect=refused):
            run_worker(verbosity=1)
    finally:
        for logger in loggers:
            logger.removeHandler(keep)
    errors = [(record, text) for record, text in keep.records if record.levelno >= logging.ERROR]
    assert errors, "the failure is logged"
    for _, text in keep.records:
        assert ADDRESS not in text and TOKEN not in text
    record = errors[0][0]
    assert carries_mail(record.exc_info)
    # What the error mail to ADMINS holds (AdminEmailHandler builds it with this reporter).
    reporter = ExceptionReporter(None, *record.exc_info, is_email=True)
    for report in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "SMTPRecipientsRefused" in report
        assert ADDRESS not in report and TOKEN not in report and "Camille" not in report


def test_a_failed_mail_keeps_its_address_only_until_the_purge(queue, django_capture_on_commit_callbacks):
    queue_invitation(django_capture_on_commit_callbacks)
    with mock.patch("reperes.lib.mail.send_mail", side_effect=refused):
        run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED" and ADDRESS in json.dumps(row.args_kwargs)
    jobs.purge()
    assert DBTaskResult.objects.count() == 1  # kept a while, to be looked at or retried
    DBTaskResult.objects.update(
        finished_at=timezone.now() - timedelta(days=jobs.TASK_RESULTS_DAYS, minutes=1)
    )
    jobs.purge()
    assert not DBTaskResult.objects.exists()


def test_a_sent_mail_leaves_nothing_in_its_row_nor_in_the_logs(queue, django_capture_on_commit_callbacks):
    queue_invitation(django_capture_on_commit_callbacks)
    keep = Keep()
    logger = logging.getLogger("django.tasks")
    logger.addHandler(keep)
    try:
        run_worker(verbosity=1)
    finally:
        logger.removeHandler(keep)
    assert len(mail.outbox) == 1
    row = DBTaskResult.objects.get()
    stored = json.dumps([row.args_kwargs, row.return_value, row.traceback])
    assert ADDRESS not in stored and TOKEN not in stored
    assert all(ADDRESS not in text and TOKEN not in text for _, text in keep.records)


def test_other_errors_keep_their_addresses_in_reports():
    """Masking addresses is for tracebacks through the sending of mail only."""
    try:
        raise ValueError(ADDRESS)
    except ValueError as error:
        exc_info = (type(error), error, error.__traceback__)
    assert not carries_mail(exc_info)


# The scheduler's close


def answered(organisation, count=5):
    campaign = CampaignFactory(organisation=organisation, groups=[])
    for _ in range(count):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
        campaign_actions.submit(draft)
    campaign_actions.start_draft(campaign)  # one draft left, to be forgotten at close
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    return campaign


def close_due_job():
    return next(job for job in periodic_jobs() if job.name == "campaigns.close_due")


def test_the_scheduler_closes_through_close_campaign_with_the_rewrite(
    alice, org_a, django_capture_on_commit_callbacks
):
    campaign = answered(org_a)
    before = set(Response.objects.filter(campaign=campaign).values_list("pk", flat=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "1" in run_now(close_due_job(), timezone.now())
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED and campaign.closing_figures
    after = Response.objects.filter(campaign=campaign)
    assert after.count() == 5
    assert not before & set(after.values_list("pk", flat=True))  # rows rewritten, new keys
    assert not campaign.drafts.exists()
    assert len(mail.outbox) == 1  # alice, the only pilot, told once


@pytest.mark.parametrize("first", ["pilot", "scheduler"])
def test_a_pilots_close_and_the_schedulers_notify_once(
    alice, org_a, first, django_capture_on_commit_callbacks
):
    campaign = answered(org_a)
    mail.outbox.clear()
    job = close_due_job()
    with django_capture_on_commit_callbacks(execute=True):
        both(job, campaign, alice, first)
    assert len(mail.outbox) == 1


def both(job, campaign, alice, first):
    if first == "pilot":
        assert campaign_actions.close_campaign(Campaign.objects.get(pk=campaign.pk), by=alice)
        run_now(job, timezone.now())
    else:
        run_now(job, timezone.now())
        assert not campaign_actions.close_campaign(Campaign.objects.get(pk=campaign.pk), by=alice)
    run_now(job, timezone.now())

"""Every mail Repères sends goes through a task (issue 11, point 3): queued on commit with an
idempotency key, sent once however often the task runs, and forgotten by its task row once
sent. Immediate backend by default, as in CI; the database backend where a worker matters."""

import ast
import json
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import reperes
from reperes.lib.mail import ERASED, deliver_mail, purge_mail_keys, send_templated_mail
from reperes.lib.models import SentMail
from tests.accounts.factories import UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

ADDRESS = "camille@example.org"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    """Tasks wait in the database until a worker runs them, as in production."""
    settings.TASKS = DATABASE_QUEUE  # setting_changed resets django.tasks.task_backends
    return settings


def run_worker():
    """django_tasks_db's worker, until the queue is empty. It closes stale connections between
    tasks, as a process of its own should; here its connection holds the test's transaction."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def verification_mail(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send_templated_mail(user.email, "accounts/email/verify", {"user": user, "url": "/lien-secret/"})


def test_the_same_mail_task_run_twice_sends_one_mail():
    for _ in range(2):
        result = deliver_mail.enqueue("une-cle", ADDRESS, "Objet", "Corps\n")
        assert result.status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    assert SentMail.objects.get().key == "une-cle"


def test_every_mail_gets_its_own_key(django_capture_on_commit_callbacks):
    user = UserFactory(email=ADDRESS)
    verification_mail(user, django_capture_on_commit_callbacks)
    verification_mail(user, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert SentMail.objects.count() == 2


def test_a_queued_mail_waits_for_the_worker_and_a_second_run_sends_nothing(
    queue, django_capture_on_commit_callbacks
):
    user = UserFactory(email=ADDRESS)
    verification_mail(user, django_capture_on_commit_callbacks)
    row = DBTaskResult.objects.get()
    assert row.task_path == "reperes.lib.mail.deliver_mail"
    assert mail.outbox == []  # queued, not sent

    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS]
    assert "/lien-secret/" in mail.outbox[0].body

    # The worker is restarted mid-way and the task goes back to the queue: it runs again.
    DBTaskResult.objects.filter(pk=row.pk).update(status="READY", finished_at=None)
    run_worker()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_task_run_again_before_its_arguments_were_erased_sends_nothing(
    queue, django_capture_on_commit_callbacks
):
    user = UserFactory(email=ADDRESS)
    verification_mail(user, django_capture_on_commit_callbacks)
    arguments = DBTaskResult.objects.get().args_kwargs
    run_worker()
    # A crash after the key was recorded, before the row forgot the mail: the second run has
    # the whole mail again, and its key.
    DBTaskResult.objects.update(status="READY", finished_at=None, args_kwargs=arguments)
    run_worker()
    assert len(mail.outbox) == 1


def test_a_mail_rolled_back_with_its_transaction_is_never_queued(queue, django_capture_on_commit_callbacks):
    user = UserFactory(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send_templated_mail(user.email, "accounts/email/verify", {"user": user, "url": "/lien/"})
            raise RuntimeError("the change fails after its mail was asked for")
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_a_sent_mails_task_row_no_longer_holds_the_address_or_the_link(
    queue, django_capture_on_commit_callbacks
):
    user = UserFactory(email=ADDRESS, name="Camille")
    verification_mail(user, django_capture_on_commit_callbacks)
    assert ADDRESS in json.dumps(DBTaskResult.objects.get().args_kwargs)  # while queued
    run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL"
    stored = json.dumps([row.args_kwargs, row.return_value, row.traceback])
    for secret in (ADDRESS, "/lien-secret/", "Camille", "Confirmez"):
        assert secret not in stored
    key = row.args_kwargs["args"][0]
    assert row.args_kwargs == {"args": [key, ERASED, ERASED, ERASED], "kwargs": {}}
    assert SentMail.objects.get().key == key  # the key holds no address either


def test_a_failed_mails_task_row_keeps_its_mail_to_be_looked_at(queue, django_capture_on_commit_callbacks):
    user = UserFactory(email=ADDRESS)
    verification_mail(user, django_capture_on_commit_callbacks)
    with mock.patch("reperes.lib.mail.send_mail", side_effect=ConnectionRefusedError("serveur en panne")):
        run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED"
    assert row.args_kwargs["args"][1] == ADDRESS
    assert not SentMail.objects.exists()
    assert mail.outbox == []


def test_a_password_reset_goes_through_the_queue(client, queue):
    UserFactory(email=ADDRESS)
    client.post(reverse("accounts:password_reset"), {"email": ADDRESS})
    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == "reperes.lib.mail.deliver_mail"
    run_worker()
    assert mail.outbox[0].subject == "Choisir un nouveau mot de passe sur Repères"
    assert ADDRESS not in json.dumps(DBTaskResult.objects.get().args_kwargs)


def test_password_resets_count_against_the_address_quota_when_queued(client, queue):
    queue.MAIL_QUOTA_ADDRESS_PER_DAY = 3
    UserFactory(email=ADDRESS)
    for _ in range(5):
        client.post(reverse("accounts:password_reset"), {"email": ADDRESS})
    assert DBTaskResult.objects.count() == 3
    assert mail.outbox == []


def test_purge_forgets_old_keys_only():
    SentMail.objects.create(key="ancienne")
    SentMail.objects.create(key="recente")
    SentMail.objects.filter(key="ancienne").update(sent_at=timezone.now() - timedelta(days=8))
    assert purge_mail_keys(7) == 1
    assert list(SentMail.objects.values_list("key", flat=True)) == ["recente"]


def test_the_privacy_page_says_how_long_a_queued_mail_is_kept(client):
    text = page_text(client.get(reverse("answer:privacy")))
    assert "file d'envoi" in text
    assert "effacé dès qu'il est parti" in text


# Calls that send a mail themselves, outside the mail task.
SENDERS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
}


def test_no_module_sends_mail_but_the_mail_task():
    root = Path(reperes.__file__).resolve().parent
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in SENDERS:
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert {place.split(":")[0] for place in found} == {"lib/mail.py"}, found

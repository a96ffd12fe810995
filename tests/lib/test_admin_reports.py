"""Error reports to ADMINS are bounded: an outage that fails every request (the database
restarting) does not send one mail per request."""

from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from reperes.lib import logging as reperes_logging
from reperes.lib.logging import AdminEmailHandler

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(settings):
    settings.ADMINS = ["technique@example.org"]
    settings.DEBUG = False
    mail.outbox.clear()
    return Client(raise_request_exception=False)


def fail(client, error):
    """The privacy page, failing with `error` where it renders."""
    with mock.patch("reperes.campaigns.answer_views.render", side_effect=error):
        return client.get(reverse("answer:privacy"))


def test_an_outage_mails_one_report_not_one_per_request(reporting):
    for _ in range(30):
        response = fail(reporting, OperationalError("server closed the connection"))
        assert response.status_code == 503
    assert len(mail.outbox) == 1
    assert "OperationalError" in mail.outbox[0].body


def test_another_error_is_still_reported_and_the_same_one_again_after_the_interval(reporting, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(reperes_logging.time, "monotonic", lambda: clock[0])
    fail(reporting, OperationalError("down"))
    fail(reporting, OperationalError("down"))
    assert len(mail.outbox) == 1
    fail(reporting, RuntimeError("un autre défaut"))
    assert len(mail.outbox) == 2, "another kind of error is a report of its own"
    clock[0] += AdminEmailHandler.REPORT_INTERVAL
    fail(reporting, OperationalError("down"))
    assert len(mail.outbox) == 3, "the same error, ten minutes later, is reported again"


def test_many_kinds_of_errors_are_capped_too(reporting):
    for number in range(AdminEmailHandler.REPORTS_PER_INTERVAL + 5):
        # A new kind each time: its own exception class.
        fail(reporting, type(f"Panne{number}", (RuntimeError,), {})("panne"))
    assert len(mail.outbox) == AdminEmailHandler.REPORTS_PER_INTERVAL

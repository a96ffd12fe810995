"""Invitations count against the mail quotas when they are queued, not when a worker sends
them (issue 11, point 3): with the database queue and no worker running, a burst over the
quota is refused although no mail has gone yet."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from reperes.campaigns import actions
from reperes.campaigns.models import CampaignInvitation
from reperes.lib.actions import ActionRefused
from tests.campaigns.factories import CampaignFactory
from tests.lib.test_mail_tasks import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db


def test_a_burst_of_queued_invitations_over_the_quota_is_refused_before_any_is_sent(
    alice, org_a, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 5
    campaign = CampaignFactory(organisation=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_respondents(campaign, emails=[f"p{n}@example.org" for n in range(4)], by=alice)
    assert DBTaskResult.objects.count() == 4
    assert mail.outbox == []  # queued: no worker has run

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionRefused) as refused:
        actions.invite_respondents(campaign, emails=[f"q{n}@example.org" for n in range(3)], by=alice)
    assert "il en reste 1 aujourd'hui" in str(refused.value)
    assert DBTaskResult.objects.count() == 4
    assert CampaignInvitation.objects.count() == 4

    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [f"p{n}@example.org" for n in range(4)]

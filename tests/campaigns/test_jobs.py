"""The campaigns' periodic jobs: « clôture dans deux jours » goes once per campaign, including
the day after a missed day, and never twice on the same day."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reperes.campaigns import jobs
from reperes.campaigns.models import Campaign
from reperes.lib.models import ScheduledRun
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def campaigns(org_a, alice, carol):
    """One open campaign closing in 0 to 3 days (titled by the days), and a meeting in two."""
    made = {days: CampaignFactory(organisation=org_a, title=f"J+{days}") for days in range(4)}
    for days, campaign in made.items():
        Campaign.objects.filter(pk=campaign.pk).update(closes_on=today() + timedelta(days=days))
    CampaignFactory(
        organisation=org_a,
        title="Réunion",
        mode=Campaign.Mode.COLLECTIVE,
        closes_on=today() + timedelta(days=2),
    )
    return made


def last_run(days_ago):
    """A finished run of closing_soon, `days_ago` days ago at 06:30."""
    moment = timezone.make_aware(datetime.combine(today() - timedelta(days=days_ago), time(6, 30)))
    ScheduledRun.objects.create(job=jobs.CLOSING_SOON, period=f"-{days_ago}", finished_at=moment)


def announced(django_capture_on_commit_callbacks, run=jobs.closing_soon):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run()
    titles = sorted({m.subject.split("« ")[1].rstrip(" »") for m in mail.outbox})
    # The subject gives the date: a notice sent a day late (after a missed run) stays true.
    assert all(m.subject.startswith("Clôture le ") for m in mail.outbox)
    return titles


def test_the_first_run_announces_the_campaigns_closing_in_two_days(
    campaigns, django_capture_on_commit_callbacks
):
    assert announced(django_capture_on_commit_callbacks) == ["J+2"]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "carol@example.org"]


def test_the_day_after_a_run_it_announces_those_closing_in_two_days_only(
    campaigns, django_capture_on_commit_callbacks
):
    last_run(days_ago=1)  # J+3 of yesterday is today's J+2; yesterday's J+2 is today's J+1
    assert announced(django_capture_on_commit_callbacks) == ["J+2"]


def test_after_a_missed_day_it_catches_up_with_tomorrow_but_never_today(
    campaigns, django_capture_on_commit_callbacks
):
    last_run(days_ago=2)
    assert announced(django_capture_on_commit_callbacks) == ["J+1", "J+2"]
    last_run(days_ago=5)  # the latest finished run counts: a week away changes nothing more
    ScheduledRun.objects.filter(period="-2").delete()
    assert announced(django_capture_on_commit_callbacks) == ["J+1", "J+2"]


def test_run_many_times_a_day_it_announces_once(campaigns, django_capture_on_commit_callbacks):
    def scheduler():
        call_command("run_scheduled", job=jobs.CLOSING_SOON, stdout=io.StringIO())

    assert announced(django_capture_on_commit_callbacks, scheduler) == ["J+2"]
    assert announced(django_capture_on_commit_callbacks, scheduler) == []  # an operator, again
    assert announced(django_capture_on_commit_callbacks) == []  # the job itself, again


def test_a_campaign_postponed_is_announced_again_for_its_new_date(
    campaigns, django_capture_on_commit_callbacks
):
    last_run(days_ago=1)
    Campaign.objects.filter(pk=campaigns[1].pk).update(closes_on=today() + timedelta(days=2))
    assert announced(django_capture_on_commit_callbacks) == ["J+1", "J+2"]


def test_close_due_closes_each_campaign_past_its_date_once(campaigns, django_capture_on_commit_callbacks):
    Campaign.objects.filter(pk=campaigns[0].pk).update(closes_on=today() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.close_due() == "Diagnostics clôturés : 1."
        assert jobs.close_due() == "Diagnostics clôturés : 0."
    assert Campaign.objects.get(pk=campaigns[0].pk).state == Campaign.State.CLOSED
    assert [m.subject.split(" :")[0] for m in mail.outbox] == ["Diagnostic clôturé"] * 2  # two pilots

"""Periodic jobs: how an app declares them, when each is due, and running each once per period.

An app declares its jobs on its AppConfig, as it declares its content loader:

    periodic_jobs = [
        Job("campaigns.close_due", "reperes.campaigns.jobs.close_due", every=minutes(5)),
        Job("action_plans.weekly_digest", "reperes.action_plans.jobs.weekly_digest",
            every=week(on=MONDAY, after="07:00")),
    ]

A job is a plain function without arguments that returns a short French summary, and is safe to
run twice. `manage.py run_scheduled`, which cron or a systemd timer starts every five minutes,
runs every job whose period has begun and has no run yet. A period is a slot of N minutes, a
day from a given time, or a week from a given weekday and time (local time): a run missed at
06:30 happens at the scheduler's next start, the same day; a missed day is not run twice.

Once per period through `ScheduledRun`: the scheduler inserts the (job, period) row before
running the job, in its own transaction, so that of two schedulers started at the same moment,
or one started twice, the second meets the unique constraint and skips the job. A job that
raises has its row deleted, and runs again at the next start.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("reperes.schedule")

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _clock(text):
    hours, minutes_ = text.split(":")
    return time(int(hours), int(minutes_))


@dataclass(frozen=True)
class Minutes:
    """A slot of `n` minutes, counted from midnight UTC (every 5: :00, :05, :10…)."""

    n: int

    def __str__(self):
        return f"toutes les {self.n} minutes"

    def key(self, now):
        utc = now.astimezone(UTC)
        into_slot = (utc.hour * 60 + utc.minute) % self.n
        start = utc.replace(second=0, microsecond=0) - timedelta(minutes=into_slot)
        return f"{start:%Y-%m-%dT%H:%M}Z"

    def has_begun(self, now):
        return True


@dataclass(frozen=True)
class Day:
    """A local day, from `after` on."""

    after: time

    def __str__(self):
        return f"chaque jour après {self.after:%H:%M}"

    def key(self, now):
        return timezone.localtime(now).date().isoformat()

    def has_begun(self, now):
        return timezone.localtime(now).time() >= self.after


@dataclass(frozen=True)
class Week:
    """An ISO week (Monday to Sunday, local time), from weekday `on` at `after` on."""

    on: int
    after: time

    def __str__(self):
        return f"chaque semaine, le {WEEKDAYS[self.on]} après {self.after:%H:%M}"

    def key(self, now):
        year, week_, _ = timezone.localtime(now).isocalendar()
        return f"{year}-W{week_:02d}"

    def has_begun(self, now):
        local = timezone.localtime(now)
        return (local.weekday(), local.time()) >= (self.on, self.after)


def minutes(n):
    return Minutes(n)


def day(*, after):
    return Day(_clock(after))


def week(*, on, after):
    return Week(on, _clock(after))


@dataclass(frozen=True)
class Job:
    """A periodic job: its name (app.verb), the dotted path of its function, its period."""

    name: str
    path: str
    every: Minutes | Day | Week

    def is_due(self, now):
        """Its period has begun and holds no run (finished or in progress) yet."""
        from reperes.lib.models import ScheduledRun

        if not self.every.has_begun(now):
            return False
        return not ScheduledRun.objects.filter(job=self.name, period=self.every.key(now)).exists()

    def last_run(self):
        from reperes.lib.models import ScheduledRun

        return ScheduledRun.objects.filter(job=self.name).order_by("-started_at").first()


def periodic_jobs():
    """Every installed app's jobs, in the order of INSTALLED_APPS. An app declares them in the
    `periodic_jobs` attribute of its AppConfig."""
    jobs = [job for config in apps.get_app_configs() for job in getattr(config, "periodic_jobs", ())]
    names = [job.name for job in jobs]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"Deux tâches périodiques portent le même nom : {sorted(names)}")
    return jobs


def run_once(job, period):
    """Claim `period` for `job`, run it, record its summary. Returns the summary, or None when
    that period was claimed already (another scheduler, or an earlier start). When the job
    raises, its row is deleted, so that the next start runs it again, and the error goes up."""
    from reperes.lib.models import ScheduledRun

    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, period=period)
    except IntegrityError:
        return None
    try:
        summary = str(import_string(job.path)())
    except BaseException:
        ScheduledRun.objects.filter(pk=run.pk).delete()
        raise
    ScheduledRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), summary=summary[:300])
    return summary


def run_now(job, now):
    """Run `job` whether it is due or not (an operator's `--job`). The run counts for the
    current period when that one holds none yet, so that the scheduler does not run it again
    in the same period; otherwise it is recorded on its own."""
    summary = run_once(job, job.every.key(now))
    if summary is None:
        summary = run_once(job, f"main {timezone.now():%Y%m%d%H%M%S}")
    if summary is None:
        return "déjà lancée à l'instant."
    return summary


def last_finished(name):
    """When the latest finished run of the job `name` finished, or None. For a job whose work
    depends on when it last ran (the closing notices catch up a missed day)."""
    from reperes.lib.models import ScheduledRun

    run = ScheduledRun.objects.filter(job=name, finished_at__isnull=False).order_by("-finished_at").first()
    return run.finished_at if run else None


def parse_now(text):
    """An ISO date and time, local when it gives no offset (`--now`, for tests)."""
    moment = datetime.fromisoformat(text)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

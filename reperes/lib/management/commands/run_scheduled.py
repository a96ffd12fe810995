from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reperes.lib.schedule import logger, parse_now, periodic_jobs, run_now, run_once


class Command(BaseCommand):
    help = (
        "For cron or a systemd timer, every five minutes. Runs every periodic job that is due: "
        "the jobs every app declares on its AppConfig (`periodic_jobs`), each once per period "
        "(a slot of minutes, a day, a week), even when two schedulers start together or one "
        "starts twice. A job that fails is tried again at the next start, after the others ran; "
        "the command then exits non-zero. --list shows the jobs, --job runs one at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the jobs, their period and last run.")
        parser.add_argument("--job", metavar="NAME", help="Run this job now, due or not.")
        parser.add_argument("--now", metavar="ISO", help="Take this moment for now (tests).")

    def handle(self, *args, **options):
        now = parse_now(options["now"]) if options["now"] else timezone.now()
        jobs = periodic_jobs()
        if options["list"]:
            return self.list(jobs, now)
        if options["job"]:
            chosen = [job for job in jobs if job.name == options["job"]]
            if not chosen:
                raise CommandError(
                    f"Tâche inconnue : {options['job']}. Tâches : {', '.join(job.name for job in jobs)}."
                )
            self.stdout.write(f"{chosen[0].name} : {run_now(chosen[0], now)}")
            return
        ran, failed = 0, []
        for job in jobs:
            if not job.every.has_begun(now):
                continue
            try:
                summary = run_once(job, job.every.key(now))
            except Exception:
                logger.exception("La tâche périodique %s a échoué ; elle sera relancée.", job.name)
                failed.append(job.name)
                continue
            if summary is not None:
                ran += 1
                self.stdout.write(f"{job.name} : {summary}")
        self.stdout.write(f"Tâches lancées : {ran} ; en échec : {len(failed)}.")
        if failed:
            raise CommandError(f"Tâches en échec, relancées au prochain passage : {', '.join(failed)}.")

    def list(self, jobs, now):
        for job in jobs:
            last = job.last_run()
            if last is None:
                seen = "jamais lancée"
            elif last.finished_at is None:
                seen = f"en cours ou interrompue depuis le {self.moment(last.started_at)}"
            else:
                seen = f"dernière le {self.moment(last.finished_at)} : {last.summary}"
            due = " [à lancer]" if job.is_due(now) else ""
            self.stdout.write(f"{job.name} ({job.every}){due}\n    {seen}")

    def moment(self, value):
        return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"

"""Repères under load and under faults: two gunicorn processes, the task worker, Locust.

    make loadtest   # .venv/bin/python bench/loadtest.py
    make faults     # .venv/bin/python bench/loadtest.py --faults

`make loadtest` builds a throwaway PostgreSQL database with the demo, starts Repères as two
gunicorn processes on two ports of 127.0.0.1 and the task worker (TASKS_BACKEND=database), and
drives them with Locust (bench/locustfile.py) in three phases:

1. `reference`: anonymous visitors asking for the French 404 page without pause, the trivial
   page of `make bench`, spread over both processes;
2. `capacity`: respondents answering whole diagnostics without pause;
3. `mixed`: a few hundred respondents answering whole diagnostics at a person's pace, each page
   on the other process than the one before, while leads read results and dashboards and a
   facilitator and an analyst read their network's pages.

It prints throughput, p50/p95 per page and errors, then checks the database against the load
generator's journal: every response whose submission was acknowledged is stored exactly once,
with the answers that were sent; none is stored twice; none appears that was not sent.

`make faults` runs, each on its own fresh instance, during load:
- `postgresql-restart`: PostgreSQL restarted; requests in flight get the French error page or
  succeed, nothing acknowledged is lost, and afterwards every page works again without
  restarting Repères (nor the worker, which sends a mail queued after the restart);
- `kill-9`: a gunicorn worker of each process and the task worker killed with SIGKILL while
  1,000 mails wait; gunicorn replaces its workers, the task worker is started again (as systemd
  does), the scheduler requeues the task it was running, and every mail is sent once;
- `sqlite-disk-full`: Repères on SQLite whose database cannot grow past a few pages more
  (`PRAGMA max_page_count`, as if the disk were full): respondents get the French « manque de
  place » page, the answers acknowledged before stay in their drafts, and the database passes
  `PRAGMA integrity_check`.
Each prints what it injected and what it counted. Everything is bounded in time (about four
minutes for `make loadtest`, five for `make faults`) and contacts 127.0.0.1 only.

The same file plays the roles `setup`, `enqueue` and `verify` (Django configured on the
throwaway database from the environment), run as subprocesses by the driver.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from common import build_closed_campaign, build_demo, open_campaign, send_mail_to_memory
from http_bench import (
    BASE_DIR,
    HOST,
    PG_PORT,
    PG_ROLE,
    PYTHON,
    base_env,
    create_pg_database,
    drop_pg_database,
    free_port,
    start_gunicorn,
    stop_gunicorn,
)

LOCUST = BASE_DIR / ".venv" / "bin" / "locust"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
GUNICORN_WORKERS = 2  # sync workers per gunicorn process: two processes, four workers, two cores
CAMPAIGNS = 4  # open diagnostics the respondents answer, in four demo organisations
MIXED_USERS = 225  # of which 40/45 respondents (200), 15 leads, 5 facilitators, 5 analysts
MIXED_SECONDS = 180  # a respondent takes about 150 s: most finish one diagnostic
CAPACITY_USERS = 12
CAPACITY_SECONDS = 30
REFERENCE_SECONDS = 15
FAULT_USERS = 24  # brisk respondents (a page every two seconds) and leads: about 20 requests per second
MAILS = 1000  # queued for the kill -9 of the task worker
SILENCE_SECONDS = 15  # WORKER_SILENCE_SECONDS during the faults: a killed worker's task is requeued sooner
PAGES_OF_ROOM = 60  # how far the SQLite database may grow in `sqlite-disk-full`


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", action="store_true", help="the fault runs instead of the load test")
    parser.add_argument(
        "--only", help="with --faults: one fault (postgresql-restart, kill-9, sqlite-disk-full)"
    )
    sub = parser.add_subparsers(dest="role")
    for role in ("setup", "verify"):
        role_parser = sub.add_parser(role, help=f"internal: {role}")
        role_parser.add_argument("--state", required=True)
        role_parser.add_argument("--journal", default="")
        role_parser.add_argument("--mails", default="")
    enqueue_parser = sub.add_parser("enqueue", help="internal: queue mails")
    enqueue_parser.add_argument("--count", type=int, required=True)
    enqueue_parser.add_argument("--marker", required=True)
    enqueue_parser.add_argument("--keys", default="", help="file where the mails' keys are written")
    args = parser.parse_args()
    if args.role == "setup":
        return setup(Path(args.state))
    if args.role == "enqueue":
        return enqueue(args.count, args.marker, args.keys)
    if args.role == "verify":
        return verify(Path(args.state), Path(args.journal) if args.journal else None, args.mails)
    signal.signal(signal.SIGTERM, _terminate)
    if shutil.which(str(LOCUST)) is None:
        print(
            "Locust est absent : lancez « make loadtest » (qui l'installe), pas ce fichier seul.",
            file=sys.stderr,
        )
        return 1
    try:
        if args.faults:
            return run_faults(args.only)
        return run_load()
    except KeyboardInterrupt:
        print("Interrompu : serveurs arrêtés, bases jetables supprimées.", file=sys.stderr)
        return 130


def _terminate(signum, frame):
    raise KeyboardInterrupt


# The instance: a throwaway database, two gunicorn processes, the task worker


class Instance:
    """Repères on a throwaway database (PostgreSQL, or SQLite in a temporary folder), with its
    processes. A context manager: everything stops and the database is dropped on the way out."""

    def __init__(self, *, engine="postgresql", processes=2, extra_env=None):
        self.engine = engine
        self.processes = processes
        self.extra_env = extra_env or {}
        self.servers, self.workers = [], []

    def __enter__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="reperes-loadtest-"))
        self.ports = [free_port() for _ in range(self.processes)]
        self.env = base_env(self.tmp / "var", self.ports[0])
        self.env.update(TASKS_BACKEND="database", ALLOWED_HOSTS=HOST, LOG_LEVEL="WARNING", **self.extra_env)
        self.pg_name = None
        if self.engine == "postgresql":
            self.pg_name = create_pg_database()
            self.env["DATABASE_URL"] = f"postgres://{PG_ROLE}:{PG_ROLE}@{HOST}:{PG_PORT}/{self.pg_name}"
            self.env["CONN_MAX_AGE"] = "60"
        self.state = self.tmp / "state.json"
        started = time.monotonic()
        self.role("setup", "--state", str(self.state), timeout=300)
        self.setup_seconds = time.monotonic() - started
        self.data = json.loads(self.state.read_text())
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            stop_gunicorn(server)
        for worker in self.workers:
            stop_process(worker)
        if self.pg_name:
            drop_pg_database(self.pg_name)
        if os.environ.get("LOADTEST_KEEP") == "1":
            print(f"  (journaux gardés dans {self.tmp})")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def role(self, *arguments, env=None, timeout=120):
        done = subprocess.run(
            [PYTHON, __file__, *arguments],
            env=env or self.env,
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise SystemExit(f"« {arguments[0]} » a échoué :\n{done.stdout[-4000:]}")
        return done

    def start(self, env=None):
        for port in self.ports:
            self.servers.append(start_server(port, env or self.env, self.tmp / f"gunicorn-{port}.log"))
        for port in self.ports:
            wait_until_ready(port, self.tmp / f"gunicorn-{port}.log")
        self.start_worker(env)

    def start_worker(self, env=None):
        number = len(self.workers) + 1
        log = open(self.tmp / f"worker-{number}.log", "ab")  # noqa: SIM115 - closed with the process
        self.workers.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "worker", "--no-startup-delay", "--interval", "0.2"],
                env=env or self.env,
                cwd=BASE_DIR,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

    def worker_logs(self):
        return "".join(path.read_text(errors="replace") for path in sorted(self.tmp.glob("worker-*.log")))

    def server_log_tail(self):
        return "\n".join(
            path.read_text(errors="replace")[-1500:] for path in sorted(self.tmp.glob("gunicorn-*.log"))
        )


def start_server(port, env, log):
    """One gunicorn process as in production (config/gunicorn.conf.py), GUNICORN_WORKERS workers."""
    return start_gunicorn(
        [], env, port, log, workers=GUNICORN_WORKERS, config=BASE_DIR / "config" / "gunicorn.conf.py"
    )


def stop_process(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def get(port, path, *, cookie=None, timeout=10):
    """(status, body) of one GET on 127.0.0.1:port; status 0 when the connection failed."""
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers={"Accept-Language": "fr"})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - 127.0.0.1 only
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def wait_until_ready(port, log, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(port, "/confidentialite/", timeout=2)[0] == 200:
            return
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise SystemExit(f"gunicorn ne répond pas sur {HOST}:{port}. Fin de son journal :\n{tail}")


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


# Locust


class Phase:
    """One run of Locust: which people, how many, how long; its statistics from the CSV."""

    def __init__(self, instance, name, classes, users, seconds, *, journal=None, track_drafts=False):
        self.instance, self.name, self.classes = instance, name, classes
        self.users, self.seconds = users, seconds
        self.journal = journal or instance.tmp / f"journal-{name}.jsonl"
        self.track_drafts = track_drafts

    def start(self):
        env = {
            **self.instance.env,
            "LOADTEST_STATE": str(self.instance.state),
            "LOADTEST_PORTS": ",".join(map(str, self.instance.ports)),
            "LOADTEST_JOURNAL": str(self.journal),
            "LOADTEST_TRACK_DRAFTS": "1" if self.track_drafts else "0",
        }
        self.prefix = self.instance.tmp / f"locust-{self.name}"
        self.log = open(self.instance.tmp / f"locust-{self.name}.log", "ab")  # noqa: SIM115
        spawn = max(1, self.users // 10)
        self.process = subprocess.Popen(
            [
                str(LOCUST),
                "--locustfile",
                str(LOCUSTFILE),
                "--headless",
                "--host",
                f"http://{HOST}:{self.instance.ports[0]}",
                "--users",
                str(self.users),
                "--spawn-rate",
                str(spawn),
                "--run-time",
                f"{self.seconds}s",
                "--stop-timeout",
                "20",
                "--csv",
                str(self.prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
                *self.classes,
            ],
            env=env,
            cwd=BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.started = time.monotonic()
        return self

    def elapsed(self):
        return time.monotonic() - self.started

    def wait(self):
        try:
            self.process.wait(timeout=self.seconds + 60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise SystemExit(f"Locust ({self.name}) ne s'est pas arrêté.") from None
        self.log.close()
        stats = Path(f"{self.prefix}_stats.csv")
        if not stats.exists():
            text = (self.instance.tmp / f"locust-{self.name}.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"Locust ({self.name}) n'a rien mesuré :\n{text}")
        with stats.open() as rows:
            self.rows = list(csv.DictReader(rows))
        return self

    def run(self):
        return self.start().wait()

    def row(self, name):
        return next(row for row in self.rows if row["Name"] == name)

    def rate(self, name="Aggregated"):
        return float(self.row(name)["Requests/s"])

    def table(self):
        lines = [f"  {'page':<48} {'requêtes':>8} {'erreurs':>7} {'/s':>6} {'p50 ms':>7} {'p95 ms':>7}"]
        for row in self.rows:
            name = f"{row['Type']} {row['Name']}" if row["Type"] else row["Name"]
            lines.append(
                f"  {name[:48]:<48} {row['Request Count']:>8} {row['Failure Count']:>7} "
                f"{float(row['Requests/s']):>6.1f} {row['50%']:>7} {row['95%']:>7}"
            )
        return "\n".join(lines)


def verify_journal(instance, journals, env=None):
    """Runs the `verify` role on the journals; returns its report (a dict)."""
    merged = instance.tmp / "journal-all.jsonl"
    with merged.open("w") as out:
        for journal in journals:
            if Path(journal).exists():
                out.write(Path(journal).read_text())
    done = instance.role("verify", "--state", str(instance.state), "--journal", str(merged), env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_verification(report):
    print(
        f"  vérification : {report['submitted']} envois confirmés, {report['uncertain']} incertains "
        f"(coupés en vol), {report['stored']} réponses en base"
    )
    print(
        f"    confirmés introuvables : {report['lost']} · enregistrés deux fois : {report['doubled']} · "
        f"en base sans envoi : {report['unexpected']} · réponses fausses : {report['wrong']}"
    )
    errors = report["errors"]
    print(
        f"    pages d'erreur : {errors['french']} françaises, {errors['other']} autres ; "
        f"connexions coupées : {errors['cut']} ; par statut : {errors['by_status']}"
    )
    if "drafts" in report:
        drafts = report["drafts"]
        print(
            f"    brouillons : {drafts['checked']} vérifiés, {drafts['kept']} avec tout ce qui avait "
            "été confirmé, "
            f"{drafts['submitted']} envoyés depuis, {drafts['lost']} ayant perdu des réponses"
        )
    if "integrity" in report:
        print(f"    PRAGMA integrity_check : {report['integrity']}")


def is_sound(report):
    return (
        not (report["lost"] or report["doubled"] or report["unexpected"] or report["wrong"])
        and not (report["errors"]["other"])
    )


# make loadtest


def run_load():
    print(
        f"Essai de charge — PostgreSQL, 2 processus gunicorn ({GUNICORN_WORKERS} workers sync chacun) et le "
        f"travailleur de tâches sur {HOST}, Locust sur la même machine ({os.cpu_count()} cœurs)."
    )
    started = time.monotonic()
    with Instance() as instance:
        print(
            f"  données : démo, {CAMPAIGNS} diagnostics ouverts, un clôturé à 250 réponses "
            f"({instance.setup_seconds:.0f} s)"
        )
        instance.start()
        check_pages(instance)
        reference = Phase(instance, "reference", ["Trivial"], CAPACITY_USERS, REFERENCE_SECONDS).run()
        capacity = Phase(instance, "capacity", ["QuickRespondent"], CAPACITY_USERS, CAPACITY_SECONDS).run()
        mixed = Phase(
            instance, "mixed", ["Respondent", "Lead", "Facilitator", "Analyst"], MIXED_USERS, MIXED_SECONDS
        ).run()
        report = verify_journal(instance, [capacity.journal, mixed.journal])
        capacity_report = verify_journal(instance, [capacity.journal])
        trivial_rate = reference.rate()
        submit_rate = capacity_report["submitted"] / CAPACITY_SECONDS
        print(
            f"\n1. Référence : la page 404 française, {CAPACITY_USERS} visiteurs sans pause, "
            f"{REFERENCE_SECONDS} s"
        )
        print(reference.table())
        print(
            f"\n2. Capacité : {CAPACITY_USERS} répondants sans pause, diagnostics entiers, "
            f"{CAPACITY_SECONDS} s"
        )
        print(capacity.table())
        print(
            f"\n3. Charge mêlée : {MIXED_USERS} personnes (≈200 répondants à leur rythme, pilotes, "
            f"animatrice, analyste), {MIXED_SECONDS} s"
        )
        print(mixed.table())
        print("\nChiffres")
        print(f"  loadtest.trivial_rate: {trivial_rate:.1f} req/s")
        print(f"  loadtest.submissions_per_second: {submit_rate:.2f} /s (diagnostics entiers envoyés)")
        print(f"  loadtest.submit_ratio: {submit_rate / trivial_rate:.4f} ratio (envois/s ÷ pages 404/s)")
        print(
            f"  loadtest.requests_ratio: {capacity.rate() / trivial_rate:.3f} ratio "
            "(requêtes des répondants/s ÷ pages 404/s)"
        )
        results = mixed.row("résultats")
        print(f"  loadtest.results_p95_under_load: {results['95%']} ms (p50 {results['50%']} ms)")
        print(
            f"  loadtest.mixed_rate: {mixed.rate():.1f} req/s, "
            f"{mixed.row('Aggregated')['Failure Count']} erreurs"
        )
        print("\nUne vérité pour deux processus")
        print_verification(report)
        sound = is_sound(report) and int(mixed.row("Aggregated")["Failure Count"]) == 0
    print(f"\n{'RÉUSSI' if sound else 'ÉCHEC'} en {time.monotonic() - started:.0f} s.")
    return 0 if sound else 1


def check_pages(instance, ports=None):
    """Every page the readers read answers 200 on every process: the personas' sessions work."""
    failures = []
    for persona in instance.data["personas"].values():
        cookie = f"{persona['cookie']}={persona['session']}"
        for name, path in persona["pages"]:
            for port in ports or instance.ports:
                status, _ = get(port, path, cookie=cookie)
                if status != 200:
                    failures.append(f"{name} ({path}) sur :{port} → {status}")
    if failures:
        raise SystemExit("Des pages ne s'affichent pas :\n  " + "\n  ".join(failures))


# make faults


def run_faults(only):
    faults = {
        "postgresql-restart": fault_postgresql_restart,
        "kill-9": fault_kill_9,
        "sqlite-disk-full": fault_sqlite_disk_full,
    }
    if only and only not in faults:
        print(f"Panne inconnue : {only} (au choix : {', '.join(faults)}).", file=sys.stderr)
        return 2
    outcomes = {}
    started = time.monotonic()
    for name, fault in faults.items():
        if only and name != only:
            continue
        print(f"\n=== {name} ===")
        outcomes[name] = fault()
        sys.stdout.flush()
    print()
    for name, sound in outcomes.items():
        print(f"  {name}: {'RÉUSSI' if sound else 'ÉCHEC'}")
    print(f"Pannes jouées en {time.monotonic() - started:.0f} s.")
    return 0 if all(outcomes.values()) else 1


def postgresql_cluster():
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
    for line in listed.stdout.splitlines():
        version, name, port, *_ = line.split()
        if int(port) == PG_PORT:
            return version, name
    raise SystemExit(f"Aucun cluster PostgreSQL sur le port {PG_PORT} (pg_lsclusters).")


def fault_postgresql_restart():
    version, name = postgresql_cluster()
    with Instance() as instance:
        instance.start()
        phase = Phase(instance, "pg", ["BriskRespondent", "Lead"], FAULT_USERS, 60).start()
        time.sleep(20)
        began = time.monotonic()
        restarted = subprocess.run(
            ["pg_ctlcluster", version, name, "restart", "-m", "fast"], capture_output=True, text=True
        )
        took = time.monotonic() - began
        if restarted.returncode != 0:
            phase.process.kill()
            raise SystemExit(f"pg_ctlcluster {version} {name} restart a échoué : {restarted.stderr.strip()}")
        print(
            f"  injecté : PostgreSQL {version}/{name} redémarré (arrêt rapide) à t={phase.elapsed():.0f} s, "
            f"en {took:.1f} s"
        )
        phase.wait()
        # Afterwards, without restarting anything: every page, a whole diagnostic on each
        # process, and a mail queued now is sent by the same worker.
        check_pages(instance)
        after = Phase(instance, "pg-after", ["QuickRespondent"], 2, 10).run()
        instance.role("enqueue", "--count", "1", "--marker", "apres-redemarrage")
        mail_sent = wait_for(lambda: "apres-redemarrage" in instance.worker_logs(), 30)
        report = verify_journal(instance, [phase.journal, after.journal])
        print(phase.table())
        print(
            "  après le redémarrage, sans relancer Repères : pages des personnes connectées 200 sur les "
            f"deux processus ; {after.row('Aggregated')['Request Count']} requêtes, "
            f"{after.row('Aggregated')['Failure Count']} erreurs ; "
            f"mail mis en file envoyé par le même travailleur : {'oui' if mail_sent else 'NON'}"
        )
        print_verification(report)
        return is_sound(report) and mail_sent and int(after.row("Aggregated")["Failure Count"]) == 0


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def fault_kill_9():
    marker = f"essai-{secrets.token_hex(3)}"
    with Instance(extra_env={"WORKER_SILENCE_SECONDS": str(SILENCE_SECONDS)}) as instance:
        instance.start()
        phase = Phase(instance, "kill", ["BriskRespondent", "Lead"], FAULT_USERS, 60).start()
        time.sleep(15)
        killed = []
        for server in instance.servers:
            victims = children(server.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                killed.append(victims[0])
        print(
            "  injecté : kill -9 d'un worker gunicorn de chaque processus "
            f"(pid {', '.join(map(str, killed))}) à t={phase.elapsed():.0f} s"
        )
        keys = instance.tmp / f"keys-{marker}.txt"
        instance.role("enqueue", "--count", str(MAILS), "--marker", marker, "--keys", str(keys))
        wait_for(lambda: instance.worker_logs().count(marker) >= 20, 30)
        worker = instance.workers[-1]
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        sent_before = instance.worker_logs().count(f"Subject: {marker}")
        print(
            f"  injecté : kill -9 du travailleur de tâches à t={phase.elapsed():.0f} s, "
            f"après {sent_before} mails sur {MAILS}"
        )
        time.sleep(5)  # systemd's RestartSec
        instance.start_worker()
        print(f"  relancé : le travailleur de tâches, 5 s plus tard (t={phase.elapsed():.0f} s)")
        time.sleep(3)
        replaced = {server.pid: len(children(server.pid)) for server in instance.servers}
        phase.wait()
        # The task the killed worker was running waits for the scheduler's requeue.
        time.sleep(SILENCE_SECONDS + 2)
        requeue = subprocess.run(
            [PYTHON, "manage.py", "run_scheduled", "--job", "lib.requeue"],
            env=instance.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        print(f"  ordonnanceur : {requeue.stdout.strip() or requeue.stderr.strip()}")
        done = instance.role(
            "verify", "--state", str(instance.state), "--journal", str(phase.journal), "--mails", marker
        )
        report = json.loads(done.stdout.strip().splitlines()[-1])
        wait_for(lambda: mail_report(instance, marker)["pending"] == 0, 60)
        mails = mail_report(instance, marker)
        print(phase.table())
        print(
            f"  gunicorn : workers par processus 3 s après le kill -9 : {list(replaced.values())} "
            f"(attendu {GUNICORN_WORKERS})"
        )
        print(
            f"  mails : {MAILS} mis en file, {mails['keys']} marqués envoyés, {mails['pending']} en attente, "
            f"{mails['delivered']} remis (dont {mails['delivered'] - mails['distinct']} en double), "
            f"{mails['failed']} tâches en échec"
        )
        print_verification(report)
        replaced_ok = all(count == GUNICORN_WORKERS for count in replaced.values())
        mails_ok = (
            mails["keys"] == MAILS
            and mails["pending"] == 0
            and mails["distinct"] == MAILS
            and not mails["failed"]
        )
        return is_sound(report) and replaced_ok and mails_ok


def mail_report(instance, marker):
    done = instance.role("verify", "--state", str(instance.state), "--mails", marker)
    report = json.loads(done.stdout.strip().splitlines()[-1])["mails"]
    subjects = [
        line for line in instance.worker_logs().splitlines() if line.startswith(f"Subject: {marker} ")
    ]
    report["delivered"] = len(subjects)
    report["distinct"] = len(set(subjects))
    return report


def fault_sqlite_disk_full():
    with Instance(engine="sqlite", processes=2) as instance:
        database = instance.tmp / "var" / "reperes.sqlite3"
        import sqlite3

        with sqlite3.connect(database) as connection:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        limit = pages + PAGES_OF_ROOM
        full_env = {**instance.env, "SQLITE_MAX_PAGE_COUNT": str(limit)}
        instance.start(env=full_env)
        print(
            f"  injecté : PRAGMA max_page_count={limit} dans chaque connexion (la base en compte {pages}, "
            f"dont {free} libres ; {PAGES_OF_ROOM} pages de 4 Kio de plus, puis « disque plein »)"
        )
        phase = Phase(instance, "full", ["QuickRespondent"], 16, 40, track_drafts=True).run()
        for server in instance.servers:
            stop_gunicorn(server)
        for worker in instance.workers:
            stop_process(worker)
        instance.servers, instance.workers = [], []
        report = verify_journal(instance, [phase.journal])
        journal = [json.loads(line) for line in phase.journal.read_text().splitlines()]
        full_pages = sum(1 for line in journal if line["event"] == "error" and line["status"] == 503)
        print(phase.table())
        print(f"  pages « Service momentanément indisponible » (503) reçues : {full_pages}")
        print_verification(report)
        # Room again (the disk freed): answering works, on the same database.
        instance.servers = []
        instance.start()
        after = Phase(instance, "full-after", ["QuickRespondent"], 2, 10).run()
        print(
            f"  place rendue : {after.row('Aggregated')['Request Count']} requêtes, "
            f"{after.row('Aggregated')['Failure Count']} erreurs"
        )
        return (
            is_sound(report)
            and full_pages > 0
            and report["integrity"] == "ok"
            and report["drafts"]["lost"] == 0
            and int(after.row("Aggregated")["Failure Count"]) == 0
        )


# Role `setup`: the data, with Django configured on the throwaway database


def setup(state_path):

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reperes.accounts.models import User
    from reperes.demo.management.commands.seed_demo import NETWORK_SLUG, ORGANISATIONS, email
    from reperes.instruments.models import Questionnaire
    from reperes.observatory.models import Release
    from reperes.organisations.models import Organisation

    send_mail_to_memory()
    build_demo()
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    spec = version.spec
    campaigns = []
    for spec_ in ORGANISATIONS[:CAMPAIGNS]:
        organisation = Organisation.objects.get(slug=spec_["slug"])
        lead = User.objects.get(email=email(spec_["members"][0][0]))
        campaign = open_campaign(organisation, lead, "Diagnostic sous charge")
        campaigns.append(
            {
                "share_id": campaign.share_id,
                "groups": [str(group.pk) for group in campaign.groups.all()],
                "themes": [[item["id"] for item in theme["items"]] for theme in spec.themes],
                "values": sorted(spec.values),
            }
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        closed, lead = None, User.objects.get(email=email("dave"))
    else:
        closed, lead = build_closed_campaign()

    def session(user, *, verified):
        client = Client()
        client.force_login(user)
        if verified:
            device = TOTPDevice.objects.filter(
                user=user, confirmed=True
            ).first() or TOTPDevice.objects.create(user=user, name="Essai de charge", confirmed=True)
            stored = client.session
            stored[DEVICE_ID_SESSION_KEY] = device.persistent_id
            stored.save()
            return stored.session_key
        return client.session.session_key

    network = f"/r/{NETWORK_SLUG}/"
    lead_pages = [("tableau de bord", f"/s/{lead.memberships.first().organisation.slug}/")]
    if closed is not None:
        results = f"/s/{closed.organisation.slug}/diagnostics/{closed.pk}/resultats/"
        lead_pages = [
            ("résultats", results),
            ("résultats : pistes (htmx)", results + "pistes/"),
            ("tableau de bord", f"/s/{closed.organisation.slug}/"),
            ("diagnostics", f"/s/{closed.organisation.slug}/diagnostics/"),
        ]
    release = Release.objects.filter(network__slug=NETWORK_SLUG).order_by("-number").first()
    analyst_pages = [("observatoire", f"{network}observatoire/")]
    if release is not None:
        analyst_pages.append(("observatoire : publication", f"{network}observatoire/{release.number}/"))
        if table := release.tables.order_by("key").first():
            analyst_pages.append(
                ("observatoire : tableau", f"{network}observatoire/{release.number}/{table.key}/")
            )
    state = {
        "campaigns": campaigns,
        "personas": {
            "lead": {
                "cookie": settings.SESSION_COOKIE_NAME,
                "session": session(lead, verified=False),
                "pages": lead_pages,
            },
            "facilitator": {
                "cookie": settings.SESSION_COOKIE_NAME,
                "session": session(User.objects.get(email=email("fiona")), verified=True),
                "pages": [("réseau : accueil", network), ("réseau : cohortes", f"{network}cohortes/")],
            },
            "analyst": {
                "cookie": settings.SESSION_COOKIE_NAME,
                "session": session(User.objects.get(email=email("nina")), verified=True),
                "pages": analyst_pages,
            },
        },
    }
    state_path.write_text(json.dumps(state))
    return 0


def enqueue(count, marker, keys_path):
    """Queue `count` mails whose subject starts with `marker`; their idempotency keys (the first
    argument of each task) go to `keys_path`, for `verify --mails`."""
    import django

    django.setup()
    from reperes.lib.mail import queue_mail

    keys = []
    for number in range(count):
        result = queue_mail(
            f"essai-{number}@example.org", f"{marker} n° {number}", "Un mail de l'essai de charge."
        )
        keys.append(result.args[0])
    if keys_path:
        Path(keys_path).write_text("\n".join(keys))
    return 0


# Role `verify`: the journal against the database


def verify(state_path, journal_path, marker):
    import django

    django.setup()
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from reperes.campaigns.models import Answer, Draft, Response, hash_token
    from reperes.lib.models import SentMail

    state = json.loads(state_path.read_text())
    report = {}
    if marker:
        keys = (state_path.parent / f"keys-{marker}.txt").read_text().split()
        tasks = DBTaskResult.objects.filter(task_path="reperes.lib.mail.deliver_mail")
        report["mails"] = {
            "keys": SentMail.objects.filter(key__in=keys).count(),
            "pending": tasks.exclude(status__in=["SUCCESSFUL", "FAILED"]).count(),
            "failed": tasks.filter(status="FAILED").count(),
        }
    if journal_path is not None:
        events = [json.loads(line) for line in journal_path.read_text().splitlines() if line.strip()]
        report |= compare(state, events, Response, Answer)
        saved = {}
        for event in events:
            if event["event"] == "saved" and event.get("token"):
                saved[event["token"]] = event
        if saved:
            sent = {
                vector(event["answers"]) for event in events if event["event"] in ("submitted", "uncertain")
            }
            drafts = {"checked": len(saved), "kept": 0, "submitted": 0, "lost": 0}
            for token, event in saved.items():
                draft = Draft.objects.filter(token_hash=hash_token(token)).first()
                if draft is None:
                    drafts[
                        "submitted" if any(vector(event["answers"]) <= other for other in sent) else "lost"
                    ] += 1
                elif all(draft.answers.get(key) == value for key, value in event["answers"].items()):
                    drafts["kept"] += 1
                else:
                    drafts["lost"] += 1
            report["drafts"] = drafts
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA integrity_check")
                report["integrity"] = ", ".join(row[0] for row in cursor.fetchall())
    print(json.dumps(report))
    return 0


def vector(answers):
    return frozenset(answers.items())


def compare(state, events, Response, Answer):
    """Acknowledged submissions against stored responses, campaign by campaign: a response is
    its group and its answers (nothing else ties it to whoever sent it)."""
    shares = {campaign["share_id"] for campaign in state["campaigns"]}
    acknowledged, uncertain = Counter(), Counter()
    errors = {"french": 0, "other": 0, "cut": 0, "by_status": Counter()}
    for event in events:
        if event["event"] in ("submitted", "uncertain"):
            key = (event["campaign"], event["group"], vector(event["answers"]))
            (acknowledged if event["event"] == "submitted" else uncertain)[key] += 1
        elif event["event"] == "error":
            errors["by_status"][str(event["status"])] += 1
            if event["status"] == 0:
                errors["cut"] += 1
            else:
                errors["french" if event["french"] else "other"] += 1
    stored = Counter()
    answers = {}
    for response_id, item_id, value in Answer.objects.filter(
        response__campaign__share_id__in=shares
    ).values_list("response_id", "item_id", "value"):
        answers.setdefault(response_id, {})[item_id] = value
    for response_id, share_id, group_id in Response.objects.filter(campaign__share_id__in=shares).values_list(
        "id", "campaign__share_id", "group_id"
    ):
        stored[(share_id, str(group_id) if group_id else None, vector(answers.get(response_id, {})))] += 1
    lost = sum(max(0, count - stored[key]) for key, count in acknowledged.items())
    doubled = sum(max(0, count - acknowledged[key] - uncertain[key]) for key, count in stored.items())
    unexpected = sum(
        count for key, count in stored.items() if key not in acknowledged and key not in uncertain
    )
    # A stored response with the campaign and group of a sent one but other answers: wrong.
    sent_by_place = Counter((key[0], key[1]) for key in (acknowledged + uncertain))
    wrong = sum(
        1
        for key in stored
        if key not in acknowledged and key not in uncertain and sent_by_place[(key[0], key[1])]
    )
    errors["by_status"] = dict(errors["by_status"])
    return {
        "submitted": sum(acknowledged.values()),
        "uncertain": sum(uncertain.values()),
        "stored": sum(stored.values()),
        "lost": lost,
        "doubled": doubled - unexpected,
        "unexpected": unexpected,
        "wrong": wrong,
        "errors": errors,
    }


if __name__ == "__main__":
    sys.exit(main())

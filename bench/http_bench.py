"""Repères HTTP benchmark: answering and results through gunicorn, on SQLite and PostgreSQL.

`make bench` runs this file after bench/run.py. For each database it builds a throwaway database,
starts gunicorn on 127.0.0.1 pinned to one core, and drives it from a load generator pinned to
another core. It prints one figure per line, `name: value unit`, for a script to read:

    sqlite.submit_ratio: 0.21 ratio
    sqlite.results_p95: 41.2 ms

Every loop is bounded in time and in count, and only 127.0.0.1 is ever contacted. The same file
plays three roles: the driver (no argument), `setup` (builds the data with the ORM, in its own
process because Django is configured once per process) and `load` (the load generator, standard
library only). See bench/README.md for what is measured and how to read it.
"""

import argparse
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import (
    BASE_DIR,
    RESULTS_RESPONSES,
    build_closed_campaign,
    build_demo,
    clean_environment,
    open_campaign,
    send_mail_to_memory,
)

PYTHON = sys.executable
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"  # the only address this file ever connects to or binds
PG_PORT = 5432
PG_ROLE = "reperes"  # role and password as .ci/run creates them

WORKERS = 3  # gunicorn sync workers on the server's core: the unit of docs/operations.md
CONCURRENCY = 4  # connections the load generator keeps in flight
ROUNDS = 3  # each round: trivial view, submitting POSTs, whole flows
TRIVIAL_SECONDS = 2.0
SUBMIT_SECONDS = 2.5
FLOW_SECONDS = 4.0
LATENCY_SAMPLES = 200  # results page, sequential, interleaved with as many trivial requests
DRAFTS = 3000  # complete drafts prepared for the submitting POSTs (a bound on that loop)
TRIVIAL_PATH = "/confidentialite/"


# The driver


class Skipped(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="role")
    setup_parser = sub.add_parser("setup", help="internal: build the data of one database")
    setup_parser.add_argument("--state", required=True)
    load_parser = sub.add_parser("load", help="internal: the load generator")
    load_parser.add_argument("--state", required=True)
    load_parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    if args.role == "setup":
        return setup(Path(args.state))
    if args.role == "load":
        return load(Path(args.state), args.port)
    try:
        return drive(["sqlite", "postgresql"] if args.only is None else [args.only])
    except KeyboardInterrupt:
        print("Interrupted: gunicorn stopped, throwaway databases removed.", file=sys.stderr)
        return 130


def _terminate(signum, frame):
    raise KeyboardInterrupt  # so that every `finally` below runs: gunicorn stopped, database dropped


def pinning():
    """(server prefix, load prefix, description): taskset prefixes for two different cores."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return [], [], "not pinned: a single CPU, server and load generator share it"
    if shutil.which("taskset") is None:
        return [], [], "not pinned: taskset missing (apt-get install util-linux)"
    return ["taskset", "-c", "0"], ["taskset", "-c", "1"], "gunicorn on CPU 0, load generator on CPU 1"


def drive(databases):
    signal.signal(signal.SIGTERM, _terminate)
    server_prefix, load_prefix, pinned = pinning()
    print()
    print(
        f"HTTP benchmark — gunicorn ({WORKERS} sync workers, DEBUG off) on {HOST}, {pinned}.\n"
        f"Per database, {ROUNDS} rounds of: GET {TRIVIAL_PATH} (the trivial view) {TRIVIAL_SECONDS:g} s, "
        f"submitting POSTs {SUBMIT_SECONDS:g} s,\nwhole responses {FLOW_SECONDS:g} s, "
        f"{CONCURRENCY} connections in flight; then {LATENCY_SAMPLES} results pages one at a time "
        f"({RESULTS_RESPONSES} responses).\nFigure of record: submit_ratio = submitting POSTs per second "
        "÷ trivial requests per second (bench/README.md)."
    )
    failed = False
    started = time.monotonic()
    for database in databases:
        try:
            figures = run_database(database, server_prefix, load_prefix)
        except Skipped as reason:
            print(f"{database}: skipped ({reason})")
            continue
        for name, value, unit in figures:
            print(f"{database}.{name}: {value} {unit}")
            failed |= name == "errors" and value != 0
        sys.stdout.flush()
    print(
        "Targets (reported, not asserted): postgresql.submit_ratio >= 0.15; results_p95 < 100 ms.\n"
        f"HTTP part done in {time.monotonic() - started:.0f} s."
    )
    return 1 if failed else 0


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def base_env(var_dir, port):
    env = clean_environment(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REPERES_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{port}",
        PYTHONPATH=str(BASE_DIR),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def pg_connect(dbname):
    import psycopg

    return psycopg.connect(
        host=HOST,
        port=PG_PORT,
        user=PG_ROLE,
        password=PG_ROLE,
        dbname=dbname,
        connect_timeout=3,
        autocommit=True,
    )


def create_pg_database():
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise Skipped("psycopg is not installed") from error
    name = f"reperes_bench_{secrets.token_hex(4)}"
    try:
        with pg_connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    except Exception as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if "connection refused" in first_line.lower() or "timeout" in first_line.lower():
            raise Skipped(f"not reachable on {HOST}:{PG_PORT}") from error
        raise Skipped(f"not usable on {HOST}:{PG_PORT} as role {PG_ROLE}: {first_line}") from error
    return name


def drop_pg_database(name):
    try:
        with pg_connect("postgres") as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as error:
        print(f"warning: could not drop the database {name}: {error}", file=sys.stderr)


def run_database(database, server_prefix, load_prefix):
    pg_name = create_pg_database() if database == "postgresql" else None
    try:
        with tempfile.TemporaryDirectory(prefix=f"reperes-httpbench-{database}-") as tmp:
            tmp = Path(tmp)
            port = free_port()
            env = base_env(tmp / "var", port)
            if pg_name:
                env["DATABASE_URL"] = f"postgres://{PG_ROLE}:{PG_ROLE}@{HOST}:{PG_PORT}/{pg_name}"
                env["CONN_MAX_AGE"] = "60"
            state = tmp / "state.json"
            built = time.monotonic()
            built_data = subprocess.run(
                [PYTHON, __file__, "setup", "--state", str(state)],
                env=env,
                cwd=BASE_DIR,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=180,
            )
            if built_data.returncode != 0:
                raise SystemExit(f"{database}: building the data failed:\n{built_data.stdout[-3000:]}")
            setup_seconds = time.monotonic() - built
            log = tmp / "gunicorn.log"
            server = start_gunicorn(server_prefix, env, port, log)
            try:
                wait_until_ready(server, port, log)
                measured = subprocess.run(
                    [*load_prefix, PYTHON, __file__, "load", "--state", str(state), "--port", str(port)],
                    env=env,
                    cwd=BASE_DIR,
                    stdout=subprocess.PIPE,
                    timeout=180,
                )
            finally:
                stop_gunicorn(server)
            if measured.returncode != 0:
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                raise SystemExit(f"{database}: the load generator failed. End of gunicorn's log:\n{tail}")
            figures = json.loads(measured.stdout)
            if any(name == "errors" and value for name, value, _ in figures):
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                print(f"{database}: requests failed. End of gunicorn's log:\n{tail}", file=sys.stderr)
            figures.append(["setup_time", round(setup_seconds, 1), "s"])
            return figures
    finally:
        if pg_name:
            drop_pg_database(pg_name)


def start_gunicorn(prefix, env, port, log, *, workers=WORKERS, config=None):
    """gunicorn on 127.0.0.1:port, with `config` (a gunicorn.conf.py) if given; the options
    below override what the file says."""
    command = [
        *prefix,
        str(GUNICORN),
        "config.wsgi:application",
        *(["--config", str(config)] if config else []),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    # gunicorn's and Django's messages go to the log, shown if something fails. A session (and so
    # a process group) of its own: stop_gunicorn kills the whole group, workers included.
    with open(log, "ab") as output:
        return subprocess.Popen(
            command,
            env=env,
            cwd=BASE_DIR,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop_gunicorn(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    # Whatever is left of the group (a stuck arbiter, a worker that outlived it) is killed.
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        print(f"warning: gunicorn (process group {server.pid}) did not stop", file=sys.stderr)


def wait_until_ready(server, port, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if http(port, "GET", TRIVIAL_PATH, timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port}. End of its log:\n{tail}")


# The data (role `setup`: Django configured, throwaway database from the environment)


def setup(state_path):

    import django

    django.setup()
    from django.utils import timezone

    from reperes.accounts.models import User
    from reperes.campaigns.models import Draft, hash_token, new_token
    from reperes.demo.management.commands.seed_demo import DEMO_DOMAIN, DEMO_PASSWORD
    from reperes.instruments.models import Questionnaire
    from reperes.organisations.models import Organisation

    send_mail_to_memory()
    build_demo()

    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    spec = version.spec
    values = sorted(spec.values)
    today = timezone.localdate()
    rng = random.Random(2026)

    # The campaign people answer: open, with the default groups.
    alice = User.objects.get(email=f"alice@{DEMO_DOMAIN}")
    association = Organisation.objects.get(slug="jardins-du-lien")
    answered = open_campaign(association, alice, "Diagnostic mesuré (bench)")
    groups = list(answered.groups.all())

    # The campaign whose results are timed: 250 responses in four groups and none, then closed.
    measured, dave = build_closed_campaign()
    assert measured.responses.count() == RESULTS_RESPONSES

    # Complete drafts, for timing the submitting POST alone.
    tokens = [new_token() for _ in range(DRAFTS)]
    Draft.objects.bulk_create(
        (
            Draft(
                token_hash=hash_token(token),
                campaign=answered,
                group=rng.choice(groups),
                group_chosen=True,
                answers={item_id: rng.choice(values) for item_id in spec.item_ids},
                updated_on=today,
            )
            for token in tokens
        ),
        batch_size=1000,
    )

    state = {
        "share_id": answered.share_id,
        "groups": [group.pk for group in groups],
        "themes": [[item["id"] for item in theme["items"]] for theme in spec.themes],
        "values": values,
        "drafts": tokens,
        "login": {"username": dave.email, "password": DEMO_PASSWORD},
        "results_path": f"/s/{measured.organisation.slug}/diagnostics/{measured.pk}/resultats/",
        "results_expect": [measured.title, f"{RESULTS_RESPONSES} réponses", 'id="carte"'],
        "vendor": django.db.connection.vendor,
    }
    state_path.write_text(json.dumps(state))
    return 0


# The load generator (role `load`: standard library only, no Django)


class Reply:
    __slots__ = ("status", "headers", "cookies", "body")

    def __init__(self, status, headers, cookies, body):
        self.status = status
        self.headers = headers
        self.cookies = cookies
        self.body = body

    def csrf_token(self):
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', self.body)
        if match is None:
            raise RequestFailed("no CSRF token in the page", self)
        return match.group(1).decode()


class RequestFailed(Exception):
    def __init__(self, message, reply=None):
        super().__init__(message)
        self.reply = reply


def http(port, method, path, *, cookies=None, form=None, timeout=30):
    """One request on a new connection (gunicorn's sync workers close it after each response)."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "Connection: close",
        "User-Agent: reperes-bench",
        "Accept: text/html",
        "Accept-Language: fr",
    ]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()))
    body = b""
    if form is not None:
        body = "&".join(f"{quote(key)}={quote(str(value))}" for key, value in form).encode()
        lines += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            f"Origin: http://{HOST}:{port}",
        ]
    payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection((HOST, port), timeout=timeout) as connection:
        connection.sendall(payload)
        chunks = []
        while chunk := connection.recv(262144):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, content = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    status = int(head_lines[0].split(" ", 2)[1])
    headers, cookies_set = {}, {}
    for line in head_lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            cookie_name, _, rest = value.partition("=")
            cookies_set[cookie_name] = rest.split(";", 1)[0].strip('"')
        else:
            headers[name] = value
    if headers.get("transfer-encoding") == "chunked":
        content = dechunk(content)
    return Reply(status, headers, cookies_set, content)


def quote(text):
    from urllib.parse import quote_plus

    return quote_plus(text)


def dechunk(data):
    out, position = [], 0
    while True:
        end = data.index(b"\r\n", position)
        size = int(data[position:end].split(b";")[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(data[end + 2 : end + 2 + size])
        position = end + 2 + size + 2


class Browser:
    """A respondent: a cookie jar, following the redirects as a browser does (static files aside)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.requests = 0

    def request(self, method, path, *, form=None, expect):
        reply = http(self.port, method, path, cookies=self.cookies, form=form)
        self.requests += 1
        for name, value in reply.cookies.items():
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)  # Django deletes a cookie by setting it empty
        if reply.status != expect:
            raise RequestFailed(f"{method} {path}: status {reply.status}, expected {expect}", reply)
        return reply


def respond(port, state, rng):
    """One respondent's whole visit, from the share link to the thanks page. Returns its requests."""
    browser = Browser(port)
    base = f"/d/{state['share_id']}/"
    intro = browser.request("GET", base, expect=200)
    reply = browser.request(
        "POST", base + "commencer/", form=[("csrfmiddlewaretoken", intro.csrf_token())], expect=302
    )
    page = browser.request("GET", reply.headers["location"], expect=200)  # the groups page
    form = [("csrfmiddlewaretoken", page.csrf_token()), ("group", rng.choice(state["groups"]))]
    reply = browser.request("POST", base + "college/", form=form, expect=302)
    for number, items in enumerate(state["themes"], start=1):
        path = reply.headers["location"]
        if path != f"{base}theme/{number}/":
            raise RequestFailed(f"expected theme {number}, redirected to {path}", reply)
        page = browser.request("GET", path, expect=200)
        form = [("csrfmiddlewaretoken", page.csrf_token())]
        form += [(item, rng.choice(state["values"])) for item in items]
        form.append(("nav", "next"))
        reply = browser.request("POST", path, form=form, expect=302)
    if reply.headers["location"] != base + "envoi/":
        raise RequestFailed(f"expected the review page, redirected to {reply.headers['location']}", reply)
    page = browser.request("GET", base + "envoi/", expect=200)
    reply = browser.request(
        "POST", base + "envoi/", form=[("csrfmiddlewaretoken", page.csrf_token())], expect=302
    )
    if reply.headers["location"] != base + "merci/":
        raise RequestFailed(f"submitting redirected to {reply.headers['location']}", reply)
    browser.request("GET", base + "merci/", expect=200)
    return browser.requests


class Phase:
    """`CONCURRENCY` threads repeat `operation` until the deadline (or the operation says stop)."""

    def __init__(self, operation, seconds):
        self.operation = operation
        self.seconds = seconds
        self.done = 0
        self.requests = 0
        self.errors = []
        self.lock = threading.Lock()

    def worker(self, index, deadline):
        rng = random.Random(index)
        while time.monotonic() < deadline:
            try:
                requests = self.operation(rng)
            except StopIteration:
                return
            except (RequestFailed, OSError, ValueError, KeyError) as error:
                with self.lock:
                    self.errors.append(error)
                continue
            with self.lock:
                self.done += 1
                self.requests += requests

    def run(self):
        cpu = read_cpu()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        start = time.monotonic()
        deadline = start + self.seconds
        threads = [threading.Thread(target=self.worker, args=(n, deadline)) for n in range(CONCURRENCY)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=self.seconds + 60)
        self.elapsed = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
        self.loadgen_cpu = (after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime) / self.elapsed
        self.core_busy = core_busy(cpu, read_cpu())
        return self

    @property
    def rate(self):
        return self.done / self.elapsed


def read_cpu():
    """{cpu index: (busy, total)} jiffies from /proc/stat (empty where there is none)."""
    try:
        lines = Path("/proc/stat").read_text().splitlines()
    except OSError:
        return {}
    cpus = {}
    for line in lines:
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks = [int(field) for field in fields[:8]]
            idle = ticks[3] + ticks[4]  # idle + iowait
            cpus[int(name[3:])] = (sum(ticks) - idle, sum(ticks))
    return cpus


def core_busy(before, after):
    return {
        cpu: (after[cpu][0] - before[cpu][0]) / max(1, after[cpu][1] - before[cpu][1])
        for cpu in before
        if cpu in after
    }


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load(state_path, port):
    state = json.loads(state_path.read_text())
    base = f"/d/{state['share_id']}/"
    errors = []

    def trivial(rng):
        reply = http(port, "GET", TRIVIAL_PATH)
        if reply.status != 200:
            raise RequestFailed(f"GET {TRIVIAL_PATH}: status {reply.status}", reply)
        return 1

    # One CSRF cookie and token for every submitting POST, as one browser would hold them.
    intro = Browser(port)
    csrf = intro.request("GET", base, expect=200).csrf_token()
    drafts = iter(state["drafts"])
    drafts_lock = threading.Lock()

    def submit(rng):
        with drafts_lock:
            token = next(drafts)  # StopIteration ends the phase: no draft left
        reply = http(
            port,
            "POST",
            base + "envoi/",
            cookies={**intro.cookies, "brouillon": token},
            form=[("csrfmiddlewaretoken", csrf)],
        )
        if reply.status != 302 or reply.headers.get("location") != base + "merci/":
            raise RequestFailed(f"POST {base}envoi/: status {reply.status}", reply)
        return 1

    def flow(rng):
        return respond(port, state, rng)

    # Warm-up: every worker imports and compiles what each page needs.
    for _ in range(20):
        trivial(None)
    warm_rng = random.Random(0)
    for _ in range(2 * WORKERS):
        respond(port, state, warm_rng)
        submit(None)

    trivials, submits, flows = [], [], []
    for _ in range(ROUNDS):
        trivials.append(Phase(trivial, TRIVIAL_SECONDS).run())
        submits.append(Phase(submit, SUBMIT_SECONDS).run())
        flows.append(Phase(flow, FLOW_SECONDS).run())
    for phase in trivials + submits + flows:
        errors += phase.errors

    # The results page, for the lead, one request at a time, interleaved with the trivial view.
    lead = Browser(port)
    login = lead.request("GET", "/compte/connexion/", expect=200)
    credentials = state["login"]
    form = [("csrfmiddlewaretoken", login.csrf_token()), *credentials.items()]
    lead.request("POST", "/compte/connexion/", form=form, expect=302)
    page = lead.request("GET", state["results_path"], expect=200)
    if any(text.encode() not in page.body for text in state["results_expect"]):
        raise RequestFailed("the results page does not show the campaign's results", page)
    for _ in range(10):
        lead.request("GET", state["results_path"], expect=200)
    results_ms, trivial_ms = [], []
    for _ in range(LATENCY_SAMPLES):
        start = time.perf_counter()
        lead.request("GET", state["results_path"], expect=200)
        results_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        trivial(None)
        trivial_ms.append((time.perf_counter() - start) * 1000)

    if errors:
        first = errors[0]
        body = first.reply.body[:1500].decode(errors="replace") if getattr(first, "reply", None) else ""
        print(f"{len(errors)} failed operations; the first: {first}\n{body}", file=sys.stderr)

    flow_requests = flows[0].requests // max(1, flows[0].done)
    submit_ratio = statistics.median(s.rate / t.rate for s, t in zip(submits, trivials, strict=True))
    flow_ratio = statistics.median(f.rate / t.rate for f, t in zip(flows, trivials, strict=True))
    flow_request_ratio = statistics.median(
        f.requests / f.elapsed / t.rate for f, t in zip(flows, trivials, strict=True)
    )
    results_median, trivial_median = statistics.median(results_ms), statistics.median(trivial_ms)
    figures = [
        # The figures of record: ratios to the trivial view of the same run, and the results page.
        ["submit_ratio", round(submit_ratio, 3), "ratio"],
        ["flow_ratio", round(flow_ratio, 4), "ratio"],
        ["results_median", round(results_median, 1), "ms"],
        ["results_p95", round(percentile(results_ms, 0.95), 1), "ms"],
        # What they are made of.
        ["trivial_rate", round(statistics.median(p.rate for p in trivials)), "req/s"],
        ["submit_rate", round(statistics.median(p.rate for p in submits), 1), "responses/s"],
        ["flow_rate", round(statistics.median(p.rate for p in flows), 1), "responses/s"],
        ["flow_requests", flow_requests, "requests"],
        ["flow_request_ratio", round(flow_request_ratio, 3), "ratio"],
        ["trivial_median", round(trivial_median, 2), "ms"],
        ["results_ratio", round(results_median / trivial_median, 1), "ratio"],
    ]
    # Whether the server's core was the bottleneck, and what the load generator itself used.
    for label, phases in [("trivial", trivials), ("submit", submits), ("flow", flows)]:
        busy = [p.core_busy for p in phases if p.core_busy]
        if busy:
            for cpu in sorted(busy[0]):
                value = statistics.median(b.get(cpu, 0) for b in busy)
                figures.append([f"cpu{cpu}_busy_{label}", round(100 * value), "%"])
        figures.append(
            [f"loadgen_cpu_{label}", round(100 * statistics.median(p.loadgen_cpu for p in phases)), "%"]
        )
    figures.append(["submitted_in_submit_phases", sum(p.done for p in submits), "responses"])
    figures.append(["errors", len(errors), "requests"])
    json.dump(figures, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

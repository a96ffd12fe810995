"""The simulated people of bench/loadtest.py, for Locust (never run on its own).

bench/loadtest.py starts Locust with this file, the state written by its `setup` role
(LOADTEST_STATE: campaigns to answer, session cookies of a lead, a facilitator and an analyst,
the pages they read) and the ports of the two gunicorn processes (LOADTEST_PORTS). Only
127.0.0.1 is ever contacted.

A respondent answers a whole diagnostic as a browser would, one page after another, each on the
other process than the one before: a draft started on one process goes on on the other. It
writes to LOADTEST_JOURNAL (one JSON object per line) what it was told:
- `submitted`: the submission was acknowledged (the thanks page, or « already sent »);
- `uncertain`: the submission failed in flight (error page, connection cut) and a retry could
  not tell whether it had been stored;
- `error`: an error page or a cut connection, with whether the page was the French one;
- `saved` (with LOADTEST_TRACK_DRAFTS=1): a page of answers was acknowledged, with the draft's
  token and every answer acknowledged so far.
bench/loadtest.py's `verify` role compares this journal with the database.
"""

import json
import os
import random
import re

import gevent
from locust import HttpUser, between, constant, task

HOST = "127.0.0.1"
STATE = json.loads(open(os.environ["LOADTEST_STATE"]).read()) if "LOADTEST_STATE" in os.environ else {}
PORTS = [int(port) for port in os.environ.get("LOADTEST_PORTS", "0").split(",")]
JOURNAL = os.environ.get("LOADTEST_JOURNAL", os.devnull)
TRACK_DRAFTS = os.environ.get("LOADTEST_TRACK_DRAFTS") == "1"
DRAFT_COOKIE = "brouillon"
RETRIES = 6  # a failing page is tried again this many times, a second or two apart
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FRENCH_ERROR = (b'<html lang="fr">', b'class="container container--medium error-page"')

_journal = open(JOURNAL, "a", buffering=1)  # noqa: SIM115 - one file for the whole run


def write(event, **fields):
    _journal.write(json.dumps({"event": event, **fields}) + "\n")


class Abandoned(Exception):
    """The page kept failing, or answered something unexpected: this visit stops here."""


class Browsing:
    """What every simulated person shares: requests spread over the two processes, and the
    error pages recorded, with whether they were the French page."""

    def url(self, path):
        self.turn = (getattr(self, "turn", random.randrange(len(PORTS))) + 1) % len(PORTS)
        return f"http://{HOST}:{PORTS[self.turn]}{path}"

    def call(self, method, path, name, *, data=None, expect=(200,), headers=None, retry=True):
        for attempt in range(RETRIES if retry else 1):
            with self.client.request(
                method,
                self.url(path),
                data=data,
                name=name,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as reply:
                if reply.status_code in expect:
                    reply.success()
                    return reply
                body = reply.content or b""
                french = all(marker in body for marker in FRENCH_ERROR)
                write("error", status=reply.status_code, french=french, page=name, attempt=attempt)
                reply.failure(f"{reply.status_code} ({'page française' if french else 'autre'})")
                if reply.status_code not in (0, 500, 502, 503, 504):
                    raise Abandoned(f"{name}: {reply.status_code}")
            gevent.sleep(1 + random.random())
        raise Abandoned(f"{name}: still failing after {RETRIES} tries")


class Respondent(Browsing, HttpUser):
    """Answers whole diagnostics through their share link at a person's pace: 10 to 20 seconds
    on each page before sending it (reading the statements, choosing), about two minutes and a
    half for the whole diagnostic."""

    weight = 40
    wait_time = between(10, 20)

    @task
    def answer(self):
        try:
            self.answer_one(random.choice(STATE["campaigns"]))
        except Abandoned:
            pass

    def token(self, reply):
        match = CSRF.search(reply.content or b"")
        if match is None:
            raise Abandoned("no form on the page")
        return match.group(1).decode()

    def answer_one(self, campaign):
        self.client.cookies.clear()
        base = f"/d/{campaign['share_id']}/"
        intro = self.call("GET", base, "/d/[lien]/")
        self.wait()
        reply = self.call(
            "POST",
            base + "commencer/",
            "/d/[lien]/commencer/",
            data={"csrfmiddlewaretoken": self.token(intro)},
            expect=(302,),
        )
        group = random.choice([*campaign["groups"], "aucun"])
        if reply.headers["Location"].endswith("/college/"):
            page = self.call("GET", base + "college/", "/d/[lien]/college/")
            self.wait()
            self.call(
                "POST",
                base + "college/",
                "/d/[lien]/college/",
                data={"csrfmiddlewaretoken": self.token(page), "group": group},
                expect=(302,),
            )
        answers = {}
        for number, items in enumerate(campaign["themes"], start=1):
            path = f"{base}theme/{number}/"
            page = self.call("GET", path, "/d/[lien]/theme/[n]/")
            self.wait()
            chosen = {item: random.choice(campaign["values"]) for item in items}
            self.call(
                "POST",
                path,
                "/d/[lien]/theme/[n]/",
                data={"csrfmiddlewaretoken": self.token(page), **chosen, "nav": "next"},
                expect=(302,),
            )
            answers |= chosen
            if TRACK_DRAFTS:
                write(
                    "saved",
                    campaign=campaign["share_id"],
                    token=self.client.cookies.get(DRAFT_COOKIE),
                    answers=answers,
                )
        page = self.call("GET", base + "envoi/", "/d/[lien]/envoi/")
        self.wait()
        self.submit(campaign, base, self.token(page), group, answers)

    def submit(self, campaign, base, csrf, group, answers):
        """The thanks page acknowledges; a failure in flight is tried again: the thanks page
        (submitted, or already) acknowledges, a redirect to the start says the draft is gone,
        which leaves it uncertain whether the first try stored it."""
        record = {
            "campaign": campaign["share_id"],
            "group": None if group == "aucun" else group,
            "answers": answers,
        }
        try:
            reply = self.call(
                "POST",
                base + "envoi/",
                "/d/[lien]/envoi/ (envoi)",
                data={"csrfmiddlewaretoken": csrf},
                expect=(302,),
            )
        except Abandoned:
            write("uncertain", **record)
            raise
        if reply.headers["Location"].endswith("/merci/"):
            write("submitted", **record)
        else:
            write("uncertain", **record)


class BriskRespondent(Respondent):
    """A quicker person (one to three seconds a page), for the fault runs: many submissions in
    flight while the fault happens."""

    weight = 1  # only started when named (bench/loadtest.py names the classes of each phase)
    wait_time = between(1, 3)


class QuickRespondent(Respondent):
    """The same without the pauses: how many whole diagnostics the processes can take."""

    weight = 1  # only started when named (bench/loadtest.py names the classes of each phase)
    wait_time = constant(0)


class Reader(Browsing, HttpUser):
    """A signed-in person reading pages: the session cookie made by the `setup` role."""

    abstract = True
    persona = ""
    wait_time = between(2, 5)

    def on_start(self):
        person = STATE["personas"][self.persona]
        self.client.cookies.set(person["cookie"], person["session"])
        self.pages = person["pages"]

    @task
    def read(self):
        name, path = random.choice(self.pages)
        headers = {"HX-Request": "true"} if name.endswith("(htmx)") else None
        try:
            self.call("GET", path, name, headers=headers)
        except Abandoned:
            pass


class Lead(Reader):
    weight = 3
    persona = "lead"


class Facilitator(Reader):
    weight = 1
    persona = "facilitator"


class Analyst(Reader):
    weight = 1
    persona = "analyst"


class Trivial(Browsing, HttpUser):
    """The baseline: the French 404 page for an anonymous visitor, as bench/run.py's."""

    weight = 1  # only started when named (bench/loadtest.py names the classes of each phase)
    wait_time = constant(0)

    @task
    def trivial(self):
        with self.client.get(
            self.url("/page-inexistante/"), name="404 (référence)", catch_response=True
        ) as reply:
            if reply.status_code == 404:
                reply.success()

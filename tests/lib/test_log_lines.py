"""Point 4 of issue 17: one line per event, and nothing on an answering URL that says who
answered (no token, address or browser), in Django's log and in gunicorn's.

A traceback spread over twenty lines is cut apart by log shippers, and a visitor's text with a
line break in it can forge a line of its own; an access line with the address and the browser
beside `/d/<share>/…` says who opened which diagnostic when.
"""

import io
import logging
import re
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from gunicorn.config import Config

from reperes.lib.logging import MASK, OneLineFormatter
from tests.campaigns.factories import CampaignFactory

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"
IP = "203.0.113.9"
AGENT = "Firefox/123"
REFERER = "https://courriel.example.org/message/4521"
# An ISO time in UTC, the level and the logger, then the message.
LINE_START = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "


@pytest.fixture
def console():
    """What the configured console handler (the systemd journal in production) writes."""
    [handler] = [h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler]
    assert isinstance(handler.formatter, OneLineFormatter)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def crash(message):
    try:
        raise ValueError(message)
    except ValueError:
        logging.getLogger("reperes.essai").exception("Échec en préparant /i/JETON-DE-LIEN/")


def test_a_record_with_a_traceback_is_one_line(console):
    crash("le fichier /d/PARTAGE-SECRET/theme/2/ manque\nsur deux lignes")

    output = console.getvalue()
    assert output.count("\n") == 1 and output.endswith("\n")
    assert re.match(LINE_START, output)
    line = output.rstrip("\n")
    assert line.split(" ", 3)[1:3] == ["ERROR", "reperes.essai"]
    assert f"Échec en préparant /i/{MASK}/\\nTraceback (most recent call last):\\n" in line
    assert f"ValueError: le fichier /d/{MASK}/theme/2/ manque\\nsur deux lignes" in line
    for secret in ("JETON-DE-LIEN", "PARTAGE-SECRET"):
        assert secret not in line


def test_a_visitor_cannot_write_a_line_of_their_own(console):
    logging.getLogger("reperes.essai").warning("Nom refusé : %s", "Camille\r\n2026-01-01 ERROR faux")
    assert console.getvalue().count("\n") == 1
    assert "Camille\\n2026-01-01 ERROR faux" in console.getvalue()


def test_the_line_starts_with_time_level_and_logger():
    record = logging.LogRecord("reperes.essai", logging.INFO, __file__, 1, "bonjour", (), None)
    assert re.match(LINE_START + r"INFO reperes\.essai bonjour$", OneLineFormatter().format(record))


# Django's lines about an answering page


@pytest.mark.django_db
def test_django_request_lines_of_an_answering_url_say_nothing_of_the_respondent(console, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, HTTP_REFERER=REFERER)
    client.get(f"/d/{campaign.share_id}/theme/2/?x=1")
    # A link mistyped (a 404 is logged), that still holds the share id.
    assert client.get(f"/d/{campaign.share_id}-x/theme/2/?x=1").status_code == 404

    output = console.getvalue()
    assert output.count("\n") == 1
    assert re.match(LINE_START + f"WARNING django.request Not Found: /d/{re.escape(MASK)}/theme/2/$", output)
    for value in (campaign.share_id, IP, AGENT, REFERER):
        assert value not in output


def test_development_server_lines_of_an_answering_url_say_nothing_of_the_respondent(console):
    """`manage.py runserver` (django.server), as its request handler writes them."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = object()
    handler.client_address = (IP, 54321)
    handler.requestline = "GET /d/PARTAGE-SECRET/theme/2/?x=1 HTTP/1.1"
    handler.log_request(200, 5120)

    output = console.getvalue()
    assert output.count("\n") == 1
    assert f'INFO django.server "GET /d/{MASK}/theme/2/?{MASK} HTTP/1.1" 200 5120' in output
    assert "PARTAGE-SECRET" not in output
    assert IP not in output


# gunicorn


@pytest.fixture
def gunicorn_logger():
    """gunicorn's logger as config/gunicorn.conf.py sets it up, writing into two strings."""
    settings = runpy.run_path(str(GUNICORN_CONF))
    config = Config()
    for name, value in settings.items():
        if name in config.settings:
            config.set(name, value)
    logger = config.logger_class(config)
    streams = {}
    for name, log in (("access", logger.access_log), ("error", logger.error_log)):
        [handler] = [h for h in log.handlers if getattr(h, "_gunicorn", False)]
        streams[name] = io.StringIO()
        handler.setStream(streams[name])
    yield logger, streams
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)


def answer_request(path="/d/PARTAGE-SECRET/theme/2/", query="x=1"):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": IP,
        "HTTP_USER_AGENT": AGENT,
        "HTTP_REFERER": REFERER,
        "HTTP_X_FORWARDED_FOR": IP,
    }
    request = SimpleNamespace(headers=[("USER-AGENT", AGENT), ("REFERER", REFERER), ("X-FORWARDED-FOR", IP)])
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[("Set-Cookie", "brouillon=JETON")])
    return response, request, environ


def test_gunicorn_settings_are_the_expected_ones():
    settings = runpy.run_path(str(GUNICORN_CONF))
    assert settings["accesslog"] == "-"
    assert settings["errorlog"] == "-"
    assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0
    assert settings["graceful_timeout"] < 30  # systemd's TimeoutStopSec
    assert 1 <= settings["workers"] <= 9


def test_gunicorn_access_line_of_an_answering_url_says_nothing_of_the_respondent(gunicorn_logger):
    logger, streams = gunicorn_logger
    logger.access(*answer_request(), timedelta(milliseconds=37))

    output = streams["access"].getvalue()
    assert output.count("\n") == 1
    assert f'INFO gunicorn.access "GET /d/{MASK}/theme/2/?{MASK} HTTP/1.1" 200 5120 37ms' in output
    assert re.match(LINE_START, output)
    for value in ("PARTAGE-SECRET", IP, AGENT, REFERER, "JETON"):
        assert value not in output


def test_gunicorn_access_format_cannot_bring_the_address_back(gunicorn_logger):
    """Whoever edits access_log_format gets « - » for the address, the browser, the referrer,
    the user and every header."""
    logger, streams = gunicorn_logger
    logger.cfg.set(
        "access_log_format",
        "%(h)s %(a)s %(f)s %(u)s %({user-agent}i)s %({x-forwarded-for}i)s %({set-cookie}o)s "
        "%({remote_addr}e)s %(U)s %(q)s",
    )
    logger.access(*answer_request(), timedelta(milliseconds=5))

    output = streams["access"].getvalue()
    assert output.rstrip("\n").endswith(f"- - - - - - - - /d/{MASK}/theme/2/ {MASK}")


def test_gunicorn_keeps_the_query_string_of_other_pages(gunicorn_logger):
    logger, streams = gunicorn_logger
    logger.access(*answer_request(path="/fiches/", query="theme=temps"), timedelta(seconds=1))
    assert '"GET /fiches/?theme=temps HTTP/1.1" 200 5120 1000ms' in streams["access"].getvalue()


def test_gunicorn_error_line_is_one_line_and_masked(gunicorn_logger):
    logger, streams = gunicorn_logger
    try:
        raise RuntimeError("lecture de /i/JETON-INVITATION/ impossible")
    except RuntimeError:
        logger.exception("Error handling request %s", "/d/PARTAGE-SECRET/envoi/")

    output = streams["error"].getvalue()
    assert output.count("\n") == 1
    assert f"ERROR gunicorn.error Error handling request /d/{MASK}/envoi/\\nTraceback" in output
    assert f"RuntimeError: lecture de /i/{MASK}/ impossible" in output
    for value in ("PARTAGE-SECRET", "JETON-INVITATION"):
        assert value not in output

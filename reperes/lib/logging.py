"""What logs and error reports may say about a request: nothing that identifies a respondent.

Some public pages are reached through a secret in their path: the answer pages (`/d/<share>/…`,
`/d/<share>/reprendre/<draft token>/`, `/i/<invitation token>/`), the team's results link
(`/resultats/<token>/`), invitations to an organisation or a network, address verification and
password reset. A log line or an error report that keeps such a path, with an address or a
browser beside it, says who answered which diagnostic and when. So:

- every path in a log message or an error report has its secrets masked (`mask_text`), by the
  `MaskSecrets` logging filter and by `AdminEmailHandler`, which builds the report's subject
  from the masked message;
- error reports about those pages (`is_secret_path`) keep no address, browser, cookie, user,
  query string, form value or local variable (`ExceptionReporterFilter`, `ExceptionReporter`).

A failure while sending a mail (a task of reperes.lib.mail: the address refused, the server
down) is logged at ERROR by django.tasks with its traceback: the exception's message may quote
the recipient's address, and the frames' variables hold the address and the body, with its
single-use link. When a traceback passes through the sending of a mail (`carries_mail`), the
addresses are masked in the log line and in the error report, and the report keeps no local
variable.

Whoever adds a public page with a secret in its path adds it to SECRET_PATHS:
tests/lib/test_logging.py checks every public URL pattern against this list.
"""

import collections
import logging
import re
import threading
import time
from urllib.parse import unquote

from django.utils.log import AdminEmailHandler as DjangoAdminEmailHandler
from django.views.debug import ExceptionReporter as DjangoExceptionReporter
from django.views.debug import SafeExceptionReporterFilter

MASK = "[masked]"

# A public path that carries a secret, anchored at the start of the path; each group is a secret.
SECRET_PATHS = [
    re.compile(r"/d/([^/?#\s]+)(?:/(?:reprendre|invitation)/([^/?#\s]+))?"),
    re.compile(r"/i/([^/?#\s]+)"),
    re.compile(r"/resultats/([^/?#\s]+)"),
    re.compile(r"/agenda/([^/?#\s]+)"),  # a participant's private calendar feed
    re.compile(r"/invitations/(?:reseau/)?([^/?#\s]+)"),
    re.compile(r"/compte/verification/(?!renvoyer/)([^/?#\s]+)"),
    re.compile(r"/compte/mot-de-passe/nouveau/([^/?#\s]+)/([^/?#\s]+)"),
]

# A path in free text: after a scheme and host, or on its own (not inside a word or a path).
_PATH_IN_TEXT = re.compile(r"""(https?://[^/\s"'<>]+)(/[^\s"'<>]*)|(?<![\w.~%/:-])(/[^\s"'<>]*)""")

# What an error report about a page with a secret may keep of request.META.
_META_KEPT = {
    "REQUEST_METHOD",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "SCRIPT_NAME",
    "PATH_INFO",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "HTTP_HOST",
    "HTTP_ACCEPT",
    "wsgi.url_scheme",
}
# Headers that carry a path (and so a secret) on any page.
_META_WITH_PATHS = {"PATH_INFO", "REQUEST_URI", "RAW_URI", "QUERY_STRING", "HTTP_REFERER"}


# Modules whose frames, in a traceback, hold a recipient's address and a mail's body.
MAIL_MODULES = ("reperes.lib.mail", "django.core.mail", "smtplib")
_ADDRESS = re.compile(r"[\w.!#$%&'*+=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def mask_addresses(text):
    """`text` with every email address replaced by MASK."""
    return _ADDRESS.sub(MASK, str(text))


def carries_mail(exc_info):
    """Whether the traceback of `exc_info` (or of an exception it was raised from) passes
    through the sending of a mail."""
    if not exc_info:
        return False
    tracebacks = [exc_info[2]]
    exception, seen = exc_info[1], set()
    while isinstance(exception, BaseException) and id(exception) not in seen:
        seen.add(id(exception))
        tracebacks.append(exception.__traceback__)
        exception = exception.__cause__ or exception.__context__
    for tb in tracebacks:
        while tb is not None:
            if str(tb.tb_frame.f_globals.get("__name__", "")).startswith(MAIL_MODULES):
                return True
            tb = tb.tb_next
    return False


def _secret_match(path):
    for pattern in SECRET_PATHS:
        if match := pattern.match(path):
            return match
    return None


def is_secret_path(path):
    """Whether `path` is a public page reached through a secret (an answering page…)."""
    return _secret_match(path or "") is not None


def mask_path(path):
    """`path` (with its query string, if any) with every secret replaced by MASK."""
    path, question, query = str(path).partition("?")
    if match := _secret_match(path):
        masked, end = [], 0
        for index in range(1, (match.lastindex or 0) + 1):
            if match.group(index) is None:
                continue
            masked.append(path[end : match.start(index)] + MASK)
            end = match.end(index)
        path = "".join(masked) + path[end:]
        if query:  # nothing of a query string on those pages is worth a trace
            query = MASK
    if query:
        # `?next=/invitations/…` after a redirect to the login page carries a secret too.
        unquoted = unquote(query)
        masked_query = mask_text(unquoted)
        query = masked_query if masked_query != unquoted else query
    return path + question + query


def mask_text(text):
    """`text` (a log message, a report) with the secrets of every path in it masked."""

    def replace(match):
        if match.group(1):
            return match.group(1) + mask_path(match.group(2))
        return mask_path(match.group(3))

    return _PATH_IN_TEXT.sub(replace, str(text))


def _request_path(request):
    return getattr(request, "path", "") or ""


def _secrets_of(request):
    """The literal secrets of this request: masked wherever they turn up in a report (an
    exception message, a SQL statement…), however they got there."""
    secrets = set()
    if match := _secret_match(_request_path(request)):
        secrets.update(group for group in match.groups() if group)
    secrets.update(getattr(request, "COOKIES", {}).values())
    meta = getattr(request, "META", {})
    for key in ("REMOTE_ADDR", "HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"):
        if value := meta.get(key):
            secrets.add(value)
            secrets.update(part.strip() for part in value.split(","))
    # Short values ("1", "fr") would mask half the report and hide nothing.
    return sorted((secret for secret in secrets if len(secret) >= 6), key=len, reverse=True)


def scrub(text, request=None):
    """`text` with the secrets of its paths masked and, when `request` is a page with a secret,
    every literal secret of that request too."""
    text = mask_text(text)
    if request is not None and is_secret_path(_request_path(request)):
        for secret in _secrets_of(request):
            text = text.replace(secret, MASK)
    return text


class ExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, plus: on a page with a secret in its path, no address, browser, cookie,
    form value or local variable; on every page, secrets masked in the paths of META."""

    def is_secret_request(self, request):
        return request is not None and is_secret_path(_request_path(request))

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_secret_request(request):
            meta = {key: value for key, value in meta.items() if key in _META_KEPT}
        for key in _META_WITH_PATHS & meta.keys():
            meta[key] = mask_text(meta[key])
        return meta

    def get_safe_cookies(self, request):
        if self.is_secret_request(request):
            return {}  # the draft cookie is the respondent's key to their answers
        return super().get_safe_cookies(request)

    def get_post_parameters(self, request):
        if self.is_secret_request(request):
            return {key: self.cleansed_substitute for key in request.POST}
        return super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if self.is_secret_request(request):
            return [(name, self.cleansed_substitute) for name, _ in variables]
        return variables


class _MaskedRequest:
    """What the report templates read of a request, with the secrets gone."""

    def __init__(self, request, *, secret):
        self.path_info = mask_path(getattr(request, "path_info", ""))
        self.path = mask_path(_request_path(request))
        self.META = {"REQUEST_METHOD": getattr(request, "method", "")}
        self.GET = {} if secret else request.GET
        self.FILES = {} if secret else request.FILES
        self.COOKIES = {} if secret else request.COOKIES

    def __bool__(self):
        return True


class ExceptionReporter(DjangoExceptionReporter):
    """Django's report (text for email, HTML for DEBUG), with the paths masked everywhere and,
    on a page with a secret, without the user, the query string or the files."""

    def _carries_mail(self):
        return carries_mail((self.exc_type, self.exc_value, self.tb))

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self._carries_mail():
            for frame in data.get("frames", []):
                frame["vars"] = [(name, self.filter.cleansed_substitute) for name, _ in frame.get("vars", [])]
        if self.request is None:
            return data
        secret = is_secret_path(_request_path(self.request))
        data["request"] = _MaskedRequest(self.request, secret=secret)
        data["request_insecure_uri"] = mask_text(data["request_insecure_uri"])
        if secret:
            data["user_str"] = None
            data["request_GET_items"] = [(key, self.filter.cleansed_substitute) for key in self.request.GET]
            data["request_FILES_items"] = []
        else:
            data["request_GET_items"] = [(key, mask_text(value)) for key, value in self.request.GET.items()]
        return data

    def get_traceback_text(self):
        text = scrub(super().get_traceback_text(), self.request)
        return mask_addresses(text) if self._carries_mail() else text

    def get_traceback_html(self):
        html = scrub(super().get_traceback_html(), self.request)
        return mask_addresses(html) if self._carries_mail() else html


class MaskSecrets(logging.Filter):
    """Masks the secrets of the paths in a log record's message (`django.request`'s « Not
    Found: /i/… », `django.server`'s request lines, CSRF failures…) and in its traceback, where
    an exception's message may quote a token. Never drops a record."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if not hasattr(request, "META"):  # django.server passes its socket
            request = None
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        mail = bool(record.exc_info) and carries_mail(record.exc_info)
        masked = scrub(message, request)
        if mail:
            masked = mask_addresses(masked)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info), request)
            if mail:
                record.exc_text = mask_addresses(record.exc_text)
        return True


class AdminEmailHandler(DjangoAdminEmailHandler):
    """Django's error mails to ADMINS, with the secrets masked in the subject (built from the
    record's message) and a report from our ExceptionReporter, whatever LOGGING says.

    Sent at once, not through the mail task of reperes.lib.mail: an error report must not
    depend on the task queue, which may be what is failing."""

    # An outage (the database restarting, Redis gone) fails every request at once: without a
    # bound, each gunicorn worker would mail a report per request. Per process: one report per
    # kind of error (its logger, exception and the line that raised it) every REPORT_INTERVAL
    # seconds, and REPORTS_PER_INTERVAL reports in all; the others are only in the log.
    REPORT_INTERVAL = 600
    REPORTS_PER_INTERVAL = 10
    _lock = threading.Lock()
    _last_by_kind = {}
    _recent = collections.deque()

    def __init__(self, *args, reporter_class=None, **kwargs):
        super().__init__(
            *args, reporter_class=reporter_class or "reperes.lib.logging.ExceptionReporter", **kwargs
        )

    @classmethod
    def forget_reports(cls):
        """Start counting again (tests)."""
        with cls._lock:
            cls._last_by_kind.clear()
            cls._recent.clear()

    @staticmethod
    def kind(record):
        """What makes two reports « the same error »: logger, exception type and where it was
        raised, or the message's template when there is no exception."""
        if record.exc_info and record.exc_info[1] is not None:
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else ""
            return (record.name, type(record.exc_info[1]).__qualname__, where)
        return (record.name, str(record.msg))

    def may_send(self, record):
        now = time.monotonic()
        kind = self.kind(record)
        with self._lock:
            while self._recent and now - self._recent[0] >= self.REPORT_INTERVAL:
                self._recent.popleft()
            last = self._last_by_kind.get(kind)
            if last is not None and now - last < self.REPORT_INTERVAL:
                return False
            if len(self._recent) >= self.REPORTS_PER_INTERVAL:
                return False
            self._last_by_kind[kind] = now
            self._recent.append(now)
            if len(self._last_by_kind) > 1000:  # kinds seen long ago
                for old in [k for k, at in self._last_by_kind.items() if now - at >= self.REPORT_INTERVAL]:
                    del self._last_by_kind[old]
            return True

    def emit(self, record):
        if not self.may_send(record):
            return
        MaskSecrets().filter(record)
        super().emit(record)


class OneLineFormatter(logging.Formatter):
    """`time level logger message`, one line per record whatever it holds: a traceback, or a
    message quoting what a visitor typed, keeps its line breaks as the two characters `\\n`, so
    that a journal or a log shipper never cuts one event in several, nor takes text a visitor
    sent for a line of its own. The traceback is the one MaskSecrets has already masked
    (`record.exc_text`). To read a traceback again: `sed 's/\\\\n/\\n/g'`."""

    line_format = "%(asctime)s %(levelname)s %(name)s %(message)s"
    # In UTC: gunicorn's master (before Django sets TIME_ZONE) and its workers write the same.
    time_format = "%Y-%m-%dT%H:%M:%SZ"
    converter = time.gmtime

    def __init__(self, fmt=None, datefmt=None, style="%", **kwargs):
        super().__init__(fmt or self.line_format, datefmt or self.time_format, style, **kwargs)

    def format(self, record):
        return one_line(super().format(record))


def one_line(text):
    """`text` on one line: every line break written as the two characters `\\n`."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")

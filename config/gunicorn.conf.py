"""gunicorn's configuration for Repères: `gunicorn -c config/gunicorn.conf.py` (docs/operations.md).

Read from the environment, like config/settings.py (the same EnvironmentFile in systemd):

- GUNICORN_BIND: where to listen, comma-separated (default 127.0.0.1:8000: nginx in front);
- WEB_CONCURRENCY: worker processes (default 2 × cores + 1, at most MAX_DEFAULT_WORKERS);
- GUNICORN_TIMEOUT: seconds a request may take before its worker is replaced (default 30);
- GUNICORN_ACCESS_LOG: 0 to write no access log (default 1: one line per request on stdout).

The access log is one line per request: time, method, path, status, size, duration. It keeps
no client address, browser, referrer, header or user, and the secrets of a path (an answer
link, an invitation: SECRET_PATHS) are masked, so that it never says who answered which
diagnostic when. gunicorn's own messages (errors, workers started or replaced) go to stderr,
one line each, masked the same way.
"""

import os

from gunicorn.glogging import Logger

from reperes.lib.logging import MaskSecrets, OneLineFormatter, mask_path

MAX_DEFAULT_WORKERS = 9


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    return default if value == "" else value in {"1", "true", "yes", "on", "oui"}


def _cores():
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (systemd, containers)
    except AttributeError:
        return os.cpu_count() or 1


class AccessLogger(Logger):
    """gunicorn's logger with only harmless atoms for the access log (%(h)s, %(a)s, %(f)s,
    %(u)s and the headers are « - » whatever the format says), the path and the query string
    masked by reperes.lib.logging.mask_path, and every line of both logs on one line."""

    KEPT_ATOMS = ("m", "s", "H", "b", "B", "T", "D", "M", "L", "p")

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(OneLineFormatter())
                    if not any(isinstance(f, MaskSecrets) for f in handler.filters):
                        handler.addFilter(MaskSecrets())

    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        atoms = {key: every[key] for key in self.KEPT_ATOMS}
        path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        path, question, query = mask_path(f"{path}?{query}" if query else path).partition("?")
        atoms["U"], atoms["q"] = path, query
        method, protocol = environ.get("REQUEST_METHOD", "-"), environ.get("SERVER_PROTOCOL", "-")
        atoms["r"] = f"{method} {path}{question}{query} {protocol}"
        atoms["t"] = self.now()
        return atoms


wsgi_app = "config.wsgi:application"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = _env_int("WEB_CONCURRENCY", min(2 * _cores() + 1, MAX_DEFAULT_WORKERS))
# The heartbeat file of each worker in memory: a slow or full disk never gets a worker killed.
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# A stop or reload lets requests under way finish; below systemd's TimeoutStopSec (30 s).
graceful_timeout = 20
keepalive = 5
# Each worker is replaced after about a thousand requests (spread, so not all at once): a slow
# leak never grows for weeks.
max_requests = 1000
max_requests_jitter = 100
# No control socket: nothing else on the machine needs to manage gunicorn but systemd.
control_socket_disable = True

logger_class = AccessLogger
loglevel = "info"
errorlog = "-"  # stderr: the systemd journal
# stdout, one line per request: `time INFO gunicorn.access "GET /d/[masked]/ HTTP/1.0" 200 5120 12ms`.
accesslog = "-" if _env_bool("GUNICORN_ACCESS_LOG", True) else None
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'

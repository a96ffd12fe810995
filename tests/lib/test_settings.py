import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env, code):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_settings_run_with_no_environment_on_sqlite(tmp_path):
    out = run_settings(
        {"REPERES_VAR_DIR": str(tmp_path)},
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, settings.LANGUAGE_CODE)",
    )
    assert out == "django.db.backends.sqlite3 False fr-fr"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = run_settings({"REPERES_VAR_DIR": str(tmp_path)}, "print(settings.SECRET_KEY)")
    second = run_settings({"REPERES_VAR_DIR": str(tmp_path)}, "print(settings.SECRET_KEY)")
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("une-cle-tres-secrete\n")
    out = run_settings(
        {"REPERES_VAR_DIR": str(tmp_path), "SECRET_KEY_FILE": str(secret)},
        "print(settings.SECRET_KEY)",
    )
    assert out == "une-cle-tres-secrete"


def test_database_url_switches_to_postgresql(tmp_path):
    out = run_settings(
        {"REPERES_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/reperes"},
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['TEST']['TEMPLATE'], d['CONN_MAX_AGE'])",
    )
    assert out == "django.db.backends.postgresql template0 60"


def test_smtp_when_configured(tmp_path):
    out = run_settings(
        {"REPERES_VAR_DIR": str(tmp_path), "EMAIL_HOST": "smtp.example.org"},
        "print(settings.MAILERS['default']['BACKEND'])",
    )
    assert out == "django.core.mail.backends.smtp.EmailBackend"


def test_error_reports_survive_an_unreachable_mail_server(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('django.request').error('boom'); print('survived')",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REPERES_VAR_DIR": str(tmp_path),
            "ADMINS": "technique@example.org",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "1",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "survived"


def production_environment():
    """The uncommented lines of .env.example: the production example of docs/operations.md."""
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value.strip('"')
    return env


def test_documented_production_settings_pass_the_deploy_check(tmp_path):
    env = {**production_environment(), "REPERES_VAR_DIR": str(tmp_path)}
    assert env["STATIC_MANIFEST"] == "1" and "DEBUG" not in env
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

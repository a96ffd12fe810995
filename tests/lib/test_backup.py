"""Backups that have been restored (issue 17, point 3): `manage.py backup` writes one archive,
`manage.py restore` brings it back into a fresh database, and the restored instance shows the
same figures and the same files. The round trip runs the real commands as processes of their
own, on the test database and on a database created for the test (a new SQLite file, or a
new PostgreSQL database), as an operator would; the refusals run in the test process."""

import errno
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns import actions
from reperes.campaigns.models import Campaign, Draft
from reperes.lib import backups
from reperes.lib.schedule import periodic_jobs
from tests.campaigns.factories import CampaignFactory
from tests.lib.files import PDF_BYTES
from tests.resources.factories import ResourceFactory

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds, at most, for one command

# Renders the results page as alice, in a process of its own on the database it is given.
CHECK = """
import sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['default']['LOCATION']}")
    cached = cursor.fetchone()[0]
print(f"sessions={Session.objects.count()} cache={cached}")
from reperes.accounts.models import User
from reperes.campaigns.models import Campaign, Draft
client = Client()
client.force_login(User.objects.get(email="alice@example.org"))
overdue = Campaign.objects.get(title="En retard")
print(f"overdue={overdue.state} drafts={Draft.objects.filter(campaign=overdue).count()}")
sys.stdout.write(client.get(sys.argv[1]).content.decode())
"""


def command(*arguments, database, var_dir, media_root):
    """Run `python *arguments` as Repères would in production, on `database` (a SQLite file or
    a PostgreSQL database name of the configured server), with its own VAR_DIR and MEDIA_ROOT."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.lib.worker_settings",
        "REPERES_TEST_DATABASE_NAME": str(database),
        "REPERES_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media_root),
    }
    env.pop("SECRET_KEY", None)  # each instance keeps its key in its VAR_DIR
    env.pop("SECRET_KEY_FILE", None)
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=WAIT
    )


def figures(html):
    """What the results page shows as figures: its charts and its data tables."""
    blocks = re.findall(r"<svg\b.*?</svg>|<table\b.*?</table>", html, flags=re.DOTALL)
    return [re.sub(r"\s+", " ", block) for block in blocks]


@pytest.fixture
def fresh_database(tmp_path):
    """A database with nothing in it, for the restore: a new SQLite file, or a new PostgreSQL
    database beside the test database, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield tmp_path / "restauree.sqlite3"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def submit(campaign, group, value):
    draft, _ = actions.start_draft(campaign)
    actions.choose_group(draft, group)
    actions.save_answers(draft, {item: value for item in campaign.spec.item_ids})
    actions.submit(draft)


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_shows_the_same_results_and_files_and_runs_the_erasures(
    settings, tmp_path, client, alice, network, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = CampaignFactory(
        organisation=alice.memberships.get().organisation, groups=["Direction", "Équipe"]
    )
    direction, team = campaign.groups.all()
    for _ in range(5):
        submit(campaign, direction, "oui")
    for _ in range(6):
        submit(campaign, team, "non")
    assert actions.close_campaign(campaign, by=alice)
    # A diagnostic past its closing date that nobody has read since: its draft is in the backup.
    overdue = CampaignFactory(organisation=campaign.organisation, title="En retard")
    actions.start_draft(overdue)
    Campaign.objects.filter(pk=overdue.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    resource = ResourceFactory(network=network, file=ContentFile(PDF_BYTES, name="guide.pdf"))
    original_file = Path(settings.MEDIA_ROOT) / resource.file.name
    assert original_file.read_bytes() == PDF_BYTES

    url = reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])
    client.force_login(alice)
    # What only serves the running site, and would say who was there: a session, and a
    # throttle's counter keyed by a client address.
    cache.set("tentatives:203.0.113.9", 3)
    assert Session.objects.exists()
    shown = figures(client.get(url).content.decode())
    assert any("Direction" in block for block in shown) and any("<svg" in block for block in shown)

    database = connection.settings_dict["NAME"]
    backed_up = command(
        "manage.py",
        "backup",
        "--output",
        str(tmp_path / "sauvegardes"),
        database=database,
        var_dir=tmp_path / "var-a",
        media_root=settings.MEDIA_ROOT,
    )
    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.startswith("Sauvegarde écrite : ")
    (archive,) = (tmp_path / "sauvegardes").iterdir()
    assert backups.NAME.match(archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "sauvegardes").stat().st_mode & 0o777 == 0o700
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile(backups.MANIFEST))
        names = opened.getnames()
    assert names[0] == backups.MANIFEST
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["diagnostics"] == 2 and manifest["counts"]["réponses"] == 11
    assert manifest["migrations"]["campaigns"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    media_entry = listed[f"media/{resource.file.name}"]
    assert media_entry["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert backups.SECRET_KEY_MEMBER in listed

    restored_media = tmp_path / "media-b"
    restored = command(
        "manage.py",
        "restore",
        str(archive),
        database=fresh_database,
        var_dir=tmp_path / "var-b",
        media_root=restored_media,
    )
    assert restored.returncode == 0, restored.stderr
    assert "Restauré : la sauvegarde" in restored.stdout and "diagnostics : 2" in restored.stdout
    assert "campaigns.close_due : " in restored.stdout  # the erasing jobs ran, and said so

    checked = command(
        "-c", CHECK, url, database=fresh_database, var_dir=tmp_path / "var-b", media_root=restored_media
    )
    assert checked.returncode == 0, checked.stderr
    not_kept, first_line, page = checked.stdout.split("\n", 2)
    # Someone holding the archive finds no session and no throttle counter in it.
    assert not_kept == "sessions=0 cache=0"
    assert figures(page) == shown
    # The restore ran the close that the backup predates: the draft is gone again.
    assert first_line == "overdue=closed drafts=0"
    assert (restored_media / resource.file.name).read_bytes() == PDF_BYTES
    assert (tmp_path / "var-b" / "secret_key").read_text() == (tmp_path / "var-a" / "secret_key").read_text()
    # The source still holds that draft: the restore erased it, the backup did not.
    assert Draft.objects.filter(campaign=overdue).exists()


# Refusals, in the test process.


def write_archive(path, manifest, members=()):
    """An archive as `backup` writes them, with any manifest and members (name, bytes)."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in [(backups.MANIFEST, json.dumps(manifest).encode()), *members]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def manifest_for(engine, members=(), **changes):
    database = backups.DATABASE_MEMBERS[engine]
    files = [
        {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in members
    ]
    return {
        "format": backups.FORMAT,
        "version": backups.FORMAT_VERSION,
        "engine": engine,
        "created_at": "2026-12-01T03:15:00Z",
        "database": database,
        "migrations": {},
        "counts": {},
        "files": files,
        **changes,
    }


def test_a_malformed_archive_is_refused_and_nothing_changes(tmp_path, alice):
    junk = tmp_path / "reperes-2026-12-01T0315Z.tar.gz"
    junk.write_bytes(b"ceci n'est pas une archive")
    with pytest.raises(
        CommandError, match="n'est pas une sauvegarde de Repères lisible.*Rien n'a été modifié"
    ):
        call_command("restore", str(junk), "--yes")

    no_manifest = tmp_path / "sans-manifeste.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as archive:
        info = tarfile.TarInfo("database.sqlite3")
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(CommandError, match="ne commence pas par son manifest.json"):
        call_command("restore", str(no_manifest), "--yes")
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


def test_an_archive_whose_files_do_not_match_their_manifest_changes_nothing(settings, tmp_path, alice):
    settings.MEDIA_ROOT = tmp_path / "media"
    engine = connection.vendor
    members = [(backups.DATABASE_MEMBERS[engine], b"base"), ("media/resources/guide.pdf", PDF_BYTES)]
    manifest = manifest_for(engine, members)
    tampered = [members[0], ("media/resources/guide.pdf", b"%PDF-autre chose")]
    archive = write_archive(tmp_path / "a.tar.gz", manifest, tampered)

    with pytest.raises(CommandError, match="media/resources/guide.pdf ne correspond pas au manifeste"):
        call_command("restore", str(archive), "--yes")
    assert not (tmp_path / "media" / "resources").exists()
    assert not [path for path in (tmp_path / "media").iterdir()]  # no staging left behind
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


def test_a_member_outside_the_media_folder_is_refused(tmp_path, alice):
    engine = connection.vendor
    members = [(backups.DATABASE_MEMBERS[engine], b"base"), ("media/../../etc/cron.d/x", b"* * * * *")]
    archive = write_archive(tmp_path / "a.tar.gz", manifest_for(engine, members), members)
    with pytest.raises(CommandError, match="chemin refusé"):
        call_command("restore", str(archive), "--yes")


def test_an_archive_of_the_other_engine_is_refused(tmp_path, alice):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    members = [(backups.DATABASE_MEMBERS[other], b"base")]
    archive = write_archive(tmp_path / "a.tar.gz", manifest_for(other, members), members)
    label = backups.ENGINE_LABELS
    with pytest.raises(
        CommandError,
        match=f"sauvegarde {label[other]} et la base configurée est {label[connection.vendor]}.*même moteur",
    ):
        call_command("restore", str(archive), "--yes")


def test_an_archive_of_another_format_version_is_refused(tmp_path, alice):
    engine = connection.vendor
    members = [(backups.DATABASE_MEMBERS[engine], b"base")]
    archive = write_archive(tmp_path / "a.tar.gz", manifest_for(engine, members, version=2), members)
    with pytest.raises(CommandError, match="format de sauvegarde version 2 ; cette version de Repères lit"):
        call_command("restore", str(archive), "--yes")


def test_an_archive_from_a_newer_version_is_refused(tmp_path, alice):
    engine = connection.vendor
    members = [(backups.DATABASE_MEMBERS[engine], b"base")]
    manifest = manifest_for(engine, members, migrations={"campaigns": "9999_de_demain"})
    archive = write_archive(tmp_path / "a.tar.gz", manifest, members)
    with pytest.raises(CommandError, match="version plus récente de Repères.*campaigns.9999_de_demain"):
        call_command("restore", str(archive), "--yes")


def test_a_database_that_holds_data_is_replaced_only_with_yes(tmp_path, alice):
    engine = connection.vendor
    members = [(backups.DATABASE_MEMBERS[engine], b"base")]
    archive = write_archive(tmp_path / "a.tar.gz", manifest_for(engine, members), members)
    with pytest.raises(CommandError, match="contient déjà des données.*relancez avec --yes"):
        call_command("restore", str(archive))
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_an_output_folder_that_cannot_be_written_is_refused(tmp_path):
    a_file = tmp_path / "fichier"
    a_file.write_text("")
    with pytest.raises(CommandError, match="n'est pas un dossier"):
        call_command("backup", "--output", str(a_file))
    with pytest.raises(CommandError, match="ne peut pas être créé"):
        call_command("backup", "--output", str(a_file / "sauvegardes"))


@pytest.mark.django_db
def test_a_disk_error_leaves_no_archive_behind(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "guide.pdf").write_bytes(PDF_BYTES)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_add", full_disk)
    output = tmp_path / "sauvegardes"
    with pytest.raises(
        CommandError, match="Écriture impossible dans .*sauvegardes : No space left on device"
    ):
        call_command("backup", "--output", str(output))
    assert list(output.iterdir()) == []


@pytest.mark.django_db
def test_backup_with_keep_days_deletes_the_older_archives_only_after_writing_its_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    output = tmp_path / "sauvegardes"
    output.mkdir()
    now = datetime.now(UTC)
    recent, old = (backups.archive_name(now - timedelta(days=days)) for days in (2, 4))
    (output / recent).write_text("x")
    (output / old).write_text("x")
    with pytest.raises(CommandError, match="--keep-days garde au moins un jour"):
        call_command("backup", "--output", str(output), "--keep-days", "0")
    assert sorted(path.name for path in output.iterdir()) == sorted([recent, old])  # refused before writing
    out = io.StringIO()
    call_command("backup", "--output", str(output), "--keep-days", "3", stdout=out)
    written = [path for path in output.iterdir() if path.name not in (recent, old)]
    assert len(written) == 1 and backups.NAME.match(written[0].name)
    assert sorted(path.name for path in output.iterdir()) == sorted([recent, written[0].name])
    assert out.getvalue().startswith(f"Sauvegarde écrite : {written[0]} (")
    assert out.getvalue().rstrip().endswith("; 1 ancienne archive supprimée.")


def test_missing_pg_tools_are_named_and_the_password_stays_off_the_command_line(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda program: None)
    with pytest.raises(backups.BackupError, match="pg_dump est introuvable : installez le client PostgreSQL"):
        backups._postgres_command("pg_dump", {"NAME": "reperes"})

    monkeypatch.setattr(backups.shutil, "which", lambda program: f"/usr/bin/{program}")
    arguments, env = backups._postgres_command(
        "pg_restore", {"HOST": "db", "PORT": 5433, "USER": "reperes", "PASSWORD": "s3cret"}
    )
    assert arguments == [
        "/usr/bin/pg_restore",
        "--no-password",
        "--host=db",
        "--port=5433",
        "--username=reperes",
    ]
    assert env["PGPASSWORD"] == "s3cret"
    assert not any("s3cret" in argument for argument in arguments)


def test_rotation_keeps_fourteen_days_by_default_and_touches_nothing_else(tmp_path):
    now = datetime(2026, 12, 2, 3, 15, tzinfo=UTC)
    names = [backups.archive_name(now - timedelta(days=days)) for days in (0, 1, 13, 14, 15, 40)]
    for name in [*names, "notes.txt", "reperes-vieux.sqlite3"]:
        (tmp_path / name).write_text("x")
    deleted = backups.rotate(tmp_path, now=now + timedelta(minutes=1))
    assert sorted(path.name for path in deleted) == sorted(names[3:])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [*names[:3], "notes.txt", "reperes-vieux.sqlite3"]
    )

    assert [path.name for path in backups.rotate(tmp_path, keep=2, now=now)] == [names[2]]
    with pytest.raises(backups.BackupError, match="au moins un jour"):
        backups.rotate(tmp_path, keep_days=0, now=now)


def test_a_restore_runs_every_periodic_job_but_the_notices():
    names = {job.name for job in periodic_jobs()}
    assert backups.NOT_RUN_ON_RESTORE <= names  # no stale name
    run = {job.name for job in backups.erasing_jobs()}
    assert {name for name in names if name.endswith(".purge")} <= run
    assert {"campaigns.close_due", "offers.forget_contacts"} <= run
    assert not run & {"campaigns.closing_soon", "action_plans.weekly_digest"}

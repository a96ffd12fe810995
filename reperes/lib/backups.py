"""Backups of an instance in one archive file, and restoring one (`manage.py backup`, `restore`).

An archive, `reperes-2026-12-02T0315Z.tar.gz` (UTC date and minute, mode 0600, in a folder of
mode 0700), holds, in this order:

- `manifest.json`: the format and its version, the database engine, when the backup was
  taken, the latest migration of each app, the row counts of a few key tables, and the size
  and SHA-256 of every other member;
- `database.sqlite3` (SQLite: a copy made through SQLite's online backup API, safe while the
  site runs, checked with `PRAGMA integrity_check`) or `database.dump` (PostgreSQL:
  `pg_dump --format=custom`, taken in the same snapshot as the manifest's counts);
- `secret_key`, when the settings read it from VAR_DIR/secret_key (not when SECRET_KEY is set);
- `media/…`: the uploaded files (the documents of the networks' libraries). Generated
  documents (reports' PDF and DOCX) are kept in the database, so they come with it.

Left out, as rows: the sessions and the database cache tables. Both only serve the running
site: a restored instance has everyone log in again and rebuilds its cache; and neither a
session nor a login throttle's counter (keyed by address) belongs in a copy that may travel.

An archive is written under a temporary name in its folder and renamed at the end: a failed
backup leaves no archive. A restore reads the whole archive and checks it against its manifest
before it touches anything; only then does it replace the database and write the files.
"""

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from reperes.lib.schedule import periodic_jobs, run_now

FORMAT = "reperes-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
SECRET_KEY_MEMBER = "secret_key"
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
NAME = re.compile(r"^reperes-(\d{4}-\d{2}-\d{2}T\d{4})Z(?:-\d+)?\.tar\.gz$")
PARTIAL_PREFIX = ".reperes-"
PARTIAL_SUFFIX = ".partial"
DEFAULT_KEEP_DAYS = 14
MANIFEST_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 1024 * 1024
# What reading a truncated or corrupted archive raises (gzip.BadGzipFile is an OSError).
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)

# The tables whose counts the manifest records, and a restore checks: (label, app, model).
KEY_MODELS = [
    ("comptes", "accounts", "User"),
    ("organisations", "organisations", "Organisation"),
    ("diagnostics", "campaigns", "Campaign"),
    ("réponses", "campaigns", "Response"),
    ("résultats enregistrés", "results", "StoredResults"),
    ("ressources", "resources", "Resource"),
]
# A database holds data when one of these tables has a row.
DATA_MODELS = [("accounts", "User"), ("organisations", "Organisation"), ("campaigns", "Campaign")]

# Periodic jobs that a restore does not run: they send notices or move counters, and the
# scheduler runs them at its next start. Every other job, each purge among them, runs right
# after a restore (erasing_jobs), so that a new purge is never forgotten there.
NOT_RUN_ON_RESTORE = {
    "lib.requeue",
    "campaigns.closing_soon",
    "action_plans.weekly_digest",
    "listings.tell_expiring",
    "fiches.page_views",
}


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message, in French, says why."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    size: int
    media_files: int
    media_bytes: int
    secret_key: bool
    counts: dict
    deleted: list = field(default_factory=list)


@dataclass
class RestoreSummary:
    engine: str
    created_at: str
    counts: dict
    media_files: int
    media_bytes: int
    secret_key: str
    left_in_place: int
    integrity: str
    pending_migrations: list
    jobs: list = field(default_factory=list)


# Helpers


def engine_of(alias="default"):
    """« sqlite » or « postgresql »: the engine of the configured database."""
    vendor = connections[alias].vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Les sauvegardes ne connaissent que SQLite et PostgreSQL, pas « {vendor} ».")
    return vendor


def archive_name(moment):
    return f"reperes-{moment.astimezone(UTC):%Y-%m-%dT%H%M}Z.tar.gz"


def archive_moment(path):
    """The UTC moment written in an archive's name, or None for any other file."""
    match = NAME.match(Path(path).name)
    return datetime.strptime(match[1], "%Y-%m-%dT%H%M").replace(tzinfo=UTC) if match else None


def default_output_dir():
    return Path(settings.VAR_DIR) / "backups"


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(name, path):
    return {"path": name, "size": path.stat().st_size, "sha256": _sha256(path)}


def _key_tables():
    return [(label, apps.get_model(app, model)._meta.db_table) for label, app, model in KEY_MODELS]


def _not_kept_tables():
    """Tables whose rows a backup leaves out: the sessions and the database caches."""
    tables = ["django_session"]
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("DatabaseCache"):
            tables.append(cache["LOCATION"])
    return tables


def _describe(cursor, existing_tables):
    """The latest applied migration of each app, and the row counts of the key tables."""
    migrations = {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    for app, name in cursor.fetchall():
        migrations[app] = name
    counts = {}
    for label, table in _key_tables():
        if table in existing_tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[label] = cursor.fetchone()[0]
    return migrations, counts


def _media_files(media_root):
    """(archive name, path) of every regular file under MEDIA_ROOT, in a stable order; the
    staging folders of an interrupted restore are left out."""
    media_root = Path(media_root)
    if not media_root.is_dir():
        return []
    found = []
    for folder, subfolders, files in os.walk(media_root):
        if Path(folder) == media_root:
            subfolders[:] = [name for name in subfolders if not name.startswith(".restore-")]
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(("media/" + path.relative_to(media_root).as_posix(), path))
    return found


def _secret_key_file():
    """VAR_DIR/secret_key when the settings read the key from it, else None."""
    path = Path(settings.VAR_DIR) / "secret_key"
    try:
        return path if path.read_text().strip() == settings.SECRET_KEY else None
    except OSError:
        return None


def _postgres_command(program, settings_dict):
    """The connection arguments of pg_dump or pg_restore, and their environment: the password
    goes through PGPASSWORD, never on the command line."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} est introuvable : installez le client PostgreSQL (paquet postgresql-client), "
            "de la même version que le serveur ou plus récente."
        )
    arguments = [executable, "--no-password"]
    if settings_dict.get("HOST"):
        arguments.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        arguments.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        arguments.append(f"--username={settings_dict['USER']}")
    env = {**os.environ}
    env.pop("PGPASSWORD", None)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return arguments, env


def _run(arguments, env, what):
    try:
        done = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"{what} n'a pas pu être lancé : {error.strerror or error}.") from error
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"code de sortie {done.returncode}"
        raise BackupError(f"{what} a échoué : {detail}")


def _integrity(db):
    rows = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def _disk_error(error, where):
    reason = error.strerror or str(error)
    return BackupError(f"Écriture impossible dans {where} : {reason}.")


# Backup


def _dump_sqlite(settings_dict, target):
    """Copy the live SQLite database into `target` through the online backup API, leave out
    the rows of the sessions and caches, check it. Returns (migrations, counts)."""
    source_path = Path(settings_dict["NAME"])
    if not source_path.is_file():
        raise BackupError(f"La base SQLite {source_path} n'existe pas.")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # A copy in one file: the live database is in WAL mode, its copy need not be.
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("PRAGMA secure_delete=ON")
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in _not_kept_tables():
            if table in tables:
                copy.execute(f'DELETE FROM "{table}"')
        copy.commit()
        copy.execute("VACUUM")
        integrity = _integrity(copy)
        if integrity != "ok":
            raise BackupError(f"La copie de la base SQLite est abîmée (integrity_check : {integrity}).")
        return _describe(copy.cursor(), tables)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"La copie de la base SQLite a échoué : {error}.") from error
    finally:
        copy.close()
        source.close()


def _dump_postgresql(settings_dict, target):
    """pg_dump into `target`, in the snapshot where the manifest's counts are taken, so that
    a restore can check them. Returns (migrations, counts)."""
    arguments, env = _postgres_command("pg_dump", settings_dict)
    snapshot_connection = connections.create_connection("default")
    try:
        snapshot_connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"La base PostgreSQL est injoignable : {error}".strip()) from error
    try:
        snapshot_connection.set_autocommit(False)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            described = _describe(cursor, set(snapshot_connection.introspection.table_names(cursor)))
        arguments += ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
        arguments += [f"--exclude-table-data={table}" for table in _not_kept_tables()]
        arguments.append(f"--dbname={settings_dict['NAME']}")
        _run(arguments, env, "pg_dump")
        return described
    finally:
        snapshot_connection.rollback()
        snapshot_connection.close()


class _CheckedReader:
    """A file read once into the archive, hashed on the way, so that a file changed since the
    manifest was written is noticed."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive, name, path, entry):
    info = tarfile.TarInfo(name)
    info.size = entry["size"]
    info.mode = 0o600
    info.mtime = int(path.stat().st_mtime)
    with open(path, "rb") as handle:
        reader = _CheckedReader(handle)
        archive.addfile(info, reader)
    if reader.digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"Le fichier {path} a changé pendant la sauvegarde : relancez-la.")


def _prepare_output_dir(output_dir):
    output_dir = Path(output_dir)
    if output_dir.exists() and not output_dir.is_dir():
        raise BackupError(f"{output_dir} n'est pas un dossier.")
    try:
        if not output_dir.exists():
            output_dir.mkdir(mode=0o700, parents=True)
            output_dir.chmod(0o700)
    except OSError as error:
        raise BackupError(
            f"Le dossier des sauvegardes {output_dir} ne peut pas être créé : {error.strerror or error}."
        ) from error
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise BackupError(f"Le dossier des sauvegardes {output_dir} n'est pas accessible en écriture.")
    return output_dir


def _free_name(output_dir, moment):
    path = output_dir / archive_name(moment)
    number = 1
    while path.exists():
        path = output_dir / archive_name(moment).replace(".tar.gz", f"-{number}.tar.gz")
        number += 1
    return path


def create_backup(output_dir=None, *, now=None):
    """Write one archive of the instance into `output_dir` (VAR_DIR/backups by default) and
    return its BackupSummary. Raises BackupError, leaving no archive, when anything fails."""
    now = now or datetime.now(UTC)
    engine = engine_of()
    output_dir = _prepare_output_dir(output_dir or default_output_dir())
    settings_dict = connections["default"].settings_dict
    try:
        work = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX, dir=output_dir))
    except OSError as error:
        raise _disk_error(error, output_dir) from error
    try:
        database = work / DATABASE_MEMBERS[engine]
        dump = _dump_sqlite if engine == "sqlite" else _dump_postgresql
        migrations, counts = dump(settings_dict, database)
        media = _media_files(settings.MEDIA_ROOT)
        members = [(DATABASE_MEMBERS[engine], database)]
        if secret_key := _secret_key_file():
            members.append((SECRET_KEY_MEMBER, secret_key))
        members += media
        entries = [_entry(name, path) for name, path in members]
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "engine": engine,
            "created_at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": DATABASE_MEMBERS[engine],
            "migrations": migrations,
            "counts": counts,
            "files": entries,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        partial = work / "archive.tar.gz"
        with open(partial, "xb") as raw:
            os.chmod(partial, 0o600)
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as compressed:
                with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(manifest_bytes)
                    info.mode = 0o600
                    info.mtime = int(now.timestamp())
                    archive.addfile(info, io.BytesIO(manifest_bytes))
                    for (name, path), entry in zip(members, entries, strict=True):
                        _add(archive, name, path, entry)
            raw.flush()
            os.fsync(raw.fileno())
        path = _free_name(output_dir, now)
        os.replace(partial, path)
    except OSError as error:
        raise _disk_error(error, output_dir) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupSummary(
        path=path,
        engine=engine,
        size=path.stat().st_size,
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in entries if entry["path"].startswith("media/")),
        secret_key=secret_key is not None,
        counts=counts,
    )


def check_rotation(*, keep=None, keep_days=None):
    """Refuse a rotation that would delete every archive, before anything is written."""
    if keep is not None and keep < 1:
        raise BackupError("--keep garde au moins une archive (--keep 1).")
    if keep_days is not None and keep_days < 1:
        raise BackupError("--keep-days garde au moins un jour (--keep-days 1).")


def rotate(output_dir=None, *, keep=None, keep_days=None, now=None):
    """Delete the archives of `output_dir` beyond the `keep` most recent, or older than
    `keep_days` days (by the date in their name), and what failed backups left behind a day
    ago or more. Only files named as archives are touched. Returns the deleted paths."""
    now = now or datetime.now(UTC)
    output_dir = Path(output_dir or default_output_dir())
    check_rotation(keep=keep, keep_days=keep_days)
    if keep is None and keep_days is None:
        keep_days = DEFAULT_KEEP_DAYS
    archives = sorted(
        ((archive_moment(path), path) for path in output_dir.iterdir() if archive_moment(path)),
        reverse=True,
    )
    if keep is not None:
        doomed = [path for _, path in archives[keep:]]
    else:
        doomed = [path for moment, path in archives if moment < now - timedelta(days=keep_days)]
    for path in output_dir.iterdir():
        if path.name.startswith(PARTIAL_PREFIX) and path.name.endswith(PARTIAL_SUFFIX):
            if datetime.fromtimestamp(path.stat().st_mtime, UTC) < now - timedelta(days=1):
                shutil.rmtree(path, ignore_errors=True)
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# Restore


def _malformed(path, why):
    return BackupError(f"{path} n'est pas une sauvegarde de Repères lisible : {why}. Rien n'a été modifié.")


def _check_manifest(path, manifest, engine):
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _malformed(path, "son manifest.json n'est pas celui d'une sauvegarde")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} est au format de sauvegarde version {manifest.get('version')} ; cette version "
            f"de Repères lit la version {FORMAT_VERSION}. Rien n'a été modifié."
        )
    archived = manifest.get("engine")
    if archived not in DATABASE_MEMBERS:
        raise _malformed(path, "son moteur de base de données est inconnu")
    if archived != engine:
        raise BackupError(
            f"{path} est une sauvegarde {ENGINE_LABELS[archived]} et la base configurée est "
            f"{ENGINE_LABELS[engine]} : une sauvegarde se restaure dans le même moteur. Rien n'a été "
            "modifié."
        )
    files = manifest.get("files")
    if (
        not isinstance(files, list)
        or not all(
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
            for entry in files
        )
        or manifest.get("database") != DATABASE_MEMBERS[engine]
        or DATABASE_MEMBERS[engine] not in {entry["path"] for entry in files}
        or not isinstance(manifest.get("migrations"), dict)
        or not isinstance(manifest.get("counts"), dict)
    ):
        raise _malformed(path, "son manifest.json est incomplet")
    for entry in files:
        if not _allowed_member(entry["path"], engine):
            raise _malformed(path, f"elle contient un chemin refusé ({entry['path']})")


def _allowed_member(name, engine):
    if name in (DATABASE_MEMBERS[engine], SECRET_KEY_MEMBER):
        return True
    parts = PurePosixPath(name).parts
    return (
        len(parts) >= 2
        and parts[0] == "media"
        and not name.startswith("/")
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in parts)
        and not parts[1].startswith(".restore-")
    )


def _check_migrations(path, manifest):
    """Refuse an archive made by a newer Repères: its database has migrations this code lacks.
    Returns nothing; an older archive is fine (`manage migrate` brings it up to date)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    unknown = [
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if app in installed and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"{path} vient d'une version plus récente de Repères (migrations inconnues ici : "
            f"{', '.join(sorted(unknown)[:5])}). Installez cette version avant de restaurer. "
            "Rien n'a été modifié."
        )


def holds_data(alias="default"):
    """Whether the configured database has an account, an organisation or a diagnostic."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for app, model in DATA_MODELS:
            table = apps.get_model(app, model)._meta.db_table
            if table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
                if cursor.fetchone():
                    return True
    return False


def _stage(path, archive, manifest, engine, staging):
    """Extract every member of `archive` into `staging`, checking each against the manifest.
    Raises BackupError on anything unexpected; nothing outside `staging` is written."""
    expected = {entry["path"]: entry for entry in manifest["files"]}
    seen = set()
    while member := _read(path, archive.next):
        if member.name in seen or member.name not in expected or not member.isreg():
            raise _malformed(path, f"membre inattendu ({member.name})")
        entry = expected[member.name]
        target = staging / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        source = archive.extractfile(member)
        with open(target, "xb") as handle:
            os.chmod(target, 0o600)
            while chunk := _read(path, source.read, CHUNK):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise _malformed(path, f"{member.name} ne correspond pas au manifeste")
        seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise _malformed(path, f"il manque {', '.join(sorted(missing)[:3])}")


def _read(path, read, *args):
    """Call `read`, taking any error for a damaged archive (writing errors are not read ones)."""
    try:
        return read(*args)
    except READ_ERRORS as error:
        raise _malformed(path, f"archive illisible ({error})") from error


def _open_checked(path, engine, *, replace):
    """Open the archive at `path`, read and check its manifest. Returns (tarfile, manifest)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"L'archive {path} n'existe pas.")
    try:
        archive = tarfile.open(path, mode="r:gz")
        first = archive.next()
        if first is None or first.name != MANIFEST or not first.isreg() or first.size > MANIFEST_MAX_BYTES:
            raise _malformed(path, "elle ne commence pas par son manifest.json")
        manifest = json.loads(archive.extractfile(first).read().decode())
    except BackupError:
        raise
    except (*READ_ERRORS, ValueError) as error:
        raise _malformed(path, f"archive illisible ({error})") from error
    try:
        _check_manifest(path, manifest, engine)
        _check_migrations(path, manifest)
        try:
            has_data = holds_data()
        except DatabaseError as error:
            raise BackupError(f"La base configurée est injoignable : {error}".strip()) from error
        if not replace and has_data:
            raise BackupError(
                "La base configurée contient déjà des données (comptes, organisations ou diagnostics). "
                "La restauration les remplacerait toutes : relancez avec --yes pour le confirmer. "
                "Rien n'a été modifié."
            )
    except BaseException:
        archive.close()
        raise
    return archive, manifest


def _restore_sqlite(settings_dict, staged):
    """Replace the configured SQLite database by the staged copy, through the backup API (one
    write transaction: the database is either the old one or the restored one)."""
    copy = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    try:
        integrity = _integrity(copy)
        if integrity != "ok":
            raise BackupError(
                f"La base de l'archive est abîmée (integrity_check : {integrity}). Rien n'a été modifié."
            )
        connections.close_all()
        target_path = Path(settings_dict["NAME"])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        if not target_path.exists():
            target_path.touch(mode=0o600)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            copy.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            integrity = _integrity(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"La restauration de la base SQLite a échoué : {error}.") from error
    finally:
        copy.close()
    if integrity != "ok":
        raise BackupError(f"La base restaurée est abîmée (integrity_check : {integrity}).")
    return integrity


def _restore_postgresql(settings_dict, staged):
    """pg_restore into the configured database, in one transaction: on any error, the
    database is left as it was."""
    arguments, env = _postgres_command("pg_restore", settings_dict)
    connections.close_all()
    arguments += [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={settings_dict['NAME']}",
        str(staged),
    ]
    _run(arguments, env, "pg_restore")
    return "sans objet (PostgreSQL)"


def _place_media(staging, media_root):
    """Move the staged files into MEDIA_ROOT, replacing those of the same name. Returns how
    many files of MEDIA_ROOT the archive does not hold: left in place, never deleted."""
    staged_media = staging / "media"
    restored = {name for name, _ in _media_files(staged_media)}
    left = [name for name, _ in _media_files(media_root) if name not in restored]
    if not staged_media.is_dir():
        return len(left)
    for source in sorted(staged_media.rglob("*")):
        if source.is_file():
            target = media_root / source.relative_to(staged_media)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    return len(left)


def _place_secret_key(staging):
    staged = staging / SECRET_KEY_MEMBER
    if not staged.is_file():
        return "absente de l'archive"
    current = _secret_key_file()
    if current is None:
        return "gardée : SECRET_KEY est défini par l'environnement"
    if staged.read_text().strip() == current.read_text().strip():
        return "identique"
    os.replace(staged, current)
    current.chmod(0o600)
    return f"restaurée dans {current}"


def _restored_counts():
    connection = connections["default"]
    with connection.cursor() as cursor:
        return _describe(cursor, set(connection.introspection.table_names(cursor)))[1]


def pending_migrations():
    """The migrations of this code not yet applied to the configured database."""
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def restore_backup(path, *, replace=False):
    """Restore the archive at `path` into the configured database and MEDIA_ROOT. Checks it
    whole before touching anything; refuses a database that holds data unless `replace`.
    Returns a RestoreSummary; raises BackupError."""
    engine = engine_of()
    settings_dict = dict(connections["default"].settings_dict)
    if engine == "postgresql":
        _postgres_command("pg_restore", settings_dict)  # missing: say so before anything
    archive, manifest = _open_checked(path, engine, replace=replace)
    media_root = Path(settings.MEDIA_ROOT)
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root))
    except OSError as error:
        archive.close()
        raise _disk_error(error, media_root) from error
    try:
        try:
            with archive:
                _stage(path, archive, manifest, engine, staging)
        except OSError as error:  # reading errors are BackupErrors already (_read)
            raise _disk_error(error, staging) from error
        staged_database = staging / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            integrity = _restore_sqlite(settings_dict, staged_database)
        else:
            integrity = _restore_postgresql(settings_dict, staged_database)
        try:
            left_in_place = _place_media(staging, media_root)
            secret_key = _place_secret_key(staging)
        except OSError as error:
            raise _disk_error(error, media_root) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    counts = _restored_counts()
    if counts != manifest["counts"]:
        raise BackupError(
            f"La base est restaurée mais ses comptes de lignes diffèrent du manifeste "
            f"({counts} au lieu de {manifest['counts']}) : vérifiez-la avant de rouvrir le site."
        )
    media = [entry for entry in manifest["files"] if entry["path"].startswith("media/")]
    return RestoreSummary(
        engine=engine,
        created_at=manifest.get("created_at", "?"),
        counts=counts,
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media),
        secret_key=secret_key,
        left_in_place=left_in_place,
        integrity=integrity,
        pending_migrations=pending_migrations(),
    )


def erasing_jobs():
    """The periodic jobs a restore runs at once: every job but those of NOT_RUN_ON_RESTORE."""
    return [job for job in periodic_jobs() if job.name not in NOT_RUN_ON_RESTORE]


def run_erasing_jobs(now=None):
    """Run every erasing job now, due or not (each recorded as an operator's `--job` run).
    Returns [(job name, summary, failed)]; a failing job does not stop the others."""
    now = now or datetime.now(UTC)
    outcomes = []
    for job in erasing_jobs():
        try:
            outcomes.append((job.name, run_now(job, now), False))
        except Exception as error:  # reported to the operator, who runs it again
            outcomes.append((job.name, f"échec : {error}", True))
    return outcomes

from django.core.management.base import BaseCommand, CommandError

from reperes.lib import backups


def size(count):
    """A size in French units: « 812 octets », « 3,2 Mo »."""
    if count < 1024:
        return f"{count} octet{'s' if count > 1 else ''}"
    for unit in ("ko", "Mo", "Go"):
        count /= 1024
        if count < 1024 or unit == "Go":
            return f"{count:.1f} {unit}".replace(".", ",")


def plural(count, one, many):
    """« 0 fichier déposé », « 1 fichier déposé », « 2 fichiers déposés »."""
    return f"{count} {one if count <= 1 else many}"


class Command(BaseCommand):
    help = (
        "Writes one archive of the instance (the database, the uploaded files, the secret key when "
        "it is kept in VAR_DIR, a manifest) into --output, VAR_DIR/backups by default, under a name "
        "with the UTC date and minute, then deletes the archives older than --keep-days days "
        f"({backups.DEFAULT_KEEP_DAYS} by default) or beyond the --keep most recent. Safe while the "
        "site runs; a failed backup leaves no archive. Every night, from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="DIR", help="Folder of the archives (VAR_DIR/backups).")
        keeping = parser.add_mutually_exclusive_group()
        keeping.add_argument("--keep", type=int, metavar="N", help="Keep the N most recent archives.")
        keeping.add_argument(
            "--keep-days",
            type=int,
            metavar="D",
            help=f"Keep the archives of the last D days (default {backups.DEFAULT_KEEP_DAYS}).",
        )

    def handle(self, *args, **options):
        try:
            backups.check_rotation(keep=options["keep"], keep_days=options["keep_days"])
            summary = backups.create_backup(options["output"])
            deleted = backups.rotate(
                summary.path.parent, keep=options["keep"], keep_days=options["keep_days"]
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        engine = backups.ENGINE_LABELS[summary.engine]
        campaigns = plural(summary.counts.get("diagnostics", 0), "diagnostic", "diagnostics")
        files = plural(summary.media_files, "fichier déposé", "fichiers déposés")
        key = ", la clé secrète" if summary.secret_key else ""
        rotated = plural(len(deleted), "ancienne archive supprimée", "anciennes archives supprimées")
        self.stdout.write(
            f"Sauvegarde écrite : {summary.path} ({size(summary.size)}) : la base {engine} "
            f"({campaigns}), {files} ({size(summary.media_bytes)}){key} ; {rotated}."
        )

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from reperes.lib import backups
from reperes.lib.management.commands.backup import plural


def moment(text):
    """« 2026-12-02T03:15:00Z » as « 02/12/2026 à 03:15 UTC »."""
    try:
        return f"{datetime.fromisoformat(text):%d/%m/%Y à %H:%M} UTC"
    except ValueError:
        return text


class Command(BaseCommand):
    help = (
        "Restores an archive written by `manage.py backup` into the configured database and "
        "MEDIA_ROOT, after checking all of it (manifest, format version, database engine, every "
        "member's size and SHA-256): a damaged archive changes nothing. Refuses a database that "
        "already holds data unless --yes. Stop the site first. Then runs at once every periodic "
        "job that erases (the purges, the close of the diagnostics past their date…), before the "
        "site serves anything from the restored data."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive, reperes-….tar.gz.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the data of a database that already holds some."
        )

    def handle(self, *args, **options):
        try:
            summary = backups.restore_backup(options["archive"], replace=options["yes"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{label} : {count}" for label, count in summary.counts.items())
        files = plural(summary.media_files, "fichier déposé", "fichiers déposés")
        self.stdout.write(
            f"Restauré : la sauvegarde {backups.ENGINE_LABELS[summary.engine]} du "
            f"{moment(summary.created_at)} ({counts}), {files} ; intégrité : {summary.integrity} ; "
            f"clé secrète : {summary.secret_key}."
        )
        if summary.left_in_place:
            others = plural(
                summary.left_in_place,
                "fichier de MEDIA_ROOT absent de la sauvegarde (déposé après elle) est laissé",
                "fichiers de MEDIA_ROOT absents de la sauvegarde (déposés après elle) sont laissés",
            )
            self.stdout.write(f"{others} en place.")
        if summary.pending_migrations:
            jobs = ", ".join(job.name for job in backups.erasing_jobs())
            self.stdout.write(
                f"La base date d'une version antérieure ({len(summary.pending_migrations)} migrations "
                "en attente) : lancez `manage.py migrate`, puis `manage.py run_scheduled --job NOM` "
                f"pour chacune de ces tâches d'effacement, avant de rouvrir le site : {jobs}."
            )
            return
        failed = []
        for name, outcome, has_failed in backups.run_erasing_jobs():
            self.stdout.write(f"{name} : {outcome}")
            if has_failed:
                failed.append(name)
        if failed:
            raise CommandError(
                "Restauration faite, mais ces effacements ont échoué : "
                + ", ".join(failed)
                + ". Relancez chacun avec `manage.py run_scheduled --job NOM` avant de rouvrir le site."
            )

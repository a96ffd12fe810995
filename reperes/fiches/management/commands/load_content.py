from django.core.management.base import BaseCommand, CommandError

from reperes.fiches.loading import load_fiches
from reperes.instruments.loading import load_definitions
from reperes.lib.content import ContentError


class Command(BaseCommand):
    help = (
        "Validates every content file (questionnaires, then fiches) and stores each changed one "
        "as a new immutable version, all or nothing per kind. Safe to run at every start."
    )

    def handle(self, *args, **options):
        for label, loader in [("Questionnaires", load_definitions), ("Fiches", load_fiches)]:
            try:
                report = loader()
            except ContentError as error:
                raise CommandError(f"Contenu refusé, rien n'a été chargé : {error}") from error
            created = [f"{slug} v{number}" for slug, number, new in report if new]
            self.stdout.write(
                f"{label} : {len(report)} à jour"
                + (f", nouvelles versions : {', '.join(created)}." if created else ".")
            )

from django.core.management.base import BaseCommand, CommandError

from reperes.questionnaires.definition import DefinitionError
from reperes.questionnaires.loading import load_definitions


class Command(BaseCommand):
    help = (
        "Validates every questionnaire file and stores each changed one as a new immutable "
        "version (all or nothing). Safe to run at every start."
    )

    def handle(self, *args, **options):
        try:
            report = load_definitions()
        except DefinitionError as error:
            raise CommandError(f"Contenu refusé, rien n'a été chargé : {error}") from error
        created = [f"{slug} v{number}" for slug, number, new in report if new]
        self.stdout.write(
            f"Questionnaires : {len(report)} à jour"
            + (f", nouvelles versions : {', '.join(created)}." if created else ".")
        )

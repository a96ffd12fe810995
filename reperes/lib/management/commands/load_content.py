from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from reperes.lib.content import ContentError


def content_loaders():
    """(label, loader) for every installed app that declares content files, in the order of
    INSTALLED_APPS (questionnaires, then fiches). An app declares them with two attributes of its
    AppConfig: `content_label` and `content_loader`, the dotted path of a function that validates
    every file, stores what changed and returns [(slug, version number, created)]."""
    return [
        (config.content_label, import_string(config.content_loader))
        for config in apps.get_app_configs()
        if getattr(config, "content_loader", None)
    ]


class Command(BaseCommand):
    help = (
        "Validates every content file (questionnaires, then fiches) and stores each changed one "
        "as a new immutable version, all or nothing per kind. Safe to run at every start."
    )

    def handle(self, *args, **options):
        for label, loader in content_loaders():
            try:
                report = loader()
            except ContentError as error:
                raise CommandError(f"Contenu refusé, rien n'a été chargé : {error}") from error
            created = [f"{slug} v{number}" for slug, number, new in report if new]
            self.stdout.write(
                f"{label} : {len(report)} à jour"
                + (f", nouvelles versions : {', '.join(created)}." if created else ".")
            )

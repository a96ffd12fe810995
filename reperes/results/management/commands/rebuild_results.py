from django.core.management.base import BaseCommand, CommandError

from reperes.results.rebuild import rebuild_stored_results


class Command(BaseCommand):
    help = (
        "Stores the figures of closed campaigns from their anonymous answers, as closing does: "
        "those that have none yet, or with --all every closed campaign again (after a change in "
        "how figures are computed). A chunk of campaigns costs a few grouped queries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="rebuild every closed campaign, not only those without figures"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes that read and count side by side (one per core of the database server)",
        )

    def handle(self, *args, **options):
        if options["workers"] < 1:
            raise CommandError("--workers : au moins 1.")
        count = rebuild_stored_results(only_missing=not options["all"], workers=options["workers"])
        self.stdout.write(f"Résultats enregistrés pour {count} diagnostic(s) clôturé(s).")

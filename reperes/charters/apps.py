from django.apps import AppConfig

from reperes.reports.prepared import DocumentKind


class ChartersConfig(AppConfig):
    """The telework charter builder: the clause library as data, the legal routes, drafts with
    their completeness, the social-dialogue steps, signatures and the documents."""

    name = "reperes.charters"
    verbose_name = "Charte de télétravail"
    # The files built outside the request (reperes.reports.prepared); the kit is for pilots.
    documents = {
        "charter_text": DocumentKind("reperes.charters.documents.build_charter_text"),
        "ratification_kit": DocumentKind(
            "reperes.charters.documents.build_ratification_kit", ability="pilot"
        ),
    }

    def ready(self):
        from reperes.charters import checks  # noqa: F401 - registers the clause library check

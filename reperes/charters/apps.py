from django.apps import AppConfig


class ChartersConfig(AppConfig):
    """The telework charter builder: the clause library as data, the legal routes, drafts with
    their completeness, the social-dialogue steps, signatures and the documents."""

    name = "reperes.charters"
    verbose_name = "Charte de télétravail"

    def ready(self):
        from reperes.charters import checks  # noqa: F401 - registers the clause library check

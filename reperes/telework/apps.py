from django.apps import AppConfig


class TeleworkConfig(AppConfig):
    name = "reperes.telework"
    verbose_name = "Télétravail"

    def ready(self):
        from reperes.telework import checks  # noqa: F401 - registers the clause library check

from django.apps import AppConfig


class TeleworkConfig(AppConfig):
    name = "reperes.telework"
    verbose_name = "Télétravail"

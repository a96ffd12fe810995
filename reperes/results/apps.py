from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "reperes.results"
    verbose_name = "Résultats"

from django.apps import AppConfig


class FichesConfig(AppConfig):
    name = "reperes.fiches"
    verbose_name = "Fiches repères"

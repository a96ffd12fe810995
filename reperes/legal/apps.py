from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "reperes.legal"
    verbose_name = "Repères juridiques"

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "reperes.organisations"
    verbose_name = "Structures et réseaux"

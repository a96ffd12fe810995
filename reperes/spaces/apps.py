from django.apps import AppConfig


class SpacesConfig(AppConfig):
    """The pages that gather everything: the home page and an organisation's dashboard. This app
    is on the top floor: it asks each app below for its own figures and nobody imports it."""

    name = "reperes.spaces"
    verbose_name = "Accueil et tableaux de bord"

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "reperes.discussions"
    verbose_name = "Espaces de discussion"

from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    """The network observatory: anonymous indicators across the organisations that agreed to
    contribute, published as dated releases under the disclosure rules of disclosure.py."""

    name = "reperes.observatory"
    verbose_name = "Observatoire du réseau"

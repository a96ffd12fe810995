from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Six-month reviews: comparisons between campaigns, with the actions done in between."""

    name = "reperes.reviews"
    verbose_name = "Points de suivi"

from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    """The matchmaker's sharing cases: diagnostic of a need, calibration of the sharing,
    publication or search, putting in touch with both sides' agreement, legal assistance for
    staff lending and shared jobs, follow-up and closing."""

    name = "reperes.matchmaking"
    verbose_name = "Mises en lien"

from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    """Three short team exercises from the guide whose decisions become actions: reviewing a
    digital tool before and after adopting it, the working-time compromise (fiche 3) and the
    co-design of the workspace (fiche 4)."""

    name = "reperes.exercises"
    verbose_name = "Exercices d'équipe"

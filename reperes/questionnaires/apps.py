from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "reperes.questionnaires"
    verbose_name = "Questionnaires et diagnostics"

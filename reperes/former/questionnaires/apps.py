from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    """The former `questionnaires` app: migrations only. Its models now live in
    `reperes.instruments` (questionnaires as content) and `reperes.campaigns` (diagnostics);
    migration 0008 renames the tables to theirs and 0009 forgets the models."""

    name = "reperes.former.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires (historique des migrations)"

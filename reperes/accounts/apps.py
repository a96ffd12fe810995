from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reperes.accounts"
    verbose_name = "Comptes"

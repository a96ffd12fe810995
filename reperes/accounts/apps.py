from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "reperes.accounts"
    verbose_name = "Comptes"
    default = True

    def ready(self):
        from reperes.accounts import signals  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site asks for a second factor (INSTALLED_APPS names this class)."""

    default = False
    default_site = "reperes.accounts.admin_site.AdminSite"

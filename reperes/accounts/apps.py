from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps

from reperes.lib.schedule import Job, day


class AccountsConfig(AppConfig):
    name = "reperes.accounts"
    verbose_name = "Comptes"
    default = True
    # Run by `manage.py run_scheduled` (reperes/lib/schedule.py).
    periodic_jobs = [Job("accounts.purge", "reperes.accounts.jobs.purge", every=day(after="03:15"))]

    def ready(self):
        from reperes.accounts import signals  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site asks for a second factor (INSTALLED_APPS names this class)."""

    default = False
    default_site = "reperes.accounts.admin_site.AdminSite"

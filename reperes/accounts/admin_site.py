"""The instance administration (Django's admin), entered with a password and a second factor.

Its login page is the site's: the password there, then the code step; an instance
administrator without two-factor authentication is sent to set it up first.
"""

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from reperes.accounts.two_factor import has_two_factor

ENTERED = "reperes_admin_entered"
REASON = (
    "L'administration de l'instance donne accès à toutes les données : elle demande la double "
    "authentification. Activez-la pour continuer."
)


class AdminSite(admin.AdminSite):
    site_header = "Repères — administration de l'instance"
    site_title = "Repères"

    def has_permission(self, request):
        allowed = super().has_permission(request) and request.user.is_verified()
        if allowed and not request.session.get(ENTERED):
            # The first admin page of a session is an admin login, for the security log.
            from reperes.accounts.actions import record_security_event
            from reperes.accounts.models import SecurityEvent

            request.session[ENTERED] = True
            record_security_event(request.user, SecurityEvent.Kind.ADMIN_LOGIN, request=request)
        return allowed

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("accounts:login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if self.has_permission(request):
            return redirect(next_url)
        back = urlencode({"next": next_url})
        if has_two_factor(user):
            return redirect(f"{reverse('accounts:login_code')}?{back}")
        messages.warning(request, REASON)
        return redirect(f"{reverse('accounts:two_factor_enable')}?{back}")

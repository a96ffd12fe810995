from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from reperes.campaigns.urls import answer_urlpatterns
from reperes.lib.health import health
from reperes.organisations import views as organisation_views
from reperes.organisations.urls import invitation_urlpatterns, network_urlpatterns
from reperes.spaces import views as space_views

admin.site.site_header = "Repères — administration de l'instance"
admin.site.site_title = "Repères"

urlpatterns = [
    path("sante/", health, name="health"),  # for monitoring: reperes/lib/health.py
    path("", space_views.home, name="home"),
    path("compte/supprimer/", organisation_views.account_delete, name="account_delete"),
    path("compte/", include("reperes.accounts.urls")),
    path("", include("reperes.spaces.urls")),
    path("", include("reperes.organisations.urls")),
    path("", include(network_urlpatterns)),
    path("", include(invitation_urlpatterns)),
    path("", include("reperes.campaigns.urls")),
    path("", include("reperes.legal.urls")),
    path("", include("reperes.fiches.urls")),
    path("", include("reperes.instruments.urls")),
    path("", include("reperes.results.urls")),
    path("", include("reperes.discussions.urls")),
    path("", include("reperes.action_plans.urls")),
    path("", include("reperes.reports.urls")),
    path("", include("reperes.telework.urls")),
    path("", include("reperes.charters.urls")),
    path("", include("reperes.exercises.urls")),
    path("", include("reperes.maturity.urls")),
    path("", include("reperes.programmes.urls")),
    path("", include("reperes.offers.urls")),
    path("", include("reperes.sharing.urls")),
    path("", include("reperes.listings.urls")),
    path("", include("reperes.matchmaking.urls")),
    path("", include("reperes.requests.urls")),
    path("", include("reperes.resources.urls")),
    path("", include("reperes.observatory.urls")),
    path("", include("reperes.evaluation.urls")),
    path("", include("reperes.surveys.urls")),
    path("", include(answer_urlpatterns)),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "reperes.lib.errors.bad_request"
handler403 = "reperes.lib.errors.permission_denied"
handler404 = "reperes.lib.errors.page_not_found"
handler500 = "reperes.lib.errors.server_error"

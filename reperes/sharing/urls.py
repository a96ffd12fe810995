from django.urls import path

from reperes.sharing import views

app_name = "sharing"

urlpatterns = [
    path("s/<slug:slug>/partages/", views.shares, name="shares"),
    path("s/<slug:slug>/partages/<uuid:share_id>/retirer/", views.revoke, name="revoke"),
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/partager/", views.share, name="share"),
    path("r/<slug:slug>/partages/", views.received, name="received"),
    path("r/<slug:slug>/cohortes/<uuid:cohort_id>/bilan/", views.cohort_review_page, name="cohort_review"),
    path("r/<slug:slug>/partages/<uuid:share_id>/", views.received_detail, name="received_detail"),
    path(
        "r/<slug:slug>/partages/<uuid:share_id>/<slug:theme_id>/",
        views.received_theme,
        name="received_theme",
    ),
]

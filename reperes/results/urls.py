from django.urls import path

from reperes.results import views

app_name = "results"

urlpatterns = [
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/resultats/", views.detail, name="detail"),
    path(
        "s/<slug:slug>/diagnostics/<uuid:campaign_id>/resultats/priorites/",
        views.priorities,
        name="priorities",
    ),
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/resultats/pistes/", views.panels, name="panels"),
    path(
        "s/<slug:slug>/diagnostics/<uuid:campaign_id>/resultats/<slug:theme_id>/",
        views.theme,
        name="theme",
    ),
    path("resultats/<str:token>/", views.shared, name="shared"),
    path("resultats/<str:token>/<slug:theme_id>/", views.shared_theme, name="shared_theme"),
]

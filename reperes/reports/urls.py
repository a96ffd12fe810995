from django.urls import path

from reperes.reports import views

app_name = "reports"

urlpatterns = [
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/comparaison/", views.comparison, name="comparison"),
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/suivi/", views.follow_up, name="follow_up"),
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path(
        "s/<slug:slug>/diagnostics/<uuid:campaign_id>/resultats.<str:fmt>",
        views.results_export,
        name="results_export",
    ),
    path("s/<slug:slug>/plan/export.<str:fmt>", views.actions_export, name="actions_export"),
    path("s/<slug:slug>/documents/<uuid:document_id>/", views.document_page, name="document"),
    path("s/<slug:slug>/documents/<uuid:document_id>/fichier/", views.document_file, name="document_file"),
    path(
        "s/<slug:slug>/documents/<uuid:document_id>/reessayer/", views.document_retry, name="document_retry"
    ),
]

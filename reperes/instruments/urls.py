from django.urls import path

from reperes.instruments import views

app_name = "instruments"

base = "r/<slug:slug>/questionnaires/"

urlpatterns = [
    path(base, views.library, name="library"),
    path(base + "importer/", views.import_workbook, name="import"),
    path(base + "brouillons/<int:draft_id>/", views.draft, name="draft"),
    path(base + "brouillons/<int:draft_id>/xlsform/", views.draft_export, name="draft_export"),
    path(base + "brouillons/<int:draft_id>/publier/", views.publish, name="publish"),
    path(base + "brouillons/<int:draft_id>/supprimer/", views.delete, name="delete"),
    path(base + "<slug:questionnaire_slug>/xlsform/", views.export, name="export"),
]

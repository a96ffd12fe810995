from django.urls import path

from reperes.instruments import views

app_name = "instruments"

base = "r/<slug:slug>/questionnaires/"

urlpatterns = [
    path(base, views.library, name="library"),
    path(base + "importer/", views.import_workbook, name="import"),
    path(base + "brouillons/<int:draft_id>/", views.draft, name="draft"),
    path(base + "brouillons/<int:draft_id>/reglages/", views.draft_settings, name="draft_settings"),
    path(base + "brouillons/<int:draft_id>/themes/", views.theme_add, name="theme_add"),
    path(base + "brouillons/<int:draft_id>/ordre-des-themes/", views.themes_arrange, name="themes_arrange"),
    path(base + "brouillons/<int:draft_id>/themes/<slug:theme_id>/", views.draft_theme, name="draft_theme"),
    path(
        base + "brouillons/<int:draft_id>/questions-ouvertes/", views.draft_free_text, name="draft_free_text"
    ),
    path(base + "brouillons/<int:draft_id>/xlsform/", views.draft_export, name="draft_export"),
    path(base + "brouillons/<int:draft_id>/publier/", views.publish, name="publish"),
    path(base + "brouillons/<int:draft_id>/supprimer/", views.delete, name="delete"),
    path(base + "<slug:questionnaire_slug>/xlsform/", views.export, name="export"),
    path(base + "<slug:questionnaire_slug>/copier/", views.copy, name="copy"),
    path(base + "<slug:questionnaire_slug>/modifier/", views.edit, name="edit"),
]

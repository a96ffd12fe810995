from django.urls import path

from reperes.charters import views

app_name = "charters"

urlpatterns = [
    path("s/<slug:slug>/teletravail/charte/", views.charter_list, name="list"),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/supprimer/",
        views.charter_delete,
        name="delete",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/action/",
        views.charter_action,
        name="action",
    ),
    path("s/<slug:slug>/teletravail/charte/<int:charter_id>/", views.charter_detail, name="detail"),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/parametres/",
        views.charter_parameters,
        name="parameters",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/clauses/",
        views.charter_clause_add,
        name="clause_add",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/clauses/<slug:clause_id>/",
        views.charter_clause,
        name="clause",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/etat/",
        views.charter_status,
        name="status",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/signer/",
        views.charter_sign,
        name="sign",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/versions/<int:version_id>/",
        views.charter_version,
        name="version",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/texte.<str:fmt>",
        views.charter_export,
        name="export",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/kit-approbation.docx",
        views.charter_kit,
        name="kit",
    ),
]

from django.urls import path

from reperes.telework import charter_views, views

app_name = "telework"

urlpatterns = [
    path("s/<slug:slug>/teletravail/activites/", views.inventory, name="inventory"),
    path("s/<slug:slug>/teletravail/activites/nouvelle/", views.activity_add, name="activity_add"),
    path("s/<slug:slug>/teletravail/activites/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path(
        "s/<slug:slug>/teletravail/activites/<int:activity_id>/moi/",
        views.activity_mark,
        name="activity_mark",
    ),
    path("s/<slug:slug>/teletravail/activites/export.xlsx", views.inventory_export, name="inventory_export"),
    path("s/<slug:slug>/teletravail/information/", views.information_diagram, name="diagram"),
    path("s/<slug:slug>/teletravail/usages/", views.usage_rules, name="usage_rules"),
    path(
        "s/<slug:slug>/teletravail/usages/outils/<int:tool_id>/retirer/",
        views.tool_delete,
        name="tool_delete",
    ),
    path("s/<slug:slug>/teletravail/usages/charte/", views.usage_document, name="usage_document"),
    path(
        "s/<slug:slug>/teletravail/usages/charte.<str:fmt>", views.usage_document, name="usage_document_file"
    ),
    path(
        "s/<slug:slug>/teletravail/information/<int:flow_id>/action/",
        views.flow_to_action,
        name="flow_to_action",
    ),
    path(
        "s/<slug:slug>/teletravail/usages/charte/action/",
        views.usage_document_action,
        name="usage_document_action",
    ),
    path("s/<slug:slug>/teletravail/charte/", charter_views.charter_list, name="charters"),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/supprimer/",
        charter_views.charter_delete,
        name="charter_delete",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/action/",
        charter_views.charter_action,
        name="charter_action",
    ),
    path("s/<slug:slug>/teletravail/charte/<int:charter_id>/", charter_views.charter_detail, name="charter"),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/parametres/",
        charter_views.charter_parameters,
        name="charter_parameters",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/clauses/",
        charter_views.charter_clause_add,
        name="charter_clause_add",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/clauses/<slug:clause_id>/",
        charter_views.charter_clause,
        name="charter_clause",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/etat/",
        charter_views.charter_status,
        name="charter_status",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/signer/",
        charter_views.charter_sign,
        name="charter_sign",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/versions/<int:version_id>/",
        charter_views.charter_version,
        name="charter_version",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/texte.<str:fmt>",
        charter_views.charter_export,
        name="charter_export",
    ),
    path(
        "s/<slug:slug>/teletravail/charte/<int:charter_id>/kit-approbation.docx",
        charter_views.charter_kit,
        name="charter_kit",
    ),
]

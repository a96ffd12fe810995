from django.urls import path

from reperes.telework import views

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
]

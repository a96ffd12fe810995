from django.urls import path

from reperes.fiches import network_views, views

app_name = "fiches"

network = "r/<slug:slug>/fiches/"

urlpatterns = [
    path("fiches/", views.fiche_list, name="list"),
    path("fiches/<slug:slug>/", views.fiche_detail, name="detail"),
    # A network's own fiches, written in the interface.
    path(network, network_views.network_library, name="network_library"),
    path(network + "nouvelle/", network_views.draft_create, name="draft_create"),
    path(network + "copier/<slug:fiche_slug>/", network_views.draft_copy, name="draft_copy"),
    path(network + "brouillons/<int:draft_id>/", network_views.draft, name="draft"),
    path(network + "brouillons/<int:draft_id>/apercu/", network_views.draft_preview, name="draft_preview"),
    path(network + "brouillons/<int:draft_id>/publier/", network_views.draft_publish, name="draft_publish"),
    path(network + "brouillons/<int:draft_id>/supprimer/", network_views.draft_delete, name="draft_delete"),
]

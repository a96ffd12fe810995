from django.urls import path

from reperes.requests import views

app_name = "requests"

network_base = "r/<slug:slug>/demandes/<uuid:request_id>/"

urlpatterns = [
    path("s/<slug:slug>/accompagnement/", views.request_list, name="list"),
    path("s/<slug:slug>/accompagnement/demande/", views.request_create, name="create"),
    path("s/<slug:slug>/accompagnement/<uuid:request_id>/", views.request_detail, name="detail"),
    path("s/<slug:slug>/accompagnement/<uuid:request_id>/retirer/", views.request_withdraw, name="withdraw"),
    path("r/<slug:slug>/demandes/", views.queue, name="queue"),
    path("r/<slug:slug>/demandes/chiffres/", views.figures, name="figures"),
    path(network_base, views.handle, name="handle"),
    path(network_base + "prendre/", views.take, name="take"),
    path(network_base + "confier/", views.assign, name="assign"),
    path(network_base + "commencer/", views.start, name="start"),
    path(network_base + "suivi/", views.entry, name="entry"),
    path(network_base + "clore/", views.close, name="close"),
]

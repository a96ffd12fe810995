from django.urls import path

from reperes.offers import views

app_name = "offers"

catalogue = "r/<slug:slug>/offres/"
space = "s/<slug:slug>/offres/"

urlpatterns = [
    # The network's side: its staff keep the catalogue
    path(catalogue, views.catalogue, name="catalogue"),
    path(catalogue + "nouvelle/", views.offer_create, name="create"),
    path(catalogue + "<int:offer_id>/", views.offer, name="offer"),
    path(catalogue + "<int:offer_id>/modifier/", views.offer_edit, name="edit"),
    path(catalogue + "<int:offer_id>/archiver/", views.offer_archive, name="archive"),
    path(catalogue + "<int:offer_id>/restaurer/", views.offer_restore, name="restore"),
    # The organisation's side: the offers that match it
    path(space, views.space_offers, name="space_list"),
    path(space + "<int:offer_id>/", views.space_offer, name="space_offer"),
]

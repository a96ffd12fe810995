from django.urls import path

from reperes.listings import views

app_name = "listings"

space = "s/<slug:slug>/annonces/"
network = "r/<slug:slug>/annonces/"

urlpatterns = [
    # The organisation's side: search the network's listings, publish one's own
    path(space, views.board, name="board"),
    path(space + "<int:listing_id>/", views.detail, name="detail"),
    path(space + "<int:listing_id>/mise-en-lien/", views.contact, name="contact"),
    path(space + "<int:listing_id>/signaler/", views.report, name="report"),
    path(space + "nos-annonces/", views.mine, name="mine"),
    path(space + "nos-annonces/nouvelle/", views.create, name="create"),
    path(space + "nos-annonces/<int:listing_id>/", views.mine_detail, name="mine_detail"),
    path(space + "nos-annonces/<int:listing_id>/modifier/", views.edit, name="edit"),
    path(space + "nos-annonces/<int:listing_id>/envoyer/", views.submit, name="submit"),
    path(space + "nos-annonces/<int:listing_id>/retirer/", views.withdraw, name="withdraw"),
    path(space + "nos-annonces/<int:listing_id>/prolonger/", views.extend, name="extend"),
    path(
        space + "nos-annonces/<int:listing_id>/demandes/<int:contact_id>/reponse/",
        views.answer,
        name="answer",
    ),
    # The network's side: the matchmaker checks listings and puts organisations in touch
    path(network, views.queue, name="queue"),
    path(network + "<int:listing_id>/", views.review, name="review"),
    path(network + "demandes/<int:contact_id>/transmettre/", views.forward, name="forward"),
    path(network + "signalements/<int:report_id>/traite/", views.handle_report, name="handle_report"),
]

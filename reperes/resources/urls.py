from django.urls import path

from reperes.resources import feeds, views

app_name = "resources"

library = "r/<slug:slug>/ressources/"
space = "s/<slug:slug>/ressources/"

urlpatterns = [
    # The network's side: its staff keep the library
    path(library, views.library, name="library"),
    path(library + "nouvelle/", views.resource_create, name="create"),
    path(library + "<int:resource_id>/", views.resource, name="resource"),
    path(library + "<int:resource_id>/modifier/", views.resource_edit, name="edit"),
    path(library + "<int:resource_id>/archiver/", views.resource_archive, name="archive"),
    path(library + "<int:resource_id>/restaurer/", views.resource_restore, name="restore"),
    path(library + "<int:resource_id>/fichier/", views.resource_file, name="file"),
    # Public: the HR news the staff made public, for feed readers and whoever they share it with
    path(library + "actualites.atom", feeds.news_feed, name="feed"),
    path(library + "actualites/<int:resource_id>/", views.public_news, name="public_news"),
    # The organisation's side: the library of its networks
    path(space, views.space_library, name="space_library"),
    path(space + "<int:resource_id>/", views.space_resource, name="space_resource"),
    path(space + "<int:resource_id>/fichier/", views.space_file, name="space_file"),
]

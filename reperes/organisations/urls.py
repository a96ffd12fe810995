from django.urls import path

from reperes.organisations import invitation_views, network_views, views

app_name = "organisations"

urlpatterns = [
    path("structures/nouvelle/", views.organisation_create, name="create"),
    path("s/<slug:slug>/profil/", views.organisation_settings, name="settings"),
    path("s/<slug:slug>/equipe/", views.members, name="members"),
    path("s/<slug:slug>/equipe/<int:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "s/<slug:slug>/equipe/<int:membership_id>/retirer/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "s/<slug:slug>/invitations/<uuid:invitation_id>/annuler/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("s/<slug:slug>/quitter/", views.leave, name="leave"),
    path("s/<slug:slug>/reseaux/", views.networks, name="networks"),
    path(
        "s/<slug:slug>/reseaux/<slug:network_slug>/quitter/",
        views.network_leave,
        name="network_leave",
    ),
    path("s/<slug:slug>/journal/", views.events, name="events"),
]

network_urlpatterns = (
    [
        path("r/<slug:slug>/", network_views.network_home, name="home"),
        path("r/<slug:slug>/equipe/", network_views.network_staff, name="staff"),
        path(
            "r/<slug:slug>/equipe/<int:membership_id>/retirer/",
            network_views.network_staff_remove,
            name="staff_remove",
        ),
    ],
    "networks",
)

invitation_urlpatterns = (
    [
        path("invitations/<str:token>/", invitation_views.accept, name="accept"),
        path(
            "invitations/reseau/<str:token>/",
            invitation_views.accept_network,
            name="accept_network",
        ),
    ],
    "invitations",
)

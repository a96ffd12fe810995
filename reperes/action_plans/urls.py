from django.urls import path

from reperes.action_plans import views

app_name = "action_plans"

urlpatterns = [
    path("s/<slug:slug>/plan/", views.action_list, name="list"),
    path("s/<slug:slug>/plan/nouvelle/", views.action_create, name="create"),
    path("s/<slug:slug>/plan/<int:action_id>/", views.action_detail, name="detail"),
    path("s/<slug:slug>/plan/<int:action_id>/modifier/", views.action_edit, name="edit"),
    path("s/<slug:slug>/plan/<int:action_id>/statut/", views.action_status, name="status"),
    path("s/<slug:slug>/plan/<int:action_id>/avis/", views.action_feedback, name="feedback"),
    path(
        "s/<slug:slug>/plan/depuis-proposition/<int:proposal_id>/",
        views.action_from_proposal,
        name="from_proposal",
    ),
    path(
        "s/<slug:slug>/plan/proposition/<int:proposal_id>/",
        views.action_for_proposal,
        name="for_proposal",
    ),
]

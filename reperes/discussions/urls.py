from django.urls import path

from reperes.discussions import views

app_name = "discussions"

base = "s/<slug:slug>/discussions/<int:discussion_id>/"
proposal = base + "propositions/<int:proposal_id>/"

urlpatterns = [
    path("s/<slug:slug>/discussions/", views.discussion_list, name="list"),
    path("s/<slug:slug>/discussions/nouvelle/", views.discussion_create, name="create"),
    path(base, views.discussion_detail, name="detail"),
    path(base + "reunions/", views.meeting_add, name="meeting_add"),
    path(base + "propositions/", views.proposal_add, name="proposal_add"),
    path(proposal + "decision/", views.proposal_decide, name="decide"),
    path(proposal + "vote/", views.vote_open, name="vote_open"),
    path(proposal + "voter/", views.vote_cast, name="vote_cast"),
    path(proposal + "cloturer/", views.vote_close, name="vote_close"),
]

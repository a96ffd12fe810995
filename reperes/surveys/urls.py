from django.urls import path

from reperes.surveys import views

app_name = "surveys"

network = "r/<slug:slug>/enquetes/"
survey = network + "<uuid:survey_id>/"
organisation = "s/<slug:slug>/enquetes/"
answering = organisation + "<uuid:survey_id>/"

urlpatterns = [
    path(network, views.surveys, name="list"),
    path(network + "nouvelle/", views.create, name="create"),
    path(survey, views.survey, name="survey"),
    path(survey + "modifier/", views.edit, name="edit"),
    path(survey + "supprimer/", views.delete, name="delete"),
    path(survey + "programmer/", views.schedule, name="schedule"),
    path(survey + "relancer/", views.remind, name="remind"),
    path(survey + "repousser/", views.postpone, name="postpone"),
    path(survey + "cloturer/", views.close, name="close"),
    path(survey + "reponses/", views.answers, name="answers"),
    path(survey + "resultats.csv", views.results_csv, name="results_csv"),
    path(organisation, views.inbox, name="inbox"),
    path(answering, views.answer, name="answer"),
    path(answering + "confier/", views.hand_over, name="hand_over"),
    path(answering + "reprendre/", views.take_back, name="take_back"),
    path(answering + "resultats/", views.org_results, name="org_results"),
]

from django.urls import path

from reperes.evaluation import views

app_name = "evaluation"

base = "r/<slug:slug>/evaluation/"
project = base + "<uuid:project_id>/"

urlpatterns = [
    path(base, views.projects, name="projects"),
    path(base + "nouveau/", views.project_create, name="project_create"),
    path(project, views.project, name="project"),
    path(project + "modifier/", views.project_edit, name="project_edit"),
    path(project + "chiffres-cles/", views.key_figures, name="key_figures"),
    path(project + "chiffres-cles/saisir/", views.key_figures_edit, name="key_figures_edit"),
    path(project + "partenaires/ajouter/", views.partner_add, name="partner_add"),
    path(project + "partenaires/<int:partner_id>/retirer/", views.partner_remove, name="partner_remove"),
    path(project + "comites/ajouter/", views.committee_add, name="committee_add"),
    path(project + "comites/<int:committee_id>/retirer/", views.committee_remove, name="committee_remove"),
    path(project + "appreciations/", views.assessments_edit, name="assessments_edit"),
]

from django.urls import path

from reperes.maturity import views

app_name = "maturity"

urlpatterns = [
    path("s/<slug:slug>/maturite/", views.home, name="home"),
    path("s/<slug:slug>/maturite/commencer/", views.start, name="start"),
    path("s/<slug:slug>/maturite/comparer/", views.compare, name="compare"),
    path("s/<slug:slug>/maturite/<uuid:assessment_id>/", views.results, name="results"),
    path(
        "s/<slug:slug>/maturite/<uuid:assessment_id>/dimension/<int:number>/",
        views.answer,
        name="answer",
    ),
    path("s/<slug:slug>/maturite/<uuid:assessment_id>/terminer/", views.finish, name="finish"),
    path("s/<slug:slug>/maturite/<uuid:assessment_id>/supprimer/", views.delete, name="delete"),
]

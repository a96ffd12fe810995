from django.urls import path

from reperes.fiches import views

app_name = "fiches"

urlpatterns = [
    path("fiches/", views.fiche_list, name="list"),
    path("fiches/<slug:slug>/", views.fiche_detail, name="detail"),
]

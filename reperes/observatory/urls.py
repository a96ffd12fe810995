from django.urls import path

from reperes.observatory import views

app_name = "observatory"

base = "r/<slug:slug>/observatoire/"
release = base + "<int:number>/"

urlpatterns = [
    path(base, views.home, name="home"),
    path(base + "publier/", views.publish, name="publish"),
    path(release, views.release, name="release"),
    path(release + "chiffres-cles.pdf", views.key_figures_pdf, name="key_figures_pdf"),
    path(release + "<slug:key>.csv", views.table_csv, name="table_csv"),
    path(release + "<slug:key>.xlsx", views.table_xlsx, name="table_xlsx"),
    path(release + "<slug:key>/", views.table, name="table"),
]

from django.urls import path

from reperes.legal import views

app_name = "legal"

urlpatterns = [
    path("reperes-juridiques/", views.reference_list, name="references"),
]

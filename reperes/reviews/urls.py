from django.urls import path

from reperes.reviews import views

app_name = "reviews"

urlpatterns = [
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/comparaison/", views.comparison, name="comparison"),
    path("s/<slug:slug>/diagnostics/<uuid:campaign_id>/suivi/", views.follow_up, name="follow_up"),
]

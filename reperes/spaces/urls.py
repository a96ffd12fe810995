from django.urls import path

from reperes.spaces import views

app_name = "spaces"

urlpatterns = [
    path("s/<slug:slug>/", views.dashboard, name="dashboard"),
]

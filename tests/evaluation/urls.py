"""The project's URLs with the evaluation pages, until config/urls.py includes them (the lead
engineer's file): tests and the screenshots use this module as ROOT_URLCONF."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns]
if not any(getattr(p, "namespace", None) == "evaluation" for p in project_urlpatterns):
    urlpatterns.insert(0, path("", include("reperes.evaluation.urls")))

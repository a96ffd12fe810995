"""The calendar views under the paths proposed for reperes/programmes/urls.py, for their tests
alone (the app's URLconf is written with its pages)."""

from django.urls import include, path

from reperes.programmes import calendar_views

programmes_patterns = [
    path(
        "r/<slug:slug>/cohortes/<uuid:cohort_id>/ateliers/<int:number>/agenda.ics",
        calendar_views.facilitator_workshop_ics,
        name="facilitator_workshop_ics",
    ),
    path(
        "s/<slug:slug>/parcours/<uuid:cohort_id>/ateliers/<int:number>/agenda.ics",
        calendar_views.workshop_ics,
        name="workshop_ics",
    ),
    path("agenda/<str:token>.ics", calendar_views.participant_feed, name="feed"),
]

urlpatterns = [path("", include((programmes_patterns, "programmes")))]

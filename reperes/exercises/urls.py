from django.urls import path

from reperes.exercises import views

app_name = "exercises"

urlpatterns = [
    path("s/<slug:slug>/exercices/", views.exercise_list, name="list"),
    path("s/<slug:slug>/exercices/nouveau/<slug:kind>/", views.start, name="start"),
    path("s/<slug:slug>/exercices/<int:exercise_id>/", views.detail, name="detail"),
    path("s/<slug:slug>/exercices/<int:exercise_id>/modifier/", views.edit, name="edit"),
    path("s/<slug:slug>/exercices/<int:exercise_id>/apres/", views.after_review, name="after_review"),
    path(
        "s/<slug:slug>/exercices/<int:exercise_id>/<slug:key>/action/",
        views.entry_action,
        name="entry_action",
    ),
]

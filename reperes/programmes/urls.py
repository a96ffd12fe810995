from django.urls import path

from reperes.programmes import (
    authoring_views,
    calendar_views,
    document_views,
    enrolment_views,
    event_views,
    glossary_views,
    views,
)

app_name = "programmes"

cohort = "r/<slug:slug>/cohortes/<uuid:cohort_id>/"
space = "s/<slug:slug>/parcours/"
templates = "r/<slug:slug>/parcours/modeles/"
template_draft = templates + "brouillons/<int:draft_id>/"

urlpatterns = [
    path("glossaire/", glossary_views.glossary, name="glossary"),
    # The network's side: facilitators
    path("r/<slug:slug>/cohortes/", views.cohorts, name="cohorts"),
    path("r/<slug:slug>/cohortes/nouvelle/", views.cohort_create, name="cohort_create"),
    path(cohort, views.cohort, name="cohort"),
    path(cohort + "modifier/", views.cohort_edit, name="cohort_edit"),
    path(cohort + "intervenants/", views.speaker_add, name="speaker_add"),
    path(cohort + "animation/", views.facilitator_add, name="facilitator_add"),
    path(cohort + "ateliers/<int:number>/", views.workshop, name="workshop"),
    path(cohort + "ateliers/<int:number>/presences/", views.attendance, name="attendance"),
    path(cohort + "ateliers/<int:number>/annuler/", views.workshop_cancel, name="workshop_cancel"),
    path(cohort + "structures/<uuid:enrolment_id>/", views.enrolment, name="enrolment"),
    path(cohort + "structures/<uuid:enrolment_id>/decision/", views.decide, name="decide"),
    path(cohort + "structures/<uuid:enrolment_id>/notes/", views.note_add, name="note_add"),
    path(cohort + "structures/<uuid:enrolment_id>/bilan/", views.outcome, name="outcome"),
    path(cohort + "documents/<int:file_id>/", views.assignment_file, name="assignment_file"),
    path(cohort + "questions/", views.faq, name="faq"),
    path(cohort + "questions/publier/", views.faq_publish, name="faq_publish"),
    path(cohort + "message/", views.message, name="message"),
    path(
        cohort + "ateliers/<int:number>/emargement.pdf",
        document_views.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        cohort + "presences/<int:participant_id>/attestation.pdf",
        document_views.attendance_certificate,
        name="attendance_certificate",
    ),
    path(cohort + "export.xlsx", document_views.cohort_export, name="cohort_export"),
    path(
        cohort + "ateliers/<int:number>/agenda.ics",
        calendar_views.facilitator_workshop_ics,
        name="facilitator_workshop_ics",
    ),
    # Programme templates the network writes
    path(templates, authoring_views.templates, name="templates"),
    path(templates + "nouveau/", authoring_views.template_create, name="template_create"),
    path(templates + "copier/<int:programme_id>/", authoring_views.template_copy, name="template_copy"),
    path(template_draft, authoring_views.template_draft, name="template_draft"),
    path(template_draft + "presentation/", authoring_views.template_general, name="template_general"),
    path(
        template_draft + "ateliers/ajouter/",
        authoring_views.template_session_add,
        name="template_session_add",
    ),
    path(
        template_draft + "ateliers/<int:number>/", authoring_views.template_session, name="template_session"
    ),
    path(
        template_draft + "ateliers/<int:number>/deplacer/",
        authoring_views.template_session_move,
        name="template_session_move",
    ),
    path(
        template_draft + "ateliers/<int:number>/retirer/",
        authoring_views.template_session_remove,
        name="template_session_remove",
    ),
    path(template_draft + "bilan/", authoring_views.template_review, name="template_review"),
    path(template_draft + "apercu/", authoring_views.template_preview, name="template_preview"),
    path(template_draft + "publier/", authoring_views.template_publish, name="template_publish"),
    path(template_draft + "supprimer/", authoring_views.template_delete, name="template_delete"),
    # Network events, the network's side
    path("r/<slug:slug>/evenements/", event_views.events, name="events"),
    path("r/<slug:slug>/evenements/nouveau/", event_views.event_create, name="event_create"),
    path("r/<slug:slug>/evenements/<uuid:event_id>/", event_views.event, name="event"),
    path(
        "r/<slug:slug>/evenements/<uuid:event_id>/participation/", event_views.event_reach, name="event_reach"
    ),
    path(
        "r/<slug:slug>/evenements/<uuid:event_id>/seances/<int:number>/deplacer/",
        event_views.event_session_move,
        name="event_session_move",
    ),
    path(
        "r/<slug:slug>/evenements/<uuid:event_id>/satisfaction/",
        event_views.event_satisfaction,
        name="event_satisfaction",
    ),
    path(
        "r/<slug:slug>/evenements/<uuid:event_id>/seances/<int:number>/annuler/",
        event_views.event_session_cancel,
        name="event_session_cancel",
    ),
    # The organisation's side
    path(space, enrolment_views.programmes, name="space_list"),
    path(space + "code/", enrolment_views.join, name="join"),
    path(space + "candidature/<uuid:cohort_id>/", enrolment_views.apply, name="apply"),
    path(space + "<uuid:cohort_id>/", enrolment_views.space_cohort, name="space_cohort"),
    path(space + "<uuid:cohort_id>/participants/", enrolment_views.participants, name="participants"),
    path(space + "<uuid:cohort_id>/ateliers/<int:number>/dates/", enrolment_views.poll, name="poll"),
    path(space + "<uuid:cohort_id>/ateliers/<int:number>/travail/", enrolment_views.hand_in, name="hand_in"),
    path(space + "<uuid:cohort_id>/questions/", enrolment_views.ask, name="ask"),
    path(space + "<uuid:cohort_id>/documents/<int:file_id>/", enrolment_views.own_file, name="own_file"),
    path(space + "<uuid:cohort_id>/faq/", enrolment_views.faq_public, name="faq_public"),
    path(space + "<uuid:cohort_id>/attestation.pdf", document_views.my_certificate, name="my_certificate"),
    path(
        space + "<uuid:cohort_id>/ateliers/<int:number>/agenda.ics",
        calendar_views.workshop_ics,
        name="workshop_ics",
    ),
    path("agenda/<str:token>.ics", calendar_views.participant_feed, name="feed"),
    path("s/<slug:slug>/evenements/", event_views.space_events, name="space_events"),
    path("s/<slug:slug>/evenements/<uuid:event_id>/", event_views.space_event, name="space_event"),
    path(
        "s/<slug:slug>/evenements/<uuid:event_id>/inscription/",
        event_views.event_register,
        name="event_register",
    ),
    path(
        "s/<slug:slug>/evenements/<uuid:event_id>/desinscription/",
        event_views.event_unregister,
        name="event_unregister",
    ),
    path("s/<slug:slug>/evenements/<uuid:event_id>/replay/", event_views.event_replay, name="event_replay"),
    path("s/<slug:slug>/evenements/<uuid:event_id>/agenda.ics", event_views.event_ics, name="event_ics"),
]

from django.urls import path

from reperes.campaigns import answer_views, preview_views, views

app_name = "campaigns"

base = "s/<slug:slug>/diagnostics/<uuid:campaign_id>/"

urlpatterns = [
    path("s/<slug:slug>/diagnostics/", views.campaign_list, name="list"),
    path("s/<slug:slug>/diagnostics/nouveau/", views.campaign_create, name="create"),
    path(base, views.campaign_detail, name="detail"),
    path(base + "modifier/", views.campaign_edit, name="edit"),
    path(base + "ouvrir/", views.campaign_open, name="open"),
    path(base + "cloturer/", views.campaign_close, name="close"),
    path(base + "prolonger/", views.campaign_postpone, name="postpone"),
    path(base + "invitations/", views.campaign_invite, name="invite"),
    path(base + "relancer/", views.campaign_remind, name="remind"),
    path(base + "qr.svg", views.campaign_qr, name="qr"),
    path(base + "affiche/", views.campaign_poster, name="poster"),
    path(base + "lien-resultats/", views.campaign_results_link, name="results_link"),
    path(base + "reunion/<int:number>/", views.collective_theme, name="collective"),
    path(base + "reunion/synthese/", views.synthesis, name="synthesis"),
    path(base + "reunion/synthese/retirer/<int:entry_id>/", views.synthesis_remove, name="synthesis_remove"),
    path(base + "papier/", views.paper_sheet, name="paper_sheet"),
    path(base + "papier/saisie/", views.paper_entry, name="paper_entry"),
    path(base + "papier/lots/", views.paper_batches, name="paper_batches"),
    path(base + "papier/lots/<int:batch_id>/attester/", views.paper_attest, name="paper_attest"),
    # A network's questionnaire draft as its respondents will see it (reperes.instruments).
    path(
        "r/<slug:slug>/questionnaires/brouillons/<int:draft_id>/apercu/<int:number>/",
        preview_views.draft_preview,
        name="draft_preview",
    ),
]

answer_urlpatterns = (
    [
        path("d/<str:share_id>/", answer_views.intro, name="intro"),
        path("d/<str:share_id>/commencer/", answer_views.start, name="start"),
        path("d/<str:share_id>/college/", answer_views.group, name="group"),
        path("d/<str:share_id>/theme/<int:number>/", answer_views.theme, name="theme"),
        path("d/<str:share_id>/expression/", answer_views.texts, name="texts"),
        path("d/<str:share_id>/envoi/", answer_views.review, name="review"),
        path("d/<str:share_id>/merci/", answer_views.thanks, name="thanks"),
        path("d/<str:share_id>/reprendre/<str:token>/", answer_views.resume, name="resume"),
        path(
            "d/<str:share_id>/invitation/<str:token>/",
            answer_views.invitation_start,
            name="invitation_start",
        ),
        path("i/<str:token>/", answer_views.invitation, name="invitation"),
        path("confidentialite/", answer_views.privacy, name="privacy"),
    ],
    "answer",
)

from django.urls import path

from reperes.matchmaking import views

app_name = "matchmaking"

network_base = "r/<slug:slug>/mises-en-lien/<uuid:case_id>/"
org_base = "s/<slug:slug>/mises-en-lien/<uuid:case_id>/"

urlpatterns = [
    path("r/<slug:slug>/mises-en-lien/", views.cases, name="cases"),
    path("r/<slug:slug>/mises-en-lien/nouveau/", views.case_create, name="create"),
    path(
        "r/<slug:slug>/mises-en-lien/depuis-demande/<int:contact_id>/",
        views.case_from_contact,
        name="from_contact",
    ),
    path(network_base, views.case_detail, name="case"),
    path(network_base + "diagnostic/", views.diagnostic, name="diagnostic"),
    path(network_base + "calibrage/", views.calibration, name="calibration"),
    path(network_base + "annonce/", views.listing, name="listing"),
    path(network_base + "partenaire/", views.partner, name="partner"),
    path(network_base + "mettre-en-lien/", views.introduce, name="introduce"),
    path(network_base + "verification/", views.tick, name="tick"),
    path(network_base + "salarie/", views.employee, name="employee"),
    path(network_base + "juridique-termine/", views.complete_legal, name="complete_legal"),
    path(network_base + "suivi/", views.follow_up, name="follow_up"),
    path(network_base + "clore/", views.close, name="close"),
    path(network_base + "note/", views.note, name="note"),
    path(network_base + "suivre/", views.follow, name="follow"),
    path(network_base + "documents/<str:kind>/", views.document, name="document"),
    path("s/<slug:slug>/mises-en-lien/", views.org_cases, name="org_cases"),
    path(org_base, views.org_case, name="org_case"),
    path(org_base + "accord/", views.org_agree, name="org_agree"),
    path(org_base + "documents/<str:kind>/", views.org_document, name="org_document"),
]

"""Abuse: a network's staff cannot fill the database with drafts. Past PENDING_DRAFTS_LIMIT drafts
of one kind waiting (questionnaires, fiches, programme templates), starting another is refused
with a French message and nothing is written; publishing or deleting one makes room."""

import pytest
from django.urls import reverse

from reperes.fiches.models import FicheDraft
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import QuestionnaireDraft
from reperes.programmes.models import ProgrammeDraft

pytestmark = pytest.mark.django_db

LIMIT = 2


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr("reperes.lib.actions.PENDING_DRAFTS_LIMIT", LIMIT)


def refused(response):
    page = response.content.decode()
    return response.status_code == 200 and f"déjà {LIMIT} brouillons en cours" in page


def test_questionnaire_drafts_stop_at_the_limit(client_of, hugo, network):
    load_definitions(only=["qvt-numerique"])
    client = client_of(hugo)
    copy = reverse("instruments:copy", args=[network.slug, "qvt-numerique"])
    for _ in range(LIMIT):
        client.post(copy)
    assert QuestionnaireDraft.objects.filter(network=network).count() == LIMIT

    assert refused(client.post(copy, follow=True))
    assert QuestionnaireDraft.objects.filter(network=network).count() == LIMIT

    # Deleting one makes room again.
    draft = QuestionnaireDraft.objects.filter(network=network).first()
    client.post(reverse("instruments:delete", args=[network.slug, draft.pk]))
    client.post(copy)
    assert QuestionnaireDraft.objects.filter(network=network).count() == LIMIT


def test_fiche_drafts_stop_at_the_limit(client_of, hugo, network):
    client = client_of(hugo)
    create = reverse("fiches:draft_create", args=[network.slug])
    for n in range(LIMIT):
        client.post(create, {"title": f"Fiche {n}"})
    assert FicheDraft.objects.filter(network=network).count() == LIMIT

    assert refused(client.post(create, {"title": "Une de trop"}, follow=True))
    assert FicheDraft.objects.filter(network=network).count() == LIMIT


def test_programme_template_drafts_stop_at_the_limit(client_of, hugo, network):
    client = client_of(hugo)
    create = reverse("programmes:template_create", args=[network.slug])
    for n in range(LIMIT):
        client.post(create, {"title": f"Parcours {n}", "aim": "Avancer ensemble.", "audience": "Tous"})
    assert ProgrammeDraft.objects.filter(network=network).count() == LIMIT

    assert refused(client.post(create, {"title": "Un de trop", "aim": "Avancer.", "audience": "Tous"}))
    assert ProgrammeDraft.objects.filter(network=network).count() == LIMIT

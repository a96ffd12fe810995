import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import page_text


@pytest.mark.django_db
def test_404_page_is_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in page_text(response)
    assert '<html lang="fr">' in page_text(response)


@pytest.mark.django_db
def test_csrf_failure_page_is_french(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("organisations:create"), {"name": "x"})
    assert response.status_code == 403
    assert "Formulaire expiré" in page_text(response)


def test_500_page_renders_without_database(rf):
    from reperes.lib.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur du serveur" in page_text(response)


@pytest.mark.parametrize(
    ("name", "title"), [("bad_request", "Requête invalide"), ("permission_denied", "Accès refusé")]
)
def test_other_error_pages(rf, name, title):
    from reperes.lib import errors

    response = getattr(errors, name)(rf.get("/"))
    assert title in page_text(response)


@pytest.mark.django_db
def test_oversized_form_is_refused_cleanly(client, alice, settings):
    client.force_login(alice)
    response = client.post(
        reverse("organisations:create"), {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    )
    assert response.status_code == 400
    assert "Requête invalide" in page_text(response)

"""When the database fails under a respondent (PostgreSQL restarting, a full disk): a French page
that says what was kept, a 503 with Retry-After, and nothing lost of what was saved before.

The real faults (PostgreSQL restarted under load, SQLite's `PRAGMA max_page_count`) are played
by `make faults` (bench/loadtest.py); here the database's errors are raised where the answers are
written, as the drivers raise them.
"""

import sqlite3
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from reperes.campaigns.models import Draft, Response
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

UNREACHABLE = [
    OperationalError("server closed the connection unexpectedly"),
    psycopg.OperationalError("connection failed: Connection refused"),
    psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
]
DISK_FULL = [
    OperationalError("database or disk is full"),
    sqlite3.OperationalError("database or disk is full"),
    psycopg.errors.DiskFull("could not extend file: No space left on device"),
]


@pytest.fixture
def campaign(org_a):
    return CampaignFactory(organisation=org_a)


@pytest.fixture
def respondent(campaign):
    """A browser that started answering and saved the first theme."""
    client = Client(raise_request_exception=False)
    client.post(reverse("answer:start", args=[campaign.share_id]))
    client.post(reverse("answer:group", args=[campaign.share_id]), {"group": "aucun"})
    first = campaign.spec.themes[0]
    client.post(
        reverse("answer:theme", args=[campaign.share_id, 1]), {item["id"]: "oui" for item in first["items"]}
    )
    return client


def post_second_theme(client, campaign):
    second = campaign.spec.themes[1]
    return client.post(
        reverse("answer:theme", args=[campaign.share_id, 2]), {item["id"]: "non" for item in second["items"]}
    )


def saved_answers():
    return Draft.objects.get().answers


@pytest.mark.parametrize("error", UNREACHABLE, ids=lambda error: type(error).__name__)
def test_an_unreachable_database_gives_a_french_503_and_keeps_what_was_saved(respondent, campaign, error):
    before = saved_answers()
    with mock.patch("reperes.campaigns.actions.save_answers", side_effect=error):
        response = post_second_theme(respondent, campaign)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = page_text(response)
    assert '<html lang="fr">' in text
    assert "Service momentanément indisponible" in text
    assert "Ce que vous aviez enregistré avant est conservé" in text
    assert "Dans une minute, revenez à la page précédente" in text
    assert error.args[0] not in text  # nothing of the error itself
    assert saved_answers() == before

    # The database back, the same page sent again goes through.
    response = post_second_theme(respondent, campaign)
    assert response.status_code == 302
    assert set(saved_answers()) == set(
        campaign.spec.item_ids[: len(before) + len(campaign.spec.themes[1]["items"])]
    )


@pytest.mark.parametrize(
    "error", DISK_FULL, ids=lambda error: f"{type(error).__module__}.{type(error).__name__}"
)
def test_a_full_disk_says_so_in_french_and_loses_nothing(respondent, campaign, error):
    before = saved_answers()
    with mock.patch("reperes.campaigns.actions.save_answers", side_effect=error):
        response = post_second_theme(respondent, campaign)
    assert response.status_code == 503
    text = page_text(response)
    assert "Le serveur manque de place pour enregistrer" in text
    assert "ce que vous venez d'envoyer ne l'a pas été" in text
    assert saved_answers() == before


def test_a_submission_cut_by_the_database_stores_nothing_and_can_be_sent_again(respondent, campaign):
    for number, theme in enumerate(campaign.spec.themes[1:], start=2):
        respondent.post(
            reverse("answer:theme", args=[campaign.share_id, number]),
            {item["id"]: "oui" for item in theme["items"]},
        )
    review = reverse("answer:review", args=[campaign.share_id])
    with mock.patch(
        "reperes.campaigns.models.Answer.objects.bulk_create",
        side_effect=OperationalError("database or disk is full"),
    ):
        response = respondent.post(review)
    assert response.status_code == 503
    # The transaction rolled back: no response without its answers, the draft still there.
    assert not Response.objects.exists()
    assert Draft.objects.count() == 1
    response = respondent.post(review)
    assert response["Location"] == reverse("answer:thanks", args=[campaign.share_id])
    assert Response.objects.get().answers.count() == len(campaign.spec.item_ids)
    assert not Draft.objects.exists()


def test_other_server_errors_keep_the_500_page(rf):
    from reperes.lib.errors import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur du serveur" in page_text(response)


def test_the_error_page_renders_even_when_the_session_cannot_be_read(alice, org_a):
    """Seen under `make faults`: PostgreSQL shutting down while a signed-in lead reads a page.
    The error page reads neither the session nor the user (no context processor)."""
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("the database system is shutting down"),
    ):
        response = client.get(f"/s/{org_a.slug}/")
    assert response.status_code == 503
    assert "Service momentanément indisponible" in page_text(response)

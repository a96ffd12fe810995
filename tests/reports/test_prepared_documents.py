"""Documents built by a task (reperes.reports.prepared): at once with the immediate backend,
through a waiting page that reloads itself with the database backend."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reperes.lib.pdf import MISSING_LIBRARIES, PdfUnavailable
from reperes.reports.actions import BUILD_FAILED, build_document, purge_documents, request_document
from reperes.reports.models import PreparedDocument
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def usage_file(organisation, fmt):
    return reverse("telework:usage_document_file", args=[organisation.slug, fmt])


@pytest.fixture
def queued(settings):
    settings.TASKS = DATABASE_TASKS


def run_queued_tasks():
    """What the worker does with each queued task (db_worker itself closes the test's database
    connection): call it with its stored arguments."""
    rows = list(DBTaskResult.objects.filter(status="READY"))
    for row in rows:
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    return rows


def test_immediate_backend_gives_the_file_at_once(client_of, alice, org_a):
    client = client_of(alice)
    docx = client.post(usage_file(org_a, "docx"))
    assert docx.status_code == 200
    assert docx["Content-Disposition"] == f'attachment; filename="charte-usage-{org_a.slug}.docx"'
    assert docx.content.startswith(b"PK")  # a DOCX is a zip, as before
    pdf = client.post(usage_file(org_a, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert PreparedDocument.objects.filter(status="ready").count() == 2


def test_a_get_of_a_download_address_shows_a_button_and_writes_nothing(client_of, alice, org_a):
    response = client_of(alice).get(usage_file(org_a, "pdf"))
    assert response.status_code == 200
    assert "Préparer le PDF" in page_text(response)
    assert not PreparedDocument.objects.exists()


def test_database_backend_waits_then_offers_the_download(client_of, alice, org_a, queued):
    client = client_of(alice)
    response = client.post(usage_file(org_a, "docx"))
    document = PreparedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:document", args=[org_a.slug, document.pk])
    waiting = client.get(response["Location"])
    assert waiting["Refresh"] == "3"
    text = page_text(waiting)
    assert 'role="status"' in text and "Votre document est en préparation" in text
    assert "Recharger la page" in text
    # Asked again while in preparation: the same document, no second task.
    assert client.post(usage_file(org_a, "docx"))["Location"] == response["Location"]
    assert PreparedDocument.objects.count() == 1

    (task,) = run_queued_tasks()
    assert task.task_path == "reperes.reports.actions.build_document"

    ready = client.get(response["Location"])
    assert "Refresh" not in ready
    assert "Votre document est prêt" in page_text(ready)
    file = client.get(reverse("reports:document_file", args=[org_a.slug, document.pk]))
    assert file["Content-Disposition"] == f'attachment; filename="charte-usage-{org_a.slug}.docx"'
    assert file.content.startswith(b"PK")


def test_the_file_address_of_a_document_in_preparation_leads_to_its_page(client_of, alice, org_a, queued):
    client = client_of(alice)
    client.post(usage_file(org_a, "pdf"))
    document = PreparedDocument.objects.get()
    response = client.get(reverse("reports:document_file", args=[org_a.slug, document.pk]))
    assert response["Location"] == document.get_absolute_url()


def test_the_task_run_twice_builds_once(alice, org_a, queued, monkeypatch):
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    calls = []
    import reperes.telework.usage_document as usage_document

    real = usage_document.as_docx
    monkeypatch.setattr(usage_document, "as_docx", lambda organisation: calls.append(1) or real(organisation))
    assert build_document.call(str(document.pk)) == "ready"
    assert build_document.call(str(document.pk)) == "ready"
    assert calls == [1]
    document.refresh_from_db()
    assert document.status == "ready" and bytes(document.content).startswith(b"PK")


def test_a_foreign_organisations_document_is_a_404(client_of, alice, dave, org_a, org_b):
    document = request_document(org_b, by=dave, kind="usage_charter", params={"fmt": "docx"})
    client = client_of(alice)
    for name in ("reports:document", "reports:document_file"):
        assert client.get(reverse(name, args=[org_a.slug, document.pk])).status_code == 404
        assert client.get(reverse(name, args=[org_b.slug, document.pk])).status_code == 404
    assert client.post(reverse("reports:document_retry", args=[org_a.slug, document.pk])).status_code == 404


def test_a_pilots_document_is_a_404_for_a_member(client_of, alice, bob, org_a):
    from reperes.charters.actions import create_charter
    from reperes.charters.models import Instrument

    charter = create_charter(org_a, by=alice, instrument=Instrument.RATIFIED, title="Télétravail")
    document = request_document(org_a, by=alice, kind="ratification_kit", params={"charter_id": charter.pk})
    assert document.status == "ready"
    url = reverse("reports:document_file", args=[org_a.slug, document.pk])
    assert client_of(alice).get(url).status_code == 200
    assert client_of(bob).get(url).status_code == 404


def test_an_expired_document_is_refused_and_purged(client_of, alice, org_a):
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    PreparedDocument.objects.filter(pk=document.pk).update(expires=timezone.now() - timedelta(minutes=1))
    client = client_of(alice)
    page = client.get(document.get_absolute_url())
    assert page.status_code == 410
    assert "Ce document a expiré" in page_text(page)
    file = client.get(reverse("reports:document_file", args=[org_a.slug, document.pk]))
    assert file["Location"] == document.get_absolute_url()
    # Asked again: a new document, built at once with the immediate backend.
    again = client.post(reverse("reports:document_retry", args=[org_a.slug, document.pk]))
    assert again.content.startswith(b"PK")
    assert purge_documents() == 1
    assert list(PreparedDocument.objects.values_list("status", flat=True)) == ["ready"]


def test_a_failing_builder_gives_the_failed_page_and_a_retry(client_of, alice, org_a, monkeypatch):
    import reperes.telework.usage_document as usage_document

    def no_pdf(html):
        raise PdfUnavailable(MISSING_LIBRARIES)

    monkeypatch.setattr(usage_document, "html_to_pdf", no_pdf)
    client = client_of(alice)
    response = client.post(usage_file(org_a, "pdf"), follow=True)
    text = page_text(response)
    assert "Le document n'a pas pu être préparé" in text
    assert "apt-get install libpango" in text
    assert "Réessayer" in text
    document = PreparedDocument.objects.get()
    assert document.status == "failed"

    def broken(html):
        raise RuntimeError("boom")

    monkeypatch.setattr(usage_document, "html_to_pdf", broken)
    retried = client.post(reverse("reports:document_retry", args=[org_a.slug, document.pk]), follow=True)
    assert BUILD_FAILED.split(".")[0] in page_text(retried)
    monkeypatch.undo()
    fixed = client.post(reverse("reports:document_retry", args=[org_a.slug, document.pk]))
    assert fixed.content.startswith(b"%PDF-")


def test_the_waiting_page_makes_a_bounded_number_of_queries(
    client_of, alice, org_a, queued, django_assert_max_num_queries
):
    client = client_of(alice)
    location = client.post(usage_file(org_a, "pdf"))["Location"]
    with django_assert_max_num_queries(8):
        assert client.get(location).status_code == 200

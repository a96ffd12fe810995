import io

import pytest
from django.urls import reverse
from docx import Document

from reperes.telework.models import Tool, UsageCharter
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def url(org):
    return reverse("telework:usage_rules", args=[org.slug])


def tool(**overrides):
    return {
        "outil-name": "Messagerie",
        "outil-purpose": "exchange",
        "outil-reply_delay": "day",
        "outil-hours_from": "08:30",
        "outil-hours_to": "18:30",
        "outil-urgent_channel": "le téléphone",
        **overrides,
    }


def rules(**overrides):
    return {
        "charte-disconnect_from": "19:00",
        "charte-disconnect_to": "07:30",
        "charte-weekend": "on",
        "charte-importance_levels": "URGENT seulement si cela ne peut attendre le lendemain.",
        "charte-quiet_slots": "Le mardi matin, sans réunion.",
        "charte-overconnection_alert": "",
        "charte-awareness_actions": "Un atelier par an sur la messagerie.",
        **overrides,
    }


def test_tools_and_rules_make_a_charter_page_pdf_and_editable_docx(client, alice, org_a):
    client.force_login(alice)
    assert client.post(url(org_a), tool())["Location"] == url(org_a)
    assert client.post(url(org_a), rules())["Location"] == url(org_a)
    page = page_text(client.get(reverse("telework:usage_document", args=[org_a.slug])))
    assert "Nos outils pour échanger" in page
    assert "entre 19 h et 7 h 30" in page
    assert "ne constitue pas un conseil juridique" in page
    assert "relèvent des bonnes pratiques" in page  # no union section: good practice, not a duty
    docx = client.post(reverse("telework:usage_document_file", args=[org_a.slug, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Le droit à la déconnexion" in text and "Un atelier par an" in text
    pdf = client.post(reverse("telework:usage_document_file", args=[org_a.slug, "pdf"]))
    assert pdf.content.startswith(b"%PDF-")


def test_union_section_makes_the_negotiation_a_duty(client, alice, org_a):
    org_a.has_union_delegate = True
    org_a.save()
    client.force_login(alice)
    page = page_text(client.get(reverse("telework:usage_document", args=[org_a.slug])))
    assert "Votre structure a une section syndicale" in page


def test_contact_hours_ending_before_they_start_are_refused(client, alice, org_a):
    client.force_login(alice)
    response = client.post(url(org_a), tool(**{"outil-hours_from": "18:00", "outil-hours_to": "09:00"}))
    assert response.status_code == 400
    assert "L'heure de fin doit venir après l'heure de début" in page_text(response)
    assert not Tool.objects.exists()


def test_disconnection_needs_both_ends(client, alice, org_a):
    client.force_login(alice)
    response = client.post(url(org_a), rules(**{"charte-disconnect_to": ""}))
    assert "Indiquez le début et la fin" in page_text(response)
    # Nothing is saved: the page no longer creates the rules by being shown (views read).
    assert not UsageCharter.objects.filter(disconnect_from__isnull=False).exists()


def test_member_reads_but_does_not_edit_and_foreign_docx_is_a_404(client, bob, dave, org_a, org_b):
    client.force_login(bob)
    assert client.get(url(org_a)).status_code == 200
    assert client.post(url(org_a), tool()).status_code == 404
    client.force_login(dave)
    assert client.get(reverse("telework:usage_document_file", args=[org_a.slug, "docx"])).status_code == 404
    assert client.get(reverse("telework:usage_document_file", args=[org_b.slug, "odt"])).status_code == 404

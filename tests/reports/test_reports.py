import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from reperes.action_plans.models import Action
from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign
from reperes.lib.spreadsheet import safe_cell, to_csv, to_xlsx
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

THEMES = [
    "Conduite d'un projet de transformation",
    "Gestion de l'information à l'ère du numérique",
    "Organisation du temps de travail",
    "Organisation des espaces de travail",
    "Évolution des métiers et des compétences",
    "Évolution des pratiques managériales",
]


@pytest.fixture
def closed_campaign(org_a):
    campaign = CampaignFactory(organisation=org_a, groups=[])
    for _ in range(5):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
        campaign_actions.submit(draft)
    Campaign.objects.filter(pk=campaign.pk).update(state="closed", closed_on=timezone.localdate())
    campaign.refresh_from_db()
    return campaign


@pytest.mark.django_db
def test_pdf_report_holds_the_organisation_the_themes_and_the_actions_and_renders(
    client, bob, org_a, closed_campaign, tmp_path
):
    Action.objects.create(organisation=org_a, title="=HYPERLIEN(danger)", status="in_progress")
    Action.objects.create(organisation=org_a, title="Réunion mensuelle sur la charge", status="done")
    client.force_login(bob)
    response = client.post(reverse("reports:report_pdf", args=[org_a.slug, closed_campaign.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Les Jardins du Lien" in flat
    for theme in THEMES:
        assert theme in flat
    assert "Réunion mensuelle sur la charge" in flat
    assert shutil.which("pdftoppm")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True
    )
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-1.png", "page-2.png"]


@pytest.mark.django_db
def test_exports_below_the_threshold_are_refused_with_the_reason(client, bob, org_a):
    campaign = CampaignFactory(organisation=org_a)
    Campaign.objects.filter(pk=campaign.pk).update(state="closed", closed_on=timezone.localdate())
    client.force_login(bob)
    for url in (
        reverse("reports:report_pdf", args=[org_a.slug, campaign.pk]),
        reverse("reports:results_export", args=[org_a.slug, campaign.pk, "xlsx"]),
        reverse("reports:results_export", args=[org_a.slug, campaign.pk, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 409
        assert "moins que les 5 qui protègent l'anonymat" in page_text(response)


@pytest.mark.django_db
def test_results_exports_are_aggregated_and_open_in_a_spreadsheet(client, bob, org_a, closed_campaign):
    client.force_login(bob)
    xlsx = client.get(reverse("reports:results_export", args=[org_a.slug, closed_campaign.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Thème", "Score du thème (0-5)", "Affirmation")
    # header + 30 statements, never one row per person; then a blank row and where the responses
    # came from (four channel counts: link, invitation, paper, unattested paper).
    assert len(rows) == 31 + 1 + 4
    assert rows[32][:2] == ("Réponses par le lien partagé", 5)
    assert rows[1][3:] == (100, 0, 0, 5)
    csv = client.get(reverse("reports:results_export", args=[org_a.slug, closed_campaign.pk, "csv"]))
    assert csv.content.decode("utf-8").startswith("\ufeffThème;")


@pytest.mark.django_db
def test_unknown_export_format_is_a_404(client, bob, org_a, closed_campaign):
    client.force_login(bob)
    assert (
        client.get(
            reverse("reports:results_export", args=[org_a.slug, closed_campaign.pk, "pdf"])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_action_plan_export_neutralises_formulas(client, bob, org_a):
    Action.objects.create(organisation=org_a, title="=1+1", indicator="@SOMME(A1)", owner_name="-2+3")
    client.force_login(bob)
    response = client.get(reverse("reports:actions_export", args=[org_a.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[0] == "'=1+1" and row[2] == "'-2+3" and row[5] == "'@SOMME(A1)"
    for cell in next(sheet.iter_rows(min_row=2)):
        assert cell.data_type != "f"


@given(st.text())
@hypothesis_settings(max_examples=200, deadline=None)
def test_no_text_ever_becomes_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert all(ord(ch) >= 32 or ch in "\t\r\n" for ch in cell)
    line = to_csv(["x"], [[text]]).split("\r\n", 1)[1]
    assert not line.lstrip('"').startswith(("=", "+", "-", "@"))


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
@hypothesis_settings(max_examples=30, deadline=None)
def test_xlsx_cells_are_never_formulas(values):
    workbook = load_workbook(io.BytesIO(to_xlsx([("Feuille", ["a"] * len(values), [values])])))
    for cell in workbook.active[2]:
        assert cell.data_type != "f"

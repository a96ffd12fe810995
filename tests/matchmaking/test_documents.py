"""The lending agreement and the contract amendment: built from the case, blanks where it says
nothing yet, references and the « non relu » notice, and they open in LibreOffice."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from reperes.matchmaking import actions
from reperes.matchmaking.models import Case

pytestmark = pytest.mark.django_db


def docx_text(content):
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def download(client, case, kind):
    response = client.get(reverse("matchmaking:document", args=[case.network.slug, case.pk, kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    return response


def test_the_agreement_leaves_the_employee_blank_until_named(at_step, client_of, mia):
    case = at_step(Case.Step.LEGAL)
    response = download(client_of(mia), case, "convention")
    assert response["Content-Disposition"] == 'attachment; filename="convention-mise-a-disposition.docx"'
    text = docx_text(response.content)
    assert (
        "Entre Bois & Compagnie, structure prêteuse, et Les Jardins du Lien, structure utilisatrice" in text
    )
    assert "Nom et prénom : ______. Qualification : ______." in text
    assert "salaire versé (2 400,00 €)" in text and "soit 3 550,00 € au plus" in text
    assert "Code du travail, article L8241-2 — version du 01/01/2018" in text
    assert "Rédaction non relue par un·e juriste." in text
    assert "ne constitue pas un conseil juridique" in text

    actions.tick_item(case, item_id="employee-agreement", done=True, by=mia)
    actions.set_employee(case, name="Camille Martin", qualification="Menuisière", by=mia)
    text = docx_text(download(client_of(mia), case, "avenant").content)
    assert "Entre Bois & Compagnie, employeur, et Camille Martin (Menuisière)" in text
    assert "Horaires : Mardi et jeudi, 9 h – 17 h" in text
    assert "pas de période probatoire" in text


def test_a_trial_period_is_written_when_an_essential_element_changes(at_step, client_of, mia):
    case = at_step(Case.Step.LEGAL, trial_period="quinze jours, le lieu de travail changeant")
    text = docx_text(download(client_of(mia), case, "avenant").content)
    assert "Une période probatoire est prévue : quinze jours, le lieu de travail changeant." in text


def test_documents_round_trip_through_libreoffice(at_step, client_of, mia, tmp_path):
    """Both documents open in LibreOffice (headless) and their PDF holds the text."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice manque : lancez scripts/system-deps.sh (paquet libreoffice-writer-nogui)"
    case = at_step(Case.Step.LEGAL)
    client = client_of(mia)
    sources = []
    for kind in ("convention", "avenant"):
        source = tmp_path / f"{kind}.docx"
        source.write_bytes(download(client, case, kind).content)
        sources.append(str(source))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for kind, expected in (("convention", "Facturation au coût"), ("avenant", "Période probatoire")):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / f"{kind}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        flat = " ".join(text.split())
        assert "Bois & Compagnie" in flat and expected in flat
        assert "Références juridiques citées" in flat
        assert "ne constitue pas un conseil juridique" in flat

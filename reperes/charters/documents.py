"""The telework charter as files: an editable DOCX (python-docx) of the document dict that
rules.document builds, and the ratification kit for the two-thirds approval route. The PDF is
the print template rendered by WeasyPrint (views)."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from reperes.charters import rules
from reperes.charters.models import Instrument, TeleworkCharter
from reperes.lib.docx import add_bullets, add_text, new_document, to_bytes
from reperes.lib.http import DOCX, PDF
from reperes.lib.pdf import html_to_pdf
from reperes.reports.prepared import DocumentUnavailable


def _references(document, content):
    document.add_heading("Références juridiques citées", level=1)
    add_bullets(
        document,
        [
            f"{reference['label']} — version du "
            f"{datetime.date.fromisoformat(reference['version_date']):%d/%m/%Y} — {reference['url']}"
            for reference in content["references"]
        ],
    )
    document.add_paragraph(content["notice"])


def charter_docx(content):
    document = new_document(f"{content['title']} — {content['organisation']}")
    document.add_heading(content["title"], level=0)
    document.add_paragraph(
        f"{content['organisation']} · {content['instrument']} · {content['status']} · version {content['version']}"
    )
    if content["missing"]:
        document.add_paragraph(
            "À compléter avant adoption — points obligatoires manquants : "
            + " ; ".join(content["missing"])
            + "."
        )
    for number, section in enumerate(content["sections"], start=1):
        document.add_heading(f"Article {number} — {section['label']}", level=1)
        for clause in section["clauses"]:
            if len(section["clauses"]) > 1:
                document.add_heading(clause["title"], level=2)
            add_text(document, clause["text"])
            if not clause["reviewed"]:
                document.add_paragraph("Rédaction non relue par un·e juriste.").runs[0].italic = True
    _references(document, content)
    return to_bytes(document)


def ratification_kit_docx(content, *, communicated_on, headcount):
    """What the two-thirds approval route needs (L2232-21 to -23): the calendar, how the vote is
    held, a ballot and a record of the result. The platform does not hold this vote."""
    document = new_document(f"Approbation du projet d'accord — {content['organisation']}")
    document.add_heading(f"Approbation par le personnel du projet d'accord « {content['title']} »", level=0)
    document.add_paragraph(
        "Ce kit accompagne la consultation prévue par les articles L2232-21 à L2232-23 du Code du travail. "
        "Il ne remplace pas un conseil juridique."
    )
    document.add_heading("1. Calendrier", level=1)
    if communicated_on:
        earliest = communicated_on + datetime.timedelta(days=rules.RATIFICATION_DELAY_DAYS)
        document.add_paragraph(f"Projet communiqué à chaque salarié·e le : {communicated_on:%d/%m/%Y}.")
        document.add_paragraph(
            f"Consultation possible à partir du : {earliest:%d/%m/%Y} (15 jours au moins après)."
        )
    else:
        document.add_paragraph(
            "Projet communiqué à chaque salarié·e le : ____ / ____ / ________ . La consultation a lieu au moins "
            "15 jours après cette date."
        )
    document.add_paragraph("Date, heure et lieu de la consultation : ______________________________________")
    document.add_heading("2. Comment se tient la consultation", level=1)
    add_bullets(
        document,
        [
            "L'employeur communique le projet à chaque salarié·e, avec les modalités de la consultation.",
            "Le vote est personnel et secret ; il a lieu pendant le temps de travail, hors de la présence de "
            "l'employeur ou de ses représentant·es.",
            f"Tout le personnel vote, y compris les absent·es, qui doivent pouvoir le faire ; effectif pris en compte : "
            f"{headcount} salarié·es.",
            f"Le projet est approuvé s'il recueille au moins les deux tiers de tout le personnel, soit "
            f"{-(-2 * headcount // 3)} voix « oui » sur {headcount}.",
            "Le résultat est consigné dans un procès-verbal, annexé à l'accord et déposé comme un accord d'entreprise.",
        ],
    )
    document.add_heading("3. Bulletin de vote (à découper)", level=1)
    for _ in range(2):
        document.add_paragraph(f"Approuvez-vous le projet d'accord « {content['title']} » ?")
        document.add_paragraph("☐ OUI        ☐ NON")
        document.add_paragraph("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -")
    document.add_heading("4. Procès-verbal de la consultation", level=1)
    for line in [
        f"Structure : {content['organisation']}",
        "Date de la consultation : ____ / ____ / ________",
        f"Effectif de la structure : {headcount}",
        "Nombre de votant·es : ______   Bulletins « oui » : ______   « non » : ______   blancs ou nuls : ______",
        "Résultat : ☐ approuvé (deux tiers du personnel au moins)   ☐ non approuvé",
        "Signatures des salarié·es ayant organisé le dépouillement :",
    ]:
        document.add_paragraph(line)
    document.add_page_break()
    document.add_heading("Annexe — le projet d'accord", level=1)
    for number, section in enumerate(content["sections"], start=1):
        document.add_heading(f"Article {number} — {section['label']}", level=2)
        for clause in section["clauses"]:
            add_text(document, clause["text"])
    _references(document, content)
    return to_bytes(document)


# The prepared documents of the charter builder (registered in apps.py, built by a task).


def _charter_for_document(organisation, params):
    charter = TeleworkCharter.objects.filter(organisation=organisation, pk=params["charter_id"]).first()
    if charter is None:
        raise DocumentUnavailable("Ce texte n'existe plus : il a été supprimé depuis la demande.")
    return charter


def build_charter_text(organisation, params):
    charter = _charter_for_document(organisation, params)
    content = rules.document(charter)
    filename = f"teletravail-{organisation.slug}-v{charter.version}"
    if params["fmt"] == "docx":
        return f"{filename}.docx", DOCX, charter_docx(content)
    html = render_to_string("charters/print.html", {"content": content, "today": timezone.localdate()})
    return f"{filename}.pdf", PDF, html_to_pdf(html)


def build_ratification_kit(organisation, params):
    charter = _charter_for_document(organisation, params)
    if charter.instrument != Instrument.RATIFIED:
        raise DocumentUnavailable("Ce kit ne concerne que le projet d'accord soumis au personnel.")
    content = rules.document(charter)
    kit = ratification_kit_docx(
        content, communicated_on=charter.communicated_on, headcount=organisation.headcount
    )
    return f"approbation-accord-{organisation.slug}.docx", DOCX, kit

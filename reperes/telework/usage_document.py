"""The usage and disconnection charter as one structured document, rendered as a page, a PDF
(WeasyPrint) and an editable DOCX (python-docx) from the same sections."""

from django.template.loader import render_to_string
from django.utils import timezone

from reperes.legal.references import NOT_LEGAL_ADVICE, cited
from reperes.lib.docx import add_table, new_document, to_bytes
from reperes.lib.http import DOCX, PDF
from reperes.lib.pdf import html_to_pdf
from reperes.telework.models import Purpose


def _time(value):
    """« 19 h », « 7 h 30 », as French writes hours."""
    if not value:
        return ""
    return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")


def sections(organisation):
    """[(title, [paragraphs], table or None)] where a table is (header, rows)."""
    charter = getattr(organisation, "usage_charter", None)
    tools = list(organisation.tools.all())
    result = []
    if organisation.has_union_delegate:
        legal = (
            "Votre structure a une section syndicale : la négociation annuelle sur la qualité de vie au travail "
            "porte aussi sur le droit à la déconnexion (article L2242-17, 7° du Code du travail), et les actions "
            "de sensibilisation et de formation font partie de ce que la charte doit prévoir à défaut d'accord."
        )
    else:
        legal = (
            "Sans section syndicale, la négociation sur le droit à la déconnexion (article L2242-17, 7° du Code du "
            "travail) ne s'impose pas à votre structure : cette charte et ses actions de sensibilisation relèvent "
            "des bonnes pratiques, en cohérence avec l'accord de la branche ESS du 6 octobre 2021 sur les outils "
            "numériques."
        )
    result.append(
        (
            "Pourquoi cette charte",
            [
                f"{organisation.name} se donne des règles communes pour que les outils numériques aident le travail "
                "sans envahir les temps de repos.",
                legal,
            ],
            None,
        )
    )
    for purpose in Purpose:
        rows = [
            [
                tool.name,
                tool.get_reply_delay_display(),
                f"de {_time(tool.hours_from)} à {_time(tool.hours_to)}" if tool.hours_from else "—",
                tool.urgent_channel or "—",
            ]
            for tool in tools
            if tool.purpose == purpose
        ]
        if rows:
            result.append(
                (
                    f"Nos outils pour {purpose.label.lower()}",
                    [],
                    (["Outil", "Réponse attendue", "Horaires", "En cas d'urgence"], rows),
                )
            )
    if charter:
        if charter.disconnect_from:
            weekend = " Il en va de même le week-end." if charter.weekend else ""
            result.append(
                (
                    "Le droit à la déconnexion",
                    [
                        f"Personne n'est sollicité ni n'attend de réponse entre {_time(charter.disconnect_from)} et "
                        f"{_time(charter.disconnect_to)}.{weekend} Un message envoyé pendant cette période n'appelle "
                        "pas de réponse avant la reprise."
                    ],
                    None,
                )
            )
        for title, text in [
            ("Les niveaux d'importance des messages", charter.importance_levels),
            ("Les plages sans réunion ni téléphone", charter.quiet_slots),
            ("Si quelqu'un est trop connecté", charter.overconnection_alert),
            ("Sensibilisation et formation", charter.awareness_actions),
        ]:
            if text.strip():
                result.append((title, [line for line in text.splitlines() if line.strip()], None))
    result.append(
        (
            "Références",
            [
                f"{reference.label}, version du {reference.version_date:%d/%m/%Y} : {reference.url}"
                for reference in cited(["l2242-17", "accord-ess-2021-numerique"])
            ]
            + [NOT_LEGAL_ADVICE],
            None,
        )
    )
    return result


def as_docx(organisation):
    document = new_document(f"Charte d'usage des outils numériques — {organisation.name}")
    document.add_heading(
        f"Charte d'usage des outils numériques et de déconnexion — {organisation.name}", level=0
    )
    document.add_paragraph(f"Version du {timezone.localdate():%d/%m/%Y}")
    for title, paragraphs, table in sections(organisation):
        document.add_heading(title, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        if table:
            add_table(document, *table)
    return to_bytes(document)


def document_context(organisation):
    """What the page and the printed charter show."""
    return {
        "organisation": organisation,
        "sections": sections(organisation),
        "notice": NOT_LEGAL_ADVICE,
        "today": timezone.localdate(),
    }


def build_usage_charter(organisation, params):
    """The usage and disconnection charter as DOCX or PDF (a prepared document, registered in
    apps.py and built by a task)."""
    filename = f"charte-usage-{organisation.slug}"
    if params["fmt"] == "docx":
        return f"{filename}.docx", DOCX, as_docx(organisation)
    html = render_to_string("telework/usage_document_print.html", document_context(organisation))
    return f"{filename}.pdf", PDF, html_to_pdf(html)

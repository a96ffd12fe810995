"""The lending agreement and the contract amendment of a staff-lending case, as editable DOCX
files built from the case and the wording of content/legal.yaml. Blanks (« ______ ») stand for
what the case does not say yet; the employee's name is one of them until they agreed in
writing. Each document ends with the references it cites and the notice that it is no legal
advice; unreviewed wording says « non relu par un juriste »."""

from django.utils import timezone

from reperes.legal.references import NOT_LEGAL_ADVICE, cited
from reperes.lib.docx import add_bullets, add_text, new_document, to_bytes
from reperes.matchmaking.legal import get_legal
from reperes.matchmaking.models import Case, euros

BLANK = "______"
# The URL word of each document, and its wording in content/legal.yaml.
KINDS = {"convention": "lending_agreement", "avenant": "amendment"}
FILENAMES = {"convention": "convention-mise-a-disposition", "avenant": "avenant-contrat"}


def _date(day):
    return f"{day:%d/%m/%Y}" if day else BLANK


def placeholders(case):
    """What the wording may say about `case`, every unknown value a blank."""
    volume = case.planned_volume_label or BLANK
    return {
        "lender": str(case.lender) if case.lender else BLANK,
        "user": str(case.user) if case.user else BLANK,
        "employee_name": case.employee_name or BLANK,
        "employee_qualification": case.employee_qualification or BLANK,
        "what": case.shared_what or case.title,
        "starts_on": _date(case.starts_on),
        "ends_on": _date(case.ends_on),
        "volume": volume,
        "duties": case.duties or BLANK,
        "hours": case.hours or BLANK,
        "place": case.place or BLANK,
        "post_features": case.post_features or "aucune",
        "salary": euros(case.salary) or BLANK,
        "charges": euros(case.charges) or BLANK,
        "expenses": euros(case.expenses) or BLANK,
        "cost": euros(case.cost) or BLANK,
        "invoiced": euros(case.invoiced) or BLANK,
        "trial_period": (
            f"Une période probatoire est prévue : {case.trial_period}. Si elle n'est pas concluante, la "
            "personne retrouve son poste sans que ce soit un motif de sanction ou de licenciement."
            if case.trial_period
            else "Aucun élément essentiel du contrat ne change : pas de période probatoire."
        ),
    }


def document_available(case):
    return case.arrangement == Case.Arrangement.LENDING and case.personal_data_erased_on is None


def build(case, kind, *, today=None):
    """(filename, DOCX bytes) of the document `kind` (convention, avenant) of `case`."""
    wording = get_legal().documents[KINDS[kind]]
    values = placeholders(case)
    today = today or timezone.localdate()
    document = new_document(f"{wording.title} — {values['lender']} et {values['user']}")
    document.add_heading(wording.title, level=0)
    document.add_paragraph(
        f"Préparé avec Repères le {today:%d/%m/%Y} à partir du dossier « {case.title} ». "
        "Document modifiable : complétez les blancs et adaptez-le à votre situation."
    )
    for number, article in enumerate(wording.articles, start=1):
        document.add_heading(f"Article {number} — {article.title}", level=1)
        add_text(document, article.text.format_map(values))
        if not wording.reviewed:
            document.add_paragraph("Rédaction non relue par un·e juriste.").runs[0].italic = True
    document.add_heading("Références juridiques citées", level=1)
    add_bullets(
        document,
        [
            f"{reference.label} — version du {reference.version_date:%d/%m/%Y} — {reference.url}"
            for reference in cited(wording.legal)
        ],
    )
    document.add_paragraph(NOT_LEGAL_ADVICE)
    return f"{FILENAMES[kind]}.docx", to_bytes(document)

"""A release's tables as people read them: on the page, in CSV and XLSX files, and in the
printable key-figures report (PDF).

Pages and files start from the same `shown(table)`, so a file holds exactly what the page shows:
a hidden cell stays hidden, with the code and the sentence of its reason, never a figure.

Files are streamed so that memory stays flat whatever the size of a table: the CSV is written
line by line by a generator (StreamingHttpResponse), the XLSX by openpyxl's write-only workbook
into a temporary file that FileResponse sends in chunks.

The CSV's context (release, period, title, unit, definition, organisations) is in columns of
every line rather than in a few lines above the table: tools (a spreadsheet, pandas, R) read the
file as one table with its header on the first line, and a line keeps its context when lines
of several files or releases are filtered or put together. The repetition costs bytes, not
clarity. The XLSX has the same lines in « Données », the table laid out as on the page in
« Tableau », and the context once, in « À propos ».
"""

import csv
import hashlib
import tempfile
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import FileResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.text import slugify

from reperes.lib.http import XLSX, safe_filename
from reperes.lib.pdf import html_to_pdf
from reperes.lib.spreadsheet import safe_cell
from reperes.observatory import charts
from reperes.observatory.dimensions import DIMENSION_LABELS

HIDDEN_MARK = "s"  # « secret statistique », as national statistics print it
EMPTY_MARK = "—"
TOTAL_CODE = "ensemble"
TOTAL_LABEL = "Ensemble"

CSV_HEADER = [
    "publication",
    "date_publication",
    "periode_debut",
    "periode_fin",
    "structures_contributrices",
    "tableau",
    "titre",
    "unite",
    "definition",
    "ligne_code",
    "ligne",
    "colonne_code",
    "colonne",
    "valeur",
    "structures",
    "reponses",
    "masque_code",
    "masque_raison",
]
DATA_HEADER = CSV_HEADER[9:]


def shown(table):
    """The table as its page shows it: rows from ReleaseTable.grid() with a footnote number on
    every hidden cell (one note per reason, numbered in order of appearance), column totals,
    the grand total and the notes."""
    notes = {}

    def noted(cell):
        if cell is None:
            return None
        if not cell["shown"]:
            number = notes.setdefault(cell["reason"], (len(notes) + 1, cell["explanation"]))[0]
            return {**cell, "note": number}
        return {**cell, "note": None}

    rows = [
        {**row, "cells": [noted(cell) for cell in row["cells"]], "total": noted(row["total"])}
        for row in table.grid()
    ]
    column_totals = table.column_total_cells()
    column_totals = [noted(cell) for cell in column_totals] if column_totals else None
    total = noted(table.total_cell())
    return {
        "table": table,
        "row_heading": DIMENSION_LABELS.get(table.row_dimension, ""),
        "columns": table.columns,
        "rows": rows,
        "has_row_totals": any(row["total"] is not None for row in rows),
        "column_totals": column_totals,
        "total": total,
        "notes": [
            {"number": number, "reason": reason, "explanation": explanation}
            for reason, (number, explanation) in notes.items()
        ],
    }


def cell_lines(table):
    """One line per cell of the shown table, totals included:
    (row code, row label, column code, column label, value, organisations, responses,
    reason code, reason). A hidden cell has no value, organisations or responses."""
    view = shown(table)
    columns = view["columns"]

    def line(row_code, row_label, column_code, column_label, cell):
        hidden = not cell["shown"]
        return [
            row_code,
            row_label,
            column_code,
            column_label,
            None if hidden else cell["value"],
            None if hidden else cell["organisations"],
            None if hidden else cell["responses"],
            cell["reason"] if hidden else "",
            cell["explanation"] if hidden else "",
        ]

    for row in view["rows"]:
        for column, cell in zip(columns, row["cells"], strict=False):
            if cell is not None:
                yield line(row["code"], row["label"], column["code"], column["label"], cell)
        if row["total"] is not None:
            yield line(row["code"], row["label"], TOTAL_CODE, TOTAL_LABEL, row["total"])
    for column, cell in zip(columns, view["column_totals"] or [], strict=False):
        if cell is not None:
            yield line(TOTAL_CODE, TOTAL_LABEL, column["code"], column["label"], cell)
    if view["total"] is not None:
        yield line(TOTAL_CODE, TOTAL_LABEL, TOTAL_CODE, TOTAL_LABEL, view["total"])


def context_values(table):
    release = table.release
    return [
        release.number,
        release.published_on.isoformat(),
        release.period_start.isoformat(),
        release.period_end.isoformat(),
        release.organisations,
        table.key,
        table.title,
        table.unit,
        table.definition,
    ]


def filename(table, extension):
    return safe_filename(f"observatoire-{table.release.number}-{slugify(table.key)[:60]}.{extension}")


class _Echo:
    """csv.writer writes into this and gets the line back, so a generator can yield it."""

    def write(self, value):
        return value


def csv_lines(table):
    """The CSV file, line by line: a byte-order mark so that spreadsheets read the accents, the
    header, then one line per cell (see the module's docstring)."""
    writer = csv.writer(_Echo(), delimiter=";")
    context = context_values(table)
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for line in cell_lines(table):
        yield writer.writerow([safe_cell(value) for value in context + line])


def csv_response(table):
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(table, "csv")}"'
    return response


def about_lines(table):
    """The « À propos » of a table: what a reader needs to use its figures."""
    release = table.release
    view = shown(table)
    lines = [
        ("Tableau", table.title),
        ("Définition", table.definition),
        ("Unité", table.unit),
        ("Réseau", release.network.name),
        ("Publication", f"n° {release.number} ({release.get_kind_display().lower()})"),
        ("Date de publication", date_format(release.published_on, "j F Y")),
        (
            "Période couverte",
            f"du {date_format(release.period_start, 'j F Y')} au {date_format(release.period_end, 'j F Y')}",
        ),
        ("Structures contributrices", release.organisations),
        (
            "Chiffres masqués",
            f"« {HIDDEN_MARK} » : le chiffre n'est pas publié, pour qu'aucune structure ne puisse être "
            "reconnue ; la colonne masque_code de l'onglet « Données » dit pourquoi.",
        ),
    ]
    lines += [(f"Note {note['number']} ({note['reason']})", note["explanation"]) for note in view["notes"]]
    return lines


def _mark(cell):
    if cell is None:
        return None
    if not cell["shown"]:
        return f"{HIDDEN_MARK} ({cell['note']})"
    if cell["empty"] or cell["value"] is None:
        return EMPTY_MARK
    return cell["value"]


def write_xlsx(table, destination):
    """The XLSX workbook of `table`, written into the open binary file `destination`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def heading(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    view = shown(table)
    sheet = workbook.create_sheet("Tableau")
    sheet.append([safe_cell(table.title)])
    heading(
        sheet,
        [view["row_heading"]]
        + [column["label"] for column in view["columns"]]
        + ([TOTAL_LABEL] if view["has_row_totals"] else []),
    )
    for row in view["rows"]:
        sheet.append(
            [safe_cell(row["label"])]
            + [safe_cell(_mark(cell)) for cell in row["cells"]]
            + ([safe_cell(_mark(row["total"]))] if view["has_row_totals"] else [])
        )
    if view["column_totals"] or view["total"]:
        totals = view["column_totals"] or [None] * len(view["columns"])
        sheet.append(
            [TOTAL_LABEL]
            + [safe_cell(_mark(cell)) for cell in totals]
            + ([safe_cell(_mark(view["total"]))] if view["has_row_totals"] else [])
        )

    data = workbook.create_sheet("Données")
    heading(data, DATA_HEADER)
    for line in cell_lines(table):
        data.append([safe_cell(value) for value in line])

    about = workbook.create_sheet("À propos")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    for name, value in about_lines(table):
        about.append([safe_cell(name), safe_cell(value)])
    workbook.save(destination)


def xlsx_response(table):
    # A temporary file rather than memory: FileResponse reads it in chunks and closes it (the
    # file is deleted on closing).
    destination = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse
    write_xlsx(table, destination)
    destination.seek(0)
    return FileResponse(destination, as_attachment=True, filename=filename(table, "xlsx"), content_type=XLSX)


# Key figures


FIGURE_GROUPS = {
    "participation": "Participation",
    "qvt": "Qualité de vie au travail",
    "determinants": "Qualité de vie au travail, par déterminant",
    "maturity": "Maturité numérique",
    "change": "Évolution entre deux diagnostics",
    "actions": "Plans d'action",
    "charters": "Chartes de télétravail",
    "requests": "Demandes d'accompagnement",
    "cases": "Mises en lien entre structures",
}


def figure_group(figure):
    if figure.startswith("instrument:"):
        return "Autres questionnaires"
    return FIGURE_GROUPS.get(figure, "Autres chiffres")


def grouped(tables):
    """The tables under their figure's heading, in the order of their positions."""
    groups = {}
    for table in tables:
        groups.setdefault(figure_group(table.figure), []).append(table)
    return list(groups.items())


def _measure(table, *words):
    """The national cell of the measure whose code or label contains one of `words`."""
    if table.column_dimension == "measure":
        totals = table.column_total_cells() or []
        for column, cell in zip(table.columns, totals, strict=False):
            text = f"{column['code']} {column['label']}".lower()
            if cell is not None and any(word in text for word in words):
                return cell
    if table.row_dimension == "measure":
        for row in table.grid():
            text = f"{row['code']} {row['label']}".lower()
            if any(word in text for word in words) and row["cells"]:
                return row["total"] or row["cells"][0]
    return None


def key_figures(release, tables):
    """The release's key figures: contributing organisations, campaigns and responses (from the
    participation table's national totals), and the mean score of each QVT theme (the national
    column of the QVT table by theme). Missing figures are None; hidden ones keep their reason."""
    participation = next((t for t in tables if t.figure == "participation"), None)
    themes = []
    qvt = next(
        (t for t in tables if t.figure == "qvt" and "theme" in (t.row_dimension, t.column_dimension)), None
    )
    if qvt is not None and qvt.row_dimension == "theme":
        themes = [
            (row["label"], row["total"] or (row["cells"][0] if row["cells"] else None)) for row in qvt.grid()
        ]
    elif qvt is not None:
        totals = qvt.column_total_cells() or []
        themes = [(column["label"], cell) for column, cell in zip(qvt.columns, totals, strict=False)]
    return {
        "organisations": release.organisations,
        "campaigns": _measure(participation, "campa", "diagnostic") if participation else None,
        "responses": _measure(participation, "respon", "réponse") if participation else None,
        "themes": themes,
        "qvt_table": qvt,
    }


def main_region_table(tables):
    """The table the key-figures report maps: the first whose rows are the regions."""
    return next((t for t in tables if t.row_dimension == "region"), None)


def chart_column(table, code=None):
    """The column a chart draws: `code` when the table has it, else the first."""
    for index, column in enumerate(table.columns):
        if column["code"] == code:
            return index
    return 0


def column_cells(view, index):
    """[(row label, cell)] of column `index` of a shown table."""
    return [
        (row["label"], row["cells"][index] if index < len(row["cells"]) else None) for row in view["rows"]
    ]


def region_map(view, index, *, unit):
    """The tile-grid map of column `index` of a shown table whose rows are regions."""
    cells = {row["code"]: row["cells"][index] if index < len(row["cells"]) else None for row in view["rows"]}
    return charts.tile_map(cells, unit=unit)


def key_figures_pdf(release, tables):
    """The printable key-figures report of a release: key figures, the main region table and
    its map. A release never changes, and its report is the same for every reader: it is made
    once and kept in the `fragments` cache (keyed on the templates too), so that asking for it
    again costs no PDF rendering. `tables` is called only when the report has to be made."""
    store = caches["fragments"]
    release_key = f"{release.pk}:{release.number}:{release.published_on:%Y%m%d}"
    key = f"key-figures-pdf:{release_key}:{_pdf_templates_version()}"
    pdf = store.get(key)
    if pdf is None:
        pdf = _render_key_figures_pdf(release, tables())
        store.set(key, pdf, PDF_TIMEOUT)
    return pdf


PDF_TIMEOUT = 30 * 24 * 3600


@cache
def _pdf_templates_version():
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder, "observatory", "pdf").glob("*")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _render_key_figures_pdf(release, tables):
    region_table = main_region_table(tables)
    context = {"release": release, "network": release.network, "figures": key_figures(release, tables)}
    if region_table is not None:
        view = shown(region_table)
        context.update(
            region=view,
            region_map=region_map(view, 0, unit=region_table.unit),
            region_column=region_table.columns[0]["label"] if region_table.columns else "",
        )
    return html_to_pdf(render_to_string("observatory/pdf/key_figures.html", context))

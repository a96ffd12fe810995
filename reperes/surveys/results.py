"""What a survey's pages show: response rates by segment, and the answers by segment under the
disclosure rules of reperes.observatory (one answer per organisation: at least 5 organisations
per figure, never all the same answer, secondary suppression).

Results exist only once the survey is closed: while it is open, a figure that moves each time
an organisation answers would tell what that organisation answered. Segments are those of the
day the survey opened (Recipient rows), so a closed survey's figures never change.

Segments with fewer organisations than the rule's minimum are gathered into one line
(« Autres … regroupées ») before protection, so that a reader learns something about small
regions or sectors without any of them being described on its own.
"""

from dataclasses import dataclass

from django.conf import settings

from reperes.observatory.dimensions import DIMENSION_LABELS, UNKNOWN
from reperes.observatory.dimensions import label as dimension_label
from reperes.observatory.disclosure import MIN_ORGANISATIONS, PER_ORG, Contribution, PreviousTable, protect
from reperes.surveys.models import Recipient

BREAKDOWNS = {
    "": "Ensemble des structures",
    "region": DIMENSION_LABELS["region"],
    "sector": DIMENSION_LABELS["sector"],
    "size_band": DIMENSION_LABELS["size_band"],
    "legal_form": DIMENSION_LABELS["legal_form"],
}
ALL = "all"  # the single row of a table without breakdown
OTHERS = "others"  # small segments gathered
MIN_PER_SEGMENT = MIN_ORGANISATIONS[PER_ORG]


def breakdown_or_default(value):
    return value if value in BREAKDOWNS else ""


def row_label(breakdown, code):
    if code == ALL:
        return "Ensemble"
    if code == OTHERS:
        return "Autres, regroupées"
    return dimension_label(breakdown, code)


@dataclass
class Rate:
    code: str
    label: str
    targeted: int
    answered: int

    @property
    def percent(self):
        return round(100 * self.answered / self.targeted) if self.targeted else None


def response_rates(survey, breakdown):
    """[Rate] per segment of `breakdown` (or one line for all), then the total. Participation is
    not an answer: the network sees it while the survey runs, to know where to remind."""
    recipients = list(survey.recipients.values(breakdown or "id", "state"))
    rows = {}
    for recipient in recipients:
        code = recipient[breakdown] if breakdown else ALL
        targeted, answered = rows.get(code, (0, 0))
        rows[code] = (targeted + 1, answered + (recipient["state"] == Recipient.State.SUBMITTED))
    lines = [
        Rate(code, row_label(breakdown, code), targeted, answered)
        for code, (targeted, answered) in sorted(rows.items(), key=lambda pair: _order(breakdown, pair[0]))
    ]
    total = Rate("total", "Total", len(recipients), sum(line.answered for line in lines))
    return lines if breakdown else [], total


def _order(breakdown, code):
    return (code in (UNKNOWN, OTHERS), row_label(breakdown, code))


@dataclass
class QuestionTable:
    item: dict
    theme: dict
    columns: list  # [(value, label)]
    rows: list  # [{"label", "cells": [cell], "total": cell}]
    totals: dict | None  # {"label", "cells": [cell], "total": cell}
    notes: list  # [{"number", "explanation"}]: one per reason a figure is hidden


def answered_recipients(survey):
    return list(survey.recipients.filter(state=Recipient.State.SUBMITTED).select_related("organisation"))


def segments(recipients, breakdown):
    """{recipient pk: row code}, small segments gathered into OTHERS (or left alone when that
    would leave a lone segment in OTHERS, which protection then hides)."""
    if not breakdown:
        return {recipient.pk: ALL for recipient in recipients}
    sizes = {}
    for recipient in recipients:
        code = getattr(recipient, breakdown) or UNKNOWN
        sizes[code] = sizes.get(code, 0) + 1
    small = {code for code, size in sizes.items() if size < MIN_PER_SEGMENT}
    return {
        recipient.pk: OTHERS
        if (getattr(recipient, breakdown) or UNKNOWN) in small
        else (getattr(recipient, breakdown) or UNKNOWN)
        for recipient in recipients
    }


def question_tables(survey, breakdown, *, known=frozenset(), recipients=None):
    """One protected table per statement: rows = segments, columns = the scale's answers, each
    cell the number of organisations that gave that answer. `known`: organisations whose answers
    the reader already knows (their own), which must not be subtracted."""
    recipients = answered_recipients(survey) if recipients is None else recipients
    rows_of = segments(recipients, breakdown)
    spec = survey.spec
    choices = [(choice["value"], choice["label"]) for choice in spec.scale["choices"]]
    values = [value for value, _ in choices]
    row_codes = sorted(set(rows_of.values()), key=lambda code: _order(breakdown, code))
    tables = []
    for theme in spec.themes:
        for item in theme["items"]:
            cells = {}
            for recipient in recipients:
                answer = recipient.answers.get(item["id"])
                if answer is None:
                    continue
                row = rows_of[recipient.pk]
                for value in values:
                    cells.setdefault((row, value), []).append(
                        Contribution(
                            organisation=recipient.organisation_id,
                            value=1 if answer == value else 0,
                            weight=1,
                            answer=answer,
                        )
                    )
            # The number of organisations that answered in each segment, and in all, is public
            # (the response rates): the protection treats those totals as already published, as
            # it treats the figures of an observatory's previous release.
            public = PreviousTable(
                cells=cells, shown={("row", code): True for code in row_codes} | {("total",): True}
            )
            protected = protect(
                cells,
                rule=PER_ORG,
                k=settings.ANONYMITY_THRESHOLD,
                known=known,
                row_totals=True,
                column_totals=len(row_codes) > 1,
                rows=row_codes,
                columns=values,
                previous=public,
            )
            counts = {
                code: len({c.organisation for v in values for c in cells.get((code, v), [])})
                for code in row_codes
            }
            notes = {}
            lines = [
                (
                    row_label(breakdown, code),
                    [protected.cells.get((code, v)) for v in values],
                    counts[code],
                )
                for code in row_codes
            ]
            if len(row_codes) > 1:
                lines.append(
                    ("Ensemble", [protected.column_totals.get(v) for v in values], sum(counts.values()))
                )
            rows = [_line(label, cells, total, notes) for label, cells, total in lines]
            tables.append(
                QuestionTable(
                    item=item,
                    theme=theme,
                    columns=choices,
                    rows=rows[: len(row_codes)],
                    totals=rows[-1] if len(row_codes) > 1 else None,
                    notes=[{"number": n, "explanation": text} for n, text in notes.values()],
                )
            )
    return tables


def _line(label, cells, count, notes):
    """A line of a table: its cells, and its number of organisations (public: the response rates
    give it), from which the shares are computed."""
    total_cell = {"shown": True, "value": count or None, "note": None}
    shown_cells = []
    for cell in cells:
        shown = _cell(cell, notes)
        if shown["value"] is not None and total_cell["value"]:
            shown["percent"] = round(100 * shown["value"] / total_cell["value"])
        shown_cells.append(shown)
    return {"label": label, "cells": shown_cells, "total": total_cell}


def _cell(cell, notes):
    """What a template needs of a protected figure: shown and its value, or hidden with the
    number of the note that says why (one note per reason in a table)."""
    if cell is None or cell.reason == "empty":
        return {"shown": True, "value": None, "note": None}
    if not cell.shown:
        number = notes.setdefault(cell.reason, (len(notes) + 1, cell.explanation))[0]
        return {"shown": False, "value": None, "note": number}
    return {"shown": True, "value": int(round(cell.value)), "note": None}


def quotes(survey):
    """The open answers the organisations agreed to have quoted, with their names."""
    by_item = {item["id"]: {"item": item, "quotes": []} for item in survey.spec.text_items}
    for recipient in answered_recipients(survey):
        if not recipient.quote_consent:
            continue
        for item_id, text in recipient.texts.items():
            if item_id in by_item and text:
                by_item[item_id]["quotes"].append({"organisation": recipient.organisation, "text": text})
    return [entry for entry in by_item.values() if entry["quotes"]]


def unquoted_count(survey):
    """Open answers not shown because their organisation did not agree."""
    return sum(
        1
        for recipient in survey.recipients.filter(state=Recipient.State.SUBMITTED, quote_consent=False)
        for text in recipient.texts.values()
        if text
    )


def theme_overview(tables):
    """The line « Ensemble » of each statement's table (its only line without a breakdown),
    gathered into one table per theme (a line per statement), with the notes of their hidden
    figures renumbered: the same figures, protected together with their breakdown."""
    overview = []
    for table in tables:
        if not table.rows:  # nobody answered
            continue
        if not overview or overview[-1]["theme"]["id"] != table.theme["id"]:
            overview.append({"theme": table.theme, "columns": table.columns, "rows": [], "notes": {}})
        section = overview[-1]
        renumber = {}
        for note in table.notes:
            number = section["notes"].setdefault(note["explanation"], len(section["notes"]) + 1)
            renumber[note["number"]] = number
        line = table.totals or table.rows[0]
        cells = [{**cell, "note": renumber.get(cell["note"])} for cell in [*line["cells"], line["total"]]]
        section["rows"].append({"label": table.item["text"], "cells": cells[:-1], "total": cells[-1]})
    for section in overview:
        section["notes"] = [{"number": n, "explanation": text} for text, n in section["notes"].items()]
    return overview

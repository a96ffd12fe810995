"""CSV and XLSX files for exports, with cells neutralised against formula injection."""

import csv
import io

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def safe_cell(value):
    """The value as a spreadsheet shows it, never as a formula: text that a spreadsheet would
    evaluate (starting with = + - @ or a control character) gets a leading apostrophe, and
    other control characters are dropped. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return value
    text = str(value)
    text = "".join(ch for ch in text if ch in "\t\r\n" or ord(ch) >= 32)
    if text.startswith(DANGEROUS_STARTS):
        return "'" + text
    return text


def to_csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    # A BOM so that spreadsheet software opens the accents correctly.
    return "\ufeff" + buffer.getvalue()


def to_xlsx(sheets):
    """sheets: [(title, header, rows)] → bytes of an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([safe_cell(cell) for cell in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

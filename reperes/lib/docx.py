"""Editable documents (DOCX) with python-docx, imported lazily so that only an export pays for
it. The charter, its ratification kit and the usage charter are built with these helpers: a new
document, paragraphs from text written in the content files, bullet lists, tables, the bytes."""

import io


def new_document(title):
    """An empty document whose properties carry `title` (what a file manager shows)."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    return document


def add_text(document, text):
    """One paragraph per blank-line-separated block of `text`, its line breaks and runs of spaces
    folded, as the content files write long paragraphs over several lines."""
    for paragraph in text.split("\n\n"):
        document.add_paragraph(" ".join(paragraph.split()))


def add_bullets(document, lines):
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def add_table(document, header, rows):
    """A bordered table: one header row, then `rows` (values turned into text)."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = str(text)
    return grid


def to_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""Small files of each accepted format, for upload tests (reperes.lib.uploads)."""

import io
import zipfile

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24

OOXML_MEMBERS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".pptx": "ppt/presentation.xml"}
ODF_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}


def zip_bytes(members):
    """A zip archive holding `members` ({name: text}), in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def office_bytes(extension):
    """The smallest archive that passes for a DOCX, XLSX, PPTX, ODT, ODS or ODP."""
    if extension in OOXML_MEMBERS:
        return zip_bytes({"[Content_Types].xml": "<Types/>", OOXML_MEMBERS[extension]: "<x/>"})
    return zip_bytes({"mimetype": ODF_TYPES[extension], "content.xml": "<x/>"})

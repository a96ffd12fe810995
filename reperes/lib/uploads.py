"""Uploaded documents: what a file is, judged by its name's extension and its first bytes (never
by the type the browser declares), and the name it may keep.

A file is accepted only when its extension is one the caller allows and its content starts the
way that format starts. Office documents are zip archives: a renamed zip, jar or apk passes
the four magic bytes, so their table of contents is read as well (the member that makes a DOCX,
an XLSX… or the `mimetype` member an OpenDocument file begins with). Nothing is extracted.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

__all__ = ["FileType", "FILE_TYPES", "detect_type", "display_name"]

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str
    magic: bytes = b""
    # Office Open XML: a member the archive must hold; OpenDocument: its `mimetype` member.
    zip_member: str = ""
    odf_mimetype: str = ""


FILE_TYPES = {
    file_type.extension: file_type
    for file_type in (
        FileType(".pdf", "application/pdf", "PDF", b"%PDF-"),
        FileType(
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
            ZIP,
            zip_member="word/document.xml",
        ),
        FileType(
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
            ZIP,
            zip_member="xl/workbook.xml",
        ),
        FileType(
            ".pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint (PPTX)",
            ZIP,
            zip_member="ppt/presentation.xml",
        ),
        FileType(
            ".odt",
            "application/vnd.oasis.opendocument.text",
            "texte OpenDocument (ODT)",
            ZIP,
            odf_mimetype="application/vnd.oasis.opendocument.text",
        ),
        FileType(
            ".ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "tableur OpenDocument (ODS)",
            ZIP,
            odf_mimetype="application/vnd.oasis.opendocument.spreadsheet",
        ),
        FileType(
            ".odp",
            "application/vnd.oasis.opendocument.presentation",
            "présentation OpenDocument (ODP)",
            ZIP,
            odf_mimetype="application/vnd.oasis.opendocument.presentation",
        ),
        FileType(".png", "image/png", "image PNG", b"\x89PNG\r\n\x1a\n"),
        FileType(".jpg", "image/jpeg", "image JPEG", b"\xff\xd8\xff"),
        FileType(".jpeg", "image/jpeg", "image JPEG", b"\xff\xd8\xff"),
        FileType(".webp", "image/webp", "image WebP", b"RIFF"),
    )
}


def _extension(name):
    name = str(name or "").lower()
    return name[name.rfind(".") :] if "." in name else ""


def _zip_matches(upload, file_type):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if file_type.zip_member:
                return file_type.zip_member in names
            # OpenDocument: the first member is `mimetype`, stored, holding the type.
            if not names or names[0] != "mimetype":
                return False
            with archive.open("mimetype") as member:
                return member.read(100).decode("ascii", "replace").strip() == file_type.odf_mimetype
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return False


def detect_type(upload, extensions):
    """The FileType of `upload` if its name ends with one of `extensions` (".pdf", …) and its
    content is of that format, else None. Leaves the file at its start."""
    file_type = FILE_TYPES.get(_extension(getattr(upload, "name", "")))
    if file_type is None or file_type.extension not in extensions:
        return None
    try:
        upload.seek(0)
        start = upload.read(16)
        matches = start.startswith(file_type.magic)
        if matches and file_type.extension == ".webp":
            matches = start[8:12] == b"WEBP"
        if matches and file_type.magic == ZIP:
            upload.seek(0)
            matches = _zip_matches(upload, file_type)
    finally:
        upload.seek(0)
    return file_type if matches else None


def display_name(name, *, max_length=120):
    """The name a file may keep for its readers: the last part of any path (« ../../etc/passwd »,
    « C:\\temp\\x.pdf »), without control characters, with letters, digits, spaces and
    « . _ - ( ) » only, the extension kept when it must be shortened; "document" when nothing is left."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = re.sub(r"[^\w .()-]+", "-", name)
    name = re.sub(r"\s+", " ", name)
    extension = _extension(name) if re.fullmatch(r"\.\w{1,5}", _extension(name)) else ""
    stem = name[: len(name) - len(extension)].strip(" .-")[: max_length - len(extension)].rstrip(" .-")
    return (stem or "document") + extension

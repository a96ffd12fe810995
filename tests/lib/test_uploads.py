"""Uploaded documents are judged by their extension and their content, never by the type the
browser declares; their names keep no path and no odd character."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reperes.lib.uploads import FILE_TYPES, detect_type, display_name
from tests.lib.files import JPEG_BYTES, PDF_BYTES, PNG_BYTES, WEBP_BYTES, office_bytes, zip_bytes

ALL = tuple(FILE_TYPES)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("guide.pdf", PDF_BYTES, "application/pdf"),
        ("Photo.PNG", PNG_BYTES, "image/png"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("photo.webp", WEBP_BYTES, "image/webp"),
        *[
            (f"fichier{ext}", office_bytes(ext), FILE_TYPES[ext].content_type)
            for ext in (".docx", ".xlsx", ".pptx")
        ],
        *[
            (f"fichier{ext}", office_bytes(ext), FILE_TYPES[ext].content_type)
            for ext in (".odt", ".ods", ".odp")
        ],
    ],
)
def test_each_accepted_format_is_recognised_by_its_content(name, content, content_type):
    file = upload(name, content)
    found = detect_type(file, ALL)
    assert found is not None and found.content_type == content_type
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("guide.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("guide.pdf", b"MZ\x90\x00\x03\x00\x00\x00 an executable"),
        ("guide.pdf", PNG_BYTES),
        ("image.png", PDF_BYTES),
        ("page.html", b"<html></html>"),
        ("script.svg", b"<svg onload='alert(1)'/>"),
        ("sans-extension", PDF_BYTES),
        # A zip (or a jar) renamed: the four magic bytes are not enough.
        ("archive.docx", zip_bytes({"evil.exe": "MZ"})),
        ("tableur.xlsx", office_bytes(".docx")),
        ("texte.odt", office_bytes(".ods")),
        (
            "texte.odt",
            zip_bytes({"content.xml": "<x/>", "mimetype": "application/vnd.oasis.opendocument.text"}),
        ),
        ("abime.docx", b"PK\x03\x04 not really a zip"),
        ("photo.webp", b"RIFF\x00\x00\x00\x00WAVEfmt "),
        ("vide.pdf", b""),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(name, content):
    assert detect_type(upload(name, content, "application/pdf"), ALL) is None


def test_only_the_extensions_the_caller_allows_are_accepted():
    assert detect_type(upload("photo.png", PNG_BYTES), (".pdf", ".docx")) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Guide QVT.pdf", "Guide QVT.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/var/www/../secret.pdf", "secret.pdf"),
        ('in"jec\r\ntion;.pdf', "in-jection.pdf"),
        ("Synthèse conférence (2021).pdf", "Synthèse conférence (2021).pdf"),
        ("..", "document"),
        (".pdf", "document.pdf"),
        ("", "document"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_display_names_keep_no_path_and_no_odd_character(name, expected):
    assert display_name(name) == expected


def test_long_names_are_cut_keeping_their_extension():
    name = display_name("a" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf")

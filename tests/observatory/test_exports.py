"""The observatory's files: CSV and XLSX hold the table as shown (hidden cells stay hidden, with
their reason), the CSV is streamed with a query count that does not grow with its rows, and the
key-figures report is a PDF."""

import csv
import io
from datetime import date

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from reperes.lib.pdf import PdfUnavailable, html_to_pdf
from reperes.observatory import exports
from reperes.observatory.models import ReleaseTable
from tests.observatory.test_views import cell, hidden, make_release, standard_tables, url

pytestmark = pytest.mark.django_db

KEY = "reponses-region-taille"


@pytest.fixture
def release(network):
    return make_release(network)


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def shown_lines(table):
    """What the page shows, cell by cell: (row, column) → value, or the reason when hidden."""
    view = exports.shown(table)
    lines = {}
    for row in view["rows"]:
        for column, c in zip(view["columns"], row["cells"], strict=True):
            lines[(row["label"], column["label"])] = c["reason"] if not c["shown"] else c["value"]
        lines[(row["label"], "Ensemble")] = row["total"]["value"]
    for column, c in zip(view["columns"], view["column_totals"], strict=True):
        lines[("Ensemble", column["label"])] = c["value"]
    lines[("Ensemble", "Ensemble")] = view["total"]["value"]
    return lines


def test_csv_holds_the_shown_table_with_hidden_cells_hidden(client_of, nina, network, release):
    response = client_of(nina).get(url("table_csv", network, 1, KEY))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="observatoire-1-reponses-region-taille.csv"' in response["Content-Disposition"]
    header, *lines = read_csv(response)
    assert header == exports.CSV_HEADER
    column = {name: n for n, name in enumerate(header)}
    table = ReleaseTable.objects.get(key=KEY)
    from_file = {
        (line[column["ligne"]], line[column["colonne"]]): line[column["masque_code"]]
        or float(line[column["valeur"]])
        for line in lines
    }
    assert from_file == shown_lines(table)
    bretagne_small = next(line for line in lines if line[column["ligne"]] == "Bretagne")
    assert bretagne_small[column["valeur"]] == "" and bretagne_small[column["structures"]] == ""
    assert bretagne_small[column["masque_code"]] == "too_few"
    assert bretagne_small[column["masque_raison"]].startswith("Chiffre masqué")
    # The context travels with every line.
    first = lines[0]
    assert first[column["publication"]] == "1"
    assert first[column["date_publication"]] == "2026-10-01"
    assert first[column["periode_debut"]] == "2024-01-01"
    assert first[column["structures_contributrices"]] == "14"
    assert first[column["definition"]] == "Réponses aux diagnostics clôturés."
    assert first[column["unite"]] == "réponses"


def test_csv_is_streamed_and_its_queries_do_not_grow_with_rows(
    client_of, nina, network, django_assert_max_num_queries
):
    tables = standard_tables()
    big = dict(tables[2], key="grand")
    big["rows"] = [{"code": str(n), "label": f"Ligne {n}"} for n in range(3000)]
    big["data"] = {
        "cells": [[cell(n, 4), hidden()] for n in range(3000)],
        "row_totals": None,
        "column_totals": None,
        "total": None,
    }
    make_release(network, tables=[tables[2], big])
    client = client_of(nina)
    client.get(url("table_csv", network, 1, KEY))
    with django_assert_max_num_queries(6) as small_queries:
        small = client.get(url("table_csv", network, 1, KEY))
        assert len(read_csv(small)) == 10
    with django_assert_max_num_queries(len(small_queries)):
        large = client.get(url("table_csv", network, 1, "grand"))
        assert isinstance(large, StreamingHttpResponse)
        assert len(read_csv(large)) == 6001


def test_xlsx_holds_the_shown_table_and_its_context(client_of, nina, network, release):
    response = client_of(nina).get(url("table_xlsx", network, 1, KEY))
    assert isinstance(response, FileResponse)
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Tableau", "Données", "À propos"]
    table = ReleaseTable.objects.get(key=KEY)

    data = list(workbook["Données"].iter_rows(values_only=True))
    assert list(data[0]) == exports.DATA_HEADER
    from_file = {(line[1], line[3]): line[7] or line[4] for line in data[1:]}
    assert from_file == shown_lines(table)

    grid = list(workbook["Tableau"].iter_rows(values_only=True))
    assert grid[0][0] == "Réponses par région et par taille"
    assert list(grid[1]) == ["Région", "1 à 10 salarié·es", "11 à 19 salarié·es", "Ensemble"]
    assert list(grid[2]) == ["Bretagne", "s (1)", "s (2)", 120]
    assert list(grid[4]) == ["Ensemble", 95, 175, 270]

    about = dict(workbook["À propos"].iter_rows(values_only=True))
    assert about["Définition"] == "Réponses aux diagnostics clôturés."
    assert about["Date de publication"] == "1 octobre 2026"
    assert about["Période couverte"] == "du 1 janvier 2024 au 1 octobre 2026"
    assert about["Structures contributrices"] == 14
    assert about["Note 1 (too_few)"].startswith("Chiffre masqué : il reposerait")


def test_files_neutralise_formulas_in_labels(client_of, nina, network):
    tables = standard_tables()
    tables[2]["rows"] = [{"code": "53", "label": "=HYPERLINK(1)"}, REGION_11]
    make_release(network, tables=tables)
    header, *lines = read_csv(client_of(nina).get(url("table_csv", network, 1, KEY)))
    assert all(not line[header.index("ligne")].startswith("=") for line in lines)


REGION_11 = {"code": "11", "label": "Île-de-France"}


def test_key_figures_pdf(client_of, nina, network, release):
    try:
        html_to_pdf("<p>test</p>")
    except PdfUnavailable:
        pytest.fail("WeasyPrint's system libraries are missing on this machine")
    response = client_of(nina).get(url("key_figures_pdf", network, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="chiffres-cles-reseau-1.pdf"' in response["Content-Disposition"]


def test_the_key_figures_pdf_of_a_release_is_made_once(client_of, nina, hugo, network, release):
    """A release never changes: asking for its report again, as any reader, renders no PDF."""
    from unittest import mock

    first = client_of(nina).get(url("key_figures_pdf", network, 1)).content
    with mock.patch("reperes.observatory.exports.html_to_pdf") as render:
        again = client_of(hugo).get(url("key_figures_pdf", network, 1)).content
    assert render.call_count == 0 and again == first


def test_key_figures_read_the_national_totals(network, release):
    tables = list(release.tables.order_by("position"))
    figures = exports.key_figures(release, tables)
    assert figures["organisations"] == 14
    assert figures["campaigns"]["value"] == 20
    assert figures["responses"]["value"] == 270
    assert [(label, c["value"]) for label, c in figures["themes"]] == [("Projet", 3.23), ("Temps", 3.13)]
    assert exports.main_region_table(tables).key == "participation-region"


def test_release_date_in_file_names_and_context(network):
    release = make_release(network, published_on=date(2027, 1, 1))
    table = release.tables.get(key=KEY)
    assert exports.context_values(table)[:2] == [1, "2027-01-01"]

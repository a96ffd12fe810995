"""Questionnaires as XLSForm workbooks (reperes.instruments.xlsform): every shipped questionnaire
exports to a workbook that pyxform converts, a workbook read back gives the same questionnaire,
and a workbook Repères cannot use — or that would weaken anonymity — is refused with every
problem named by sheet, row and column, in French."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from reperes.instruments.definition import definition_files, load_scales, parse_definition
from reperes.instruments.xlsform import (
    CHOICES,
    MAX_BYTES,
    REPERES,
    SURVEY,
    WorkbookError,
    export_workbook,
    import_workbook,
)

SCALES = load_scales()
SHIPPED = {path.stem: path for path in definition_files()}


def shipped(slug):
    path = SHIPPED[slug]
    return parse_definition(path.read_text(encoding="utf-8"), source=path.name, scales=SCALES)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_shipped_questionnaire_converts_with_pyxform_and_comes_back_the_same(slug):
    definition = shipped(slug)
    data = export_workbook(definition)
    warnings = []
    result = convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=warnings)
    assert "<h:html" in result.xform
    # Every statement is a question of the XForm, under its theme's group.
    for theme in definition["themes"]:
        for item in theme["items"]:
            assert f"/{theme['id']}/{item['id']}" in result.xform
    assert import_workbook(data) == definition


def test_the_workbook_speaks_xlsform_and_keeps_repères_parts_apart():
    definition = shipped("qvt-numerique")
    workbook = load_workbook(io.BytesIO(export_workbook(definition)))
    assert workbook.sheetnames[:3] == [SURVEY, CHOICES, "settings"]
    assert REPERES in workbook.sheetnames
    survey = list(workbook[SURVEY].iter_rows(values_only=True))
    header, first_theme, first_item = survey[0], survey[1], survey[2]
    assert header[:4] == ("type", "name", "label", "hint")
    assert all(column.startswith("reperes_") for column in header[4:])
    assert first_theme[:3] == ("begin_group", "projet", "Conduite d'un projet de transformation")
    assert first_theme[header.index("reperes_fiche")] == "conduite-projet"
    assert first_item[:2] == ("select_one oui-nsp-non", "projet-1")
    choices = list(workbook[CHOICES].iter_rows(values_only=True))
    assert choices[1][:4] == ("oui-nsp-non", "oui", "Oui", 1)
    assert ("oui-nsp-non", "nsp", "Je ne sais pas", 0, "oui") == choices[2]
    own = dict(list(workbook[REPERES].iter_rows(values_only=True))[1:])
    assert own["slug"] == "qvt-numerique"
    assert own["scoring"] == "sum-points"


def test_the_maturity_self_diagnostic_keeps_its_levels_and_next_steps():
    definition = shipped("maturite-numerique")
    back = import_workbook(export_workbook(definition))
    assert back["levels"] == definition["levels"]
    assert [theme["next_steps"] for theme in back["themes"]] == [
        theme["next_steps"] for theme in definition["themes"]
    ]


# Round trip over generated questionnaires

TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"], exclude_characters="\x00"),
        min_size=1,
        max_size=80,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,5})?", fullmatch=True)


@st.composite
def definitions(draw):
    theme_ids = draw(st.lists(SLUG, min_size=1, max_size=4, unique=True))
    item_ids = iter(
        draw(st.lists(SLUG, min_size=12 * len(theme_ids), max_size=12 * len(theme_ids) + 4, unique=True))
    )
    themes = []
    for theme_id in theme_ids:
        theme = {
            "id": f"t-{theme_id}",
            "title": draw(TEXT),
            "items": [
                {"id": f"i-{next(item_ids)}", "text": draw(TEXT)} for _ in range(draw(st.integers(1, 5)))
            ],
        }
        if draw(st.booleans()):
            theme["short_title"] = draw(TEXT)
            theme["description"] = draw(TEXT)
            theme["interpretation"] = {level: draw(TEXT) for level in ("low", "medium", "high")}
        if draw(st.booleans()):
            theme["fiche"] = draw(st.sampled_from(["conduite-projet", "temps-de-travail"]))
        themes.append(theme)
    raw = {
        "slug": draw(SLUG),
        "title": draw(TEXT),
        "duration_minutes": draw(st.integers(1, 120)),
        "scale": draw(st.sampled_from(["oui-nsp-non", "accord-4", "frequence-4"])),
        "scoring": "sum-points",
        "themes": themes,
    }
    if draw(st.booleans()):
        raw["summary"] = draw(TEXT)
    if draw(st.booleans()):
        raw["free_text"] = {
            "title": draw(TEXT),
            "items": [
                {"id": f"o-{next(item_ids)}", "text": draw(TEXT), "max_length": draw(st.integers(1, 5000))}
                for _ in range(draw(st.integers(1, 3)))
            ],
        }
    return parse_definition(raw, source="généré", scales=SCALES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definition=definitions())
def test_export_then_import_gives_the_same_questionnaire(definition):
    assert import_workbook(export_workbook(definition)) == definition


# Refusals


def edited(change, slug="qvt-numerique"):
    """The exported workbook of `slug` after `change(workbook)`."""
    workbook = load_workbook(io.BytesIO(export_workbook(shipped(slug))))
    change(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def set_cell(sheet, cell, value):
    def change(workbook):
        workbook[sheet][cell] = value

    return change


def add_column(sheet, header, row, value):
    def change(workbook):
        column = workbook[sheet].max_column + 1
        workbook[sheet].cell(1, column, header)
        workbook[sheet].cell(row, column, value)

    return change


def insert_question(kind, name, label):
    def change(workbook):
        survey = workbook[SURVEY]
        survey.insert_rows(3)
        survey["A3"], survey["B3"], survey["C3"] = kind, name, label

    return change


def remove_sheet(name):
    def change(workbook):
        del workbook[name]

    return change


def rezipped(extra_name, extra_data):
    source = io.BytesIO(export_workbook(shipped("qvt-numerique")))
    output = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == extra_name:
                data = extra_data
            copy.writestr(member, data)
        if extra_name not in original.namelist():
            copy.writestr(extra_name, extra_data)
    return output.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""

REFUSALS = {
    "not a workbook": (
        lambda: b"type,name,label\nbegin_group,a,A\n",
        "",
        None,
        "pas un classeur XLSX",
    ),
    "too large": (lambda: b"PK" + b"\0" * (MAX_BYTES + 1), "", None, "dépasse 2 Mo"),
    "zip bomb": (
        lambda: rezipped("xl/media/padding.bin", b"\0" * (25 * 1024 * 1024)),
        "",
        None,
        "décompressé serait démesuré",
    ),
    "macros": (lambda: rezipped("xl/vbaProject.bin", b"macro"), "", None, "contient des macros"),
    "entity expansion": (lambda: rezipped("xl/worksheets/sheet1.xml", BILLION_LAUGHS), "", None, "illisible"),
    "a formula": (lambda: edited(set_cell(SURVEY, "C3", '=CONCAT("a","b")')), SURVEY, 3, "une formule"),
    "no choices sheet": (lambda: edited(remove_sheet(CHOICES)), CHOICES, None, "cette feuille manque"),
    "duplicate names": (
        lambda: edited(set_cell(SURVEY, "B4", "projet-1")),
        SURVEY,
        None,
        "pyxform",
    ),
    "unknown list": (
        lambda: edited(set_cell(SURVEY, "A3", "select_one inconnue")),
        SURVEY,
        None,
        "pyxform",
    ),
    "empty label": (lambda: edited(set_cell(SURVEY, "C3", None)), SURVEY, None, ""),
    "skip logic": (
        lambda: edited(add_column(SURVEY, "relevant", 3, "${projet-2} = 'oui'")),
        SURVEY,
        3,
        "questions conditionnelles",
    ),
    "a calculation": (lambda: edited(insert_question("calculate", "total", "Total")), SURVEY, 3, "calculs"),
    "a repeat": (
        lambda: edited(
            lambda workbook: (
                insert_question("end_repeat", "", "")(workbook),
                insert_question("text", "remarque", "Une remarque")(workbook),
                insert_question("begin_repeat", "boucle", "Boucle")(workbook),
            )
        ),
        SURVEY,
        3,
        "répétitions",
    ),
    "media": (lambda: edited(add_column(SURVEY, "media::image", 3, "photo.png")), SURVEY, 3, "médias"),
    "an age question": (
        lambda: edited(insert_question("integer", "age", "Votre âge")),
        SURVEY,
        3,
        "questions numériques",
    ),
    "an identifying open question": (
        lambda: edited(
            insert_question("text", "service", "Dans quel service travaillez-vous ? Votre service :")
        ),
        SURVEY,
        3,
        "porte sur la personne qui répond",
    ),
    "a second list": (
        lambda: edited(
            lambda workbook: (
                insert_question("select_one sexe", "genre", "Vous êtes")(workbook),
                workbook[CHOICES].append(["sexe", "f", "Une femme", 0]),
                workbook[CHOICES].append(["sexe", "h", "Un homme", 0]),
            )
        ),
        SURVEY,
        3,
        "même échelle",
    ),
    "device metadata": (
        lambda: edited(insert_question("deviceid", "appareil", "")),
        SURVEY,
        3,
        "son appareil",
    ),
    "a lower threshold": (
        lambda: edited(lambda workbook: workbook[REPERES].append(["seuil_anonymat", 2])),
        REPERES,
        9,
        "exposerait les répondant·es",
    ),
    "a name too long for the database": (
        lambda: edited(set_cell(SURVEY, "B3", "p" * 41)),
        SURVEY,
        3,
        "plus de 40 caractères",
    ),
    "a title too long": (
        lambda: edited(
            lambda workbook: [
                row[1].__setattr__("value", "T" * 201)
                for row in workbook[REPERES].iter_rows(min_row=2)
                if row[0].value == "title"
            ]
        ),
        REPERES,
        None,
        "titre de plus de 200 caractères",
    ),
    "points missing": (lambda: edited(set_cell(CHOICES, "D2", None)), CHOICES, 2, "combien de points"),
    "unknown fiche": (
        lambda: edited(set_cell(SURVEY, "F2", "fiche-inconnue")),
        SURVEY,
        2,
        "aucune fiche",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_workbook_repères_cannot_use_is_refused_with_where_and_why(case):
    build, sheet, row, fragment = REFUSALS[case]
    with pytest.raises(WorkbookError) as refused:
        import_workbook(build())
    problems = refused.value.problems
    assert problems
    assert any(fragment in problem.message for problem in problems), [str(p) for p in problems]
    if sheet:
        assert any(problem.sheet == sheet for problem in problems), [str(p) for p in problems]
    if row:
        assert any(problem.row == row for problem in problems), [str(p) for p in problems]
    # Each problem reads as one French sentence with its place.
    assert all(str(problem) for problem in problems)


def test_every_problem_is_reported_at_once():
    def change(workbook):
        workbook[SURVEY]["C3"] = '=CONCAT("a","b")'
        workbook[SURVEY]["C5"] = '=CONCAT("c","d")'

    with pytest.raises(WorkbookError) as refused:
        import_workbook(edited(change))
    assert [(problem.row, problem.column) for problem in refused.value.problems] == [(3, "C"), (5, "C")]
    assert str(refused.value.problems[0]) == "feuille « survey », ligne 3, colonne « C » : " + (
        "une formule : saisissez la valeur elle-même"
    )

"""The observatory's tables by determinant of the QVT frameworks (issue 16, point 3): the same
QVT diagnostics as the theme tables, read through the six LAB'QVT determinants that their
statements carry, stored at closing and protected by the same rules."""

from datetime import date

import pytest

from reperes.instruments.frameworks import label
from reperes.observatory.facts import build_facts
from reperes.observatory.tables import Labels, build_table, catalogue, determinant_codes
from tests.observatory.helpers import DETERMINANTS, closed_campaign, member
from tests.observatory.test_tables import record
from tests.organisations.factories import NetworkFactory

START, END = date(2024, 1, 1), date(2026, 6, 30)


@pytest.fixture
def labels(db):
    from reperes.instruments.loading import load_definitions

    load_definitions()
    return Labels()


def spec_of(key, labels):
    return next(spec for spec in catalogue(labels=labels) if spec.key == key)


def with_determinants(organisation, determinants, **fields):
    facts = record(organisation, scores={"temps": 3.0}, **fields)
    facts.figures["instruments"]["qvt-numerique"]["determinants"] = determinants
    return facts


def test_the_six_determinants_are_the_columns_in_the_frameworks_order(labels):
    assert determinant_codes() == DETERMINANTS
    spec = spec_of("determinants-region", labels)
    facts = {n: with_determinants(n, {"labqvt:sante": 3.0}) for n in (1, 2, 3)}

    _rows, columns, _data, _cells = build_table(spec, facts, k=5, known=frozenset(), labels=labels)

    assert [column["code"] for column in columns] == DETERMINANTS
    assert [column["label"] for column in columns][2] == "Santé au travail" == label("labqvt:sante")
    # One table per breakdown, like the themes'.
    keys = {spec.key for spec in catalogue(labels=labels) if spec.figure == "determinants"}
    assert keys == {f"determinants-{d}" for d in ("region", "size-band", "sector", "legal-form", "programme")}


def test_a_determinant_s_mean_is_weighted_by_responses(labels):
    facts = {
        1: with_determinants(1, {"labqvt:sante": 2.0, "labqvt:management": 4.0}, respondents=10),
        2: with_determinants(2, {"labqvt:sante": 3.0, "labqvt:management": 4.0}, respondents=20),
        3: with_determinants(3, {"labqvt:sante": 4.0, "labqvt:management": 2.0}, respondents=10),
        **{n: with_determinants(n, {"labqvt:sante": 5.0}, region="11", respondents=10) for n in (4, 5, 6)},
    }

    rows, columns, data, _cells = build_table(
        spec_of("determinants-region", labels), facts, k=5, known=frozenset(), labels=labels
    )

    regions = [row["code"] for row in rows]
    codes = [column["code"] for column in columns]
    brittany = data["cells"][regions.index("53")]
    # (2 × 10 + 3 × 20 + 4 × 10) / 40 = 3.0, on 3 organisations and 40 responses
    assert brittany[codes.index("labqvt:sante")] == {"v": 3.0, "n": 3, "w": 40, "why": ""}
    # The national figure: (120 + 150) / 70
    assert data["column_totals"][codes.index("labqvt:sante")] == {
        "v": round(270 / 70, 2),
        "n": 6,
        "w": 70,
        "why": "",
    }
    # A determinant nobody's statements carry is an empty column, never a zero.
    assert brittany[codes.index("labqvt:egalite-professionnelle")]["why"] == "empty"


def test_a_lone_organisation_s_determinant_scores_are_hidden(labels):
    facts = {
        **{n: with_determinants(n, {"labqvt:sante": 2.0 + n / 10}) for n in (1, 2, 3)},
        **{n: with_determinants(n, {"labqvt:sante": 3.0 + n / 10}, region="52") for n in (4, 5, 6)},
        7: with_determinants(7, {"labqvt:sante": 4.8}, region="11", respondents=40),
    }

    rows, columns, data, _cells = build_table(
        spec_of("determinants-region", labels), facts, k=5, known=frozenset(), labels=labels
    )

    regions = [row["code"] for row in rows]
    sante = [column["code"] for column in columns].index("labqvt:sante")
    assert data["cells"][regions.index("11")][sante]["v"] is None
    assert data["cells"][regions.index("11")][sante]["why"] not in ("", "empty")
    # And one more cell of the column, so that the total does not give it back.
    hidden = [row for row in regions if data["cells"][regions.index(row)][sante]["why"] not in ("", "empty")]
    assert len(hidden) >= 2 or data["column_totals"][sante]["v"] is None


def test_the_facts_read_the_scores_stored_at_closing(db):
    net = NetworkFactory(slug="obs-det")
    org = member(net)
    closed_campaign(
        org, closed_on=date(2026, 3, 1), respondents=9, determinants={"labqvt:sante": 2.5, "anact:x": None}
    )

    qvt = build_facts(net, start=START, end=END, k=5)[org.pk].figures["instruments"]["qvt-numerique"]

    # A score of None (no statement of it answered) is left out, like a theme's.
    assert qvt["determinants"] == {"labqvt:sante": 2.5}


def test_a_row_the_theme_table_hides_in_part_is_hidden_whole_by_determinant(labels):
    """A determinant's score and the themes' come from the same answers: where the theme table
    hides a figure of a row (here the complement that keeps a lone region's score out of the
    national total), the determinant table shows nothing of that row."""
    from reperes.observatory.tables import protect_release

    def org(n, region, base):
        facts = record(n, region=region, scores={"temps": base, "projet": base + 0.5})
        facts.figures["instruments"]["qvt-numerique"]["determinants"] = {
            "labqvt:sante": base + 0.2,
            "labqvt:management": base - 0.3,
        }
        return facts

    facts = {
        **{n: org(n, "53", 2.0 + n / 10) for n in (1, 2, 3)},
        **{n: org(n, "52", 3.0 + n / 10) for n in (4, 5, 6)},
        7: org(7, "11", 4.6),
    }
    specs = [spec_of("qvt-region", labels), spec_of("determinants-region", labels)]

    done, _result = protect_release(specs, facts, k=5, known=frozenset(), labels=labels, previous={})

    themes, determinants = done["qvt-region"][1], done["determinants-region"][1]
    partly_hidden = {row for (row, _c), cell in themes.cells.items() if not cell.shown and not cell.empty}
    assert "11" in partly_hidden and len(partly_hidden) >= 2  # the lone region and a complement
    for (row, column), cell in determinants.cells.items():
        if row in partly_hidden and not cell.empty:
            assert not cell.shown, (row, column)
    # The rows the theme table shows whole keep their determinant figures.
    shown_rows = {row for (row, _c) in themes.cells} - partly_hidden
    assert all(
        determinants.cells[(row, column)].shown
        for row in shown_rows
        for column in ("labqvt:sante", "labqvt:management")
    )

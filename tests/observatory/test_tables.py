"""Tables built from facts, checked by hand."""

import pytest

from reperes.observatory.facts import OrganisationFacts
from reperes.observatory.tables import Labels, build_table, catalogue


def record(
    organisation, *, region="53", band="11-19", scores=None, respondents=10, level=None, charter=False
):
    figures = {
        "years": {"2026": {"campaigns": 1, "responses": respondents, "sent": 20, "answered": respondents}},
        "instruments": {
            "qvt-numerique": {"respondents": respondents, "scores": scores or {}, "closed_on": "2026-03-01"}
        }
        if scores
        else {},
        "change": {},
        "maturity": level,
        "actions": {},
        "charter": charter,
        "requests": {},
    }
    return OrganisationFacts(organisation=organisation, region=region, size_band=band, figures=figures)


@pytest.fixture
def labels(db):
    from reperes.instruments.loading import load_definitions

    load_definitions()  # the labels of every instrument's themes and levels
    return Labels()


def spec_of(key, labels):
    return next(spec for spec in catalogue(labels=labels) if spec.key == key)


def test_mean_scores_weighted_by_responses(labels):
    facts = {
        1: record(1, scores={"temps": 2.0}, respondents=10),
        2: record(2, scores={"temps": 3.0}, respondents=20),
        3: record(3, scores={"temps": 4.0}, respondents=10),
        **{n: record(n, region="11", scores={"temps": 5.0}, respondents=10) for n in (4, 5, 6)},
    }
    rows, columns, data, _ = build_table(
        spec_of("qvt-region", labels), facts, k=5, known=frozenset(), labels=labels
    )

    temps = [column["code"] for column in columns].index("temps")
    regions = [row["code"] for row in rows]
    brittany = data["cells"][regions.index("53")][temps]
    # (2 × 10 + 3 × 20 + 4 × 10) / 40 = 3.0, on 3 organisations and 40 responses
    assert brittany == {"v": 3.0, "n": 3, "w": 40, "why": ""}
    # The national figure: (120 + 150) / 70
    assert data["column_totals"][temps] == {"v": round(270 / 70, 2), "n": 6, "w": 70, "why": ""}


def test_a_lone_organisation_is_hidden_and_so_is_its_partner(labels):
    facts = {n: record(n, scores={"temps": 3.0}) for n in (1, 2, 3)}
    facts[4] = record(4, region="11", scores={"temps": 5.0})
    rows, columns, data, _ = build_table(
        spec_of("qvt-region", labels), facts, k=5, known=frozenset(), labels=labels
    )

    temps = [column["code"] for column in columns].index("temps")
    regions = [row["code"] for row in rows]
    assert data["cells"][regions.index("11")][temps] == {"v": None, "n": None, "w": None, "why": "too_few"}
    # Otherwise the national figure minus Brittany's would give it back.
    assert data["cells"][regions.index("53")][temps]["why"] == "secondary"


def test_known_organisations_are_not_counted_towards_the_minimum(labels):
    facts = {n: record(n, scores={"temps": 3.0}) for n in (1, 2, 3)}
    _, columns, data, _ = build_table(
        spec_of("qvt-region", labels), facts, k=5, known=frozenset({1}), labels=labels
    )
    temps = [column["code"] for column in columns].index("temps")
    assert data["cells"][0][temps]["why"] == "known"


def test_maturity_is_a_share_of_the_row(labels):
    levels = ["premiers-pas", "premiers-pas", "structure", "integre", "structure"]
    facts = {n: record(n + 1, level=level) for n, level in enumerate(levels)}
    rows, columns, data, _ = build_table(
        spec_of("maturite-region", labels), facts, k=5, known=frozenset(), labels=labels
    )

    brittany = dict(zip([column["code"] for column in columns], data["cells"][0], strict=True))
    assert brittany["premiers-pas"] == {"v": 40.0, "n": 5, "w": 5, "why": ""}
    assert brittany["structure"]["v"] == 40.0
    assert brittany["integre"]["v"] == 20.0
    assert brittany["en-construction"]["v"] == 0.0


def test_a_row_where_every_organisation_gave_the_same_level_is_hidden(labels):
    facts = {n: record(n, region="11", level="integre") for n in range(1, 7)}
    _, _, data, _ = build_table(
        spec_of("maturite-region", labels), facts, k=5, known=frozenset(), labels=labels
    )
    assert {cell["why"] for cell in data["cells"][0]} == {"unanimous"}
    assert all(cell["v"] is None for cell in data["cells"][0])


def test_participation_rate_and_small_teams(labels):
    facts = {n: record(n, respondents=8) for n in (1, 2, 3)}
    facts[4] = record(4, respondents=4)  # under k: enters no cell
    rows, columns, data, _ = build_table(
        spec_of("participation-region", labels), facts, k=5, known=frozenset(), labels=labels
    )
    line = dict(zip([c["code"] for c in columns], data["cells"][0], strict=True))
    assert line["campaigns"] == {"v": 3, "n": 3, "w": 24, "why": ""}
    assert line["responses"]["v"] == 24
    assert line["rate"]["v"] == 40.0  # 24 answered of 60 invitations

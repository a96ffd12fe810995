"""The sharing cases in the observatory (issue 15): closed cases counted for the organisation
that had the need, per category, region and outcome, with the hours and days shared; one answer
per organisation, so at least 5 organisations per shown cell and never a unanimous one."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from reperes.matchmaking.models import Case
from reperes.observatory.facts import build_facts
from reperes.observatory.tables import Labels, build_table, catalogue
from tests.observatory.helpers import member
from tests.organisations.factories import NetworkFactory

START, END = date(2026, 1, 1), date(2026, 6, 30)


@pytest.fixture
def net(db):
    return NetworkFactory(slug="obs")


def closed_case(
    network, organisation, *, category="premises", outcome="done", hours=None, days=None, on=None
):
    return Case.objects.create(
        network=network,
        organisation=organisation,
        category=category,
        title="Un partage",
        need="Un besoin.",
        step=Case.Step.CLOSED,
        outcome=outcome,
        hours_shared=hours,
        days_shared=days,
        closed_at=datetime.combine(on or date(2026, 3, 1), datetime.min.time(), tzinfo=UTC),
    )


def test_facts_count_closed_cases_of_the_period_for_the_organisation_with_the_need(net):
    org = member(net, region="53")
    closed_case(net, org, days=Decimal("2.5"))
    closed_case(net, org, days=Decimal("1"))
    closed_case(net, org, outcome="abandoned", days=Decimal("9"))  # not shared: not counted
    closed_case(net, org, category="skills", hours=Decimal("14"))
    closed_case(net, org, on=date(2025, 3, 1))  # before the period
    Case.objects.create(network=net, organisation=org, category="premises", title="Ouvert", need="…")
    closed_case(NetworkFactory(), org)  # another network's case

    figures = build_facts(net, start=START, end=END, k=5)[org.pk].figures

    assert figures["cases"] == {
        "premises": {"done": 2, "abandoned": 1, "hours": 0.0, "days": 3.5},
        "skills": {"done": 1, "abandoned": 0, "hours": 14.0, "days": 0.0},
    }


def table(net, key):
    labels = Labels()
    facts = build_facts(net, start=START, end=END, k=5)
    spec = next(spec for spec in catalogue(labels=labels) if spec.key == key)
    rows, columns, data, _ = build_table(spec, facts, k=5, known=frozenset(), labels=labels)
    return [row["code"] for row in rows], [column["code"] for column in columns], data


def test_cells_show_from_five_organisations_with_different_answers(net):
    organisations = [member(net, region="53") for _ in range(12)]
    for org in organisations[:5] + organisations[10:]:
        closed_case(net, org, days=Decimal("1"))
    for org in organisations[5:]:
        closed_case(net, org, outcome="abandoned")

    rows, columns, data = table(net, "mises-en-lien-categorie")

    premises = data["cells"][rows.index("premises")]
    assert premises[columns.index("done")] == {"v": 7, "n": 7, "w": 7, "why": ""}
    assert premises[columns.index("abandoned")] == {"v": 7, "n": 7, "w": 7, "why": ""}
    assert data["row_totals"][rows.index("premises")]["v"] == 14


def test_a_cell_of_two_organisations_is_hidden_and_so_is_its_partner(net):
    organisations = [member(net, region="53") for _ in range(6)]
    for org in organisations:
        closed_case(net, org, days=Decimal("1"))
    for org in organisations[:2]:
        closed_case(net, org, outcome="abandoned")

    rows, columns, data = table(net, "mises-en-lien-categorie")

    premises = rows.index("premises")
    assert data["cells"][premises][columns.index("abandoned")]["why"] == "too_few"
    # The row total (8 cases, 6 organisations) is shown: the « done » cell would give the
    # abandoned ones back by difference, so it is hidden too.
    assert data["row_totals"][premises]["v"] == 8
    assert data["cells"][premises][columns.index("done")] == {
        "v": None,
        "n": None,
        "w": None,
        "why": "secondary",
    }


def test_all_organisations_giving_the_same_outcome_is_hidden(net):
    for _ in range(6):
        closed_case(net, member(net, region="53"))

    rows, columns, data = table(net, "mises-en-lien-region")

    assert data["cells"][rows.index("53")][columns.index("done")]["v"] is None


def test_volumes_shared_by_category(net):
    for n in range(5):
        closed_case(net, member(net), category="skills", hours=Decimal(n + 1))

    rows, columns, data = table(net, "mises-en-lien-volume")

    assert columns == ["hours", "days"]
    assert data["cells"][rows.index("skills")][columns.index("hours")]["v"] == 15

"""Disclosure control of the observatory's tables: primary rules, secondary suppression, and an
audit by linear programming (SciPy's HiGHS) the way statistics offices audit a protected table.

The audit is written independently of the module: one variable per (organisation, cell) for
every contribution of the current release, and of the previous one, with one shared variable
when an organisation's contribution to a cell did not change between the two releases (the
reader is assumed to know who sits in which cell: the strongest reader). Every shown figure
equals the sum of its variables, every hidden one is free, all variables are non-negative.
"""

from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reperes.observatory.disclosure import (
    COUNT,
    PER_ORG,
    REASONS,
    SUM,
    TEAM,
    Cell,
    Contribution,
    PreviousTable,
    changed_organisations,
    infer_measure,
    primary_reason,
    protect,
    protection_margin,
)

MINIMUM = {TEAM: 3, PER_ORG: 5}


# The audit -------------------------------------------------------------------------------------


def figure_contributions(cells, table):
    """{figure key: [Contribution]} for the protected table's figures (totals are unions)."""
    found = {(r, c): list(cells.get((r, c), [])) for r in table.rows for c in table.columns}
    for r in table.row_totals:
        found[("row", r)] = [x for c in table.columns for x in found[(r, c)]]
    for c in table.column_totals:
        found[("col", c)] = [x for r in table.rows for x in found[(r, c)]]
    if table.total is not None:
        found[("total",)] = [x for r in table.rows for c in table.columns for x in found[(r, c)]]
    return found


def inner_keys(key, table):
    """The inner cells a figure adds up."""
    if key not in figure_keys_of_totals(table):
        return [key]
    if key == ("total",):
        return [(r, c) for r in table.rows for c in table.columns]
    if key[0] == "row":
        return [(key[1], c) for c in table.columns]
    return [(r, key[1]) for r in table.rows]


def previous_inner_keys(key, table):
    """The inner cells a figure of the previous release adds up (it may have had other totals)."""
    grid = {(r, c) for r in table.rows for c in table.columns}
    if key in grid:
        return [key]
    if key == ("total",):
        return sorted(grid)
    if key[0] == "row":
        return [(key[1], c) for c in table.columns]
    return [(r, key[1]) for r in table.rows]


def figure_keys_of_totals(table):
    keys = {("row", r) for r in table.row_totals} | {("col", c) for c in table.column_totals}
    return keys | ({("total",)} if table.total is not None else set())


def audit_ranges(table, cells, previous=None):
    """{hidden figure key: (min, max)} over all releases consistent with what is shown."""
    variables = {}  # (release or "shared", cell key, organisation) -> index

    def merged(contributions):
        out = defaultdict(lambda: [0.0, 0])
        for x in contributions:
            out[x.organisation][0] += x.value
            out[x.organisation][1] += x.weight
        return {org: tuple(v) for org, v in out.items()}

    now = {key: merged(cells.get(key, [])) for key in [(r, c) for r in table.rows for c in table.columns]}
    before = {}
    if previous is not None:
        before = {key: merged(previous.cells.get(key, [])) for key in now}

    def var(release, key, org):
        if (
            previous is not None
            and org in now[key]
            and org in before[key]
            and now[key][org] == before[key][org]
        ):
            release = "shared"
        return variables.setdefault((release, key, org), len(variables))

    equations = []  # ({var: coef}, value)
    bounds_of = {}
    for key, cell in table.figures().items():
        coefficients = defaultdict(float)
        value = 0.0
        for inner in inner_keys(key, table):
            for org, (v, _) in now[inner].items():
                coefficients[var("now", inner, org)] += 1.0
                value += v
        bounds_of[key] = dict(coefficients)
        if cell.shown and coefficients:
            equations.append((dict(coefficients), cell.value))
    if previous is not None:
        for key, shown in previous.shown.items():
            if not shown:
                continue
            coefficients = defaultdict(float)
            value = 0.0
            for inner in previous_inner_keys(key, table):
                for org, (v, _) in before[inner].items():
                    coefficients[var("before", inner, org)] += 1.0
                    value += v
            if coefficients:
                equations.append((dict(coefficients), value))
    n = len(variables)
    a_eq = [[coefficients.get(j, 0.0) for j in range(n)] for coefficients, _ in equations]
    b_eq = [value for _, value in equations]
    ranges = {}
    for key, cell in table.figures().items():
        if cell.shown:
            continue
        objective = [bounds_of[key].get(j, 0.0) for j in range(n)]
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        high = linprog(
            [-x for x in objective], A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs"
        )
        assert low.status in (0, 3) and high.status in (0, 3), (low.message, high.message)
        top = float("inf") if high.status == 3 else -high.fun
        ranges[key] = (low.fun, top)
    return ranges


def already_published(key, table, cells, previous):
    """The previous release showed this figure with exactly the same contributions."""
    if previous is None or not previous.shown.get(key, False):
        return False
    now = figure_contributions(cells, table)[key]
    before = [x for inner in inner_keys(key, table) for x in previous.cells.get(inner, [])]
    return not changed_organisations(now, before)


def everything_hidden(table):
    hide = Cell(None, None, None, "secondary", False)
    return replace(
        table,
        cells=dict.fromkeys(table.cells, hide),
        row_totals=dict.fromkeys(table.row_totals, hide),
        column_totals=dict.fromkeys(table.column_totals, hide),
        total=hide if table.total is not None else None,
    )


def assert_audit_passes(table, cells, *, k, previous=None):
    """Every hidden figure lies in an interval at least as wide as its protection margin, unless
    the previous release alone already pins it closer: then `protect` says so (`unresolved`) and
    hiding the whole table would not widen it."""
    figures = figure_contributions(cells, table)
    for key, (low, high) in audit_ranges(table, cells, previous).items():
        if already_published(key, table, cells, previous):
            continue
        margin = protection_margin(figures[key], k=k, measure=table.measure)
        if key in table.unresolved:
            best_low, best_high = audit_ranges(everything_hidden(table), cells, previous)[key]
            assert high - low >= best_high - best_low - 1e-6, (key, low, high, best_low, best_high)
            assert best_high - best_low < margin
            continue
        assert high - low >= margin - 1e-6, (key, low, high, margin)


# Examples checked by hand ----------------------------------------------------------------------


def team(org, respondents):
    return Contribution(organisation=org, value=respondents, weight=respondents)


def team_cell(first_org, *sizes):
    return [team(first_org + i, size) for i, size in enumerate(sizes)]


def textbook_table():
    """Respondents by region (rows) and size band (columns); cell A2 rests on 2 organisations.

        1    2    3  | total
    A  30   20   40  |  90
    B  30   30   50  | 110
    C  40   30   30  | 100
    ----------------------
      100   80  120  | 300
    """
    return {
        ("A", 1): team_cell(100, 10, 10, 10),
        ("A", 2): team_cell(110, 10, 10),
        ("A", 3): team_cell(120, 10, 10, 10, 10),
        ("B", 1): team_cell(200, 10, 10, 10),
        ("B", 2): team_cell(210, 10, 10, 10),
        ("B", 3): team_cell(220, 10, 10, 10, 10, 10),
        ("C", 1): team_cell(300, 10, 10, 10, 10),
        ("C", 2): team_cell(310, 10, 10, 10),
        ("C", 3): team_cell(320, 10, 10, 10),
    }


def test_the_textbook_table_hides_the_smallest_rectangle_around_the_sensitive_cell():
    cells = textbook_table()
    table = protect(cells, rule=TEAM, k=5)

    hidden = {key for key, cell in table.cells.items() if not cell.shown}
    assert hidden == {("A", 1), ("A", 2), ("B", 1), ("B", 2)}
    assert table.cells[("A", 2)].reason == "too_few" and table.cells[("A", 2)].primary
    assert table.cells[("A", 1)].reason == "secondary" and not table.cells[("A", 1)].primary
    assert table.cells[("C", 2)].value == 30 and table.cells[("C", 2)].organisations == 3
    assert [table.row_totals[r].value for r in "ABC"] == [90, 110, 100]
    assert [table.column_totals[c].value for c in (1, 2, 3)] == [100, 80, 120]
    assert table.total.value == 300 and table.total.organisations == 30
    # A2 = 20 + t, A1 = 30 − t, B1 = 30 + t, B2 = 30 − t, every cell ≥ 0: t in [−20, 30].
    assert audit_ranges(table, cells)[("A", 2)] == pytest.approx((0, 50))
    assert_audit_passes(table, cells, k=5)


def test_a_table_without_small_cells_is_shown_whole():
    table = protect(
        {key: team_cell(i * 10, 6, 7, 8) for i, key in enumerate([("A", 1), ("A", 2), ("B", 1)])},
        rule=TEAM,
        k=5,
    )

    assert all(cell.shown for cell in table.figures().values())
    assert table.cells[("B", 2)].empty and table.cells[("B", 2)].value == 0
    assert table.cells[("B", 2)].explanation == REASONS["empty"]


def test_an_empty_cell_is_not_hidden_nor_chosen_as_partner():
    cells = {("A", 1): team_cell(0, 6, 6), ("A", 2): team_cell(10, 6, 6, 6), ("A", 3): team_cell(20, 9, 9, 9)}
    table = protect(cells, rule=TEAM, k=5, rows=["A", "B"])

    assert table.cells[("B", 1)].empty and table.cells[("B", 1)].shown
    assert not table.cells[("A", 1)].shown
    # Column 1 holds only A1: its total would give A1 away, so it is hidden too.
    assert not table.column_totals[1].shown
    assert_audit_passes(table, cells, k=5)


def test_a_team_under_k_hides_its_cell_rather_than_being_dropped():
    cells = {("A", "x"): [team(1, 4), team(2, 10), team(3, 10), team(4, 10)]}
    table = protect(cells, rule=TEAM, k=5, row_totals=False, column_totals=False)

    assert table.cells[("A", "x")].reason == "small_team"
    assert "trop petite" in table.cells[("A", "x")].explanation


def test_a_dominant_organisation_hides_the_cell():
    assert primary_reason(team_cell(0, 100, 6, 6), rule=TEAM, k=5) == "dominance"
    assert primary_reason(team_cell(0, 50, 6, 6), rule=TEAM, k=5) == ""


def test_dominance_on_value_counts_only_for_sums():
    actions = [
        Contribution(1, 90.0),
        Contribution(2, 2.0),
        Contribution(3, 1.0),
        Contribution(4, 1.0),
        Contribution(5, 1.0),
    ]
    adopted = [Contribution(1, 1, answer=True)] + [Contribution(i, 0, answer=False) for i in range(2, 6)]

    assert primary_reason(actions, rule=PER_ORG, k=5, measure=SUM) == "dominance"
    assert primary_reason(adopted, rule=PER_ORG, k=5, measure=COUNT) == ""


def test_known_organisations_do_not_count_towards_the_minimum():
    cell = team_cell(0, 8, 8, 8, 8)

    assert primary_reason(cell, rule=TEAM, k=5) == ""
    assert primary_reason(cell, rule=TEAM, k=5, known={0}) == ""
    assert primary_reason(cell, rule=TEAM, k=5, known={0, 1}) == "known"
    assert "déjà" in REASONS["known"]


def test_dominance_is_judged_without_the_known_organisations():
    # Organisation 0 sees its own figures: the three others must still not be dominated.
    assert primary_reason(team_cell(0, 200, 8, 8, 8), rule=TEAM, k=5, known={0}) == ""
    assert primary_reason(team_cell(0, 8, 200, 8, 8), rule=TEAM, k=5, known={0}) == "dominance"


def test_per_organisation_figures_need_five_organisations_and_different_answers():
    def answers(*values):
        return [Contribution(i, 1 if v == "oui" else 0, answer=v) for i, v in enumerate(values)]

    assert primary_reason(answers("oui", "non", "oui", "non"), rule=PER_ORG, k=5) == "too_few"
    assert primary_reason(answers("oui", "non", "oui", "non", "oui"), rule=PER_ORG, k=5) == ""
    assert primary_reason(answers("oui", "oui", "oui", "oui", "oui"), rule=PER_ORG, k=5) == "unanimous"
    # The one different answer belongs to an organisation the reader already sees.
    assert (
        primary_reason(answers("non", "oui", "oui", "oui", "oui", "oui"), rule=PER_ORG, k=5, known={0})
        == "unanimous"
    )


def test_a_cell_that_moved_by_one_organisation_since_the_last_release_is_hidden():
    cells = textbook_table()
    first = protect(cells, rule=TEAM, k=5)
    later = dict(cells)
    later[("C", 3)] = [*cells[("C", 3)], team(999, 12)]  # one organisation joins C3
    previous = PreviousTable(cells=cells, shown=first.shown_map())

    table = protect(later, rule=TEAM, k=5, previous=previous)

    assert table.cells[("C", 3)].reason == "difference"
    assert "publication précédente" in table.cells[("C", 3)].explanation
    # Row C, column 3 and the grand total also moved by that one organisation.
    assert table.row_totals["C"].reason == "difference"
    assert table.column_totals[3].reason == "difference"
    assert table.total.reason == "difference"
    assert_audit_passes(table, later, k=5, previous=previous)


def test_a_one_way_table_with_its_total():
    cells = {
        ("Bretagne", "n"): team_cell(0, 6, 6, 6),
        ("Normandie", "n"): team_cell(10, 6, 6),
        ("Occitanie", "n"): team_cell(20, 6, 6, 7, 8),
    }
    table = protect(cells, rule=TEAM, k=5, row_totals=False)

    assert table.total is None and table.row_totals == {}
    assert table.cells[("Normandie", "n")].reason == "too_few"
    assert table.cells[("Bretagne", "n")].reason == "secondary"  # the smaller partner is enough
    assert table.column_totals["n"].value == 57
    assert_audit_passes(table, cells, k=5)


def test_columns_that_do_not_add_up_have_no_row_totals():
    themes = ["charge", "sens", "relations"]
    cells = {
        (r, t): [Contribution(10 * i + j, 3.5 * 8, 8) for j in range(3 if r != "B" else 2)]
        for i, r in enumerate("AB")
        for t in themes
    }
    table = protect(cells, rule=TEAM, k=5, row_totals=False, measure=SUM)

    assert all(table.cells[("B", t)].reason == "too_few" for t in themes)
    # Each theme's total is the network's figure; A is hidden so that B cannot be subtracted.
    assert all(table.column_totals[t].shown and not table.cells[("A", t)].shown for t in themes)
    assert_audit_passes(table, cells, k=5)


def test_measure_is_inferred_from_the_contributions():
    assert infer_measure(team_cell(0, 5, 6)) == COUNT
    assert infer_measure([Contribution(1, 0, answer="non"), Contribution(2, 1, answer="oui")]) == COUNT
    assert infer_measure([Contribution(1, 3.4 * 6, 6)]) == SUM


def test_sum_margin_is_the_larger_of_a_fifth_and_the_largest_contribution():
    cell = [Contribution(1, 40.0, 10), Contribution(2, 30.0, 10), Contribution(3, 30.0, 10)]

    assert protection_margin(cell, k=5, measure=SUM) == 40.0
    assert protection_margin(cell, k=5, measure=COUNT) == 5.0


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        protect({}, rule="other", k=5)


# Properties over generated tables ----------------------------------------------------------


@st.composite
def tables(draw):
    rule = draw(st.sampled_from([TEAM, PER_ORG]))
    measure = draw(st.sampled_from([COUNT, SUM]))
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 3))
    k = draw(st.sampled_from([3, 5]))
    organisations = draw(st.integers(0, 40))

    def contribution(org):
        if rule == TEAM:
            weight = draw(st.integers(k, 40) if draw(st.integers(0, 9)) else st.integers(1, 40))
            value = weight if measure == COUNT else round(weight * draw(st.floats(1, 5)), 2)
            return Contribution(org, value, weight)
        answer = draw(st.booleans())
        value = int(answer) if measure == COUNT else draw(st.integers(0, 30))
        return Contribution(org, value, 1, answer=answer)

    def place():
        return (draw(st.integers(0, rows - 1)), draw(st.integers(0, columns - 1)))

    people = {org: (place(), contribution(org)) for org in range(organisations)}
    cells = defaultdict(list)
    for key, c in people.values():
        cells[key].append(c)
    previous = None
    if draw(st.booleans()):
        # The previous release: some organisations joined since, some left, some changed.
        before = defaultdict(list)
        for org, (key, c) in people.items():
            fate = draw(st.sampled_from(["same", "same", "same", "joined", "changed"]))
            if fate == "same":
                before[key].append(c)
            elif fate == "changed":
                before[key].append(contribution(org))
        for org in range(organisations, organisations + draw(st.integers(0, 6))):
            before[place()].append(contribution(org))
        first_totals = draw(st.booleans()), draw(st.booleans())
        shown = protect(
            dict(before),
            rule=rule,
            k=k,
            row_totals=first_totals[0],
            column_totals=first_totals[1],
            measure=measure,
            rows=range(rows),
            columns=range(columns),
        ).shown_map()
        previous = PreviousTable(cells=dict(before), shown=shown)
    known = frozenset(draw(st.sets(st.integers(0, max(organisations - 1, 0)), max_size=3)))
    options = dict(
        rule=rule,
        k=k,
        known=known,
        row_totals=draw(st.booleans()),
        column_totals=draw(st.booleans()),
        measure=measure,
        rows=range(rows),
        columns=range(columns),
        previous=previous,
    )
    return dict(cells), options


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_protected_tables_keep_every_rule(generated):
    cells, options = generated
    table = protect(cells, **options)
    figures = figure_contributions(cells, table)
    rule, known, k = options["rule"], options["known"], options["k"]

    for key, cell in table.figures().items():
        contributions = figures[key]
        if not cell.shown:
            assert cell.explanation, key
            continue
        assert cell.value == pytest.approx(sum(c.value for c in contributions))
        assert cell.weight == sum(c.weight for c in contributions)
        if cell.empty:
            assert not contributions
            continue
        by_org = defaultdict(lambda: [0.0, 0, set()])
        for c in contributions:
            by_org[c.organisation][0] += c.value
            by_org[c.organisation][1] += c.weight
            by_org[c.organisation][2].add(c.answer)
        others = {org: v for org, v in by_org.items() if org not in known}
        assert len(others) >= MINIMUM[rule], key
        assert max(w for _, w, _ in others.values()) <= 0.85 * sum(w for _, w, _ in others.values())
        if options["measure"] == SUM and sum(v for v, _, _ in others.values()) > 0:
            assert max(v for v, _, _ in others.values()) <= 0.85 * sum(v for v, _, _ in others.values())
        if rule == TEAM:
            assert all(c.weight >= k for c in contributions)
        else:
            assert len(set().union(*(a for _, _, a in others.values()))) > 1

    # Every line that adds up and has a hidden figure has at least two.
    lines = []
    if table.row_totals:
        lines += [[(r, c) for c in table.columns] + [("row", r)] for r in table.rows]
    if table.column_totals:
        lines += [[(r, c) for r in table.rows] + [("col", c)] for c in table.columns]
    if table.total is not None:
        lines += [
            [("row", r) for r in table.rows] + [("total",)],
            [("col", c) for c in table.columns] + [("total",)],
        ]
    shown = table.figures()
    for line in lines:
        assert sum(1 for key in line if not shown[key].shown) != 1, line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_the_linear_programming_audit_passes_for_every_hidden_figure(generated):
    cells, options = generated
    table = protect(cells, **options)

    if options["previous"] is None:
        assert table.unresolved == []
    assert_audit_passes(table, cells, k=options["k"], previous=options["previous"])


def test_what_the_previous_release_already_pins_is_reported_not_hidden_forever():
    # Six organisations, one « oui »; the « oui » leaves: the five left all say « non ». The cell
    # is hidden (unanimous), but the reader of the previous release knows it is now 0 or 1.
    before = {
        ("A", "x"): [Contribution(i, 0, answer=False) for i in range(5)] + [Contribution(5, 1, answer=True)]
    }
    now = {("A", "x"): before[("A", "x")][:5]}
    previous = PreviousTable(cells=before, shown={("A", "x"): True})

    table = protect(now, rule=PER_ORG, k=3, row_totals=False, column_totals=False, previous=previous)

    assert table.cells[("A", "x")].reason == "unanimous"
    assert table.unresolved == [("A", "x")]
    assert_audit_passes(table, now, k=3, previous=previous)

"""Statistical disclosure control for the observatory's tables (docs/disclosure.md).

A table is a grid of cells, each built from the contributions of organisations; `protect`
decides which cells may be shown, the way national statistics offices protect their tables:

1. **Primary rules**, cell by cell (totals included), on the organisations the reader does not
   already see individually (`known`, for example a facilitator's shared results):
   - TEAM figures (team diagnostics): at least 3 organisations, each with at least `k`
     respondents. The observatory leaves out the teams under `k` before calling `protect`
     (they never enter any cell); a contribution with a weight under `k` that still reaches
     `protect` hides its cell (« small_team ») rather than being silently dropped, so that a
     mistake upstream hides figures instead of publishing them.
   - PER_ORG figures (one answer per organisation): at least 5 organisations, and not all the
     same answer (answers given in `Contribution.answer`).
   - Dominance: no organisation above 85 % of the cell's weight (respondents for TEAM,
     organisations for PER_ORG) and, for sums (`measure=SUM`), of its value.
   - Difference with the previous release: a cell shown in both releases whose organisations
     changed (added, removed, or whose contribution changed) by fewer than the minimum would
     reveal them by subtraction.
2. **Secondary suppression**: every line of the table that has a total (row, column, line of
   totals) and exactly one hidden cell gets a second one, chosen among the figures of the line
   large enough to protect it (the smallest such cell, totals last).
3. **Exact check**: for every hidden cell, the smallest and largest values consistent with all
   shown figures (and those of the previous release) are computed with a small linear
   programme (solved by HiGHS); while one of them lies closer than the protection
   margin (a count: `k`; a sum: the larger of 20 % of the value and the largest organisation's
   contribution), another figure of its lines is hidden. The tests audit the result
   independently with SciPy's HiGHS.
4. **Linked tables** (`protect_linked`): the tables of a release that count the same figures of
   the same organisations are audited together, over atoms (groups of organisations' pieces
   that sit in the same figures of every table); a hidden figure pinned across them gets
   another figure hidden (reason « linked ») until none is. Each group of linked figures has a
   work budget (LINKED_BUDGET); out of it, its figures resting on fewer than
   LINKED_FALLBACK_ORGANISATIONS organisations are hidden instead (LinkedResult.fallback).

Cells without any contribution are empty (shown as « — »), not hidden.
"""

import os
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import highspy
import numpy

TEAM = "team"
PER_ORG = "per_org"

COUNT = "count"  # the value counts respondents or organisations: protection margin k
SUM = "sum"  # the value sums scores or amounts: margin max(20 % of the value, largest contribution)

MIN_ORGANISATIONS = {TEAM: 3, PER_ORG: 5}
DOMINANCE = 0.85
SUM_MARGIN_SHARE = 0.20

REASONS = {
    "too_few": "Chiffre masqué : il reposerait sur trop peu de structures (au moins 3 pour les "
    "diagnostics d’équipe, 5 pour une réponse par structure).",
    "small_team": "Chiffre masqué : une des structures concernées a une équipe trop petite pour que "
    "ses réponses restent anonymes.",
    "dominance": "Chiffre masqué : une seule structure y pèse plus de 85 %, il la décrirait "
    "presque à elle seule.",
    "unanimous": "Chiffre masqué : toutes les structures concernées ont donné la même réponse, il "
    "dirait ce que chacune a répondu.",
    "known": "Chiffre masqué : sans les structures dont vous voyez déjà les résultats, il reposerait "
    "sur trop peu d’autres structures.",
    "secondary": "Chiffre masqué pour qu’un autre chiffre masqué ne puisse pas être retrouvé par "
    "addition ou soustraction.",
    "linked": "Chiffre masqué pour qu’un chiffre masqué d’un autre tableau de la publication ne "
    "puisse pas être retrouvé en croisant les tableaux.",
    "difference": "Chiffre masqué : comparé à la publication précédente, il révélerait les "
    "chiffres des quelques structures qui ont changé.",
    "empty": "Aucune structure dans cette case.",
}

_EPS = 1e-7


@dataclass(frozen=True)
class Contribution:
    organisation: int
    value: float
    weight: int = 1
    answer: object = None


@dataclass
class Cell:
    value: float | None
    weight: int | None
    organisations: int | None
    reason: str
    primary: bool

    @property
    def shown(self):
        return self.value is not None

    @property
    def empty(self):
        return self.reason == "empty"

    @property
    def mean(self):
        """value / weight when shown and not empty (a mean score, a share), else None."""
        if self.value is None or not self.weight:
            return None
        return self.value / self.weight

    @property
    def explanation(self):
        return REASONS.get(self.reason, "") if self.reason else ""


@dataclass
class PreviousTable:
    """The same table in the previous release: its contributions ({(row, col): [Contribution]})
    and which of its figures were shown, keyed (row, col), ("row", r), ("col", c), ("total",).
    A figure missing from `shown` counts as not shown."""

    cells: dict
    shown: dict = field(default_factory=dict)


@dataclass
class ProtectedTable:
    cells: dict
    row_totals: dict
    column_totals: dict
    total: Cell | None
    rows: list
    columns: list
    measure: str
    unresolved: list = field(default_factory=list)  # hidden figures whose margin could not be reached

    def figures(self):
        """Every figure with its key as in PreviousTable.shown: (row, col), ("row", r),
        ("col", c), ("total",)."""
        found = dict(self.cells)
        found.update({("row", r): cell for r, cell in self.row_totals.items()})
        found.update({("col", c): cell for c, cell in self.column_totals.items()})
        if self.total is not None:
            found[("total",)] = self.total
        return found

    def shown_map(self):
        """{key: shown} for every figure: what the next release passes as PreviousTable.shown."""
        return {key: cell.shown for key, cell in self.figures().items()}


# Inside this module, elements are tagged: inner cells ("cell", r, c), totals ("row", r),
# ("col", c), ("total",); they become (row, col) keys only in what `protect` returns.


def _merge(contributions):
    """{organisation: (value, weight, frozenset of answers)} — one entry per organisation."""
    merged = {}
    for c in contributions:
        value, weight, answers = merged.get(c.organisation, (0.0, 0, frozenset()))
        if c.answer is not None:
            answers = answers | {c.answer}
        merged[c.organisation] = (value + c.value, weight + c.weight, answers)
    return merged


def infer_measure(contributions):
    """COUNT when every contribution's value is a whole number between 0 and its weight (a count
    of respondents or organisations cannot exceed the responses behind it), else SUM."""
    for c in contributions:
        if c.value < 0 or c.value > c.weight or float(c.value) != int(c.value):
            return SUM
    return COUNT


def protection_margin(contributions, *, k, measure):
    """How far apart the smallest and largest values consistent with a release must lie."""
    if measure == COUNT:
        return float(k)
    merged = _merge(contributions)
    value = sum(v for v, _, _ in merged.values())
    largest = max((abs(v) for v, _, _ in merged.values()), default=0.0)
    return max(SUM_MARGIN_SHARE * abs(value), largest)


def primary_reason(contributions, *, rule, k, known=frozenset(), measure=COUNT):
    """The primary rule that hides a figure built from `contributions`, or "" (shown), or
    "empty" (no contribution)."""
    if not contributions:
        return "empty"
    minimum = MIN_ORGANISATIONS[rule]
    if rule == TEAM and any(c.weight < k for c in contributions):
        return "small_team"
    merged = _merge(contributions)
    if len(merged) < minimum:
        return "too_few"
    unknown = {org: entry for org, entry in merged.items() if org not in known}
    if len(unknown) < minimum:
        return "known"
    weights = [w for _, w, _ in unknown.values()]
    if sum(weights) > 0 and max(weights) > DOMINANCE * sum(weights):
        return "dominance"
    if measure == SUM:
        values = [v for v, _, _ in unknown.values()]
        if all(v >= 0 for v in values) and sum(values) > 0 and max(values) > DOMINANCE * sum(values):
            return "dominance"
    if rule == PER_ORG:
        answers = set().union(*(a for _, _, a in unknown.values()))
        if len(answers) == 1:
            return "unanimous"
    return ""


def changed_organisations(current, previous):
    """Organisations added, removed, or whose contribution changed between two releases."""
    now, before = _merge(current), _merge(previous)
    return {
        org
        for org in now.keys() | before.keys()
        if org not in now or org not in before or now[org][:2] != before[org][:2]
    }


class _Layout:
    """The elements of a table (inner cells and totals) and the lines that add up."""

    def __init__(self, cells, row_totals, column_totals, rows=None, columns=None):
        self.rows = list(rows) if rows is not None else _ordered(key[0] for key in cells)
        self.columns = list(columns) if columns is not None else _ordered(key[1] for key in cells)
        self.inner = [("cell", r, c) for r in self.rows for c in self.columns]
        self.row_totals = [("row", r) for r in self.rows] if row_totals else []
        self.column_totals = [("col", c) for c in self.columns] if column_totals else []
        self.total = [("total",)] if row_totals and column_totals else []
        self.elements = self.inner + self.row_totals + self.column_totals + self.total
        self.lines = []  # (parts, total element): sum of parts == total
        if row_totals:
            for r in self.rows:
                self.lines.append(([("cell", r, c) for c in self.columns], ("row", r)))
        if column_totals:
            for c in self.columns:
                self.lines.append(([("cell", r, c) for r in self.rows], ("col", c)))
        if self.total:
            self.lines.append((list(self.row_totals), ("total",)))
            self.lines.append((list(self.column_totals), ("total",)))
        self.lines_of = defaultdict(list)
        for index, (parts, total) in enumerate(self.lines):
            for element in [*parts, total]:
                self.lines_of[element].append(index)

    def contributions(self, cells):
        """{element: [Contribution]} — totals are the union of their line's contributions."""
        found = {("cell", r, c): list(cells.get((r, c), [])) for r in self.rows for c in self.columns}
        for r in self.rows if self.row_totals else []:
            found[("row", r)] = [x for c in self.columns for x in found[("cell", r, c)]]
        for c in self.columns if self.column_totals else []:
            found[("col", c)] = [x for r in self.rows for x in found[("cell", r, c)]]
        if self.total:
            found[("total",)] = [x for element in self.inner for x in found[element]]
        return found


def _ordered(keys):
    seen = {}
    for key in keys:
        seen.setdefault(key, None)
    return list(seen)


def _public_key(element):
    return (element[1], element[2]) if element[0] == "cell" else element


def protect(
    cells,
    *,
    rule,
    k,
    known=frozenset(),
    row_totals=True,
    column_totals=True,
    previous=None,
    measure=None,
    rows=None,
    columns=None,
    hide=(),
):
    """Protect a one- or two-way table.

    cells: {(row_key, column_key): [Contribution, …]} (one-way tables have a single column key);
    rows / columns: the keys in display order, for rows or columns that may be missing from
    `cells` (they then show empty cells); default: the keys of `cells` in order.
    rule: TEAM or PER_ORG; k: the team threshold (and the protection margin of counts);
    known: organisations whose figures the reader already sees individually;
    row_totals / column_totals: whether the table shows them (the grand total only with both);
    previous: the same table in the previous release (PreviousTable), or None;
    measure: COUNT or SUM (default: `infer_measure` over all contributions);
    hide: figures to hide besides those the rules hide, keyed as in PreviousTable.shown, as a
    set (reason "linked") or as {key: reason} (`protect_linked` passes those that protect a
    hidden figure of another table); the secondary suppression and the exact check then run
    with them hidden.

    Returns a ProtectedTable; its `cells` are keyed (row, col), `row_totals` by row,
    `column_totals` by column, `total` is None unless both kinds of totals are asked.
    """
    if rule not in MIN_ORGANISATIONS:
        raise ValueError(f"unknown rule {rule!r}")
    known = frozenset(known)
    if previous is not None:  # rows or columns that only existed before show empty cells now
        rows = _ordered(
            [*(rows if rows is not None else (key[0] for key in cells)), *(key[0] for key in previous.cells)]
        )
        columns = _ordered(
            [
                *(columns if columns is not None else (key[1] for key in cells)),
                *(key[1] for key in previous.cells),
            ]
        )
    layout = _Layout(cells, row_totals, column_totals, rows, columns)
    contributions = layout.contributions(cells)
    if measure is None:
        measure = infer_measure([x for element in layout.inner for x in contributions[element]])
    values = {e: float(sum(c.value for c in contributions[e])) for e in layout.elements}
    minimum = MIN_ORGANISATIONS[rule]

    reasons = {
        e: primary_reason(contributions[e], rule=rule, k=k, known=known, measure=measure)
        for e in layout.elements
    }
    before = None
    published = set()  # figures whose exact value the previous release already showed
    if previous is not None:
        before = layout.contributions(previous.cells)
        for element in layout.elements:
            if not previous.shown.get(_public_key(element), False):
                continue
            changed = changed_organisations(contributions[element], before[element]) - known
            if not changed:
                published.add(element)
            elif not reasons[element] and len(changed) < minimum:
                reasons[element] = "difference"
    hidden = {e for e in layout.elements if reasons[e] not in ("", "empty")}
    primary = set(hidden)
    forced = {}  # figures hidden on the caller's word: {element: reason}
    for key in hide:
        element = ("cell", *key) if len(key) == 2 and ("cell", *key) in reasons else tuple(key)
        if element in reasons and reasons[element] != "empty" and element not in hidden:
            hidden.add(element)
            forced[element] = hide[key] if isinstance(hide, dict) else "linked"
    margins = {
        e: protection_margin(contributions[e], k=k, measure=measure)
        for e in layout.elements
        if reasons[e] != "empty"
    }

    def candidates(line_indexes, linked=()):
        found = []
        for index in line_indexes:
            parts, total = layout.lines[index]
            found += [*parts, total]
        found += linked
        return _ordered(e for e in found if e not in hidden and reasons[e] != "empty")

    previous_totals = []
    if previous is not None:
        previous_totals = [
            set(_inner_of(e, layout))
            for e, shown in _previous_figures(previous, layout).items()
            if shown and e[0] != "cell"
        ]

    def linked_by_previous(element):
        """The figures that a total of the previous release ties to this one."""
        mine = set(_inner_of(element, layout))
        found = []
        for inner in previous_totals:
            if inner & mine:
                found += sorted(inner - mine, key=layout.elements.index)
        return found

    def best(options, needed):
        """The partner that protects at least cost: an inner cell at least as large as the
        margin (the smallest such), else a total that is, else the largest figure."""
        inner = [e for e in options if e[0] == "cell"]
        for group in (inner, options):
            large = [e for e in group if values[e] >= needed - _EPS]
            if large:
                return min(large, key=lambda e: (values[e], layout.elements.index(e)))
        return max(options, key=lambda e: (values[e], -layout.elements.index(e))) if options else None

    def close_lines():
        changed = True
        while changed:
            changed = False
            for index, (parts, total) in enumerate(layout.lines):
                line = [*parts, total]
                if sum(1 for e in line if e in hidden) != 1:
                    continue
                alone = next(e for e in line if e in hidden)
                partner = best(candidates([index]), margins[alone])
                if partner is not None:
                    hidden.add(partner)
                    changed = True

    unresolved = []
    passed = set()
    while True:
        close_lines()
        if not hidden:
            break
        # Hiding more only loosens what a reader can infer: a figure that passed stays passed.
        targets = [e for e in layout.elements if e in hidden and e not in published and e not in passed]
        ranges = _ranges(layout, values, hidden, previous, before, contributions, targets, margins)
        failing = [e for e in targets if ranges[e] < margins[e] - _EPS * (1 + margins[e])]
        passed.update(e for e in targets if e not in failing)
        added = set()
        for element in failing:
            lines = layout.lines_of[element]
            if any(index in layout.lines_of[a] for a in added for index in lines):
                continue  # a figure hidden for another cell of the same line may be enough
            options = candidates(lines, linked_by_previous(element))
            partner = best(options, margins[element] - ranges[element])
            if partner is not None:
                hidden.add(partner)
                added.add(partner)
        if not added:
            unresolved = [_public_key(e) for e in failing]
            break

    def cell(element):
        if element in hidden:
            reason = reasons[element] if element in primary else forced.get(element, "secondary")
            return Cell(None, None, None, reason, element in primary)
        merged = _merge(contributions[element])
        weight = sum(c.weight for c in contributions[element])
        return Cell(values[element], weight, len(merged), reasons[element], False)

    return ProtectedTable(
        cells={(e[1], e[2]): cell(e) for e in layout.inner},
        row_totals={e[1]: cell(e) for e in layout.row_totals},
        column_totals={e[1]: cell(e) for e in layout.column_totals},
        total=cell(("total",)) if layout.total else None,
        rows=layout.rows,
        columns=layout.columns,
        measure=measure,
        unresolved=unresolved,
    )


def _inner_of(element, layout):
    """The inner cells a figure adds up."""
    if element[0] == "cell":
        return [element]
    if element[0] == "total":
        return list(layout.inner)
    if element[0] == "row":
        return [("cell", element[1], c) for c in layout.columns]
    return [("cell", r, element[1]) for r in layout.rows]


def _previous_figures(previous, layout):
    """{element: shown} of the previous release, its totals read from its keys (a key that is
    not an inner cell of the grid and reads ("row", r), ("col", c) or ("total",))."""
    grid = {(r, c) for r in layout.rows for c in layout.columns}
    figures = {}
    for key, shown in previous.shown.items():
        if key in grid:
            figures[("cell", *key)] = shown
        elif key == ("total",) or (len(key) == 2 and key[0] in ("row", "col")):
            figures[tuple(key)] = shown
    return figures


def _ranges(layout, values, hidden, previous, before, contributions, targets, margins):
    """For each target (hidden) element, max − min of its value over every table consistent with what
    is shown now and in the previous release: one variable per hidden inner cell of each
    release (non-negative), one equation per shown total, and between the two releases, for
    each inner cell, now = before when no organisation changed, now ≥ before when some only
    joined or grew (now = before + a, a ≥ 0), now ≤ before when some only left (before = now +
    b); nothing when both happened. Grouping organisations by cell loses nothing: an equation
    only ever sees a cell's sum. The true value being feasible, max − true ≥ margin is enough:
    the minimum is then not computed and the range returned is max − true."""
    variables = {}
    equations = []  # ({var: coef}, constant): sum coef * var == constant

    def term(element, release):
        """({var: 1}, 0) for a cell the reader does not see, ({}, value) for one they do."""
        if release == "now":
            if element in hidden:
                return {variables.setdefault(("now", element), len(variables)): 1.0}, 0.0
            return {}, values[element]
        if previous_shown.get(element, False):
            return {}, float(sum(c.value for c in before[element]))
        return {variables.setdefault(("before", element), len(variables)): 1.0}, 0.0

    def add(signed_terms, constant=0.0):
        coefficients = defaultdict(float)
        for (terms, value), sign in signed_terms:
            for var, coef in terms.items():
                coefficients[var] += sign * coef
            constant -= sign * value
        coefficients = {v: c for v, c in coefficients.items() if c}
        if coefficients:
            equations.append((coefficients, constant))

    def figure(element, release):
        return [(term(inner, release), 1.0) for inner in _inner_of(element, layout)]

    previous_shown = {}
    for element in layout.inner:  # every hidden cell is a variable, even one no equation sees
        term(element, "now")
    for element in layout.elements:
        if element[0] != "cell" and element not in hidden:
            add(figure(element, "now"), values[element])
    if previous is not None:
        previous_shown = _previous_figures(previous, layout)
        for element, shown in previous_shown.items():
            if shown and element[0] != "cell":
                value = sum(c.value for inner in _inner_of(element, layout) for c in before[inner])
                add(figure(element, "before"), float(value))
        for element in layout.inner:
            mine, theirs = _merge(contributions[element]), _merge(before[element])
            grew = any(org not in theirs or theirs[org][:2] != mine[org][:2] for org in mine)
            shrank = any(org not in mine or mine[org][:2] != theirs[org][:2] for org in theirs)
            now, then = term(element, "now"), term(element, "before")
            if grew and shrank:
                continue  # the two releases' values are unrelated
            if grew:
                slack = ({variables.setdefault(("grew", element), len(variables)): 1.0}, 0.0)
                add([(now, 1.0), (then, -1.0), (slack, -1.0)])
            elif shrank:
                slack = ({variables.setdefault(("shrank", element), len(variables)): 1.0}, 0.0)
                add([(then, 1.0), (now, -1.0), (slack, -1.0)])
            else:
                add([(now, 1.0), (then, -1.0)])

    simplex = _LinearProgramme(len(variables), equations)
    ranges = {}
    for element in targets:
        objective, true = defaultdict(float), 0.0
        for inner in _inner_of(element, layout):
            for var, coef in term(inner, "now")[0].items():
                objective[var] += coef
                true += coef * values[inner]
        if not simplex.feasible:  # cannot happen with true figures; hide nothing more for it
            ranges[element] = float("inf")
            continue
        high = simplex.maximise(objective, at_least=true + margins[element])
        if high - true >= margins[element]:
            ranges[element] = high - true
        else:
            ranges[element] = high - simplex.minimise(objective, at_most=high - margins[element])
    return ranges


class _OutOfPivots(Exception):
    """The linear programmes of a group of linked figures used up their budget (`_Budget`)."""


class _Budget:
    """The simplex iterations the linear programmes of one group of linked figures may make:
    deterministic, unlike a time limit."""

    def __init__(self, left):
        self.left = left

    def charge(self, work):
        if self.left is None:  # no limit
            return
        self.left -= work
        if self.left < 0:
            raise _OutOfPivots


_QUIET = threading.Lock()


@cache
def _quiet_highs():
    """HiGHS prints its banner on the process's standard output the first time a solver is
    made: the first one is made here with that output sent to /dev/null (a management command
    or a worker keeps its output for what it has to say)."""
    with _QUIET:
        return _make_first_highs()


def _make_first_highs():
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return True


class _LinearProgramme:
    """min / max of linear objectives subject to A x = b, 0 <= x <= upper, solved by HiGHS
    (highspy, the solver SciPy's `linprog` runs too). The constraints are loaded once; each
    objective is a new cost vector, solved from the basis the previous one ended in (no
    presolve, which would start afresh). `upper`: {var: bound} (the others are unbounded).
    `budget` (a _Budget) bounds the simplex iterations of all the solves (then _OutOfPivots);
    without one, a solve that does not end in an optimum raises, so that nothing is published
    unchecked."""

    def __init__(self, n, equations, budget=None, upper=None):
        _quiet_highs()
        self.n = n
        self.budget = budget
        self.highs = highspy.Highs()
        self.highs.silent()
        self.highs.setOptionValue("random_seed", 0)
        self.highs.setOptionValue("threads", 1)  # one solve per thread of the application
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 4)  # primal: a new objective keeps the point feasible
        bounds = numpy.full(n, highspy.kHighsInf)
        for var, bound in (upper or {}).items():
            bounds[var] = bound
        self.highs.addVars(n, numpy.zeros(n), bounds)
        starts, indexes, coefficients, constants = [], [], [], []
        for terms, constant in equations:
            starts.append(len(indexes))
            indexes.extend(terms)
            coefficients.extend(terms.values())
            constants.append(constant)
        if constants:
            bounds = numpy.array(constants, dtype=float)
            self.highs.addRows(
                len(constants),
                bounds,
                bounds,
                len(indexes),
                numpy.array(starts, dtype=numpy.int32),
                numpy.array(indexes, dtype=numpy.int32),
                numpy.array(coefficients, dtype=float),
            )
        self._costed = []  # the variables whose cost the last objective set
        self.feasible = n == 0 or self._run({}, 1.0) != "infeasible"

    def _run(self, objective, sign):
        """Solve for `objective` ({var: coef}) minimised (sign 1) or maximised (sign −1):
        "optimal", "unbounded" or "infeasible"."""
        highs = self.highs
        if self._costed:
            count = len(self._costed)
            highs.changeColsCost(count, numpy.array(self._costed, dtype=numpy.int32), numpy.zeros(count))
        self._costed = list(objective)
        if objective:
            highs.changeColsCost(
                len(objective),
                numpy.array(self._costed, dtype=numpy.int32),
                numpy.array(list(objective.values()), dtype=float),
            )
        highs.changeObjectiveSense(highspy.ObjSense.kMinimize if sign > 0 else highspy.ObjSense.kMaximize)
        if self.budget is not None and self.budget.left is not None:
            highs.setOptionValue("simplex_iteration_limit", max(int(self.budget.left), 0))
        highs.run()
        status = highs.getModelStatus()
        if self.budget is not None:
            self.budget.charge(max(1, highs.getInfo().simplex_iteration_count))
        if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty):
            return "optimal"
        if status == highspy.HighsModelStatus.kInfeasible:
            return "infeasible"
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return "unbounded"
        if self.budget is not None:
            raise _OutOfPivots
        raise RuntimeError(f"HiGHS n'a pas pu résoudre un programme d'audit : {status.name}")

    def _value(self, objective):
        values = self.highs.getSolution().col_value
        return sum(coef * values[var] for var, coef in objective.items())

    def _solve(self, objective, sign):
        """ "optimal" or "unbounded"; a programme found feasible at first and infeasible now
        (numerical trouble) is a failed solve, never read as an optimum."""
        outcome = self._run(objective, sign)
        if outcome == "infeasible":
            if self.budget is not None:
                raise _OutOfPivots
            raise RuntimeError("HiGHS n'a pas pu résoudre un programme d'audit : infaisable")
        return outcome

    def solution(self, objective):
        """(min of sum(coef * x[var]), [x]) — None for x when unbounded."""
        if self._solve(objective, 1.0) == "unbounded":
            return float("-inf"), None
        return self._value(objective), list(self.highs.getSolution().col_value)

    def maximise(self, objective, at_least=None):
        """max of sum(coef * x[var]) over {var: coef}; inf when unbounded. (`at_least` is the
        value the caller needs to reach; HiGHS solves to the optimum.)"""
        if self._solve(objective, -1.0) == "unbounded":
            return float("inf")
        return self._value(objective)

    def minimise(self, objective, at_most=None):
        """min of sum(coef * x[var]); -inf when unbounded."""
        if self._solve(objective, 1.0) == "unbounded":
            return float("-inf")
        return self._value(objective)


# ---------------------------------------------------------------------------------------------
# Linked tables: the tables of a release that count the same things of the same organisations.

# A figure's protection margin in the joint audit is capped at this share of its a-priori width
# (the sum of the widths of the bounds of what it adds up), when that width is finite: a theme
# score lies between 0 and 5, so the interval of one organisation's score cannot be wider than 5.
LINKED_WIDTH_SHARE = 0.25
# The joint audit's linear programmes are solved by HiGHS (`_LinearProgramme`): a group of
# linked figures with more atoms than this is not audited jointly, and the release lists it
# (LinkedResult.unchecked) and hides its figures resting on few organisations (below).
LINKED_ATOMS_LIMIT = 100_000
# The simplex iterations the joint audit's linear programmes may make for one group of linked
# figures (`_Budget`). A group that needs more is no longer audited; its shown figures resting
# on fewer than LINKED_FALLBACK_ORGANISATIONS organisations are hidden instead (reason
# « linked », listed in LinkedResult.fallback).
LINKED_BUDGET = 2_000_000
LINKED_FALLBACK_ORGANISATIONS = 10


@dataclass
class LinkedTable:
    """One table of a release for `protect_linked`.

    protect: a callable(hide) returning the table's ProtectedTable with the figures of `hide`
    (as in `protect`) hidden too;
    terms: {(row, column): {quantity: {piece: coefficient}}}: what each inner cell's figures add
    up (a total adds up its inner cells); a quantity is a figure the cell shows (its value, or
    its weight when that is a figure of its own, such as the responses behind a participation
    cell); a piece is a tuple whose second item is the organisation;
    measures: {quantity: COUNT or SUM} (the protection margin of its figures)."""

    protect: object
    terms: dict
    measures: dict


@dataclass
class LinkedResult:
    tables: dict  # {table key: ProtectedTable}
    unresolved: list  # [(table key, figure key, quantity)] still pinned when nothing more helps
    unchecked: list = field(default_factory=list)  # [(quantities, atoms)] not audited jointly
    rounds: int = 0
    fallback: list = field(default_factory=list)  # [(table key, figure key, quantity)] hidden unaudited


def _inner_keys(key, protected):
    if key in protected.cells:
        return [key]
    if key == ("total",):
        return list(protected.cells)
    if key[0] == "row":
        return [(key[1], c) for c in protected.columns]
    return [(r, key[1]) for r in protected.rows]


def _linked_figures(tables, results):
    """{(table, key, quantity): terms} of every non-empty figure, and the ids of the hidden ones."""
    figures, hidden = {}, set()
    for name, table in tables.items():
        protected = results[name]
        for key, cell in protected.figures().items():
            if cell.empty:
                continue
            per_quantity = {}
            for inner in _inner_keys(key, protected):
                for quantity, terms in table.terms.get(inner, {}).items():
                    into = per_quantity.setdefault(quantity, {})
                    for piece, coefficient in terms.items():
                        into[piece] = into.get(piece, 0.0) + coefficient
            for quantity, terms in per_quantity.items():
                terms = {piece: c for piece, c in terms.items() if c}
                if terms:
                    figures[(name, key, quantity)] = terms
                    if not cell.shown:
                        hidden.add((name, key, quantity))
    return figures, hidden


def linked_margin(terms, pieces, *, measure, k):
    """The protection margin of a figure in the joint audit: as `protection_margin` (k for a
    count; for a sum, the larger of 20 % of its value and its largest organisation's part),
    capped at LINKED_WIDTH_SHARE of the width its bounds allow when that is finite."""
    if measure == COUNT:
        margin = float(k)
    else:
        per_organisation = defaultdict(float)
        for piece, coefficient in terms.items():
            per_organisation[piece[1]] += coefficient * pieces[piece][0]
        value = sum(per_organisation.values())
        margin = max(
            SUM_MARGIN_SHARE * abs(value), max((abs(v) for v in per_organisation.values()), default=0)
        )
    if all(pieces[piece][2] is not None for piece in terms):
        width = sum(abs(c) * (pieces[p][2] - pieces[p][1]) for p, c in terms.items())
        margin = min(margin, LINKED_WIDTH_SHARE * width)
    return margin


class _Atoms:
    """The pieces grouped by the figures they sit in (with the same coefficients): the joint
    audit's variables. Each atom: its value, lower bound, upper bound (None: unbounded)."""

    def __init__(self, figures, pieces, identities, known):
        self.ids = list(figures) + [("identity", n) for n in range(len(identities))]
        index = {fid: n for n, fid in enumerate(self.ids)}
        signature = {}
        for fid, terms in [*figures.items(), *((("identity", n), t) for n, (t, _v) in enumerate(identities))]:
            for piece, coefficient in terms.items():
                signature.setdefault(piece, []).append((index[fid], coefficient))
        grouped = {}
        for piece, sign in signature.items():
            value, low, high = pieces[piece]
            if piece[1] in known:
                low = high = value  # the reader sees this organisation's figures
            atom = grouped.setdefault(tuple(sign), [0.0, 0.0, 0.0])
            atom[0] += value
            atom[1] += low
            atom[2] = None if atom[2] is None or high is None else atom[2] + high
        self.atoms = [(sign, *bounds) for sign, bounds in grouped.items()]
        self.of_figure = defaultdict(list)  # figure index -> [(atom index, coefficient)]
        for a, (sign, *_bounds) in enumerate(self.atoms):
            for f, coefficient in sign:
                self.of_figure[f].append((a, coefficient))
        self.index = index
        # Figures that share no piece, directly or through others, are audited apart.
        parent = list(range(len(self.ids)))

        def root(f):
            while parent[f] != f:
                parent[f] = parent[parent[f]]
                f = parent[f]
            return f

        for sign, *_bounds in self.atoms:
            first = root(sign[0][0])
            for f, _c in sign[1:]:
                parent[root(f)] = first
        self.component = [root(f) for f in range(len(self.ids))]
        self.atoms_of = defaultdict(list)
        for a, (sign, *_bounds) in enumerate(self.atoms):
            self.atoms_of[self.component[sign[0][0]]].append(a)
        self.figures_of = defaultdict(list)
        for f, component in enumerate(self.component):
            self.figures_of[component].append(f)

    def ranges(self, hidden, targets, margins, budgets=None):
        """{target id: max − min} of each target's value over every assignment of the atoms
        within their bounds that gives every figure not in `hidden` its true value."""
        by_component = defaultdict(list)
        for fid in targets:
            by_component[self.component[self.index[fid]]].append(fid)
        found = {}
        for component, some in by_component.items():
            budget = None if budgets is None else budgets[component]
            found.update(self._ranges(component, hidden, some, margins, budget))
        return found

    def cover(self, target, hidden, margin, costs, budget=None):
        """The figures to hide so that `target` can move by `margin` (up or down) with every
        other shown figure unchanged, at least total cost: an elastic linear programme (each
        shown figure may change at a cost per unit), solved both ways, the cheaper kept.
        Returns the indices of the figures that change, or None when no hiding would do."""
        component = self.component[self.index[target]]
        hidden_index = {self.index[fid] for fid in hidden}
        target_index = self.index[target]
        best = None
        for direction in (1.0, -1.0):
            # One variable per atom that may move: its value minus its lower bound (≥ 0), with a
            # slack up to its upper bound; a figure changes by Σ coefficient × (variable − shift).
            variables, equations, moves, shift, upper = {}, [], {}, {}, {}
            for a in self.atoms_of[component]:
                sign, value, low, high = self.atoms[a]
                if high is not None and high - low <= _EPS * (1 + abs(high)):
                    continue
                moves[a] = variables.setdefault(("atom", a), len(variables))
                shift[a] = value - low
                if high is not None:
                    upper[moves[a]] = high - low
            objective, changes = {}, {}
            for f in self.figures_of[component]:
                if f in hidden_index and f != target_index:
                    continue
                coefficients, constant = {}, 0.0
                for a, coefficient in self.of_figure[f]:
                    if a in moves:
                        coefficients[moves[a]] = coefficients.get(moves[a], 0.0) + coefficient
                        constant += coefficient * shift[a]
                if not coefficients:
                    continue
                if f == target_index:
                    coefficients = {v: direction * c for v, c in coefficients.items()}
                    coefficients[variables.setdefault(("excess",), len(variables))] = -1.0
                    equations.append((coefficients, margin + direction * constant))
                elif self.ids[f][0] == "identity":
                    equations.append((coefficients, constant))
                else:
                    more = variables.setdefault(("more", f), len(variables))
                    less = variables.setdefault(("less", f), len(variables))
                    coefficients[more] = -1.0
                    coefficients[less] = 1.0
                    equations.append((coefficients, constant))
                    objective[more] = objective[less] = costs[self.ids[f]]
                    changes[f] = (more, less)
            if ("excess",) not in variables:
                continue
            simplex = _LinearProgramme(len(variables), equations, budget=budget, upper=upper)
            if not simplex.feasible:
                continue
            cost, x = simplex.solution(objective)
            if x is None:
                continue
            if best is None or cost < best[0] - _EPS:
                scale = max(1.0, margin)
                best = (cost, [f for f, (more, less) in changes.items() if x[more] + x[less] > 1e-7 * scale])
            if not best[1]:
                break  # the target already moves by its margin: nothing to hide
        return None if best is None else best[1]

    def _ranges(self, component, hidden, targets, margins, budget=None):
        hidden_index = {self.index[fid] for fid in hidden}
        variables, equations, free, upper = {}, [], {}, {}
        for a in self.atoms_of[component]:
            sign, value, low, high = self.atoms[a]
            if high is not None and high - low <= _EPS * (1 + abs(high)):
                continue
            free[a] = variables.setdefault(("atom", a), len(variables))
            if high is not None:
                upper[free[a]] = high - low
        for f in self.figures_of[component]:
            if f in hidden_index:
                continue
            coefficients, constant = {}, 0.0
            for a, coefficient in self.of_figure[f]:
                value, low = self.atoms[a][1], self.atoms[a][2]
                if a in free:
                    coefficients[free[a]] = coefficients.get(free[a], 0.0) + coefficient
                    constant += coefficient * (value - low)
            if coefficients:
                equations.append((coefficients, constant))
        simplex = _LinearProgramme(len(variables), equations, budget=budget, upper=upper)
        found = {}
        for fid in targets:
            objective, true = {}, 0.0
            for a, coefficient in self.of_figure[self.index[fid]]:
                if a in free:
                    objective[free[a]] = objective.get(free[a], 0.0) + coefficient
                    true += coefficient * (self.atoms[a][1] - self.atoms[a][2])
            if not objective:
                found[fid] = 0.0
            elif not simplex.feasible:
                found[fid] = float("inf")
            else:
                high = simplex.maximise(objective, at_least=true + margins[fid])
                if high - true >= margins[fid]:
                    found[fid] = high - true
                else:
                    found[fid] = high - simplex.minimise(objective, at_most=high - margins[fid])
        return found


def protect_linked(tables, *, pieces, k, known=frozenset(), identities=(), budget=LINKED_BUDGET):
    """Protect together the tables of a release that count the same things of the same
    organisations (docs/disclosure.md, « Linked tables »).

    tables: {key: LinkedTable}, in a fixed order; pieces: {piece: (value, low, high or None)}:
    the true value of every piece and the bounds any reader knows it lies in; identities:
    [({piece: coefficient}, value)], sums any reader knows (an organisation has one maturity
    level); known: organisations whose figures the reader sees individually.

    Each table is first protected on its own; then, while a hidden figure can be computed, from
    everything the tables show together, to within less than its margin (`linked_margin`), the
    shown figure whose hiding widens it most at least cost is hidden too (reason « linked »),
    its table protected again with it, and the audit runs again. Hiding more only widens the
    intervals, so a figure that passed stays passed and the loop ends."""
    known = frozenset(known)
    results = {name: table.protect({}) for name, table in tables.items()}
    hide = {name: {} for name in tables}
    passed, unresolved, rounds, fallback = set(), [], 0, []
    atoms = margins = None
    while True:
        figures, hidden = _linked_figures(tables, results)
        if atoms is None:  # the figures (not whether they are shown) are the same every round
            # An identity over pieces no table shows (no linked table at all) says nothing.
            known_sums = [(terms, value) for terms, value in identities if all(p in pieces for p in terms)]
            atoms = _Atoms(figures, pieces, known_sums, known)
            checked, unchecked = set(), []
            # A group too large to audit is treated as one out of budget from the start.
            too_large = [c for c, members in atoms.atoms_of.items() if len(members) > LINKED_ATOMS_LIMIT]
            checked = set(atoms.atoms_of) - set(too_large)
            budgets = {component: _Budget(budget) for component in checked}
            margins = {
                fid: linked_margin(terms, pieces, measure=tables[fid[0]].measures[fid[2]], k=k)
                for fid, terms in figures.items()
                if atoms.component[atoms.index[fid]] in checked
            }
            costs = {
                fid: 1.0 + sum(abs(c * pieces[p][0]) for p, c in terms.items())
                for fid, terms in figures.items()
            }
        by_component = defaultdict(list)
        for fid in figures:
            component = atoms.component[atoms.index[fid]]
            if fid in hidden and fid not in passed and component in checked and margins[fid] > _EPS:
                by_component[component].append(fid)
        ranges, exhausted = {}, list(too_large)
        too_large = []
        if not by_component and not exhausted:
            break
        for component, some in by_component.items():
            try:
                ranges.update(atoms._ranges(component, hidden, some, margins, budgets[component]))
            except _OutOfPivots:
                exhausted.append(component)
        failing = [fid for fid in ranges if ranges[fid] < margins[fid] - _EPS * (1 + margins[fid])]
        passed.update(fid for fid in ranges if fid not in failing)
        if not failing and not exhausted:
            break
        rounds += 1
        added = {}
        now_hidden = set(hidden)
        for fid in failing:
            component = atoms.component[atoms.index[fid]]
            if component in exhausted:
                continue
            # The cover costs nothing (hides nothing) when the figures hidden for the others of
            # this round already let it move by its margin.
            try:
                changed = atoms.cover(fid, now_hidden, margins[fid], costs, budgets[component])
            except _OutOfPivots:
                exhausted.append(component)
                continue
            for f in changed or []:
                name, key, _quantity = atoms.ids[f]
                added.setdefault(name, set()).add(key)
                now_hidden.update(other for other in figures if other[:2] == (name, key))
        for component in exhausted:
            # Out of budget: the group is not audited further; its figures that rest on few
            # organisations are hidden instead (docs/disclosure.md, « Linked tables », cost).
            checked.discard(component)
            quantities = sorted(
                {fid[2] for fid in map(atoms.ids.__getitem__, atoms.figures_of[component]) if len(fid) == 3}
            )
            unchecked.append((", ".join(quantities), len(atoms.atoms_of[component])))
            for f in atoms.figures_of[component]:
                fid = atoms.ids[f]
                if fid[0] == "identity" or fid in now_hidden:
                    continue
                if len({piece[1] for piece in figures[fid]}) < LINKED_FALLBACK_ORGANISATIONS:
                    added.setdefault(fid[0], set()).add(fid[1])
                    fallback.append(fid)
        if not added:
            unresolved = [fid for fid in failing if atoms.component[atoms.index[fid]] in checked]
            break
        for name, keys in added.items():
            # What the table hid before stays hidden, so that hiding only ever grows.
            before = results[name].figures()
            for key, cell in before.items():
                if not cell.shown and not cell.primary and not cell.empty and key not in hide[name]:
                    hide[name][key] = cell.reason
            for key in keys:
                hide[name][key] = "linked"
            results[name] = tables[name].protect(dict(hide[name]))
    return LinkedResult(
        tables=results,
        unresolved=unresolved,
        unchecked=unchecked if atoms else [],
        rounds=rounds,
        fallback=fallback,
    )

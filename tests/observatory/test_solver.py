"""The audit's linear programmes, solved by HiGHS (disclosure._LinearProgramme): the same optima
as SciPy's linprog on the same programmes, bounds as columns, unbounded and infeasible
programmes said as such, and a budget of simplex iterations that stops the audit (the fallback
of the linked tables then hides instead)."""

import random

import pytest
from scipy.optimize import linprog

from reperes.observatory.disclosure import _Budget, _LinearProgramme, _OutOfPivots


def as_arrays(n, equations):
    rows = [[terms.get(j, 0.0) for j in range(n)] for terms, _ in equations]
    return rows, [constant for _, constant in equations]


@pytest.mark.parametrize("seed", range(20))
def test_optima_are_those_of_scipy(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 12)
    truth = [rng.randint(0, 20) for _ in range(n)]
    upper = {j: truth[j] + rng.randint(0, 10) for j in range(n) if rng.random() < 0.4}
    equations = []
    for _ in range(rng.randint(1, n - 1)):
        terms = {j: float(rng.choice([1, 1, 1, -1, 2])) for j in rng.sample(range(n), rng.randint(2, n))}
        equations.append((terms, sum(c * truth[j] for j, c in terms.items())))
    programme = _LinearProgramme(n, equations, upper=upper)
    assert programme.feasible
    rows, constants = as_arrays(n, equations)
    bounds = [(0, upper.get(j)) for j in range(n)]
    for target in range(n):
        objective = {target: 1.0}
        for sign, mine in ((1, programme.minimise(objective)), (-1, programme.maximise(objective))):
            cost = [0.0] * n
            cost[target] = sign
            theirs = linprog(cost, A_eq=rows, b_eq=constants, bounds=bounds, method="highs")
            if theirs.status == 3:  # unbounded
                assert mine == sign * float("-inf")
            else:
                assert mine == pytest.approx(sign * theirs.fun, abs=1e-6)


def test_unbounded_and_infeasible():
    # x0 - x1 = 1: x0 has no maximum; x0 + x1 = -1 has no solution with x >= 0.
    assert _LinearProgramme(2, [({0: 1.0, 1: -1.0}, 1.0)]).maximise({0: 1.0}) == float("inf")
    assert not _LinearProgramme(2, [({0: 1.0, 1: 1.0}, -1.0)]).feasible


def test_solution_gives_the_point():
    value, x = _LinearProgramme(2, [({0: 1.0, 1: 1.0}, 4.0)], upper={0: 3.0}).solution({1: 1.0})
    assert value == pytest.approx(1.0) and x == pytest.approx([3.0, 1.0])


def test_a_budget_of_no_iteration_stops_the_audit():
    with pytest.raises(_OutOfPivots):
        _LinearProgramme(3, [({0: 1.0, 1: 1.0, 2: 1.0}, 6.0)], budget=_Budget(0))

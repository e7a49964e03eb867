"""One scenario of the cross-check: the package against the oracle (used by
``scripts/revocation_crosscheck.py`` and the regression tests of past disagreements)."""

import numpy as np

import paxgame as pg

from . import adapter, compare, scenarios
from .assurance import minimum as oracle_minimum
from .revocation import solve as oracle_solve


#: Grid points per axis of the oracle's minimum (then bisection to 1e-9 of the box).
GRID_1D, GRID_2D = 101, 13


def check(args):
    """Disagreements (list of str) of one scenario, its category and spec."""
    seed, index, category = args
    rng = np.random.default_rng([seed, index])
    sp = scenarios.spec(scenarios.RngChooser(rng), category)
    sc = adapter.to_scenario(sp, pg)
    d = adapter.from_scenario(sc)
    out = []
    n, K = len(sp["partners"]), len(sp["Pi"])
    for label, levels in (("no assurance", None), ("levels", np.asarray(sp["levels"], float))):
        orc = oracle_solve(d, levels)
        try:
            pkg = adapter.equilibrium_fields(pg.solve(sc, levels=levels))
        except (ValueError, TypeError, RuntimeError, ArithmeticError) as err:
            out.append(f"solve ({label}) raised {type(err).__name__}: {err}")
            continue
        out += [f"solve ({label}): {m}" for m in compare.equilibrium(orc, pkg)]
    target = sp["target"]
    axes = scenarios.axes_for(sp)
    orc_min = None
    if axes is not None and (n == 1 or K == 1):
        orc_min = oracle_minimum(d, target, axes, grid=GRID_1D if len(axes) == 1 else GRID_2D)
    try:
        pkg = adapter.assurance_fields(pg.minimum_assurance(sc, target=target))
    except (ValueError, TypeError, RuntimeError, ArithmeticError) as err:
        out.append(f"minimum_assurance raised {type(err).__name__}: {err}")
    else:
        out += [f"minimum_assurance ({target}): {m}"
                for m in compare.minimum(d, target, orc_min, pkg)]
    return category, index, sp, out

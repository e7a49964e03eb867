"""Error catalogue rows for the research workflow: sweeps, figures and the command line."""

import numpy as np

import paxgame as pg
from paxgame import cli, plot
from paxgame.errors import GameFileError

PLURAL = "games/scenarios/plural_dependencies.toml"
GAIN = "partners.0.revocation_gain.hawkish"


def _sc():
    return pg.load(PLURAL)


def _sweep(grid, quantity="amount", **kw):
    return lambda: pg.sweep(_sc(), grid, quantity, **kw)


def _small():
    return pg.sweep(_sc(), {"discount": [0.8, 0.9]}, ["amount", "constructible"])


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(5, 4))
    plt.close(fig)
    return fig


def _three_players():
    return pg.NormalFormGame([np.zeros((2, 2, 2))] * 3)


CASES = [
    # ------------------------------------------------------------------ pg.sweep
    dict(entry="pg.sweep", bad_input="grid is a list, not a mapping",
         call=_sweep([0.5, 0.9]), error=TypeError,
         message="sweep: grid must be a mapping of dotted parameter names to 1-D arrays of "
                 "values, got list"),
    dict(entry="pg.sweep", bad_input="grid={}", call=_sweep({}), error=ValueError,
         message="sweep: grid is empty; give at least one parameter to sweep"),
    dict(entry="pg.sweep", bad_input="a grid value is NaN",
         call=_sweep({"discount": [0.5, np.nan]}), error=ValueError,
         message="sweep: grid['discount'][1] must be finite, got nan"),
    dict(entry="pg.sweep", bad_input="grid values of object dtype",
         call=_sweep({"discount": np.array([0.5, "x"], dtype=object)}), error=TypeError,
         message="sweep: grid['discount'] must hold real numbers only (got an object array)"),
    dict(entry="pg.sweep", bad_input="a two-dimensional grid axis",
         call=_sweep({"discount": [[0.5, 0.6]]}), error=ValueError,
         message="sweep: grid['discount'] must be one-dimensional, got shape (1, 2)"),
    dict(entry="pg.sweep", bad_input="an axis with no values",
         call=_sweep({"discount": []}), error=ValueError,
         message="sweep: grid['discount'] has no values"),
    dict(entry="pg.sweep", bad_input="misspelt parameter name 'dicount'",
         call=_sweep({"dicount": [0.5]}), error=ValueError,
         message="sweep: grid['dicount']: Scenario.replace: unknown parameter 'dicount' "
                 "(did you mean 'discount'?)"),
    dict(entry="pg.sweep", bad_input="δ at 1 in the grid",
         call=_sweep({"discount": [0.9, 1.0]}), error=ValueError,
         message="sweep: grid['discount'][1]: Scenario.replace: discount must lie in (0, 1), "
                 "got 1.0"),
    dict(entry="pg.sweep", bad_input="a negative revocation gain in the grid",
         call=_sweep({GAIN: [-1.0, 2.0]}), error=ValueError,
         message="sweep: grid['partners.0.revocation_gain.hawkish'][0]: Scenario.replace: "
                 "partner 'non-exclusive partner': revocation_gain[1] must be non-negative, "
                 "got -1.0"),
    dict(entry="pg.sweep", bad_input="chunk=0", call=_sweep({"discount": [0.5]}, chunk=0),
         error=ValueError, message="sweep: chunk must be a positive integer, got 0"),
    dict(entry="pg.sweep", bad_input="chunk=2.5", call=_sweep({"discount": [0.5]}, chunk=2.5),
         error=TypeError, message="sweep: chunk must be a positive integer, got float"),
    dict(entry="pg.sweep", bad_input="scheduler='threads'",
         call=_sweep({"discount": [0.5]}, scheduler="threads"), error=ValueError,
         message="Unknown method 'threads' for sweep; choose one of: processes, dask"),
    dict(entry="pg.sweep", bad_input="target='always'",
         call=_sweep({"discount": [0.5]}, target="always"), error=ValueError,
         message=("sweep: target must be one of participation, continuity, unique_participation, "
                  "unique_continuity, got 'always'")),
    dict(entry="pg.sweep", bad_input="unknown quantity 'amont'",
         call=_sweep({"discount": [0.5]}, "amont"), error=ValueError,
         message="sweep: unknown quantity 'amont' (did you mean 'amount'?); choose from: "
                 "amount, constructible, status, total_cost, exact, revocation_probability, "
                 "amount:bond, cost:bond, level_low:bond, level_high:bond"),
    dict(entry="pg.sweep", bad_input="a quantity listed twice",
         call=_sweep({"discount": [0.5]}, ["amount", "amount"]), error=ValueError,
         message="sweep: quantity lists a name twice: ['amount', 'amount']"),
    dict(entry="pg.sweep", bad_input="workers=0",
         call=_sweep({"discount": [0.5]}, workers=0), error=ValueError,
         message="sweep: workers must be a positive integer, got 0"),
    dict(entry="pg.sweep", bad_input="a TU game instead of a scenario",
         call=lambda: pg.sweep(pg.load("games/cooperative/glove.toml"), {"discount": [0.5]}),
         error=TypeError, message="sweep: sc must be a Scenario, got TUGame"),
    dict(entry="pg.sweep", bad_input="out='sweep.nc' (streaming needs Zarr)",
         call=_sweep({"discount": [0.5]}, out="sweep.nc"), error=ValueError,
         message="sweep: out must be a path ending in .zarr (a Zarr store written chunk by "
                 "chunk), got 'sweep.nc'"),
    dict(entry="pg.sweep", bad_input="a grid too large to hold in memory",
         call=_sweep({"discount": np.linspace(0.1, 0.9, 100_000),
                      "screening": np.linspace(0, 1, 10_000)}), error=ValueError,
         message="sweep: the grid has 100000 x 10000 = 1000000000 points, about 7.45 GiB of "
                 "results in memory (more than 2 GiB): write them to a Zarr store chunk by "
                 "chunk (out='results.zarr', --out results.zarr on the command line) or use "
                 "fewer values"),
    dict(entry="pg.sweep", bad_input="a grid of more than 1e10 points",
         call=_sweep({"discount": np.linspace(0.1, 0.9, 100_000),
                      "screening": np.linspace(0, 1, 100_000), "horizon": [5, 10]},
                     out="never.zarr"), error=ValueError,
         message="sweep: the grid has 100000 x 100000 x 2 = 2e+10 points, more than the "
                 "1e+10 a sweep accepts; use fewer values"),
    dict(entry="pg.sweep", bad_input="chunk=10**7 on a grid of 3,000,000 points",
         call=_sweep({"discount": np.linspace(0.1, 0.9, 3_000_000)}, chunk=10**7),
         error=ValueError,
         message="sweep: chunk must be at most 2097152 points (the batch kernel holds a "
                 "chunk's work arrays in memory), got 10000000"),
    # ------------------------------------------------------------------ SweepResult
    dict(entry="SweepResult.save", bad_input="path ending in .csv",
         call=lambda: _small().save("sweep.csv"), error=ValueError,
         message="SweepResult.save: unknown file type '.csv'; use a path ending in .nc "
                 "(netCDF) or .zarr (Zarr)"),
    dict(entry="SweepResult.open", bad_input="path ending in .json",
         call=lambda: pg.SweepResult.open("sweep.json"), error=ValueError,
         message="SweepResult.open: unknown file type '.json'; use a path ending in .nc "
                 "(netCDF) or .zarr (Zarr)"),
    # ------------------------------------------------------------------ figures
    dict(entry="plot.assurance_heatmap", bad_input="a sweep over one parameter",
         call=lambda: plot.assurance_heatmap(_small()), error=ValueError,
         message="assurance_heatmap: needs two swept parameters of length > 1, got "
                 "{'discount': 2}"),
    dict(entry="plot.assurance_heatmap", bad_input="quantity='cost'",
         call=lambda: plot.assurance_heatmap(_small(), quantity="cost"), error=ValueError,
         message="assurance_heatmap: the sweep has no quantity 'cost'; it holds amount, "
                 "constructible"),
    dict(entry="plot.payoff_sets", bad_input="a three-player game",
         call=lambda: plot.payoff_sets([], game=_three_players()), error=ValueError,
         message="payoff_sets: a two-player game is needed, got 3 players"),
    dict(entry="plot.payoff_sets", bad_input="a repeated game instead of its payoff sets",
         call=lambda: plot.payoff_sets(pg.load("games/repeated/prisoners_dilemma_d06.toml")),
         error=TypeError,
         message="payoff_sets: expects payoff sets, got a RepeatedGame; solve first with "
                 "game.payoff_set(method=...) and pass the result"),
    dict(entry="plot.feasible_ir_polygon", bad_input="no minmax values",
         call=lambda: plot.feasible_ir_polygon(pg.load("games/classic/chicken.toml")),
         error=TypeError,
         message="feasible_ir_polygon: minmax is required: the players' minmax values, "
                 "[pg.minmax(game, i, mixed=True) for i in range(2)]"),
    dict(entry="plot.regime_map", bad_input="a scenario instead of its equilibrium",
         call=lambda: plot.regime_map(_sc()), error=TypeError,
         message="regime_map: expects a ScenarioEquilibrium, got a Scenario; solve first "
                 "with pg.solve(scenario) and pass the result"),
    dict(entry="plot.allocation_bars", bad_input="a TU game instead of its allocations",
         call=lambda: plot.allocation_bars(pg.load("games/cooperative/glove.toml")),
         error=TypeError,
         message="allocation_bars: expects allocations, got a TUGame; solve first with "
                 "{'Shapley value': pg.shapley(tu), 'nucleolus': pg.nucleolus(tu)} and "
                 "pass the result"),
    dict(entry="plot.allocation_bars", bad_input="an allocation of the wrong length",
         call=lambda: plot.allocation_bars({"equal split": [0.5, 0.5]},
                                           tu=pg.load("games/cooperative/glove.toml")),
         error=ValueError,
         message="allocation_bars: allocation 'equal split' has 2 entries for 3 players"),
    dict(entry="plot.save", bad_input="dpi=100000",
         call=lambda: plot.save(_figure(), "never.png", dpi=100_000), error=ValueError,
         message="save: dpi must lie in (0, 2400], got 100000"),
    # ------------------------------------------------------------------ command line
    dict(entry="paxgame sweep --grid", bad_input="'discount=0:1:10000000000'",
         call=lambda: cli.parse_grid(["discount=0:1:10000000000"]), error=ValueError,
         message="sweep: --grid 'discount=0:1:10000000000' asks for 10000000000 values; at "
                 "most 10,000,000 per parameter"),
    dict(entry="paxgame sweep --grid", bad_input="'discount' (no range)",
         call=lambda: cli.parse_grid(["discount"]), error=ValueError,
         message="sweep: --grid 'discount' must look like NAME=START:STOP:NUM or "
                 "NAME=V1,V2,..."),
    dict(entry="paxgame sweep --grid", bad_input="'discount=0.5:0.9:0' (no points)",
         call=lambda: cli.parse_grid(["discount=0.5:0.9:0"]), error=ValueError,
         message="sweep: --grid 'discount=0.5:0.9:0' must look like NAME=START:STOP:NUM (NUM "
                 "a positive integer) or NAME=V1,V2,..."),
    dict(entry="paxgame sweep --grid", bad_input="the same name twice",
         call=lambda: cli.parse_grid(["discount=0.5,0.6", "discount=0.7"]), error=ValueError,
         message="sweep: --grid names 'discount' twice"),
    dict(entry="paxgame", bad_input="an unknown command",
         call=lambda: cli.build_parser().parse_args(["frobnicate"]), error=ValueError,
         message="argument COMMAND: invalid choice: 'frobnicate' (choose from 'solve', "
                 "'assurance', 'sweep', 'plot', 'convert', 'bench')"),
    dict(entry="paxgame solve", bad_input="a file that is not TOML or .nfg",
         call=lambda: cli.cmd_solve(cli.build_parser().parse_args(["solve", "README.md"])),
         error=GameFileError,
         message="load: README.md: unknown file type '.md': paxgame reads .toml and .nfg "
                 "files"),
]

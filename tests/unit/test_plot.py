"""Figures: each function returns a Figure drawn from the solver's numbers."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import paxgame as pg  # noqa: E402
from paxgame import plot  # noqa: E402
from paxgame.plot import _clip, _ordered, feasible_ir_polygon  # noqa: E402

PLURAL = "games/scenarios/plural_dependencies.toml"
GAIN = "partners.0.revocation_gain.hawkish"
GAIN_LABEL = "revocation gain of partner 0 (hawkish)"  # the reader's words, not the path


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_ordered_hull_and_clip():
    square = np.array([[0, 0], [1, 1], [1, 0], [0, 1], [0.5, 0.5]], dtype=float)
    hull = _ordered(square)
    assert len(hull) == 4 and {tuple(p) for p in hull} == {(0, 0), (1, 0), (1, 1), (0, 1)}
    clipped = _clip(hull, 0, 0.25)
    assert clipped[:, 0].min() == pytest.approx(0.25)
    area = 0.5 * abs(np.dot(clipped[:, 0], np.roll(clipped[:, 1], 1))
                     - np.dot(clipped[:, 1], np.roll(clipped[:, 0], 1)))
    assert area == pytest.approx(0.75)


def test_feasible_ir_set_of_the_prisoners_dilemma():
    # PD payoffs (games/classic): the IR part is the feasible set above the minmax (1, 1).
    g = pg.load("games/classic/prisoners_dilemma.toml")
    feasible, rational, minmax = feasible_ir_polygon(g, [pg.minmax(g, i) for i in range(2)])
    points = {(float(g.payoffs[0][i, j]), float(g.payoffs[1][i, j]))
              for i in range(2) for j in range(2)}
    assert {tuple(p) for p in feasible} == points
    assert np.all(rational >= minmax - 1e-12)
    np.testing.assert_allclose(minmax, [pg.minmax(g, i, mixed=True).value for i in range(2)])


def test_payoff_sets_draws_each_given_set():
    rg = pg.load("games/repeated/prisoners_dilemma_d06.toml")
    g = rg.stage_game
    outer, exact = (rg.payoff_set(method=m) for m in ("outer", "abreu_sannikov"))
    fig = plot.payoff_sets([outer, exact], game=rg, minmax=[pg.minmax(g, i) for i in range(2)],
                           nash=pg.pure_nash(g))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["feasible", "feasible and individually rational"]
    assert "outer" in labels and "Abreu–Sannikov" in labels and "stage Nash (pure)" in labels
    drawn = [p for p in ax.patches if p.get_label() == "outer"]
    assert drawn and np.allclose(np.sort(drawn[0].get_xy()[:-1, 0]),
                                 np.sort(_ordered(np.asarray(outer.vertices))[:, 0]))
    assert "0.6" in ax.get_title()


def test_payoff_sets_draws_only_what_it_is_given():
    # Without minmax and nash results: no individually rational part, no stars; the
    # feasible set comes from the stage payoffs the set carries.
    rg = pg.load("games/repeated/prisoners_dilemma_d06.toml")
    fig = plot.payoff_sets(rg.payoff_set())
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["feasible", "Abreu–Sannikov"]


def test_payoff_sets_with_given_sets_and_labels():
    g = pg.load("games/classic/chicken.toml")
    square = np.array([[2.0, 2.0], [4.0, 2.0], [4.0, 4.0], [2.0, 4.0]])
    fig = plot.payoff_sets([square], game=g, labels=["mine"])
    assert any(p.get_label() == "mine" for p in fig.axes[0].patches)
    with pytest.raises(ValueError, match="1 labels for 2 sets"):
        plot.payoff_sets([square, square], game=g, labels=["one"])


def test_figures_refuse_a_game_and_name_the_solver():
    """Regression (issue 14): the figures draw results; a game in a result's place is a
    TypeError led by the function's name that says which solver to call."""
    rg = pg.load("games/repeated/prisoners_dilemma_d06.toml")
    with pytest.raises(TypeError, match=r"^payoff_sets: expects payoff sets, got a "
                                        r"RepeatedGame; solve first with game\.payoff_set"):
        plot.payoff_sets(rg)
    with pytest.raises(TypeError, match=r"^payoff_sets: expects the minmax values, got a "
                                        r"NormalFormGame; solve first with \[pg\.minmax"):
        plot.payoff_sets(rg.payoff_set(), game=rg, minmax=rg.stage_game)
    with pytest.raises(TypeError, match=r"^feasible_ir_polygon: minmax is required"):
        feasible_ir_polygon(rg)
    sc = pg.load("games/scenarios/revocation_order.toml")
    with pytest.raises(TypeError, match=r"^regime_map: expects a ScenarioEquilibrium, got a "
                                        r"Scenario; solve first with pg\.solve\(scenario\)"):
        plot.regime_map(sc)
    tu = pg.load("games/cooperative/glove.toml")
    with pytest.raises(TypeError, match=r"^allocation_bars: expects allocations, got a "
                                        r"TUGame; solve first with .*pg\.shapley\(tu\)"):
        plot.allocation_bars(tu)
    with pytest.raises(TypeError, match=r"^allocation_bars: expects an allocation as 'x'"):
        plot.allocation_bars({"x": tu})


def test_assurance_heatmap_marks_the_frontier():
    sc = pg.load(PLURAL).replace(instruments=[{"name": "bond", "carry": 0.05}])
    res = pg.sweep(sc, {"discount": np.linspace(0.8, 0.99, 20), GAIN: np.linspace(0, 40, 15)},
                   ["amount", "constructible"], target="continuity")
    assert not res["constructible"].values.all() and res["constructible"].values.any()
    fig = plot.assurance_heatmap(res, vmax=50)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "discount factor" and ax.get_ylabel() == GAIN_LABEL
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "constructible frontier", "no assurance constructible"]
    mesh = ax.collections[0]
    z = np.ma.getdata(mesh.get_array()).reshape(15, 20)
    ok = res["constructible"].values.T
    np.testing.assert_allclose(z[ok], res["amount"].values.T[ok])


def test_assurance_heatmap_axes_can_be_swapped_and_without_constructible():
    sc = pg.load(PLURAL).replace(**{"instruments.bond.cap": float("inf")})  # all constructible
    res = pg.sweep(sc, {"discount": [0.8, 0.9, 0.95], GAIN: [5.0, 10.0]}, "amount")
    fig = plot.assurance_heatmap(res, x=GAIN, y="discount")
    assert fig.axes[0].get_xlabel() == GAIN_LABEL and fig.axes[0].get_legend() is None


def test_assurance_heatmap_needs_two_axes_of_length_above_one():
    sc = pg.load(PLURAL)
    res = pg.sweep(sc, {"discount": [0.8, 0.9], GAIN: [5.0, 10.0], "horizon": [5, 10]},
                   "amount")
    with pytest.raises(ValueError, match="select one value of horizon first"):
        plot.assurance_heatmap(res)
    fig = plot.assurance_heatmap(res.dataset.isel(horizon=[0]))
    assert fig.axes[0].get_xlabel() == "discount factor"


def test_regime_map_shows_the_equilibrium():
    sc = pg.load("games/scenarios/revocation_order.toml")
    eq = pg.solve(sc)
    fig = plot.regime_map(eq)
    image = fig.axes[0].images[0].get_array()
    expected = np.where(~eq.stay, 2, np.where(eq.maintain, 0, 1))
    np.testing.assert_array_equal(image, expected)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert all(name in tick for name, tick in zip(sc.partner_names, ticks))


def test_allocation_bars_default_and_custom():
    tu = pg.load("games/cooperative/glove.toml")
    fig = plot.allocation_bars({"Shapley value": pg.shapley(tu), "nucleolus": pg.nucleolus(tu)})
    bars = fig.axes[0].patches
    assert len(bars) == 2 * 3
    heights = np.array([b.get_height() for b in bars[:3]])
    np.testing.assert_allclose(heights, pg.shapley(tu).value)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == list(tu.players)
    fig = plot.allocation_bars({"equal split": [1 / 3] * 3}, tu=tu)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["equal split"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == list(tu.players)


def test_draws_on_given_axes():
    fig, ax = plt.subplots(1, 2)
    out = plot.allocation_bars({"Shapley value": pg.shapley(pg.load(
        "games/cooperative/glove.toml"))}, ax=ax[1])
    assert out is fig and ax[1].patches and not ax[0].patches


def test_reader_labels_name_partners_instruments_and_quantities():
    assert plot.reader_label("partners[*].revocation_loss") == "revocation loss of every partner"
    assert plot.reader_label("level_high:co-production") == (
        "largest level of co-production (optimal packages)")
    assert plot.reader_label("revocation_probability:ally B") == (
        "probability that ally B is revoked within the horizon")
    assert plot.reader_label("something_else") == "something else"

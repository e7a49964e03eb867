"""Regression tests of the red-team findings of issues 17 and 20 in the cooperative games,
the TU batch kernels, game-file reading and scenario parameter paths (one test per finding).
"""

import dataclasses
import os
import threading

import numpy as np
import pytest

import paxgame as pg
import paxgame.kernels.tu as ktu
from paxgame._results import Certificate
from paxgame.io import loads_toml

# -- issue 17: TU overflow: never a non-finite answer labelled optimal -------------------------

HUGE2 = pg.TUGame([0, 1e308, 1e308, 1.7e308])
HUGE3 = pg.TUGame([0, 1e308, 1e308, 1e308, 1e308, 1.7e308, 1.7e308, 1.7e308])


@pytest.mark.parametrize("tu", [HUGE2, HUGE3])
def test_values_near_the_float_limit_are_finite_and_certified(tu):
    # was: shapley NaN/inf with status optimal, banzhaf [inf, inf]
    for r in (pg.shapley(tu), pg.banzhaf(tu)):
        assert np.all(np.isfinite(r.value)) and r.status == "optimal"
        assert r.verify().ok and r.verify(exact=True).ok
    # efficiency: phi sums to v(N) although the pairwise sums of worths overflow
    assert abs(pg.shapley(tu).value.sum() - tu.values[-1]) <= 1e-9 * 1.7e308


def test_cost_of_stability_near_the_float_limit():
    # was inf, optimal. The true cost: min x(N) - v(N) = 2e308 - 1.7e308 = 3e307
    r = pg.cost_of_stability(HUGE2)
    assert r.status == "optimal" and np.isfinite(r.cost)
    assert r.cost == pytest.approx(3e307, rel=1e-9)
    assert r.verify().ok and r.verify(exact=True).ok


def test_core_refuses_a_value_outside_the_float_range():
    # min x(N) = 2e308 is not a float: refused with the function's name, never inf
    with pytest.raises(ValueError, match=r"^core: the LP value min x\(N\) lies outside"):
        pg.core(HUGE2)


def test_least_core_and_nucleolus_near_the_float_limit():
    tu = pg.TUGame([0, 1e307, 1e307, 1e308, 2e307, 1.2e308, 1.2e308, 1.7e308])
    for r in (pg.least_core(tu), pg.nucleolus(tu), pg.nucleolus(tu, domain="preimputation")):
        assert r.status == "optimal" and r.verify().ok, r.verify()


def test_a_shapley_value_outside_the_float_range_is_refused():
    tu = pg.TUGame([0, 1.7e308, -1.7e308, 1.7e308])   # phi_0 = 1.5 * 1.7e308
    with pytest.raises(ValueError, match="^shapley: the Shapley value lies outside"):
        pg.shapley(tu)
    with pytest.raises(ValueError, match="^batch.shapley: the Shapley value of player 0"):
        pg.batch.shapley(tu.values)
    with pytest.raises(ValueError, match="^banzhaf: the Banzhaf value lies outside"):
        pg.banzhaf(tu)


def test_scaling_leaves_ordinary_answers_bit_identical():
    rng = np.random.default_rng(7)
    v = np.r_[0.0, rng.normal(size=31) * 1e3]
    scaled = pg.batch.shapley(v)
    w = pg.batch.shapley(v[None, :] * 2.0 ** 40)[0] / 2.0 ** 40
    assert np.array_equal(scaled, w)


# -- issue 17: errors that were not the documented ones ---------------------------------------

def test_weighted_voting_tiny_quota():
    # was "TUGame: the empty coalition must be worth 0"
    assert pg.weighted_voting([1, 1], 1e-300).values.tolist() == [0, 1, 1, 1]
    assert pg.weighted_voting([0, 1], 1e-300).values.tolist() == [0, 0, 1, 1]
    # the rounding allowance is relative to the total weight, so tiny weights work too
    assert pg.weighted_voting([1e-300, 1e-300], 2e-300).values.tolist() == [0, 0, 0, 1]


def test_tugame_of_a_single_number():
    with pytest.raises(TypeError, match=r"^TUGame: values must be an array of 2\*\*n worths, "
                                        r"a mapping or a function, got the single number 27; "
                                        r"for 27 players pass players=27$"):
        pg.TUGame(27)


# -- issue 17: hangs and blow-ups -----------------------------------------------------------------

def test_sampling_is_capped():
    with pytest.raises(ValueError, match=r"^shapley: n_samples must be at most 500000000 for 2 "
                                        r"players \(limit MAX_SAMPLE_WORK"):
        pg.shapley(pg.glove_game(1, 1), method="sample", n_samples=10 ** 12)


def test_value_function_games_are_refused_before_the_first_call():
    calls = []

    def f(S):
        calls.append(S)
        return 1.0

    with pytest.raises(ValueError, match=r"^TUGame: a value function is called once per "
                                        r"coalition, 67108863 times for 26 players; at most "
                                        r"20 players"):
        pg.TUGame(f, players=26)
    assert calls == []
    assert pg.TUGame(f, players=3).values[-1] == 1.0


# -- issue 17: Certificate names NaN checks -------------------------------------------------------

def test_certificate_names_a_nan_check():
    cert = Certificate.from_violations({"gap": float("nan"), "fine": 0.0}, 1e-9)
    assert not cert.ok
    assert list(cert.failures()) == ["gap"]
    assert str(cert).startswith("Certificate(FAILED: gap;")
    assert "worst violation nan" in str(cert)


def test_certificate_built_failed_by_hand_says_so():
    cert = Certificate(ok=False, checks={"a": 0.0}, tol=1e-9)
    assert "FAILED: (ok is False" in str(cert)


def test_tampered_non_finite_value_is_named():
    r = pg.shapley(pg.glove_game(1, 2))
    cert = dataclasses.replace(r, value=np.array([np.nan, 0.5, 0.5])).verify()
    assert not cert.ok and cert.failures()


# -- issue 20: sizes with no guard ---------------------------------------------------------------

def test_coalition_sums_refuses_before_allocating():
    # was an 8 GiB allocation
    with pytest.raises(ValueError, match=r"^batch.coalition_sums: the output would hold 1 x "
                                        r"2\*\*30 float64 values \(8 GiB\), more than the "
                                        r"limit of 1 GiB"):
        pg.batch.coalition_sums(np.ones(30))
    out = np.empty(8)
    assert pg.batch.coalition_sums(np.ones(3), out=out) is not None
    assert out.tolist() == [0, 1, 1, 2, 1, 2, 2, 3]


def test_coalition_sums_limit_is_read_at_call_time(monkeypatch):
    monkeypatch.setattr(ktu, "MAX_OUTPUT_BYTES", 64)
    with pytest.raises(ValueError, match="more than the limit"):
        pg.batch.coalition_sums(np.ones((2, 3)))
    with pytest.raises(ValueError, match="^capability_pool: pooling 2 inputs"):
        pg.capability_pool([[1, 0], [0, 1], [1, 1]])


def test_batch_values_reject_a_nonzero_empty_coalition():
    with pytest.raises(ValueError, match=r"^batch.shapley: values\[1, 0\] \(the empty "
                                        r"coalition\) must be 0, got 2.0"):
        pg.batch.shapley([[0, 1, 1, 2], [2, 1, 1, 2]])
    with pytest.raises(ValueError, match=r"^batch.banzhaf: values\[0\] \(the empty"):
        pg.batch.banzhaf([1, 1, 1, 2])


# -- issue 20: special files and encodings ---------------------------------------------------------

def _load_in_thread(path):
    """load(path) in a thread: a FIFO opened for reading would block forever."""
    out = {}

    def run():
        try:
            out["value"] = pg.load(path)
        except Exception as err:  # noqa: BLE001 - returned to the test, which checks it
            out["error"] = err

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive(), f"load({path}) blocked"
    return out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_special_files_say_what_they_are(tmp_path):
    fifo = tmp_path / "game.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    null = tmp_path / "null.nfg"
    null.symlink_to("/dev/null")
    for path, kind in ((fifo, "a FIFO"), (zero, "a character device"),
                       (null, "a character device"), ("/dev/null", "a character device")):
        err = _load_in_thread(path)["error"]
        assert isinstance(err, pg.GameFileError)
        assert str(err) == f"load: {path}: not a regular file (it is {kind}" + (
            " (named pipe))" if kind == "a FIFO" else ")")
    with pytest.raises(pg.GameFileError, match="^read_nfg: .*: not a regular file"):
        pg.read_nfg(fifo)


def test_missing_files_and_dangling_links(tmp_path):
    link = tmp_path / "gone.toml"
    link.symlink_to(tmp_path / "missing.toml")
    with pytest.raises(FileNotFoundError, match="a symbolic link to a missing file$"):
        pg.load(link)
    with pytest.raises(FileNotFoundError, match="no such file$"):
        pg.load(tmp_path / "missing.toml")


def test_empty_file_and_byte_order_mark(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_bytes(b"")
    with pytest.raises(pg.GameFileError, match=r"^load: .*empty.toml: the file is empty$"):
        pg.load(empty)
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b'\xef\xbb\xbfkind = "tu"\nvalues = [0, 1, 1, 3]\n')
    assert pg.load(bom) == pg.TUGame([0, 1, 1, 3])
    nfg = tmp_path / "bom.nfg"
    pg.write_nfg(pg.load("games/classic/prisoners_dilemma.toml"), nfg)
    nfg.write_bytes(b"\xef\xbb\xbf" + nfg.read_bytes())
    assert pg.read_nfg(nfg) == pg.load("games/classic/prisoners_dilemma.toml")


# -- issue 20: parameter paths and partner names --------------------------------------------------

def _partner(name):
    return dict(name=name, access_value=3.0, outside_option=1.0, revocation_loss=6.0,
                provider_value=1.0, revocation_gain=2.0)


@pytest.mark.parametrize("name", ["1", "0", "*", " 2 ", "-1", "+3"])
def test_partner_names_that_read_as_an_index_or_wildcard_are_refused(name):
    with pytest.raises(ValueError) as err:
        pg.Scenario(partners=[_partner("a"), _partner(name)], discount=0.9)
    assert str(err.value).startswith(f"Scenario: partner name {name!r} ")


def test_issue_example_names_are_refused_at_load():
    # partners named "1", "0" and "*" (in that order): partners.0 used to edit "1"
    text = 'kind = "revocation"\ndiscount = 0.9\n' + "".join(
        f'[[partners]]\nname = "{n}"\naccess_value = 3.0\noutside_option = 1.0\n'
        f'revocation_loss = 6.0\nprovider_value = 1.0\nrevocation_gain = 2.0\n'
        for n in ("1", "0", "*"))
    with pytest.raises(pg.GameFileError, match=r"^load: x.toml: key 'partners\[0\].name': "
                                              r"'1' reads as an index"):
        loads_toml(text, "x.toml")


def test_ambiguous_paths_are_errors():
    sc = pg.Scenario(partners=[_partner("a"), _partner("b")], discount=0.9,
                     regime_names=("1", "0"), transition=[[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"^Scenario.replace: 'partners.a.revocation_gain.0' "
                                        r"is ambiguous"):
        sc.replace(**{"partners.a.revocation_gain.0": 3.0})
    # names and indices still work where they cannot be confused
    assert sc.replace(**{"partners.b.access_value": 4.0}).partners[1].access_value == 4.0
    assert sc.replace(**{"partners[1].access_value": 5.0}).partners[1].access_value == 5.0
    both = sc.replace(**{"partners[*].access_value": 7.0})
    assert [p.access_value for p in both.partners] == [7.0, 7.0]
    # a regime named like its own position is not ambiguous
    sc2 = pg.Scenario(partners=[_partner("a")], discount=0.9, regime_names=("0", "x"),
                      transition=[[0.5, 0.5], [0.5, 0.5]])
    r = sc2.replace(**{"partners.a.revocation_gain.0": 3.0})
    assert r.partners[0].revocation_gain.tolist() == [3.0, 2.0]

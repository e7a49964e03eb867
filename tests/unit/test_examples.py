"""The shipped examples (``pg.examples``), ``example:NAME`` on the command line, and
``pg.solve`` dispatching on the game's type."""

import json
from pathlib import Path

import pytest

import paxgame as pg
from paxgame import cli

ROOT = Path(__file__).resolve().parents[2]
GAMES = ROOT / "games"


def test_every_game_file_of_the_repository_is_an_example():
    files = sorted(p for p in GAMES.glob("*/*") if p.suffix in (".toml", ".nfg"))
    assert files, "no game files found"
    names = pg.examples.list()
    assert len(names) == len(files) == len(set(names))
    for file in files:
        name = file.stem if file.suffix == ".toml" else file.name
        assert pg.examples.path(name).read_bytes() == file.read_bytes(), name


@pytest.mark.parametrize("name", pg.examples.list())
def test_every_example_loads_like_its_file(name):
    file = pg.examples.path(name)
    assert pg.examples.load(name) == pg.load(file)
    assert file.parent.name in pg.examples.FAMILIES


def test_families_partition_the_examples():
    by_family = [n for f in pg.examples.FAMILIES for n in pg.examples.list(f)]
    assert by_family == pg.examples.list()
    assert pg.examples.list("scenarios")[:2] == ["adoption", "coalition_anchor_veto"]
    assert all(n.endswith(".nfg") for n in pg.examples.list("nfg"))


def test_a_toml_suffix_is_accepted():
    assert pg.examples.path("chicken.toml") == pg.examples.path("chicken")
    assert pg.examples.load("chicken.nfg").name == "Chicken"


@pytest.mark.parametrize("call, message", [
    (lambda: pg.examples.load("chiken"),
     "examples.load: unknown example 'chiken' (did you mean 'chicken'?); "
     "paxgame.examples.list() names them all"),
    (lambda: pg.examples.path("nothing_like_it_at_all"),
     "examples.path: unknown example 'nothing_like_it_at_all'; "
     "paxgame.examples.list() names them all"),
    (lambda: pg.examples.list("scenario"),
     "examples.list: unknown family 'scenario' (did you mean 'scenarios'?); choose one of: "
     "classic, repeated, scenarios, cooperative, nfg"),
])
def test_unknown_names_are_errors_with_a_hint(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message


def test_a_name_must_be_a_string():
    with pytest.raises(TypeError, match=r"^examples.load: name must be a str, got int"):
        pg.examples.load(3)


# --------------------------------------------------------------------------- command line

def test_the_command_line_reads_an_example(capsys):
    code = cli.main(["solve", "example:chicken", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and len(out["equilibria"]) == 3 and out["file"] == "example:chicken"


def test_an_unknown_example_exits_2_with_the_hint(capsys):
    code = cli.main(["assurance", "example:revocation_ordr"])
    err = capsys.readouterr().err
    assert code == 2 and "did you mean 'revocation_order'?" in err


def test_convert_writes_an_example_as_nfg(tmp_path, capsys):
    out = tmp_path / "chicken.nfg"
    assert cli.main(["convert", "example:chicken", str(out)]) == 0
    assert pg.read_nfg(out) == pg.examples.load("chicken")


# --------------------------------------------------------------------------- pg.solve

def test_solve_dispatches_like_the_command_line():
    sc = pg.examples.load("innovation_sovereignty")
    mine, family = pg.solve(sc), pg.revocation.solve(sc)
    assert type(mine) is type(family) and mine.status == family.status
    assert mine.stay.tolist() == family.stay.tolist()
    assert mine.partner_value.tolist() == family.partner_value.tolist()
    chicken = pg.examples.load("chicken")
    assert [e.payoffs.tolist() for e in pg.solve(chicken, method="vertex")] == \
        [e.payoffs.tolist() for e in pg.nash(chicken, method="vertex")]
    rg = pg.examples.load("prisoners_dilemma_d06")
    assert pg.solve(rg).vertices.tolist() == rg.payoff_set().vertices.tolist()
    regime = pg.examples.load("calm_and_crisis")
    assert len(pg.solve(regime)) == len(regime.markov_equilibria())


def test_solve_passes_options_to_the_kind_solver_and_refuses_unknown_ones():
    sc = pg.examples.load("innovation_sovereignty")
    with pytest.raises(TypeError):
        pg.solve(sc, method="support")  # the scenario solver has no method
    with pytest.raises(ValueError, match="^Unknown method 'outer' for nash"):
        pg.solve(pg.examples.load("chicken"), method="outer")


@pytest.mark.parametrize("obj, message", [
    (pg.examples.load("glove"), "solve: a TUGame has no equilibrium to solve for"),
    ("games/classic/chicken.toml", "solve: game must be a Scenario, NormalFormGame, "
                                   "RepeatedGame or RegimeGame (read a file with pg.load), "
                                   "got str"),
])
def test_solve_refuses_what_has_no_equilibrium(obj, message):
    with pytest.raises(TypeError) as info:
        pg.solve(obj)
    assert str(info.value).startswith(message)

"""``paxgame --help`` and each command's help: every option described with its choices and
default, an examples epilog per command, ``--version``."""

import argparse
import re

import pytest

import paxgame as pg
from paxgame import cli

COMMANDS = ["solve", "assurance", "sweep", "plot", "convert", "bench"]


def _subparsers():
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"paxgame {pg.__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_described_with_its_default(command):
    parser = _subparsers()[command]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest in ("json", "debug"):
            continue
        name = action.option_strings[0] if action.option_strings else action.dest
        assert action.help and len(action.help) > 15, f"{command} {name}: no description"
        if action.option_strings and not action.required and \
                not isinstance(action, argparse._StoreTrueAction):
            assert "default" in action.help, f"{command} {name}: the default is not said"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_runnable_looking_examples(command, capsys):
    assert cli.main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    lines = re.findall(r"^  paxgame (\w+)", out, flags=re.M)
    assert lines and set(lines) == {command}


def test_choices_are_listed_in_the_help(capsys):
    cli.main(["sweep", "--help"])
    out = capsys.readouterr().out
    for text in ("{participation,continuity,unique_participation,unique_continuity}",
                 "{processes,dask}", "{nc,zarr}",
                 "(default: participation)", "needs the dask extra"):
        assert text in out


def test_the_top_help_says_which_extra_each_command_needs(capsys):
    cli.main(["--help"])
    out = capsys.readouterr().out
    assert "sweep                       dask" in out and "plot                        plot" in out


def test_an_unknown_method_lists_the_choices(capsys):
    assert cli.main(["solve", "example:chicken", "--method", "lemke"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'lemke'" in err and "lemke_howson" in err


def test_abreu_sannikov_asked_for_three_players_is_not_replaced(tmp_path, capsys):
    """An explicit --method is never swapped for another method."""
    game = pg.NormalFormGame([[[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]] * 3)
    path = tmp_path / "three.toml"
    pg.save(pg.RepeatedGame(game, 0.9), path)
    assert cli.main(["solve", str(path), "--method", "abreu_sannikov"]) == 2
    assert "abreu_sannikov" in capsys.readouterr().err

"""The key reference of docs/reference/file_formats.rst (rendered at build time from what
the loaders read) lists every key of every example file and of the scenario schema."""

import importlib.util
import re
from pathlib import Path

import pytest

import paxgame as pg
from paxgame.io import _scenario_schema
from paxgame.io._schema import parse_toml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("file_format_keys",
                                                  ROOT / "scripts" / "file_format_keys.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def keys(script):
    return script.collect()


def _paths(data, prefix=""):
    for key, value in data.items():
        path = f"{prefix}{key}"
        yield path
        if isinstance(value, dict):
            yield from _paths(value, path + ".")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                yield from _paths(item, path + "[].")


def test_every_key_of_every_example_is_listed(keys):
    seen = 0
    for name in pg.examples.list():
        file = pg.examples.path(name)
        if file.suffix != ".toml":
            continue
        data = parse_toml(file.read_text(encoding="utf-8"), str(file))
        listed = set(keys[data["kind"]])
        # a table whose keys are data (TU "coalitions" by name) is listed as one key
        free = {k for k in listed if not any(o.startswith(k + ".") for o in listed)}
        missing = {p for p in _paths(data) if p not in listed and not any(
            p.startswith(f + ".") for f in free)}
        assert not missing, f"{name}: keys missing from the reference: {sorted(missing)}"
        seen += 1
    assert seen >= 25


def test_every_kind_is_listed(keys):
    assert set(keys) == set(pg.io.KINDS)


def test_the_scenario_schema_key_sets_are_listed(keys):
    listed = set(keys["revocation"])
    groups = {"": _scenario_schema.TOP_KEYS, "regimes.": _scenario_schema.REGIME_KEYS,
              "partners[].": _scenario_schema.PARTNER_KEYS,
              "partners[].sources[].": _scenario_schema.SOURCE_KEYS,
              "instruments[].": _scenario_schema.INSTRUMENT_KEYS}
    for prefix, names in groups.items():
        assert {prefix + n for n in names} <= listed, prefix


def test_required_keys_and_defaults_are_the_loaders(keys):
    nf = keys["normal_form"]
    assert nf["payoffs"].default_text() == "required"
    assert nf["players"].default_text() == "optional"
    assert keys["revocation"]["horizon"].default_text() == "optional, default ``10``"
    assert keys["revocation"]["governance"].default_text() == \
        'optional, default ``"bilateral"``'


def test_the_rst_has_one_table_per_kind(script):
    text = script.keys_table_rst()
    assert re.findall(r'^``kind = "(\w+)"``$', text, flags=re.M) == list(script.KIND_ORDER)
    assert "``partners[].sources[].cap``" in text


def test_recording_leaves_the_loader_as_it_was(script):
    from paxgame.io._schema import Table

    before = Table.take
    script.collect()
    assert Table.take is before

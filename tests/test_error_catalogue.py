"""Every row of the error catalogue (tests/error_catalogue/*.py) is a test.

A row's call must raise exactly its ``error`` type (or a subclass) with ``str(exc)`` equal
to its ``message``; the rendered page docs/reference/errors.rst must be up to date.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("_error_catalogue_script",
                                                  ROOT / "scripts" / "error_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
FAMILIES = SCRIPT.load_catalogue()
ROWS = [pytest.param(row, id=f"{stem}-{i}-{row['entry']}")
        for stem, rows in FAMILIES.items() for i, row in enumerate(rows)]


@pytest.mark.parametrize("row", ROWS)
def test_row_raises_documented_error(row):
    with pytest.raises(BaseException) as info:
        row["call"]()
    exc = info.value
    assert isinstance(exc, row["error"]), (
        f"{row['entry']} ({row['bad_input']}) raised {type(exc).__name__}: {exc}, "
        f"expected {row['error'].__name__}")
    assert str(exc) == row["message"]


def test_catalogue_rows_are_well_formed():
    assert ROWS, "the error catalogue is empty"
    for stem, rows in FAMILIES.items():
        for i, row in enumerate(rows):
            assert callable(row["call"]), f"{stem}[{i}]: call is not callable"
            assert isinstance(row["error"], type) and issubclass(row["error"], BaseException)
            assert isinstance(row["message"], str) and row["message"].strip()


def test_rendered_page_is_up_to_date():
    page = ROOT / "docs" / "reference" / "errors.rst"
    assert page.read_text(encoding="utf-8") == SCRIPT.render(FAMILIES), (
        "docs/reference/errors.rst is out of date: run python scripts/error_catalogue.py")


def test_render_escapes_awkward_messages():
    text = SCRIPT.render({"demo": [dict(entry="pg.x", bad_input="a ``b``", call=None,
                                        error=ValueError, message="x: got `y`")]})
    assert "a \\`\\`b\\`\\`" in text and "``ValueError``" in text

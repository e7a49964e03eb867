"""The sidebar's order and groups: scenarios in their numbered order, every how-to guide in
one family group, developer pages under Contributing, math and theme that work offline."""

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INDEX = (ROOT / "docs" / "index.rst").read_text(encoding="utf-8")


def _toctrees():
    """caption -> entries of each toctree of the index."""
    out = {}
    for block in re.split(r"^\.\. toctree::\n", INDEX, flags=re.M)[1:]:
        caption = re.search(r":caption: (.+)", block).group(1)
        entries = [line.strip() for line in block.splitlines()[1:]
                   if line.startswith("   ") and not line.strip().startswith(":")
                   and line.strip()]
        out[caption] = entries
    return out


def test_scenario_pages_are_in_their_numbered_order():
    numbers = []
    for entry in _toctrees()["Scenarios"]:
        title = (ROOT / "docs" / f"{entry}.rst").read_text(encoding="utf-8")
        numbers.append(int(re.search(r"^Scenario (\d+):", title, flags=re.M).group(1)))
    assert numbers == sorted(numbers) and len(numbers) >= 6


def test_every_howto_is_in_exactly_one_group():
    groups = {c: e for c, e in _toctrees().items()
              if c.startswith("How-to") or c == "Contributing"}
    assert len(groups) >= 5
    for page in (ROOT / "docs" / "howto").glob("*.rst"):
        doc = f"howto/{page.stem}"
        homes = [c for c, entries in groups.items()
                 if any(fnmatch.fnmatchcase(doc, e) for e in entries)]
        assert len(homes) == 1, f"{doc} is in {homes or 'no group'}"


def test_developer_pages_are_under_contributing():
    assert "howto/fuzzing" in _toctrees()["Contributing"]


def test_the_theme_and_math_work_offline():
    conf = (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")
    assert 'html_theme = "furo"' in conf and '"sphinx-mathjax-offline"' in conf
    assert "mathjax_path" not in conf  # the extension points MathJax at its local copy

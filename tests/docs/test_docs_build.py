"""The documentation builds with warnings as errors (every page, every figure, the API)."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(importlib.util.find_spec("sphinx") is None,
                                reason="sphinx is not installed")


def test_sphinx_build_has_no_warnings(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q",
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(tmp_path / "html")],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-6000:]
    html = tmp_path / "html"
    assert (html / "index.html").is_file()
    assert (html / "tutorial" / "index.html").is_file()
    # every figure of the docs is produced by code at build time (matplotlib plot directive)
    assert list((html / "_images").glob("*.png"))
    # formulas render offline: MathJax is shipped with the pages, nothing loads from the web
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    theory = (html / "theory" / "revocation_model.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in theory
    assert not re.search(r"<script[^>]+src=\"https?://", theory)
    # the key reference is generated from the loaders at build time
    formats = (html / "reference" / "file_formats.html").read_text(encoding="utf-8")
    assert "partners[].sources[].revocation_probability" in formats

"""Sphinx configuration for the paxgame documentation (Diátaxis layout)."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "src"))
os.chdir(ROOT)  # examples and plot directives use paths relative to the repository root

project = "paxgame"
author = "the paxgame developers"
copyright = "2026, the paxgame developers"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.doctest",
    "matplotlib.sphinxext.plot_directive",
]
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
plot_working_directory = ROOT  # figures load games/... like the doctests do
plot_rcparams = {"figure.max_open_warning": 0}
exclude_patterns = ["_build"]
html_theme = "alabaster"
nitpicky = False
suppress_warnings = []

# ---------------------------------------------------------------------------- local directives
from docutils.parsers.rst import Directive  # noqa: E402
from docutils.statemachine import StringList  # noqa: E402
from docutils import nodes  # noqa: E402


class BenchmarkTable(Directive):
    """``.. benchmark-table::``: the newest table of ``benchmarks/results/`` (see
    ``scripts/benchmark_table.py``)."""

    has_content = False

    def run(self):
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "_benchmark_table", os.path.join(ROOT, "scripts", "benchmark_table.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        text = module.latest_table_rst()
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source="benchmark-table"),
                                self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive("benchmark-table", BenchmarkTable)
    return {"parallel_read_safe": True}

"""Sphinx configuration for the paxgame documentation (Diátaxis layout)."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "src"))
os.chdir(ROOT)  # the benchmark table and the key reference read files of the checkout

project = "paxgame"
author = "the paxgame developers"
copyright = "2026, the paxgame developers"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 copied into _static: formulas render offline
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
plot_working_directory = ROOT
plot_rcparams = {"figure.max_open_warning": 0}
exclude_patterns = ["_build"]
html_theme = "furo"  # a wide content column, the sidebar grouped by the index's captions
html_title = "paxgame"
html_static_path = ["_static"]
html_css_files = ["wide.css"]
nitpicky = False
suppress_warnings = []

# ---------------------------------------------------------------------------- local directives
from docutils.parsers.rst import Directive  # noqa: E402
from docutils.statemachine import StringList  # noqa: E402
from docutils import nodes  # noqa: E402
from sphinx.util.nodes import nested_parse_with_titles  # noqa: E402


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


class FileFormatKeys(Directive):
    """``.. file-format-keys::``: every key of every TOML kind, recorded from the loaders
    while they read the shipped examples (see ``scripts/file_format_keys.py``)."""

    has_content = False

    def run(self):
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "_file_format_keys", os.path.join(ROOT, "scripts", "file_format_keys.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        text = module.keys_table_rst()
        container = nodes.section()  # the tables come with their section titles
        nested_parse_with_titles(self.state, StringList(text.splitlines(),
                                                        source="file-format-keys"), container)
        return container.children


def setup(app):
    app.add_directive("benchmark-table", BenchmarkTable)
    app.add_directive("file-format-keys", FileFormatKeys)
    return {"parallel_read_safe": True}

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
exclude_patterns = ["_build"]
html_theme = "alabaster"
nitpicky = False
suppress_warnings = []

"""The documentation runs outside the checkout, against the installed wheel.

The wheel is built from a copy of the project's sources (so the checkout gets no ``build/``
folder), installed into a new virtual environment, and the tutorial's code, the guides to
files and to the command line and every scenario page are run as doctests from an empty
temporary directory: they
can only find their games through :mod:`paxgame.examples`, the package data of the wheel.
The new environment has no pip and downloads nothing: paxgame's dependencies are reached
through a path file pointing at this interpreter's site-packages, whose ``.pth`` files (the
editable install of the checkout among them) are not processed there.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The tutorial, the guides to files and to the command line, and the scenario pages (the
#: other pages run in the suite from the checkout; test_docs_code_names_no_checkout_file
#: checks that none of them reads a file of the checkout).
DOC_PAGES = ["tutorial/index.rst", "howto/game_files.rst", "howto/command_line.rst",
             *[f"scenarios/{p.name}" for p in sorted((ROOT / "docs" / "scenarios").glob("*.rst"))]]


def _run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a new venv holding only the built wheel, an empty working directory)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", source / "src", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "games", source / "games", ignore=ignore)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
          "--no-index", "-w", str(tmp / "dist"), str(source)])
    wheel = next((tmp / "dist").glob("paxgame-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; "
                         "print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "_paxgame_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
          "--no-index", str(wheel)])
    work = tmp / "work"
    work.mkdir()
    return python, work, venv


def test_the_installed_package_is_the_wheel_with_its_examples(installed):
    python, work, venv = installed
    out = _run([str(python), "-c", "import json, paxgame as pg; print(json.dumps("
                "[pg.__file__, str(pg.examples.path('chicken')), len(pg.examples.list())]))"],
               cwd=work).stdout
    package, chicken, count = json.loads(out)
    assert Path(package).is_relative_to(venv) and Path(chicken).is_relative_to(venv)
    assert count == len(list((ROOT / "games").glob("*/*.toml"))) + len(
        list((ROOT / "games").glob("*/*.nfg")))


def test_the_installed_command_solves_an_example(installed):
    python, work, venv = installed
    proc = _run([str(venv / "bin" / "paxgame"), "solve", "example:chicken", "--json"],
                cwd=work)
    assert len(json.loads(proc.stdout)["equilibria"]) == 3


def test_the_docs_run_from_a_temporary_directory(installed):
    python, work, _ = installed
    code = ("import doctest, json, sys\n"
            "failed = {}\n"
            "for page in sys.argv[1:]:\n"
            "    r = doctest.testfile(page, module_relative=False, optionflags="
            "doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)\n"
            "    failed[page] = [r.failed, r.attempted]\n"
            "print(json.dumps(failed))\n")
    proc = subprocess.run([str(python), "-c", code,
                           *[str(ROOT / "docs" / page) for page in DOC_PAGES]],
                          cwd=work, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    counts = json.loads(proc.stdout.strip().splitlines()[-1])
    failing = {Path(p).name: f for p, (f, _) in counts.items() if f}
    assert not failing, f"doctests failing outside the checkout: {failing}\n{proc.stdout[-4000:]}"
    assert counts[str(ROOT / "docs" / "tutorial" / "index.rst")][1] > 20  # the tutorial ran


def test_docs_code_names_no_checkout_file():
    """No example in the docs reads a game file of the checkout: they load shipped examples."""
    reads = re.compile(r"""(?:load|read_nfg|open)\(\s*["']([^"']+)["']""")
    offenders = []
    for page in sorted((ROOT / "docs").rglob("*.rst")):
        if "_build" in page.parts:
            continue
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            code = line.strip()
            if not code.startswith((">>>", "...", "$")) and not line.startswith("   "):
                continue  # prose (code is a doctest, a console line or an indented block)
            named = [m for m in reads.findall(code) if (ROOT / m).exists()]
            if "games/" in code or named:
                offenders.append(f"{page.relative_to(ROOT)}:{number}: {code}")
    assert not offenders, "\n".join(offenders)

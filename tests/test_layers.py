"""The layers of the code, as tests: the import-linter contracts of pyproject.toml ([tool.importlinter]:
the wings of analytics/ in layers, streamlit only in analytics.ui, no figure code in the engine, no SQL
in the views, the sample generator apart), and, since app.py and pages/ are not a package the linter
can see, a check of what each of them imports: the dashboard's wings, streamlit, polars, plotly and
the standard library, nothing else."""
from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]

# What a page (or app.py) may import: the wings a page draws with, and the libraries it draws on.
PAGE_WINGS = ("analytics.ui", "analytics.engine", "analytics.views", "analytics.i18n", "analytics.core")
PAGE_LIBRARIES = ("streamlit", "polars", "plotly")
ENTRY_POINTS = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")])


def lint(*args: str) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.exists():
        pytest.fail(f"{LINT_IMPORTS} is missing: install requirements-dev.txt (import-linter)")
    # run by this interpreter, not through the script's #! line (a venv that moved keeps a stale one)
    return subprocess.run([sys.executable, str(LINT_IMPORTS), "--no-cache", "--no-logo", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": str(LINT_IMPORTS.parent)})


@pytest.mark.parametrize("contract", [pytest.param(c["id"], id=c["id"]) for c in CONTRACTS])
def test_contract_is_kept(contract):
    result = lint("--contract", contract)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout, result.stdout


def test_a_broken_contract_fails(tmp_path):
    """The linter really reads the code: a contract the code breaks (core above ui) is reported broken."""
    config = tmp_path / "broken.toml"
    config.write_text('[tool.importlinter]\nroot_packages = ["analytics"]\n\n[[tool.importlinter.contracts]]\n'
                      'id = "upside-down"\nname = "core above ui"\ntype = "layers"\n'
                      'layers = ["analytics.core", "analytics.ui"]\n', encoding="utf-8")
    result = lint(str(config))
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout + result.stderr


def imported_modules(path: Path) -> list[str]:
    """Every name an entry point imports, in full: `from x import y` gives x.y (so `from analytics import
    store` is seen as analytics.store)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def allowed(module: str) -> bool:
    top = module.split(".")[0]
    if top == "analytics":
        return any(module == wing or module.startswith(wing + ".") for wing in PAGE_WINGS)
    return top in PAGE_LIBRARIES or top in sys.stdlib_module_names or top == "__future__"


def test_the_page_check_sees_a_bad_import(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import duckdb\nfrom analytics import store\nfrom analytics.ui import cache\n"
                    "from analytics.store.db import open_store\nimport streamlit as st\n", encoding="utf-8")
    assert [m for m in imported_modules(page) if not allowed(m)] == [
        "duckdb", "analytics.store", "analytics.store.db.open_store"]


def _entry_point(path: Path):
    return pytest.param(path, id=path.relative_to(ROOT).as_posix())


@pytest.mark.parametrize("path", [_entry_point(p) for p in ENTRY_POINTS])
def test_app_and_pages_import_only_the_dashboard_wings(path):
    bad = [m for m in imported_modules(path) if not allowed(m)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}: a page may import {PAGE_WINGS + PAGE_LIBRARIES}"

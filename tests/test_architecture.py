"""The import rules of DESIGN.md §6, checked over every file."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_MODULES = ("sqlalchemy", "sqlmodel", "sqlite3", "psycopg")
DATABASE_SESSION_HELPERS = {"read_session", "write_session", "make_engine"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_engine_never_imports_streamlit() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("cluster")
        for name in imported_modules(path)
        if name == "streamlit" or name.startswith("streamlit.")
    ]
    assert offenders == []


def test_engine_never_imports_the_toolkit() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("cluster")
        for name in imported_modules(path)
        if name == "toolkit" or name.startswith("toolkit.")
    ]
    assert offenders == []


def test_views_never_touch_sql_or_pulp() -> None:
    offenders = []
    for path in python_files("toolkit"):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in SQL_MODULES or top in ("pulp", "highspy"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
            if name.split(".")[-1] in DATABASE_SESSION_HELPERS and name.startswith("cluster.db"):
                offenders.append(f"{path.relative_to(ROOT)} opens sessions via {name}")
    # toolkit/engine.py is the one place that makes (and caches) the engine.
    allowed = {"toolkit/engine.py opens sessions via cluster.db.make_engine"}
    assert [o for o in offenders if o not in allowed] == []


def test_streamlit_app_only_configures_signs_in_and_navigates() -> None:
    path = ROOT / "streamlit_app.py"
    allowed_prefixes = ("streamlit", "toolkit.guard", "toolkit.registry", "toolkit.signin",
                        "toolkit.page_style", "__future__")
    assert all(name.startswith(allowed_prefixes) for name in imported_modules(path))
    calls = {
        node.func.attr
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "st"
    }
    assert calls <= {"set_page_config", "Page", "navigation", "sidebar", "caption"}


def test_every_cluster_module_imports_without_streamlit() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in python_files("cluster")
    )
    script = (
        "import sys, importlib\n"
        "sys.modules['streamlit'] = None\n"
        f"for name in {modules!r}:\n"
        "    if name.endswith('__main__'):\n"
        "        continue\n"
        "    importlib.import_module(name)\n"
        "print('imported', len(" f"{modules!r}" "))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout


def test_no_view_folder_named_pages() -> None:
    assert not (ROOT / "pages").exists()
    assert not list((ROOT / "toolkit").rglob("pages"))

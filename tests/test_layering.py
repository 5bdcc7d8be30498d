"""Data flows one way, and so do imports: a package imports only its own layer and the layers below it.
Read from the source with ast (every import, also those inside functions), so the drawing stays true."""

from __future__ import annotations

import ast
import tomllib

import pytest

from nianbao.config import PROJECT_DIR

# lowest first: the shared core, then the stages in the order data flows, the flows wiring them, the command line
PIPELINE = ("nianbao", "crawler", "extractors", "warehouse", "expectations", "alerts", "scorecard", "flows", "cli")
# tooling on top of the pipeline: it may use any of it; nothing of the pipeline uses it, except that the command
# line serves the bundled demo (`nianbao demo`, `nianbao demo-portal`), as `make demo` needs
TOOLING = ("demo_portal", "bench")
ALLOWED_UP = {("cli", "demo_portal")}


def imported_packages(package: str) -> set[tuple[str, str]]:
    """(imported top-level package, where) for every absolute import in the package's modules."""
    found = set()
    for path in sorted((PROJECT_DIR / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            where = f"{path.relative_to(PROJECT_DIR)}:{node.lineno}"
            found |= {(name.split(".")[0], where) for name in names}
    return found


def rank(package: str) -> int:
    return PIPELINE.index(package) if package in PIPELINE else len(PIPELINE) + TOOLING.index(package)


@pytest.mark.parametrize("package", PIPELINE + TOOLING)
def test_no_import_points_to_a_higher_layer(package):
    ours = set(PIPELINE + TOOLING)
    upward = [
        f"{where} imports {imported}"
        for imported, where in imported_packages(package)
        if imported in ours and rank(imported) > rank(package) and (package, imported) not in ALLOWED_UP
    ]
    assert upward == []


def test_the_layers_name_every_installed_package():
    pyproject = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text("utf-8"))
    installed = {p.split(".")[0] for p in pyproject["tool"]["setuptools"]["packages"]}
    assert installed | {"bench"} == set(PIPELINE + TOOLING)  # bench runs from the checkout, not installed

"""The core (app.models, app.services) runs without Qt: checked statically and by running it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.slow


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_linter_contracts_are_kept() -> None:
    result = _lint_imports()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "The core (models, services) never imports Qt KEPT" in output
    assert "Models never import services or UI KEPT" in output
    assert "Layers: the UI above the services above the models KEPT" in output
    assert "Core features: crew and excel above estimate above labour above storage KEPT" in output
    assert " 0 broken" in output


def test_import_linter_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    """The same tool, given a contract the code breaks, must fail: the check above is live."""
    config = tmp_path / "canary.toml"
    config.write_text(
        textwrap.dedent("""
        [tool.importlinter]
        root_packages = ["app"]
        include_external_packages = true

        [[tool.importlinter.contracts]]
        name = "Canary: services never import SQLAlchemy"
        type = "forbidden"
        source_modules = ["app.services"]
        forbidden_modules = ["sqlalchemy"]
    """)
    )
    result = _lint_imports(str(config))
    assert result.returncode != 0
    assert "Canary: services never import SQLAlchemy BROKEN" in result.stdout


def _private_reaches(module: str, source: str) -> list[str]:
    """Imports in ``module`` of a private name or module (``_x``) from another package of its layer.

    Within a package (``app.services.estimate.*``) parts share private helpers; across packages only
    public names, so that a package can change its insides without breaking another.
    """
    package = module.split(".")[:3]
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("app."):
            continue
        target = node.module or ""
        if target.split(".")[:3] == package:
            continue
        private_module = any(part.startswith("_") for part in target.split(".")[1:])
        private_names = [a.name for a in node.names if a.name.startswith("_")]
        if private_module or private_names:
            found.append(f"{module} imports {', '.join(private_names) or '*'} from {target}")
    return found


def test_no_package_reaches_into_another_s_private_parts() -> None:
    reaches = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        reaches += _private_reaches(module, path.read_text())
    assert reaches == [], "import public names across packages (or move the helper where both can use it)"


def test_the_private_parts_check_sees_a_reach() -> None:
    """The check above is live: a private name from another package, or a private module, is seen."""
    assert _private_reaches("app.services.crew.board",
                            "from app.services.estimate.rows import _line_from_row\n") != []
    assert _private_reaches("app.services.excel.quote",
                            "from app.services.estimate._pricing import x\n") != []
    assert _private_reaches("app.services.estimate.loading",
                            "from app.services.estimate.rows import _line_from_row\n") == []


QT_FREE_SCRIPT = r"""
import importlib
import importlib.abc
import pkgutil
import sys
from decimal import Decimal
from pathlib import Path

BLOCKED = ("PySide6", "shiboken6")


class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: the core must not import Qt")
        return None


sys.meta_path.insert(0, BlockQt())
try:
    import PySide6  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("the Qt blocker does not block")

import app.models
import app.services

imported = []
for package in (app.models, app.services):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        imported.append(info.name)

from sqlalchemy import select

from app.models import Estimate
from app.services.demo import build_demo
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import open_database

db = open_database(Path(sys.argv[1]))
build_demo(db)
with db.read() as conn:
    query = select(Estimate.id).where(Estimate.name == "Full booth")
    estimate_id = conn.execute(query).scalar_one()
doc = EstimateDocument(db, estimate_id)
doc.set_line_fields(doc.sections[0].lines[0].id, {"quantity": Decimal(393)})
db.close()
assert doc.totals.total == Decimal("95580.00") + 4 * 35, doc.totals.total
leaked = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED)
assert not leaked, leaked
print("imported", len(imported), "modules:", " ".join(imported))
"""


def test_core_runs_with_qt_unavailable(tmp_path: Path) -> None:
    env = {**os.environ, "TANDEM_HOME": str(tmp_path / "home")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", QT_FREE_SCRIPT, str(tmp_path / "core.db")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "app.services.estimate.document" in result.stdout
    assert "app.models.estimate" in result.stdout

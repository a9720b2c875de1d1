"""The code's rooms: each capability in a package, the UI's packages mirroring the core's, small modules."""

from __future__ import annotations

from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# Plain pieces every feature shares stay at the top of their layer; everything else is in a package.
SHARED = {
    "services": {"__init__", "bounds", "demo", "directory", "lookups", "master_data", "money", "paths",
                 "values"},
    # the main window and what it assembles: the navigator and its New… actions, the editors' doors,
    # and the shell (what of the window the actions see)
    # (and what every grid and place shares: their keys, their right-click menus)
    "ui": {"__init__", "app", "context_menus", "desk_actions", "dialogs", "directory_actions",
           "editor_actions", "field_table", "grid_keys", "idle_reload", "main_window", "master_data",
           "navigator", "shell", "tasks", "widgets"},
}
MAX_LINES = 500
# Modules still over the limit, each with the size it may not grow past; split them along their seams
# and take them off this list (a module that shrank below its ceiling must lower it, so the list only
# ever gets shorter).
OVERSIZED: dict[str, int] = {}


def _modules(layer: str) -> list[Path]:
    return sorted((APP / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["services", "ui"])
def test_only_shared_pieces_sit_at_the_top_of_a_layer(layer: str) -> None:
    top = {path.stem for path in (APP / layer).glob("*.py")}
    assert top - SHARED[layer] == set(), f"app/{layer}: put these in a feature package"


@pytest.mark.parametrize("layer", ["services", "ui"])
def test_no_file_name_prefix_stands_in_for_a_package(layer: str) -> None:
    packages = {path.parent.name for path in (APP / layer).glob("*/__init__.py")}
    for path in (APP / layer).glob("*.py"):
        assert path.stem.split("_")[0] not in packages, f"{path.relative_to(APP)} belongs in its package"


def test_the_ui_packages_mirror_the_services_packages() -> None:
    services = {path.parent.name for path in (APP / "services").glob("*/__init__.py")}
    ui = {path.parent.name for path in (APP / "ui").glob("*/__init__.py")}
    assert ui <= services, f"UI packages without a core package of the same name: {ui - services}"


def test_modules_stay_small() -> None:
    sizes = {str(p.relative_to(APP.parent)): len(p.read_text().splitlines())
             for layer in ("models", "services", "ui") for p in _modules(layer)}
    too_big = {name: n for name, n in sizes.items() if n > OVERSIZED.get(name, MAX_LINES)}
    assert not too_big, f"split these along their seams (limit {MAX_LINES} lines): {too_big}"
    stale = {name: (ceiling, sizes.get(name)) for name, ceiling in OVERSIZED.items()
             if sizes.get(name, 0) < ceiling}
    assert not stale, f"lower these ceilings in OVERSIZED to the module's size (or drop them): {stale}"


def _cycles(exclude_type_checking_imports: bool, within: tuple[str, ...] = ("app",)) -> list[str]:
    """Each module (under ``within``) that imports a module which imports it back, with the chain."""
    import grimp

    # No cache: a stale one (from before an edit in the same second) would hide a cycle.
    graph = grimp.build_graph("app", exclude_type_checking_imports=exclude_type_checking_imports,
                              cache_dir=None)
    found = []
    for module in sorted(m for m in graph.modules if m.startswith(within)):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if graph.chain_exists(importer=imported, imported=module):
                found.append(f"{module} imports {imported}, which imports it back: "
                             f"{graph.find_shortest_chain(importer=imported, imported=module)}")
    return found


def test_no_module_imports_itself_back_at_run_time() -> None:
    """No import cycle between modules (imports made only for type hints do not run, so they do not count)."""
    assert _cycles(exclude_type_checking_imports=True) == []


def test_no_module_imports_itself_back_even_for_type_hints() -> None:
    """Not even a type hint imports back: a part names a protocol of what it uses (the document's
    DocumentState, the menus' Shell, the calendar's DragSurface and CalendarMarks)."""
    assert _cycles(exclude_type_checking_imports=False) == []


def test_the_document_s_parts_name_what_they_use_once() -> None:
    """The estimate document's parts share one protocol of its state (no stub lists of their own), and the
    document provides every member of it."""
    import inspect

    from app.services.estimate.document import EstimateDocument
    from app.services.estimate.document_state import DocumentState

    parts = [base for base in EstimateDocument.__mro__[1:]
             if base.__module__.startswith("app.services.estimate.") and base is not DocumentState]
    assert {part.__name__ for part in parts} == {"Loading", "LineEditing", "SectionEditing",
                                                 "ParameterEditing"}
    for part in parts:
        assert DocumentState in part.__mro__, f"{part.__name__} should be a DocumentState"
        source = inspect.getsource(inspect.getmodule(part))  # type: ignore[arg-type]
        assert "TYPE_CHECKING" not in source, f"{part.__module__}: say what it uses in DocumentState"
    declared = [name for name, value in vars(DocumentState).items()
                if inspect.isfunction(value) or isinstance(value, staticmethod)]
    assert "_write" in declared and "reload" in declared
    stubs_left = [name for name in declared
                  if inspect.getattr_static(EstimateDocument, name) is vars(DocumentState)[name]]
    assert stubs_left == [], "the document must provide these itself"

"""The code's rooms: each capability in a package, the UI's packages mirroring the core's, small modules."""

from __future__ import annotations

from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# Plain pieces every feature shares stay at the top of their layer; everything else is in a package.
SHARED = {
    "services": {"__init__", "bounds", "demo", "directory", "lookups", "money", "paths", "values"},
    # the main window and what it assembles: the navigator and its New… actions, the editors' doors,
    # and the shell (what of the window the actions see)
    "ui": {"__init__", "app", "dialogs", "directory_actions", "editor_actions", "field_table", "idle_reload",
           "main_window", "navigator", "shell", "tasks", "widgets"},
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


# Import cycles left in the core counting imports made only for type hints, as pairs of modules on a
# cycle; break them and take them off (a pair that is no longer on a cycle must go, so the list only
# ever gets shorter). Nothing in app.ui may be here.
KNOWN_TYPE_CHECKING_CYCLES = {
    frozenset({"app.services.storage.database", "app.services.storage.presence"}),
}


def _cycles(exclude_type_checking_imports: bool) -> dict[frozenset[str], tuple[str, ...]]:
    """Each direct import that is part of a cycle (both modules) with the chain leading back."""
    import grimp

    graph = grimp.build_graph("app", exclude_type_checking_imports=exclude_type_checking_imports)
    found: dict[frozenset[str], tuple[str, ...]] = {}
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                found[frozenset({module, imported})] = graph.find_shortest_chain(
                    importer=imported, imported=module)
    return found


def test_no_module_imports_itself_back_at_run_time() -> None:
    """No import cycle between modules (imports made only for type hints do not run, so they do not count)."""
    cycles = _cycles(exclude_type_checking_imports=True)
    assert not cycles, f"these modules import each other back: {sorted(cycles.values())}"


def test_no_module_imports_itself_back_even_for_type_hints() -> None:
    """Type hints take a small interface (a Protocol) rather than import back the module that imports them."""
    assert all(name.startswith("app.services.") for pair in KNOWN_TYPE_CHECKING_CYCLES for name in pair)
    cycles = _cycles(exclude_type_checking_imports=False)
    new = {pair: chain for pair, chain in cycles.items() if pair not in KNOWN_TYPE_CHECKING_CYCLES}
    assert not new, f"these modules import each other back (under TYPE_CHECKING too): {sorted(new.values())}"
    gone = KNOWN_TYPE_CHECKING_CYCLES - cycles.keys()
    assert not gone, f"no longer on a cycle: take them off KNOWN_TYPE_CHECKING_CYCLES: {gone}"

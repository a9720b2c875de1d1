"""The master-data editors' one skeleton: the selected row kept through reloads, Add and Delete undoable."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from app.services.values import InputError
from app.ui.crew.editor import CrewEditorDialog
from app.ui.field_table import FieldTableModel, RecordEditorDialog
from app.ui.master_data import MasterDataDialog

pytestmark = pytest.mark.gui


@dataclass
class Thing:
    id: uuid.UUID
    version: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Field:
    key: str
    title: str


class ThingsModel(FieldTableModel):
    def cell_text(self, key: str, value: Any) -> str:
        return str(value)


class ThingsEditor(RecordEditorDialog):
    """The smallest editor on the skeleton, over records in memory (what the store was asked is kept)."""

    noun = "thing"

    def __init__(self, names: list[str]) -> None:
        super().__init__(None, "things")  # type: ignore[arg-type]  # the records are in memory
        things = [Thing(uuid.uuid4(), 1, {"name": name}) for name in names]
        self.stored = {thing.id: thing for thing in things}
        self.deleted: set[uuid.UUID] = set()
        self.calls: list[tuple[str, Any]] = []
        self.place_table(ThingsModel([Field("name", "Name")], {}, []), 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(self.buttons)
        layout.addWidget(self.message)
        self.start(self.table)

    def load_rows(self) -> list[Thing]:
        live = [t for t in self.stored.values() if t.id not in self.deleted]
        return sorted(live, key=lambda t: t.values["name"])

    def add_record(self, name: str) -> uuid.UUID:
        if not name:
            raise InputError("Name cannot be empty.")
        thing = Thing(uuid.uuid4(), 1, {"name": name})
        self.stored[thing.id] = thing
        self.calls.append(("add", name))
        return thing.id

    def delete_record(self, record_id: uuid.UUID, version: int | None = None) -> None:
        self.calls.append(("delete", version))
        self.deleted.add(record_id)

    def restore_record(self, record_id: uuid.UUID) -> None:
        self.calls.append(("restore", None))
        self.deleted.discard(record_id)

    def delete_question(self, row: Thing) -> str:
        return f"Delete {row.values['name']}?"


def names(editor: ThingsEditor) -> list[str]:
    return [t.values["name"] for t in editor.model.rows]


def current_name(editor: ThingsEditor) -> str | None:
    row = editor.current()
    return row.values["name"] if row else None


def test_both_editors_are_built_on_the_skeleton() -> None:
    assert issubclass(CrewEditorDialog, RecordEditorDialog)
    assert issubclass(MasterDataDialog, RecordEditorDialog)  # roles, rules, catalog, suppliers, categories


def test_the_selected_record_is_kept_through_a_reload(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    editor = ThingsEditor(["Alpha", "Bravo", "Charlie"])
    qtbot.addWidget(editor)
    qtmodeltester.check(editor.model)
    assert names(editor) == ["Alpha", "Bravo", "Charlie"] and current_name(editor) == "Alpha"
    editor.table.selectRow(2)
    editor.reload()
    assert current_name(editor) == "Charlie"
    charlie = editor.current().id
    editor.deleted.add(charlie)  # gone from the store: the first record is selected instead
    editor.reload()
    assert names(editor) == ["Alpha", "Bravo"] and current_name(editor) == "Alpha"
    assert editor.delete_button.isEnabled()
    editor.deleted.update(t.id for t in editor.model.rows)
    editor.reload()
    assert names(editor) == [] and not editor.delete_button.isEnabled()


def test_add_selects_the_new_record_and_undoes_and_redoes(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = ThingsEditor(["Alpha", "Charlie"])
    qtbot.addWidget(editor)
    editor.ask_name = lambda: "Bravo"
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: current_name(editor) == "Bravo")
    assert editor.undo_stack.undoText() == "Add thing"
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: names(editor) == ["Alpha", "Charlie"])
    editor.undo_stack.redo()
    qtbot.waitUntil(lambda: current_name(editor) == "Bravo")
    assert editor.calls == [("add", "Bravo"), ("delete", None), ("restore", None)]


def test_a_refused_add_says_why_and_is_not_undoable(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = ThingsEditor(["Alpha"])
    qtbot.addWidget(editor)
    editor.ask_name = lambda: ""
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.message.text() == "Name cannot be empty."
    assert editor.undo_stack.count() == 0 and names(editor) == ["Alpha"]
    editor.ask_name = lambda: None  # cancelled: nothing asked of the store
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.undo_stack.count() == 0 and editor.calls == []


def test_delete_asks_then_checks_the_version_shown_first_and_as_stored_on_redo(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = ThingsEditor(["Alpha", "Bravo"])
    qtbot.addWidget(editor)
    asked: list[str] = []
    editor.confirm = lambda text: asked.append(text) is None and len(asked) > 1  # no, then yes
    editor.table.selectRow(1)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert asked == ["Delete Bravo?"] and editor.calls == [] and names(editor) == ["Alpha", "Bravo"]
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: names(editor) == ["Alpha"])
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: names(editor) == ["Alpha", "Bravo"])
    editor.undo_stack.redo()
    qtbot.waitUntil(lambda: names(editor) == ["Alpha"])
    assert editor.calls == [("delete", 1), ("restore", None), ("delete", None)]

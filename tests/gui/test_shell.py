"""The menus' actions work on a Shell, not on the whole main window; the main window is one."""

from __future__ import annotations

import re

import pytest

from app.ui.main_window import MainWindow
from app.ui.shell import Shell, ShellActions
from tests.test_layout import APP

pytestmark = pytest.mark.gui

ACTION_MODULES = ["ui/directory_actions.py", "ui/editor_actions.py", "ui/estimate/actions.py",
                  "ui/estimate/edit_actions.py", "ui/excel/export_actions.py", "ui/excel/import_actions.py",
                  "ui/storage/file_actions.py", "ui/projects/actions.py", "ui/company/actions.py",
                  "ui/equipment/timeline_actions.py",
                  "ui/shell.py"]  # ShellActions, which every one starts from


def shell_members() -> set[str]:
    return {name for name in vars(Shell) if not name.startswith("_")}


def test_the_main_window_has_every_member_of_the_shell(window: MainWindow) -> None:
    missing = {name for name in shell_members() if not hasattr(window, name)}
    assert not missing, f"MainWindow lacks what the actions use: {missing}"
    assert isinstance(window, Shell)
    assert window.window() is window  # the widget the actions are added to and dialogs open over


def test_the_shell_lists_exactly_what_the_actions_use() -> None:
    used = set()
    for module in ACTION_MODULES:
        text = (APP / module).read_text()
        assert "main_window" not in text, f"app/{module} imports the main window: take a Shell"
        used |= set(re.findall(r"\bshell\.(\w+)", text))
    assert used == shell_members(), (
        f"used but not in Shell: {used - shell_members()}; in Shell but unused: {shell_members() - used}")


def test_every_action_is_built_on_the_shell(window: MainWindow) -> None:
    for actions in (window.file_actions, window.directory_actions, window.editor_actions, window.edit_actions,
                    window.estimate_actions, window.import_actions, window.export_actions,
                    window.project_actions, window.company_actions, window.equipment_timeline):
        assert isinstance(actions, ShellActions)
        assert actions.shell is window and actions.window is window and actions.parent() is window

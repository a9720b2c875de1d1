"""The File menu's database commands: open, new, back up, restore, take offline, merge back.

Everything slow (copies, merges) runs on the thread pool with a progress dialog
that can cancel it; the live file and its journal are only ever read by these
commands, never replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from app.services.company.setup import set_up_company
from app.services.storage import backup, merge_apply, offline, offline_take
from app.services.storage.database import Database, open_database
from app.services.storage.errors import NotADatabase, StorageError
from app.services.values import InputError
from app.ui.company.setup_dialog import CompanySetupDialog, ask_company
from app.ui.shell import Shell, ShellActions
from app.ui.storage.merge_dialog import MergeDialog
from app.ui.tasks import Progress, ProgressRun, run_task
from app.ui.widgets import window_action

DB_FILTER = "Tandem databases (*.db *.tandem);;All files (*)"


class DatabaseActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.running: ProgressRun | None = None
        self.merge_dialog: MergeDialog | None = None
        self.setup_dialog: CompanySetupDialog | None = None
        self.open_action = window_action(window, "Open database…", "actionOpenDatabase", self.open_database,
                                        QKeySequence.StandardKey.Open)
        self.new_action = window_action(window, "New database…", "actionNewDatabase", self.new_database)
        self.backup_action = window_action(window, "Back up now", "actionBackUp", self.back_up_now)
        self.restore_action = window_action(window, "Restore from backup…", "actionRestore", self.restore)
        self.offline_action = window_action(window, "Take offline…", "actionTakeOffline", self.take_offline)
        self.merge_action = window_action(window, "Merge back into the share…", "actionMergeBack",
                                          self.merge_back)

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order; None is a separator."""
        return [self.open_action, self.new_action, None, self.backup_action, self.restore_action,
                None, self.offline_action, self.merge_action]

    def update_enabled(self, db: Database | None) -> None:
        on_file = db is not None and db.path is not None
        for action in (self.backup_action, self.restore_action, self.offline_action, self.merge_action):
            action.setEnabled(on_file)

    # -- open and create --------------------------------------------------------------

    def open_database(self) -> None:
        path = self.dialogs.open_file(self.window, "Open a Tandem database", DB_FILTER)
        if path:
            self.open_path(path, create=False)

    def new_database(self) -> None:
        path = self.dialogs.save_file(self.window, "New Tandem database", DB_FILTER)
        if not path:
            return
        if Path(path).exists():
            self.dialogs.error(self.window, "New database",
                               f"{path} already exists; choose a new name (Open database opens it).")
            return
        self.set_up_new(path)

    def set_up_new(self, path: str, parent: QWidget | None = None,
                   done: Callable[[], None] | None = None) -> CompanySetupDialog:
        """The company set-up form for a new database at ``path``: written only when it is OK.

        On OK the file is created with the company and its starter set and opened in the
        window, then ``done`` runs; Cancel leaves no file behind.
        """
        def set_up(values: dict[str, Any]) -> None:
            if self.create_company_database(path, values) and done is not None:
                done()

        self.setup_dialog = ask_company(self.dialogs, path, parent or self.window, set_up)
        return self.setup_dialog

    def create_company_database(self, path: str, values: dict[str, Any]) -> bool:
        """A new database at ``path`` set up for the company in ``values``, shown in the window.

        Refused (a message, and no file left behind) when the file cannot be made or set up.
        """
        created = not Path(path).exists()
        try:
            db = open_database(path, create=True)
        except StorageError as error:
            self.dialogs.error(self.window, "New database", str(error))
            return False
        try:
            set_up_company(db, values)
        except (InputError, StorageError) as error:
            db.close()
            if created:
                Path(path).unlink(missing_ok=True)
            self.dialogs.error(self.window, "Set up your company", str(error))
            return False
        self.shell.set_database(db)
        self.shell.statusBar().showMessage(f"Set up {db.display_name} for your company.", 8000)
        return True

    def open_path(self, path: str, create: bool) -> bool:
        """Open a database file in the window; a damaged one gets the offer of its backups."""
        try:
            db = open_database(path, create=create)
        except NotADatabase as error:
            return self.offer_restore(path, str(error))
        except StorageError as error:
            self.dialogs.error(self.window, "Cannot open the database", str(error))
            return False
        self.shell.set_database(db)
        return True

    def offer_restore(self, path: str, problem: str) -> bool:
        """A damaged file is left alone; its newest good backup can be restored to a new file."""
        try:
            backups = backup.list_backups(path)
        except StorageError:
            backups = []
        if not backups:
            self.dialogs.error(self.window, "Cannot open the database", problem)
            return False
        newest = backups[0]
        question = (f"{problem}\n\nThe newest backup of this file was taken {newest.describe()}. "
                    "Restore it into a new file and open that? The damaged file is not touched.")
        if not self.dialogs.confirm(self.window, "Restore from backup", question):
            return False
        return self._restore_into_new_file(newest.path, Path(path))

    # -- backups -------------------------------------------------------------------------

    def back_up_now(self) -> None:
        db = self.shell.db
        if db is None or db.path is None:
            return
        self._run("Backing up…", lambda progress: backup.snapshot(db),
                  lambda info: self.shell.statusBar().showMessage(
                      f"Backed up to {info.path.name} ({info.size / 1024:,.0f} KB).", 8000))

    def snapshot_quietly(self, db: Database) -> None:
        """The backup taken on every open: in the background, reported in the status bar.

        Not of a file opened read-only (another computer has it open over a share that does
        not lock): that computer's Tandem backs it up, and this one must not touch the file.
        """
        if db.path is None or db.read_only is not None:
            return
        run_task(lambda _p: backup.snapshot(db),
                 lambda info: self.shell.statusBar().showMessage(
                     f"Backed up on open: {info.path.name}.", 5000),
                 lambda message: self.shell.statusBar().showMessage(
                     f"Backup on open failed: {message}", 10000),
                 self)

    def restore(self) -> None:
        db = self.shell.db
        if db is None or db.path is None:
            return
        try:
            backups = backup.list_backups(db)
        except StorageError as error:
            self.dialogs.error(self.window, "Restore from backup", str(error))
            return
        if not backups:
            self.dialogs.info(self.window, "Restore from backup", "There is no backup of this database yet.")
            return
        index = self.dialogs.choose_item(self.window, "Restore from backup",
                                         "Backups of this database, newest first:",
                                         [b.describe() for b in backups])
        if index is None:
            return
        self._restore_into_new_file(backups[index].path, db.path)

    def _restore_into_new_file(self, backup_file: Path, original: Path) -> bool:
        target = self.dialogs.save_file(self.window, "Restore into a new file", DB_FILTER)
        if not target:
            return False
        try:
            restored = backup.restore_backup(backup_file, target)
            db = open_database(restored, create=False)
        except StorageError as error:
            self.dialogs.error(self.window, "Restore from backup", str(error))
            return False
        self.shell.set_database(db)
        self.shell.statusBar().showMessage(
            f"Restored a backup of {original.name} into {restored.name}; the original was not touched.",
            10000)
        return True

    # -- offline at the show ----------------------------------------------------------------

    def take_offline(self) -> None:
        db = self.shell.db
        if db is None or db.path is None:
            return
        target = self.dialogs.save_file(self.window, "Take offline: save the laptop copy as", DB_FILTER)
        if not target:
            return
        self._run("Taking offline…",
                  lambda progress: offline_take.take_offline(db, target, progress=progress), self._on_taken)

    def _on_taken(self, copy: offline.OfflineCopy) -> None:
        text = (f"The laptop copy is {copy.laptop}, with its base {copy.base.name} beside it "
                "(keep them together). Work on it at the show, then use “Merge back into the share”.\n\n"
                "Open the laptop copy now?")
        if self.dialogs.confirm(self.window, "Taken offline", text):
            self.open_path(str(copy.laptop), create=False)

    def merge_back(self) -> None:
        db = self.shell.db
        if db is None or db.path is None:
            return
        share = self.dialogs.open_file(self.window, "Merge back into which shared database?", DB_FILTER)
        if not share:
            return
        laptop = db.path
        self._run("Comparing with the share…",
                  lambda progress: merge_apply.plan_merge(laptop, share, progress=progress),
                  self._on_planned)

    def _on_planned(self, report: offline.MergeReport) -> None:
        if not report.conflicts and not report.applied:
            self.dialogs.info(self.window, "Merge back",
                              "Nothing to merge: the share already holds every change from this laptop.")
            return
        self.merge_dialog = MergeDialog(report, self.window)
        self.merge_dialog.finished.connect(self._on_merge_dialog_finished)
        self.merge_dialog.open()

    def _on_merge_dialog_finished(self, result: int) -> None:
        dialog, self.merge_dialog = self.merge_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.shell.statusBar().showMessage("Merge cancelled; nothing was written.", 8000)
            return
        report, decisions = dialog.report, dialog.decisions()
        self._run("Merging…",
                  lambda progress: merge_apply.apply_decisions(report, decisions, progress=progress),
                  self._on_merged)

    def _on_merged(self, report: offline.MergeReport) -> None:
        if report.written:
            summary = (f"Merged into the share: {len(report.applied)} change(s) from this laptop, "
                       f"{len(report.conflicts)} conflict(s) decided.")
        else:
            summary = "\n".join(report.lines())
        self.dialogs.info(self.window, "Merge back", summary)

    # -- running with a progress dialog --------------------------------------------------------

    def _run(self, title: str, work: Callable[[Progress], Any], on_done: Callable[[Any], None]) -> None:
        def done(result: Any) -> None:
            self.running = None
            on_done(result)

        def failed(message: str) -> None:
            self.running = None
            self.dialogs.error(self.window, title.rstrip("…"), message)

        self.running = ProgressRun(self.window, title, work, done, failed)

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog of the command running now, if any."""
        return self.running.dialog if self.running is not None else None

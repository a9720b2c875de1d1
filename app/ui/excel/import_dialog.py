"""File › Import estimate from Excel…: a Tandem cost sheet as is, any other sheet through a column mapping.

The dialog only reads until Import is pressed: the preview reads the sheet's first
rows only (``mapping.PREVIEW_ROWS``, however long the sheet), on the thread pool;
Import reads the whole sheet there with progress and Stop, then writes it with
``import_estimate`` (short transactions), still off the GUI thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.excel.imported import NAME_MAX, ImportedEstimate, RowProblem
from app.services.excel.importing import check_estimate_name, import_estimate, unknown_names
from app.services.excel.mapping import MAPPABLE_FIELDS, ColumnMapping, guess_mapping, open_sheet_preview
from app.services.excel.mapping import PREVIEW_ROWS as READ_PREVIEW_ROWS
from app.services.money import format_money
from app.services.storage.database import Database, StorageError
from app.services.values import InputError
from app.ui.excel.import_preview_model import ImportPreviewModel
from app.ui.excel.import_reading import Loaded, guarded, read_rows, reporter
from app.ui.tasks import Progress, Task, run_task

if TYPE_CHECKING:
    pass

EXCEL_FILTER = "Excel workbooks (*.xlsx *.xlsm)"


# -- the dialog -----------------------------------------------------------------------------------


class ImportDialog(QDialog):
    """Preview an Excel file as an estimate; only Import writes (one transaction)."""

    previewUpdated = Signal()
    _NONE = "(none)"

    def __init__(self, db: Database, project_id: uuid.UUID, path: str, loaded: Loaded,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import estimate from Excel")
        self.db = db
        self.project_id = project_id
        self.path = path
        self.loaded = loaded
        self.imported_id: uuid.UUID | None = None
        self.mapping = loaded.preview.mapping if loaded.preview else ColumnMapping()
        self._task: Task | None = None
        self._generation = 0
        self._closed = False
        self._notes: list[RowProblem] = []
        self._reread_timer = QTimer(self)
        self._reread_timer.setSingleShot(True)
        self._reread_timer.setInterval(150)
        self._reread_timer.timeout.connect(self._reread)

        layout = QVBoxLayout(self)
        self.file_label = QLabel(path, self)
        self.file_label.setObjectName("importFile")
        layout.addWidget(self.file_label)

        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.mapping_box = QGroupBox("Columns", self)
        self.mapping_box.setObjectName("importMapping")
        grid = QGridLayout(self.mapping_box)
        self.sheet_combo = QComboBox(self.mapping_box)
        self.sheet_combo.setObjectName("importSheet")
        self.header_spin = QSpinBox(self.mapping_box)
        self.header_spin.setObjectName("importHeaderRow")
        self.header_spin.setRange(0, 1000)
        self.header_spin.setSpecialValueText("none")
        grid.addWidget(QLabel("Sheet", self.mapping_box), 0, 0)
        grid.addWidget(self.sheet_combo, 0, 1)
        grid.addWidget(QLabel("Header row", self.mapping_box), 0, 2)
        grid.addWidget(self.header_spin, 0, 3)
        self.field_combos: dict[str, QComboBox] = {}
        for i, (field_name, label) in enumerate(MAPPABLE_FIELDS):
            combo = QComboBox(self.mapping_box)
            combo.setObjectName(f"importMap_{field_name}")
            combo.setAccessibleName(f"Column for {label}")
            combo.activated.connect(lambda _i, f=field_name: self._on_field_activated(f))
            self.field_combos[field_name] = combo
            row, col = 1 + i // 3, (i % 3) * 2
            grid.addWidget(QLabel(label, self.mapping_box), row, col)
            grid.addWidget(combo, row, col + 1)
        layout.addWidget(self.mapping_box)

        self.preview_model = ImportPreviewModel(self)
        self.preview_view = QTableView(self)
        self.preview_view.setObjectName("importPreview")
        self.preview_view.setModel(self.preview_model)
        self.preview_view.verticalHeader().hide()
        layout.addWidget(self.preview_view, 3)

        layout.addWidget(QLabel("Rows that cannot be read", self))
        self.problems = QListWidget(self)
        self.problems.setObjectName("importProblems")
        layout.addWidget(self.problems, 1)

        busy = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.cancel_read = QPushButton("Stop reading", self)
        self.cancel_read.setObjectName("importStopReading")
        self.cancel_read.clicked.connect(self._on_stop_clicked)
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_read)
        layout.addLayout(busy)

        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("importName")
        form.addRow("New estimate", self.name_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("importError")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(1000, 700)

        self._set_busy(False)
        if loaded.tandem is not None:
            self.mapping_box.hide()
            self.preview_view.hide()
            self.name_edit.setText(loaded.tandem.name)
        else:
            assert loaded.preview is not None
            self.name_edit.setText(Path(path).stem[:NAME_MAX] or "Imported estimate")
            self._fill_sheets()
            self._fill_combos()
        self._show_loaded()

    # -- filling --------------------------------------------------------------------------------

    def _fill_sheets(self) -> None:
        preview = self.loaded.preview
        assert preview is not None
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheet_names)
        self.sheet_combo.setCurrentText(preview.sheet)
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.currentTextChanged.connect(self._on_sheet_changed)
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(preview.header_row)
        self.header_spin.blockSignals(False)
        self.header_spin.valueChanged.connect(self._on_header_row_changed)

    def _headers(self) -> list[str]:
        preview = self.loaded.preview
        assert preview is not None
        row = self.header_spin.value()
        width = len(preview.rows[0]) if preview.rows else 0
        if 1 <= row <= len(preview.rows):
            return list(preview.rows[row - 1])
        return [""] * width

    def _fill_combos(self) -> None:
        """One item per sheet column ("B: Qty"), the current mapping selected."""
        from openpyxl.utils import get_column_letter

        headers = self._headers()
        for field_name, combo in self.field_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self._NONE, None)
            for i, text in enumerate(headers):
                combo.addItem(f"{get_column_letter(i + 1)}: {text}" if text else get_column_letter(i + 1), i)
            column = self.mapping.column_of(field_name)
            combo.setCurrentIndex(0 if column is None else column + 1)
            combo.blockSignals(False)

    def _sync_combos(self) -> None:
        for field_name, combo in self.field_combos.items():
            column = self.mapping.column_of(field_name)
            combo.blockSignals(True)
            combo.setCurrentIndex(0 if column is None else column + 1)
            combo.blockSignals(False)

    def _show_loaded(self) -> None:
        """Summary, preview and problems of what was read last."""
        self.problems.clear()
        tandem = self.loaded.tandem
        if tandem is not None:
            self._notes = unknown_names(self.db, tandem)
            totals = ""
            if tandem.total_price is not None and tandem.total_cost is not None:
                totals = (f", totals {format_money(tandem.total_price)} price · "
                          f"{format_money(tandem.total_cost)} cost")
            self.summary.setText(f"Tandem workbook: {len(tandem.sections)} sections, "
                                 f"{tandem.line_count} lines{totals}.")
            for problem in tandem.problems + self._notes:
                self.problems.addItem(str(problem))
            self.import_button.setEnabled(True)
            self.previewUpdated.emit()
            return
        mapped = self.loaded.mapped
        if mapped is None:
            self.preview_model.set_rows([])
            self.summary.setText("Choose the column that holds each line's description.")
            self.import_button.setEnabled(False)
            self.previewUpdated.emit()
            return
        self._notes = unknown_names(self.db, mapped.estimate)
        self.preview_model.set_rows(mapped.rows)
        lines = len(mapped.lines)
        first = "" if mapped.complete else f"In the first {READ_PREVIEW_ROWS} rows: "
        rest = "" if mapped.complete else " The whole sheet is read when you press Import."
        self.summary.setText(
            f"{first}{lines} lines in {len(mapped.estimate.sections)} sections, total "
            f"{format_money(mapped.total_price)}; {len(mapped.problems)} rows cannot be read.{rest}")
        for problem in mapped.estimate.problems + self._notes:
            self.problems.addItem(str(problem))
        self.import_button.setEnabled(lines > 0)
        self.previewUpdated.emit()

    # -- re-reading ------------------------------------------------------------------------------

    def _on_field_activated(self, field_name: str) -> None:
        column = self.field_combos[field_name].currentData()
        self.mapping = self.mapping.with_column(field_name, column)
        self._sync_combos()
        self._reread_timer.start()

    def _on_header_row_changed(self, _value: int) -> None:
        self.mapping = guess_mapping(self._headers())
        self._fill_combos()
        self._reread_timer.start()

    def _on_sheet_changed(self, _sheet: str) -> None:
        self._reread(new_sheet=True)

    def _reread(self, new_sheet: bool = False) -> None:
        if self._closed:
            return
        if self._task is not None:
            self._task.cancel()
        self._generation += 1
        generation = self._generation
        path, sheet = self.path, self.sheet_combo.currentText()
        header_row, mapping = self.header_spin.value(), self.mapping

        def work(progress: Progress) -> Loaded:
            if new_sheet:
                preview = open_sheet_preview(path, sheet)
                return Loaded(preview=preview, mapped=read_rows(path, sheet, preview.header_row,
                                                                 preview.mapping, progress))
            return Loaded(mapped=read_rows(path, sheet, header_row, mapping, progress))

        self._set_busy(True)
        self.error_label.clear()
        task = run_task(guarded(work), lambda r: self._on_read(generation, r),
                        lambda m: self._on_read_failed(generation, m))
        task.progressed.connect(self._on_progress)
        self._task = task

    def _on_read(self, generation: int, loaded: Loaded) -> None:
        if self._closed or generation != self._generation:
            return
        self._task = None
        self._set_busy(False)
        if loaded.preview is not None:
            self.loaded = Loaded(preview=loaded.preview, mapped=loaded.mapped)
            self.mapping = loaded.preview.mapping
            self.header_spin.blockSignals(True)
            self.header_spin.setValue(loaded.preview.header_row)
            self.header_spin.blockSignals(False)
            self._fill_combos()
        else:
            self.loaded = Loaded(preview=self.loaded.preview, mapped=loaded.mapped)
        self._show_loaded()

    def _on_read_failed(self, generation: int, message: str) -> None:
        if self._closed or generation != self._generation:
            return
        self._task = None
        self._set_busy(False)
        self.error_label.setText(message)
        self.import_button.setEnabled(False)
        self.previewUpdated.emit()

    def _on_progress(self, step: str, done: int, total: int) -> None:
        if not self._closed:
            self.progress.setFormat(f"{step} %v of %m" if total else step)
            self.progress.setMaximum(max(total, 0))
            self.progress.setValue(max(done, 0))

    def _on_stop_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_read.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.import_button.setEnabled(False)

    @property
    def busy(self) -> bool:
        return self._task is not None or self._reread_timer.isActive()

    # -- importing --------------------------------------------------------------------------------

    def estimate(self) -> ImportedEstimate | None:
        if self.loaded.tandem is not None:
            return self.loaded.tandem
        return self.loaded.mapped.estimate if self.loaded.mapped is not None else None

    def _on_import_clicked(self) -> None:
        """Read the whole sheet (a mapped one), show what it found, write: all off the GUI thread."""
        imported = self.estimate()
        if imported is None or self.busy:
            return
        try:
            name = check_estimate_name(self.db, self.project_id, self.name_edit.text())
        except (InputError, StorageError) as error:
            self.error_label.setText(str(error))
            return
        mapped = self.loaded.mapped
        if mapped is not None and not mapped.complete:
            path, sheet = self.path, self.sheet_combo.currentText()
            header_row, mapping, shown = self.header_spin.value(), self.mapping, len(mapped.problems)

            def read(progress: Progress) -> Loaded:
                return Loaded(mapped=read_rows(path, sheet, header_row, mapping, progress, whole=True))

            self._start(read, lambda loaded: self._on_whole_read(loaded, shown))
            return
        self._write(name, imported)

    def _on_whole_read(self, loaded: Loaded, shown: int) -> None:
        self.loaded = Loaded(preview=self.loaded.preview, mapped=loaded.mapped)
        self._show_loaded()
        mapped = self.loaded.mapped
        if mapped is None or not mapped.lines:
            return
        more = len(mapped.problems) - shown
        if more > 0:  # the user sees them before anything is written
            rows = "1 more row" if more == 1 else f"{more} more rows"
            self.error_label.setText(f"{rows} further down cannot be read (listed); "
                                     "press Import again to import the rest.")
            return
        self._on_import_clicked()

    def _write(self, name: str, imported: ImportedEstimate) -> None:
        db, project_id = self.db, self.project_id

        def write(progress: Progress) -> uuid.UUID:
            report, cancelled = reporter("Writing lines…", progress)
            return import_estimate(db, project_id, name, imported, progress=report, cancelled=cancelled)

        def written(estimate_id: uuid.UUID) -> None:
            self.imported_id = estimate_id
            self.accept()

        self._start(write, written)

    def _start(self, work: Callable[[Progress], Any], on_done: Callable[[Any], None]) -> None:
        """``work`` for Import on the pool, with the progress bar and Stop; a failure keeps the dialog."""
        self._generation += 1
        generation = self._generation

        def finished(result: Any) -> None:
            if not self._closed and generation == self._generation:
                self._task = None
                self._set_busy(False)
                on_done(result)

        def failed(message: str) -> None:
            if not self._closed and generation == self._generation:
                self._task = None
                self._set_busy(False)
                self.error_label.setText(message)
                self.import_button.setEnabled(True)
                self.previewUpdated.emit()

        self._set_busy(True)
        self.error_label.clear()
        self._task = run_task(guarded(work), finished, failed)
        self._task.progressed.connect(self._on_progress)

    def done(self, result: int) -> None:
        """Closing stops any read in progress; its result is then ignored."""
        self._closed = True
        self._reread_timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().done(result)

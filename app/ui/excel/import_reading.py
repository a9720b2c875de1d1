"""The import dialog's reads off the GUI thread: what a read hands back, its progress, its failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from app.services.excel.imported import ImportedEstimate, ImportFailed
from app.services.excel.mapped_rows import MappedImport, read_mapped
from app.services.excel.mapping import PREVIEW_ROWS as READ_PREVIEW_ROWS
from app.services.excel.mapping import ColumnMapping, SheetPreview, open_sheet_preview
from app.services.excel.tandem_sheets import is_tandem_workbook, read_tandem_workbook
from app.services.storage.database import StorageError
from app.services.values import InputError
from app.ui.tasks import Progress

T = TypeVar("T")


@dataclass(slots=True)
class Loaded:
    """What a background read hands back: a Tandem estimate, or a sheet preview and its parsed rows."""

    tandem: ImportedEstimate | None = None
    preview: SheetPreview | None = None
    mapped: MappedImport | None = None


def guarded(work: Callable[[Progress], T]) -> Callable[[Progress], T]:
    """Failures as StorageError, the one kind ``run_task`` reports (with its one-line message)."""

    def run(progress: Progress) -> T:
        try:
            return work(progress)
        except (ImportFailed, InputError) as error:
            raise StorageError(str(error)) from None
        except Exception as error:  # a worker must always finish, or the dialog would wait forever
            raise StorageError(f"The workbook could not be read ({type(error).__name__}: {error}).") from None

    return run


def reporter(step: str, progress: Progress) -> tuple[Callable[[int, int], None], Callable[[], bool]]:
    """``progress`` as the (done, total) reporter and the cancelled() check that excel_import takes."""
    going = [True]

    def report(done: int, total: int) -> None:
        going[0] = progress(step, done, total)

    return report, lambda: not going[0]


def read_rows(path: str, sheet: str, header_row: int, mapping: ColumnMapping,
               progress: Progress, whole: bool = False) -> MappedImport | None:
    """The preview's rows (the sheet's first ones), or with ``whole`` every row, for Import."""
    if "description" not in mapping.columns:
        return None
    report, cancelled = reporter("Reading rows…", progress)
    return read_mapped(path, sheet, header_row, mapping, progress=report, cancelled=cancelled,
                          max_rows=None if whole else READ_PREVIEW_ROWS)


def load_first(path: str) -> Callable[[Progress], Loaded]:
    """The first read of a file: the whole Tandem estimate, or the first sheet with the guesses."""

    def work(progress: Progress) -> Loaded:
        progress("Opening the workbook…", 0, 0)
        if is_tandem_workbook(path):
            return Loaded(tandem=read_tandem_workbook(path))
        preview = open_sheet_preview(path)
        return Loaded(preview=preview,
                      mapped=read_rows(path, preview.sheet, preview.header_row, preview.mapping, progress))

    return guarded(work)

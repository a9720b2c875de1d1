"""Hostile and huge workbooks: refused from the zip's directory before reading, previews that stream,
imports that never hold the write lock for long.

The hostile files are crafted with zipfile (a part declared gigabytes large costs a few KB
on disk: one compressed megabyte replayed); whatever must be refused is read in a child
process with 1 GiB of address space and a time limit, so that the code before these fixes
fails the test (MemoryError, or no answer in time) instead of taking the machine down.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from app.models import Estimate, LineItem, Section
from app.services.estimate.document import EstimateDocument
from app.services.excel import importing, reading
from app.services.excel.imported import ImportCancelled, ImportedEstimate, ImportedSection, ImportFailed
from app.services.excel.importing import IMPORT_BATCH, import_estimate
from app.services.excel.mapped_rows import read_mapped
from app.services.excel.mapping import ColumnMapping, open_sheet_preview
from app.services.excel.reading import CELL_CHARS_MAX, IMPORT_ROWS_MAX
from app.services.excel.tandem_sheets import read_tandem_workbook, write_tandem_data
from app.services.storage.database import Database, open_database
from tests.factories import estimate_id

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
CHILD_MEMORY = 1024 * MiB
CHILD_SECONDS = 60  # a hang guard, not a timing: each read here answers in about a second
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet1.xml"
DESCRIPTION = ColumnMapping({"description": 0, "quantity": 1})


# -- crafting workbooks ----------------------------------------------------------------------------


def base_workbook(path: Path) -> Path:
    """A plain workbook with one sheet "Sheet" and a text table (sharedStrings.xml)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet"
    ws.append(["Item", "Qty"])
    ws.append(["LED panel", 4])
    wb.save(path)
    return path


def sheet_xml(rows: Iterator[str] | list[str], dimension: str | None = "A1:B3") -> bytes:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">{head}'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()


HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Item</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Qty</t></is></c></row>'
)


def row_xml(number: int, text: str, qty: int | None = None) -> str:
    cells = f'<c r="A{number}" t="inlineStr"><is><t>{text}</t></is></c>'
    if qty is not None:
        cells += f'<c r="B{number}"><v>{qty}</v></c>'
    return f'<row r="{number}">{cells}</row>'


@contextmanager
def replayed_deflate() -> Iterator[None]:
    """While active, zipfile deflates one 1 MiB chunk once and replays it (and skips the CRC).

    A full flush resets the compressor, so the deflated chunk is the same wherever it falls
    and may be repeated: a part can be declared gigabytes long in milliseconds.
    """
    real_compressor, real_crc = zipfile._get_compressor, zipfile.crc32  # type: ignore[attr-defined]

    class Replay:
        def __init__(self) -> None:
            self.inner = zlib.compressobj(9, zlib.DEFLATED, -15)
            self.blocks: dict[int, bytes] = {}

        def compress(self, data: bytes) -> bytes:
            if len(data) != MiB:
                return self.inner.compress(data)
            key = hash(data)
            if key not in self.blocks:
                reset = self.inner.flush(zlib.Z_FULL_FLUSH)
                self.blocks[key] = self.inner.compress(data) + self.inner.flush(zlib.Z_FULL_FLUSH)
                return reset + self.blocks[key]
            return self.blocks[key]

        def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
            return self.inner.flush(mode)

    zipfile._get_compressor = lambda *_a, **_k: Replay()  # type: ignore[attr-defined]
    zipfile.crc32 = lambda _data, crc=0: 0  # type: ignore[attr-defined]
    try:
        yield
    finally:
        zipfile._get_compressor, zipfile.crc32 = real_compressor, real_crc  # type: ignore[attr-defined]


def huge_part(
    archive: zipfile.ZipFile, name: str, mib: int, prefix: bytes, fill: bytes, suffix: bytes
) -> None:
    """Part ``name``: ``prefix``, ``mib`` MiB of ``fill``, ``suffix`` — a few KB once deflated."""
    chunk = fill * (MiB // len(fill))
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with replayed_deflate(), archive.open(info, "w") as out:
        out.write(prefix)
        for _ in range(mib):
            out.write(chunk)
        out.write(suffix)


def rezip(
    source: Path,
    target: Path,
    replace: dict[str, bytes],
    huge: dict[str, tuple[int, bytes, bytes, bytes]] | None = None,
) -> Path:
    """``source`` copied to ``target`` with parts replaced or added: as bytes, or huge crafted ones."""
    huge = huge or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = old.namelist()
        for name in names:
            if name not in huge:
                new.writestr(name, replace.get(name, old.read(name)))
        for name, data in replace.items():
            if name not in names:
                new.writestr(name, data)
        for name, part in huge.items():
            huge_part(new, name, *part)
    return target


def with_text_table(source: Path) -> bytes:
    """``source``'s content types, declaring a text table (xl/sharedStrings.xml) as Excel writes one."""
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
    return types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )


def bounded(tmp_path: Path, call: str, path: Path) -> str:
    """``call`` (Python using the import names and ``path``) in a child (1 GiB, timed): its one line."""
    script = (
        "import sys\nfrom app.services.excel.imported import ImportFailed\n"
        "from app.services.excel.mapping import ColumnMapping, open_sheet_preview\n"
        "from app.services.excel.mapped_rows import read_mapped\n"
        "from app.services.excel.tandem_sheets import read_tandem_workbook\npath = sys.argv[1]\n"
        f"try:\n    {call}\nexcept ImportFailed as error:\n    print('refused:', error)\n"
        "else:\n    print('read')\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))

    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            timeout=CHILD_SECONDS,
            cwd=ROOT,
            env={**os.environ},
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"not refused within {CHILD_SECONDS} s: {call}")
    assert done.returncode == 0, done.stderr[-800:]
    out = done.stdout.strip()
    assert "\n" not in out
    return out


# -- limits checked before reading ------------------------------------------------------------------


def test_a_2_gb_shared_string_is_refused_before_reading(tmp_path: Path) -> None:
    sst = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'
    base = base_workbook(tmp_path / "base.xlsx")
    path = rezip(
        base,
        tmp_path / "text bomb.xlsx",
        {"[Content_Types].xml": with_text_table(base)},
        {"xl/sharedStrings.xml": (1907, sst.encode(), b"a", b"</t></si></sst>")},
    )
    assert path.stat().st_size < 4 * MiB
    for call in (
        "open_sheet_preview(path)",
        "read_tandem_workbook(path)",
        "read_mapped(path, 'Sheet', 1, ColumnMapping({'description': 0}))",
    ):
        out = bounded(tmp_path, call, path)
        assert out.startswith(
            "refused: text bomb.xlsx is too large to import: a part read whole "
            "(xl/sharedStrings.xml) unpacks to 1,907 MB; Tandem reads at most 64 MB"
        ), out


def test_a_sheet_claiming_20_million_rows_is_refused_before_reading(tmp_path: Path) -> None:
    rows = [row_xml(1, "Item"), row_xml(2, "LED panel", 4), row_xml(20_000_000, "The last row", 1)]
    sheet = sheet_xml(rows, dimension="A1:B20000000")  # 20 M rows to read before: no answer in 100 s
    path = rezip(base_workbook(tmp_path / "base.xlsx"), tmp_path / "tall.xlsx", {SHEET_PART: sheet})
    for call in (
        "open_sheet_preview(path)",
        "read_mapped(path, 'Sheet', 1, ColumnMapping({'description': 0}))",
    ):
        out = bounded(tmp_path, call, path)
        assert out == (
            "refused: tall.xlsx is refused: a sheet claims 20,000,000 rows × 2 columns, "
            "beyond Excel's own 1,048,576 × 16,384."
        ), out


def test_a_sheet_past_the_import_limit_previews_but_is_refused_before_the_full_read(tmp_path: Path) -> None:
    claimed = IMPORT_ROWS_MAX * 5
    sheet = sheet_xml([row_xml(1, "Item"), row_xml(2, "LED panel", 4)], dimension=f"A1:B{claimed}")
    path = rezip(base_workbook(tmp_path / "base.xlsx"), tmp_path / "long.xlsx", {SHEET_PART: sheet})
    preview = open_sheet_preview(path)
    assert preview.rows[:2] == [["Item", ""], ["LED panel", "4"]]
    out = bounded(tmp_path, "read_mapped(path, 'Sheet', 1, ColumnMapping({'description': 0}))", path)
    assert out == (
        f"refused: long.xlsx: the sheet “Sheet” has {claimed:,} rows; Tandem imports at most "
        f"{IMPORT_ROWS_MAX:,} — split it into smaller sheets."
    ), out


def test_a_sheet_holding_more_rows_than_it_claims_stops_at_the_limit(tmp_path: Path) -> None:
    beyond = IMPORT_ROWS_MAX + 5
    sheet = sheet_xml(
        [row_xml(1, "Item"), row_xml(2, "LED panel", 4), row_xml(beyond, "Hidden far down", 1)],
        dimension="A1:B2",
    )  # a lie: openpyxl would stop at row 2 and drop the rest silently
    path = rezip(base_workbook(tmp_path / "base.xlsx"), tmp_path / "liar.xlsx", {SHEET_PART: sheet})
    sheet = sheet_xml(
        [row_xml(1, "Item"), row_xml(2, "LED panel", 4), row_xml(beyond, "Hidden far down", 1)],
        dimension=None,
    )
    unsized = rezip(base_workbook(tmp_path / "base2.xlsx"), tmp_path / "unsized.xlsx", {SHEET_PART: sheet})
    for p in (path, unsized):
        out = bounded(tmp_path, "read_mapped(path, 'Sheet', 1, ColumnMapping({'description': 0}))", p)
        assert out == (
            f"refused: {p.name}: the sheet “Sheet” has more than {IMPORT_ROWS_MAX:,} rows; "
            f"Tandem imports at most {IMPORT_ROWS_MAX:,} — split it into smaller sheets."
        ), out


@pytest.mark.parametrize(
    ("mib", "reason"),
    [
        (100, "refused: bomb.xlsx is refused: xl/worksheets/sheet1.xml unpacks to "),
        (
            600,
            "refused: bomb.xlsx is too large to import: a sheet (xl/worksheets/sheet1.xml) "
            "unpacks to 600 MB; Tandem reads at most 512 MB.",
        ),
    ],
)
def test_a_zip_bomb_sheet_is_refused_by_its_size_or_its_ratio(tmp_path: Path, mib: int, reason: str) -> None:
    head = sheet_xml([row_xml(1, "Item")]).split(b"</sheetData>")[0]
    path = rezip(
        base_workbook(tmp_path / "base.xlsx"),
        tmp_path / "bomb.xlsx",
        {},
        {SHEET_PART: (mib, head, b" ", b"</sheetData></worksheet>")},
    )
    out = bounded(tmp_path, "open_sheet_preview(path)", path)
    assert out.startswith(reason), out
    if mib == 100:
        assert out.endswith("times its packed size, which is how a zip bomb looks, not a spreadsheet."), out


def test_parts_together_past_the_total_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "RATIO_MAX", 10**9, raising=False)  # only the total is under test here
    head = sheet_xml([row_xml(1, "Item")]).split(b"</sheetData>")[0]
    path = rezip(
        base_workbook(tmp_path / "base.xlsx"),
        tmp_path / "heavy.xlsx",
        {},
        {SHEET_PART: (500, head, b" ", b"</sheetData></worksheet>")},
    )
    with zipfile.ZipFile(path, "a") as archive:  # parts nobody reads, each under its own limit
        for i in range(10):
            huge_part(archive, f"xl/media/filler{i}.bin", 60, b"", b" ", b"")
    with pytest.raises(ImportFailed) as caught:
        open_sheet_preview(path)
    assert (
        str(caught.value)
        == "heavy.xlsx is too large to import: it unpacks to 1,100 MB; Tandem reads at most 1,024 MB."
    )


def test_a_size_that_lies_cannot_make_a_bigger_read(tmp_path: Path) -> None:
    """The directory says 2 KB, the part inflates to 30 MB: zipfile stops at 2 KB, the checksum fails."""
    rows = [row_xml(1, "Item")] + [row_xml(n, f"LED panel {n}", n) for n in range(2, 400_000)]
    path = rezip(
        base_workbook(tmp_path / "base.xlsx"), tmp_path / "lying.xlsx", {SHEET_PART: sheet_xml(rows, None)}
    )
    lying = tmp_path / "lying2.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.getinfo(SHEET_PART).file_size = 2048  # the central directory is written from this on close
    with zipfile.ZipFile(lying) as archive:
        assert archive.getinfo(SHEET_PART).file_size == 2048
    out = bounded(tmp_path, "read_mapped(path, 'Sheet', 1, ColumnMapping({'description': 0}))", lying)
    assert out.startswith("refused: lying2.xlsx is damaged"), out


def test_a_cell_past_excels_limit_is_a_row_problem_or_a_refusal(
    tmp_path: Path, demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    long_text = "x" * (CELL_CHARS_MAX + 1)
    sheet = sheet_xml([row_xml(1, "Item", None), row_xml(2, long_text, 4), row_xml(3, "LED panel", 4)])
    path = rezip(base_workbook(tmp_path / "base.xlsx"), tmp_path / "long cell.xlsx", {SHEET_PART: sheet})
    assert open_sheet_preview(path).rows[1][0] == long_text  # the preview shows it as it is
    result = read_mapped(path, "Sheet", 1, DESCRIPTION)
    assert [str(p) for p in result.problems] == [
        "row 2: a cell holds 32,768 characters; a cell holds at most 32,767"
    ]
    assert [r.values["description"] for r in result.lines] == ["LED panel"]

    wb = Workbook(write_only=True)
    wb.create_sheet("Cost sheet").append(["Full booth"])
    write_tandem_data(wb, EstimateDocument(demo_db, full_booth_id))
    wb.save(tmp_path / "cost.xlsx")
    with zipfile.ZipFile(tmp_path / "cost.xlsx") as archive:
        named = {n: archive.read(n) for n in archive.namelist() if b"<t>Full booth</t>" in archive.read(n)}
    assert len(named) == 2  # the visible sheet and the estimate's name on its Tandem sheet
    rezip(
        tmp_path / "cost.xlsx",
        tmp_path / "cost long.xlsx",
        {n: data.replace(b"<t>Full booth</t>", f"<t>{long_text}</t>".encode()) for n, data in named.items()},
    )
    with pytest.raises(
        ImportFailed, match=r"holds a cell of 32,768 characters; a cell holds at most 32,767"
    ):
        read_tandem_workbook(tmp_path / "cost long.xlsx")


# -- the preview reads only what it shows ----------------------------------------------------------------


def broken_after_preview(path: Path, dimension: str | None = "A1:B90000") -> Path:
    """A sheet whose first 100 rows are fine and whose part is damaged further down."""
    rows = [HEADER] + [row_xml(n, f"LED panel {n}", n) for n in range(2, 101)]
    sheet = sheet_xml(rows, dimension=dimension).replace(b"</sheetData>", b"<row r='101'><c r=")
    return rezip(base_workbook(path.with_name("base.xlsx")), path, {SHEET_PART: sheet})


@pytest.mark.parametrize("dimension", ["A1:B90000", None])
def test_the_preview_reads_only_the_rows_it_shows(tmp_path: Path, dimension: str | None) -> None:
    """Also a sheet without <dimension> (openpyxl's write-only mode writes none), which openpyxl
    itself parsed to its last row just to open the workbook."""
    path = broken_after_preview(tmp_path / "preview.xlsx", dimension)
    preview = open_sheet_preview(path)
    assert len(preview.rows) == 60 and preview.header_row == 1 and preview.mapping == DESCRIPTION
    shown = read_mapped(path, "Sheet", 1, DESCRIPTION, max_rows=60)
    assert not shown.complete
    assert [r.row_number for r in shown.lines] == list(range(2, 61))
    with pytest.raises(ImportFailed, match=r"preview\.xlsx is damaged"):
        read_mapped(path, "Sheet", 1, DESCRIPTION)


@pytest.mark.parametrize("sheet", [None, b"<worksheet><sheetData><row"])
def test_opening_a_workbook_leaves_openpyxl_as_it_was(tmp_path: Path, sheet: bytes | None) -> None:
    """Sizing a sheet from its start is Tandem's own: after a workbook opened (or failed to), openpyxl's
    read-only sheet and its reader's name for it are the originals, for anyone else using openpyxl."""
    from openpyxl import load_workbook
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    path = broken_after_preview(tmp_path / "preview.xlsx", None)
    if sheet is None:
        wb = reading.open_workbook(path)
        opened = wb["Sheet"]
        assert isinstance(opened, ReadOnlyWorksheet) and opened.max_row is None  # no <dimension>: unsized
        wb.close()
    else:
        path = rezip(path, tmp_path / "broken.xlsx", {SHEET_PART: sheet})
        with pytest.raises(ImportFailed, match=r"broken\.xlsx"):
            reading.open_workbook(path)
    assert ReadOnlyWorksheet._get_size.__module__ == "openpyxl.worksheet._read_only"
    assert excel.ReadOnlyWorksheet is ReadOnlyWorksheet
    plain = load_workbook(base_workbook(tmp_path / "plain.xlsx"), read_only=True)
    assert type(plain.worksheets[0]) is ReadOnlyWorksheet
    plain.close()


# -- the write: short transactions ---------------------------------------------------------------------


def many_lines(count: int) -> ImportedEstimate:
    imported = ImportedEstimate(name="Big", source="mapped")
    section = ImportedSection("General")
    section.lines = [
        {
            "description": f"LED panel {n}",
            "kind": "equipment",
            "quantity": Decimal(4),
            "days": Decimal(2),
            "unit": "ea",
            "unit_cost": Decimal("18.50"),
            "price_basis": "markup",
            "markup_pct": Decimal(25),
            "row_number": n,
        }
        for n in range(count)
    ]
    imported.sections.append(section)
    return imported


def live_estimates(db: Database) -> int:
    table = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return conn.execute(
            select(func.count()).select_from(table).where(table.c.deleted_at.is_(None))
        ).scalar_one()


def test_another_users_save_goes_through_while_a_big_import_writes(
    demo_db: Database, full_booth_id: uuid.UUID, db_path: Path
) -> None:
    """Two connections: while 20,000 lines are written, a colleague's save on another estimate succeeds."""
    project_id = EstimateDocument(demo_db, full_booth_id).header.project_id
    other = open_database(db_path)
    try:
        doc = EstimateDocument(other, full_booth_id)
        line = doc.sections[0].lines[0]
        writing = threading.Event()

        @event.listens_for(demo_db.engine, "begin")
        def on_begin(conn: object) -> None:
            if getattr(conn, "get_execution_options", dict)().get("tandem_write"):
                writing.set()

        failures: list[BaseException] = []
        imported: list[uuid.UUID] = []

        def run() -> None:
            try:
                imported.append(
                    import_estimate(demo_db, project_id, "Twenty thousand", many_lines(20_000))
                )
            except BaseException as error:
                failures.append(error)

        worker = threading.Thread(target=run)
        worker.start()
        assert writing.wait(60)
        # Each raises DatabaseLocked if the import holds the write lock past the 5 s busy timeout.
        doc.set_line_fields(line.id, {"description": "Saved while an import was writing"})
        open_database(db_path).close()  # a colleague opening the file now is not refused as locked
        worker.join(120)
        assert not worker.is_alive() and failures == []
        assert (
            EstimateDocument(demo_db, full_booth_id).sections[0].lines[0].description
            == "Saved while an import was writing"
        )
        assert len(EstimateDocument(demo_db, imported[0]).sections[0].lines) == 20_000
    finally:
        event.remove(demo_db.engine, "begin", on_begin)
        other.close()


def test_an_import_stopped_part_way_leaves_nothing_and_others_never_see_it(any_demo_db: Database) -> None:
    demo_db = any_demo_db
    project_id = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth")).header.project_id
    before = (live_estimates(demo_db), counts(demo_db))
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(live_estimates(demo_db))  # what anyone else would see mid-import

    written: list[int] = []
    with pytest.raises(ImportCancelled):
        import_estimate(
            demo_db,
            project_id,
            "Stopped",
            many_lines(3 * IMPORT_BATCH),
            progress=lambda d, t: (written.append(d), progress(d, t)),
            cancelled=lambda: len(written) >= 2,
        )
    # Two batches written (each at most IMPORT_BATCH lines, fewer on a slow machine), then stopped.
    assert len(written) == 2 and 0 < written[0] < written[1] <= 2 * IMPORT_BATCH
    assert seen == [before[0], before[0]]
    assert (live_estimates(demo_db), counts(demo_db)) == before


def test_an_import_lets_go_of_the_write_lock_in_time_and_pauses_for_waiting_saves(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However slow the machine, a batch ends once it has held the lock IMPORT_HOLD_S; on SQLite
    a pause longer than the busy handler's retry interval follows each batch but the last."""
    project_id = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth")).header.project_id
    monkeypatch.setattr(importing, "IMPORT_HOLD_S", 0.0)  # as if every statement took ages
    pauses: list[float] = []
    monkeypatch.setattr(importing.time, "sleep", pauses.append)
    written: list[int] = []
    lines = 3 * importing.IMPORT_CHUNK + 7
    new_id = import_estimate(demo_db, project_id, "Slow machine", many_lines(lines),
                             progress=lambda done, _total: written.append(done))
    chunk = importing.IMPORT_CHUNK
    assert written == [chunk, 2 * chunk, 3 * chunk, lines]
    assert pauses == [importing.IMPORT_YIELD_S] * 3 and importing.IMPORT_YIELD_S > 0.1
    assert len(EstimateDocument(demo_db, new_id).sections[0].lines) == lines


def test_what_a_killed_import_left_is_removed_by_the_next(
    any_demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_db = any_demo_db
    project_id = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth")).header.project_id
    before = counts(demo_db)

    def killed(*_a: object, **_k: object) -> None:
        raise SystemExit("killed")

    monkeypatch.setattr(importing, "_drop_staging", killed)  # as if the process died: no cleanup ran
    with pytest.raises(SystemExit):
        import_estimate(demo_db, project_id, "Killed", many_lines(10), progress=lambda _d, _t: killed())
    monkeypatch.undo()
    assert counts(demo_db) != before and live_estimates(demo_db) == before[0]
    monkeypatch.setattr(importing, "STAGING_STALE", timedelta(0))
    new = import_estimate(demo_db, project_id, "Next", many_lines(1))
    assert counts(demo_db) == [before[0] + 1, before[1] + 1, before[2] + 1]
    assert EstimateDocument(demo_db, new).header.name == "Next"


def counts(db: Database) -> list[int]:
    with db.read() as conn:
        return [
            conn.execute(select(func.count()).select_from(t.__table__)).scalar_one()  # type: ignore[attr-defined]
            for t in (Estimate, Section, LineItem)
        ]

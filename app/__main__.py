"""The command line: no arguments opens the GUI; subcommands run the same services headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tandem",
        description="Estimating and capacity planning for live-event, AV and exhibit-booth production.",
    )
    parser.add_argument("--version", action="version", version=f"Tandem {__version__}")
    parser.add_argument("--db", metavar="PATH", help="database file to open (created if it does not exist), "
                        "or a PostgreSQL server: postgresql://user@host/dbname")
    # Open the window, paint it once, print how long that took, and quit: for smoke
    # tests of installed or frozen builds, and for the start-up benchmark.
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="write the demo company into a new database file "
                          "(or an empty PostgreSQL database)")
    demo.add_argument("--db", metavar="PATH", required=True, dest="sub_db")
    check = sub.add_parser("check", help="report the schema version and SQLite's integrity check")
    check.add_argument("--db", metavar="PATH", required=True, dest="sub_db")
    backup = sub.add_parser("backup", help="copy a database, consistently even while in use, into a new file")
    backup.add_argument("--db", metavar="PATH", required=True, dest="sub_db")
    backup.add_argument("--out", metavar="FILE", required=True, help="the new backup file")
    _offline_parser(sub)
    export = sub.add_parser("export", help="write an estimate's client quote (or, with --internal, its "
                            "cost sheet) to an Excel workbook, or with --pdf the quote to a PDF")
    export.add_argument("--db", metavar="PATH", required=True, dest="sub_db")
    export.add_argument("--estimate", metavar="NAME_OR_ID", required=True,
                        help="the estimate's name (as in the navigator) or its id")
    export.add_argument("--out", metavar="FILE.xlsx", required=True, help="the workbook (or PDF) to write")
    kind = export.add_mutually_exclusive_group()
    kind.add_argument("--internal", action="store_true",
                      help="the internal cost sheet (costs, suppliers, margins, crew) instead of the quote")
    kind.add_argument("--pdf", action="store_true", help="the client quote as a PDF (FILE.pdf)")
    return parser


def _offline_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    offline = sub.add_parser("offline", help="take a copy to a laptop for working offline, and merge it back")
    actions = offline.add_subparsers(dest="offline_command", metavar="ACTION")
    take = actions.add_parser("take", help="copy the shared database to a new file on this laptop")
    take.add_argument("--db", metavar="SHARE", required=True, dest="sub_db", help="the shared database")
    take.add_argument("--out", metavar="LAPTOP", required=True, help="the new laptop copy")
    merge = actions.add_parser("merge", help="merge the laptop copy back into the shared database")
    merge.add_argument("--db", metavar="LAPTOP", required=True, dest="sub_db", help="the laptop copy")
    merge.add_argument("--into", metavar="SHARE", required=True, help="the shared database")
    merge.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    merge.add_argument("--prefer", choices=("laptop", "share"),
                       help="decide every conflict for this side (otherwise conflicts stop the merge)")


def _fail(message: str) -> int:
    print(f"tandem: error: {message}", file=sys.stderr)
    return 1


def _demo(target: str) -> int:
    from pathlib import Path

    from sqlalchemy.exc import DBAPIError

    from app.services.demo import build_demo
    from app.services.storage.database import is_url, open_database
    from app.services.storage.errors import StorageError, wrap_driver_error

    if not is_url(target):
        path = Path(target)
        if path.exists() and path.stat().st_size > 0:
            return _fail(f"{path} already exists; the demo is written into a new file only.")
    try:
        # A server database is refused by build_demo unless it is empty.
        db = open_database(target)
        try:
            build_demo(db)
        except DBAPIError as error:  # a full disk, a share that stopped answering
            raise wrap_driver_error(error, db.display_name) from None
        finally:
            db.close()
    except StorageError as error:
        return _fail(str(error))
    print(f"Wrote the demo company (Northlight Productions) to {db.display_name}")
    return 0


def _check(target: str) -> int:
    from pathlib import Path

    from app.services.storage.check import check_database
    from app.services.storage.database import is_url
    from app.services.storage.errors import StorageError
    from app.services.storage.filesystems import check_locking

    try:
        report = check_database(target)
    except StorageError as error:
        return _fail(str(error))
    print("\n".join(report.lines()))
    if not is_url(target):
        locking = check_locking(Path(target).expanduser().resolve())
        if not locking.reliable:
            print(f"share: does not lock files reliably ({locking.reason}); "
                  "open it on one computer at a time")
    return 0 if report.ok and not report.figures else 1


def _backup(target: str, out: str) -> int:
    from app.services.storage.backup import backup_to
    from app.services.storage.errors import StorageError

    try:
        made = backup_to(target, out)
    except StorageError as error:
        return _fail(str(error))
    print(f"Backed up {target} to {made.path} ({made.size:,} bytes; quick_check ok)")
    return 0


def _offline(args: argparse.Namespace) -> int:
    from app.services.storage.errors import StorageError
    from app.services.storage.merge_apply import decide_all, merge_back, plan_merge
    from app.services.storage.offline_take import take_offline

    try:
        if args.offline_command == "take":
            copy = take_offline(args.sub_db, args.out)
            print(f"Took {copy.share} offline: {copy.rows} rows copied to {copy.laptop}")
            print(f"Keep {copy.base.name} beside it: merging back needs it.")
            return 0
        if args.offline_command != "merge":
            return _fail("offline needs an action: take or merge (see tandem offline --help).")
        decisions = None
        if args.prefer:
            decisions = decide_all(plan_merge(args.sub_db, args.into).conflicts, args.prefer)
        report = merge_back(args.sub_db, args.into, decisions, dry_run=args.dry_run)
    except StorageError as error:
        return _fail(str(error))
    print("\n".join(report.lines()))
    if report.unresolved:
        what = "the merge would stop" if args.dry_run else "nothing was written"
        return _fail(f"{len(report.unresolved)} conflict(s) need a decision; {what}. "
                     "Choose with --prefer laptop or --prefer share.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.services.estimate.document import EstimateDocument
    from app.services.excel.export import all_estimates, export_estimate, find_estimates
    from app.services.storage.database import open_database
    from app.services.storage.errors import StorageError

    out = Path(args.out)
    wanted = ".pdf" if args.pdf else ".xlsx"
    if out.suffix.lower() != wanted:
        return _fail(f"{out}: the {'PDF' if args.pdf else 'workbook'} must end in {wanted}")
    try:
        db = open_database(args.sub_db, create=False)
    except StorageError as error:
        return _fail(str(error))
    try:
        matches = find_estimates(db, args.estimate)
        if len(matches) != 1:
            if matches:
                choices = "; ".join(f"{where} (id {estimate_id})" for estimate_id, where in matches)
                return _fail(f"{len(matches)} estimates are called “{args.estimate}”: {choices}. "
                             "Give the id instead.")
            names = ", ".join(dict.fromkeys(all_estimates(db))) or "none"
            return _fail(f"No estimate called “{args.estimate}”. The estimates are: {names}.")
        if args.pdf:
            return _export_pdf(db, matches[0], out)
        doc = EstimateDocument(db, matches[0][0])
        result = export_estimate(doc, out, internal=args.internal, db=db)
    except StorageError as error:
        return _fail(str(error))
    finally:
        db.close()
    what = "cost sheet" if args.internal else "quote"
    print(f"Wrote the {what} of {matches[0][1]} ({result.label}, {result.lines} lines) to {result.path}")
    return 0


def _export_pdf(db: Any, match: tuple[Any, str], out: Any) -> int:
    """The quote as a PDF, rendered by Qt without a window (the offscreen platform unless one is set)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from app.ui.quote.pdf import read_quote, write_pdf

    _app = QGuiApplication.instance() or QGuiApplication(["tandem"])  # Qt's fonts need one
    pages = write_pdf(read_quote(db, match[0]).content, out)
    print(f"Wrote the quote of {match[1]} as a PDF ({pages} page{'s' if pages != 1 else ''}) to {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args.sub_db)
        if args.command == "check":
            return _check(args.sub_db)
        if args.command == "backup":
            return _backup(args.sub_db, args.out)
        if args.command == "offline":
            return _offline(args)
        if args.command == "export":
            return _export(args)
        # The data layer first: once PySide6 is imported, its import hook inspects every
        # module imported after it, which costs ~0.1 s on SQLAlchemy and SQLModel.
        from app.ui.app import run_gui

        return run_gui(args.db, smoke=args.smoke)
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        return _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "))


if __name__ == "__main__":
    sys.exit(main())

"""The command line: no arguments opens the GUI; subcommands run the same services headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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
    return parser


def _fail(message: str) -> int:
    print(f"tandem: error: {message}", file=sys.stderr)
    return 1


def _demo(target: str) -> int:
    from pathlib import Path

    from app.services.demo import build_demo
    from app.services.storage import StorageError, is_url, open_database

    if not is_url(target):
        path = Path(target)
        if path.exists() and path.stat().st_size > 0:
            return _fail(f"{path} already exists; the demo is written into a new file only.")
    try:
        # A server database is refused by build_demo unless it is empty.
        db = open_database(target)
        try:
            build_demo(db)
        finally:
            db.close()
    except StorageError as error:
        return _fail(str(error))
    print(f"Wrote the demo company (Northlight Productions) to {db.display_name}")
    return 0


def _check(target: str) -> int:
    from app.services.storage import StorageError, check_database

    try:
        report = check_database(target)
    except StorageError as error:
        return _fail(str(error))
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args.sub_db)
        if args.command == "check":
            return _check(args.sub_db)
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

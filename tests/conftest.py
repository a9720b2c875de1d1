"""Fixtures every test shares: a private data folder, an empty database, the demo database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from app.services.demo import build_demo
from app.services.storage import Database, open_database
from tests.factories import estimate_id

# Property tests are pure arithmetic; a loaded CI machine must not fail them on timing alone.
settings.register_profile("tandem", deadline=None)
settings.load_profile("tandem")


@pytest.fixture(autouse=True)
def tandem_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point TANDEM_HOME at a fresh folder so no test reads or writes the user's real data."""
    home = tmp_path / "tandem-home"
    home.mkdir()
    monkeypatch.setenv("TANDEM_HOME", str(home))
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tandem.db"


@pytest.fixture
def empty_db(db_path: Path) -> Iterator[Database]:
    """A new database at the schema head, with no company in it."""
    db = open_database(db_path)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def demo_db(empty_db: Database) -> Database:
    """The demo company (Northlight Productions) with the EXAMPLE.md estimates."""
    build_demo(empty_db)
    return empty_db


@pytest.fixture
def full_booth_id(demo_db: Database) -> uuid.UUID:
    return estimate_id(demo_db, "Full booth")


@pytest.fixture
def half_booth_id(demo_db: Database) -> uuid.UUID:
    return estimate_id(demo_db, "Half booth")

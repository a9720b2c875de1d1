"""Fixtures every test shares: a private data folder, an empty database, the demo database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from app.services.demo import build_demo
from app.services.storage import filesystems
from app.services.storage.database import Database, open_database, server_url
from app.services.values import EN_US, set_input_locale
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


@pytest.fixture(autouse=True)
def input_locale() -> Iterator[None]:
    """Each test starts reading typed values as en-US (the default) whatever the last one opened."""
    set_input_locale(EN_US)
    yield
    set_input_locale(EN_US)


@pytest.fixture
def sshfs_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` as the mount table would show it on an sshfs mount (locks seen here only)."""
    info = tmp_path / "mountinfo"
    info.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
                    f"61 27 0:52 / {tmp_path} rw,relatime - fuse.sshfs sam@nas:/srv/jobs rw,user_id=0\n")
    monkeypatch.setattr(filesystems, "MOUNTINFO", info)
    return tmp_path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tandem.db"


def _opened(target: str | Path) -> Iterator[Database]:
    db = open_database(target)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def empty_db(db_path: Path) -> Iterator[Database]:
    """A new database at the schema head, with no company in it."""
    yield from _opened(db_path)


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


# -- PostgreSQL -----------------------------------------------------------------------------------

PG_URL_VARIABLE = "TANDEM_TEST_PG_URL"


def _test_server() -> str:
    """The test server's URL; skip without one, but fail on CI, where .ci/run starts one."""
    url = os.environ.get(PG_URL_VARIABLE, "")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {PG_URL_VARIABLE} is not set: .ci/run must start PostgreSQL "
                    "(bash .ci/postgres) and export it", pytrace=False)
    pytest.skip(f"no PostgreSQL server: set {PG_URL_VARIABLE}=postgresql://user:password@host/db "
                "(.ci/run starts one with bash .ci/postgres)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL for a new, empty schema on the test PostgreSQL server (dropped afterwards).

    Each test gets its own schema, named in the URL's search_path, so tests never see
    one another's tables; the role only needs to own the test database.
    """
    from sqlalchemy import create_engine

    base = server_url(_test_server())
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, connect_args={"connect_timeout": 10})
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
        with admin.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")  # a leaked transaction: fail, not hang
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, db_path: Path) -> str:
    """Where a new database goes, on each backend: a new file, or a new schema on the server."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(db_path)


@pytest.fixture
def any_db(db_target: str) -> Iterator[Database]:
    """An empty database at the schema head, on SQLite and on PostgreSQL."""
    yield from _opened(db_target)


@pytest.fixture
def any_demo_db(any_db: Database) -> Database:
    """The demo company (the EXAMPLE.md estimates), on SQLite and on PostgreSQL."""
    build_demo(any_db)
    return any_db

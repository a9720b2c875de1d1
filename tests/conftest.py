"""Fixtures every test shares: a private data folder, an empty database, the demo database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from app.services.demo import build_demo
from app.services.storage import filesystems
from app.services.storage.database import Database, open_database, server_url
from app.services.values import EN_US, set_input_locale
from tests.factories import estimate_id
from tests.templates import DatabaseTemplates

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


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    """This test process's templates (one per xdist worker): SQLite's made now, before any
    test's own fixtures can patch what they are made with; PostgreSQL's on first use."""
    templates = DatabaseTemplates(tmp_path_factory.mktemp("templates"))
    for demo in (False, True):
        templates.sqlite_file(demo=demo)
    yield templates
    templates.close()


def _seeded(request: pytest.FixtureRequest, templates: DatabaseTemplates, target: str | Path,
            demo_fixture: str) -> Iterator[Database]:
    """The database at ``target`` copied from a template (with the demo if the test asks for it)."""
    demo = demo_fixture in request.fixturenames
    if templates.seed(target, demo=demo):
        request.node.stash[_DEMO_SEEDED] = demo
    yield from _opened(target)


_DEMO_SEEDED = pytest.StashKey[bool]()


def _with_demo(request: pytest.FixtureRequest, db: Database) -> Database:
    if not request.node.stash.get(_DEMO_SEEDED, False):
        build_demo(db)  # asked for by name at run time, or the target was not new: built as before
    return db


@pytest.fixture
def empty_db(request: pytest.FixtureRequest, db_path: Path,
             db_templates: DatabaseTemplates) -> Iterator[Database]:
    """A new database at the schema head, with no company in it.

    A copy of the migrated template file (see tests/templates.py); the tests of creation and
    migration themselves open a new path (``db_path``, ``db_target``) and run every migration.
    """
    yield from _seeded(request, db_templates, db_path, "demo_db")


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, empty_db: Database) -> Database:
    """The demo company (Northlight Productions) with the EXAMPLE.md estimates."""
    return _with_demo(request, empty_db)


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


@contextmanager
def new_schema() -> Iterator[str]:
    """A URL for a new, empty schema on the test PostgreSQL server, dropped afterwards."""
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


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL for a new, empty schema on the test PostgreSQL server (dropped afterwards).

    Each test gets its own schema, named in the URL's search_path, so tests never see
    one another's tables; the role only needs to own the test database.
    """
    with new_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, db_path: Path) -> str:
    """Where a new database goes, on each backend: a new file, or a new schema on the server."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(db_path)


@pytest.fixture
def any_db(request: pytest.FixtureRequest, db_target: str,
           db_templates: DatabaseTemplates) -> Iterator[Database]:
    """An empty database at the schema head, on SQLite and on PostgreSQL (copied from a template)."""
    yield from _seeded(request, db_templates, db_target, "any_demo_db")


@pytest.fixture
def any_demo_db(request: pytest.FixtureRequest, any_db: Database) -> Database:
    """The demo company (the EXAMPLE.md estimates), on SQLite and on PostgreSQL."""
    return _with_demo(request, any_db)

"""Search everything (issue 15, item 8) on hand-built data, on SQLite (FTS5) and PostgreSQL (trigrams).

Each word typed is the start of a word of the record; results come grouped by kind, best first,
capped with how many more ("100+ more"); contacts by name and email; lost and cancelled projects
are found and labelled; quote numbers find their estimate and the quotes sent ("Q2026-0014 rev
2"); the index follows inserts, updates, tombstones and deletes, of the rows and of the rows above
them (on SQLite it holds exactly the rows a join of the live rows finds).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.models.types import utcnow
from app.services.search import query
from app.services.search.query import (
    CLIENT_T,
    CONTACT_T,
    ESTIMATE_T,
    LINE_T,
    PROJECT_T,
    REVISION_T,
    SECTION_T,
    Results,
    search,
)
from app.services.storage.database import Database
from tests.factories import make_estimate, make_project


def _titles(results: Results, kind: str) -> list[str]:
    return [h.title for h in results.hits() if h.kind == kind]


def _lines_of(db: Database, estimate_id: uuid.UUID) -> list[uuid.UUID]:
    with db.read() as conn:
        return list(
            conn.execute(
                sa.select(LINE_T.c.id)
                .join(SECTION_T, SECTION_T.c.id == LINE_T.c.section_id)
                .where(SECTION_T.c.estimate_id == estimate_id)
                .order_by(SECTION_T.c.position, LINE_T.c.position)
            ).scalars()
        )


def _section_of(db: Database, estimate_id: uuid.UUID) -> uuid.UUID:
    with db.read() as conn:
        return conn.execute(
            sa.select(SECTION_T.c.id).where(SECTION_T.c.estimate_id == estimate_id)
        ).scalar_one()


def _set(db: Database, table: sa.Table, row_id: uuid.UUID, **values: object) -> None:
    with db.write() as conn:
        conn.execute(table.update().where(table.c.id == row_id).values(**values))


@pytest.fixture
def office(any_db: Database) -> dict[str, uuid.UUID]:
    """Two clients; a gala (quoted twice) with an LED wall, and a lost launch."""
    gala = make_project(any_db, client_name="Aurora Events", project_name="Aurora Gala 2026")
    launch = make_project(any_db, client_name="Borealis Media", project_name="Spring Launch")
    _set(any_db, PROJECT_T, launch, status="lost", lost_reason="Price")
    stage = make_estimate(
        any_db, lines=4, sections=1, project_id=gala, name="Main stage", quote_number="Q2026-0014"
    )
    wall, *_ = _lines_of(any_db, stage)
    _set(any_db, LINE_T, wall, description="LED panel 2.9mm", client_description="Video wall")
    with any_db.write() as conn:
        conn.execute(
            REVISION_T.insert(),
            [
                {
                    "id": uuid.uuid4(),
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                    "version": 1,
                    "deleted_at": None,
                    "estimate_id": stage,
                    "number": n,
                    "sent_at": utcnow(),
                    "sent_by": "AM",
                    "note": "",
                    "total": Decimal(1000 * n),
                    "snapshot": "{}",
                }
                for n in (1, 2)
            ],
        )
    launch_estimate = make_estimate(any_db, lines=2, sections=1, project_id=launch, name="Launch rig")
    with any_db.read() as conn:
        aurora = conn.execute(sa.select(CLIENT_T.c.id).where(CLIENT_T.c.name == "Aurora Events")).scalar_one()
    return {
        "gala": gala,
        "launch": launch,
        "stage": stage,
        "wall": wall,
        "aurora": aurora,
        "launch_estimate": launch_estimate,
    }


def test_each_word_is_the_start_of_a_word_of_either_description(any_db: Database, office: dict) -> None:
    found = search(any_db, "led pan")
    assert [(h.kind, h.id, h.estimate_id) for h in found.hits()] == [
        ("line", office["wall"], office["stage"])
    ]
    assert found.hits()[0].detail == "Main stage · Aurora Gala 2026"
    assert _titles(search(any_db, "VIDEO wa"), "line") == ["LED panel 2.9mm"]  # the client's wording
    assert search(any_db, "led wall").hits()[0].id == office["wall"]  # words from both columns
    assert search(any_db, "anel").groups == ()  # inside a word: not a prefix
    assert search(any_db, "led panels").groups == ()  # every word must match
    assert search(any_db, "  ").groups == ()


def test_lost_projects_are_found_and_labelled(any_db: Database, office: dict) -> None:
    found = search(any_db, "spring")
    (project,) = [h for h in found.hits() if h.kind == "project"]
    assert (project.id, project.title, project.flag, project.detail) == (
        office["launch"],
        "Spring Launch",
        "Lost",
        "Borealis Media · Factory hall",
    )
    _set(any_db, PROJECT_T, office["launch"], status="cancelled")
    assert [h.flag for h in search(any_db, "launch").hits()] == [
        "Cancelled",
        "Cancelled",
    ]  # project, estimate
    assert [h.flag for h in search(any_db, "aurora").hits() if h.kind == "project"] == [""]


def test_results_are_grouped_by_kind_and_capped_with_how_many_more(any_db: Database, office: dict) -> None:
    more = make_estimate(any_db, lines=12, sections=2, project_id=office["gala"], name="Aurora side stage")
    for n, line in enumerate(_lines_of(any_db, more)):
        _set(any_db, LINE_T, line, description=f"Aurora truss {n}")
    found = search(any_db, "auro", per_group=5)
    assert [(g.kind, len(g.hits), g.more, g.more_text) for g in found.groups] == [
        ("client", 1, 0, ""),
        ("project", 1, 0, ""),
        ("estimate", 1, 0, ""),
        ("line", 5, 7, "7 more"),
    ]
    assert [g.label for g in found.groups] == ["Clients", "Projects", "Estimates", "Lines"]
    assert found.groups[0].hits[0].id == office["aurora"]


def test_more_than_a_hundred_more_are_not_counted(any_db: Database, office: dict) -> None:
    """Counting stops after 100 beyond those shown: a two-letter prefix of a large database costs no more."""
    more = make_estimate(any_db, lines=110, sections=1, project_id=office["gala"], name="Big rig")
    with any_db.write() as conn:
        for n, line in enumerate(_lines_of(any_db, more)):
            conn.execute(LINE_T.update().where(LINE_T.c.id == line).values(description=f"Truss segment {n}"))
    (lines,) = search(any_db, "truss seg").groups
    assert (len(lines.hits), lines.more, lines.more_capped, lines.more_text) == (5, 100, True, "100+ more")
    _set(any_db, SECTION_T, _section_of(any_db, more), deleted_at=utcnow())  # every line goes with it
    assert search(any_db, "truss seg").groups == ()


def test_contacts_are_found_by_name_and_email(any_db: Database, office: dict) -> None:
    with any_db.write() as conn:
        conn.execute(
            CONTACT_T.update()
            .where(CONTACT_T.c.client_id == office["aurora"])
            .values(name="Maria Lindqvist", email="maria@aurora-events.example")
        )
    (found,) = search(any_db, "lindq").hits()
    assert (found.kind, found.title, found.detail, found.client_id) == (
        "contact",
        "Maria Lindqvist",
        "Aurora Events · maria@aurora-events.example",
        office["aurora"],
    )
    assert [h.title for h in search(any_db, "maria@aurora").hits() if h.kind == "contact"] == [
        "Maria Lindqvist"
    ]


def test_a_shorter_match_comes_first(any_db: Database, office: dict) -> None:
    make_project(any_db, client_name="Aurora Events and Conferences International", project_name="X")
    assert _titles(search(any_db, "aurora events"), "client") == [
        "Aurora Events",
        "Aurora Events and Conferences International",
    ]


def test_quote_numbers_find_the_estimate_and_each_quote_sent(any_db: Database, office: dict) -> None:
    found = search(any_db, "Q2026-0014")
    assert _titles(found, "estimate") == ["Main stage"]
    assert _titles(found, "quote") == ["Q2026-0014 rev 2", "Q2026-0014 rev 1"]
    assert {h.estimate_id for h in found.hits()} == {office["stage"]}
    assert _titles(search(any_db, "q2026-0014 rev 1"), "quote") == ["Q2026-0014 rev 1"]
    assert _titles(search(any_db, "0014"), "quote") == ["Q2026-0014 rev 2", "Q2026-0014 rev 1"]
    assert _titles(search(any_db, "Q2026-0015"), "quote") == []


def test_the_index_follows_inserts_updates_tombstones_and_deletes(any_db: Database, office: dict) -> None:
    _set(any_db, CLIENT_T, office["aurora"], name="Polaris Live")
    assert _titles(search(any_db, "aurora ev"), "client") == []
    assert _titles(search(any_db, "polar"), "client") == ["Polaris Live"]
    assert [h.detail for h in search(any_db, "aurora gala").hits()] == ["Polaris Live · Factory hall"]

    _set(any_db, LINE_T, office["wall"], deleted_at=utcnow())  # a tombstone drops out
    assert search(any_db, "led pan").groups == ()
    _set(any_db, LINE_T, office["wall"], deleted_at=None)  # undone: back
    assert len(search(any_db, "led pan").hits()) == 1

    _set(any_db, ESTIMATE_T, office["stage"], deleted_at=utcnow())  # a deleted estimate takes its lines
    assert search(any_db, "led pan").groups == ()
    assert _titles(search(any_db, "q2026"), "quote") == []
    _set(any_db, ESTIMATE_T, office["stage"], deleted_at=None)

    with any_db.write() as conn:
        conn.execute(LINE_T.delete().where(LINE_T.c.id == office["wall"]))
    assert search(any_db, "led pan").groups == ()
    assert _titles(search(any_db, "launch"), "estimate") == ["Launch rig"]
    _set(any_db, PROJECT_T, office["launch"], deleted_at=utcnow())
    assert search(any_db, "launch").groups == ()


def _index_is_exact(db: Database) -> None:
    """Each FTS5 table holds the rows of its kind a join of the live rows finds, with their text."""
    with db.read() as conn:
        for source in query.SOURCES:
            _, from_, where = source.select()
            index = source.index
            texts = [source.table.metadata.tables[t].c[c] for t, c in map(index.column, index.text)]
            live = sa.select(sa.literal_column(f"{source.table.name}.rowid"), *texts).select_from(from_)
            expected = {tuple(r) for r in conn.execute(live.where(*where, *query._alive(source.table)))}
            held = conn.exec_driver_sql(f"SELECT rowid, {', '.join(index.columns)} FROM {index.fts}")
            assert {tuple(r) for r in held} == expected, index.name


def test_the_index_holds_only_what_can_be_found_as_parents_come_and_go(empty_db: Database) -> None:
    """Tombstones of a row or of any row above it, undone, renamed, moved: the index follows (SQLite)."""
    gala = make_project(empty_db, client_name="Aurora Events", project_name="Aurora Gala")
    stage = make_estimate(empty_db, lines=3, sections=2, project_id=gala, name="Stage", quote_number="Q-1")
    other = make_estimate(empty_db, lines=2, sections=1, project_id=gala, name="Foyer")
    _index_is_exact(empty_db)
    with empty_db.read() as conn:
        aurora = conn.execute(sa.select(PROJECT_T.c.client_id).where(PROJECT_T.c.id == gala)).scalar_one()
        first, second = conn.execute(
            sa.select(SECTION_T.c.id).where(SECTION_T.c.estimate_id == stage).order_by(SECTION_T.c.position)
        ).scalars()
    steps = [
        (SECTION_T, first, {"deleted_at": utcnow()}),
        (ESTIMATE_T, stage, {"deleted_at": utcnow()}),
        (SECTION_T, first, {"deleted_at": None}),  # its estimate still a tombstone: not found yet
        (ESTIMATE_T, stage, {"deleted_at": None}),
        (SECTION_T, second, {"estimate_id": other}),  # moved to the foyer
        (ESTIMATE_T, stage, {"quote_number": "Q-2", "name": "Main stage"}),
        (CLIENT_T, aurora, {"deleted_at": utcnow()}),  # the whole client
        (CLIENT_T, aurora, {"deleted_at": None, "name": "Polaris Live"}),
        (PROJECT_T, gala, {"deleted_at": utcnow()}),
    ]
    for table, row_id, values in steps:
        _set(empty_db, table, row_id, **values)
        _index_is_exact(empty_db)
    _set(empty_db, PROJECT_T, gala, deleted_at=None)
    with empty_db.write() as conn:
        conn.execute(
            REVISION_T.insert().values(
                id=uuid.uuid4(),
                created_at=utcnow(),
                updated_at=utcnow(),
                version=1,
                deleted_at=None,
                estimate_id=stage,
                number=1,
                sent_at=utcnow(),
                sent_by="AM",
                note="",
                total=Decimal(1),
                snapshot="{}",
            )
        )
    _index_is_exact(empty_db)
    assert [h.title for h in search(empty_db, "q-2").hits() if h.kind == "quote"] == ["Q-2 rev 1"]
    with empty_db.write() as conn:
        conn.execute(LINE_T.delete().where(LINE_T.c.section_id == second))
        conn.execute(SECTION_T.delete().where(SECTION_T.c.id == second))
    _index_is_exact(empty_db)


def test_a_server_without_the_trigram_index_still_finds_and_says_it_is_slower(pg_url: str) -> None:
    """Where pg_trgm is missing (or not allowed) the migration makes no index: found by a scan, noted."""
    from app.services.storage.database import open_database

    db = open_database(pg_url)
    try:
        make_project(db, client_name="Aurora Events", project_name="Gala")
        assert search(db, "auro").note == ""
        with db.write() as conn:
            conn.exec_driver_sql("DROP INDEX ix_search_client")
        found = search(db, "auro")
        assert _titles(found, "client") == ["Aurora Events"]
        assert found.note == (
            "The server has no trigram index (pg_trgm) for clients: "
            "search reads every row, slower on a large database."
        )
    finally:
        db.close()

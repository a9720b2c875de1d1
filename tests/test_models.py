"""Column types: money stays exact Decimal text, datetimes stay UTC, floats are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy.exc import StatementError

from app.models import Client, Role
from app.models.enums import LineKind, ProjectStatus
from app.services.storage.database import Database


def _stored(db: Database, column: str, table: str = "role") -> object:
    with db.read() as conn:
        return conn.exec_driver_sql(f"SELECT {column} FROM {table}").scalar()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0.1"), "0.1"),
        (Decimal("85.00"), "85"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.00"), "0"),
        (Decimal("12345678901.12345678"), "12345678901.12345678"),
    ],
)
def test_decimals_are_stored_as_exact_text(empty_db: Database, value: Decimal, text: str) -> None:
    role = Role(name="Rigger", cost_rate=value)
    with empty_db.session() as session:
        session.add(role)
        session.commit()
    assert _stored(empty_db, "cost_rate") == text
    with empty_db.session() as session:
        loaded = session.get(Role, role.id)
    assert loaded is not None and loaded is not role
    assert loaded.cost_rate == value and isinstance(loaded.cost_rate, Decimal)


@pytest.mark.parametrize(
    ("value", "error"), [(0.1, "never float"), (Decimal("NaN"), "not a finite")]
)
def test_floats_and_nan_are_refused(empty_db: Database, value: object, error: str) -> None:
    with pytest.raises(StatementError, match=error), empty_db.session() as session:
        session.add(Role(name="Rigger", cost_rate=value))  # type: ignore[arg-type]
        session.commit()


def test_datetimes_are_utc(empty_db: Database) -> None:
    pacific = timezone(timedelta(hours=-8))
    created = datetime(2027, 3, 8, 7, 30, tzinfo=pacific)
    client = Client(name="Vantage", created_at=created)
    with empty_db.session() as session:
        session.add(client)
        session.commit()
    assert str(_stored(empty_db, "created_at", "client")).startswith("2027-03-08 15:30:00")
    with empty_db.session() as session:
        loaded = session.get(Client, client.id)
    assert loaded is not None and loaded.created_at == created and loaded.created_at.tzinfo is UTC


def test_naive_datetimes_are_refused(empty_db: Database) -> None:
    with (
        pytest.raises(StatementError, match="must carry a timezone"),
        empty_db.session() as session,
    ):
        session.add(Client(name="Vantage", created_at=datetime(2027, 3, 8)))
        session.commit()


def test_new_records_start_at_version_one_and_live() -> None:
    role = Role(name="Rigger")
    assert (role.version, role.deleted_at) == (1, None)
    assert role.created_at.tzinfo is UTC
    assert Role(name="LED tech").id != role.id


def test_enum_labels() -> None:
    assert LineKind("subrental").label == "Sub-rental"
    assert LineKind.LABOUR.client_label == "Installation labour"
    assert all(kind.label and kind.client_label for kind in LineKind)
    assert ProjectStatus.IN_PRODUCTION.label == "In production"

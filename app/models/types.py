"""Column types that keep money and time exact: Decimal as text, datetimes always in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly: canonical text on SQLite, NUMERIC on servers that have it.

    SQLite has no decimal type (its NUMERIC affinity turns 0.1 into a float), so the
    value is kept as text there; PostgreSQL's NUMERIC is exact and used as such, with
    no precision or scale (a fixed scale would round a 9th decimal place away). Values
    read back have the same canonical form on both (``Decimal("12.34")``, not
    ``12.3400``), so nothing that shows them depends on the backend.
    """

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            if isinstance(value, float):
                raise TypeError("money and quantities are Decimal, never float")
            value = Decimal(value)
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        if dialect.name == "postgresql":
            return value
        return _canonical_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):  # a server's NUMERIC keeps the scale it was given
            return Decimal(_canonical_text(value)) if value.is_finite() else value
        try:
            return Decimal(value)
        except (ArithmeticError, TypeError, ValueError):
            # Not a number (a hand-edited file, another program): read as NaN, never raised, so
            # the estimate still opens and shows the line in error (app.services.bounds).
            return Decimal("NaN")


def _canonical_text(value: Decimal) -> str:
    """Plain digits without trailing zeros: 85.00 → "85", 1E+3 → "1000", -0.00 → "0"."""
    return format(value.normalize() if value != 0 else Decimal(0), "f")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes are stored in UTC and must carry a timezone")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)

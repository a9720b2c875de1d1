"""Alembic migrations of Tandem's schema, run on open (batch mode for SQLite)."""

"""search index: full-text tables kept in step by triggers (SQLite), trigram indexes (PostgreSQL)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:00:00

No table or column of a record changes. On SQLite each searched table gets an external-content
FTS5 table (``search_<table>``, holding only the index, the text staying in the table) and three
triggers that keep it in step: a row is in the index while it is not a tombstone. The upgrade
indexes the rows already there. On PostgreSQL the searched columns get GIN trigram indexes
(``pg_trgm``, a trusted extension a database owner may create); where the server does not allow
it, search works without an index and says so (see app/services/search).

The index follows the table's rowid: a later migration that rebuilds one of these tables
(``batch_alter_table`` copies rows, dropping its triggers and renumbering rowids) must call
:func:`app.services.search.schema.create_index` for it again; tests/test_upgrades.py checks
that the head has every trigger and that the index matches the rows.
"""

from collections.abc import Sequence

from alembic import op

from app.services.search import schema

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The columns this revision indexes, written out: a later revision indexing more adds its own.
_INDEXED = {
    "client": ("name",),
    "contact": ("name", "email"),
    "project": ("name", "venue"),
    "estimate": ("name", "quote_number"),
    "lineitem": ("description", "client_description"),
}


def upgrade() -> None:
    """Upgrade schema."""
    conn = op.get_bind()
    for table, columns in _INDEXED.items():
        schema.create_index(conn, table, columns)


def downgrade() -> None:
    """Downgrade schema."""
    conn = op.get_bind()
    for table, columns in _INDEXED.items():
        schema.drop_index(conn, table, columns)

"""search index: full-text tables kept in step by triggers (SQLite), trigram indexes (PostgreSQL)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:00:00

No table or column of a record changes. On SQLite each kind searched (clients, contacts,
projects, estimates, quotes sent, lines) gets an FTS5 table (``search_<kind>``) holding the text
of the rows that can be found (neither they nor a row above them a tombstone), and triggers on
its table and the tables above it that keep it so. The upgrade indexes the rows already there.
On PostgreSQL the searched columns get GIN trigram indexes (``pg_trgm``, a trusted extension a
database owner may create); where the server does not allow it, search works without an index
and says so (see app/services/search).

The index follows the tables' rowids: a later migration that rebuilds one of these tables
(``batch_alter_table`` copies rows, dropping its triggers and renumbering rowids) must drop and
create the indexes again (:mod:`app.services.search.schema`); tests/test_upgrades.py checks that
the head has every trigger and that each index holds exactly the rows that can be found.
"""

from collections.abc import Sequence

from alembic import op

from app.services.search import schema

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    schema.create_indexes(op.get_bind(), schema.INDEXES_0010)


def downgrade() -> None:
    """Downgrade schema."""
    schema.drop_indexes(op.get_bind(), schema.INDEXES_0010)

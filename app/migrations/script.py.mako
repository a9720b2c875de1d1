"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

A new revision also needs: its id in storage.KNOWN_REVISIONS, and a layer in
tests/revision_data.py (the columns it adds, with the value an upgrade gives the rows
already there, and what this revision stores) -- tests/test_upgrades.py then runs it from
every earlier revision on a populated file. On SQLite it runs with foreign keys off
(batch rebuilds drop referenced tables); every reference is checked before the commit.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from app.models.types import ExactDecimal, UTCDateTime  # noqa: F401
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    """Upgrade schema."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    ${downgrades if downgrades else "pass"}

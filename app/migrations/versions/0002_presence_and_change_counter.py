"""presence and change counter

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:42:44.025225

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table('changecounter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    counter = sa.table('changecounter', sa.column('id', sa.Integer), sa.column('counter', sa.Integer))
    op.bulk_insert(counter, [{'id': 1, 'counter': 0}])
    op.create_table('presence',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_name', sa.String(length=100), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('app_version', sa.String(length=40), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=False),
    sa.Column('heartbeat_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )



def downgrade() -> None:
    """Downgrade schema."""

    op.drop_table('presence')
    op.drop_table('changecounter')


"""parameters, formula quantities, scenarios, budget ranges, alternatives, quote revisions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:09:06.677549

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from app.models.types import ExactDecimal, UTCDateTime


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('estimateparameter',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('estimate_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', ExactDecimal(), nullable=False),
    sa.Column('formula', sa.String(length=500), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['estimate_id'], ['estimate.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('estimateparameter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_estimateparameter_estimate_id'), ['estimate_id'], unique=False)

    op.create_table('quoterevision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('estimate_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=False),
    sa.Column('sent_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('total', ExactDecimal(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['estimate_id'], ['estimate.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quoterevision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quoterevision_estimate_id'), ['estimate_id'], unique=False)

    with op.batch_alter_table('estimate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('margin_floor_pct', ExactDecimal(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('based_on_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('quote_number', sa.String(length=40), nullable=False, server_default=''))
        batch_op.create_foreign_key('fk_estimate_based_on_id_estimate', 'estimate', ['based_on_id'], ['id'])

    with op.batch_alter_table('lineitem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quantity_formula', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('days_formula', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('range_low_pct', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('range_high_pct', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('range_low', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('range_high', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('alternative_group', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('alternative_chosen', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('optional', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('range_low_pct', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('range_high_pct', ExactDecimal(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_column('range_high_pct')
        batch_op.drop_column('range_low_pct')
        batch_op.drop_column('optional')

    with op.batch_alter_table('lineitem', schema=None) as batch_op:
        batch_op.drop_column('alternative_chosen')
        batch_op.drop_column('alternative_group')
        batch_op.drop_column('range_high')
        batch_op.drop_column('range_low')
        batch_op.drop_column('range_high_pct')
        batch_op.drop_column('range_low_pct')
        batch_op.drop_column('days_formula')
        batch_op.drop_column('quantity_formula')

    with op.batch_alter_table('estimate', schema=None) as batch_op:
        batch_op.drop_constraint('fk_estimate_based_on_id_estimate', type_='foreignkey')
        batch_op.drop_column('quote_number')
        batch_op.drop_column('based_on_id')
        batch_op.drop_column('margin_floor_pct')

    with op.batch_alter_table('quoterevision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quoterevision_estimate_id'))

    op.drop_table('quoterevision')
    with op.batch_alter_table('estimateparameter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_estimateparameter_estimate_id'))

    op.drop_table('estimateparameter')

"""labour calls and crew

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 22:15:11.921607

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from app.models.types import ExactDecimal, UTCDateTime


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table('crewmember',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('max_weekly_hours', ExactDecimal(), nullable=True),
    sa.Column('notes', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crewmember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crewmember_name'), ['name'], unique=False)

    op.create_table('crewrole',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('crew_member_id', sa.Uuid(), nullable=False),
    sa.Column('role_id', sa.Uuid(), nullable=False),
    sa.Column('cost_rate_override', ExactDecimal(), nullable=True),
    sa.ForeignKeyConstraint(['crew_member_id'], ['crewmember.id'], ),
    sa.ForeignKeyConstraint(['role_id'], ['role.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crewrole', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crewrole_crew_member_id'), ['crew_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crewrole_role_id'), ['role_id'], unique=False)

    op.create_table('crewunavailability',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('crew_member_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['crew_member_id'], ['crewmember.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crewunavailability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crewunavailability_crew_member_id'), ['crew_member_id'], unique=False)

    op.create_table('labourholiday',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('rule_set_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['rule_set_id'], ['labourruleset.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('labourholiday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_labourholiday_rule_set_id'), ['rule_set_id'], unique=False)

    op.create_table('crewassignment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('crew_member_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('line_item_id', sa.Uuid(), nullable=True),
    sa.Column('role_id', sa.Uuid(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['crew_member_id'], ['crewmember.id'], ),
    sa.ForeignKeyConstraint(['line_item_id'], ['lineitem.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.ForeignKeyConstraint(['role_id'], ['role.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crewassignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crewassignment_crew_member_id'), ['crew_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crewassignment_line_item_id'), ['line_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crewassignment_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('labourruleset', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekly_overtime_after_hours', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('weekend_multiplier', ExactDecimal(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('holiday_multiplier', ExactDecimal(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('meal_break_after_hours', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('meal_break_minutes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('min_turnaround_hours', ExactDecimal(), nullable=True))

    with op.batch_alter_table('lineitem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('call_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('start_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('end_time', sa.Time(), nullable=True))

    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_cost_rate', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('day_bill_rate', ExactDecimal(), nullable=True))




def downgrade() -> None:
    """Downgrade schema."""

    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.drop_column('day_bill_rate')
        batch_op.drop_column('day_cost_rate')

    with op.batch_alter_table('lineitem', schema=None) as batch_op:
        batch_op.drop_column('end_time')
        batch_op.drop_column('start_time')
        batch_op.drop_column('call_date')
        batch_op.drop_column('phase')

    with op.batch_alter_table('labourruleset', schema=None) as batch_op:
        batch_op.drop_column('min_turnaround_hours')
        batch_op.drop_column('meal_break_minutes')
        batch_op.drop_column('meal_break_after_hours')
        batch_op.drop_column('holiday_multiplier')
        batch_op.drop_column('weekend_multiplier')
        batch_op.drop_column('weekly_overtime_after_hours')

    with op.batch_alter_table('crewassignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crewassignment_project_id'))
        batch_op.drop_index(batch_op.f('ix_crewassignment_line_item_id'))
        batch_op.drop_index(batch_op.f('ix_crewassignment_crew_member_id'))

    op.drop_table('crewassignment')
    with op.batch_alter_table('labourholiday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_labourholiday_rule_set_id'))

    op.drop_table('labourholiday')
    with op.batch_alter_table('crewunavailability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crewunavailability_crew_member_id'))

    op.drop_table('crewunavailability')
    with op.batch_alter_table('crewrole', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crewrole_role_id'))
        batch_op.drop_index(batch_op.f('ix_crewrole_crew_member_id'))

    op.drop_table('crewrole')
    with op.batch_alter_table('crewmember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crewmember_name'))

    op.drop_table('crewmember')


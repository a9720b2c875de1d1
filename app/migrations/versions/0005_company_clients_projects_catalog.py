"""company settings, clients and contacts, project details, catalog and suppliers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:35:55.462540

A new revision also needs: its id in storage.KNOWN_REVISIONS, and a layer in
tests/revision_data.py (the columns it adds, with the value an upgrade gives the rows
already there, and what this revision stores) -- tests/test_upgrades.py then runs it from
every earlier revision on a populated file. On SQLite it runs with foreign keys off
(batch rebuilds drop referenced tables); every reference is checked before the commit.
"""
import uuid
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from app.models.types import ExactDecimal, UTCDateTime


# The categories the catalog already names get rows of their own, with ids from their names: two
# copies of one database upgraded apart (an offline laptop and the share) make the same rows.
CATEGORY_NAMESPACE = uuid.UUID("0b7e6c1a-3f52-4d0e-9a61-5c8f0e0c0005")


def category_id(name: str) -> uuid.UUID:
    return uuid.uuid5(CATEGORY_NAMESPACE, name.lower())


def _seed_categories() -> None:
    """One CatalogCategory per category the live catalog items name (first spelling A–Z), dated
    by the first item naming it, in alphabetical order."""
    item = sa.table("catalogitem", sa.column("category", sa.String), sa.column("created_at", UTCDateTime()),
                    sa.column("deleted_at", UTCDateTime()))
    category = sa.table(
        "catalogcategory", sa.column("id", sa.Uuid()), sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()), sa.column("version", sa.Integer()),
        sa.column("deleted_at", UTCDateTime()), sa.column("name", sa.String()),
        sa.column("position", sa.Integer()))
    first: dict[str, tuple[str, object]] = {}
    rows = op.get_bind().execute(sa.select(item.c.category, item.c.created_at)
                                 .where(item.c.deleted_at.is_(None), item.c.category != ""))
    for name, created in rows:
        name = name.strip()
        if not name:
            continue
        key = name.lower()
        spelling, since = first.get(key, (name, created))
        first[key] = (min(spelling, name), min(since, created))
    for position, key in enumerate(sorted(first)):
        name, since = first[key]
        op.get_bind().execute(category.insert().values(
            id=category_id(name), created_at=since, updated_at=since, version=1, deleted_at=None,
            name=name[:100], position=position))


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('catalogcategory',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    _seed_categories()
    op.create_table('lostreason',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('catalogitem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('notes', sa.String(), nullable=False, server_default=''))

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('billing_address', sa.String(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('industry', sa.String(length=100), nullable=False, server_default=''))

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('logo', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('tax_label', sa.String(length=40), nullable=False, server_default='Tax'))
        batch_op.add_column(sa.Column('default_markup_pct', ExactDecimal(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('target_margin_pct', ExactDecimal(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('margin_floor_pct', ExactDecimal(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('contingency_pct', ExactDecimal(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('quote_number_pattern', sa.String(length=60), nullable=False, server_default='Q{year}-{seq:04}'))
        batch_op.add_column(sa.Column('quote_validity_days', sa.Integer(), nullable=False, server_default='30'))

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_main', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_start_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('show_end_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('contact_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.String(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('lost_reason', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('chosen_estimate_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key('fk_project_contact_id_contact', 'contact', ['contact_id'], ['id'])

    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplies', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('payment_terms', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('notes', sa.String(), nullable=False, server_default=''))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.drop_column('notes')
        batch_op.drop_column('payment_terms')
        batch_op.drop_column('supplies')

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_constraint('fk_project_contact_id_contact', type_='foreignkey')
        batch_op.drop_column('chosen_estimate_id')
        batch_op.drop_column('lost_reason')
        batch_op.drop_column('notes')
        batch_op.drop_column('contact_id')
        batch_op.drop_column('show_end_date')
        batch_op.drop_column('show_start_date')

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('is_main')

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('quote_validity_days')
        batch_op.drop_column('quote_number_pattern')
        batch_op.drop_column('contingency_pct')
        batch_op.drop_column('margin_floor_pct')
        batch_op.drop_column('target_margin_pct')
        batch_op.drop_column('default_markup_pct')
        batch_op.drop_column('tax_label')
        batch_op.drop_column('logo')
        batch_op.drop_column('email')
        batch_op.drop_column('phone')
        batch_op.drop_column('address')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('industry')
        batch_op.drop_column('billing_address')

    with op.batch_alter_table('catalogitem', schema=None) as batch_op:
        batch_op.drop_column('notes')
        batch_op.drop_column('description')

    op.drop_table('lostreason')
    op.drop_table('catalogcategory')

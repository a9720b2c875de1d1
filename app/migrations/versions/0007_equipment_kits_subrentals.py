"""equipment the company owns, sub-rental rates, catalog kits, kit and sub-rental links on lines

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:10:00

Three new tables (equipmentitem, subrentalrate, kitcomponent); a catalog item may be a kit;
a line may be a kit's component (``kit_line_id``, the kit line ``shows_components``) or the
sub-rental of another line's shortage (``subrental_of_id``). Rows already there: no item is a
kit, no line is linked. See tests/revision_data.py for the layer of this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import ExactDecimal, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "equipmentitem",
        *_record_columns(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("owned_quantity", ExactDecimal(), nullable=False),
        sa.Column("out_of_service_quantity", ExactDecimal(), nullable=False),
        sa.Column("out_of_service_from", sa.Date(), nullable=True),
        sa.Column("out_of_service_until", sa.Date(), nullable=True),
        sa.Column("day_cost", ExactDecimal(), nullable=False),
        sa.Column("replacement_value", ExactDecimal(), nullable=False),
        sa.Column("list_price", ExactDecimal(), nullable=True),
        sa.Column("weight_kg", ExactDecimal(), nullable=True),
        sa.Column("catalog_item_id", sa.Uuid(), nullable=True),
        sa.Column("prep_days", sa.Integer(), nullable=False),
        sa.Column("return_days", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["catalog_item_id"], ["catalogitem.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("equipmentitem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_equipmentitem_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_equipmentitem_catalog_item_id"), ["catalog_item_id"])

    op.create_table(
        "subrentalrate",
        *_record_columns(),
        sa.Column("equipment_item_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("day_cost", ExactDecimal(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["equipment_item_id"], ["equipmentitem.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("subrentalrate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subrentalrate_equipment_item_id"), ["equipment_item_id"])
        batch_op.create_index(batch_op.f("ix_subrentalrate_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "kitcomponent",
        *_record_columns(),
        sa.Column("kit_id", sa.Uuid(), nullable=False),
        sa.Column("component_id", sa.Uuid(), nullable=False),
        sa.Column("quantity_per_kit", ExactDecimal(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["kit_id"], ["catalogitem.id"]),
        sa.ForeignKeyConstraint(["component_id"], ["catalogitem.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kitcomponent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kitcomponent_kit_id"), ["kit_id"], unique=False)

    with op.batch_alter_table("catalogitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_kit", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column("kit_shows_components", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("lineitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kit_line_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("shows_components", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("subrental_of_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("lineitem", schema=None) as batch_op:
        batch_op.drop_column("subrental_of_id")
        batch_op.drop_column("shows_components")
        batch_op.drop_column("kit_line_id")
    with op.batch_alter_table("catalogitem", schema=None) as batch_op:
        batch_op.drop_column("kit_shows_components")
        batch_op.drop_column("is_kit")
    with op.batch_alter_table("kitcomponent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kitcomponent_kit_id"))
    op.drop_table("kitcomponent")
    with op.batch_alter_table("subrentalrate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subrentalrate_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_subrentalrate_equipment_item_id"))
    op.drop_table("subrentalrate")
    with op.batch_alter_table("equipmentitem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_equipmentitem_catalog_item_id"))
        batch_op.drop_index(batch_op.f("ix_equipmentitem_name"))
    op.drop_table("equipmentitem")

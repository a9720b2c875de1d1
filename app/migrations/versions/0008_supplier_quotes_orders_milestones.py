"""supplier quotes and their items, line quote candidates, supplier orders, project types,
milestone templates and milestones

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:20:00

Eight new tables; a line may follow a supplier quote item (``supplier_quote_item_id``), a
project may have a type (``project_type_id``), a supplier may work weekdays only. Rows already
there: no line follows a quote, no project has a type, every supplier works every day. See
tests/revision_data.py for the layer of this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import ExactDecimal, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "linequotecandidate",
    "supplierorderline",
    "supplierorder",
    "supplierquotebreak",
    "milestone",
    "supplierquoteitem",
    "supplierquote",
    "milestonetemplate",
    "projecttype",
)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "projecttype",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "milestonetemplate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("project_type_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("anchor", sa.String(length=20), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_type_id"],
            ["projecttype.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("milestonetemplate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestonetemplate_project_type_id"), ["project_type_id"], unique=False
        )

    op.create_table(
        "supplierquote",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("quote_date", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("transit_days", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("file_path", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplierquote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplierquote_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "supplierquoteitem",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("supplier_quote_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_cost", ExactDecimal(), nullable=False),
        sa.Column("catalog_item_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["catalog_item_id"],
            ["catalogitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supplier_quote_id"],
            ["supplierquote.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplierquoteitem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplierquoteitem_supplier_quote_id"), ["supplier_quote_id"], unique=False
        )

    op.create_table(
        "milestone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("anchor", sa.String(length=20), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("fixed_date", sa.Date(), nullable=True),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_project_id"), ["project_id"], unique=False)

    op.create_table(
        "supplierquotebreak",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("min_quantity", ExactDecimal(), nullable=False),
        sa.Column("unit_cost", ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["supplierquoteitem.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplierquotebreak", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplierquotebreak_item_id"), ["item_id"], unique=False)

    op.create_table(
        "supplierorder",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("estimate_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("need_by", sa.Date(), nullable=True),
        sa.Column("order_by", sa.Date(), nullable=True),
        sa.Column("delivery_address", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["estimate_id"],
            ["estimate.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplierorder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplierorder_estimate_id"), ["estimate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supplierorder_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supplierorder_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "supplierorderline",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line_item_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", ExactDecimal(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("days", ExactDecimal(), nullable=False),
        sa.Column("unit_cost", ExactDecimal(), nullable=False),
        sa.Column("cost", ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["supplierorder.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplierorderline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplierorderline_order_id"), ["order_id"], unique=False)

    op.create_table(
        "linequotecandidate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("line_item_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_quote_item_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_item_id"],
            ["lineitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supplier_quote_item_id"],
            ["supplierquoteitem.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("linequotecandidate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_linequotecandidate_line_item_id"), ["line_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_linequotecandidate_supplier_quote_item_id"),
            ["supplier_quote_item_id"],
            unique=False,
        )

    with op.batch_alter_table("lineitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplier_quote_item_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            "fk_lineitem_supplier_quote_item_id_supplierquoteitem",
            "supplierquoteitem",
            ["supplier_quote_item_id"],
            ["id"],
        )

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_type_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            "fk_project_project_type_id_projecttype", "projecttype", ["project_type_id"], ["id"]
        )

    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("weekdays_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.drop_column("weekdays_only")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint("fk_project_project_type_id_projecttype", type_="foreignkey")
        batch_op.drop_column("project_type_id")
    with op.batch_alter_table("lineitem", schema=None) as batch_op:
        batch_op.drop_constraint("fk_lineitem_supplier_quote_item_id_supplierquoteitem", type_="foreignkey")
        batch_op.drop_column("supplier_quote_item_id")
    for table in _TABLES:
        op.drop_table(table)

"""the client quote's choices: contingency as a line, the budget range printed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 15:00:00

An estimate already there keeps the quote it had (contingency as its own line, the budget
range under the total), so a sent revision exported again reads as the client received it;
a new estimate folds contingency into the line prices and prints no range (the model's
defaults). See tests/revision_data.py for the layer of this revision.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("estimate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("show_contingency_line", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("show_budget_range", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("estimate", schema=None) as batch_op:
        batch_op.drop_column("show_budget_range")
        batch_op.drop_column("show_contingency_line")

"""cycle_member: the conflicts of interest a coordinator confirmed when adding a peer

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cycle_member") as batch:
        batch.add_column(sa.Column("confirmed_conflicts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cycle_member") as batch:
        batch.drop_column("confirmed_conflicts")

"""one team leader per cycle, as a partial unique index

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHERE = sa.text("role = 'team_leader'")


def upgrade() -> None:
    op.create_index("uq_cycle_member_team_leader", "cycle_member", ["cycle_id"], unique=True,
                    sqlite_where=WHERE, postgresql_where=WHERE)


def downgrade() -> None:
    op.drop_index("uq_cycle_member_team_leader", table_name="cycle_member")

"""self_assessment: when, by whom and why a submitted report was last reopened

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("self_assessment") as batch:
        batch.add_column(sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reopened_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reopen_reason", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_self_assessment_reopened_by_user", "user", ["reopened_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("self_assessment") as batch:
        batch.drop_constraint("fk_self_assessment_reopened_by_user", type_="foreignkey")
        batch.drop_column("reopen_reason")
        batch.drop_column("reopened_by")
        batch.drop_column("reopened_at")

"""Published results for benchmarking: one row per cycle and indicator, from each cycle's
latest published report (filled from the versions already published)

Revision ID: 0012
Revises: 0011
"""
import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'published_result',
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('indicator_code', sa.String(length=20), nullable=False),
        sa.Column('indicator_set_version', sa.String(length=40), nullable=False),
        sa.Column('report_version', sa.Integer(), nullable=False),
        sa.Column('pillar', sa.String(length=2), nullable=False),
        sa.Column('dimension', sa.String(length=3), nullable=False),
        sa.Column('performance', sa.String(length=10), nullable=True),
        sa.Column('self_rating', sa.String(length=10), nullable=True),
        sa.Column('recommendations', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
        sa.PrimaryKeyConstraint('cycle_id', 'indicator_code'),
    )
    op.create_index('ix_published_result_set', 'published_result', ['indicator_set_version', 'cycle_id'])
    bind = op.get_bind()
    latest = bind.execute(sa.text(
        "SELECT v.cycle_id, v.number, v.content, v.published_at, c.indicator_set_version FROM report_version v "
        "JOIN cycle c ON c.id = v.cycle_id WHERE v.number = "
        "(SELECT MAX(w.number) FROM report_version w WHERE w.cycle_id = v.cycle_id)")).all()
    rows = []
    for cycle_id, number, content, published_at, iset in latest:
        data = json.loads(content) if isinstance(content, str) else content
        if isinstance(published_at, str):  # SQLite answers text to a plain query
            published_at = datetime.fromisoformat(published_at)
        counts: dict[str, int] = {}
        for rec in data.get("recommendations", []):
            for code in set(rec.get("indicator_codes", [])):
                counts[code] = counts.get(code, 0) + 1
        rows += [{"cycle_id": cycle_id, "indicator_code": i["code"], "indicator_set_version": iset,
                  "report_version": number, "pillar": i["pillar"], "dimension": i["dimension"],
                  "performance": i.get("performance"), "self_rating": i.get("self_rating"),
                  "recommendations": counts.get(i["code"], 0), "published_at": published_at}
                 for i in data.get("indicators", [])]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index('ix_published_result_set', table_name='published_result')
    op.drop_table('published_result')

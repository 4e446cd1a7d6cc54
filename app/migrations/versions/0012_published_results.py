"""Published results for benchmarking: per cycle (with its counts per pillar-dimension) and
per cycle and indicator, from each cycle's latest published report (filled from the
versions already published)

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

AT_OR_ABOVE = {"at", "above"}
ON_THE_SCALE = {"below", "at", "above"}


def upgrade() -> None:
    cycles = op.create_table(
        'published_cycle',
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('indicator_set_version', sa.String(length=40), nullable=False),
        sa.Column('report_version', sa.Integer(), nullable=False),
        sa.Column('first_published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
        sa.PrimaryKeyConstraint('cycle_id'),
    )
    op.create_index('ix_published_cycle_set', 'published_cycle', ['indicator_set_version', 'first_published_at'])
    results = op.create_table(
        'published_result',
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('indicator_code', sa.String(length=20), nullable=False),
        sa.Column('pillar', sa.String(length=2), nullable=False),
        sa.Column('dimension', sa.String(length=3), nullable=False),
        sa.Column('performance', sa.String(length=10), nullable=True),
        sa.Column('self_rating', sa.String(length=10), nullable=True),
        sa.Column('recommendations', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
        sa.PrimaryKeyConstraint('cycle_id', 'indicator_code'),
    )
    _fill(op.get_bind(), cycles, results)


def _fill(bind, cycles, results) -> None:
    """The versions published before this migration, as the publication now records them
    (app/comparison/service.py, record_published)."""
    versions = bind.execute(sa.text(
        "SELECT v.cycle_id, v.number, v.content, v.published_at, c.indicator_set_version FROM report_version v "
        "JOIN cycle c ON c.id = v.cycle_id ORDER BY v.cycle_id, v.number")).all()
    latest: dict[int, tuple] = {}
    first: dict[int, datetime] = {}
    for cycle_id, number, content, published_at, iset in versions:
        if isinstance(published_at, str):  # SQLite answers text to a plain query
            published_at = datetime.fromisoformat(published_at)
        first.setdefault(cycle_id, published_at)
        latest[cycle_id] = (number, content, published_at, iset)
    cycle_rows, result_rows = [], []
    for cycle_id, (number, content, published_at, iset) in latest.items():
        data = json.loads(content) if isinstance(content, str) else content
        counts: dict[str, int] = {}
        for rec in data.get("recommendations", []):
            for code in set(rec.get("indicator_codes", [])):
                counts[code] = counts.get(code, 0) + 1
        cells: dict[str, list[int]] = {}
        for i in data.get("indicators", []):
            result_rows.append({"cycle_id": cycle_id, "indicator_code": i["code"], "pillar": i["pillar"],
                                "dimension": i["dimension"], "performance": i.get("performance"),
                                "self_rating": i.get("self_rating"), "recommendations": counts.get(i["code"], 0)})
            cell = cells.setdefault(f'{i["pillar"]}-{i["dimension"]}', [0, 0])
            cell[0] += i.get("performance") in AT_OR_ABOVE
            cell[1] += i.get("performance") in ON_THE_SCALE
        cycle_rows.append({"cycle_id": cycle_id, "indicator_set_version": iset, "report_version": number,
                           "first_published_at": first[cycle_id], "published_at": published_at, "counts": cells})
    for table, rows in ((cycles, cycle_rows), (results, result_rows)):
        if rows:
            op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('published_result')
    op.drop_index('ix_published_cycle_set', table_name='published_cycle')
    op.drop_table('published_cycle')

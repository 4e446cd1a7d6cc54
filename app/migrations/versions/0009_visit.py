"""The visit: programme, interviews, notes, hypotheses' states, final judgements; cities' time zones

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('final_judgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('performance', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('majority', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('departs_from_majority', sa.Boolean(), nullable=False),
    sa.Column('judged_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.ForeignKeyConstraint(['judged_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cycle_id', 'indicator_code')
    )
    with op.batch_alter_table('final_judgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_judgement_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('hypothesis_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('note_ids', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cycle_id', 'reviewer_id', 'indicator_code')
    )
    with op.batch_alter_table('hypothesis_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hypothesis_check_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('interview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('interviewees', sa.JSON(), nullable=False),
    sa.Column('peers', sa.JSON(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('interpreter', sa.Boolean(), nullable=False),
    sa.Column('indicator_codes', sa.JSON(), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('visit_programme',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('day_start', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('day_end', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('lunch_start', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('lunch_minutes', sa.Integer(), nullable=False),
    sa.Column('travel_minutes', sa.Integer(), nullable=False),
    sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('unscheduled', sa.JSON(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('generated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.ForeignKeyConstraint(['generated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('cycle_id')
    )
    op.create_table('interview_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('indicator_codes', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('interview_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_note_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_note_interview_id'), ['interview_id'], unique=False)

    with op.batch_alter_table('city', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('city', schema=None) as batch_op:
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('interview_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_note_interview_id'))
        batch_op.drop_index(batch_op.f('ix_interview_note_cycle_id'))

    op.drop_table('interview_note')
    op.drop_table('visit_programme')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_cycle_id'))

    op.drop_table('interview')
    with op.batch_alter_table('hypothesis_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hypothesis_check_cycle_id'))

    op.drop_table('hypothesis_check')
    with op.batch_alter_table('final_judgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_judgement_cycle_id'))

    op.drop_table('final_judgement')

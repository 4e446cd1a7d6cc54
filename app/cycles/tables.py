"""Review cycles, their members and their phase deadlines."""
from datetime import date, datetime

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow
from app.versioning import Versioned


class Cycle(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    host_city_id: int = Field(foreign_key="city.id", index=True)
    indicator_set_version: str = Field(foreign_key="indicator_set.version", max_length=40)
    phase: str = Field(max_length=20, default="self_assessment")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


ONE_TEAM_LEADER = "role = 'team_leader'"


class CycleMember(SQLModel, table=True):
    __tablename__ = "cycle_member"
    __table_args__ = (
        UniqueConstraint("cycle_id", "user_id"),
        # One team leader per cycle, held by the database against concurrent additions.
        Index("uq_cycle_member_team_leader", "cycle_id", unique=True,
              sqlite_where=text(ONE_TEAM_LEADER), postgresql_where=text(ONE_TEAM_LEADER)),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=20)
    #: The kinds of conflict of interest (``ConflictKind`` values) a coordinator confirmed
    #: when adding this peer; ``None`` when there were none (``app/cycles/conflicts.py``).
    confirmed_conflicts: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class PhaseDeadline(SQLModel, table=True):
    __tablename__ = "phase_deadline"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    phase: str = Field(primary_key=True, max_length=20)
    due_on: date

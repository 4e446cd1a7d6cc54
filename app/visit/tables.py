"""The visit's tables: the programme's settings, its interviews and workshops, the notes
taken in them, the state of each reviewer's hypotheses, and the final judgements.

Every row the team edits is :class:`~app.versioning.Versioned`: its UPDATE is conditional
on the version read, so of two writers that read the same version one wins and the
other gets 412.
"""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import UTCDateTime, utcnow
from app.versioning import Versioned


class VisitProgramme(Versioned, SQLModel, table=True):
    """The programme's frame, as the team leader last set it to generate the interviews:
    the days and hours (local times of the host city, in ``time_zone``), the lunch break
    and the time for moving between places."""

    __tablename__ = "visit_programme"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    #: ["YYYY-MM-DD", ...]
    days: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    day_start: str = Field(default="09:00", max_length=5)
    day_end: str = Field(default="17:30", max_length=5)
    #: ``None``: no lunch break.
    lunch_start: str | None = Field(default="12:30", max_length=5)
    lunch_minutes: int = 60
    travel_minutes: int = 0
    #: The IANA zone the programme's local times are in (the host city's, when generated).
    time_zone: str = Field(default="UTC", max_length=64)
    #: Who the last generation could not fit, and why:
    #: [{"name", "role", "organisation", "interpreter", "indicator_codes", "reason"}].
    unscheduled: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    generated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    generated_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class Interview(Versioned, SQLModel, table=True):
    """An interview (one interlocutor, two peers) or a workshop (several of each)."""

    __tablename__ = "interview"
    #: Ids never reused (SQLite would reuse a deleted row's): a link or a calendar event of a
    #: deleted interview must not come to name another one.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    kind: str = Field(default="interview", max_length=10)  # "interview" | "workshop"
    #: A workshop's subject; empty for an interview.
    title: str = Field(default="", max_length=200)
    #: [{"name", "role", "organisation"}]: one for an interview, several for a workshop.
    interviewees: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: [user_id, ...]: the peers (or team leader) who hold it.
    peers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    interpreter: bool = False
    #: The indicators the interlocutor was named for in the preparatory reviews.
    indicator_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    location: str = Field(default="", max_length=200)
    #: "generated" by the scheduler, or "manual" (added or changed by hand: kept when the
    #: programme is generated again).
    origin: str = Field(default="generated", max_length=10)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class InterviewNote(Versioned, SQLModel, table=True):
    """What one member of the team noted in an interview, tagged to the indicators it speaks to."""

    __tablename__ = "interview_note"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    interview_id: int = Field(foreign_key="interview.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    indicator_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class HypothesisCheck(Versioned, SQLModel, table=True):
    """Where a reviewer's hypothesis on one indicator stands after the interviews:
    ``open`` (still), ``confirmed`` or ``refuted``, with the notes that settled it."""

    __tablename__ = "hypothesis_check"
    __table_args__ = (UniqueConstraint("cycle_id", "reviewer_id", "indicator_code"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id")
    indicator_code: str = Field(max_length=20)
    state: str = Field(default="open", max_length=10)
    #: [interview_note.id, ...]
    note_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class FinalJudgement(Versioned, SQLModel, table=True):
    """The team's judgement of one indicator after the visit, set by the team leader."""

    __tablename__ = "final_judgement"
    __table_args__ = (UniqueConstraint("cycle_id", "indicator_code"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    indicator_code: str = Field(max_length=20)
    performance: str = Field(max_length=10)
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: The peers' majority when it was set (``None``: no majority), and whether it departs from it.
    majority: str | None = Field(default=None, max_length=10)
    departs_from_majority: bool = False
    judged_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))

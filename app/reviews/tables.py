"""The peers' preparatory reviews: one per reviewer (a peer or the team leader) and cycle,
with one entry per indicator."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class PreparatoryReview(SQLModel, table=True):
    """A reviewer's review as a whole: written alone (draft), then handed in (submitted)."""

    __tablename__ = "preparatory_review"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    reviewer_id: int = Field(foreign_key="user.id", primary_key=True)
    status: str = Field(default="draft", max_length=10)  # "draft" | "submitted"
    submitted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    #: The last reopening (by the team leader or a coordinator), shown to the reviewer.
    reopened_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    reopened_by: int | None = Field(default=None, foreign_key="user.id")
    reopen_reason: str | None = Field(default=None, sa_column=Column(Text))


class ReviewEntry(SQLModel, table=True):
    """One reviewer's judgement of one indicator, with what they want to find out on the visit."""

    __tablename__ = "review_entry"
    __table_args__ = (UniqueConstraint("cycle_id", "reviewer_id", "indicator_code"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id")
    indicator_code: str = Field(max_length=20)
    performance: str | None = Field(default=None, max_length=10)
    #: The seed's three lines of a hypothesis: what we know, what we don't, what we suspect.
    known: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    unknown: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    suspected: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: [str]
    questions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: [{"name", "role", "organisation", "interpreter"}]
    people_to_meet: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))

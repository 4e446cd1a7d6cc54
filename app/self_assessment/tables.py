"""The host city's initial report: its status, one entry per indicator, uploaded documents."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class SelfAssessment(SQLModel, table=True):
    __tablename__ = "self_assessment"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    status: str = Field(default="draft", max_length=10)  # "draft" | "submitted"
    submitted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    submitted_by: int | None = Field(default=None, foreign_key="user.id")
    #: The last reopening, shown to the officer: when, by whom, and why.
    reopened_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    reopened_by: int | None = Field(default=None, foreign_key="user.id")
    reopen_reason: str | None = Field(default=None, sa_column=Column(Text))


class SelfAssessmentEntry(SQLModel, table=True):
    __tablename__ = "self_assessment_entry"
    __table_args__ = (UniqueConstraint("cycle_id", "indicator_code"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    indicator_code: str = Field(max_length=20)
    self_rating: str | None = Field(default=None, max_length=10)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: [{"title", "url", "document_id"?}]: a link, or an uploaded document served at ``url``.
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: [{"name", "role", "department"}]
    responsible: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class Document(SQLModel, table=True):
    """An uploaded file, kept in the database so that every service instance and every
    backup has it; served back only as a download, to those who may read the report."""

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")

"""Indicator sets as loaded from YAML; a version, once stored, never changes."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class IndicatorSetRow(SQLModel, table=True):
    __tablename__ = "indicator_set"

    version: str = Field(primary_key=True, max_length=40)
    status: str = Field(max_length=10)
    source: str = ""
    checksum: str = Field(max_length=64)
    #: The whole validated set (pillars, dimensions, texts) in the YAML's shape.
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    loaded_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class IndicatorRow(SQLModel, table=True):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("set_version", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    set_version: str = Field(foreign_key="indicator_set.version", index=True, max_length=40)
    code: str = Field(max_length=20)
    pillar: str = Field(max_length=2)
    dimension: str = Field(max_length=3)
    number: int
    position: int
    text_fr: str
    text_en: str

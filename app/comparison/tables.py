"""The published results that comparisons read: one row per cycle and indicator, from the
cycle's latest published report (written by the publication, in its transaction, and
replaced by the next version's). Comparisons never read a draft: a cycle is in them once
its report is published, and stays with its latest published version while a revision
prepares the next one."""
from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from app.timeutil import UTCDateTime


class PublishedResult(SQLModel, table=True):
    __tablename__ = "published_result"
    __table_args__ = (Index("ix_published_result_set", "indicator_set_version", "cycle_id"),)

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    indicator_code: str = Field(max_length=20, primary_key=True)
    indicator_set_version: str = Field(max_length=40)
    report_version: int
    pillar: str = Field(max_length=2)
    dimension: str = Field(max_length=3)
    #: The team's final judgement as published (below | at | above | more_info; ``None``: not judged).
    performance: str | None = Field(default=None, max_length=10)
    #: The host city's self-rating as published.
    self_rating: str | None = Field(default=None, max_length=10)
    #: How many of the report's recommendations rest on this indicator.
    recommendations: int = 0
    published_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))

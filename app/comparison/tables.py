"""The published results that comparisons read, written by the publication in its
transaction from the version just published (and replaced by the next version's):

- ``published_cycle``: one row per cycle, its indicator set, its latest published version,
  when it was first and last published, and its counts per pillar-dimension, counted once
  (how many indicators judged on the scale — below, at, above — and how many at or above):
  a comparison reads one row per cycle, never the 73 judgements of every cycle;
- ``published_result``: one row per cycle and indicator, as published (the distribution per
  indicator, the open data).

Comparisons never read a draft: a cycle is in them once its report is published, and stays
with its latest published version while a revision prepares the next one.
"""
from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.timeutil import UTCDateTime


class PublishedCycle(SQLModel, table=True):
    __tablename__ = "published_cycle"
    __table_args__ = (Index("ix_published_cycle_set", "indicator_set_version", "first_published_at"),)

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    indicator_set_version: str = Field(max_length=40)
    report_version: int
    first_published_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    published_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    #: {"GG-AMB": [at or above, judged on the scale], …} (``benchmark.comparison.count_cells``)
    counts: dict[str, list[int]] = Field(sa_column=Column(JSON, nullable=False))


class PublishedResult(SQLModel, table=True):
    __tablename__ = "published_result"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    indicator_code: str = Field(max_length=20, primary_key=True)
    pillar: str = Field(max_length=2)
    dimension: str = Field(max_length=3)
    #: The team's final judgement as published (below | at | above | more_info; ``None``: not judged).
    performance: str | None = Field(default=None, max_length=10)
    #: The host city's self-rating as published.
    self_rating: str | None = Field(default=None, max_length=10)
    #: How many of the report's recommendations rest on this indicator.
    recommendations: int = 0

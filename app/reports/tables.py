"""The final report's tables: recommendations, the sections the team leader writes, the
draft's sharing, the peers' sign-offs, the comments and the host's replies, and the
published versions with their files.

Every row people edit is :class:`~app.versioning.Versioned` (its UPDATE is conditional).
A published version (``report_version``) and its files (``report_file``) are only ever
inserted: what was published is read back byte for byte.
"""
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import UTCDateTime, utcnow
from app.versioning import Versioned


class Recommendation(Versioned, SQLModel, table=True):
    """A recommendation of the team to the host city, tied to indicators; with its owner in
    the municipality and its follow-up date, the report's action plan."""

    # Ids never reused: a link to a deleted recommendation must not come to name another.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    #: [indicator code, ...], in the set's order.
    indicator_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    horizon: str = Field(max_length=10)  # benchmark.scales.Horizon
    priority: str = Field(default="medium", max_length=10)  # "high" | "medium" | "low"
    owner: str = Field(default="", max_length=200)
    follow_up_on: date | None = None
    #: [good_practice.id, ...]
    practice_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: "proposed" by a peer, until the team leader accepts it into the report; "accepted".
    status: str = Field(default="accepted", max_length=10)
    proposed_by: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ReportSection(Versioned, SQLModel, table=True):
    """A text the team leader writes: the summary, or a pillar's strengths or weaknesses
    (``key``: ``summary``, ``strengths:GG``, ``weaknesses:GG``, …)."""

    __tablename__ = "report_section"
    __table_args__ = (UniqueConstraint("cycle_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    key: str = Field(max_length=40)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class FinalReport(Versioned, SQLModel, table=True):
    """Where the cycle's report stands: who its draft is shared with, and the revision a
    coordinator opened after a publication."""

    __tablename__ = "final_report"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    #: "writing" (the team leader alone), "team" (shared with the team for sign-off),
    #: "host" (shared with the host city's officer too, for their reply).
    sharing: str = Field(default="writing", max_length=10)
    shared_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    #: The revision a coordinator opened after a publication: why, who, when.
    revision_reason: str | None = Field(default=None, sa_column=Column(Text))
    revision_opened_by: int | None = Field(default=None, foreign_key="user.id")
    revision_opened_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    version: int = 1


class ReportSignOff(SQLModel, table=True):
    """A peer approves the draft as it stood: its content's checksum then (a change since
    makes the sign-off stale)."""

    __tablename__ = "report_sign_off"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    content_sha256: str = Field(max_length=64)
    signed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ReportComment(SQLModel, table=True):
    """A peer's comment on a section of the draft, or the host officer's reply to it
    (factual corrections), kept beside the section and shown to the team."""

    __tablename__ = "report_comment"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    section: str = Field(max_length=40)
    kind: str = Field(max_length=10)  # "comment" (a peer) | "reply" (the host city)
    author_id: int = Field(foreign_key="user.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ReportVersion(SQLModel, table=True):
    """A published version: the report's content frozen as JSON, with its checksum."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("cycle_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    number: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    content_sha256: str = Field(max_length=64)
    published_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    published_by: int = Field(foreign_key="user.id")
    #: Published without every peer's sign-off: why (recorded).
    override_reason: str | None = Field(default=None, sa_column=Column(Text))
    #: The coordinator's reason for the revision that led to this version (``None`` for 1).
    revision_reason: str | None = Field(default=None, sa_column=Column(Text))


class ReportFile(SQLModel, table=True):
    """One generated file of a published version, stored once and served as stored."""

    __tablename__ = "report_file"

    version_id: int = Field(foreign_key="report_version.id", primary_key=True)
    format: str = Field(max_length=5, primary_key=True)  # html | pdf | docx | xlsx
    lang: str = Field(max_length=2, primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    size: int
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))

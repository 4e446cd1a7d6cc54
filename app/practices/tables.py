"""The good-practice library: practices of the library file and those coordinators add."""
from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, Text
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow
from app.versioning import Versioned

#: Where a practice comes from: the library file (``good_practices.yaml``), or a coordinator.
LIBRARY, NETWORK = "library", "network"


class GoodPractice(Versioned, SQLModel, table=True):
    """A practice other cities may learn from, tied to the indicators it speaks to.

    Edited through :mod:`app.practices.service` only: every UPDATE is conditional on the
    version read (412 for the second of two writers)."""

    __tablename__ = "good_practice"

    id: int | None = Field(default=None, primary_key=True)
    #: Stable: the library file's key, or ``network-…`` for a practice a coordinator added.
    key: str = Field(max_length=80, unique=True)
    #: The city's own name; "" for an action of a catalogue, which is no city's.
    city: str = Field(default="", max_length=100)
    #: ISO 3166-1 alpha-2; ``None`` without a city.
    country: str | None = Field(default=None, max_length=2)
    theme: str = Field(max_length=20)  # benchmark.practices.Theme
    title_fr: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    summary_fr: str = Field(sa_column=Column(Text, nullable=False))
    summary_en: str = Field(sa_column=Column(Text, nullable=False))
    figures_fr: str | None = Field(default=None, sa_column=Column(Text))
    figures_en: str | None = Field(default=None, sa_column=Column(Text))
    source: str = Field(max_length=300)
    #: ["GG-AMB-1", ...], the indicators it speaks to, in the order given.
    indicator_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    origin: str = Field(default=NETWORK, max_length=10)
    #: For a library practice: the digest of the file's entry when it was last loaded. Start-up
    #: refreshes the practice from the file only when that entry's digest changed (so a
    #: coordinator's edit stays until the file's own entry changes); ``None`` for the network's.
    library_digest: str | None = Field(default=None, max_length=64)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="user.id")

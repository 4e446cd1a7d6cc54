"""Cities and the people who work for them (and the network's coordinators)."""
from datetime import datetime

from sqlalchemy import Column, DateTime, Index, event
from sqlmodel import Field, SQLModel

from app.people.names import KEY_LENGTH, name_key
from app.timeutil import utcnow
from app.versioning import Versioned


class City(Versioned, SQLModel, table=True):
    #: Names unique ignoring case, accents and spacing, held by the database so that two
    #: requests creating "Genève" and "geneve" at once cannot both succeed.
    __table_args__ = (Index("uq_city_name_key", "name_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    #: ``name`` folded (``app.people.names.name_key``): set from it on every insert and
    #: update (the listener below), never written by hand.
    name_key: str = Field(default="", max_length=KEY_LENGTH)
    country: str = Field(max_length=100)
    #: The IANA time zone of the city (the visit programme's local times); ``None``: the
    #: usual zone of its country (``app.people.zones.city_zone``).
    time_zone: str | None = Field(default=None, max_length=64)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


@event.listens_for(City, "before_insert")
@event.listens_for(City, "before_update")
def _fill_name_key(_mapper, _connection, city: City) -> None:
    city.name_key = name_key(city.name)


class User(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)  # stored lower-case
    full_name: str = Field(max_length=200)
    #: ``None`` until the person sets a password through their one-time link.
    password_hash: str | None = None
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    is_coordinator: bool = False
    is_active: bool = True
    language: str | None = Field(default=None, max_length=2)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))

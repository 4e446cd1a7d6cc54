"""The API's shapes for the visit programme, with the limits of every field."""
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.omittable import Omittable
from app.schemas import Input
from app.self_assessment.schemas import OptionalShort, Short

#: "HH:MM", 24-hour clock.
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
DAYS_MAX = 10
PEOPLE_MAX = 40
PEERS_MAX = 12
CODES_MAX = 100


class ProgrammeGenerate(Input):
    """The frame of the programme to generate (local times of the host city)."""

    days: list[date] = Field(min_length=1, max_length=DAYS_MAX)
    day_start: ClockTime = "09:00"
    day_end: ClockTime = "17:30"
    #: ``null``: no lunch break.
    lunch_start: ClockTime | None = "12:30"
    lunch_minutes: int = Field(default=60, ge=15, le=180)
    #: Time a peer needs between two interviews to move from one place to the next.
    travel_minutes: int = Field(default=0, ge=0, le=120)
    #: An IANA zone ("Europe/Lisbon"); default: the host city's.
    time_zone: Annotated[str, StringConstraints(max_length=64)] | None = None


class Interviewee(Input):
    name: Short
    role: OptionalShort = ""
    organisation: OptionalShort = ""


class InterviewWrite(Input):
    """An interview or a workshop added by hand. ``starts_at`` without an offset is read
    in the programme's time zone."""

    kind: Literal["interview", "workshop"] = "interview"
    title: OptionalShort = ""
    interviewees: list[Interviewee] = Field(min_length=1, max_length=PEOPLE_MAX)
    peers: list[int] = Field(min_length=1, max_length=PEERS_MAX)
    starts_at: datetime
    minutes: int = Field(default=60, ge=15, le=480)
    interpreter: bool = False
    indicator_codes: list[Annotated[str, StringConstraints(max_length=20)]] = Field(default=[], max_length=CODES_MAX)
    location: OptionalShort = ""


class InterviewChange(Input):
    """A change to an interview: fields left out keep their value (move it, swap a peer, ...)."""

    title: Omittable[OptionalShort] = None
    interviewees: Omittable[list[Interviewee]] = Field(default=None, min_length=1, max_length=PEOPLE_MAX)
    peers: Omittable[list[int]] = Field(default=None, min_length=1, max_length=PEERS_MAX)
    starts_at: Omittable[datetime] = None
    minutes: Omittable[int] = Field(default=None, ge=15, le=480)
    interpreter: Omittable[bool] = None
    indicator_codes: Omittable[list[Annotated[str, StringConstraints(max_length=20)]]] = Field(
        default=None, max_length=CODES_MAX)
    location: Omittable[OptionalShort] = None


class IntervieweePublic(BaseModel):
    name: str
    role: str
    organisation: str


class InterviewPublic(BaseModel):
    id: int
    kind: str
    title: str
    #: The (first) person met; a workshop's are all in ``interviewees``.
    interviewee: IntervieweePublic
    interviewees: list[IntervieweePublic]
    peers: list[int]
    #: Local times of the host city, with their offset ("2027-06-01T09:00:00+02:00").
    starts_at: datetime
    ends_at: datetime
    minutes: int
    interpreter: bool
    indicator_codes: list[str]
    location: str
    #: "generated", or "manual" (added or changed by hand: kept when generating again).
    origin: str
    version: int


class UnscheduledPublic(BaseModel):
    name: str
    role: str
    organisation: str
    interpreter: bool
    indicator_codes: list[str]
    #: "too_long" (longer than a day's hours), "no_peers" (fewer than two reviewers),
    #: "no_room" (no room left in the programme).
    reason: str
    #: The reason in the caller's language.
    reason_text: str


class ProgrammePublic(BaseModel):
    days: list[date]
    day_start: str
    day_end: str
    lunch_start: str | None
    lunch_minutes: int
    travel_minutes: int
    time_zone: str
    generated_at: datetime | None
    version: int
    interviews: list[InterviewPublic]
    unscheduled: list[UnscheduledPublic]

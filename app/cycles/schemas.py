"""The API's shapes for review cycles."""
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from benchmark.scales import CycleRole, Phase

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CycleCreate(_In):
    title: Title
    host_city_id: int
    indicator_set_version: str | None = None
    deadlines: dict[Phase, date] = {}


class CycleUpdate(_In):
    title: Title | None = None
    #: Replaces the deadlines of the phases named; ``null`` removes one.
    deadlines: dict[Phase, date | None] | None = None


class MemberCreate(_In):
    user_id: int
    role: CycleRole


class PhaseChange(_In):
    phase: Phase


class MemberPublic(BaseModel):
    user_id: int
    role: CycleRole
    full_name: str
    city_id: int | None


class CyclePublic(BaseModel):
    id: int
    title: str
    host_city_id: int
    host_city_name: str
    indicator_set_version: str
    phase: Phase
    version: int
    deadlines: dict[Phase, date]
    #: The deadline of the current phase, if one is set.
    deadline: date | None
    members: list[MemberPublic]
    #: The caller's role in this cycle (``null`` for a coordinator who is no member).
    my_role: CycleRole | None = None

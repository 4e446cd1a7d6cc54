"""The API's shapes for review cycles."""
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from benchmark.scales import CycleRole, Phase

from app.ids import BodyId
from app.omittable import Omittable
from app.schemas import Input

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CycleCreate(Input):
    title: Title
    host_city_id: BodyId
    indicator_set_version: str | None = None
    deadlines: dict[Phase, date] = {}


class CycleUpdate(Input):
    title: Omittable[Title] = None  # left out: unchanged; null: refused
    #: Replaces the deadlines of the phases named; ``null`` removes one.
    deadlines: dict[Phase, date | None] | None = None


class ConflictKind(StrEnum):
    """A conflict of interest of a peer joining a team (``app/cycles/conflicts.py``)."""

    SAME_COUNTRY = "same_country"
    REVIEWED_BY_HOST = "reviewed_by_host"


class MemberCreate(Input):
    user_id: BodyId
    role: CycleRole
    #: The coordinator has seen the conflicts of interest the previous request listed (409)
    #: and adds the peer all the same; they are kept with the member and in the audit log.
    confirm_conflicts: bool = False


class PhaseChange(Input):
    phase: Phase
    #: A coordinator's reason to move on although the phase's condition is not met (recorded).
    override_reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] | None = None


class MemberPublic(BaseModel):
    user_id: BodyId
    role: CycleRole
    full_name: str
    city_id: int | None
    #: The conflicts of interest a coordinator confirmed when adding this member, shown to
    #: coordinators only (``null`` for anyone else; ``[]`` when there were none).
    confirmed_conflicts: list[ConflictKind] | None = None


class CyclePublic(BaseModel):
    id: int
    title: str
    host_city_id: BodyId
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

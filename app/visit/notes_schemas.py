"""The API's shapes for the visit's notes and the hypotheses' states, with their limits."""
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.ids import BodyId
from app.schemas import Input

NOTE_MAX = 20_000
COMMENT_MAX = 5_000
#: Indicators a note may be tagged to, notes a hypothesis may cite.
CODES_MAX = 80
NOTE_IDS_MAX = 50

IndicatorCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class HypothesisState(StrEnum):
    """Where a hypothesis stands after the interviews."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"


class NoteWrite(Input):
    """A whole note (PUT replaces it). The text is kept as typed (paragraphs and spaces):
    it is written as the interview goes, saved as it is typed."""

    text: Annotated[str, StringConstraints(max_length=NOTE_MAX)] = ""
    indicator_codes: list[IndicatorCode] = Field(default_factory=list, max_length=CODES_MAX)


class NotePublic(BaseModel):
    id: int
    interview_id: int
    author_id: int
    author_name: str
    text: str
    indicator_codes: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


class CycleNotePublic(NotePublic):
    """A note among the cycle's, with the interview it was taken in (growth of the contract)."""

    interviewees: list[str]
    interview_starts_at: datetime | None


class HypothesisWrite(Input):
    """Settle (or reopen) one reviewer's hypothesis on one indicator."""

    state: HypothesisState
    note_ids: list[BodyId] = Field(default_factory=list, max_length=NOTE_IDS_MAX)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=COMMENT_MAX)] = ""


class HypothesisPublic(BaseModel):
    """One reviewer's hypothesis (the three lines of their review) and where it stands;
    ``version`` 0: never settled (``open``)."""

    indicator_code: str
    reviewer_id: int
    reviewer_name: str
    known: str
    unknown: str
    suspected: str
    state: HypothesisState
    note_ids: list[int]
    comment: str
    version: int
    updated_at: datetime | None = None
    updated_by: str | None = None

"""The API's shapes for the initial report, with the limits of every field."""
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from benchmark.scales import SelfRating

from app.errors import ONE_LINE_PATTERN
from app.schemas import Input

DESCRIPTION_MAX = 10_000
SHORT_MAX = 300
URL_MAX = 1_000
ITEMS_MAX = 20
#: Evidence items per indicator: all of them fit in one spreadsheet cell (32,767 characters).
EVIDENCE_MAX = 12

# No "|" nor line break in the short fields: the workbook and the form write a list as
# one item per line, fields separated by " | ", and must read it back without loss.
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_MAX,
                                         pattern=ONE_LINE_PATTERN)]
OptionalShort = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SHORT_MAX, pattern=ONE_LINE_PATTERN)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=URL_MAX,
                                       pattern=r"^(https?://[^\s|]+|/api/v1/cycles/\d+/documents/\d+)$")]


class Evidence(Input):
    title: Short
    url: Url


class Responsible(Input):
    name: Short
    role: OptionalShort = ""
    department: OptionalShort = ""


class EntryWrite(Input):
    """A whole entry (PUT replaces it): fields left out become empty."""

    self_rating: SelfRating | None = None
    #: Paragraphs kept; spaces around the whole text dropped (as a spreadsheet cell would).
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=DESCRIPTION_MAX)] = ""
    evidence: list[Evidence] = Field(default_factory=list, max_length=EVIDENCE_MAX)
    responsible: list[Responsible] = Field(default_factory=list, max_length=ITEMS_MAX)


REASON_MAX = 2_000


class ReopenRequest(Input):
    """Why a coordinator reopens a submitted report (shown to the officer). Optional in the
    API, which had no body before; the pages ask for it."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=REASON_MAX)] = ""


class EntryPublic(BaseModel):
    indicator_code: str
    self_rating: SelfRating | None
    description: str
    evidence: list[Evidence]
    responsible: list[Responsible]
    version: int


class SelfAssessmentPublic(BaseModel):
    status: str
    completed: int
    total: int
    entries: list[EntryPublic]


class DocumentPublic(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str

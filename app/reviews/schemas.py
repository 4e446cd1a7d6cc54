"""The API's shapes for the preparatory review, with the limits of every field."""
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from benchmark.scales import Performance

from app.errors import ONE_LINE_PATTERN
from app.schemas import Input
from app.self_assessment.schemas import REASON_MAX, OptionalShort, Short

HYPOTHESIS_MAX = 5_000
QUESTION_MAX = 500
ITEMS_MAX = 20

#: One line: the workbook and the form write the questions one per line.
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=QUESTION_MAX,
                                            pattern=ONE_LINE_PATTERN)]
HypothesisText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=HYPOTHESIS_MAX)]


class Hypothesis(Input):
    """The seed's three lines: what we know, what we don't know, what we suspect."""

    known: HypothesisText = ""
    unknown: HypothesisText = ""
    suspected: HypothesisText = ""


class PersonToMeet(Input):
    name: Short
    role: OptionalShort = ""
    organisation: OptionalShort = ""
    interpreter: bool = False


class ReviewEntryWrite(Input):
    """A whole entry of one's own review (PUT replaces it): fields left out become empty."""

    performance: Performance | None = None
    hypothesis: Hypothesis = Field(default_factory=Hypothesis)
    questions: list[Question] = Field(default_factory=list, max_length=ITEMS_MAX)
    people_to_meet: list[PersonToMeet] = Field(default_factory=list, max_length=ITEMS_MAX)


class ReviewEntryPublic(BaseModel):
    indicator_code: str
    performance: Performance | None
    hypothesis: Hypothesis
    questions: list[str]
    people_to_meet: list[PersonToMeet]
    version: int


class ReviewPublic(BaseModel):
    """One reviewer's review. ``completed``: indicators with a performance."""

    reviewer_id: int
    reviewer_name: str
    status: str
    submitted: bool
    submitted_at: datetime | None
    completed: int
    total: int
    entries: list[ReviewEntryPublic]
    #: The last reopening (growth of the contract): when, by whom (a name), and why.
    reopened_at: datetime | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None


class ReviewReopen(Input):
    """Why the team leader or a coordinator returns a submitted review (shown to its reviewer)."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX)]


class ReviewerProgress(BaseModel):
    reviewer_id: int
    reviewer_name: str
    role: str
    judged: int
    total: int
    submitted: bool
    submitted_at: datetime | None
    last_activity: datetime | None
    late: bool
    #: Reopened and not submitted again since.
    reopened: bool = False


class TeamProgress(BaseModel):
    deadline: str | None
    reviewers: list[ReviewerProgress]



"""The API's shapes for the final report (api-contract.md, "Report", and what it grows into)."""
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from benchmark.scales import Horizon

from app.errors import ONE_LINE_PATTERN
from app.schemas import Input

TEXT_MAX = 4_000
SECTION_MAX = 20_000
REASON_MAX = 2_000

RecommendationText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]
Owner = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=ONE_LINE_PATTERN)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RecommendationStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"


class RecommendationWrite(Input):
    """A recommendation (POST creates it; PATCH changes the fields it names). The contract's
    fields are ``indicator_codes``, ``text`` and ``horizon``; the action plan's grow it."""

    indicator_codes: list[Code] = Field(min_length=1, max_length=73)
    text: RecommendationText
    horizon: Horizon
    priority: Priority = Priority.MEDIUM
    owner: Owner = ""
    follow_up_on: date | None = None
    practice_ids: list[int] = Field(default_factory=list, max_length=20)


class RecommendationPatch(Input):
    indicator_codes: list[Code] | None = Field(default=None, min_length=1, max_length=73)
    text: RecommendationText | None = None
    horizon: Horizon | None = None
    priority: Priority | None = None
    owner: Owner | None = None
    follow_up_on: date | None = None
    practice_ids: list[int] | None = Field(default=None, max_length=20)


class RecommendationPublic(BaseModel):
    id: int
    cycle_id: int
    text: str
    indicator_codes: list[str]
    horizon: Horizon
    priority: Priority
    owner: str
    follow_up_on: date | None
    practice_ids: list[int]
    status: RecommendationStatus
    proposed_by: int
    version: int
    created_at: datetime
    updated_at: datetime


class SectionWrite(Input):
    text: Annotated[str, StringConstraints(max_length=SECTION_MAX)]


class SectionPublic(BaseModel):
    key: str
    text: str
    version: int
    updated_at: datetime | None


class CommentWrite(Input):
    section: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]


class CommentPublic(BaseModel):
    id: int
    section: str
    kind: str
    author_id: int
    author_name: str
    text: str
    created_at: datetime


class ShareWrite(Input):
    #: "team" to share the draft with the peers for sign-off, "host" with the host city too.
    sharing: Annotated[str, StringConstraints(pattern="^(team|host)$")]


class PublishWrite(Input):
    override_reason: Reason | None = None


class ReviseWrite(Input):
    reason: Reason


class SignOffPublic(BaseModel):
    user_id: int
    name: str
    signed: bool
    signed_at: datetime | None
    #: Signed an earlier draft, since changed.
    stale: bool


class ReportStatePublic(BaseModel):
    """Where the report stands: who it is shared with, the draft's checksum (its ETag),
    each peer's sign-off, and the published versions."""

    sharing: str
    draft_sha256: str | None
    sign_offs: list[SignOffPublic]
    missing_sign_offs: list[int]
    versions: list[int]
    revision_reason: str | None


class PublishedPublic(BaseModel):
    """The version made; its files are being rendered (``files`` says where to follow them)."""

    version: int
    files: str


class FilePublic(BaseModel):
    format: str
    lang: str
    sha256: str
    size: int
    created_at: datetime


class VersionFilesPublic(BaseModel):
    """A published version's files: how many are ready of the total, and each stored one
    with its SHA-256 (a file not ready yet is rendered when it is asked for)."""

    version: int
    ready: int
    total: int
    files: list[FilePublic]


class ChangePublic(BaseModel):
    """One difference from the version before: ``what`` in the caller's language, the values
    before and after (empty when there was none)."""

    what: str
    before: str
    after: str

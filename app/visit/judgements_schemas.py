"""The API's shapes for the final judgements (``PUT/GET /cycles/{id}/assessment``)."""
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from benchmark.scales import Performance

from app.schemas import Input

RATIONALE_MAX = 10_000

Rationale = Annotated[str, StringConstraints(strip_whitespace=True, max_length=RATIONALE_MAX)]


class JudgementWrite(Input):
    """The team leader's final judgement of one indicator (PUT replaces it). The rationale
    may stay empty unless the judgement departs from the peers' majority."""

    performance: Performance
    rationale: Rationale = ""


class JudgementPublic(BaseModel):
    """One indicator's final judgement; ``performance`` is ``None`` while it is not judged.
    ``majority``: the peers' majority when it was judged (before: as it stands now), ``None``
    when the peers have none (a tie, or nobody on the scale)."""

    indicator_code: str
    performance: Performance | None
    rationale: str
    majority: Performance | None
    departs_from_majority: bool
    judged_by: int | None
    version: int
    updated_at: datetime | None


class AssessmentPublic(BaseModel):
    """Every indicator of the cycle's set, in its order, judged or not."""

    judged: int
    total: int
    entries: list[JudgementPublic]

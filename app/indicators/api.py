"""The benchmark: the current approved indicator set, and the list of versions."""
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from benchmark.scales import Dimension, Pillar

from app.auth.deps import ApiUser
from app.db import SessionDep
from app.errors import NotFound, request_language
from app.i18n import N_
from app.indicators.service import current_version, get_set, list_sets

router = APIRouter(tags=["benchmark"])


class IndicatorPublic(BaseModel):
    code: str
    pillar: Pillar
    dimension: Dimension
    number: int
    text: str


class IndicatorSetPublic(BaseModel):
    version: str
    status: str
    indicator_count: int


# (set, lang, pillar, dimension) -> the JSON body. A stored set never changes, so
# its lists are encoded once per process and sent as bytes: no per-request
# validation or serialisation of 73 items. Keyed by id(): safe because get_set() keeps
# every set it returns alive for the process's life, so an id is never reused.
_bodies: dict[tuple[int, str, str | None, str | None], bytes] = {}


def indicators_body(iset, lang: str, pillar: Pillar | None, dimension: Dimension | None) -> bytes:
    key = (id(iset), lang, pillar, dimension)
    body = _bodies.get(key)
    if body is None:
        items = [IndicatorPublic(code=i.code, pillar=i.pillar, dimension=i.dimension, number=i.number,
                                 text=i.text.get(lang)).model_dump(mode="json")
                 for i in iset.indicators
                 if (pillar is None or i.pillar == pillar) and (dimension is None or i.dimension == dimension)]
        body = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
        _bodies[key] = body
    return body


@router.get("/indicators", response_model=list[IndicatorPublic])
def list_indicators(request: Request, session: SessionDep, _user: ApiUser,
                    lang: Annotated[str | None, Query(pattern="^(fr|en)$")] = None,
                    pillar: Pillar | None = None, dimension: Dimension | None = None):
    """The current approved set, in source order."""
    version = current_version(session)
    if version is None:
        raise NotFound(N_("No approved indicator set is loaded."))
    body = indicators_body(get_set(session, version), lang or request_language(request), pillar, dimension)
    return Response(body, media_type="application/json")


@router.get("/indicator-sets", response_model=list[IndicatorSetPublic])
def list_indicator_sets(session: SessionDep, _user: ApiUser):
    return [IndicatorSetPublic(version=row.version, status=row.status, indicator_count=count)
            for row, count in list_sets(session)]

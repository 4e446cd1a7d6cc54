"""The benchmark: the current approved indicator set, and the list of versions."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from benchmark.scales import Dimension, Pillar

from app.auth.deps import ApiUser, SessionDep
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


_lists: dict[tuple[int, str], list[dict]] = {}


def indicator_list(iset, lang: str) -> list[dict]:
    """The set as the API's list for ``lang``, built once per set and language."""
    key = (id(iset), lang)
    found = _lists.get(key)
    if found is None:
        found = [{"code": i.code, "pillar": i.pillar.value, "dimension": i.dimension.value, "number": i.number,
                  "text": i.text.get(lang)} for i in iset.indicators]
        _lists[key] = found
    return found


@router.get("/indicators", response_model=list[IndicatorPublic])
def list_indicators(request: Request, session: SessionDep, _user: ApiUser,
                    lang: Annotated[str | None, Query(pattern="^(fr|en)$")] = None,
                    pillar: Pillar | None = None, dimension: Dimension | None = None):
    version = current_version(session)
    if version is None:
        raise NotFound(N_("No approved indicator set is loaded."))
    items = indicator_list(get_set(session, version), lang or request_language(request))
    if pillar or dimension:
        items = [i for i in items if (not pillar or i["pillar"] == pillar) and (not dimension or i["dimension"] == dimension)]
    return items


@router.get("/indicator-sets", response_model=list[IndicatorSetPublic])
def list_indicator_sets(session: SessionDep, _user: ApiUser):
    return [IndicatorSetPublic(version=row.version, status=row.status, indicator_count=count)
            for row, count in list_sets(session)]

"""Benchmarking's JSON routes (api-contract.md, "Benchmarking"): the published cycles of one
indicator set compared per pillar-dimension; grown with filters, each cycle's city details,
the network's median and spread, and the caveat in the caller's language."""
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from benchmark.comparison import Spread

from app.auth.deps import ApiUser
from app.comparison import open_data, service
from app.db import SessionDep
from app.errors import field_error, request_language
from app.i18n import N_, gettext_for
from app.office.xlsx import MEDIA_TYPE

router = APIRouter(tags=["benchmarking"])


class ComparedPublic(BaseModel):
    cycle_id: int
    city: str
    scores: dict[str, float | None]
    title: str
    country: str
    year: int
    report_version: int


class BenchmarkPublic(BaseModel):
    indicator_set_version: str | None
    cycles: list[ComparedPublic]
    network: dict[str, Spread]  # a plain dataclass: pydantic reads its fields
    caveat: str


def parse_ids(text: str | None) -> list[int] | None:
    """``"1,2, 3"`` → ``[1, 2, 3]``; ``None`` or blank: no list (every published cycle)."""
    if text is None or not text.strip():
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and len(p) <= 12 for p in parts):
        raise field_error(["query", "cycle_ids"], N_("Cycle ids are whole numbers separated by commas."))
    return [int(p) for p in parts]


@router.get("/benchmark", response_model=BenchmarkPublic)
def benchmark(request: Request, session: SessionDep, user: ApiUser,
              cycle_ids: Annotated[str | None, Query(max_length=20_000)] = None,
              indicator_set_version: Annotated[str | None, Query(max_length=40)] = None,
              country: Annotated[str | None, Query(max_length=100)] = None,
              year: Annotated[int | None, Query(ge=1900, le=2999)] = None):
    """Each published cycle's share of indicators judged at or above the benchmark per
    pillar-dimension (``more_info`` left out of the denominator; ``null``: none judged on
    the scale there). ``cycle_ids``: those cycles (422 naming any that is not a published
    cycle, or when they are on several indicator sets); else every published cycle of
    ``indicator_set_version`` (the current set by default), narrowed by ``country`` and
    ``year`` (of the first publication)."""
    found = service.compare(session, user, parse_ids(cycle_ids),
                            service.Filters(indicator_set_version, country, year))
    _ = gettext_for(request_language(request))
    return BenchmarkPublic(
        indicator_set_version=found.indicator_set_version,
        cycles=[ComparedPublic(cycle_id=c.cycle_id, city=c.city, scores=c.scores, title=c.title, country=c.country,
                               year=c.year, report_version=c.report_version) for c in found.cycles],
        network=found.spread,
        caveat=_(service.CAVEAT))


class IndicatorCountsPublic(BaseModel):
    code: str
    pillar: str
    dimension: str
    counts: dict[str, int]


class DistributionPublic(BaseModel):
    indicator_set_version: str | None
    indicators: list[IndicatorCountsPublic]


@router.get("/benchmark/indicators", response_model=DistributionPublic)
def distribution(session: SessionDep, user: ApiUser,
                 indicator_set_version: Annotated[str | None, Query(max_length=40)] = None):
    """Per indicator of the set (the current one by default), how many published cycles'
    final judgements were below, at, above, more_info, or none."""
    version, spreads = service.distribution(session, user, indicator_set_version)
    return DistributionPublic(indicator_set_version=version, indicators=[
        IndicatorCountsPublic(code=s.code, pillar=s.pillar, dimension=s.dimension, counts=s.counts) for s in spreads])


@router.get("/open-data.csv")
def open_data_csv(session: SessionDep, user: ApiUser, anonymised: bool = False):
    """The network's open dataset (published cycles only), one row per cycle × indicator;
    ``anonymised``: cities replaced by codes, the cycles' ids left out. Columns: README."""
    data = open_data.to_csv(session, user, anonymised)
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_file_name(anonymised)}.csv"'})


@router.get("/open-data.xlsx")
def open_data_xlsx(request: Request, session: SessionDep, user: ApiUser, anonymised: bool = False):
    """The same dataset as a workbook, its first sheet documenting the columns in the
    caller's language."""
    data = open_data.to_xlsx(session, user, anonymised, request_language(request))
    return Response(data, media_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{_file_name(anonymised)}.xlsx"'})


def _file_name(anonymised: bool) -> str:
    return "inti-cities-open-data" + ("-anonymised" if anonymised else "")

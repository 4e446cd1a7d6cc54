"""Benchmarking across cities: the published results (recorded by the publication) and the
comparison of published cycles on one indicator set.

Who may compare: everyone logged in (:func:`app.auth.permissions.can_compare`). Only
published results are in the table, so a comparison never shows a draft; a cycle under
revision stays in it with its latest published version.

A comparison is of one indicator-set version: the shares of two versions' cells are not
the same measure (a later version may add, drop or reword indicators). Cycles named that
are not published — or do not exist: the answer is the same, so that nobody learns of a
cycle by asking — are refused with their ids, never shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from benchmark.comparison import CellCount, Spread, cell_key, scores, spread
from benchmark.scoring import AT_OR_ABOVE, ON_THE_SCALE

from app.auth.permissions import can_compare, require
from app.comparison.tables import PublishedResult
from app.cycles.tables import Cycle
from app.errors import field_error
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import current_version, get_set
from app.people.tables import City, User
from app.reports.content import ReportContent
from app.timeutil import as_utc

#: The most cycles one comparison may name (the query string's ``cycle_ids``).
MAX_CYCLE_IDS = 1000
CAVEAT = N_("These are peer judgements, not measurements: a team of practitioners judged each indicator against "
            "the benchmark after reading the city's report and interviewing its people. Two cities' shares say "
            "how their reviews ended, not which city integrates migrants better.")


@dataclass(frozen=True)
class Filters:
    indicator_set_version: str | None = None
    country: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class ComparedCycle:
    cycle_id: int
    title: str
    city_id: int
    city: str
    country: str
    year: int
    report_version: int
    scores: dict[str, float | None]


@dataclass(frozen=True)
class Comparison:
    indicator_set_version: str | None
    cells: list[str]
    cycles: list[ComparedCycle]
    spread: dict[str, Spread]


def record_published(session: Session, cycle: Cycle, content: ReportContent, published_at: datetime) -> None:
    """Replace the cycle's published results with those of the version just published
    (called by the publication, in its transaction)."""
    counts: dict[str, int] = {}
    for rec in content.recommendations:
        for code in set(rec.indicator_codes):
            counts[code] = counts.get(code, 0) + 1
    session.execute(delete(PublishedResult).where(col(PublishedResult.cycle_id) == cycle.id))
    session.add_all([PublishedResult(
        cycle_id=id_of(cycle), indicator_code=i.code, indicator_set_version=cycle.indicator_set_version,
        report_version=content.version or 1, pillar=i.pillar, dimension=i.dimension, performance=i.performance,
        self_rating=i.self_rating, recommendations=counts.get(i.code, 0), published_at=published_at)
        for i in content.indicators])


def cells_of(session: Session, version: str) -> list[str]:
    """The indicator set's pillar-dimensions, in the benchmark's order ("GG-AMB", …)."""
    iset = get_set(session, version)
    return [cell_key(p.code.value, d.code.value) for p in iset.pillars for d in iset.dimensions]


def _published(session: Session, filters: Filters, cycle_ids: list[int] | None) -> list[tuple]:
    """(cycle, city, report version, year) of the published cycles the filters keep (one
    query); a cycle's year is that of its first publication."""
    query = (select(Cycle, City, func.max(PublishedResult.report_version), func.min(PublishedResult.published_at))
             .join(PublishedResult, col(PublishedResult.cycle_id) == Cycle.id)
             .join(City, col(City.id) == Cycle.host_city_id)
             .group_by(col(Cycle.id), col(City.id)))
    if cycle_ids is not None:
        query = query.where(col(Cycle.id).in_(cycle_ids))
    if filters.indicator_set_version:
        query = query.where(Cycle.indicator_set_version == filters.indicator_set_version)
    if filters.country:
        query = query.where(func.lower(City.country) == filters.country.lower())
    rows = [(c, city, int(v), as_utc(first).year) for c, city, v, first in session.exec(query).all()]
    if filters.year is not None:
        rows = [r for r in rows if r[3] == filters.year]
    return sorted(rows, key=lambda r: (r[1].name.casefold(), r[3], id_of(r[0])))


def _counts(session: Session, cycle_ids: list[int] | None, version: str | None) -> list[CellCount]:
    """How many indicators of each cycle's cells were judged on the scale, and how many at
    or above (one query, counted by the database): of ``cycle_ids``, else of every cycle
    published on ``version`` (no list of thousands of ids sent)."""
    ok = func.sum(case((col(PublishedResult.performance).in_(AT_OR_ABOVE), 1), else_=0))
    judged = func.sum(case((col(PublishedResult.performance).in_(ON_THE_SCALE), 1), else_=0))
    keys = (col(PublishedResult.cycle_id), col(PublishedResult.pillar), col(PublishedResult.dimension))
    query = sa_select(*keys, ok, judged).group_by(*keys)
    query = query.where(col(PublishedResult.cycle_id).in_(cycle_ids)) if cycle_ids is not None else \
        query.where(col(PublishedResult.indicator_set_version) == version)
    return [CellCount(int(c), p, d, int(a or 0), int(j or 0)) for c, p, d, a, j in session.execute(query).all()]


def compare(session: Session, user: User, cycle_ids: list[int] | None = None,
            filters: Filters | None = None) -> Comparison:
    """The published cycles ``cycle_ids`` (else every published cycle the filters keep, on
    the filters' indicator set or the current one), their scores per pillar-dimension, and
    the network's median and spread over them. 422 naming the ids that are not published
    cycles, or when the cycles named are on several indicator sets."""
    require(can_compare(user))
    filters = filters or Filters()
    if cycle_ids is not None:
        wanted = list(dict.fromkeys(cycle_ids))
        if len(wanted) > MAX_CYCLE_IDS:
            raise field_error(["query", "cycle_ids"], N_("Compare at most %(n)s cycles at once."), n=MAX_CYCLE_IDS)
        rows = _published(session, Filters(), wanted)
        missing = sorted(set(wanted) - {id_of(r[0]) for r in rows})
        if missing:
            raise field_error(["query", "cycle_ids"], N_("Not published cycles: %(ids)s. Only the published cycles "
                                                         "are compared."), ids=", ".join(map(str, missing)))
        versions = sorted({r[0].indicator_set_version for r in rows})
        if len(versions) > 1:
            raise field_error(["query", "cycle_ids"], N_("These cycles were reviewed on different indicator sets "
                                                         "(%(versions)s): compare cycles of one set."),
                              versions=", ".join(versions))
        version = versions[0] if versions else None
    else:
        version = filters.indicator_set_version or current_version(session)
        rows = _published(session, Filters(version, filters.country, filters.year), None)
    cells = cells_of(session, version) if version and rows else []
    by_cycle = scores(_counts(session, [id_of(r[0]) for r in rows] if cycle_ids is not None else None, version),
                      cells) if rows else {}
    compared = [ComparedCycle(id_of(c), c.title, id_of(city), city.name, city.country, year, number,
                              by_cycle.get(id_of(c), dict.fromkeys(cells)))
                for c, city, number, year in rows]
    return Comparison(version, cells, compared, spread({c.cycle_id: c.scores for c in compared}, cells))


def filter_choices(session: Session) -> dict[str, list]:
    """What the filters may choose among: the indicator sets, countries and years of the
    published cycles (one query)."""
    rows = _published(session, Filters(), None)
    return {"versions": sorted({r[0].indicator_set_version for r in rows}),
            "countries": sorted({r[1].country for r in rows}, key=str.casefold),
            "years": sorted({r[3] for r in rows})}

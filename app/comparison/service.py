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
from datetime import UTC, datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from benchmark.comparison import Spread, cell_key, count_cells, shares, spread

from app.auth.permissions import can_compare, require
from app.comparison.tables import PublishedCycle, PublishedResult
from app.cycles.tables import Cycle
from app.errors import NotFound, field_error
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import current_version, get_set, list_sets
from app.people.tables import City, User
from app.reports.content import ReportContent
from app.timeutil import as_utc

#: The final judgements a distribution counts, in the order it shows them ("none": not judged).
JUDGEMENTS = ("below", "at", "above", "more_info", "none")
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
class PublishedRow:
    """A published cycle as comparisons list it (read as plain columns: thousands of them)."""

    cycle_id: int
    title: str
    city_id: int
    city: str
    country: str
    indicator_set_version: str
    report_version: int
    first_published_at: datetime
    counts: dict[str, list[int]]

    @property
    def year(self) -> int:
        return as_utc(self.first_published_at).year


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
    (called by the publication, in its transaction); the first publication's date stays."""
    cycle_id = id_of(cycle)
    previous = session.get(PublishedCycle, cycle_id)
    first = previous.first_published_at if previous else published_at
    for table in (PublishedResult, PublishedCycle):
        session.execute(delete(table).where(col(table.cycle_id) == cycle_id))
    if previous is not None:
        session.expunge(previous)
    recommended: dict[str, int] = {}
    for rec in content.recommendations:
        for code in set(rec.indicator_codes):
            recommended[code] = recommended.get(code, 0) + 1
    counts = count_cells((i.pillar, i.dimension, i.performance) for i in content.indicators)
    session.add(PublishedCycle(cycle_id=cycle_id, indicator_set_version=cycle.indicator_set_version,
                               report_version=content.version or 1, first_published_at=first,
                               published_at=published_at, counts={k: list(v) for k, v in counts.items()}))
    session.add_all([PublishedResult(
        cycle_id=cycle_id, indicator_code=i.code, pillar=i.pillar, dimension=i.dimension, performance=i.performance,
        self_rating=i.self_rating, recommendations=recommended.get(i.code, 0)) for i in content.indicators])


def cells_of(session: Session, version: str) -> list[str]:
    """The indicator set's pillar-dimensions, in the benchmark's order ("GG-AMB", …)."""
    iset = get_set(session, version)
    return [cell_key(p.code.value, d.code.value) for p in iset.pillars for d in iset.dimensions]


def published_cycles(session: Session, filters: Filters | None = None,
                     cycle_ids: list[int] | None = None) -> list[PublishedRow]:
    """The published cycles the filters keep, by city name then year (one query, plain
    columns); a cycle's year is that of its first publication."""
    query = (select(Cycle.id, Cycle.title, City.id, City.name, City.country,  # type: ignore[call-overload]
                    PublishedCycle.indicator_set_version, PublishedCycle.report_version,
                    PublishedCycle.first_published_at, PublishedCycle.counts)
             .join(PublishedCycle, col(PublishedCycle.cycle_id) == Cycle.id)
             .join(City, col(City.id) == Cycle.host_city_id))
    if cycle_ids is not None:
        query = query.where(col(Cycle.id).in_(cycle_ids))
    filters = filters or Filters()
    if filters.indicator_set_version:
        query = query.where(PublishedCycle.indicator_set_version == filters.indicator_set_version)
    if filters.country:
        query = query.where(func.lower(City.country) == filters.country.lower())
    if filters.year is not None:
        query = query.where(col(PublishedCycle.first_published_at) >= datetime(filters.year, 1, 1, tzinfo=UTC),
                            col(PublishedCycle.first_published_at) < datetime(filters.year + 1, 1, 1, tzinfo=UTC))
    rows = [PublishedRow(*row) for row in session.execute(query).all()]
    return sorted(rows, key=lambda r: (r.city.casefold(), r.first_published_at, r.cycle_id))


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
        rows = published_cycles(session, Filters(), wanted)
        missing = sorted(set(wanted) - {r.cycle_id for r in rows})
        if missing:
            raise field_error(["query", "cycle_ids"], N_("Not published cycles: %(ids)s. Only the published cycles "
                                                         "are compared."), ids=", ".join(map(str, missing)))
        versions = sorted({r.indicator_set_version for r in rows})
        if len(versions) > 1:
            raise field_error(["query", "cycle_ids"], N_("These cycles were reviewed on different indicator sets "
                                                         "(%(versions)s): compare cycles of one set."),
                              versions=", ".join(versions))
        version = versions[0] if versions else None
    else:
        version = filters.indicator_set_version or current_version(session)
        rows = published_cycles(session, Filters(version, filters.country, filters.year), None)
    cells = cells_of(session, version) if version and rows else []
    compared = [ComparedCycle(r.cycle_id, r.title, r.city_id, r.city, r.country, r.year, r.report_version,
                              shares(r.counts, cells)) for r in rows]
    return Comparison(version, cells, compared, spread({c.cycle_id: c.scores for c in compared}, cells))


@dataclass(frozen=True)
class Profile:
    cycle: ComparedCycle
    comparison: Comparison


def profile(session: Session, user: User, cycle_id: int) -> Profile:
    """A published cycle and the comparison of every published cycle of its indicator set
    (the network it stands in); 404 for a cycle that is not published (or does not exist)."""
    require(can_compare(user))
    found = published_cycles(session, None, [cycle_id])
    if not found:
        raise NotFound(N_("No published review %(id)s."), id=cycle_id)
    comparison = compare(session, user, None, Filters(found[0].indicator_set_version))
    return Profile(next(c for c in comparison.cycles if c.cycle_id == cycle_id), comparison)


@dataclass(frozen=True)
class IndicatorSpread:
    """How the published cycles' final judgements of one indicator are spread."""

    code: str
    pillar: str
    dimension: str
    counts: dict[str, int]  # below, at, above, more_info, none

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def distribution(session: Session, user: User, version: str | None = None) -> tuple[str | None, list[IndicatorSpread]]:
    """Per indicator of ``version`` (the current set by default), how many published cycles
    judged it below, at, above the benchmark or asked for more information (one query,
    counted by the database); every indicator of the set, in its order."""
    require(can_compare(user))
    version = version or current_version(session)
    if version is None or version not in known_versions(session):
        return version, []  # nothing published on a set the service does not know
    rows = session.execute(
        select(PublishedResult.indicator_code, PublishedResult.performance, func.count())
        .join(PublishedCycle, col(PublishedCycle.cycle_id) == PublishedResult.cycle_id)
        .where(PublishedCycle.indicator_set_version == version)
        .group_by(col(PublishedResult.indicator_code), col(PublishedResult.performance))).all()
    counted: dict[str, dict[str, int]] = {}
    for code, performance, n in rows:
        counted.setdefault(code, {})[performance or "none"] = int(n)
    return version, [IndicatorSpread(i.code, i.pillar.value, i.dimension.value,
                                     {k: counted.get(i.code, {}).get(k, 0) for k in JUDGEMENTS})
                     for i in get_set(session, version).indicators]


def known_versions(session: Session) -> set[str]:
    return {row.version for row, _count in list_sets(session)}


def filter_choices(session: Session) -> dict[str, list]:
    """What the filters may choose among: the indicator sets, countries and years of the
    published cycles (one query)."""
    rows = session.exec(select(PublishedCycle.indicator_set_version, City.country, PublishedCycle.first_published_at)
                        .join(Cycle, col(Cycle.id) == PublishedCycle.cycle_id)
                        .join(City, col(City.id) == Cycle.host_city_id)).all()
    return {"versions": sorted({r[0] for r in rows}), "countries": sorted({r[1] for r in rows}, key=str.casefold),
            "years": sorted({as_utc(r[2]).year for r in rows})}

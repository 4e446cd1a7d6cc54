"""Indicator sets in the database: stored once per version, read by version.

A version's content never changes once stored (cycles refer to it), so reading
one is cached per process; which version is *current* is asked of the database.
"""
import json

from sqlalchemy import func
from sqlmodel import Session, col, select

from benchmark.indicators import IndicatorSet, parse_indicator_set
from benchmark.scales import SetStatus

from app.audit.service import record
from app.indicators.tables import IndicatorRow, IndicatorSetRow
from app.timeutil import utcnow


class IndicatorSetConflict(Exception):
    """The file's version is already stored with other content."""


def store_indicator_set(session: Session, iset: IndicatorSet) -> bool:
    """Store ``iset`` if its version is new; True if it was stored. One transaction."""
    existing = session.get(IndicatorSetRow, iset.version)
    checksum = iset.checksum()
    if existing is not None:
        if existing.checksum != checksum:
            raise IndicatorSetConflict(
                f"indicator set version {iset.version} is already stored with other content: "
                "give the changed file a new version"
            )
        return False
    session.add(IndicatorSetRow(version=iset.version, status=iset.status.value, source=iset.source,
                                checksum=checksum, document=iset.to_document(), loaded_at=utcnow()))
    session.flush()
    session.add_all(
        IndicatorRow(set_version=iset.version, code=i.code, pillar=i.pillar.value, dimension=i.dimension.value,
                     number=i.number, position=pos, text_fr=i.text.fr, text_en=i.text.en)
        for pos, i in enumerate(iset.indicators)
    )
    record(session, None, "load", "indicator_set", iset.version, None,
           {"status": iset.status.value, "indicators": len(iset.indicators), "checksum": checksum})
    session.commit()
    return True


_CURRENT_QUERY = (
    select(IndicatorSetRow.version)
    .where(IndicatorSetRow.status == SetStatus.APPROVED.value)
    .order_by(col(IndicatorSetRow.loaded_at).desc())
    .limit(1)
)


def current_version(session: Session) -> str | None:
    """The most recently loaded approved set."""
    return session.exec(_CURRENT_QUERY).first()


def list_sets(session: Session) -> list[tuple[IndicatorSetRow, int]]:
    return list(session.exec(
        select(IndicatorSetRow, func.count(col(IndicatorRow.id)))
        .join(IndicatorRow, col(IndicatorRow.set_version) == IndicatorSetRow.version)
        .group_by(IndicatorSetRow.version)
        .order_by(col(IndicatorSetRow.loaded_at))
    ))


def set_exists(session: Session, version: str) -> IndicatorSetRow | None:
    return session.get(IndicatorSetRow, version)


# (database URL, version) -> set. Safe to keep for the process's life: a stored
# version never changes (store_indicator_set refuses other content under it).
_by_version: dict[tuple[str, str], IndicatorSet] = {}


def get_set(session: Session, version: str) -> IndicatorSet:
    """The stored set of ``version`` as the domain object; KeyError if unknown."""
    key = (session.get_bind().engine.url.render_as_string(), version)
    found = _by_version.get(key)
    if found is None:
        row = session.get(IndicatorSetRow, version)
        if row is None:
            raise KeyError(version)
        found = parse_indicator_set(json.dumps(row.document, ensure_ascii=False), f"indicator set {version}")
        _by_version[key] = found
    return found

"""The texts the team leader writes into the report: the summary, and each pillar's
strengths and weaknesses. Saved as typed (the page autosaves), each conditional on the
version read: of two tabs writing the same section, the second is told (412)."""
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from app.audit.service import record, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle
from app.errors import NotFound, PreconditionFailed
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.reports.build import sections_of
from app.reports.content import written_section_keys
from app.reports.tables import ReportSection
from app.timeutil import utcnow

STALE_SECTION = N_("This text was changed meanwhile (in another tab): reload it and make your change again.")


def section_names(session: Session, cycle: Cycle) -> list[str]:
    """The keys of the sections the team leader writes, in the report's order."""
    return written_section_keys([p.code.value for p in get_set(session, cycle.indicator_set_version).pillars])


def read_sections(session: Session, cycle: Cycle) -> list[ReportSection]:
    """Every section, written or not (version 0: never written), in the report's order."""
    found = sections_of(session, cycle)
    return [found.get(key) or ReportSection(cycle_id=id_of(cycle), key=key, text="", version=0)
            for key in section_names(session, cycle)]


def write_section(session: Session, rights: CycleRights, cycle: Cycle, key: str, text: str,
                  expected_version: int | None) -> ReportSection:
    if key not in section_names(session, cycle):
        raise NotFound(N_("The report has no section %(key)s."), key=key)
    require(rights.write_report())
    row = sections_of(session, cycle).get(key)
    check_version(expected_version, row.version if row else 0)
    before = snapshot(row)
    if row is None:
        row = ReportSection(cycle_id=id_of(cycle), key=key)
    row.text, row.updated_by, row.updated_at = text, id_of(rights.user), utcnow()
    session.add(row)
    try:
        session.flush()  # conditional on the version read (app/versioning.py)
    except StaleDataError:
        raise PreconditionFailed(STALE_SECTION) from None
    except IntegrityError:  # two first writes at once: the unique (cycle, key) refused the second
        raise PreconditionFailed(STALE_SECTION) from None
    record(session, rights.user.id, "update" if before else "create", "report_section", f"{cycle.id}/{key}",
           before, snapshot(row))
    return row

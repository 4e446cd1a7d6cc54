"""Publishing the final report, and reading it in each format.

Publishing (the team leader, during the reporting) needs every peer's sign-off of the
draft as it stands, or a reason to go without, which is kept. It freezes the content
(``report_version.content``, with its SHA-256) in the same transaction that moves the
cycle to ``published``; its files in every format and language are rendered once, after
that transaction, and stored with their SHA-256 (:mod:`app.reports.files`): a published
version is then only ever read back, byte for byte, never rendered again. The transition
table's exit condition of the reporting is that the report was published this way (a
plain phase change cannot skip it).

A draft is rendered on each request from the cycle's data, and stored nowhere.
"""
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from benchmark.scales import Phase

from app.audit.service import record
from app.auth.permissions import CycleRights, require
from app.comparison.service import record_published
from app.cycles.service import change_phase
from app.cycles.tables import Cycle
from app.cycles.transitions import register_exit_condition
from app.errors import Conflict, NotFound
from app.i18n import N_
from app.ids import id_of
from app.people.tables import City
from app.reports.build import build_content
from app.reports.changes import Change, changes
from app.reports.content import ReportContent
from app.reports.files import file_of, render
from app.reports.formats import FORMATS
from app.reports.sharing import PUBLISHED, ensure_state, report_state, sign_offs
from app.reports.tables import FinalReport, ReportVersion
from app.timeutil import utcnow

MISSING_SIGN_OFFS = N_("%(n)s peers have not signed off the draft as it stands: wait for them, or publish "
                       "without their sign-off and say why.")
ONE_MISSING_SIGN_OFF = N_("One peer has not signed off the draft as it stands: wait for them, or publish without "
                          "their sign-off and say why.")


@dataclass
class ReportDownload:
    data: bytes
    media_type: str
    filename: str
    sha256: str | None  # a published file's; ``None`` for a draft
    version: int | None


def _version_row(session: Session, cycle: Cycle, number: int | None) -> ReportVersion | None:
    query = select(ReportVersion).where(ReportVersion.cycle_id == cycle.id)
    query = query.where(ReportVersion.number == number) if number is not None else \
        query.order_by(col(ReportVersion.number).desc())
    return session.exec(query).first()


def published_content(session: Session, cycle: Cycle, number: int | None = None) -> ReportContent | None:
    row = _version_row(session, cycle, number)
    return ReportContent.from_json(row.content) if row else None


def changes_by_version(session: Session, rights: CycleRights, cycle: Cycle) -> dict[int, list[Change]]:
    """For each published version but the first, what changed from the one before (one query)."""
    require(rights.read_published_report())
    rows = session.exec(select(ReportVersion.number, ReportVersion.content).where(ReportVersion.cycle_id == cycle.id)
                        .order_by(col(ReportVersion.number))).all()
    contents = [(number, ReportContent.from_json(dict(content))) for number, content in rows]
    return {new_n: changes(old, new) for (_old_n, old), (new_n, new) in zip(contents, contents[1:], strict=False)}


def version_of(session: Session, rights: CycleRights, cycle: Cycle, number: int) -> ReportVersion:
    """A published version, for those who may read the published report; 404 if there is none."""
    require(rights.read_published_report())
    row = _version_row(session, cycle, number)
    if row is None:
        raise NotFound(N_("This report has no version %(n)s."), n=number)
    return row


def version_changes(session: Session, rights: CycleRights, cycle: Cycle, number: int) -> list[Change]:
    """What changed from version ``number`` - 1 to ``number`` (nothing for the first); 404
    for a version that does not exist."""
    found = changes_by_version(session, rights, cycle)
    if number not in found and (number != 1 or _version_row(session, cycle, 1) is None):
        raise NotFound(N_("This report has no version %(n)s."), n=number)
    return found.get(number, [])


def publish(session: Session, rights: CycleRights, cycle: Cycle, override_reason: str | None = None) -> ReportVersion:
    """Freeze the draft as version n+1 and publish the cycle (see the module's docstring;
    the caller has the files rendered once this is committed). 409 with
    ``missing_sign_offs`` (user ids) while a peer has not signed off the draft as it
    stands, unless ``override_reason`` says why."""
    require(rights.share_report())
    content = build_content(session, cycle)
    missing = [s.user_id for s in sign_offs(session, cycle, content.checksum()) if not s.signed]
    if missing and not override_reason:
        message = ONE_MISSING_SIGN_OFF if len(missing) == 1 else MISSING_SIGN_OFFS
        raise Conflict(message, n=len(missing), extra={"missing_sign_offs": missing})
    ensure_state(session, cycle)
    state = session.exec(select(FinalReport).where(FinalReport.cycle_id == cycle.id).with_for_update()
                         .execution_options(populate_existing=True)).one()
    number = (session.exec(select(func.max(ReportVersion.number)).where(ReportVersion.cycle_id == cycle.id)).one()
              or 0) + 1
    now = utcnow()
    content.version, content.published_at, content.revision_reason = number, now.isoformat(), state.revision_reason
    version = ReportVersion(cycle_id=id_of(cycle), number=number, content=content.to_json(),
                            content_sha256=content.checksum(), published_at=now, published_by=id_of(rights.user),
                            override_reason=override_reason if missing else None,
                            revision_reason=state.revision_reason)
    session.add(version)
    record_published(session, cycle, content, now)
    state.sharing = PUBLISHED
    session.add(state)
    session.flush()
    change_phase(session, rights, cycle, Phase.PUBLISHED)
    record(session, rights.user.id, "publish", "final_report", cycle.id, None,
           {"version": number, "content_sha256": version.content_sha256, "missing_sign_offs": missing,
            "override_reason": version.override_reason})
    return version


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "city"


def download(session: Session, rights: CycleRights, cycle: Cycle, fmt: str, lang: str,
             number: int | None = None) -> ReportDownload:
    """A published version's stored file (``number``, else the latest while published;
    rendered and stored now if it is not ready yet), or the draft rendered now (the team;
    the host city once shared with it)."""
    require(rights.read_published_report())
    spec = FORMATS[fmt]
    city = session.get(City, cycle.host_city_id)
    stem = f"report-{_slug(city.name if city else '')}"
    if number is not None or cycle.phase == Phase.PUBLISHED.value:
        row = _version_row(session, cycle, number)
        if row is None:
            raise NotFound(N_("This report has no version %(n)s."), n=number)
        stored = file_of(session, row, fmt, lang)
        return ReportDownload(stored.data, spec.media_type, f"{stem}-v{row.number}-{lang}.{spec.extension}",
                              stored.sha256, row.number)
    require(rights.read_report(report_state(session, cycle).sharing))
    data = render(build_content(session, cycle), fmt, lang)
    return ReportDownload(data, spec.media_type, f"{stem}-draft-{lang}.{spec.extension}", None, None)


def _not_published_from_its_page(session: Session, cycle: Cycle) -> tuple[str, dict] | None:
    if report_state(session, cycle).sharing == PUBLISHED:
        return None
    return N_("Publish the final report from its page: publishing freezes it, with the peers' sign-offs."), {}


register_exit_condition(Phase.REPORTING, _not_published_from_its_page, overridable=False)

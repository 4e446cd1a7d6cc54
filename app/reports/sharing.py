"""The draft's way to publication: shared with the team, signed off by each peer (or
commented on, section by section), shared with the host city for its reply, published by
the team leader; a coordinator may open a revision of a published report.

A sign-off is of the draft as it stood: it keeps the draft content's checksum
(:meth:`ReportContent.checksum`), so that any change after it — a recommendation, a
section's text, a judgement — asks that peer again. Publishing freezes the content and
its files (``app/reports/publication.py``).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from benchmark.scales import CycleRole, Phase

from app.audit.service import record
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle, CycleMember
from app.db import insert_or_ignore
from app.errors import Conflict, PreconditionFailed, field_error
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.people.tables import User
from app.reports.build import build_content
from app.reports.content import section_keys
from app.reports.tables import FinalReport, ReportComment, ReportSignOff, ReportVersion
from app.timeutil import as_utc, utcnow

#: Who the draft is shared with; ``published`` once frozen (until a revision reopens it).
WRITING, TEAM, HOST, PUBLISHED = "writing", "team", "host", "published"
DRAFT_CHANGED = N_("The draft changed since you read it: read it again before signing it off.")


@dataclass
class SignOff:
    user_id: int
    name: str
    signed_at: datetime | None
    stale: bool

    @property
    def signed(self) -> bool:
        return self.signed_at is not None and not self.stale


def report_state(session: Session, cycle: Cycle) -> FinalReport:
    """The report's row (a fresh, unsaved one while nothing has been shared)."""
    found = session.get(FinalReport, cycle.id)
    return found if found is not None else FinalReport(cycle_id=id_of(cycle))


def sharing_of(session: Session, cycles: list[Cycle]) -> dict[int, str]:
    """For each cycle's id: who its draft is shared with (one query)."""
    ids = [id_of(c) for c in cycles]
    found = dict(session.exec(select(FinalReport.cycle_id, FinalReport.sharing)
                              .where(col(FinalReport.cycle_id).in_(ids))).all()) if ids else {}
    return {i: found.get(i, WRITING) for i in ids}


def readable(session: Session, rights: CycleRights, cycle: Cycle) -> FinalReport:
    """The report's state, for those who may read the report as it stands."""
    state = report_state(session, cycle)
    require(rights.read_report(state.sharing))
    return state


def ensure_state(session: Session, cycle: Cycle) -> None:
    """Create the report's row if it has none: of two requests doing so at once, one inserts
    and the other finds it (no error, no lost row)."""
    insert_or_ignore(session, FinalReport, cycle_id=id_of(cycle), sharing=WRITING, version=1)


def peers_of(session: Session, cycle: Cycle) -> list[User]:
    """The team's peers (the team leader signs by publishing), by name."""
    return sorted(session.exec(select(User).join(CycleMember, col(CycleMember.user_id) == User.id).where(
        CycleMember.cycle_id == cycle.id, CycleMember.role == CycleRole.PEER.value)).all(),
        key=lambda u: (u.full_name.casefold(), u.id))


def sign_offs(session: Session, cycle: Cycle, draft_sha256: str) -> list[SignOff]:
    """Each peer's sign-off, stale when it was of another draft than ``draft_sha256``."""
    rows = {s.user_id: s for s in session.exec(select(ReportSignOff).where(ReportSignOff.cycle_id == cycle.id))}
    out = []
    for peer in peers_of(session, cycle):
        row = rows.get(id_of(peer))
        out.append(SignOff(id_of(peer), peer.full_name, as_utc(row.signed_at) if row else None,
                           row is not None and row.content_sha256 != draft_sha256))
    return out


def share(session: Session, rights: CycleRights, cycle: Cycle, sharing: str) -> FinalReport:
    """Share the draft with the team, or with the host city too (never back: what the host
    city has read stays readable to it)."""
    require(rights.share_report())
    ensure_state(session, cycle)
    state = session.exec(select(FinalReport).where(FinalReport.cycle_id == cycle.id).with_for_update()
                         .execution_options(populate_existing=True)).one()
    order = [WRITING, TEAM, HOST, PUBLISHED]
    if order.index(sharing) <= order.index(state.sharing):
        raise Conflict(N_("The draft is already shared with them."))
    before = {"sharing": state.sharing}
    state.sharing, state.shared_at = sharing, utcnow()
    session.add(state)
    session.flush()
    record(session, rights.user.id, "share", "final_report", cycle.id, before, {"sharing": sharing})
    return state


def sign_off(session: Session, rights: CycleRights, cycle: Cycle, seen_sha256: str | None = None) -> SignOff:
    """The peer approves the draft as it stands (as they read it: ``seen_sha256``, the
    draft's checksum on their page or the ETag they read; 412 if it changed since)."""
    require(rights.sign_off_report(report_state(session, cycle).sharing))
    current = build_content(session, cycle).checksum()
    if seen_sha256 is not None and seen_sha256 != current:
        raise PreconditionFailed(DRAFT_CHANGED)
    now = utcnow()
    row = session.get(ReportSignOff, (cycle.id, rights.user.id))
    if row is None:
        row = ReportSignOff(cycle_id=id_of(cycle), user_id=id_of(rights.user), content_sha256=current, signed_at=now)
    else:
        row.content_sha256, row.signed_at = current, now
    session.add(row)
    session.flush()
    record(session, rights.user.id, "sign_off", "final_report", cycle.id, None, {"content_sha256": current})
    return SignOff(id_of(rights.user), rights.user.full_name, now, False)


def add_comment(session: Session, rights: CycleRights, cycle: Cycle, section: str, text: str) -> ReportComment:
    """A peer's comment, or the host city's reply, on one section of the shared draft."""
    sharing = report_state(session, cycle).sharing
    if rights.role == CycleRole.HOST_OFFICER:
        require(rights.reply_to_report(sharing))
        kind = "reply"
    else:
        require(rights.sign_off_report(sharing))
        kind = "comment"
    pillars = [p.code.value for p in get_set(session, cycle.indicator_set_version).pillars]
    if section not in section_keys(pillars):
        raise field_error(["section"], N_("There is no section %(section)s in the report."), section=section)
    comment = ReportComment(cycle_id=id_of(cycle), section=section, kind=kind, author_id=id_of(rights.user), text=text)
    session.add(comment)
    session.flush()
    record(session, rights.user.id, "create", "report_comment", f"{cycle.id}/{comment.id}", None,
           {"section": section, "kind": kind, "text": text})
    return comment


def comments_of(session: Session, cycle: Cycle) -> list[tuple[ReportComment, str]]:
    """Every comment and reply with its author's name, oldest first (the team reads them all;
    the host city reads them too, beside the draft it was shared)."""
    return [(c, name) for c, name in session.exec(
        select(ReportComment, User.full_name).join(User, col(User.id) == ReportComment.author_id)
        .where(ReportComment.cycle_id == cycle.id).order_by(col(ReportComment.id))).all()]


def versions_of(session: Session, cycle: Cycle) -> list[int]:
    return list(session.exec(select(ReportVersion.number).where(ReportVersion.cycle_id == cycle.id)
                             .order_by(col(ReportVersion.number))).all())


def open_revision(session: Session, rights: CycleRights, cycle: Cycle, reason: str) -> FinalReport:
    """A coordinator reopens the published report: the cycle returns to the reporting, the
    draft to the team leader alone, every sign-off to be given again; the reason is kept
    and printed with the next version."""
    require(rights.revise_report())
    ensure_state(session, cycle)
    state = session.exec(select(FinalReport).where(FinalReport.cycle_id == cycle.id).with_for_update()
                         .execution_options(populate_existing=True)).one()
    before = {"phase": cycle.phase, "sharing": state.sharing}
    cycle.phase = Phase.REPORTING.value
    session.add(cycle)
    state.sharing, state.shared_at = WRITING, None
    state.revision_reason, state.revision_opened_by, state.revision_opened_at = reason, id_of(rights.user), utcnow()
    session.add(state)
    session.execute(update(ReportSignOff).where(col(ReportSignOff.cycle_id) == cycle.id)
                    .values(content_sha256=""))
    session.flush()
    record(session, rights.user.id, "revise", "final_report", cycle.id, before,
           {"phase": cycle.phase, "reason": reason})
    return state

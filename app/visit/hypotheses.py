"""The reviewers' hypotheses carried through the visit: each one, as a submitted review
wrote it (what we know, don't know, suspect), marked confirmed, refuted or still open,
with the interview notes that settled it.

A hypothesis is a submitted review's entry with some hypothesis text (drafts are their
writer's own, shown to nobody else). Its state is a ``hypothesis_check`` row, ``open``
while there is none (version 0). Who may read or settle is :class:`CycleRights`
(``read_visit_notes``, ``check_hypothesis``).
"""
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from benchmark.scales import ReportStatus

from app.audit.service import record, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle
from app.errors import NotFound, PreconditionFailed, fields_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.people.tables import User
from app.reviews.service import reviewers_of
from app.reviews.tables import PreparatoryReview, ReviewEntry
from app.timeutil import as_utc, utcnow
from app.visit.notes_schemas import HypothesisPublic, HypothesisState, HypothesisWrite
from app.visit.tables import HypothesisCheck, InterviewNote

STATES = [s.value for s in HypothesisState]
#: The states as the pages name them, each with its sign (the colour is never the only one).
STATE_LABELS = {"confirmed": N_("confirmed"), "refuted": N_("refuted"), "open": N_("still open")}
STATE_ICONS = {"confirmed": "✓", "refuted": "✗", "open": "?"}
STALE_HYPOTHESIS = N_("This hypothesis was settled meanwhile (in another tab, or by the team leader): reload it "
                      "and make your change again.")


@dataclass
class HypothesisView:
    """One reviewer's hypothesis on one indicator and where it stands (plain values)."""

    indicator_code: str
    reviewer_id: int
    reviewer_name: str
    known: str
    unknown: str
    suspected: str
    state: str = HypothesisState.OPEN.value
    note_ids: list[int] = field(default_factory=list)
    comment: str = ""
    version: int = 0
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def settled(self) -> bool:
        return self.state != HypothesisState.OPEN.value

    def public(self) -> HypothesisPublic:
        return HypothesisPublic.model_construct(
            indicator_code=self.indicator_code, reviewer_id=self.reviewer_id, reviewer_name=self.reviewer_name,
            known=self.known, unknown=self.unknown, suspected=self.suspected, state=HypothesisState(self.state),
            note_ids=list(self.note_ids), comment=self.comment, version=self.version, updated_at=self.updated_at,
            updated_by=self.updated_by)


def _has_text():
    return or_(col(ReviewEntry.known) != "", col(ReviewEntry.unknown) != "", col(ReviewEntry.suspected) != "")


def _apply(view: HypothesisView, check: HypothesisCheck | None, names: dict[int, str]) -> HypothesisView:
    if check is not None:
        view.state, view.note_ids, view.comment = check.state, list(check.note_ids), check.comment
        view.version, view.updated_at = check.version, as_utc(check.updated_at)
        view.updated_by = names.get(check.updated_by) if check.updated_by is not None else None
    return view


def hypotheses_by_indicator(session: Session, cycle: Cycle,
                            reviewer_ids: Iterable[int] | None = None) -> dict[str, list[HypothesisView]]:
    """Every hypothesis of the submitted reviews (of ``reviewer_ids`` only, if given), by
    indicator code in the set's order, each indicator's in the team's order (the team
    leader first); only the indicators with at least one hypothesis are keys. Four
    queries whatever the size of the team. For those who may read the visit's notes: the
    caller asks (``read_visit_notes``)."""
    reviewers = reviewers_of(session, cycle)
    names = {id_of(u): u.full_name for u, _ in reviewers}
    submitted = set(session.exec(select(PreparatoryReview.reviewer_id).where(
        PreparatoryReview.cycle_id == cycle.id, PreparatoryReview.status == ReportStatus.SUBMITTED.value)).all())
    only = None if reviewer_ids is None else set(reviewer_ids)
    wanted = [i for i in names if i in submitted and (only is None or i in only)]
    if not wanted:
        return {}
    rows = session.execute(sa_select(col(ReviewEntry.reviewer_id), col(ReviewEntry.indicator_code),
                                     col(ReviewEntry.known), col(ReviewEntry.unknown), col(ReviewEntry.suspected))
                           .where(col(ReviewEntry.cycle_id) == cycle.id, col(ReviewEntry.reviewer_id).in_(wanted),
                                  _has_text())).all()
    checks = {(c.reviewer_id, c.indicator_code): c for c in session.exec(select(HypothesisCheck).where(
        HypothesisCheck.cycle_id == cycle.id, col(HypothesisCheck.reviewer_id).in_(wanted)))}
    found = {(r[0], r[1]): r for r in rows}
    order = list(names)  # the team's order: reviewers_of's
    out: dict[str, list[HypothesisView]] = {}
    for indicator in get_set(session, cycle.indicator_set_version).indicators:
        here = sorted((key for key in found if key[1] == indicator.code), key=lambda key: order.index(key[0]))
        for reviewer_id, code in here:
            _r, _c, known, unknown, suspected = found[(reviewer_id, code)]
            view = HypothesisView(code, reviewer_id, names[reviewer_id], known, unknown, suspected)
            out.setdefault(code, []).append(_apply(view, checks.get((reviewer_id, code)), names))
    return out


def team_hypotheses(session: Session, rights: CycleRights, cycle: Cycle) -> list[HypothesisView]:
    """Every hypothesis, indicator by indicator, for those who may read the visit's notes."""
    require(rights.read_visit_notes())
    return [h for views in hypotheses_by_indicator(session, cycle).values() for h in views]


def state_counts(views: Iterable[HypothesisView]) -> dict[str, int]:
    """How many hypotheses stand in each state (every state a key, 0 if none)."""
    counts = Counter(v.state for v in views)
    return {state: counts.get(state, 0) for state in STATES}


def settle(session: Session, rights: CycleRights, cycle: Cycle, reviewer_id: int, code: str, data: HypothesisWrite,
           expected_version: int | None) -> HypothesisView:
    """Mark ``reviewer_id``'s hypothesis on ``code`` confirmed, refuted or open, citing notes
    of this cycle; 412 if ``expected_version`` is not its version (0: never settled)."""
    require(rights.check_hypothesis(reviewer_id))
    if code not in get_set(session, cycle.indicator_set_version).by_code():
        raise NotFound(N_("No indicator %(code)s in this cycle's indicator set."), code=code)
    views = hypotheses_by_indicator(session, cycle, [reviewer_id]).get(code, [])
    if not views:
        reviewer = next((u for u, _ in reviewers_of(session, cycle) if u.id == reviewer_id), None)
        if reviewer is None:
            raise NotFound(N_("No reviewer %(id)s in this cycle's team."), id=reviewer_id)
        raise NotFound(N_("%(name)s wrote no hypothesis on %(code)s in a submitted review: there is nothing to "
                          "settle."), name=reviewer.full_name, code=code)
    note_ids = check_note_ids(session, cycle, data.note_ids)
    check = session.exec(select(HypothesisCheck).where(
        HypothesisCheck.cycle_id == cycle.id, HypothesisCheck.reviewer_id == reviewer_id,
        HypothesisCheck.indicator_code == code).execution_options(populate_existing=True)).first()
    check_version(expected_version, check.version if check else 0)
    before = snapshot(check)
    if check is None:
        check = HypothesisCheck(cycle_id=id_of(cycle), reviewer_id=reviewer_id, indicator_code=code)
    check.state, check.note_ids, check.comment = data.state.value, note_ids, data.comment
    check.updated_by, check.updated_at = rights.user.id, utcnow()
    session.add(check)
    try:
        session.flush()  # conditional on the version read; the unique key stops a second first check
    except (StaleDataError, IntegrityError):
        raise PreconditionFailed(STALE_HYPOTHESIS) from None
    record(session, rights.user.id, "update" if before else "create", "hypothesis_check",
           f"{cycle.id}/{reviewer_id}/{code}", before, snapshot(check))
    return _apply(views[0], check, {id_of(rights.user): rights.user.full_name})


def check_note_ids(session: Session, cycle: Cycle, note_ids: Sequence[int]) -> list[int]:
    """``note_ids`` each once, in their order, if every one is a note of ``cycle``; else 422
    naming each other id with its place in the list."""
    found = set(session.exec(select(InterviewNote.id).where(
        InterviewNote.cycle_id == cycle.id, col(InterviewNote.id).in_(list(note_ids))))) if note_ids else set()
    errors = [{"loc": ["note_ids", n], "msg": N_("No note %(id)s in this cycle's visit."), "params": {"id": note_id}}
              for n, note_id in enumerate(note_ids) if note_id not in found]
    if errors:
        raise fields_error(errors)
    return list(dict.fromkeys(note_ids))


# --- for the cycle page and My cycles ---------------------------------------------------------------

def own_open_counts(session: Session, user: User, cycle_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """For each cycle: (``user``'s hypotheses still open, all their hypotheses), counting
    those of their submitted review only, in three queries whatever the number of cycles."""
    if not cycle_ids:
        return {}
    submitted = set(session.exec(select(PreparatoryReview.cycle_id).where(
        col(PreparatoryReview.cycle_id).in_(cycle_ids), PreparatoryReview.reviewer_id == user.id,
        PreparatoryReview.status == ReportStatus.SUBMITTED.value)).all())
    if not submitted:
        return dict.fromkeys(cycle_ids, (0, 0))
    entries = session.execute(select(col(ReviewEntry.cycle_id), col(ReviewEntry.indicator_code)).where(
        col(ReviewEntry.cycle_id).in_(submitted), ReviewEntry.reviewer_id == user.id, _has_text())).all()
    settled = {(row[0], row[1]) for row in session.execute(
        select(col(HypothesisCheck.cycle_id), col(HypothesisCheck.indicator_code)).where(
            col(HypothesisCheck.cycle_id).in_(submitted), HypothesisCheck.reviewer_id == user.id,
            HypothesisCheck.state != HypothesisState.OPEN.value))}
    out = dict.fromkeys(cycle_ids, (0, 0))
    for cycle_id, code in entries:
        still, total = out[cycle_id]
        out[cycle_id] = (still + ((cycle_id, code) not in settled), total + 1)
    return out

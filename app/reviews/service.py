"""The preparatory review: each reviewer's own (written alone, then submitted), and the
team's view of the submitted ones (signed reviews, progress, consolidation).

A review is read in a fixed number of queries whatever the number of indicators or
reviewers; an entry is written with a conditional UPDATE on its version (one winner of
racing writers with the same If-Match, the others 412). Who may read or write what is
:class:`CycleRights` (``app/auth/permissions.py``): blind until submitted.
"""
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from benchmark.consolidation import Consolidation, EntryInput, ReviewInput, consolidate
from benchmark.indicators import IndicatorSet
from benchmark.scales import CycleRole, Performance, Phase, ReportStatus, SelfRating

from app.audit.service import record, record_many, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle, CycleMember, PhaseDeadline
from app.cycles.transitions import register_exit_condition
from app.db import as_dict, lock_status_row
from app.errors import Conflict, NotFound
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.people.tables import User
from app.reviews.schemas import (
    Hypothesis,
    PersonToMeet,
    ReviewEntryPublic,
    ReviewEntryWrite,
    ReviewerProgress,
    ReviewPublic,
    TeamProgress,
)
from app.reviews.tables import PreparatoryReview, ReviewEntry
from app.self_assessment.tables import SelfAssessment, SelfAssessmentEntry
from app.timeutil import utcnow
from app.versioning import write_conditionally

DRAFT, SUBMITTED = ReportStatus.DRAFT, ReportStatus.SUBMITTED
REVIEWER_ROLES = (CycleRole.TEAM_LEADER.value, CycleRole.PEER.value)
STALE_ANY = N_("This review changed meanwhile (in another tab or by an import): reload it and make your change again.")


@dataclass
class Review:
    """One reviewer's review: its status and its entries by indicator code (absent: never written)."""

    cycle: Cycle
    iset: IndicatorSet
    reviewer: User
    role: CycleRole | None
    status: ReportStatus
    submitted_at: datetime | None
    entries: dict[str, ReviewEntry]
    reopened_at: datetime | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None

    @property
    def submitted(self) -> bool:
        return self.status == SUBMITTED

    def missing(self) -> list[str]:
        """Codes not yet judged (no performance), in the set's order."""
        return [i.code for i in self.iset.indicators if not is_judged(self.entries.get(i.code))]

    @property
    def judged(self) -> int:
        return len(self.iset.indicators) - len(self.missing())

    def public(self) -> ReviewPublic:
        entries = [entry_public(i.code, self.entries.get(i.code)) for i in self.iset.indicators]
        return ReviewPublic.model_construct(
            reviewer_id=id_of(self.reviewer), reviewer_name=self.reviewer.full_name, status=self.status.value,
            submitted=self.submitted, submitted_at=self.submitted_at, completed=self.judged, total=len(entries),
            entries=entries, reopened_at=self.reopened_at, reopened_by=self.reopened_by,
            reopen_reason=self.reopen_reason)


def is_judged(entry: ReviewEntry | None) -> bool:
    return entry is not None and entry.performance is not None


def entry_public(code: str, entry: ReviewEntry | None) -> ReviewEntryPublic:
    """The entry as the API shows it (stored values were validated when written)."""
    if entry is None:
        return ReviewEntryPublic.model_construct(indicator_code=code, performance=None, hypothesis=Hypothesis(),
                                                 questions=[], people_to_meet=[], version=0)
    return ReviewEntryPublic.model_construct(
        indicator_code=code, performance=Performance(entry.performance) if entry.performance else None,
        hypothesis=Hypothesis.model_construct(known=entry.known, unknown=entry.unknown, suspected=entry.suspected),
        questions=list(entry.questions),
        people_to_meet=[PersonToMeet.model_construct(**p) for p in entry.people_to_meet], version=entry.version)


def entry_content(entry: ReviewEntryPublic | ReviewEntryWrite) -> tuple:
    """What a reviewer writes in an entry as plain values, equal for equal content whichever
    side it comes from (a stored entry, a form, a workbook)."""
    return (entry.performance.value if entry.performance else None, entry.hypothesis.known,
            entry.hypothesis.unknown, entry.hypothesis.suspected, tuple(entry.questions),
            tuple((p.name, p.role, p.organisation, p.interpreter) for p in entry.people_to_meet))


# --- the team ------------------------------------------------------------------------------

def reviewers_of(session: Session, cycle: Cycle) -> list[tuple[User, CycleRole]]:
    """The cycle's reviewers, the team leader first, then the peers by name (one query)."""
    rows = session.exec(select(User, CycleMember.role).join(CycleMember, col(CycleMember.user_id) == User.id)
                        .where(CycleMember.cycle_id == cycle.id, col(CycleMember.role).in_(REVIEWER_ROLES))).all()
    ordered = sorted(rows, key=lambda r: (r[1] != CycleRole.TEAM_LEADER.value, r[0].full_name.casefold(), r[0].id))
    return [(user, CycleRole(role)) for user, role in ordered]


def _reviewer(session: Session, cycle: Cycle, reviewer_id: int) -> tuple[User, CycleRole]:
    found = next(((u, r) for u, r in reviewers_of(session, cycle) if u.id == reviewer_id), None)
    if found is None:
        raise NotFound(N_("No reviewer %(id)s in this cycle's team."), id=reviewer_id)
    return found


def load_reviews(session: Session, cycle: Cycle, reviewers: Sequence[tuple[User, CycleRole | None]],
                 only_submitted: bool = False, read_only: bool = False) -> list[Review]:
    """The reviews of ``reviewers`` (in that order), in three queries whatever their number.
    ``read_only``: the entries' columns as plain rows, not ORM objects (for reading: making
    a team's 600 objects took a third of a consolidation's time); never write them back."""
    iset = get_set(session, cycle.indicator_set_version)
    ids = [id_of(u) for u, _ in reviewers]
    headers = {h.reviewer_id: h for h in session.exec(select(PreparatoryReview).where(
        PreparatoryReview.cycle_id == cycle.id, col(PreparatoryReview.reviewer_id).in_(ids)))} if ids else {}
    if only_submitted:
        reviewers = [(u, r) for u, r in reviewers if u.id in headers and headers[id_of(u)].status == SUBMITTED]
        ids = [id_of(u) for u, _ in reviewers]
    entries: dict[int, dict[str, ReviewEntry]] = {i: {} for i in ids}
    if ids:
        columns = ReviewEntry.__table__.columns if read_only else (ReviewEntry,)  # type: ignore[attr-defined]
        rows = session.execute(select(*columns).where(col(ReviewEntry.cycle_id) == cycle.id,
                                                      col(ReviewEntry.reviewer_id).in_(ids)))
        for e in (rows if read_only else rows.scalars()):
            entries[e.reviewer_id][e.indicator_code] = cast(ReviewEntry, e)  # a row has the same attributes
    reopeners = {h.reopened_by for h in headers.values() if h.reopened_by is not None}
    names = {u.id: u.full_name for u in session.exec(select(User).where(col(User.id).in_(reopeners)))} \
        if reopeners else {}
    reviews = []
    for user, role in reviewers:
        header = headers.get(id_of(user))
        reviews.append(Review(
            cycle, iset, user, role, ReportStatus(header.status) if header else DRAFT,
            header.submitted_at if header else None, entries[id_of(user)],
            header.reopened_at if header else None, names.get(header.reopened_by) if header and header.reopened_by
            else None, header.reopen_reason if header else None))
    return reviews


def own_review(session: Session, rights: CycleRights, cycle: Cycle) -> Review:
    require(rights.read_own_review())
    return load_reviews(session, cycle, [(rights.user, rights.role)], read_only=True)[0]


def submitted_reviews(session: Session, rights: CycleRights, cycle: Cycle) -> list[Review]:
    """Every submitted review, signed: for those who may see the team's reviews."""
    require(rights.read_team_reviews())
    return load_reviews(session, cycle, reviewers_of(session, cycle), only_submitted=True, read_only=True)


def reviewer_review(session: Session, rights: CycleRights, cycle: Cycle, reviewer_id: int) -> Review:
    """One reviewer's submitted review (404 while it is not submitted: drafts are their own)."""
    require(rights.read_team_reviews())
    user, role = _reviewer(session, cycle, reviewer_id)
    found = load_reviews(session, cycle, [(user, role)], only_submitted=True, read_only=True)
    if not found:
        raise NotFound(N_("%(name)s has not submitted a review yet."), name=user.full_name)
    return found[0]


# --- writing one's own -----------------------------------------------------------------------

def lock_review(session: Session, cycle: Cycle, reviewer_id: int, *, exclusive: bool) -> ReportStatus:
    return ReportStatus(lock_status_row(session, PreparatoryReview, exclusive, cycle_id=cycle.id,
                                        reviewer_id=reviewer_id))


def writable_review(session: Session, rights: CycleRights, cycle: Cycle,
                    exclusive: bool = False) -> tuple[Review, CycleRights]:
    """One's own review under its lock, once it may be written as it now stands."""
    require(rights.write_review())
    status = lock_review(session, cycle, id_of(rights.user), exclusive=exclusive)
    rights = rights.seeing_review(status)
    require(rights.write_review())
    return load_reviews(session, cycle, [(rights.user, rights.role)])[0], rights


def write_entry(session: Session, rights: CycleRights, cycle: Cycle, code: str, data: ReviewEntryWrite,
                expected_version: int | None) -> ReviewEntryPublic:
    """Replace one entry of one's own review; 412 (nothing changed) when ``expected_version``
    is not its version (0: never written). Reads only that entry, under the review's lock."""
    if code not in get_set(session, cycle.indicator_set_version).by_code():
        raise NotFound(N_("No indicator %(code)s in this cycle's indicator set."), code=code)
    require(rights.write_review())
    reviewer_id = id_of(rights.user)
    require(rights.seeing_review(lock_review(session, cycle, reviewer_id, exclusive=False)).write_review())
    entry = session.exec(select(ReviewEntry).where(ReviewEntry.cycle_id == cycle.id,
                                                   ReviewEntry.reviewer_id == reviewer_id,
                                                   ReviewEntry.indicator_code == code)).first()
    check_version(expected_version, entry.version if entry else 0)
    return entry_public(code, apply_entries(session, rights.user, cycle, [(code, entry, data)])[code])


def apply_entries(session: Session, user: User, cycle: Cycle,
                  writes: list[tuple[str, ReviewEntry | None, ReviewEntryWrite]]) -> dict[str, ReviewEntry]:
    """Write each ``(code, entry as read, data)`` of ``user``'s review with its audit record,
    in a fixed number of statements; 412 (nothing written) if any changed since it was read."""
    now = utcnow()
    cycle_id, reviewer_id = id_of(cycle), id_of(user)
    created: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    result: dict[str, ReviewEntry] = {}
    for code, entry, data in writes:
        values: dict[str, Any] = {"performance": data.performance.value if data.performance else None,
                  "known": data.hypothesis.known, "unknown": data.hypothesis.unknown,
                  "suspected": data.hypothesis.suspected, "questions": list(data.questions),
                  "people_to_meet": [p.model_dump() for p in data.people_to_meet], "updated_at": now}
        row = ReviewEntry(id=entry.id if entry else None, cycle_id=cycle_id, reviewer_id=reviewer_id,
                          indicator_code=code, version=entry.version + 1 if entry else 1, **values)
        if entry is None:
            created.append(row.model_dump(exclude={"id"}))
        else:
            updated.append({"b_id": entry.id, "b_version": entry.version, **values})
        result[code] = row
    write_conditionally(session, ReviewEntry, created, updated, STALE_ANY)
    record_many(session, user.id, [
        ("update" if entry else "create", "review_entry", f"{cycle.id}/{reviewer_id}/{code}", snapshot(entry),
         snapshot(result[code]))
        for code, entry, _data in writes
    ])
    return result


def submit(session: Session, rights: CycleRights, cycle: Cycle) -> Review:
    """Hand in one's own review; 409 with ``missing`` while an indicator has no performance."""
    review, rights = writable_review(session, rights, cycle, exclusive=True)
    missing = review.missing()
    if missing:
        raise Conflict(N_("Indicators without a performance yet: %(n)s."), n=len(missing), extra={"missing": missing})
    _set_status(session, rights.user, cycle, id_of(rights.user), SUBMITTED)
    review.status, review.submitted_at = SUBMITTED, utcnow()
    return review


def reopen(session: Session, rights: CycleRights, cycle: Cycle, reviewer_id: int, reason: str) -> Review:
    """The team leader or a coordinator returns a submitted review to its reviewer, saying
    why (in the audit log, and shown to the reviewer until they submit again)."""
    require(rights.reopen_review())
    user, role = _reviewer(session, cycle, reviewer_id)
    if lock_review(session, cycle, reviewer_id, exclusive=True) != SUBMITTED:
        raise Conflict(N_("%(name)s's review is not submitted."), name=user.full_name)
    _set_status(session, rights.user, cycle, reviewer_id, DRAFT, reason)
    return load_reviews(session, cycle, [(user, role)])[0]


def _set_status(session: Session, actor: User, cycle: Cycle, reviewer_id: int, status: ReportStatus,
                reason: str = "") -> None:
    header = session.get_one(PreparatoryReview, (cycle.id, reviewer_id))  # created by the lock
    before = snapshot(header)
    header.status = status.value
    header.submitted_at = utcnow() if status == SUBMITTED else None
    if status == DRAFT:
        header.reopened_at, header.reopened_by, header.reopen_reason = utcnow(), actor.id, reason or None
    session.add(header)
    record(session, actor.id, "submit" if status == SUBMITTED else "reopen", "preparatory_review",
           f"{cycle.id}/{reviewer_id}", before, snapshot(header))
    session.flush()


# --- one's own review on its pages ---------------------------------------------------------

def judged_codes(session: Session, cycle: Cycle, reviewer_id: int) -> set[str]:
    """The codes ``reviewer_id`` has judged (what an autosave answers its progress from:
    one column of their entries, no entry loaded whole)."""
    return set(session.exec(select(ReviewEntry.indicator_code).where(
        ReviewEntry.cycle_id == cycle.id, ReviewEntry.reviewer_id == reviewer_id,
        col(ReviewEntry.performance).is_not(None))).all())


def own_progress(session: Session, user: User, cycles: Sequence[Cycle]) -> dict[int, tuple[int, int, ReportStatus]]:
    """For each cycle: (indicators ``user`` has judged, indicators in its set, the status of
    their review), in two queries whatever the number of cycles."""
    if not cycles:
        return {}
    ids = [id_of(c) for c in cycles]
    judged = {row[0]: row[1] for row in session.execute(
        select(col(ReviewEntry.cycle_id), func.count(col(ReviewEntry.performance)))
        .where(col(ReviewEntry.cycle_id).in_(ids), ReviewEntry.reviewer_id == user.id)
        .group_by(col(ReviewEntry.cycle_id)))}
    statuses = {h.cycle_id: ReportStatus(h.status) for h in session.exec(select(PreparatoryReview).where(
        col(PreparatoryReview.cycle_id).in_(ids), PreparatoryReview.reviewer_id == user.id))}
    return {id_of(c): (judged.get(id_of(c), 0), len(get_set(session, c.indicator_set_version).indicators),
                       statuses.get(id_of(c), DRAFT)) for c in cycles}


@dataclass
class SavedEntry:
    """One entry of one's review as saved now, and when: what a page whose copy is out of
    date (another tab, a workbook imported meanwhile) shows beside the text typed there."""

    entry: ReviewEntryPublic
    updated_at: datetime | None


def saved_entry(session: Session, cycle: Cycle, reviewer_id: int, code: str) -> SavedEntry:
    entry = session.exec(select(ReviewEntry).where(ReviewEntry.cycle_id == cycle.id,
                                                   ReviewEntry.reviewer_id == reviewer_id,
                                                   ReviewEntry.indicator_code == code)).first()
    return SavedEntry(entry_public(code, entry), entry.updated_at if entry else None)


def review_deadline(session: Session, cycle: Cycle) -> date | None:
    """The preparatory review phase's deadline, if the cycle has one."""
    deadline = session.get(PhaseDeadline, (cycle.id, Phase.PREPARATORY_REVIEW.value))
    return deadline.due_on if deadline else None


# --- the team's view ---------------------------------------------------------------------------

def team_progress(session: Session, rights: CycleRights, cycle: Cycle, today: date | None = None) -> TeamProgress:
    """How far each reviewer is (judged / total, submitted, last activity) against the
    phase's deadline, in four queries whatever the size of the team."""
    require(rights.follow_reviews())
    reviewers = reviewers_of(session, cycle)
    total = len(get_set(session, cycle.indicator_set_version).indicators)
    counts = {row[0]: (row[1], row[2]) for row in session.execute(
        select(col(ReviewEntry.reviewer_id), func.count(col(ReviewEntry.performance)), func.max(ReviewEntry.updated_at))
        .where(ReviewEntry.cycle_id == cycle.id).group_by(col(ReviewEntry.reviewer_id)))}
    headers = {h.reviewer_id: h for h in session.exec(select(PreparatoryReview).where(
        PreparatoryReview.cycle_id == cycle.id))}
    deadline = session.get(PhaseDeadline, (cycle.id, Phase.PREPARATORY_REVIEW.value))
    due = deadline.due_on if deadline else None
    today = today or utcnow().date()
    out = []
    for user, role in reviewers:
        judged, last = counts.get(id_of(user), (0, None))
        header = headers.get(id_of(user))
        submitted = header is not None and header.status == SUBMITTED
        out.append(ReviewerProgress(
            reviewer_id=id_of(user), reviewer_name=user.full_name, role=role.value, judged=judged, total=total,
            submitted=submitted, submitted_at=header.submitted_at if submitted and header else None,
            last_activity=last, late=not submitted and due is not None and today > due,
            reopened=not submitted and header is not None and header.reopened_at is not None))
    return TeamProgress(deadline=due.isoformat() if due else None, reviewers=out)


@dataclass
class TeamConsolidation:
    """The consolidation of the submitted reviews, with who they are (in the grid's order)
    and the reviewers who have not submitted yet (named, nothing of theirs shown)."""

    consolidation: Consolidation
    reviews: list[Review]
    pending: list[User] = field(default_factory=list)
    encoded: bytes | None = None  # its JSON, once asked for (consolidation_json)


#: Consolidations computed lately, by what they were computed from (see :func:`team_consolidation`).
_CONSOLIDATIONS: OrderedDict[tuple, TeamConsolidation] = OrderedDict()
_CONSOLIDATIONS_KEPT = 64
_CONSOLIDATIONS_LOCK = threading.Lock()


def host_self_ratings(session: Session, cycle: Cycle) -> dict[str, SelfRating | None]:
    """The host city's self-rating of each indicator it has written, by code (one query).
    For those who may read the initial report only: the caller asks."""
    return {code: SelfRating(rating) if rating else None for code, rating in session.execute(
        select(col(SelfAssessmentEntry.indicator_code), col(SelfAssessmentEntry.self_rating))
        .where(SelfAssessmentEntry.cycle_id == cycle.id))}


def team_consolidation(session: Session, rights: CycleRights, cycle: Cycle) -> TeamConsolidation:
    """The submitted reviews pooled: counts, agreement, disagreements first, merged questions
    and people to meet, the host's self-rating beside them (a fixed number of queries).

    A submitted review cannot change until it is reopened (which clears its submission
    time) and submitted again (a new one); the host's self-ratings cannot change while its
    report stays submitted. So a consolidation is kept, in this process, under the team as
    it stands (each reviewer's id, name, role and submission time), the report's submission
    time and the indicator set's version, all read in three small queries: while none of
    them changes, the reviews are neither read again nor scored again. Every process reads
    the key from the database, so several workers never disagree."""
    require(rights.read_team_reviews())
    reviewers = reviewers_of(session, cycle)
    rows = session.execute(select(col(PreparatoryReview.reviewer_id), col(PreparatoryReview.submitted_at)).where(
        col(PreparatoryReview.cycle_id) == cycle.id, col(PreparatoryReview.status) == SUBMITTED.value))
    submitted_at = as_dict(rows)
    report_at = session.execute(select(col(SelfAssessment.submitted_at)).where(
        col(SelfAssessment.cycle_id) == cycle.id)).scalar()
    key = (session.get_bind().engine.url.render_as_string(), cycle.id, cycle.indicator_set_version, report_at,
           tuple((u.id, u.full_name, role.value, submitted_at.get(id_of(u))) for u, role in reviewers))
    with _CONSOLIDATIONS_LOCK:
        kept = _CONSOLIDATIONS.get(key)
        if kept is not None:
            _CONSOLIDATIONS.move_to_end(key)
            return kept
    reviews = load_reviews(session, cycle, reviewers, only_submitted=True, read_only=True)
    done = {id_of(r.reviewer) for r in reviews}
    # The host's position is its submitted report: a draft (before submission, or reopened
    # after) is its officer's work in progress, shown to no reviewer, nor compared here.
    ratings = host_self_ratings(session, cycle) if rights.report_submitted else {}
    iset = get_set(session, cycle.indicator_set_version)
    result = consolidate(iset.indicators, [
        ReviewInput(reviewer_id=id_of(r.reviewer), reviewer_name=r.reviewer.full_name, entries={
            code: EntryInput(performance=Performance(e.performance) if e.performance else None,
                             questions=e.questions, people_to_meet=e.people_to_meet)
            for code, e in r.entries.items()})
        for r in reviews], ratings)
    # Kept across requests: the reviewers as copies of their rows, in no session, so that a
    # later rollback of this request's session (which expires what it holds) cannot leave
    # a kept consolidation with people it can no longer read.
    copies = {id_of(u): User(**u.model_dump()) for u, _ in reviewers}
    for review in reviews:
        review.reviewer = copies[id_of(review.reviewer)]
    team = TeamConsolidation(result, reviews, [copies[id_of(u)] for u, _ in reviewers if id_of(u) not in done])
    with _CONSOLIDATIONS_LOCK:
        _CONSOLIDATIONS[key] = team
        while len(_CONSOLIDATIONS) > _CONSOLIDATIONS_KEPT:
            _CONSOLIDATIONS.popitem(last=False)
    return team


def submissions_of(session: Session, cycles: list[Cycle]) -> dict[int, tuple[int, int]]:
    """For each cycle's id: (reviews submitted, reviewers), in two queries however many cycles."""
    if not cycles:
        return {}
    ids = [id_of(c) for c in cycles]
    reviewers = as_dict(session.execute(
        select(col(CycleMember.cycle_id), func.count()).where(col(CycleMember.cycle_id).in_(ids),
                                                                col(CycleMember.role).in_(REVIEWER_ROLES))
        .group_by(col(CycleMember.cycle_id))))
    submitted = as_dict(session.execute(
        select(col(PreparatoryReview.cycle_id), func.count())
        .join(CycleMember, and_(col(CycleMember.cycle_id) == PreparatoryReview.cycle_id,
                                col(CycleMember.user_id) == PreparatoryReview.reviewer_id))
        .where(col(PreparatoryReview.cycle_id).in_(ids), col(PreparatoryReview.status) == SUBMITTED.value,
               col(CycleMember.role).in_(REVIEWER_ROLES))
        .group_by(col(PreparatoryReview.cycle_id))))
    return {id_of(c): (submitted.get(id_of(c), 0), reviewers.get(id_of(c), 0)) for c in cycles}


def unsubmitted_reviews(session: Session, cycle: Cycle) -> tuple[str, dict] | None:
    reviewers = reviewers_of(session, cycle)
    submitted = set(session.exec(select(PreparatoryReview.reviewer_id).where(
        PreparatoryReview.cycle_id == cycle.id, PreparatoryReview.status == SUBMITTED.value)).all())
    waiting = [u.full_name for u, _ in reviewers if u.id not in submitted]
    if not reviewers:
        return N_("The team has no peers yet: nobody has reviewed the initial report."), {}
    if waiting:
        return N_("Not every reviewer has submitted a preparatory review yet (waiting for: %(names)s)."), \
            {"names": ", ".join(waiting)}
    return None


# A coordinator may move on without a review that will not come, giving a recorded reason.
register_exit_condition(Phase.PREPARATORY_REVIEW, unsubmitted_reviews, overridable=True)


def consolidation_json(team: TeamConsolidation) -> bytes:
    """The consolidation as the API answers it, encoded once per consolidation (kept with it)."""
    if team.encoded is None:
        team.encoded = json.dumps(consolidation_data(team), ensure_ascii=False, separators=(",", ":"),
                                  default=lambda value: value.isoformat()).encode()
    return team.encoded


def consolidation_data(team: TeamConsolidation) -> dict[str, Any]:
    """The consolidation as the API answers it: the contract's keys, grown with who judged
    what (``judgements`` by reviewer id), the host's self-rating and the peers' majority."""
    data: dict[str, Any] = team.consolidation.contract_dict()
    by_code = {i.code: i for i in team.consolidation.indicators}
    for item in data["indicators"]:
        found = by_code[item["code"]]
        item["judgements"] = {str(k): (v.value if v else None) for k, v in found.judgements.items()}
        item["self_rating"] = found.self_rating.value if found.self_rating else None
        item["majority"] = found.majority.value if found.majority else None
        item["host_vs_peers"] = found.host_vs_peers
    data["reviewers"] = [{"reviewer_id": id_of(r.reviewer), "reviewer_name": r.reviewer.full_name,
                          "role": r.role.value if r.role else None, "submitted_at": r.submitted_at}
                         for r in team.reviews]
    data["pending"] = [{"reviewer_id": id_of(u), "reviewer_name": u.full_name} for u in team.pending]
    return data

"""The team leader's final judgement per indicator (issue 10, item 5), and the visit's
exit rule (item 6): the cycle moves on to the reporting once every indicator is judged.

A final judgement is set against the peers' majority of the submitted preparatory reviews
(``benchmark/consolidation.py``: the strictly most frequent of below, at, above; none on a
tie or without judgements). One that departs from an existing majority must say why; the
majority and whether it departs are stored with it, so that the report reads them as they
were when the team leader decided.

Reading the judgements is :meth:`CycleRights.read_visit_notes` (the team and coordinators;
the host city's officer once published); setting them :meth:`CycleRights.judge` (the team
leader, during the visit and the reporting). Each is written with a conditional statement
on its version: of racing writers with the same If-Match one wins, the others get 412.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import String, cast, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from benchmark.indicators import Indicator, IndicatorSet
from benchmark.scales import Performance, Phase

from app.audit.service import record, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle
from app.cycles.transitions import register_exit_condition
from app.errors import STALE_RECORD, NotFound, field_error
from app.etag import check_version
from app.i18n import N_, Phrase
from app.ids import id_of
from app.indicators.service import get_set
from app.labels import PERFORMANCES
from app.people.tables import User
from app.reviews.service import TeamConsolidation, team_consolidation
from app.timeutil import as_utc, utcnow
from app.versioning import write_conditionally
from app.visit.judgements_schemas import JudgementPublic, JudgementWrite
from app.visit.programme import visit_zone
from app.visit.tables import FinalJudgement, HypothesisCheck, Interview, InterviewNote

DEPARTS_SAY_WHY = N_("This judgement departs from the peers' majority (%(majority)s): say why.")
#: How many of the missing codes the exit rule's refusal names.
MISSING_NAMED = 5


@dataclass(frozen=True)
class JudgementEntry:
    """One indicator of the cycle's set with its final judgement, as plain values: what the
    pages, the API and the final report read. ``performance`` is ``None`` while not judged;
    ``majority`` is the peers' majority stored with the judgement (while not judged: as it
    stands now, when the caller gave it)."""

    indicator: Indicator
    performance: str | None = None
    rationale: str = ""
    majority: str | None = None
    departs_from_majority: bool = False
    judged_by: int | None = None
    judged_by_name: str | None = None
    version: int = 0
    updated_at: datetime | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def judged(self) -> bool:
        return self.performance is not None

    def public(self) -> JudgementPublic:
        return JudgementPublic.model_construct(
            indicator_code=self.code, performance=Performance(self.performance) if self.performance else None,
            rationale=self.rationale, majority=Performance(self.majority) if self.majority else None,
            departs_from_majority=self.departs_from_majority, judged_by=self.judged_by, version=self.version,
            updated_at=self.updated_at)


def judgement_entries(session: Session, cycle: Cycle,
                      majorities: Mapping[str, Performance | None] | None = None) -> list[JudgementEntry]:
    """Every indicator of the cycle's set, in the set's order, with its final judgement if
    it has one (one query; no rights asked: the caller does). ``majorities`` by code, for
    the indicators not judged yet."""
    iset = get_set(session, cycle.indicator_set_version)
    rows = {row.indicator_code: row for row in session.execute(
        select_columns(col(FinalJudgement.indicator_code), col(FinalJudgement.performance),
                       col(FinalJudgement.rationale), col(FinalJudgement.majority),
                       col(FinalJudgement.departs_from_majority), col(FinalJudgement.judged_by), col(User.full_name),
                       col(FinalJudgement.version), col(FinalJudgement.updated_at))
        .outerjoin(User, col(User.id) == FinalJudgement.judged_by)
        .where(col(FinalJudgement.cycle_id) == cycle.id))}
    out = []
    for indicator in iset.indicators:
        row = rows.get(indicator.code)
        if row is None:
            current = (majorities or {}).get(indicator.code)
            out.append(JudgementEntry(indicator, majority=current.value if current else None))
        else:
            out.append(JudgementEntry(indicator, row.performance, row.rationale, row.majority,
                                      row.departs_from_majority, row.judged_by, row.full_name, row.version,
                                      as_utc(row.updated_at)))
    return out


@dataclass
class Assessment:
    """The cycle's final judgements, every indicator of its set in order."""

    iset: IndicatorSet
    entries: list[JudgementEntry]
    by_code: dict[str, JudgementEntry] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {e.code: e for e in self.entries}

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def judged(self) -> int:
        return sum(1 for e in self.entries if e.judged)

    def unjudged(self) -> list[JudgementEntry]:
        return [e for e in self.entries if not e.judged]

    def departures(self) -> list[JudgementEntry]:
        return [e for e in self.entries if e.departs_from_majority]

    def neighbours(self, code: str) -> tuple[JudgementEntry | None, JudgementEntry | None, JudgementEntry | None]:
        """The indicators before and after ``code`` in the set's order, and the next one not
        judged yet after it (from the start again past the end; never ``code`` itself)."""
        codes = [e.code for e in self.entries]
        at = codes.index(code)
        after = self.entries[at + 1:] + self.entries[:at]
        return (self.entries[at - 1] if at > 0 else None, self.entries[at + 1] if at + 1 < len(codes) else None,
                next((e for e in after if not e.judged), None))

    def cells(self) -> list[tuple[Any, list[tuple[Any, list[JudgementEntry]]]]]:
        """Pillar by pillar, each dimension's indicators: the picture's rows and cells."""
        return [(p, [(d, [e for e in self.entries if e.indicator.pillar == p.code and e.indicator.dimension == d.code])
                     for d in self.iset.dimensions]) for p in self.iset.pillars]

    def public(self) -> dict[str, Any]:
        return {"judged": self.judged, "total": self.total, "entries": [e.public() for e in self.entries]}


def peers_majorities(session: Session, rights: CycleRights, cycle: Cycle,
                     team: TeamConsolidation | None = None) -> dict[str, Performance | None]:
    """The peers' majority per indicator, from the submitted preparatory reviews (the team's
    consolidation, kept in the process while no review changes; ``team`` if the caller has it)."""
    team = team or team_consolidation(session, rights, cycle)
    return {i.code: i.majority for i in team.consolidation.indicators}


def assessment(session: Session, rights: CycleRights, cycle: Cycle,
               team: TeamConsolidation | None = None) -> Assessment:
    """The final judgements, for those who may read them."""
    require(rights.read_visit_notes())
    return Assessment(get_set(session, cycle.indicator_set_version),
                      judgement_entries(session, cycle, peers_majorities(session, rights, cycle, team)))


def indicator_of(session: Session, cycle: Cycle, code: str) -> Indicator:
    """The indicator ``code`` of the cycle's set; 404 if it has none."""
    indicator = get_set(session, cycle.indicator_set_version).by_code().get(code)
    if indicator is None:
        raise NotFound(N_("No indicator %(code)s in this cycle's indicator set."), code=code)
    return indicator


def write_judgement(session: Session, rights: CycleRights, cycle: Cycle, code: str, data: JudgementWrite,
                    expected_version: int | None) -> JudgementEntry:
    """Set the final judgement of ``code``; 412 (nothing changed) when ``expected_version``
    is not its version (0: never judged); 422 on ``rationale`` when it departs from the
    peers' majority without saying why."""
    indicator = indicator_of(session, cycle, code)
    require(rights.judge())
    row = session.exec(select(FinalJudgement).where(FinalJudgement.cycle_id == cycle.id,
                                                    FinalJudgement.indicator_code == code)).first()
    check_version(expected_version, row.version if row else 0)
    majority = peers_majorities(session, rights, cycle).get(code)
    if majority is not None and data.performance != majority and not data.rationale.strip():
        raise field_error(["rationale"], DEPARTS_SAY_WHY, majority=Phrase(PERFORMANCES[majority.value]))
    departs = majority is not None and data.performance != majority
    now, user_id = utcnow(), id_of(rights.user)
    values: dict[str, Any] = {"performance": data.performance.value, "rationale": data.rationale,
                              "majority": majority.value if majority else None, "departs_from_majority": departs,
                              "judged_by": user_id, "updated_at": now}
    after = FinalJudgement(id=row.id if row else None, cycle_id=id_of(cycle), indicator_code=code,
                           version=row.version + 1 if row else 1, **values)
    if row is None:
        write_conditionally(session, FinalJudgement, [after.model_dump(exclude={"id"})], [], STALE_RECORD)
    else:
        write_conditionally(session, FinalJudgement, [], [{"b_id": row.id, "b_version": row.version, **values}],
                            STALE_RECORD)
    record(session, user_id, "update" if row else "create", "final_judgement", f"{cycle.id}/{code}",
           snapshot(row), snapshot(after))
    return JudgementEntry(indicator, after.performance, after.rationale, after.majority, departs, user_id,
                          rights.user.full_name, after.version, now)


def judged_counts(session: Session, cycles: list[Cycle]) -> dict[int, int]:
    """For each cycle's id: how many indicators have a final judgement (one query)."""
    if not cycles:
        return {}
    ids = [id_of(c) for c in cycles]
    counts = {row[0]: row[1] for row in session.execute(
        select(col(FinalJudgement.cycle_id), func.count()).where(col(FinalJudgement.cycle_id).in_(ids))
        .group_by(col(FinalJudgement.cycle_id)))}
    return {i: counts.get(i, 0) for i in ids}


# --- what the visit found about one indicator: its notes and the hypotheses' states ----------

@dataclass(frozen=True)
class InterviewView:
    """The interview (or workshop) a note was taken in."""

    id: int
    kind: str  # "interview" | "workshop"
    title: str
    interviewees: list[dict[str, Any]]
    starts_at: datetime  # in the host city's time zone

    @property
    def who(self) -> str:
        """Whom it met: the interviewees' names (a workshop: its title first)."""
        names = ", ".join(str(p.get("name") or "") for p in self.interviewees if p.get("name"))
        return f"{self.title} ({names})" if self.title and names else self.title or names


@dataclass(slots=True)
class NoteView:
    """An interview note tagged to an indicator, with its interview and author."""

    id: int
    text: str
    author_id: int
    author_name: str
    interview: InterviewView


@dataclass
class VisitEvidence:
    """The notes tagged to one indicator, in the interviews' order, and each reviewer's
    hypothesis check on it by reviewer id (absent: still open, never checked)."""

    notes: list[NoteView]
    checks: dict[int, HypothesisCheck]

    def by_interview(self) -> list[tuple[InterviewView, list[NoteView]]]:
        """The notes grouped by the interview they were taken in, in the interviews' order."""
        groups = (list(notes) for _id, notes in groupby(self.notes, key=lambda n: n.interview.id))
        return [(notes[0].interview, notes) for notes in groups]

    def state(self, reviewer_id: int) -> str:
        check = self.checks.get(reviewer_id)
        return check.state if check else "open"


def visit_evidence(session: Session, cycle: Cycle, code: str) -> VisitEvidence:
    """The interview notes tagged to ``code`` and the hypotheses' checks on it, in four
    queries whatever their number (no rights asked: the caller does).

    Read from the visit's tables here rather than through the notes' own service, so that
    the final judgement stands on its own; one function to swap for that service's
    ``notes_for`` and ``hypotheses_by_indicator`` later."""
    zone = visit_zone(session, cycle)
    # The tags are a JSON list of codes, each written quoted in its text (on SQLite and
    # PostgreSQL alike): the quoted code found in that text is the code tagged, and the
    # lists are never decoded (a page of 300 notes spent a third of its time doing so).
    # LIKE ignores case on SQLite: the exact comparison is made again here. The columns are
    # the tables' rather than the models' attributes: plain rows, read faster.
    notes_c, interviews_c, users_c = InterviewNote.__table__.c, Interview.__table__.c, User.__table__.c
    quoted = f'"{code}"'
    tags = cast(notes_c.indicator_codes, String)
    found: dict[int, list[tuple[int, str, int, str]]] = {}  # by interview: (id, text, author id, author)
    for note_id, text, author_id, author, interview_id, tagged in session.execute(
            select_columns(notes_c.id, notes_c.text, notes_c.author_id, users_c.full_name, notes_c.interview_id, tags)
            .join(User.__table__, users_c.id == notes_c.author_id)
            .where(notes_c.cycle_id == cycle.id, tags.like(f"%{quoted}%"))
            .order_by(notes_c.id)).all():
        if quoted in tagged and text.strip():
            found.setdefault(interview_id, []).append((note_id, text, author_id, author))
    interviews = sorted((InterviewView(i, kind, title, list(people), as_utc(starts_at).astimezone(zone))
                         for i, kind, title, people, starts_at in session.execute(
                             select_columns(interviews_c.id, interviews_c.kind, interviews_c.title,
                                            interviews_c.interviewees, interviews_c.starts_at)
                             .where(interviews_c.id.in_(found))).all()),
                        key=lambda i: (i.starts_at, i.id))
    notes = [NoteView(*note, interview) for interview in interviews for note in found[interview.id]]
    checks = {c.reviewer_id: c for c in session.exec(select(HypothesisCheck).where(
        HypothesisCheck.cycle_id == cycle.id, HypothesisCheck.indicator_code == code))}
    return VisitEvidence(notes, checks)


# --- the visit's exit rule -----------------------------------------------------------------------

def _unjudged(session: Session, cycle: Cycle) -> tuple[str, dict] | None:
    """Every indicator of the cycle's set needs its final judgement before the reporting."""
    judged = set(session.exec(select(FinalJudgement.indicator_code).where(FinalJudgement.cycle_id == cycle.id)).all())
    missing = [i.code for i in get_set(session, cycle.indicator_set_version).indicators if i.code not in judged]
    if not missing:
        return None
    shown = ", ".join(missing[:MISSING_NAMED]) + (", …" if len(missing) > MISSING_NAMED else "")
    if len(missing) == 1:
        return N_("One indicator has no final judgement yet: %(codes)s."), {"codes": shown}
    return N_("%(n)s indicators have no final judgement yet: %(codes)s."), {"n": len(missing), "codes": shown}


# A coordinator may move on regardless, with a recorded reason (an indicator that cannot be
# judged from what the visit found is the report's to say).
register_exit_condition(Phase.VISIT, _unjudged, overridable=True)

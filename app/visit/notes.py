"""Notes taken during the visit: each interview's notes, written by the peers who hold it
and by the team leader, tagged to the indicators they speak to, read by the whole team.

An author may keep several notes of one interview. Writing a note locks its interview's
row for the transaction, so that the writes of one interview's notes follow each other:
the first note of an author is created once however many saves race to create it, and a
save sent with an out-of-date version (``If-Match``) is refused (412) rather than lost.
Who may read or write is :class:`CycleRights` (``read_visit_notes``, ``write_notes``).
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from app.audit.service import record, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle
from app.db import as_dict
from app.errors import Forbidden, NotFound, PreconditionFailed, field_error, fields_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.people.tables import User
from app.timeutil import as_utc, utcnow
from app.visit.notes_schemas import CycleNotePublic, NotePublic, NoteWrite
from app.visit.programme import interview_of
from app.visit.tables import Interview, InterviewNote

STALE_NOTE = N_("This note changed meanwhile (in another tab or window): reload it and make your change again.")
NO_INDICATOR = N_("No indicator %(code)s in this cycle's indicator set.")


@dataclass
class NoteView:
    """A note, signed, with the interview it was taken in: what the pages, the API and the
    final judgement's page show of it (plain values, no database row)."""

    id: int
    interview_id: int
    author_id: int
    author_name: str
    text: str
    indicator_codes: list[str]
    version: int
    created_at: datetime
    updated_at: datetime
    interviewees: list[str] = field(default_factory=list)
    interview_starts_at: datetime | None = None
    interview_title: str = ""

    def public(self) -> NotePublic:
        return NotePublic.model_construct(**{k: getattr(self, k) for k in NotePublic.model_fields})

    def cycle_public(self) -> CycleNotePublic:
        """With the interview it was taken in (``GET /cycles/{id}/notes``)."""
        return CycleNotePublic.model_construct(**{k: getattr(self, k) for k in CycleNotePublic.model_fields})

    def first_words(self, count: int = 14) -> str:
        """The note's beginning on one line, to recognise it in a list."""
        words = self.text.split()
        return " ".join(words[:count]) + (" …" if len(words) > count else "")

    @property
    def who(self) -> str:
        """Who was met: the interviewees' names, or a workshop's title."""
        return ", ".join(self.interviewees) or self.interview_title


def _view(note: InterviewNote, author_name: str, interview: Interview | None = None) -> NoteView:
    return NoteView(
        id=id_of(note), interview_id=note.interview_id, author_id=note.author_id, author_name=author_name,
        text=note.text, indicator_codes=list(note.indicator_codes), version=note.version,
        created_at=as_utc(note.created_at), updated_at=as_utc(note.updated_at),
        interviewees=[str(p.get("name", "")) for p in interview.interviewees] if interview else [],
        interview_starts_at=as_utc(interview.starts_at) if interview else None,
        interview_title=interview.title if interview else "")


# --- where and when -------------------------------------------------------------------------

def names_of(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {id_of(u): u.full_name for u in session.exec(select(User).where(col(User.id).in_(wanted)))}


# --- reading -----------------------------------------------------------------------------------

def interview_notes(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int) -> list[NoteView]:
    """Every note of one interview, each signed, oldest first."""
    require(rights.read_visit_notes())
    interview = interview_of(session, cycle, interview_id)
    rows = session.exec(select(InterviewNote, User.full_name).join(User, col(User.id) == InterviewNote.author_id)
                        .where(InterviewNote.interview_id == interview.id)
                        .order_by(col(InterviewNote.created_at), col(InterviewNote.id))).all()
    return [_view(note, name, interview) for note, name in rows]


def notes_for(session: Session, cycle: Cycle, code: str | None = None) -> list[NoteView]:
    """The cycle's notes (those tagged to ``code`` if given), each with its author's name and
    its interview's interviewees and start, in the programme's order, in one query. For
    those who may read the visit's notes: the caller asks (``read_visit_notes``)."""
    rows = session.exec(
        select(InterviewNote, User.full_name, Interview)
        .join(User, col(User.id) == InterviewNote.author_id)
        .join(Interview, col(Interview.id) == InterviewNote.interview_id)
        .where(InterviewNote.cycle_id == cycle.id)
        .order_by(col(Interview.starts_at), col(Interview.id), col(InterviewNote.created_at), col(InterviewNote.id))
    ).all()
    # Filtered here rather than in SQL: a JSON list's membership is written differently by
    # each database, and a cycle's notes are a few hundred at most.
    return [_view(note, name, interview) for note, name, interview in rows
            if code is None or code in note.indicator_codes]


def notes_by_indicator(notes: Sequence[NoteView]) -> dict[str, list[NoteView]]:
    """``notes`` under each indicator they are tagged to (a note tagged twice is under both)."""
    out: dict[str, list[NoteView]] = {}
    for note in notes:
        for code in note.indicator_codes:
            out.setdefault(code, []).append(note)
    return out


def cycle_notes(session: Session, rights: CycleRights, cycle: Cycle, code: str | None = None) -> list[NoteView]:
    """The cycle's notes for those who may read them; ``code`` must be one of the set's."""
    require(rights.read_visit_notes())
    if code is not None and code not in get_set(session, cycle.indicator_set_version).by_code():
        raise field_error(["indicator"], NO_INDICATOR, code=code)
    return notes_for(session, cycle, code)


def saved_note(session: Session, note_id: int) -> NoteView | None:
    """One note as saved now (what a page whose copy is out of date shows beside its text)."""
    row = session.exec(select(InterviewNote, User.full_name).join(User, col(User.id) == InterviewNote.author_id)
                       .where(InterviewNote.id == note_id).execution_options(populate_existing=True)).first()
    return _view(*row) if row else None


def _first_own(session: Session, cycle: Cycle, interview_id: int, author: User) -> InterviewNote | None:
    return session.exec(select(InterviewNote).where(
        InterviewNote.cycle_id == cycle.id, InterviewNote.interview_id == interview_id,
        InterviewNote.author_id == author.id).order_by(col(InterviewNote.id))
        .execution_options(populate_existing=True)).first()


def first_own_note(session: Session, cycle: Cycle, interview_id: int, author: User) -> NoteView | None:
    """``author``'s first note of the interview as saved now (what the contract's PUT writes)."""
    note = _first_own(session, cycle, interview_id, author)
    return _view(note, author.full_name) if note else None


# --- writing -----------------------------------------------------------------------------------

def check_codes(session: Session, cycle: Cycle, codes: Sequence[str]) -> list[str]:
    """``codes`` (upper case, each once, in their order) if every one is an indicator of the
    cycle's set; else 422 naming each unknown code with its place in the list."""
    known = get_set(session, cycle.indicator_set_version).by_code()
    errors = [{"loc": ["indicator_codes", n], "msg": NO_INDICATOR, "params": {"code": code}}
              for n, code in enumerate(codes) if code.upper() not in known]
    if errors:
        raise fields_error(errors)
    return list(dict.fromkeys(code.upper() for code in codes))


def _writable_interview(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int) -> Interview:
    """The interview, locked, once the caller may write its notes (the host city and
    outsiders are refused before learning whether it exists)."""
    require(rights.read_visit_notes())
    interview = interview_of(session, cycle, interview_id, lock=True)
    require(rights.write_notes(list(interview.peers)))
    return interview


def write_first_note(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int, data: NoteWrite,
                     expected_version: int | None) -> NoteView:
    """The contract's PUT: the caller's first note of the interview, created if they have
    none (``expected_version`` 0: only if they have none); 412 if it is not that version."""
    interview = _writable_interview(session, rights, cycle, interview_id)
    codes = check_codes(session, cycle, data.indicator_codes)
    note = _first_own(session, cycle, id_of(interview), rights.user)
    check_version(expected_version, note.version if note else 0)
    return _save(session, rights.user, interview, note, data.text, codes)


def add_note(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int, data: NoteWrite) -> NoteView:
    """Another note of the caller's in the interview."""
    interview = _writable_interview(session, rights, cycle, interview_id)
    codes = check_codes(session, cycle, data.indicator_codes)
    return _save(session, rights.user, interview, None, data.text, codes)


def write_note(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int, note_id: int,
               data: NoteWrite, expected_version: int | None) -> NoteView:
    """Replace one of the caller's notes (only its author changes a note); 412 if
    ``expected_version`` is not its version."""
    interview = _writable_interview(session, rights, cycle, interview_id)
    note = session.exec(select(InterviewNote).where(InterviewNote.id == note_id,
                                                    InterviewNote.interview_id == interview.id)
                        .execution_options(populate_existing=True)).first()
    if note is None:
        raise NotFound(N_("No note %(id)s in this interview."), id=note_id)
    if note.author_id != rights.user.id:
        raise Forbidden(N_("Only its author changes a note."))
    codes = check_codes(session, cycle, data.indicator_codes)
    check_version(expected_version, note.version)
    return _save(session, rights.user, interview, note, data.text, codes)


def _save(session: Session, author: User, interview: Interview, note: InterviewNote | None, text: str,
          codes: list[str]) -> NoteView:
    now = utcnow()
    before = snapshot(note)
    if note is None:
        note = InterviewNote(cycle_id=interview.cycle_id, interview_id=id_of(interview), author_id=id_of(author),
                             text=text, indicator_codes=codes, created_at=now, updated_at=now)
    else:
        note.text, note.indicator_codes, note.updated_at = text, codes, now
    session.add(note)
    try:
        session.flush()  # conditional on the version read (app/versioning.py)
    except StaleDataError:
        raise PreconditionFailed(STALE_NOTE) from None
    record(session, author.id, "update" if before else "create", "interview_note", f"{interview.cycle_id}/{note.id}",
           before, snapshot(note))
    return _view(note, author.full_name, interview)


# --- for the cycle page and My cycles ----------------------------------------------------------------

def own_notes_count(session: Session, user: User, cycle_ids: Sequence[int]) -> dict[int, int]:
    """For each cycle: how many notes ``user`` has written (one query)."""
    if not cycle_ids:
        return {}
    rows = session.execute(select(col(InterviewNote.cycle_id), func.count())
                           .where(col(InterviewNote.cycle_id).in_(cycle_ids), InterviewNote.author_id == user.id)
                           .group_by(col(InterviewNote.cycle_id)))
    return as_dict(rows)


def own_interviews(session: Session, user: User, cycle_ids: Sequence[int]) -> dict[int, list[Interview]]:
    """For each cycle: the interviews ``user`` holds, in the programme's order (one query)."""
    if not cycle_ids:
        return {}
    out: dict[int, list[Interview]] = {c: [] for c in cycle_ids}
    for interview in session.exec(select(Interview).where(col(Interview.cycle_id).in_(cycle_ids))
                                  .order_by(col(Interview.starts_at), col(Interview.id))):
        if user.id in interview.peers:
            out[interview.cycle_id].append(interview)
    return out

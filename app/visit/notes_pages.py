"""The visit's notes on their pages: an interview's page (who is met, when, the indicators
and the team's questions, then the notes: one's own saved as typed, the others' signed
and read-only), the cycle's interviews and notes by indicator, and the visit's panel on
the cycle page and next steps on My cycles."""
import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from benchmark.scales import CycleRole, Phase

from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import request_language
from app.etag import expected_version
from app.i18n import N_, date_text, gettext_for
from app.ids import PathId, id_of
from app.indicators.service import get_set
from app.reviews import service as reviews_service
from app.timeutil import as_utc
from app.visit import hypotheses, notes
from app.visit.notes_schemas import NoteWrite
from app.visit.programme import interview_of, interviews_of, visit_zone
from app.visit.tables import Interview
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()
#: The codes typed in a note's "other indicators" field: separated by spaces, commas or semicolons.
CODE_SEPARATORS = re.compile(r"[\s,;]+")


def local_time(value: datetime, zone: ZoneInfo, lang: str) -> str:
    """A stored (UTC) time as the host city reads it: "June 1, 2027 at 10:30"."""
    here = as_utc(value).astimezone(zone)
    _ = gettext_for(lang)
    return str(_(N_("%(date)s at %(time)s"), date=date_text(here.date(), lang), time=here.strftime("%H:%M")))


def when(interview: Interview, zone: ZoneInfo, lang: str) -> str:
    """An interview's day and hours in the host city: "Tuesday, June 1, 2027, 09:00–10:00"."""
    from babel.dates import format_date

    start, end = as_utc(interview.starts_at).astimezone(zone), as_utc(interview.ends_at).astimezone(zone)
    return f"{format_date(start.date(), format='full', locale=lang)}, {start:%H:%M}–{end:%H:%M}"


# --- a note's form -------------------------------------------------------------------------------

def note_values(note: notes.NoteView | None, person_codes: list[str]) -> dict[str, str]:
    """A note as its form's fields hold it: the text, a box per indicator of the person met
    (``tag-CODE``), and the other codes typed in one field."""
    codes = note.indicator_codes if note else []
    values = {"text": note.text if note else "",
              "more_codes": ", ".join(c for c in codes if c not in person_codes)}
    values.update({f"tag-{c}": "on" if c in codes else "" for c in person_codes})
    return values


def note_from_form(form: dict, person_codes: list[str]) -> NoteWrite:
    """The form's fields as a note (the person's ticked indicators, then the others typed)."""
    typed = [c for c in CODE_SEPARATORS.split(str(form.get("more_codes") or "")) if c]
    codes = [c for c in person_codes if form.get(f"tag-{c}")] + typed
    return parse_form(NoteWrite, {"text": str(form.get("text") or "").replace("\r\n", "\n"),
                                  "indicator_codes": codes})


def _with_fields(errors: list[dict]) -> list[dict]:
    """Each error with the form's field it is about (a code: the field where codes are typed)."""
    for error in errors:
        loc = error.get("loc") or []
        error["field"] = "text" if loc[:1] == ["text"] else "more_codes"
    return errors


# --- the interview's page ------------------------------------------------------------------------

def _interview_page(request: Request, session, access: CycleAccess, interview_id: int, status_code: int = 200,
                    typed: dict | None = None, typed_note: str | None = None, **context):
    rights = access.rights
    require(rights.read_visit_notes())
    cycle = access.cycle
    interview = interview_of(session, cycle, interview_id)
    lang = request_language(request)
    zone = visit_zone(session, cycle)
    iset = get_set(session, cycle.indicator_set_version)
    by_code = iset.by_code()
    person_codes = [c for c in interview.indicator_codes if c in by_code]
    questions: dict[str, list] = {}
    reviewer_names: dict[int, str] = {}
    if rights.read_team_reviews() is True:
        team = reviews_service.team_consolidation(session, rights, cycle)
        reviewer_names = dict(team.consolidation.reviewers)
        questions = {i.code: list(i.questions) for i in team.consolidation.indicators if i.code in person_codes}
    all_notes = notes.interview_notes(session, rights, cycle, interview_id)
    writable = rights.write_notes(list(interview.peers)) is True
    mine = [n for n in all_notes if n.author_id == rights.user.id] if writable else []
    others = [n for n in all_notes if n.author_id != rights.user.id or not writable]
    def values(key: str, note: notes.NoteView | None) -> dict:
        return typed if typed is not None and typed_note == key else note_values(note, person_codes)

    forms: list[tuple[str, notes.NoteView | None, dict]] = [(str(n.id), n, values(str(n.id), n)) for n in mine]
    if writable and not mine:  # an empty form: its first save creates the note
        forms = [("mine", None, values("mine", None))]
    peers = notes.names_of(session, interview.peers)
    return render(
        request, "visit/interview.html", status_code=status_code, cycle=cycle, interview=interview,
        when=when(interview, zone, lang), zone=zone.key, peers=[peers.get(p, "—") for p in interview.peers],
        indicators=[by_code[c] for c in person_codes], questions=questions,
        who_asked=lambda ids: ", ".join(reviewer_names[i] for i in ids if i in reviewer_names),
        forms=forms, others=others, writable=writable, refusal=rights.write_notes(list(interview.peers)),
        all_codes=[i.code for i in iset.indicators], indicator_texts={c: i.text.get(lang) for c, i in by_code.items()},
        signed=lambda n: local_time(n.updated_at, zone, lang), typed_note=typed_note, **context)


@router.get("/cycles/{cycle_id}/interviews/{interview_id}")
def interview_page(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId):
    """Who is met and when, the indicators they were named for with the team's questions,
    then the interview's notes."""
    return _interview_page(request, session, access, interview_id)


def _save_note(request: Request, session, access: CycleAccess, interview_id: int, form: dict,
               write: Callable[[NoteWrite], notes.NoteView], note_key: str):
    """Save a note from its form: the page's script calls it as you type (JSON answer);
    without script the form's Save button posts it and comes back to the note."""
    as_json = "application/json" in request.headers.get("accept", "")
    interview = interview_of(session, access.cycle, interview_id) \
        if access.rights.read_visit_notes() is True else None
    require(access.rights.write_notes(list(interview.peers) if interview else []))
    person_codes = list(interview.indicator_codes) if interview else []

    def save():
        note = write(note_from_form(form, person_codes))
        if not as_json:
            return redirect(f"/cycles/{access.cycle.id}/interviews/{interview_id}#note-{note.id}",
                            Flash(N_("Note saved.")), request)
        return JSONResponse({"version": note.version, "complete": bool(note.text.strip()), "note_id": note.id,
                             "completed": 0, "pillars": {}})

    def refused(status, error, errors):
        errors = _with_fields(errors)
        if as_json:
            body: dict = {"detail": error, "errors": errors}
            if status == 412:
                body.update(_saved_now(request, session, access, interview_id, note_key, form, person_codes))
            return JSONResponse(body, status_code=status)
        typed = None if status == 412 else {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return _interview_page(request, session, access, interview_id, status, typed=typed, typed_note=note_key,
                               error=error, errors=errors)

    return run_form(request, session, save, refused)


def _saved_now(request: Request, session, access: CycleAccess, interview_id: int, note_key: str, form: dict,
               person_codes: list[str]) -> dict:
    """What a save refused as out of date shows: the note as saved now, and when."""
    _ = gettext_for(request_language(request))
    saved = notes.saved_note(session, int(note_key)) if note_key.isdigit() else \
        notes.first_own_note(session, access.cycle, interview_id, access.user)
    detail = _(N_("You saved this note at %(time)s in another tab or window; what is saved now is shown below. "
                  "Your text here is kept: choose which to keep."), time="{time}")
    values = note_values(saved, person_codes)
    differences = []
    if str(form.get("text") or "").replace("\r\n", "\n") != values["text"]:
        differences.append({"label": _(N_("Note")), "text": values["text"]})
    if saved and [c for c in person_codes if form.get(f"tag-{c}")] + \
            [c for c in CODE_SEPARATORS.split(str(form.get("more_codes") or "")) if c] != saved.indicator_codes:
        differences.append({"label": _(N_("Indicators")), "text": ", ".join(saved.indicator_codes)})
    return {"detail": detail, "saved_at": saved.updated_at.isoformat() if saved else None,
            "current": {"version": saved.version if saved else 0, **values}, "differences": differences}


# Before ``…/notes/{note_id}``, which would take "mine" and "new" for a note's id.
@router.post("/cycles/{cycle_id}/interviews/{interview_id}/notes/mine")
def save_first_note(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId,
                    form: FormFields):
    """The caller's first note of the interview (created by its first save)."""
    version = expected_version(str(form.get("version") or "") or None)
    return _save_note(request, session, access, interview_id, form, lambda data: notes.write_first_note(
        session, access.rights, access.cycle, interview_id, data, version), "mine")


@router.post("/cycles/{cycle_id}/interviews/{interview_id}/notes/new")
def new_note(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId):
    """Another, empty note of the caller's, to write in at once."""
    interview = interview_of(session, access.cycle, interview_id) \
        if access.rights.read_visit_notes() is True else None
    require(access.rights.write_notes(list(interview.peers) if interview else []))

    def add():
        note = notes.add_note(session, access.rights, access.cycle, interview_id, NoteWrite())
        return redirect(f"/cycles/{access.cycle.id}/interviews/{interview_id}#note-{note.id}",
                        Flash(N_("A new note is ready below: write in it, it is saved as you type.")), request)

    return run_form(request, session, add, lambda status, error, errors: _interview_page(
        request, session, access, interview_id, status, error=error, errors=errors))


@router.post("/cycles/{cycle_id}/interviews/{interview_id}/notes/{note_id}")
def save_note(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId, note_id: PathId,
              form: FormFields):
    """One of the caller's notes."""
    version = expected_version(str(form.get("version") or "") or None)
    return _save_note(request, session, access, interview_id, form, lambda data: notes.write_note(
        session, access.rights, access.cycle, interview_id, note_id, data, version), str(note_id))


# --- the cycle's interviews and notes by indicator --------------------------------------------------

@router.get("/cycles/{cycle_id}/notes")
def notes_page(request: Request, session: SessionDep, access: PageCycle, indicator: str = ""):
    """Every interview with its notes' count, and the notes by indicator (``?indicator=CODE``:
    that indicator's notes in full)."""
    rights = access.rights
    require(rights.read_visit_notes())
    cycle = access.cycle
    lang = request_language(request)
    zone = visit_zone(session, cycle)
    iset = get_set(session, cycle.indicator_set_version)
    code = indicator.strip().upper()
    everything = notes.notes_for(session, cycle)
    by_indicator = notes.notes_by_indicator(everything)
    counts: dict[int, int] = {}
    for note in everything:
        counts[note.interview_id] = counts.get(note.interview_id, 0) + 1
    interviews = interviews_of(session, cycle)
    people = notes.names_of(session, {p for i in interviews for p in i.peers})
    return render(
        request, "visit/notes.html", cycle=cycle, zone=zone.key, interviews=interviews, counts=counts,
        when=lambda i: when(i, zone, lang), peer_names=lambda i: ", ".join(people.get(p, "—") for p in i.peers),
        indicators=iset.indicators, by_indicator=by_indicator, code=code if code in iset.by_code() else "",
        unknown_code=indicator if indicator and code not in iset.by_code() else "",
        signed=lambda n: local_time(n.updated_at, zone, lang), me=id_of(rights.user))


# --- on the cycle page and on My cycles ------------------------------------------------------------

def _visit_panel(session, access: CycleAccess) -> dict | None:
    """The visit's notes and hypotheses on the cycle page, for the team (and coordinators,
    who read them), from the visit on."""
    rights = access.rights
    if rights.phase.order < Phase.VISIT.order or rights.read_visit_notes() is not True:
        return None
    cycle_id = id_of(access.cycle)
    mine = notes.own_interviews(session, rights.user, [cycle_id])[cycle_id] if rights.is_team else []
    written = notes.own_notes_count(session, rights.user, [cycle_id]).get(cycle_id, 0)
    still, total = hypotheses.own_open_counts(session, rights.user, [cycle_id])[cycle_id] \
        if rights.is_team else (0, 0)
    zone = visit_zone(session, access.cycle)
    return {"interviews": mine, "written": written, "open": still, "total": total,
            "zone": zone, "when": when, "writing": rights.phase == Phase.VISIT and rights.is_team}


register_panel(Phase.VISIT.order, "visit/notes_panel.html", _visit_panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles, during the visit, for the team: their interviews' notes and the
    hypotheses they still have to settle."""
    ids = [id_of(v.cycle) for v in views if v.my_role in (CycleRole.PEER, CycleRole.TEAM_LEADER)
           and v.cycle.phase == Phase.VISIT]
    interviews = notes.own_interviews(session, user, ids)
    still = hypotheses.own_open_counts(session, user, ids)
    out: dict[int, list[tuple[str, str]]] = {}
    for cycle_id in ids:
        steps = []
        if interviews.get(cycle_id):
            steps.append((_(N_("My interviews and their notes (%(n)s)"), n=len(interviews[cycle_id])),
                          f"/cycles/{cycle_id}/notes"))
        if still.get(cycle_id, (0, 0))[0]:
            steps.append((_(N_("Settle my hypotheses — %(n)s still open"), n=still[cycle_id][0]),
                          f"/cycles/{cycle_id}/hypotheses"))
        if steps:
            out[cycle_id] = steps
    return out


register_next_steps(_next_steps)


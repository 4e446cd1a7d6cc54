"""The visit programme's pages: the programme at a glance (a lane per reviewer and day),
generating it, editing an interview or adding one, and the printable agendas.

The interview's own page (its notes) is ``notes_pages.py``. Who may do what is
:class:`CycleRights` (``read_programme``, ``edit_programme``), asked before anything is shown.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request

from benchmark.scales import CycleRole, Phase

from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import InvalidInput
from app.etag import expected_version
from app.i18n import N_
from app.ids import PathId, id_of
from app.indicators.service import get_set
from app.people.tables import City
from app.visit import programme
from app.visit.programme import UNSCHEDULED_REASONS, ProgrammeView, label_of, minutes_of
from app.visit.schemas import DAYS_MAX, InterviewChange, InterviewWrite, ProgrammeGenerate
from app.visit.tables import Interview
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()
DAY_FIELDS = 5  # date fields on the generation form (the API takes up to 10 days)


def _url(access: CycleAccess, tail: str = "") -> str:
    return f"/cycles/{access.cycle.id}/programme{tail}"


@dataclass
class Block:
    """An interview drawn on a reviewer's lane: where it starts and how wide, in % of the day."""

    interview: Interview
    left: float
    width: float
    start: datetime
    end: datetime


def _lanes(view: ProgrammeView, day: date) -> tuple[list[tuple[Any, list[Block]]], list[tuple[float, str]]]:
    """Per reviewer, their interviews of ``day`` placed on the day's span; and the hours to mark."""
    frame = view.frame
    first = time.fromisoformat(frame.day_start) if frame else time(9)
    last = time.fromisoformat(frame.day_end) if frame else time(17, 30)
    todays = view.on(day)
    starts = [view.local(i.starts_at) for i in todays]
    ends = [view.local(i.ends_at) for i in todays]
    span_start = min([datetime.combine(day, first, view.zone), *starts])
    span_end = max([datetime.combine(day, last, view.zone), *(e for e in ends if e.date() == day)])
    span = max((span_end - span_start).total_seconds(), 3600)
    lanes = []
    for peer_id, peer in view.reviewers.items():
        blocks = []
        for i in view.on(day, peer_id):
            start, end = view.local(i.starts_at), min(view.local(i.ends_at), span_end)
            blocks.append(Block(i, 100 * (start - span_start).total_seconds() / span,
                                100 * (end - start).total_seconds() / span, start, view.local(i.ends_at)))
        lanes.append((peer, blocks))
    hours = []
    moment = span_start.replace(minute=0) + (timedelta(hours=1) if span_start.minute else timedelta())
    while moment <= span_end:
        hours.append((100 * (moment - span_start).total_seconds() / span, f"{moment:%H}h"))
        moment += timedelta(hours=1)
    return lanes, hours


def _context(session, access: CycleAccess, view: ProgrammeView, lang: str) -> dict[str, Any]:
    rights = access.rights
    may_edit = programme.edit_answer(session, rights, access.cycle) is True
    load = view.load()
    most = max(load.values(), default=0) or 1
    iset = get_set(session, access.cycle.indicator_set_version)
    city = session.get(City, access.cycle.host_city_id)
    noted = programme.with_notes(session, access.cycle) if may_edit else set()
    return {
        "cycle": access.cycle, "view": view, "city": city.name if city else "", "days": view.days(),
        "lanes": lambda day: _lanes(view, day), "may_edit": may_edit,
        "waiting": rights.edit_programme() is True and not may_edit,
        "load": [(view.reviewers[p], m) for p, m in load.items()], "most": most,
        "reasons": UNSCHEDULED_REASONS, "label_of": label_of, "minutes_of": minutes_of,
        "names": lambda ids: ", ".join(view.reviewers[i].full_name for i in ids if i in view.reviewers),
        "texts": {i.code: i.text.get(lang) for i in iset.indicators},
        "me": id_of(access.user) if id_of(access.user) in view.reviewers else None,
        "may_read_notes": rights.read_visit_notes() is True,
        # what generating again would replace: the generated interviews that hold no notes
        "replaceable": len([i for i in view.interviews if i.origin == "generated" and i.id not in noted]),
    }


def _generation_values(view: ProgrammeView) -> dict[str, str]:
    frame = view.frame
    values = {"day_start": "09:00", "day_end": "17:30", "lunch_start": "12:30", "lunch_minutes": "60",
              "travel_minutes": "0"}
    if frame:
        values.update(day_start=frame.day_start, day_end=frame.day_end, lunch_start=frame.lunch_start or "",
                      lunch_minutes=str(frame.lunch_minutes), travel_minutes=str(frame.travel_minutes))
        values.update({f"day-{n}": d for n, d in enumerate(frame.days)})
    return values


def _page(request: Request, session, access: CycleAccess, status_code: int = 200, **extra):
    view = programme.programme(session, access.rights, access.cycle)
    lang = request.state.lang
    return render(request, "visit/programme.html", status_code=status_code,
                  values=extra.pop("values", None) or _generation_values(view), day_fields=DAY_FIELDS,
                  **_context(session, access, view, lang), **extra)


@router.get("/cycles/{cycle_id}/programme")
def programme_page(request: Request, session: SessionDep, access: PageCycle):
    """The programme at a glance: per day, a lane per reviewer; who could not be fitted;
    each reviewer's load; the calendar and the printable agendas."""
    return _page(request, session, access)


def _generation(form: dict[str, Any]) -> ProgrammeGenerate:
    days = [form[f"day-{n}"] for n in range(DAYS_MAX) if form.get(f"day-{n}")]
    data: dict[str, Any] = {"days": days, "day_start": form.get("day_start") or "09:00",
                            "day_end": form.get("day_end") or "17:30",
                            "lunch_start": form.get("lunch_start") or None,
                            "lunch_minutes": form.get("lunch_minutes") or 60,
                            "travel_minutes": form.get("travel_minutes") or 0}
    return parse_form(ProgrammeGenerate, data)


@router.post("/cycles/{cycle_id}/programme/generate")
def generate(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    require(access.rights.edit_programme())

    def do_generate():
        if programme.load_programme(session, access.cycle).interviews and not form.get("confirm"):
            raise InvalidInput(N_("Generating again replaces the generated interviews: tick the box to confirm."))
        view = programme.generate(session, access.rights, access.cycle, _generation(form))
        left_out = len(view.frame.unscheduled) if view.frame else 0
        message = (N_("The programme is ready: %(count)s interviews; %(left)s people could not be fitted (see why "
                      "below).") if left_out else N_("The programme is ready: %(count)s interviews, everyone fitted."))
        return redirect(_url(access), Flash(message, count=len(view.interviews), left=left_out), request)

    def show_refusal(status: int, error: str, errors: list):
        return _page(request, session, access, status, error=error, errors=errors, values=form, open_form=True)

    return run_form(request, session, do_generate, show_refusal)


# --- one interview, by hand -----------------------------------------------------------------

def _interview_values(view: ProgrammeView, row: Interview | None, kind: str) -> dict[str, Any]:
    if row is None:
        first = view.days()[0] if view.days() else date.today()
        return {"kind": kind, "date": first.isoformat(), "time": "09:00", "minutes": "120" if kind == "workshop"
                else "60", "people": "", "title": "", "location": "", "codes": ""}
    start = view.local(row.starts_at)
    return {"kind": row.kind, "date": start.date().isoformat(), "time": f"{start:%H:%M}",
            "minutes": str(minutes_of(row)), "title": row.title, "location": row.location,
            "people": "\n".join(" ; ".join(x for x in (p.get("name", ""), p.get("role", ""),
                                                         p.get("organisation", "")) if x)
                                for p in row.interviewees),
            "codes": " ".join(row.indicator_codes), "interpreter": "on" if row.interpreter else "",
            **{f"peer-{p}": "on" for p in row.peers}}


def _interview_form(form: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as the API's body: one person per line, "name ; role ; organisation"."""
    people = []
    for line in (form.get("people") or "").splitlines():
        parts = [p.strip() for p in line.split(";")]
        if parts and parts[0]:
            people.append({"name": parts[0], "role": parts[1] if len(parts) > 1 else "",
                           "organisation": "; ".join(parts[2:]) if len(parts) > 2 else ""})
    when = f"{form.get('date') or ''}T{form.get('time') or ''}"
    peers = [int(k[5:]) for k in form if k.startswith("peer-") and k[5:].isdigit()]
    return {"title": form.get("title") or "", "interviewees": people, "peers": peers,
            "starts_at": when, "minutes": form.get("minutes") or 60, "interpreter": bool(form.get("interpreter")),
            "indicator_codes": (form.get("codes") or "").replace(",", " ").split(),
            "location": form.get("location") or ""}


def _interview_page(request: Request, session, access: CycleAccess, row: Interview | None, kind: str,
                    status_code: int = 200, **extra):
    view = programme.programme(session, access.rights, access.cycle)
    return render(request, "visit/interview_form.html", status_code=status_code, cycle=access.cycle, view=view,
                  row=row, kind=row.kind if row else kind,
                  values=extra.pop("values", None) or _interview_values(view, row, kind), label_of=label_of, **extra)


@router.get("/cycles/{cycle_id}/programme/new")
def new_interview_page(request: Request, session: SessionDep, access: PageCycle, kind: str = "interview"):
    """Add an interview or a workshop (several people, several reviewers, a longer slot) by hand."""
    require(access.rights.edit_programme())
    return _interview_page(request, session, access, None, "workshop" if kind == "workshop" else "interview")


@router.post("/cycles/{cycle_id}/programme/new")
def add_interview(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    require(access.rights.edit_programme())
    kind = "workshop" if form.get("kind") == "workshop" else "interview"

    def do_add():
        row = programme.add_interview(session, access.rights, access.cycle,
                                      parse_form(InterviewWrite, {"kind": kind, **_interview_form(form)}))
        return redirect(_url(access), Flash(N_("Added to the programme: %(name)s."), name=label_of(row)), request)

    def show_refusal(status: int, error: str, errors: list):
        return _interview_page(request, session, access, None, kind, status, error=error, errors=errors,
                               values=form)

    return run_form(request, session, do_add, show_refusal)


@router.get("/cycles/{cycle_id}/programme/interviews/{interview_id}/edit")
def edit_interview_page(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId):
    """Move an interview, change its length or place, swap a reviewer; or take it out."""
    require(access.rights.edit_programme())
    row = programme.interview(session, access.rights, access.cycle, interview_id)
    return _interview_page(request, session, access, row, row.kind)


@router.post("/cycles/{cycle_id}/programme/interviews/{interview_id}/edit")
def edit_interview(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId,
                   form: FormFields):
    require(access.rights.edit_programme())
    row = programme.interview(session, access.rights, access.cycle, interview_id)

    def do_edit():
        changed = programme.change_interview(session, access.rights, access.cycle, interview_id,
                                             parse_form(InterviewChange, _interview_form(form)),
                                             expected_version(form.get("version")))
        return redirect(_url(access), Flash(N_("Saved: %(name)s."), name=label_of(changed)), request)

    def show_refusal(status: int, error: str, errors: list):
        return _interview_page(request, session, access, row, row.kind, status, error=error, errors=errors,
                               values=form)

    return run_form(request, session, do_edit, show_refusal)


@router.post("/cycles/{cycle_id}/programme/interviews/{interview_id}/delete")
def delete_interview(request: Request, session: SessionDep, access: PageCycle, interview_id: PathId,
                     form: FormFields):
    require(access.rights.edit_programme())
    row = programme.interview(session, access.rights, access.cycle, interview_id)
    name = label_of(row)

    def do_delete():
        programme.delete_interview(session, access.rights, access.cycle, interview_id,
                                   expected_version(form.get("version")))
        return redirect(_url(access), Flash(N_("Taken out of the programme: %(name)s."), name=name), request)

    def show_refusal(status: int, error: str, errors: list):
        return _interview_page(request, session, access, row, row.kind, status, error=error, errors=errors)

    return run_form(request, session, do_delete, show_refusal)


# --- printable agendas ------------------------------------------------------------------------

@router.get("/cycles/{cycle_id}/programme/agenda")
def agenda_page(request: Request, session: SessionDep, access: PageCycle, day: date | None = None,
                peer: int | None = None):
    """A printable agenda: the whole programme, one day's, or one reviewer's (``?day=``, ``?peer=``)."""
    view = programme.programme(session, access.rights, access.cycle)
    days = [d for d in view.days() if day is None or d == day]
    if peer is not None and peer not in view.reviewers:
        raise InvalidInput(N_("%(id)s is not a reviewer of this cycle."), id=peer)
    city = session.get(City, access.cycle.host_city_id)
    return render(request, "visit/agenda.html", cycle=access.cycle, view=view, city=city.name if city else "",
                  days=[(d, view.on(d, peer)) for d in days], peer=view.reviewers.get(peer) if peer else None,
                  day=day, label_of=label_of, minutes_of=minutes_of,
                  names=lambda ids: ", ".join(view.reviewers[i].full_name for i in ids if i in view.reviewers))


# --- on the cycle page and My cycles ----------------------------------------------------------

def _panel(session, access: CycleAccess) -> dict | None:
    """The visit programme on the cycle page, for whoever may read it, from the preparatory review on."""
    rights = access.rights
    if rights.phase.order < Phase.PREPARATORY_REVIEW.order or rights.read_programme() is not True:
        return None
    view = programme.load_programme(session, access.cycle)
    if not view.interviews and rights.edit_programme() is not True:
        return None
    me = id_of(access.user)
    mine = [i for i in view.interviews if me in i.peers]
    return {"view": view, "mine": mine, "count": len(view.interviews),
            "unscheduled": len(view.frame.unscheduled) if view.frame else 0,
            "may_edit": rights.edit_programme() is True, "label_of": label_of}


register_panel(Phase.VISIT.order, "visit/programme_panel.html", _panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles, the team leader's cycles whose programme is to build."""
    steps: dict[int, list[tuple[str, str]]] = {}
    for v in views:
        if v.my_role == CycleRole.TEAM_LEADER and v.cycle.phase in (Phase.PREPARATORY_REVIEW, Phase.VISIT):
            steps[id_of(v.cycle)] = [(_(N_("Open the visit programme")), f"/cycles/{v.cycle.id}/programme")]
    return steps


register_next_steps(_next_steps)

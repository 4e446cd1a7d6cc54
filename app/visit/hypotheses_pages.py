"""The hypotheses' page: a reviewer's hypotheses, each with its three lines, where it
stands (confirmed, refuted, still open), the notes that settled it and a comment; saved
as they are changed. Each reviewer settles their own, the team leader anyone's; the rest
of the team and coordinators read them."""
import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from benchmark.indicators import Indicator

from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.db import SessionDep
from app.errors import field_error, request_language
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.ids import PathId, id_of
from app.indicators.service import get_set
from app.visit import hypotheses, notes
from app.visit.hypotheses import STATE_ICONS, STATE_LABELS, HypothesisView
from app.visit.notes_pages import local_time
from app.visit.notes_schemas import HypothesisWrite
from app.visit.programme import interviews_of, visit_zone
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()

NOTE_FIELD = re.compile(r"^note-(\d+)$")
SEPARATORS = re.compile(r"[\s,;#]+")


def hypothesis_values(view: HypothesisView) -> dict[str, str]:
    """A hypothesis' state as its form holds it (``note-N`` ticked for each note cited)."""
    return {"state": view.state, "comment": view.comment, "other_notes": "",
            **{f"note-{n}": "on" for n in view.note_ids}}


def hypothesis_from_form(form: dict) -> HypothesisWrite:
    """The form's fields as a state: the notes ticked, then those typed by number."""
    ticked = [int(m[1]) for key, value in form.items() if value and (m := NOTE_FIELD.match(key))]
    typed = [part for part in SEPARATORS.split(str(form.get("other_notes") or "")) if part]
    if any(not part.isdigit() for part in typed):
        raise field_error(["other_notes"], N_("Type notes by their numbers, such as 12, 15."))
    return parse_form(HypothesisWrite, {"state": form.get("state") or "open",
                                        "note_ids": ticked + [int(p) for p in typed],
                                        "comment": str(form.get("comment") or "").replace("\r\n", "\n")})


def _with_fields(errors: list[dict]) -> list[dict]:
    for error in errors:
        loc = error.get("loc") or []
        name = loc[0] if loc else ""
        error["field"] = "other_notes" if name in ("note_ids", "other_notes") else name
    return errors


@dataclass
class Card:
    """One hypothesis on the page, with the notes offered to cite: those tagged to its
    indicator first, then those of interviews named for it, then any other it cites."""

    hypothesis: HypothesisView
    indicator: Indicator
    values: dict[str, str]
    candidates: list[notes.NoteView]


def _candidates(code: str, all_notes: list[notes.NoteView], interview_codes: dict[int, list[str]],
                cited: list[int]) -> list[notes.NoteView]:
    tagged = [n for n in all_notes if code in n.indicator_codes]
    seen = {n.id for n in tagged}
    related = [n for n in all_notes if n.id not in seen and code in interview_codes.get(n.interview_id, [])]
    seen |= {n.id for n in related}
    return tagged + related + [n for n in all_notes if n.id in cited and n.id not in seen]


def _page(request: Request, session, access: CycleAccess, reviewer: int | None, status_code: int = 200,
          typed: dict | None = None, typed_code: str | None = None, **context):
    rights = access.rights
    require(rights.read_visit_notes())
    cycle = access.cycle
    lang = request_language(request)
    by_code = hypotheses.hypotheses_by_indicator(session, cycle)
    per_reviewer: dict[int, list[HypothesisView]] = {}
    for views in by_code.values():
        for view in views:
            per_reviewer.setdefault(view.reviewer_id, []).append(view)
    me = id_of(rights.user)
    chosen = reviewer if reviewer in per_reviewer else (me if me in per_reviewer else next(iter(per_reviewer), None))
    shown = per_reviewer.get(chosen, []) if chosen is not None else []
    all_notes = notes.notes_for(session, cycle)
    interview_codes = {id_of(i): list(i.indicator_codes) for i in interviews_of(session, cycle)}
    indicators = get_set(session, cycle.indicator_set_version).by_code()
    cards = [Card(h, indicators[h.indicator_code],
                  typed if typed is not None and typed_code == h.indicator_code else hypothesis_values(h),
                  _candidates(h.indicator_code, all_notes, interview_codes, h.note_ids)) for h in shown]
    settling = rights.check_hypothesis(chosen) if chosen is not None else None
    zone = visit_zone(session, cycle)
    team = [h for views in by_code.values() for h in views]
    return render(
        request, "visit/hypotheses.html", status_code=status_code, cycle=cycle, cards=cards,
        reviewers=[(rid, views[0].reviewer_name, sum(v.settled for v in views), len(views))
                   for rid, views in per_reviewer.items()],
        chosen=chosen, chosen_name=shown[0].reviewer_name if shown else "", mine=chosen == me,
        settled=sum(h.settled for h in shown), writable=settling is True,
        refusal=settling if settling is not None and settling is not True else None,
        team_counts=hypotheses.state_counts(team), states=hypotheses.STATES, state_labels=STATE_LABELS,
        icons=STATE_ICONS, notes_by_id={n.id: n for n in all_notes},
        signed=lambda n: local_time(n.updated_at, zone, lang),
        changed=lambda h: local_time(h.updated_at, zone, lang) if h.updated_at else "",
        typed_code=typed_code, **context)


@router.get("/cycles/{cycle_id}/hypotheses")
def hypotheses_page(request: Request, session: SessionDep, access: PageCycle, reviewer: str = ""):
    """``?reviewer=ID``: that reviewer's hypotheses (default: one's own)."""
    return _page(request, session, access, int(reviewer) if reviewer.isdigit() and len(reviewer) < 10 else None)


@router.post("/cycles/{cycle_id}/hypotheses/{reviewer_id}/{code}")
def save_hypothesis(request: Request, session: SessionDep, access: PageCycle, reviewer_id: PathId, code: str,
                    form: FormFields):
    """Save where one hypothesis stands: the page's script calls it as it is changed (JSON
    answer); without script the card's Save button posts it and comes back to the card."""
    as_json = "application/json" in request.headers.get("accept", "")
    require(access.rights.check_hypothesis(reviewer_id))
    version = expected_version(str(form.get("version") or "") or None)

    def save():
        view = hypotheses.settle(session, access.rights, access.cycle, reviewer_id, code,
                                 hypothesis_from_form(form), version)
        if not as_json:
            return redirect(f"/cycles/{access.cycle.id}/hypotheses?reviewer={reviewer_id}#h-{code}",
                            Flash(N_("%(name)s's hypothesis on %(code)s: %(state)s."), name=view.reviewer_name,
                                  code=code, state=STATE_LABELS[view.state], translate=("state",)), request)
        views = [v for vs in hypotheses.hypotheses_by_indicator(session, access.cycle, [reviewer_id]).values()
                 for v in vs]
        return JSONResponse({"version": view.version, "complete": view.settled,
                             "completed": sum(v.settled for v in views), "total": len(views), "pillars": {}})

    def refused(status, error, errors):
        errors = _with_fields(errors)
        if as_json:
            body: dict = {"detail": error, "errors": errors}
            if status == 412:
                body.update(_saved_now(request, session, access, reviewer_id, code, form))
            return JSONResponse(body, status_code=status)
        typed = None if status == 412 else {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return _page(request, session, access, reviewer_id, status, typed=typed, typed_code=code, error=error,
                     errors=errors)

    return run_form(request, session, save, refused)


def _saved_now(request: Request, session, access: CycleAccess, reviewer_id: int, code: str, form: dict) -> dict:
    _ = gettext_for(request_language(request))
    views = hypotheses.hypotheses_by_indicator(session, access.cycle, [reviewer_id]).get(code, [])
    if not views:
        return {}
    saved = views[0]
    detail = _(N_("This hypothesis was saved at %(time)s by %(name)s, in another tab or window; what is saved now is "
                  "shown below. Your choice here is kept: choose which to keep."), time="{time}",
               name=saved.updated_by or "—")
    differences = []
    if (form.get("state") or "open") != saved.state:
        differences.append({"label": _(N_("Where it stands")), "text": _(STATE_LABELS[saved.state])})
    if str(form.get("comment") or "").replace("\r\n", "\n").strip() != saved.comment:
        differences.append({"label": _(N_("Comment")), "text": saved.comment})
    # Every note's box named, so that taking the saved version also unticks what it does not cite.
    boxes = {f"note-{n.id}": "" for n in notes.notes_for(session, access.cycle)}
    return {"detail": detail, "saved_at": saved.updated_at.isoformat() if saved.updated_at else None,
            "current": {"version": saved.version, **boxes, **hypothesis_values(saved)}, "differences": differences}

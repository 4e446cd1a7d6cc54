"""The final judgements on their pages: the overview (progress, the picture by pillar ×
dimension, the departures from the peers' majority, the list) and one indicator's page
(everything the team found about it beside the team leader's form, saved as you type);
the visit's panel on the cycle page and the team leader's next step on My cycles.

Who reads and who writes is :class:`CycleRights` (``read_visit_notes``, ``judge``): the
rest of the team reads the same pages without the form.
"""
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlmodel import select

from benchmark.scales import CycleRole, Performance, Phase

from app import labels
from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import InvalidInput, request_language
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.indicators.service import get_set
from app.labels import PERFORMANCE_SIGNS
from app.reviews.service import TeamConsolidation, team_consolidation
from app.self_assessment import service as report_service
from app.self_assessment.pages import is_document, link_host
from app.self_assessment.schemas import EntryPublic
from app.visit import judgements
from app.visit.judgements_schemas import JudgementWrite
from app.visit.tables import FinalJudgement
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()

PERFORMANCE_KEYS = [p.value for p in Performance]
#: Where a reviewer's hypothesis stands after the interviews.
HYPOTHESIS_STATES = {"open": N_("still open"), "confirmed": N_("confirmed"), "refuted": N_("refuted")}
#: The overview's list: all, the indicators still to judge, the departures from the majority.
SHOWS = ("all", "unjudged", "departures")


def _url(access: CycleAccess, tail: str = "") -> str:
    return f"/cycles/{access.cycle.id}/judgements{tail}"


# --- the overview ----------------------------------------------------------------------------------

@router.get("/cycles/{cycle_id}/judgements")
def judgements_page(request: Request, session: SessionDep, access: PageCycle, show: str = "all"):
    """Progress, the final judgements by pillar × dimension, the departures from the peers'
    majority, and the indicators (``?show=unjudged`` or ``departures`` for those only)."""
    require(access.rights.read_visit_notes())
    team = team_consolidation(session, access.rights, access.cycle)
    found = judgements.assessment(session, access.rights, access.cycle, team)
    show = show if show in SHOWS else "all"
    listed = {"all": found.entries, "unjudged": found.unjudged(), "departures": found.departures()}[show]
    unjudged = found.unjudged()
    return render(request, "visit/judgements.html", cycle=access.cycle, a=found, show=show, listed=listed,
                  next_unjudged=unjudged[0] if unjudged else None, can_judge=access.rights.judge() is True,
                  keys=PERFORMANCE_KEYS, signs=PERFORMANCE_SIGNS, reviews=len(team.reviews))


# --- one indicator ----------------------------------------------------------------------------------

@dataclass
class ReviewerView:
    """One reviewer's preliminary judgement of the indicator, their hypothesis and where it stands."""

    name: str
    role: str | None
    performance: str | None
    known: str
    unknown: str
    suspected: str
    state: str | None  # None: no hypothesis written, nothing checked
    comment: str
    note_ids: list[int]


def _reviewers(team: TeamConsolidation, evidence: judgements.VisitEvidence, code: str) -> list[ReviewerView]:
    out = []
    for review in team.reviews:
        entry = review.entries.get(code)
        reviewer_id = review.reviewer.id or 0
        known, unknown, suspected = (entry.known, entry.unknown, entry.suspected) if entry else ("", "", "")
        check = evidence.checks.get(reviewer_id)
        has_hypothesis = bool(known or unknown or suspected) or check is not None
        out.append(ReviewerView(review.reviewer.full_name, review.role.value if review.role else None,
                                entry.performance if entry else None, known, unknown, suspected,
                                evidence.state(reviewer_id) if has_hypothesis else None,
                                check.comment if check else "", list(check.note_ids) if check else []))
    return out


def form_values(entry: judgements.JudgementEntry) -> dict[str, str]:
    return {"performance": entry.performance or "", "rationale": entry.rationale}


def judgement_context(team: TeamConsolidation, found: judgements.Assessment, code: str, host: EntryPublic | None,
                      evidence: judgements.VisitEvidence, can_judge: bool,
                      typed: dict | None = None) -> dict[str, Any]:
    """What one indicator's page shows, from what is loaded (no database): the form holds
    ``typed`` (what was sent in a save that was refused) rather than what is saved."""
    entry = found.by_code[code]
    previous, following, next_unjudged = found.neighbours(code)
    consolidated = next(i for i in team.consolidation.indicators if i.code == code)
    return {"ind": entry.indicator, "entry": entry, "a": found, "previous": previous, "following": following,
            "next_unjudged": next_unjudged, "host": host, "card": {"host": host}, "is_document": is_document,
            "link_host": link_host, "reviewers": _reviewers(team, evidence, code), "notes": evidence.notes,
            "interviews": evidence.by_interview(),
            "note_numbers": {n.id: i + 1 for i, n in enumerate(evidence.notes)}, "counts": consolidated.counts,
            "majority": consolidated.majority.value if consolidated.majority else None,
            "values": {k: str(v) for k, v in typed.items()} if typed is not None else form_values(entry),
            "can_judge": can_judge, "keys": PERFORMANCE_KEYS, "signs": PERFORMANCE_SIGNS, "states": HYPOTHESIS_STATES}


def _page(request: Request, session, access: CycleAccess, code: str, status_code: int = 200,
          typed: dict | None = None, **context):
    """One indicator's page: the form for the team leader while they may judge, read-only
    for everyone else who may read the judgements (a fixed number of queries)."""
    judgements.indicator_of(session, access.cycle, code)
    require(access.rights.read_visit_notes())
    team = team_consolidation(session, access.rights, access.cycle)
    found = judgements.assessment(session, access.rights, access.cycle, team)
    host = report_service.saved_entry(session, access.cycle, code).entry \
        if access.rights.read_self_assessment() is True else None
    evidence = judgements.visit_evidence(session, access.cycle, code)
    return render(request, "visit/judgement.html", status_code=status_code, cycle=access.cycle,
                  **judgement_context(team, found, code, host, evidence, access.rights.judge() is True, typed),
                  **context)


@router.get("/cycles/{cycle_id}/judgements/{code}")
def judgement_page(request: Request, session: SessionDep, access: PageCycle, code: str):
    """The host's self-rating, each reviewer's preliminary judgement and hypothesis, the
    interview notes tagged to the indicator; then the final judgement."""
    return _page(request, session, access, code)


def judgement_from_form(form: dict) -> JudgementWrite:
    """The form's fields as a judgement; each refused field's error names the form's field."""
    data: dict[str, Any] = {"rationale": (form.get("rationale") or "").replace("\r\n", "\n")}
    if form.get("performance"):
        data["performance"] = form["performance"]
    try:
        return parse_form(JudgementWrite, data)
    except InvalidInput as exc:
        for error in exc.extra.get("errors", []):
            if error["loc"]:
                error["field"] = error["loc"][0]
        raise


@router.post("/cycles/{cycle_id}/judgements/{code}")
def save_judgement(request: Request, session: SessionDep, access: PageCycle, code: str, form: FormFields):
    """Save the final judgement of one indicator. The page's script calls it as you type
    (autosave, JSON answer); without script the form's Save button posts it and the page
    comes back with a message."""
    as_json = "application/json" in request.headers.get("accept", "")
    judgements.indicator_of(session, access.cycle, code)
    # Who may not judge gets the error page (or problem), whatever they sent, never the form.
    require(access.rights.judge())

    def save():
        data = judgement_from_form(form)
        entry = judgements.write_judgement(session, access.rights, access.cycle, code, data,
                                           expected_version(form.get("version") or None))
        if not as_json:
            return redirect(_url(access, f"/{code}"), Flash(N_("%(code)s: final judgement saved."), code=code),
                            request)
        return JSONResponse({"version": entry.version, "complete": True, "performance": entry.performance,
                             "majority": entry.majority, "departs_from_majority": entry.departs_from_majority,
                             **_progress(session, access)})

    def refused(status, error, errors):
        if as_json:
            body: dict = {"detail": error, "errors": errors}
            if status == 412:
                body.update(_saved_now(request, session, access, code, form))
            return JSONResponse(body, status_code=status)
        typed = None if status == 412 else {k: v for k, v in form.items() if k != "csrf_token"}
        return _page(request, session, access, code, status, typed=typed, error=error, errors=errors)

    return run_form(request, session, save, refused)


def _progress(session, access: CycleAccess) -> dict[str, Any]:
    """What the page's progress shows after a save (``autosave.js`` reads these keys)."""
    done = set(session.exec(select(FinalJudgement.indicator_code).where(
        FinalJudgement.cycle_id == access.cycle.id)).all())
    indicators = get_set(session, access.cycle.indicator_set_version).indicators
    pillars: dict[str, list[int]] = {}
    for ind in indicators:
        counts = pillars.setdefault(ind.pillar.value, [0, 0])
        counts[0] += ind.code in done
        counts[1] += 1
    return {"completed": sum(1 for i in indicators if i.code in done), "total": len(indicators), "pillars": pillars}


def _saved_now(request: Request, session, access: CycleAccess, code: str, form: dict) -> dict:
    """What is saved now, for a save refused because it changed meanwhile (412)."""
    entry = next(e for e in judgements.judgement_entries(session, access.cycle) if e.code == code)
    _ = gettext_for(request_language(request))
    detail = _(N_("This final judgement was saved at %(time)s in another tab or window; what is saved now is shown "
                  "below. Your text here is kept: choose which to keep."), time="{time}")
    differences = []

    def label(name: str) -> str:  # (a name apart: a literal inside _() would be extracted as a text)
        return str(_(labels.FIELDS[name]))

    if (form.get("performance") or "") != (entry.performance or ""):
        differences.append({"label": label("performance"),
                            "text": _(labels.PERFORMANCES[entry.performance]) if entry.performance
                            else _(N_("not yet judged"))})
    if (form.get("rationale") or "").replace("\r\n", "\n").strip() != entry.rationale:
        differences.append({"label": label("rationale"), "text": entry.rationale})
    return {"detail": detail, "saved_at": entry.updated_at.isoformat() if entry.updated_at else None,
            "current": {"version": entry.version, **form_values(entry)}, "differences": differences}


# --- on the cycle page and on My cycles ----------------------------------------------------------

def _cycle_panel(session, access: CycleAccess) -> dict | None:
    """The final judgements on the cycle page, from the visit on, for those who may read them."""
    rights = access.rights
    if rights.phase.order < Phase.VISIT.order or rights.read_visit_notes() is not True:
        return None
    return {"judged": judgements.judged_counts(session, [access.cycle])[access.cycle.id or 0],
            "total": len(get_set(session, access.cycle.indicator_set_version).indicators),
            "can_judge": rights.judge() is True}


register_panel(Phase.VISIT.order, "visit/judgements_panel.html", _cycle_panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles, the team leader's cycles in their visit: "Settle the final judgements — 12 of 73"."""
    mine = [v.cycle for v in views if v.my_role == CycleRole.TEAM_LEADER and v.cycle.phase == Phase.VISIT]
    counts = judgements.judged_counts(session, mine)
    return {cycle.id: [(_(N_("Settle the final judgements — %(judged)s of %(total)s"), judged=counts[cycle.id],
                          total=len(get_set(session, cycle.indicator_set_version).indicators)),
                        f"/cycles/{cycle.id}/judgements")]
            for cycle in mine}


register_next_steps(_next_steps)

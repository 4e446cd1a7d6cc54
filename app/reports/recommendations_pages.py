"""The recommendations on their page: grouped by horizon, each with the indicators and the
final judgements it rests on and the good practices attached to it; the indicators judged
below the benchmark, each with the practices that speak to it (attached to a
recommendation in one click) and a way to recommend on it; the form to add or change one.

Who may do what is :class:`CycleRights` (``read_report``, ``write_report``,
``propose_recommendation``) and :func:`app.reports.recommendations.may_edit`.
"""
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.cycles.deps import CycleAccess, PageCycle
from app.db import SessionDep
from app.errors import InvalidInput
from app.etag import expected_version
from app.i18n import N_
from app.labels import HORIZON_LABELS, PRIORITY_LABELS
from app.reports import recommendations
from app.reports.build import build_content
from app.reports.content import HORIZONS, PRIORITIES
from app.reports.schemas import RecommendationPatch, RecommendationWrite
from app.reports.sharing import readable
from app.reports.tables import Recommendation
from app.visit.hypotheses import hypotheses_by_indicator, state_counts
from app.visit.notes import notes_by_indicator, notes_for
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()


def _url(access: CycleAccess, tail: str = "") -> str:
    return f"/cycles/{access.cycle.id}/recommendations{tail}"


@dataclass
class Card:
    rec: Recommendation
    may_edit: bool
    suggested: list[Any]  # good practices that speak to its indicators, not attached yet


def _context(session, access: CycleAccess) -> dict[str, Any]:
    from app.practices.service import get_practices, practices_for_indicators

    readable(session, access.rights, access.cycle)
    content = build_content(session, access.cycle)
    recs = recommendations.list_recommendations(session, access.rights, access.cycle)
    below = [i for i in content.indicators if i.performance == "below"]
    speaking = practices_for_indicators(session, [i.code for i in content.indicators])
    attached = {p.id: p for p in get_practices(session, {i for r in recs for i in r.practice_ids})}
    cards = []
    for rec in recs:
        seen: dict[int, Any] = {}
        for code in rec.indicator_codes:
            for practice in speaking.get(code, []):
                if practice.id not in rec.practice_ids:
                    seen.setdefault(practice.id or 0, practice)
        cards.append(Card(rec, recommendations.may_edit(access.rights, rec) is True, list(seen.values())))
    recommended = {code for r in recs for code in r.indicator_codes}
    # What each recommendation rests on beyond the judgement: the visit's notes and the
    # reviewers' hypotheses on its indicators (for whoever may read them).
    evidence: dict[str, dict[str, int]] = {}
    if access.rights.read_visit_notes() is True:
        noted = notes_by_indicator(notes_for(session, access.cycle))
        for code, views in hypotheses_by_indicator(session, access.cycle).items():
            evidence[code] = state_counts(views)
        for code, found in noted.items():
            evidence.setdefault(code, {})["notes"] = len(found)
    return {"cycle": access.cycle, "content": content, "cards": cards,
            "by_code": {i.code: i for i in content.indicators}, "below": below, "recommended": recommended,
            "speaking": speaking, "attached": attached, "evidence": evidence,
            "horizons": HORIZONS, "horizon_labels": HORIZON_LABELS, "priorities": PRIORITIES,
            "priority_labels": PRIORITY_LABELS,
            "can_write": access.rights.write_report() is True,
            "can_propose": access.rights.propose_recommendation() is True,
            # the judgements' pages are the team's until publication: no link that leads to a 403
            "can_read_judgements": access.rights.read_visit_notes() is True}


@router.get("/cycles/{cycle_id}/recommendations")
def recommendations_page(request: Request, session: SessionDep, access: PageCycle, indicator: str = ""):
    """The recommendations and, for the team, the form to add one (``?indicator=`` fills
    in its indicator)."""
    return render(request, "reports/recommendations.html", **_context(session, access),
                  values={"indicator_codes": indicator.upper(), "horizon": "short", "priority": "medium"})


def _form_data(form: dict) -> dict[str, Any]:
    codes = [c.strip() for c in str(form.get("indicator_codes") or "").replace(";", ",").split(",") if c.strip()]
    data: dict[str, Any] = {"indicator_codes": codes, "text": str(form.get("text") or "").replace("\r\n", "\n"),
                            "horizon": form.get("horizon") or None, "priority": form.get("priority") or "medium",
                            "owner": form.get("owner") or "", "follow_up_on": form.get("follow_up_on") or None}
    return {k: v for k, v in data.items() if v is not None}


def _name_fields(exc: InvalidInput) -> None:
    _beside_fields(exc.extra.get("errors", []))


def _beside_fields(errors: list[dict]) -> list[dict]:
    """Each error beside the form's field it is about (``indicator_codes`` for the second
    code of the list, too)."""
    for error in errors:
        if error.get("loc"):
            error["field"] = error["loc"][0]
    return errors


@router.post("/cycles/{cycle_id}/recommendations")
def add_page(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    def add() -> Response:
        try:
            data = parse_form(RecommendationWrite, _form_data(form))
        except InvalidInput as exc:
            _name_fields(exc)
            raise
        rec = recommendations.create_recommendation(session, access.rights, access.cycle, data)
        done = N_("Recommendation added.") if rec.status == "accepted" else \
            N_("Recommendation proposed: the team leader will take it into the report.")
        return redirect(_url(access, f"#rec-{rec.id}"), Flash(done), request)

    def refused(status: int, error: str, errors: list[dict]) -> Response:
        return render(request, "reports/recommendations.html", status_code=status, **_context(session, access),
                      values=form, error=error, errors=_beside_fields(errors))

    return run_form(request, session, add, refused)


@router.get("/cycles/{cycle_id}/recommendations/{rec_id}/edit")
def edit_page(request: Request, session: SessionDep, access: PageCycle, rec_id: int):
    rec = recommendations.writable_recommendation(session, access.rights, access.cycle, rec_id)
    values = {"indicator_codes": ", ".join(rec.indicator_codes), "text": rec.text, "horizon": rec.horizon,
              "priority": rec.priority, "owner": rec.owner,
              "follow_up_on": rec.follow_up_on.isoformat() if rec.follow_up_on else "", "version": rec.version}
    return render(request, "reports/recommendation_edit.html", cycle=access.cycle, rec=rec, values=values,
                  horizons=HORIZONS, horizon_labels=HORIZON_LABELS, priorities=PRIORITIES,
                  priority_labels=PRIORITY_LABELS)


@router.post("/cycles/{cycle_id}/recommendations/{rec_id}")
def save_page(request: Request, session: SessionDep, access: PageCycle, rec_id: int, form: FormFields):
    def save() -> Response:
        try:
            data = parse_form(RecommendationPatch, _form_data(form))
        except InvalidInput as exc:
            _name_fields(exc)
            raise
        if not form.get("follow_up_on"):
            data.follow_up_on = None
            data.model_fields_set.add("follow_up_on")
        recommendations.update_recommendation(session, access.rights, access.cycle, rec_id, data,
                                              expected_version(str(form.get("version") or "") or None))
        return redirect(_url(access, f"#rec-{rec_id}"), Flash(N_("Recommendation saved.")), request)

    def refused(status: int, error: str, errors: list[dict]) -> Response:
        rec = recommendations.get_recommendation(session, access.rights, access.cycle, rec_id)
        return render(request, "reports/recommendation_edit.html", status_code=status, cycle=access.cycle, rec=rec,
                      values=form, horizons=HORIZONS, horizon_labels=HORIZON_LABELS, priorities=PRIORITIES,
                      priority_labels=PRIORITY_LABELS, error=error, errors=_beside_fields(errors))

    return run_form(request, session, save, refused)


def _one_click(request: Request, session, access: CycleAccess, action, done: str) -> Response:
    def run() -> Response:
        rec = action()
        return redirect(_url(access, f"#rec-{rec.id}" if rec else ""), Flash(done), request)

    def refused(status: int, error: str, errors: list[dict]) -> Response:
        return render(request, "reports/recommendations.html", status_code=status, **_context(session, access),
                      values={}, error=error, errors=errors)

    return run_form(request, session, run, refused)


@router.post("/cycles/{cycle_id}/recommendations/{rec_id}/practices")
def attach_page(request: Request, session: SessionDep, access: PageCycle, rec_id: int, form: FormFields):
    """Attach a good practice to the recommendation: one click."""
    given = str(form.get("practice_id") or "")
    practice = int(given) if given.isdigit() and len(given) < 10 else 0
    version = expected_version(str(form.get("version") or "") or None)
    return _one_click(request, session, access, lambda: recommendations.add_practice(
        session, access.rights, access.cycle, rec_id, practice, version), N_("Good practice attached."))


@router.post("/cycles/{cycle_id}/recommendations/{rec_id}/accept")
def accept_page(request: Request, session: SessionDep, access: PageCycle, rec_id: int, form: FormFields):
    return _one_click(request, session, access, lambda: recommendations.accept_recommendation(
        session, access.rights, access.cycle, rec_id, expected_version(str(form.get("version") or "") or None)),
        N_("The proposal is in the report."))


@router.post("/cycles/{cycle_id}/recommendations/{rec_id}/delete")
def delete_page(request: Request, session: SessionDep, access: PageCycle, rec_id: int, form: FormFields):
    def delete() -> None:
        recommendations.delete_recommendation(session, access.rights, access.cycle, rec_id,
                                              expected_version(str(form.get("version") or "") or None))

    return _one_click(request, session, access, delete, N_("Recommendation removed."))

"""The review team's pages: the consolidation of the submitted reviews, the team's progress
on the cycle page, and reopening one reviewer's review.

Each reviewer's own review has its pages in ``pages.py``; who sees what is
:class:`CycleRights` (blind until submitted), asked here before anything is shown.
"""
from datetime import date
from typing import Any

from fastapi import APIRouter, Request

from benchmark.consolidation import IndicatorConsolidation
from benchmark.indicators import IndicatorSet
from benchmark.scales import CycleRole, Performance, Phase

from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.cycles.pages import show_cycle_page
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import field_error
from app.i18n import N_
from app.ids import PathId, id_of
from app.indicators.service import get_set
from app.labels import PERFORMANCE_SIGNS
from app.people.tables import City
from app.reviews import service
from app.reviews.schemas import ReviewReopen
from app.visit.hypotheses import STATE_ICONS, STATE_LABELS, STATES, hypotheses_by_indicator
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()

#: The judgements in the order the legend and the counts show them.
PERFORMANCE_KEYS = [p.value for p in Performance]


def _count_bar(item: IndicatorConsolidation) -> list[str]:
    """One judgement per reviewer, in the scale's order: the cells of a small bar."""
    return [key for key in PERFORMANCE_KEYS for _n in range(item.counts[Performance(key)])]


def _initials(names: dict[int, str]) -> dict[int, str]:
    """A short column heading per reviewer: their initials, made longer where two would
    read alike ("LL", "LL2")."""
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    for reviewer_id, name in names.items():
        short = "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()[:3] or "?"
        seen[short] = seen.get(short, 0) + 1
        out[reviewer_id] = short if seen[short] == 1 else f"{short}{seen[short]}"
    return out


def consolidation_context(team: service.TeamConsolidation, iset: IndicatorSet, city: str,
                          hypothesis_states: dict[str, dict[int, str]] | None = None) -> dict[str, Any]:
    """What the consolidation page shows, from the pooled reviews alone (no database); from
    the visit on, with where each hypothesis stands (``hypothesis_states``: by code, each
    reviewer's state), counted per indicator."""
    consolidation = team.consolidation
    names = {id_of(r.reviewer): r.reviewer.full_name for r in team.reviews}
    initials = _initials(names)
    # First where the reviewers disagree or need more information (the contract's "flagged"),
    # then where they agree with each other but not with the host city's self-rating.
    attention = [i for i in consolidation.attention_first() if i.flagged] + [
        i for i in consolidation.indicators if not i.flagged and i.host_vs_peers in ("higher", "lower")]
    discussed = {i.code for i in attention}
    return {
        "city": city, "team": team, "c": consolidation, "indicators": iset.by_code(), "pillars": iset.pillars,
        "attention": attention,
        "settled": [i for i in consolidation.indicators if i.code not in discussed],
        "entries": {id_of(r.reviewer): r.entries for r in team.reviews},
        "keys": PERFORMANCE_KEYS, "signs": PERFORMANCE_SIGNS, "count_bar": _count_bar, "initials": initials,
        "legend_names": ", ".join(f"{initials[i]} {n}" for i, n in names.items()),
        "who": lambda ids: ", ".join(names[i] for i in ids if i in names),
        "rows_by_pillar": [(p, [i for i in consolidation.indicators if i.pillar == p.code]) for p in iset.pillars],
        "hypothesis_states": hypothesis_states or {}, "hypothesis_keys": STATES,
        "hypothesis_counts": {code: {key: sum(1 for s in states.values() if s == key) for key in STATES}
                              for code, states in (hypothesis_states or {}).items()},
        "state_labels": STATE_LABELS, "state_icons": STATE_ICONS}


def _page(request: Request, session, access: CycleAccess, status_code: int = 200):
    team = service.team_consolidation(session, access.rights, access.cycle)
    iset = get_set(session, access.cycle.indicator_set_version)
    city = session.get(City, access.cycle.host_city_id)
    states = None
    if access.rights.phase.order >= Phase.VISIT.order and access.rights.read_visit_notes() is True:
        states = {code: {h.reviewer_id: h.state for h in views}
                  for code, views in hypotheses_by_indicator(session, access.cycle).items()}
    return render(request, "reviews/consolidation.html", status_code=status_code, cycle=access.cycle,
                  **consolidation_context(team, iset, city.name if city else "", states))


@router.get("/cycles/{cycle_id}/consolidation")
def consolidation_page(request: Request, session: SessionDep, access: PageCycle):
    """The submitted reviews pooled, a picture first: the indicator × reviewer grid beside
    the host's self-rating; then the indicators where peers disagree or need information;
    each indicator's merged questions and people to meet; everyone to meet once."""
    return _page(request, session, access)


@router.post("/cycles/{cycle_id}/reviews/{reviewer_id}/reopen")
def reopen(request: Request, session: SessionDep, access: PageCycle, reviewer_id: PathId, form: FormFields):
    # Someone who may not reopen gets the error page, never the form again.
    require(access.rights.reopen_review())

    def do_reopen():
        reason = (form.get("reason") or "").strip()
        if not reason:
            raise field_error(["reason"], N_("Say why: the reviewer will read it."))
        review = service.reopen(session, access.rights, access.cycle, reviewer_id,
                                parse_form(ReviewReopen, {"reason": reason}).reason)
        return redirect(f"/cycles/{access.cycle.id}", Flash(
            N_("%(name)s's review is reopened: they can change it and must submit it again."),
            name=review.reviewer.full_name), request)

    def show_refusal(status: int, error: str, errors: list):
        return show_cycle_page(request, session, access, status, error=error, errors=errors)

    return run_form(request, session, do_reopen, show_refusal)


def _team_panel(session, access: CycleAccess) -> dict | None:
    """The team's progress on the cycle page, from the preparatory review on: how far each
    reviewer is, for the team leader and coordinators (with reopening); the way to the
    consolidation for those who may see it. Nothing for the others (the host city)."""
    rights = access.rights
    if rights.phase.order < Phase.PREPARATORY_REVIEW.order:
        return None
    progress = service.team_progress(session, rights, access.cycle) if rights.follow_reviews() is True else None
    consolidation = rights.read_team_reviews() is True
    if progress is None and not consolidation:
        return None
    deadline = date.fromisoformat(progress.deadline) if progress and progress.deadline else None
    return {"progress": progress, "deadline": deadline, "consolidation": consolidation,
            "can_reopen": rights.reopen_review() is True, "phase": Phase.PREPARATORY_REVIEW}


register_panel(Phase.PREPARATORY_REVIEW.order, "reviews/team_panel.html", _team_panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles, the team leader's cycles in their preparatory review: the way to the
    consolidation, with how many reviews are in ("3 of 5 reviews submitted")."""
    mine = [v.cycle for v in views if v.my_role == CycleRole.TEAM_LEADER and v.cycle.phase == Phase.PREPARATORY_REVIEW]
    return {cycle_id: [(_(N_("Open the team's consolidation — %(done)s of %(total)s reviews submitted"),
                          done=done, total=total), f"/cycles/{cycle_id}/consolidation")]
            for cycle_id, (done, total) in service.submissions_of(session, mine).items()}


register_next_steps(_next_steps)

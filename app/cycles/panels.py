"""The cycle page's panels, one per part of the cycle, registered by the parts themselves.

Like the exit conditions of ``transitions.py``: the cycle page knows none of the parts'
tables. Each part (the initial report now; the preparatory review, the visit and the
report next) registers a template and a function giving its context for one reader of
one cycle, or ``None`` to show nothing to that reader. The template reads ``panel`` (its
context), ``cycle``, ``rights`` and the page's usual variables.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.cycles.deps import CycleAccess

PanelContext = Callable[[Session, CycleAccess], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: PanelContext


_PANELS: list[Panel] = []


def register_panel(order: int, template: str, context: PanelContext) -> None:
    """Show ``template`` on the cycle page, panels sorted by ``order`` (the cycle's phases' order)."""
    _PANELS.append(Panel(order, template, context))
    _PANELS.sort(key=lambda p: p.order)


def panels(session: Session, access: CycleAccess) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for panel in _PANELS:
        context = panel.context(session, access)
        if context is not None:
            out.append((panel.template, context))
    return out


#: ``(session, user, cycles) -> {cycle id: [(label, url), ...]}``: what each part asks of
#: the user next, shown under each cycle on My cycles (labels already translated).
Steps = dict[int, list[tuple[str, str]]]
NextSteps = Callable[[Session, Any, list[Any], Callable[..., str]], Steps]
_NEXT_STEPS: list[NextSteps] = []


def register_next_steps(steps: NextSteps) -> None:
    """Let a part say, on My cycles, what the user has to do next in each cycle (one call
    for all the listed cycles, so that the page's queries do not grow with them)."""
    _NEXT_STEPS.append(steps)


def next_steps(session: Session, user: Any, views: list[Any], _: Callable[..., str]) -> Steps:
    out: Steps = {}
    for steps in _NEXT_STEPS:
        for cycle_id, items in steps(session, user, views, _).items():
            out.setdefault(cycle_id, []).extend(items)
    return out

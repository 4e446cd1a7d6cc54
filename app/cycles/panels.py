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

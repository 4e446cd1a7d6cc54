"""The phase transitions as one table, and the exit conditions each part of the cycle registers.

A cycle moves one step at a time along the phases: forward, or back one step (who may
do which is :meth:`CycleRights.change_phase`). A published cycle is left only by a
coordinator's revision of its report (``Step.REVISE``), never by a plain phase change.
Each part of the cycle registers the condition for leaving its phase
(``register_exit_condition``) where it is defined, so that this module knows none of
their tables: the self-assessment registers "the initial report is submitted", and the
preparatory review, the visit and the report register theirs (the report's: it is
published from its page, which freezes it, with every peer's sign-off or a recorded
override — ``app/reports/publication.py``).
"""
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from benchmark.scales import Phase

from app.cycles.tables import Cycle


class Step(StrEnum):
    FORWARD = "forward"
    BACK = "back"
    #: A coordinator's revision of a published report (``app/reports/sharing.py``), with a
    #: reason; never a plain phase change.
    REVISE = "revise"


_ORDER = list(Phase)
#: (from, to) -> the kind of step. ``published`` is left only by a revision of the report.
TRANSITIONS: dict[tuple[Phase, Phase], Step] = {
    **dict.fromkeys(zip(_ORDER, _ORDER[1:], strict=False), Step.FORWARD),
    **{(b, a): Step.BACK for a, b in zip(_ORDER, _ORDER[1:], strict=False) if b != Phase.PUBLISHED},
    (Phase.PUBLISHED, Phase.REPORTING): Step.REVISE,
}


@dataclass(frozen=True)
class ExitCondition:
    """What must hold before a cycle leaves ``phase`` forward.

    ``unmet(session, cycle)`` answers ``None`` when it holds, else a message id saying
    what is missing (with its parameters). A coordinator may move on regardless, with a
    recorded reason, when ``overridable``."""

    phase: Phase
    unmet: Callable[[Session, Cycle], tuple[str, dict] | None]
    overridable: bool


_EXIT_CONDITIONS: dict[Phase, list[ExitCondition]] = {}


def register_exit_condition(phase: Phase, unmet: Callable[[Session, Cycle], tuple[str, dict] | None],
                            *, overridable: bool) -> None:
    _EXIT_CONDITIONS.setdefault(phase, []).append(ExitCondition(phase, unmet, overridable))


def unmet_conditions(session: Session, cycle: Cycle, source: Phase,
                     target: Phase) -> list[tuple[ExitCondition, str, dict]]:
    """The exit conditions of ``source`` that block the move to ``target`` (backward moves have none)."""
    if TRANSITIONS.get((source, target)) != Step.FORWARD:
        return []
    found = []
    for condition in _EXIT_CONDITIONS.get(source, []):
        unmet = condition.unmet(session, cycle)
        if unmet is not None:
            found.append((condition, *unmet))
    return found

"""Scores of a cycle's final judgements, on plain values.

The share of a pillar-dimension is the public contract's (api-contract.md,
"Benchmarking"): the fraction of its indicators judged ``at`` or ``above`` the
benchmark, ``more_info`` left out of the denominator. The final report's heat map and the
comparison across cities read the same number.
"""
from collections.abc import Iterable

from benchmark.scales import Performance

AT_OR_ABOVE = frozenset({Performance.AT.value, Performance.ABOVE.value})
ON_THE_SCALE = frozenset({Performance.BELOW.value, *AT_OR_ABOVE})


def share_at_or_above(performances: Iterable[str | None]) -> float | None:
    """The fraction of the judged indicators (below, at or above) that are at or above;
    ``None`` when none is judged on the scale (nothing to say, not zero)."""
    judged = [p for p in performances if p in ON_THE_SCALE]
    return share_of(sum(1 for p in judged if p in AT_OR_ABOVE), len(judged))


def share_of(at_or_above: int, judged: int) -> float | None:
    """The share from counts (:mod:`benchmark.comparison` gets them from the database)."""
    return at_or_above / judged if judged else None

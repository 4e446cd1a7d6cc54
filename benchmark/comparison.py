"""Comparing cities on their published final judgements, on plain values (pandas).

Each cycle's judgements are counted once, when its report is published
(:func:`count_cells`): per pillar-dimension, how many of its indicators were judged on the
scale (below, at or above) and how many of them at or above. A cell's score is the share
of those counts (:func:`shares`, :func:`benchmark.scoring.share_of`) — the public contract's
share, ``more_info`` left out of the denominator; ``None`` when nothing in the cell was
judged on the scale (nothing to say, not zero).

The network's picture of a cell is the median of the cycles' scores and their spread
(quartiles, least and most), over the cycles that have a score there.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from benchmark.scoring import AT_OR_ABOVE, ON_THE_SCALE, share_of


@dataclass(frozen=True)
class Spread:
    """The network's scores of one cell: how many cycles have one, the median, the
    quartiles and the extremes."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None
    low: float | None
    high: float | None


def cell_key(pillar: str, dimension: str) -> str:
    """"GG-AMB": how the contract names a pillar-dimension."""
    return f"{pillar}-{dimension}"


def count_cells(judgements: Iterable[tuple[str, str, str | None]]) -> dict[str, tuple[int, int]]:
    """A cycle's counts per pillar-dimension ("GG-AMB": (at or above, judged on the scale))
    from its (pillar, dimension, performance) judgements: what the publication records
    once, so that a comparison counts nothing."""
    cells: dict[str, list[int]] = {}
    for pillar, dimension, performance in judgements:
        cell = cells.setdefault(cell_key(pillar, dimension), [0, 0])
        cell[0] += performance in AT_OR_ABOVE
        cell[1] += performance in ON_THE_SCALE
    return {key: (ok, judged) for key, (ok, judged) in cells.items()}


def shares(counts: Mapping[str, Sequence[int]], cells: Sequence[str]) -> dict[str, float | None]:
    """A cycle's score of every cell of ``cells`` from its counts (``None`` where it has none)."""
    out: dict[str, float | None] = {}
    for cell in cells:
        found = counts.get(cell)
        out[cell] = share_of(found[0], found[1]) if found else None
    return out


def spread(by_cycle: dict[int, dict[str, float | None]], cells: Sequence[str]) -> dict[str, Spread]:
    """The network's median and spread of each cell, over the cycles scored there."""
    frame = pd.DataFrame.from_dict(by_cycle, orient="index", columns=list(cells), dtype="float64")
    out = {}
    for cell in cells:
        values = frame[cell].dropna() if cell in frame else pd.Series(dtype="float64")
        if values.empty:
            out[cell] = Spread(0, None, None, None, None, None)
            continue
        out[cell] = Spread(int(values.size), float(values.median()), float(values.quantile(0.25)),
                           float(values.quantile(0.75)), float(values.min()), float(values.max()))
    return out

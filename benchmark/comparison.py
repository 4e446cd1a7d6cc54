"""Comparing cities on their published final judgements, on plain values (pandas).

The input is counted already (the database does the counting, one row per cycle and
pillar-dimension): how many of the cell's indicators were judged on the scale (below, at
or above) and how many of them at or above. A cell's score is
the share of those counts (as :func:`benchmark.scoring.share_of` says it) — the public contract's share,
``more_info`` left out of the denominator; ``None`` when nothing in the cell was judged on
the scale (nothing to say, not zero).

The network's picture of a cell is the median of the cycles' scores and their spread
(quartiles, least and most), over the cycles that have a score there.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CellCount:
    cycle_id: int
    pillar: str
    dimension: str
    at_or_above: int
    judged: int


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


def scores(counts: Iterable[CellCount], cells: Sequence[str]) -> dict[int, dict[str, float | None]]:
    """Each cycle's score of every cell of ``cells`` (``None`` where it has none), by cycle id."""
    frame = pd.DataFrame([(c.cycle_id, cell_key(c.pillar, c.dimension), c.at_or_above, c.judged) for c in counts],
                         columns=["cycle_id", "cell", "at_or_above", "judged"])
    if frame.empty:
        return {}
    frame["share"] = (frame["at_or_above"] / frame["judged"]).where(frame["judged"] > 0)
    table = frame.pivot(index="cycle_id", columns="cell", values="share").reindex(columns=list(cells))
    table = table.astype(object).where(table.notna(), None)
    return {int(cycle_id): {cell: (None if v is None else float(v)) for cell, v in row.items()}
            for cycle_id, row in table.to_dict(orient="index").items()}


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

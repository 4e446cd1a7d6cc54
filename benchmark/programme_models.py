"""The two CP-SAT models behind :func:`benchmark.programme.schedule`, on plain numbers.

Time is one line of minutes (the programme lays the visit's days on it, nights between). An
interview holds its two peers from its start for its length plus the travel gap (``gap``), so
that a peer's next interview starts at least that gap after the previous one ended; the same
holds for a peer's fixed bookings (``blocks``: per peer, where they are already busy).

1. :func:`choose_times`: how many interviews of each length start at each allowed start. Which
   peers do not matter yet: interviews that hold their peers over overlapping spans form an
   interval graph, so when no more than ``peers // 2`` of them run at any moment, pairs of peers
   can be given to all of them (colour the graph with that many colours, one pair per colour).
   Counting per (length, start) instead of per person keeps the model to a few hundred integers
   and lets CP-SAT prove the most people in milliseconds. Fixed bookings lower the capacity at
   the moments they cover; a peer busy for part of an interview is then counted at those moments
   only, so with fixed bookings the count can be optimistic and :func:`choose_pairs` may leave an
   interview unpaired.
2. :func:`choose_pairs`: the peers of each interview once times and people are set: the conflicts
   are then known in advance (a peer in at most one of the interviews running at any start).

Both run CP-SAT with one worker, a fixed seed and a deterministic time limit, so that the same
numbers give the same answer on any machine; the wall-clock limit is a safety net only.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from ortools.sat.python import cp_model

#: The solver's seed: any fixed value makes it repeatable; this one is not tuned.
SEED = 2027

T = TypeVar("T")
Span = tuple[int, int]
Outcome = Literal["optimal", "feasible", "none"]


@dataclass(frozen=True)
class Solved(Generic[T]):
    """A model's answer: ``outcome`` is ``"optimal"`` (proven), ``"feasible"`` (the work limit came
    first) or ``"none"`` (no answer found; ``value`` is then empty); ``work``: the deterministic
    time it took."""

    outcome: Outcome
    value: T
    work: float


def choose_times(starts: Mapping[int, Sequence[int]], wanted: Mapping[int, int], peers: int, gap: int,
                 blocks: Sequence[Span], work: float, seconds: float) -> Solved[list[Span]]:
    """The (start, length) of every interview to hold, in order. ``starts``: by length, where an
    interview of that length may start; ``wanted``: by length, how many people need one; ``peers``:
    the team's size; ``blocks``: every peer's fixed bookings (one entry per peer and booking).

    Objective, lexicographic: the most interviews; then the fewest running at once (leaving the
    pairing the most peers to choose from, and the hosts the fewest rooms to find); then the
    earliest starts."""
    model = cp_model.CpModel()
    most_at_once = peers // 2
    counts: dict[Span, cp_model.IntVar] = {}
    for length, size in sorted(wanted.items()):
        for start in starts.get(length, ()):
            counts[start, length] = model.new_int_var(0, min(size, most_at_once), f"n{start}_{length}")
        model.add(sum(v for (_, each), v in counts.items() if each == length) <= size)
    points = sorted({start for start, _ in counts})
    peak = model.new_int_var(0, most_at_once, "peak")
    # The most interviews and blocks run at once at some start of one of them.
    for point in sorted(set(points) | {start for start, _ in blocks}):
        running = [v for (start, length), v in counts.items() if start <= point < start + length + gap]
        busy = sum(1 for start, end in blocks if start <= point < end)
        model.add(sum(running) <= (peers - busy) // 2)
        model.add(sum(running) <= peak)
    rank = {point: n for n, point in enumerate(points)}
    early = sum(rank[start] * v for (start, _), v in counts.items())
    # Each weight exceeds the whole range of every term after it.
    w_peak = sum(wanted.values()) * len(points) + 1
    w_count = w_peak * (most_at_once + 1)
    model.maximize(w_count * sum(counts.values()) - w_peak * peak - early)
    solver = _solver(work, seconds)
    outcome = _outcome(solver.solve(model))
    if outcome == "none":
        return Solved(outcome, [], solver.deterministic_time)
    times = [span for span, v in sorted(counts.items()) for _ in range(solver.value(v))]
    return Solved(outcome, times, solver.deterministic_time)


def choose_pairs(spans: Sequence[Span], lengths: Sequence[int], preferred: Sequence[frozenset[int]],
                 peers: Sequence[int], blocks: Mapping[int, Sequence[Span]], fixed_load: Mapping[int, int],
                 hint: Sequence[tuple[int, int] | None], work: float, seconds: float,
                 ) -> Solved[list[tuple[int, int] | None]]:
    """Two peers for each interview (``None``: no two peers free for it). Per interview: ``spans``
    (start, end including the gap), ``lengths`` (minutes, for the load), ``preferred`` (the peers
    who asked about the person's indicators) and ``hint`` (a pairing to start from; ``None``: not
    held). ``blocks`` and ``fixed_load``: per peer, the fixed bookings' spans and minutes.

    Objective, lexicographic: the most interviews paired; then the most interviews with at least
    one peer the person prefers; then the least spread between the most and the least loaded peer
    (minutes of interviews and fixed bookings); then the most pairings of a person with a peer they
    prefer. The load comes before the second preferred peer: otherwise whoever asked about most
    indicators (often the team leader) would hold twice the others' interviews."""
    model = cp_model.CpModel()
    held = [model.new_bool_var(f"held{n}") for n in range(len(spans))]
    chosen = {(n, k): model.new_bool_var(f"peer{n}_{k}") for n in range(len(spans)) for k in peers}
    for n, (start, end) in enumerate(spans):
        model.add(sum(chosen[n, k] for k in peers) == 2 * held[n])
        running = [m for m, (s, e) in enumerate(spans) if s <= start < e]
        for k in peers:
            if len(running) > 1:
                model.add_at_most_one(chosen[m, k] for m in running)
            if any(s < end and start < e for s, e in blocks.get(k, ())):
                model.add(chosen[n, k] == 0)
    most = sum(lengths) + max(fixed_load.values(), default=0)
    high, low = model.new_int_var(0, most, "high"), model.new_int_var(0, most, "low")
    for k in peers:
        load = sum(length * chosen[n, k] for n, length in enumerate(lengths)) + fixed_load.get(k, 0)
        model.add(high >= load)
        model.add(low <= load)
    liked, served = [], []
    for n, wanted in enumerate(preferred):
        mine = [chosen[n, k] for k in sorted(wanted) if (n, k) in chosen]
        if mine:
            liked += mine
            served.append(model.new_bool_var(f"served{n}"))
            model.add(served[-1] <= sum(mine))
    # Each weight exceeds the whole range of every term after it.
    w_spread = 2 * len(spans) + 1
    w_served = w_spread * (most + 1)
    w_held = w_served * (len(spans) + 1)
    model.maximize(w_held * sum(held) + w_served * sum(served) - w_spread * (high - low) + sum(liked))
    for n, pair in enumerate(hint):
        model.add_hint(held[n], int(pair is not None))
        for k in peers:
            model.add_hint(chosen[n, k], int(pair is not None and k in pair))
    solver = _solver(work, seconds)
    outcome = _outcome(solver.solve(model))
    if outcome == "none":
        return Solved(outcome, [], solver.deterministic_time)
    pairs: list[tuple[int, int] | None] = []
    for n in range(len(spans)):
        two = [k for k in peers if solver.boolean_value(chosen[n, k])]
        pairs.append((two[0], two[1]) if len(two) == 2 else None)
    return Solved(outcome, pairs, solver.deterministic_time)


def _solver(work: float, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = max(work, 0.0)
    solver.parameters.max_time_in_seconds = max(seconds, 0.0)
    return solver


def _outcome(status: cp_model.CpSolverStatus) -> Outcome:
    if status == cp_model.OPTIMAL:
        return "optimal"
    return "feasible" if status == cp_model.FEASIBLE else "none"

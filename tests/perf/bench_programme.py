"""Benchmark: the visit programme, ``benchmark.programme.schedule`` against the first-fit greedy.

Not a test (the name does not start with ``test_``): a measurement, printed as a table, the
solver's time and the people it schedules beside the greedy baseline's on the same input, in the
same run, interleaved.

Usage, from the project root::

    python tests/perf/bench_programme.py              # about 15 s
    python tests/perf/bench_programme.py --rounds 9   # the default is 5

Input (the issue's case): 60 people to meet, every sixth with an interpreter (90 minutes, the
others 60), each named for two of 20 indicator codes spread evenly; 6 peers, each having asked
about 4 codes; 3 days from 09:00 to 17:30 with lunch 12:30–13:30, a 15-minute grid. Two more
rows for information: the same with a 15-minute travel gap, and 70 people (more than the days
hold), with a fixed workshop of three peers and one of them on the first morning.

Per case, the median time over the rounds of ``schedule`` (the solver; its request has the
default limits) and of ``greedy``, the people each schedules, the solver's status, the pairings
of a person with a peer who asked about their indicators, and the spread between the most and
the least loaded peer (minutes). Both programmes are checked with ``validate`` every time.
Goal (issue): the solver schedules at least as many people as greedy and answers within 10 s;
a miss fails the script (exit status 1).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time as clock
from collections import Counter
from dataclasses import replace
from datetime import date, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmark.programme import (  # noqa: E402
    Booking,
    Peer,
    Person,
    Programme,
    ProgrammeRequest,
    greedy,
    schedule,
    validate,
)

CODES = [f"GG-{area}-{n}" for area in ("AMB", "LEA", "RES", "IMP", "EVA") for n in (1, 2, 3, 4)]
DAYS = (date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 5))
GOAL_SECONDS = 10.0


def issue_case(people: int = 60) -> ProgrammeRequest:
    """The issue's programme: ``people`` to meet, 6 peers, 3 days from 09:00 to 17:30."""
    return ProgrammeRequest(
        days=DAYS, day_start=time(9), day_end=time(17, 30),
        people=tuple(Person(f"person-{i:02d}", f"Person {i}", interpreter=i % 6 == 0,
                            indicator_codes=(CODES[i % 20], CODES[(i * 7) % 20])) for i in range(people)),
        peers=tuple(Peer(k, frozenset(CODES[(k * 3 + j) % 20] for j in range(4))) for k in range(1, 7)))


CASES = {
    "60 people, 6 peers, 3 days": issue_case(),
    "the same, 15 min travel": replace(issue_case(), travel_minutes=15),
    "70 people, a workshop": replace(issue_case(70), fixed=(
        Booking((1, 2, 3), ("person-69",), DAYS[0], time(9), time(12, 30)),)),
}


def timed(func, request: ProgrammeRequest) -> tuple[float, Programme]:
    gc.collect()
    start = clock.perf_counter()
    programme = func(request)
    return clock.perf_counter() - start, programme


def figures(request: ProgrammeRequest, programme: Programme) -> tuple[int, int]:
    """(preferred pairings, load spread in minutes) of ``programme``."""
    interests = {p.id: p.interests for p in request.peers}
    codes = {p.key: set(p.indicator_codes) for p in request.people}
    load: Counter = Counter({p.id: sum(b.minutes for b in request.fixed if p.id in b.peers) for p in request.peers})
    liked = 0
    for slot in programme.slots:
        for peer in slot.peers:
            load[peer] += (slot.end.hour - slot.start.hour) * 60 + slot.end.minute - slot.start.minute
            liked += bool(interests[peer] & codes[slot.person_key])
    return liked, max(load.values()) - min(load.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in CASES}
    answers: dict[str, tuple[Programme, Programme]] = {}
    for round_ in range(args.rounds):
        for name, request in CASES.items():
            sides = [(schedule, 0), (greedy, 1)]
            if round_ % 2:
                sides.reverse()
            got: dict[int, Programme] = {}
            for func, side in sides:
                seconds, got[side] = timed(func, request)
                times[name][side].append(seconds)
                problems = validate(request, got[side])
                assert not problems, (name, func.__name__, problems[:5])
            if name in answers:
                assert answers[name][0] == got[0], f"{name}: the solver's programme changed between rounds"
            answers[name] = (got[0], got[1])
    print(f"# Visit programme: schedule (CP-SAT) vs first-fit greedy, {args.rounds} rounds (median time)\n")
    print("| case | solver people | greedy people | solver/greedy | solver ms | greedy ms | status "
          "| preferred pairings (solver, greedy) | load spread min (solver, greedy) | goal |")
    print("|---|---:|---:|---:|---:|---:|---|---|---|---|")
    missed = []
    for name, request in CASES.items():
        solved, first_fit = answers[name]
        to_place = len({p.key for p in request.people} - {key for b in request.fixed for key in b.people})
        solver_s, greedy_s = (statistics.median(side) for side in times[name])
        (liked, spread), (g_liked, g_spread) = figures(request, solved), figures(request, first_fit)
        met = len(solved.slots) >= len(first_fit.slots) and max(times[name][0]) < GOAL_SECONDS
        if not met:
            missed.append(name)
        print(f"| {name} | {len(solved.slots)} of {to_place} | {len(first_fit.slots)} "
              f"| {len(solved.slots) / max(len(first_fit.slots), 1):.2f}× | {solver_s * 1e3:,.0f} "
              f"| {greedy_s * 1e3:,.0f} | {solved.status} | {liked}, {g_liked} | {spread}, {g_spread} "
              f"| {'met' if met else 'MISSED'} (≥ greedy, < {GOAL_SECONDS:.0f} s) |")
    if missed:
        print(f"\nMISSED: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

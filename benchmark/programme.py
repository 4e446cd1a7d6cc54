"""The visit programme: who of the team interviews whom of the host city, and when.

During the review visit a team of peers interviews the people of the host city named in the
consolidation's "people to meet". Each interview has one interviewee and a pair of peers and
lasts ``interview_minutes`` (``interpreter_minutes`` when an interpreter is needed). This module
turns the people, the peers and the days into a programme; it knows no database and no web.

The decisions, in one place:

- **Rules** (checked by :func:`validate`). Everyone at most once; two distinct peers per
  interview; a start on the grid (``day_start`` plus a multiple of ``granularity_minutes``);
  within ``day_start``–``day_end`` of one of the days and clear of lunch; nobody, peer or
  interviewee, in two places at once (:func:`clashes`); a peer's consecutive interviews at least
  ``travel_minutes`` apart. Lunch counts as travel: an interview ending when lunch starts and one
  starting when it ends are far enough apart for any gap shorter than lunch. The travel gap is
  the peers' (an interviewee comes once); it does not reach across nights.
- **Fixed bookings** (hand-made interviews and workshops) are kept as given: their people are
  not scheduled again (nor listed as unscheduled) and no new interview clashes with them or comes
  closer than the travel gap to them. Clashes among the fixed bookings themselves are the
  caller's to show (:func:`clashes`); they do not stop the scheduler.
- **Objective**, lexicographic: as many people as possible; then as many people as possible
  interviewed by at least one peer who asked about one of their indicators, then as many such
  (person, peer) pairings as possible; then the peers' loads balanced (the spread between the
  most and the least loaded peer, in minutes of interviews and fixed bookings).
- **Three steps** (the models are in :mod:`benchmark.programme_models`): (1) *times*: CP-SAT
  chooses how many interviews of each length start when: the most people (proven), then the
  fewest interviews at once, then the earliest starts; (2) *seats*: who takes which time, a
  rule that sends people who prefer the same peers to different times (:func:`_seat`);
  (3) *pairs*: CP-SAT chooses the two peers of each interview for those times: preference, then
  balance. Preference and balance are thus optimised for the times chosen, not over every
  timing; running few interviews at once leaves the pairing the most peers to choose from. A
  single model over people × peers × times (an optional interval per person and peer, a
  no-overlap per peer) was tried first: on the benchmark's 60 people (``tests/perf/
  bench_programme.py``) its one-worker search stayed at greedy's 58 after 5 units of
  deterministic work (14 s on the 2-core machine), and with interleaved neighbourhood search it
  found 60 in 1 unit (13 s) without proving it. These steps prove 60 in about 0.2 s.
- **Solver**: one worker and a fixed seed, bounded by deterministic time (``work_limit``), so
  that the same request gives the same programme on any machine; ``time_limit_seconds`` is a
  wall-clock safety net only. The request is put in a canonical order first, so the order of its
  people, peers, days and bookings does not matter. The first-fit :func:`greedy` programme is
  the fallback: when a step finds nothing in time, or the steps schedule fewer people than
  greedy, the greedy programme is answered with the status ``"greedy"``.
- **Who cannot fit** is listed with a reason code the app translates: ``"too_long"`` (the
  interview fits in no day's hours between the day's bounds and lunch), ``"no_peers"`` (fewer
  than two peers), ``"no_room"`` (it would fit a day, but the programme had no room left).
- **Times** are naive local times of the host city, to the minute (seconds are ignored).
"""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from time import monotonic
from typing import Literal, NamedTuple

from benchmark.programme_models import Span, choose_pairs, choose_times

Reason = Literal["too_long", "no_peers", "no_room"]
Status = Literal["optimal", "feasible", "greedy"]
ClashCode = Literal["overlap", "too_close"]

_DAY = 24 * 60


@dataclass(frozen=True)
class Person:
    """Someone to meet. ``key`` is their identity (the app passes a folded name and
    organisation); ``indicator_codes``: the indicators they were named for."""

    key: str
    name: str
    role: str = ""
    organisation: str = ""
    interpreter: bool = False
    indicator_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Peer:
    """A member of the visiting team; ``interests``: the indicator codes they asked about
    (or named someone to meet for). A person with one of these codes prefers this peer."""

    id: int
    interests: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Booking:
    """A fixed interview or workshop: the peers and the people (person keys) in it, one day,
    ``start`` before ``end``. Either tuple may be empty (a peer kept away: no people)."""

    peers: tuple[int, ...]
    people: tuple[str, ...]
    day: date
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return _minute(self.end) - _minute(self.start)


@dataclass(frozen=True)
class ProgrammeRequest:
    """What a programme is made from.

    ``days``: the visit's days; each runs from ``day_start`` to ``day_end`` with a lunch break
    of ``lunch_minutes`` from ``lunch_start`` (``None``: no lunch). ``people``: whom to meet (a
    key given twice is one person, who needs an interpreter if either says so); ``peers``: the
    team (an id given twice is one peer). ``travel_minutes``: the least gap between a peer's two
    consecutive interviews. Interviews last ``interview_minutes``, ``interpreter_minutes`` with
    an interpreter, and start on a ``granularity_minutes`` grid from ``day_start``. ``fixed``:
    bookings to keep and avoid. ``work_limit``: the solver's budget in CP-SAT deterministic time
    (units of work counted the same on any machine, not seconds); ``time_limit_seconds``: the
    wall-clock safety net (reached, it makes the answer depend on the machine's speed).
    """

    days: tuple[date, ...]
    day_start: time
    day_end: time
    people: tuple[Person, ...]
    peers: tuple[Peer, ...]
    lunch_start: time | None = time(12, 30)
    lunch_minutes: int = 60
    travel_minutes: int = 0
    interview_minutes: int = 60
    interpreter_minutes: int = 90
    granularity_minutes: int = 15
    fixed: tuple[Booking, ...] = ()
    work_limit: float = 0.5
    time_limit_seconds: float = 8.0

    def minutes_for(self, person: Person) -> int:
        """How long ``person``'s interview lasts."""
        return self.interpreter_minutes if person.interpreter else self.interview_minutes


@dataclass(frozen=True)
class Slot:
    """One interview of the programme: ``peers`` in increasing order."""

    person_key: str
    peers: tuple[int, int]
    day: date
    start: time
    end: time

    def booking(self) -> Booking:
        return Booking(self.peers, (self.person_key,), self.day, self.start, self.end)


@dataclass(frozen=True)
class Unscheduled:
    """Someone left out, and why (see the module's docstring for the codes). ``minutes``: the
    interview's length; ``longest``: the longest interview a day could hold (for ``"too_long"``)."""

    person_key: str
    reason: Reason
    minutes: int
    longest: int = 0


@dataclass(frozen=True)
class Programme:
    """The new interviews, by (day, start, peers), and whoever was left out, by key. The fixed
    bookings are not repeated here. ``status``: ``"optimal"`` (no programme holds more people,
    and no pairing for these times does better), ``"feasible"`` (a step reached its limit, or
    fixed bookings made the count optimistic) or ``"greedy"`` (the first-fit programme)."""

    slots: tuple[Slot, ...]
    unscheduled: tuple[Unscheduled, ...]
    status: Status


@dataclass(frozen=True)
class Clash:
    """Someone in two bookings too close together: ``first`` and ``second`` index the bookings
    given, ``first < second``; ``peer`` or ``person`` (a key) says who, the other is ``None``.
    ``code``: ``"overlap"`` (at once) or ``"too_close"`` (a peer with less than the travel gap)."""

    code: ClashCode
    first: int
    second: int
    peer: int | None = None
    person: str | None = None


def schedule(request: ProgrammeRequest) -> Programme:
    """The best programme found for ``request`` (see the module's docstring), never with fewer
    people than :func:`greedy`. Deterministic: the same request, in any order, gives the same
    programme. Raises ``ValueError`` on a malformed request."""
    request = canonical(request)
    base = greedy(request)
    timeline, booked = _Timeline(request), _booked(request)
    candidates = [p for p in request.people
                  if p.key not in booked and _cannot_fit(request, timeline, p, len(request.peers)) is None]
    if not candidates:
        return replace(base, status="optimal")  # nothing left to choose
    clock = monotonic()
    peers = [p.id for p in request.peers]
    blocks = timeline.fixed_blocks(peers)
    wanted = Counter(request.minutes_for(p) for p in candidates)
    times = choose_times({length: timeline.starts(length) for length in wanted}, wanted, len(peers),
                         request.travel_minutes, [b for spans in blocks.values() for b in spans],
                         request.work_limit / 2, request.time_limit_seconds)
    if times.outcome == "none":
        return base
    seats = _seat(request, candidates, times.value, blocks)
    spans = [(seat.start, seat.start + seat.length + request.travel_minutes) for seat in seats]
    liked = [seat.liked for seat in seats]
    pairs = choose_pairs(
        spans, [seat.length for seat in seats], liked, peers, blocks,
        {k: sum(b.minutes for b in request.fixed if k in b.peers) for k in peers},
        _hint_pairs(spans, liked, peers, blocks), request.work_limit - times.work,
        request.time_limit_seconds - (monotonic() - clock))
    if pairs.outcome == "none":
        return base
    slots = [timeline.slot(seat.person.key, pair, seat.start, seat.length)
             for seat, pair in zip(seats, pairs.value, strict=True) if pair is not None]
    left = [p for p in candidates if p.key not in {s.person_key for s in slots}]
    if len(slots) < len(times.value):
        # Fixed bookings made the count optimistic: place whoever they left out where two peers are free.
        slots += _first_fit(request, timeline, left, peers, slots)
        left = [p for p in left if p.key not in {s.person_key for s in slots}]
    if len(slots) < len(base.slots):
        return base
    unscheduled = [u for u in base.unscheduled if u.reason != "no_room"]
    unscheduled += [Unscheduled(p.key, "no_room", request.minutes_for(p)) for p in left]
    proven = times.outcome == pairs.outcome == "optimal" and None not in pairs.value
    return _programme(slots, unscheduled, "optimal" if proven else "feasible")


def greedy(request: ProgrammeRequest) -> Programme:
    """The first-fit baseline: the people in the order given, each at the earliest start where a
    pair of free peers exists (pairs in the order of the peers given). Raises ``ValueError`` on a
    malformed request."""
    _check(request)
    timeline = _Timeline(request)
    peers = [p.id for p in _distinct_peers(request.peers)]
    booked = _booked(request)
    unscheduled: list[Unscheduled] = []
    fitting: list[Person] = []
    for person in _distinct_people(request.people):
        if person.key not in booked:
            left_out = _cannot_fit(request, timeline, person, len(peers))
            if left_out:
                unscheduled.append(left_out)
            else:
                fitting.append(person)
    slots = _first_fit(request, timeline, fitting, peers, [])
    placed = {s.person_key for s in slots}
    unscheduled += [Unscheduled(p.key, "no_room", request.minutes_for(p)) for p in fitting if p.key not in placed]
    return _programme(slots, unscheduled, "greedy")


def validate(request: ProgrammeRequest, programme: Programme) -> list[str]:
    """Every rule ``programme`` breaks for ``request``, in words (for tests and logs); empty when
    sound. Clashes among the fixed bookings alone are not the programme's and are not reported."""
    problems: list[str] = []
    people = {p.key: p for p in _distinct_people(request.people)}
    peers = {p.id for p in _distinct_peers(request.peers)}
    booked = _booked(request)
    timeline = _Timeline(request)
    lunch = timeline.lunch
    for slot in programme.slots:
        what = f"{slot.person_key} on {slot.day} at {slot.start:%H:%M}"
        person = people.get(slot.person_key)
        if person is None:
            problems.append(f"{what}: not among the people to meet")
            continue
        if slot.person_key in booked:
            problems.append(f"{what}: already in a fixed booking")
        if len(set(slot.peers)) != 2 or not set(slot.peers) <= peers or list(slot.peers) != sorted(slot.peers):
            problems.append(f"{what}: not two distinct peers of the team in order {slot.peers}")
        if slot.day not in timeline.days:
            problems.append(f"{what}: not a day of the visit")
        start, end = _minute(slot.start), _minute(slot.end)
        if end - start != request.minutes_for(person):
            problems.append(f"{what}: lasts {end - start} minutes, not {request.minutes_for(person)}")
        if start < timeline.first or end > timeline.last:
            problems.append(f"{what}: outside the day's hours")
        if (start - timeline.first) % request.granularity_minutes:
            problems.append(f"{what}: not on the {request.granularity_minutes}-minute grid")
        if lunch and start < lunch[1] and end > lunch[0]:
            problems.append(f"{what}: during lunch")
    counts: dict[str, int] = defaultdict(int)
    for key in [s.person_key for s in programme.slots] + [u.person_key for u in programme.unscheduled]:
        counts[key] += 1
    for key in people:
        if key not in booked and counts[key] != 1:
            problems.append(f"{key}: {counts[key]} times in the programme (scheduled or left out), not once")
    for left in programme.unscheduled:
        problems.extend(_wrong_reason(request, timeline, people.get(left.person_key), left, len(peers)))
    if list(programme.slots) != sorted(programme.slots, key=_slot_order):
        problems.append("slots not in order of day, start and peers")
    bookings = list(request.fixed) + [s.booking() for s in programme.slots]
    for clash in clashes(bookings, request.travel_minutes):
        if clash.second >= len(request.fixed):
            who = f"peer {clash.peer}" if clash.peer is not None else clash.person
            problems.append(f"{who}: {clash.code} between {_describe(bookings[clash.first])} "
                            f"and {_describe(bookings[clash.second])}")
    return problems


def clashes(bookings: Sequence[Booking], travel_minutes: int = 0) -> list[Clash]:
    """Everyone in two of ``bookings`` at once, and every peer with less than ``travel_minutes``
    between the end of one booking and the start of the next on the same day; ordered by
    (first, second), then peers before people."""
    found: list[tuple[tuple[int, int, int, str], Clash]] = []
    whose: dict[tuple[int, int | str], list[int]] = defaultdict(list)  # (0, peer id) or (1, person key)
    for index, booking in enumerate(bookings):
        for peer in set(booking.peers):
            whose[(0, peer)].append(index)
        for key in set(booking.people):
            whose[(1, key)].append(index)
    for (kind, who), indexes in whose.items():
        gap = travel_minutes if kind == 0 else 0
        ordered = sorted(indexes, key=lambda i: (bookings[i].day, bookings[i].start, i))
        for n, i in enumerate(ordered):
            for j in ordered[n + 1:]:
                a, b = bookings[i], bookings[j]
                if b.day != a.day or _minute(b.start) >= _minute(a.end) + gap:
                    break  # and so do all later ones
                code: ClashCode = "overlap" if _minute(b.start) < _minute(a.end) else "too_close"
                first, second = min(i, j), max(i, j)
                clash = (Clash(code, first, second, peer=int(who)) if kind == 0
                         else Clash(code, first, second, person=str(who)))
                found.append(((first, second, kind, str(who)), clash))
    return [clash for _, clash in sorted(found, key=lambda item: item[0])]


def canonical(request: ProgrammeRequest) -> ProgrammeRequest:
    """``request`` with its days, people, peers and bookings each once and in a fixed order
    (people by key, peers by id), so that the order they came in does not matter."""
    return replace(
        request,
        days=tuple(sorted(set(request.days))),
        people=tuple(sorted(_distinct_people(request.people), key=lambda p: p.key)),
        peers=tuple(sorted(_distinct_peers(request.peers), key=lambda p: p.id)),
        fixed=tuple(sorted(
            (replace(b, peers=tuple(sorted(set(b.peers))), people=tuple(sorted(set(b.people))))
             for b in request.fixed),
            key=lambda b: (b.day, b.start, b.end, b.peers, b.people))),
    )


class _Timeline:
    """The request's days laid on one line of minutes: day ``d`` of the sorted days starts at
    ``d * stride``; the stride leaves a night longer than the travel gap between days."""

    def __init__(self, request: ProgrammeRequest) -> None:
        self.request = request
        self.days = sorted(set(request.days))
        self.index = {day: n for n, day in enumerate(self.days)}
        self.first, self.last = _minute(request.day_start), _minute(request.day_end)
        self.stride = _DAY + request.travel_minutes
        self.lunch = None if request.lunch_start is None or request.lunch_minutes <= 0 else (
            _minute(request.lunch_start), _minute(request.lunch_start) + request.lunch_minutes)

    def day_starts(self, minutes: int) -> list[int]:
        """The minutes of a day (from midnight) at which an interview of ``minutes`` may start."""
        lunch = self.lunch
        return [s for s in range(self.first, self.last - minutes + 1, self.request.granularity_minutes)
                if not (lunch and s < lunch[1] and s + minutes > lunch[0])]

    def starts(self, minutes: int) -> list[int]:
        """Every start on the line, in order."""
        return [n * self.stride + s for n in range(len(self.days)) for s in self.day_starts(minutes)]

    def longest(self) -> int:
        """The longest interview a day can hold (on the grid, clear of lunch)."""
        return max((m for m in range(self.last - self.first, 0, -1) if self.day_starts(m)), default=0)

    def at(self, day: date, moment: time) -> int:
        return self.index[day] * self.stride + _minute(moment)

    def slot(self, key: str, pair: tuple[int, int], start: int, minutes: int) -> Slot:
        day, moment = divmod(start, self.stride)
        return Slot(key, (min(pair), max(pair)), self.days[day], _time(moment), _time(moment + minutes))

    def fixed_blocks(self, peers: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
        """Per peer, the fixed bookings on the visit's days as (start, end + travel) on the
        line, overlapping ones merged (hand edits may clash; the peer is busy either way)."""
        spans: dict[int, list[tuple[int, int]]] = {k: [] for k in peers}
        for booking in self.request.fixed:
            if booking.day not in self.index:
                continue
            start = self.at(booking.day, booking.start)
            for k in set(booking.peers) & spans.keys():
                spans[k].append((start, start + booking.minutes + self.request.travel_minutes))
        merged: dict[int, list[tuple[int, int]]] = {}
        for k, blocks in spans.items():
            merged[k] = []
            for start, end in sorted(blocks):
                if merged[k] and start < merged[k][-1][1]:
                    merged[k][-1] = (merged[k][-1][0], max(end, merged[k][-1][1]))
                else:
                    merged[k].append((start, end))
        return merged


class _Seat(NamedTuple):
    """A person given one of the chosen times; ``liked``: the peers who asked about their indicators."""

    person: Person
    start: int
    length: int
    liked: frozenset[int]


def _seat(request: ProgrammeRequest, candidates: Sequence[Person], times: Sequence[Span],
          blocks: dict[int, list[Span]]) -> list[_Seat]:
    """Step two: who takes which of the chosen (start, length) times, in order of time.

    When a length has more people than times, those whom more peers asked about are kept (then
    by key). Then time after time, of the people of that length still waiting, the one with the
    most of their preferred peers free then (two are enough) takes it, the one with the fewest
    preferred peers first (the hardest to please later), then by key; up to two of their free
    preferred peers are held for that time. People who prefer the same peers thus go to different
    times, which gives the pairing room: on the benchmark's 60 people, seating by key gives 87
    preferred pairings, this 110 (the single model's bound was 111)."""
    interests = {p.id: p.interests for p in request.peers}
    liked = {p.key: frozenset(k for k, codes in interests.items() if codes.intersection(p.indicator_codes))
             for p in candidates}
    room = Counter(length for _, length in times)
    waiting: dict[int, list[Person]] = defaultdict(list)
    for person in sorted(candidates, key=lambda p: (-len(liked[p.key]), p.key)):
        if len(waiting[request.minutes_for(person)]) < room[request.minutes_for(person)]:
            waiting[request.minutes_for(person)].append(person)
    held = {k: list(spans) for k, spans in blocks.items()}
    seats: list[_Seat] = []
    for start, length in sorted(times, key=lambda t: (t[0], -t[1])):
        end = start + length + request.travel_minutes

        def free_liked(person: Person, start: int = start, end: int = end) -> list[int]:
            return sorted(k for k in liked[person.key] if _free(held[k], start, end))

        person = min(waiting[length], key=lambda p: (-min(len(free_liked(p)), 2), len(liked[p.key]), p.key))
        waiting[length].remove(person)
        for k in free_liked(person)[:2]:
            held[k].append((start, end))
        seats.append(_Seat(person, start, length, liked[person.key]))
    return seats


def _hint_pairs(spans: Sequence[Span], liked: Sequence[frozenset[int]], peers: Sequence[int],
                blocks: dict[int, list[Span]]) -> list[tuple[int, int] | None]:
    """A pairing to start the solver from: interview after interview (``spans`` are in order),
    the first two free peers, preferred ones first."""
    busy = {k: list(blocks.get(k, ())) for k in peers}
    hint: list[tuple[int, int] | None] = []
    for (start, end), wanted in zip(spans, liked, strict=True):
        free = [k for k in sorted(peers, key=lambda k: (k not in wanted, k)) if _free(busy[k], start, end)][:2]
        if len(free) < 2:
            hint.append(None)
            continue
        for k in free:
            busy[k].append((start, end))
        hint.append((min(free), max(free)))
    return hint


def _first_fit(request: ProgrammeRequest, timeline: _Timeline, people: Sequence[Person], peers: Sequence[int],
               taken: Sequence[Slot]) -> list[Slot]:
    """Each of ``people`` in order at the earliest start where a pair of ``peers`` (pairs in that
    order) is free of fixed bookings, of ``taken`` and of the slots made before, travel gap
    included; whoever finds no such start is left out."""
    travel = request.travel_minutes
    busy = timeline.fixed_blocks(peers)
    placed: list[Slot] = []
    for slot in taken:
        start = timeline.at(slot.day, slot.start)
        for k in slot.peers:
            busy[k].append((start, start + _minute(slot.end) - _minute(slot.start) + travel))
    for person in people:
        minutes = request.minutes_for(person)
        found = next(((start, pair) for start in timeline.starts(minutes) for pair in itertools.combinations(peers, 2)
                      if all(_free(busy[k], start, start + minutes + travel) for k in pair)), None)
        if found is not None:
            start, pair = found
            for k in pair:
                busy[k].append((start, start + minutes + travel))
            placed.append(timeline.slot(person.key, pair, start, minutes))
    return placed


def _check(request: ProgrammeRequest) -> None:
    """Raise ``ValueError`` on what no programme can be made of."""
    if not request.days:
        raise ValueError("A programme needs at least one day")
    if request.day_end <= request.day_start:
        raise ValueError(f"The day ends ({request.day_end}) before it starts ({request.day_start})")
    if min(request.interview_minutes, request.interpreter_minutes, request.granularity_minutes) <= 0:
        raise ValueError("Interviews and the grid need a positive number of minutes")
    if request.travel_minutes < 0 or request.lunch_minutes < 0:
        raise ValueError("The travel gap and lunch cannot be negative")
    for booking in request.fixed:
        if booking.end <= booking.start:
            raise ValueError(f"A fixed booking ends before it starts: {_describe(booking)}")


def _cannot_fit(request: ProgrammeRequest, timeline: _Timeline, person: Person, peers: int) -> Unscheduled | None:
    """Why ``person`` can never be scheduled, whatever else is: too long a day or too few peers."""
    minutes = request.minutes_for(person)
    if peers < 2:
        return Unscheduled(person.key, "no_peers", minutes)
    if not timeline.day_starts(minutes):
        return Unscheduled(person.key, "too_long", minutes, timeline.longest())
    return None


def _wrong_reason(request: ProgrammeRequest, timeline: _Timeline, person: Person | None,
                  left: Unscheduled, peers: int) -> list[str]:
    if person is None:
        return [f"{left.person_key}: left out but not among the people to meet"]
    expected = _cannot_fit(request, timeline, person, peers)
    if (expected.reason if expected else "no_room") != left.reason or left.minutes != request.minutes_for(person):
        return [f"{left.person_key}: left out as {left.reason} ({left.minutes} min), "
                f"expected {expected.reason if expected else 'no_room'}"]
    return []


def _distinct_people(people: Iterable[Person]) -> list[Person]:
    """One person per key, where first given; interpreter if any says so, every indicator code."""
    merged: dict[str, Person] = {}
    for person in people:
        known = merged.get(person.key)
        if known is None:
            merged[person.key] = replace(person, indicator_codes=tuple(sorted(set(person.indicator_codes))))
        else:
            merged[person.key] = replace(
                known, interpreter=known.interpreter or person.interpreter,
                indicator_codes=tuple(sorted(set(known.indicator_codes) | set(person.indicator_codes))))
    return list(merged.values())


def _distinct_peers(peers: Iterable[Peer]) -> list[Peer]:
    merged: dict[int, Peer] = {}
    for peer in peers:
        known = merged.get(peer.id)
        merged[peer.id] = peer if known is None else Peer(peer.id, known.interests | peer.interests)
    return list(merged.values())


def _booked(request: ProgrammeRequest) -> set[str]:
    return {key for booking in request.fixed for key in booking.people}


def _free(blocks: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or e <= start for s, e in blocks)


def _programme(slots: list[Slot], unscheduled: list[Unscheduled], status: Status) -> Programme:
    return Programme(tuple(sorted(slots, key=_slot_order)),
                     tuple(sorted(unscheduled, key=lambda u: u.person_key)), status)


def _slot_order(slot: Slot) -> tuple[date, time, tuple[int, int], str]:
    return slot.day, slot.start, slot.peers, slot.person_key


def _describe(booking: Booking) -> str:
    return f"{booking.day} {booking.start:%H:%M}–{booking.end:%H:%M}"


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _time(minute: int) -> time:
    return time(minute // 60, minute % 60)

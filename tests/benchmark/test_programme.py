"""The visit programme: every rule checked by ``validate`` on the solver's programmes (interpreter
90 minutes, lunch, travel gap, day bounds, fixed bookings), determinism whatever the order of the
input, preference and balance, the reasons for leaving someone out, the greedy baseline beaten,
and ``validate`` and ``clashes`` themselves catching what is wrong."""
import random
from collections import Counter
from dataclasses import replace
from datetime import date, time
from itertools import pairwise

import pytest

from benchmark.programme import (
    Booking,
    Clash,
    Peer,
    Person,
    Programme,
    ProgrammeRequest,
    Slot,
    Unscheduled,
    canonical,
    clashes,
    greedy,
    schedule,
    validate,
)

D1, D2, D3 = date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 5)
CODES = [f"GG-{area}-{n}" for area in ("AMB", "LEA", "RES", "IMP", "EVA") for n in (1, 2, 3)]


def people(n: int, interpreter_every: int = 0, prefix: str = "p") -> tuple[Person, ...]:
    return tuple(Person(f"{prefix}{i:02d}", f"Person {i}",
                        interpreter=bool(interpreter_every) and i % interpreter_every == 0,
                        indicator_codes=(CODES[i % len(CODES)], CODES[(i * 7) % len(CODES)]))
                 for i in range(n))


def peers(n: int) -> tuple[Peer, ...]:
    return tuple(Peer(k, frozenset(CODES[(k * 3 + j) % len(CODES)] for j in range(3))) for k in range(1, n + 1))


def request(**changes) -> ProgrammeRequest:
    base = ProgrammeRequest(days=(D1,), day_start=time(9), day_end=time(17, 30), people=people(8),
                            peers=peers(4), work_limit=0.2)  # small: every test well under a second
    return replace(base, **changes)


def minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def loads(programme: Programme) -> Counter:
    load: Counter = Counter()
    for slot in programme.slots:
        for peer in slot.peers:
            load[peer] += minute(slot.end) - minute(slot.start)
    return load


INPUTS = {
    "one day": request(),
    "interpreters, two days": request(days=(D1, D2), people=people(20, interpreter_every=3), peers=peers(5)),
    "travel 20, no lunch": request(people=people(14, interpreter_every=4), travel_minutes=20, lunch_start=None),
    "crowded": request(days=(D1, D2), people=people(40, interpreter_every=5), peers=peers(4)),
    "odd start, 10-minute grid": request(day_start=time(8, 50), day_end=time(16, 20), granularity_minutes=10,
                                         people=people(12, interpreter_every=2), travel_minutes=5),
    "fixed bookings": request(days=(D1, D2), people=people(24, interpreter_every=6), travel_minutes=15, fixed=(
        Booking((1, 2), ("p00", "p01"), D1, time(9), time(11)),
        Booking((3,), (), D2, time(13, 30), time(17, 30)),
        Booking((2, 4), ("p05",), D2, time(10, 5), time(11, 5)))),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_every_rule_holds_and_the_solver_schedules_at_least_as_many_as_greedy(name):
    req = INPUTS[name]
    programme = schedule(req)
    assert validate(req, programme) == []
    baseline = greedy(req)
    assert validate(req, baseline) == []
    assert programme.status in ("optimal", "feasible")
    assert len(programme.slots) >= len(baseline.slots)
    assert len(programme.slots) > 0


def test_an_interview_with_an_interpreter_lasts_90_minutes_the_others_60():
    req = request(people=people(6, interpreter_every=3))
    programme = schedule(req)
    length = {s.person_key: minute(s.end) - minute(s.start) for s in programme.slots}
    assert length == {"p00": 90, "p01": 60, "p02": 60, "p03": 90, "p04": 60, "p05": 60}


def test_lunch_is_kept_free_and_without_lunch_the_time_is_used():
    req = request(day_start=time(11), day_end=time(14), lunch_start=time(12), lunch_minutes=60,
                  people=people(3), peers=peers(2))
    with_lunch = schedule(req)
    assert [(s.start, s.end) for s in with_lunch.slots] == [(time(11), time(12)), (time(13), time(14))]
    assert [u.reason for u in with_lunch.unscheduled] == ["no_room"]
    without = schedule(replace(req, lunch_start=None))
    assert len(without.slots) == 3 and any(s.start == time(12) for s in without.slots)
    assert validate(replace(req, lunch_start=None), without) == []
    assert validate(req, without) != []  # the same programme breaks the lunch rule


def test_a_peer_has_the_travel_gap_between_two_interviews_and_the_last_can_end_at_day_end():
    req = request(day_start=time(9), day_end=time(11, 15), lunch_start=None, people=people(2), peers=peers(2),
                  travel_minutes=15)
    programme = schedule(req)
    assert [(s.start, s.end) for s in programme.slots] == [(time(9), time(10)), (time(10, 15), time(11, 15))]
    shorter_day = schedule(replace(req, day_end=time(11, 10)))
    assert len(shorter_day.slots) == 1 and [u.reason for u in shorter_day.unscheduled] == ["no_room"]
    no_gap = schedule(replace(req, travel_minutes=0, day_end=time(11)))
    assert [(s.start, s.end) for s in no_gap.slots] == [(time(9), time(10)), (time(10), time(11))]


def test_the_travel_gap_holds_for_every_peer_in_a_crowded_programme():
    req = request(days=(D1, D2), people=people(30, interpreter_every=4), peers=peers(5), travel_minutes=25)
    programme = schedule(req)
    by_peer: dict[int, list[Slot]] = {}
    for slot in programme.slots:
        for peer in slot.peers:
            by_peer.setdefault(peer, []).append(slot)
    gaps = [minute(b.start) - minute(a.end) for slots in by_peer.values() for a, b in pairwise(slots)
            if a.day == b.day]
    assert gaps and min(gaps) >= 25


def test_interviews_stay_within_the_days_hours():
    req = request(days=(D1, D2), day_start=time(10), day_end=time(15), people=people(30, interpreter_every=3))
    programme = schedule(req)
    assert programme.slots and all(time(10) <= s.start and s.end <= time(15) for s in programme.slots)
    assert {s.day for s in programme.slots} == {D1, D2}


def test_fixed_bookings_are_kept_their_people_not_scheduled_again_and_their_peers_avoided():
    fixed = (Booking((1, 2), ("p00", "p01"), D1, time(9), time(12, 30)),
             Booking((3,), (), D2, time(9), time(17, 30)))
    req = request(days=(D1, D2), people=people(16, interpreter_every=5), travel_minutes=10, fixed=fixed)
    programme = schedule(req)
    assert validate(req, programme) == []
    keys = {s.person_key for s in programme.slots} | {u.person_key for u in programme.unscheduled}
    assert "p00" not in keys and "p01" not in keys and len(keys) == 14
    morning = [s for s in programme.slots if s.day == D1 and s.start < time(12, 40)]
    assert morning and all(not {1, 2} & set(s.peers) for s in morning)
    assert all(3 not in s.peers for s in programme.slots if s.day == D2)
    # Without the bookings, the same peers do work then.
    free = schedule(replace(req, fixed=()))
    assert any({1, 2} & set(s.peers) for s in free.slots if s.day == D1 and s.start < time(12, 30))


def test_fixed_bookings_that_clash_with_each_other_do_not_stop_the_scheduler():
    fixed = (Booking((1, 2), ("p00",), D1, time(9), time(10)), Booking((2, 3), ("p01",), D1, time(9, 30), time(11)))
    req = request(fixed=fixed)
    assert len(clashes(fixed)) == 1
    programme = schedule(req)
    assert validate(req, programme) == [] and len(programme.slots) == 6


def test_the_same_input_in_any_order_gives_the_same_programme():
    req = request(days=(D1, D2, D3), people=people(36, interpreter_every=4), peers=peers(5), travel_minutes=10,
                  fixed=(Booking((1, 4), ("p03",), D2, time(14), time(15, 30)),
                         Booking((5,), (), D1, time(9), time(11))))
    first = schedule(req)
    assert schedule(req) == first
    rng = random.Random(7)
    shuffled = replace(req, days=(D3, D1, D2), people=tuple(rng.sample(req.people, len(req.people))),
                       peers=tuple(reversed(req.peers)), fixed=tuple(reversed(req.fixed)))
    assert schedule(shuffled) == first
    assert greedy(shuffled) != greedy(req)  # the baseline does depend on the order


def test_peers_who_asked_about_a_persons_indicators_are_chosen_when_it_costs_nothing():
    team = (Peer(1, frozenset({"B"})), Peer(2, frozenset({"B"})), Peer(3, frozenset({"A"})), Peer(4, frozenset({"A"})))
    req = request(people=(Person("a", "A", indicator_codes=("A",)), Person("b", "B", indicator_codes=("B",))),
                  peers=team)
    programme = schedule(req)
    assert {s.person_key: s.peers for s in programme.slots} == {"a": (3, 4), "b": (1, 2)}
    assert {s.person_key: s.peers for s in greedy(req).slots}["a"] == (1, 2)  # first fit ignores it


def test_preference_never_costs_a_person():
    team = tuple(Peer(k, frozenset({"A"}) if k <= 2 else frozenset()) for k in range(1, 5))
    everyone = tuple(Person(f"p{i}", f"P{i}", indicator_codes=("A",)) for i in range(6))
    req = request(day_end=time(12, 30), people=everyone, peers=team)  # two pairs all morning
    programme = schedule(req)
    assert len(programme.slots) == 6 and programme.unscheduled == ()
    assert sum(1 in s.peers or 2 in s.peers for s in programme.slots) == 6  # and preferred peers in each


def test_the_peers_load_is_balanced():
    req = request(people=people(12), peers=peers(4))
    programme = schedule(req)
    assert len(programme.slots) == 12
    assert set(loads(programme).values()) == {360}
    five = request(people=people(10), peers=tuple(Peer(k) for k in range(1, 6)))
    assert set(loads(schedule(five)).values()) == {240} and len(loads(schedule(five))) == 5
    assert 5 not in loads(greedy(five))  # first fit never gets to the fifth peer


def test_a_peer_who_asked_about_everything_does_not_take_every_interview():
    """The team leader often asks about every indicator: a preferred peer for each person, but
    the load still shared (the second preferred peer comes after the balance)."""
    everyone = tuple(Person(f"p{i:02d}", f"P{i}", indicator_codes=(CODES[i],)) for i in range(12))
    team = (Peer(1, frozenset(CODES)),  # asked about everything; each other peer about a quarter
            *(Peer(k, frozenset(CODES[j] for j in range(12) if j % 4 == k - 2)) for k in range(2, 6)))
    programme = schedule(request(days=(D1, D2), people=everyone, peers=team))  # room for one at a time
    assert len(programme.slots) == 12
    load = loads(programme)
    assert max(load.values()) - min(load.values()) <= 60 and load[1] <= 300  # 4 or 5 each, the keen peer too


def test_too_long_for_any_day():
    req = request(day_start=time(9), day_end=time(12), lunch_start=time(10), lunch_minutes=60,
                  people=(Person("long", "L", interpreter=True), Person("short", "S")), peers=peers(2))
    programme = schedule(req)
    assert programme.unscheduled == (Unscheduled("long", "too_long", 90, 60),)
    assert [s.person_key for s in programme.slots] == ["short"]
    assert validate(req, programme) == []


def test_fewer_than_two_peers():
    for team in ((), peers(1)):
        programme = schedule(request(people=people(3), peers=team))
        assert programme.slots == ()
        assert [(u.person_key, u.reason) for u in programme.unscheduled] == [
            ("p00", "no_peers"), ("p01", "no_peers"), ("p02", "no_peers")]


def test_no_room_left():
    req = request(day_start=time(9), day_end=time(11), lunch_start=None, people=people(3), peers=peers(3))
    programme = schedule(req)
    assert len(programme.slots) == 2 and programme.status == "optimal"
    assert [u.reason for u in programme.unscheduled] == ["no_room"]


def test_a_case_that_defeats_first_fit():
    # 09:00-12:00 and 13:00-17:00 for one pair: the two 90-minute interviews fill the morning and
    # four of an hour the afternoon; first fit puts an hour first and leaves someone out.
    order = (Person("a", "A"), Person("b", "B", interpreter=True), Person("c", "C", interpreter=True),
             Person("d", "D"), Person("e", "E"), Person("f", "F"))
    req = request(day_start=time(9), day_end=time(17), lunch_start=time(12), people=order, peers=peers(2))
    baseline, programme = greedy(req), schedule(req)
    assert validate(req, baseline) == [] and validate(req, programme) == []
    assert len(baseline.slots) < len(programme.slots) == len(order)
    assert programme.status == "optimal"


def test_a_solver_without_time_answers_the_greedy_programme():
    req = request(people=people(10, interpreter_every=3), time_limit_seconds=0.0)
    programme = schedule(req)
    assert programme.status == "greedy"
    assert programme.slots == greedy(canonical(req)).slots


def test_a_key_given_twice_is_one_person_who_needs_an_interpreter_if_either_says_so():
    req = request(people=(Person("x", "X"), Person("x", "X again", interpreter=True), Person("y", "Y")))
    programme = schedule(req)
    assert sorted((s.person_key, minute(s.end) - minute(s.start)) for s in programme.slots) == [("x", 90), ("y", 60)]


def test_a_malformed_request_is_refused():
    with pytest.raises(ValueError):
        schedule(request(day_start=time(17), day_end=time(9)))
    with pytest.raises(ValueError):
        schedule(request(fixed=(Booking((1,), (), D1, time(11), time(10)),)))


def test_validate_finds_every_kind_of_broken_programme():
    req = request(people=people(3, interpreter_every=2), peers=peers(3), travel_minutes=15)
    sound = schedule(req)
    assert validate(req, sound) == []
    first = next(s for s in sound.slots if s.person_key == "p00")  # with an interpreter: 90 minutes
    others = tuple(s for s in sound.slots if s is not first)
    broken = {
        "during lunch": replace(first, start=time(12), end=time(13, 30)),
        "outside the day's hours": replace(first, start=time(17), end=time(18, 30)),
        "lasts 60 minutes, not 90": replace(first, end=time(first.start.hour + 1, first.start.minute)),
        "not two distinct peers": replace(first, peers=(1, 1)),
        "not on the 15-minute grid": replace(first, start=time(9, 5), end=time(10, 35)),
        "not a day of the visit": replace(first, day=D3),
    }
    for words, slot in broken.items():
        problems = validate(req, replace(sound, slots=(slot, *others)))
        assert any(words in p for p in problems), (words, problems)
    twice = validate(req, replace(sound, slots=(*sound.slots, sound.slots[0])))
    assert any("2 times" in p for p in twice)
    missing = validate(req, replace(sound, slots=sound.slots[1:]))
    assert any("0 times" in p for p in missing)
    a, b = Slot("p00", (1, 2), D1, time(9), time(10, 30)), Slot("p01", (2, 3), D1, time(10, 30), time(11, 30))
    too_close = validate(req, Programme((a, b, Slot("p02", (1, 3), D1, time(14), time(15, 30))), (), "feasible"))
    assert any("peer 2: too_close" in p for p in too_close)


def test_clashes_names_who_is_in_two_places_and_how():
    bookings = [
        Booking((1, 2), ("a",), D1, time(9), time(10)),
        Booking((2, 3), ("b",), D1, time(9, 30), time(10, 30)),  # peer 2 at once with the first
        Booking((3, 4), ("a",), D1, time(10, 40), time(11, 40)),  # "a" again, and peer 3 10 minutes after
        Booking((1, 5), ("c",), D1, time(10), time(11)),  # right after the first: fine without travel
        Booking((1, 2), ("a",), D2, time(9), time(10)),  # another day
    ]
    assert clashes(bookings) == [Clash("overlap", 0, 1, peer=2)]
    assert clashes(bookings, travel_minutes=15) == [
        Clash("overlap", 0, 1, peer=2),
        Clash("too_close", 0, 3, peer=1),
        Clash("too_close", 1, 2, peer=3),
    ]
    person_twice = [Booking((1,), ("a",), D1, time(9), time(10)), Booking((2,), ("a",), D1, time(9, 45), time(11))]
    assert clashes(person_twice, travel_minutes=30) == [Clash("overlap", 0, 1, person="a")]

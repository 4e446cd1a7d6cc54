"""The visit programme through the API: generated from the consolidated people to meet,
edited by hand with clashes refused, exported as iCalendar."""
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import col, select
from support import VISIT_DAY as DAY
from support import VISIT_FRAME as FRAME
from support import generate_programme as _generate
from support import reviews_naming_people as _reviews
from support import rights_of, write_review

from benchmark.scales import Phase

from app.audit.tables import AuditEntry
from app.cycles import service as cycles_service
from app.visit.tables import Interview, InterviewNote


def test_the_programme_meets_everyone_once_with_two_reviewers_in_the_host_citys_time(client, session, world):
    _reviews(session, world)
    r = _generate(client, world)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["unscheduled"] == []
    met = sorted(i["interviewee"]["name"] for i in body["interviews"])
    assert met == ["Hélène Marchetti", "Jana Novak", "Youssef Benali"]  # "jana  NOVAK" is the same person
    pair = sorted([world.people["peer"].id, world.people["team_leader"].id])
    for i in body["interviews"]:
        assert sorted(i["peers"]) == pair
        start, end = datetime.fromisoformat(i["starts_at"]), datetime.fromisoformat(i["ends_at"])
        assert start.utcoffset() == timedelta(hours=2)  # Velmar is in France: Paris time, summer
        assert (end - start) == timedelta(minutes=90 if i["interviewee"]["name"] == "Youssef Benali" else 60)
        assert i["interpreter"] == (i["interviewee"]["name"] == "Youssef Benali")
        assert start.date().isoformat() in FRAME["days"]
        assert f"{start:%H:%M}" >= "09:00" and f"{end:%H:%M}" <= "17:30"
    # the pair cannot hold two at once
    spans = sorted((i["starts_at"], i["ends_at"]) for i in body["interviews"])
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    jana = next(i for i in body["interviews"] if i["interviewee"]["name"] == "Jana Novak")
    assert jana["indicator_codes"] == ["GG-AMB-1", "WP-IMP-9"]
    assert body["time_zone"] == "Europe/Paris"
    assert client.get(f"/api/v1/cycles/{world.cycle.id}/visit-programme",
                      headers=world.auth("peer")).json()["interviews"] == body["interviews"]
    audited = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "visit_programme")).one()
    assert audited.after["interviews"] == 3


def test_who_cannot_fit_is_listed_with_why_in_the_users_language(client, session, world):
    many = [{"name": f"Person {n}", "role": "", "organisation": "", "interpreter": False} for n in range(6)]
    _reviews(session, world, people=many)
    r = _generate(client, world, {"days": [DAY], "day_start": "09:00", "day_end": "12:00", "lunch_start": None},
                  **{"Accept-Language": "fr"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["interviews"]) == 3  # one pair, three hours
    assert len(body["unscheduled"]) == 4  # the three others, and Jana Novak
    assert {u["reason"] for u in body["unscheduled"]} == {"no_room"}
    assert "programme" in body["unscheduled"][0]["reason_text"] and "Aucune" in body["unscheduled"][0]["reason_text"]


def test_the_programme_waits_for_every_review_and_is_the_team_leaders(client, session, world):
    _reviews(session, world, submit=False)
    r = _generate(client, world)
    assert r.status_code == 409 and "review" in r.json()["detail"]
    for role in ("peer", "team_leader"):
        write_review(session, world.cycle, world.people[role], {}, submit=True)
    assert _generate(client, world, role="peer").status_code == 403
    assert _generate(client, world, role="coordinator").status_code == 403
    assert client.get(f"/api/v1/cycles/{world.cycle.id}/visit-programme",
                      headers=world.auth("host_officer")).status_code == 403
    assert session.exec(select(Interview)).all() == []


@pytest.mark.parametrize("body, field", [
    ({**FRAME, "day_end": "09:30"}, "day_end"),
    ({**FRAME, "time_zone": "Europe/Atlantis"}, "time_zone"),
    ({**FRAME, "days": [DAY, DAY]}, "days"),
    ({**FRAME, "lunch_start": "08:00"}, "lunch_start"),
    ({**FRAME, "day_start": "9h"}, "day_start"),
])
def test_a_bad_frame_is_refused_by_field_and_nothing_is_made(client, session, world, body, field):
    _reviews(session, world)
    r = _generate(client, world, body, **{"Accept-Language": "fr"})
    assert r.status_code == 422, r.text
    assert [e["loc"][-1] for e in r.json()["errors"]] == [field]
    assert session.exec(select(Interview)).all() == []


def _programme(client, session, world):
    _reviews(session, world)
    return _generate(client, world).json()["interviews"]


def test_hand_edits_refuse_clashes_with_the_reason_and_survive_a_new_generation(client, session, world):
    interviews = _programme(client, session, world)
    first, second = sorted(interviews, key=lambda i: i["starts_at"])[:2]
    url = f"/api/v1/cycles/{world.cycle.id}/interviews"
    # moving the first onto the second: both reviewers would be in two places at once
    r = client.patch(f"{url}/{first['id']}", json={"starts_at": second["starts_at"]},
                     headers={**world.auth("team_leader"), "If-Match": f'"{first["version"]}"'})
    assert r.status_code == 409
    assert "two places at once" in r.json()["detail"] and second["interviewee"]["name"] in r.json()["detail"]
    # to the evening of the second day instead: done, and now made by hand
    evening = "2027-06-02T18:00:00"
    r = client.patch(f"{url}/{first['id']}", json={"starts_at": evening, "location": "Town hall, room 2"},
                     headers={**world.auth("team_leader"), "If-Match": f'"{first["version"]}"'})
    assert r.status_code == 200, r.text
    moved = r.json()
    assert moved["starts_at"] == "2027-06-02T18:00:00+02:00" and moved["origin"] == "manual"
    assert r.headers["ETag"] == f'"{moved["version"]}"' and moved["version"] == first["version"] + 1
    # the same stale version again: 412, nothing changed
    r = client.patch(f"{url}/{first['id']}", json={"location": "Elsewhere"},
                     headers={**world.auth("team_leader"), "If-Match": f'"{first["version"]}"'})
    assert r.status_code == 412
    # a workshop for several people with both reviewers, two hours
    workshop = {"kind": "workshop", "title": "Associations' round table", "peers": moved["peers"],
                "interviewees": [{"name": "Ana Lima"}, {"name": "Omar Haddad", "organisation": "Rights for all"}],
                "starts_at": "2027-06-02T18:30:00", "minutes": 120}
    r = client.post(url, json=workshop, headers=world.auth("team_leader"))
    assert r.status_code == 409 and "Town hall" not in r.json()["detail"]
    r = client.post(url, json={**workshop, "starts_at": "2027-06-03T10:00:00"}, headers=world.auth("team_leader"))
    assert r.status_code == 201, r.text
    assert r.json()["minutes"] == 120 and len(r.json()["interviewees"]) == 2
    # generating again keeps what was made by hand and does not meet the moved person twice
    again = _generate(client, world).json()["interviews"]
    names = [i["interviewee"]["name"] for i in again]
    assert len(names) == len(set(names)) == 4
    assert next(i for i in again if i["id"] == first["id"])["starts_at"] == "2027-06-02T18:00:00+02:00"


def test_a_bad_interview_is_refused_by_field(client, session, world):
    interviews = _programme(client, session, world)
    url = f"/api/v1/cycles/{world.cycle.id}/interviews"
    base = {"interviewees": [{"name": "Ana Lima"}], "peers": [world.people["peer"].id],
            "starts_at": "2027-06-03T10:00:00"}
    for body, loc in [({**base, "peers": [world.people["host_officer"].id]}, ["peers", 0]),
                      ({**base, "indicator_codes": ["GG-AMB-1", "XX-YYY-1"]}, ["indicator_codes", 1]),
                      ({**base, "interviewees": [{"name": "A"}, {"name": "B"}]}, ["interviewees"]),
                      ({**base, "minutes": 5}, ["minutes"])]:
        r = client.post(url, json=body, headers={**world.auth("team_leader"), "Accept-Language": "fr"})
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["loc"] == loc
    assert len(session.exec(select(Interview)).all()) == len(interviews)


def test_an_interview_with_notes_is_kept(client, session, world):
    interviews = _programme(client, session, world)
    cycles_service.change_phase(session, rights_of(session, world.people["coordinator"], world.cycle),
                                world.cycle, Phase.VISIT)
    session.add(InterviewNote(cycle_id=world.cycle.id, interview_id=interviews[0]["id"],
                              author_id=world.people["peer"].id, text="Met, fine."))
    session.commit()
    url = f"/api/v1/cycles/{world.cycle.id}/interviews/{interviews[0]['id']}"
    r = client.delete(url, headers=world.auth("team_leader"))
    assert r.status_code == 409
    assert client.delete(f"/api/v1/cycles/{world.cycle.id}/interviews/{interviews[1]['id']}",
                         headers=world.auth("team_leader")).status_code == 204
    again = _generate(client, world).json()["interviews"]
    assert interviews[0]["id"] in [i["id"] for i in again]
    # the host city's officer reads the programme from the visit on
    assert client.get(f"/api/v1/cycles/{world.cycle.id}/visit-programme",
                      headers=world.auth("host_officer")).status_code == 200


def test_the_calendar_has_every_interview_or_one_reviewers(client, session, world):
    interviews = _programme(client, session, world)
    url = f"/api/v1/cycles/{world.cycle.id}/visit-programme.ics"
    r = client.get(url, headers=world.auth("peer"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(r.content).walk("VEVENT")
    assert len(events) == len(interviews)
    by_uid = {str(e["uid"]): e for e in events}
    first = interviews[0]
    event = by_uid[f"interview-{first['id']}-cycle-{world.cycle.id}@inti-cities"]
    assert event.decoded("dtstart") == datetime.fromisoformat(first["starts_at"])
    assert first["interviewee"]["name"] in str(event["summary"])
    assert world.people["peer"].full_name in str(event["description"])
    # one reviewer's own, after one interview is given to the team leader alone
    client.patch(f"/api/v1/cycles/{world.cycle.id}/interviews/{first['id']}",
                 json={"peers": [world.people["team_leader"].id]}, headers=world.auth("team_leader"))
    own = client.get(f"{url}?peer={world.people['peer'].id}", headers=world.auth("peer"))
    assert len(Calendar.from_ical(own.content).walk("VEVENT")) == len(interviews) - 1
    # someone who is no reviewer has no interviews to show: refused, as the agenda refuses it
    assert client.get(f"{url}?peer={world.people['host_officer'].id}", headers=world.auth("peer")).status_code == 422
    assert date.fromisoformat(DAY)  # the frame's day parses


def test_clashes_are_found_across_midnight_and_clock_changes(client, session, world):
    """Times compared as instants: an evening meeting running past midnight, and the night the
    clocks go back (2027-10-31 in France: 02:00–03:00 happens twice)."""
    _programme(client, session, world)
    url = f"/api/v1/cycles/{world.cycle.id}/interviews"
    peers = [world.people["peer"].id]
    late = {"interviewees": [{"name": "Night Owl"}], "peers": peers, "starts_at": "2027-06-02T23:30:00",
            "minutes": 120}
    assert client.post(url, json=late, headers=world.auth("team_leader")).status_code == 201
    r = client.post(url, json={**late, "starts_at": "2027-06-03T00:30:00", "minutes": 60},
                    headers=world.auth("team_leader"))
    assert r.status_code == 409 and "Giulia Peer" in r.json()["detail"]
    r = client.post(url, json={**late, "peers": [world.people["team_leader"].id],
                               "starts_at": "2027-06-03T00:15:00", "minutes": 30},
                    headers=world.auth("team_leader"))
    assert r.status_code == 409 and "Night Owl" in r.json()["detail"]  # the same person, twice
    # the clocks go back: 02:30 in summer time, an hour; then 02:45 the second time round is free
    dst = {**late, "interviewees": [{"name": "Early Bird"}], "starts_at": "2027-10-31T02:30:00+02:00",
           "minutes": 60}
    made = client.post(url, json=dst, headers=world.auth("team_leader"))
    assert made.status_code == 201
    assert made.json()["ends_at"] == "2027-10-31T02:30:00+01:00"  # an hour later, on the wall clock the same
    r = client.post(url, json={**dst, "interviewees": [{"name": "Other"}], "starts_at": "2027-10-31T02:45:00+02:00"},
                    headers=world.auth("team_leader"))
    assert r.status_code == 409
    assert client.post(url, json={**dst, "interviewees": [{"name": "Other"}],
                                  "starts_at": "2027-10-31T02:45:00+01:00"},
                       headers=world.auth("team_leader")).status_code == 201
    # and the programme can still be generated around them all
    again = _generate(client, world)
    assert again.status_code == 200, again.text
    assert len(again.json()["interviews"]) == 3 + 3


def test_interview_ids_are_never_reused_and_bad_years_are_refused(client, session, world):
    interviews = _programme(client, session, world)
    highest = max(i["id"] for i in interviews)
    url = f"/api/v1/cycles/{world.cycle.id}/interviews"
    assert client.delete(f"{url}/{highest}", headers=world.auth("team_leader")).status_code == 204
    r = client.post(url, json={"interviewees": [{"name": "Ana Lima"}], "peers": [world.people["peer"].id],
                               "starts_at": "2027-06-03T10:00:00"}, headers=world.auth("team_leader"))
    assert r.json()["id"] > highest  # not the deleted one's
    for year in ("9999-12-31T23:00:00", "0001-01-01T00:10:00"):
        r = client.post(url, json={"interviewees": [{"name": "Ana Lima"}], "peers": [world.people["peer"].id],
                                   "starts_at": year, "minutes": 480}, headers=world.auth("team_leader"))
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["starts_at"]
    ics = client.get(f"/api/v1/cycles/{world.cycle.id}/visit-programme.ics?peer=999", headers=world.auth("peer"))
    assert ics.status_code == 422

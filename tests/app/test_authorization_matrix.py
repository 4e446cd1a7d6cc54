"""Every endpoint against every role: who gets through, who gets 401, 403 or 404.

The table is the specification; ``test_every_route_is_in_the_matrix`` fails when
an endpoint is added without saying here who may call it.

The rules are Python over rows already loaded (``CycleRights``, the cycle dependency), the
same whichever database holds the rows: each row of the tables runs on SQLite, and
``test_the_reads_on_postgresql`` runs every read of the first table once more on
PostgreSQL, in one world. (Every row on both databases cost minutes of the suite's time
for no rule that differs.)
"""
import pytest

from app.main import create_app
from support import api_routes

ROLES = ["anonymous", "outsider", "host_officer", "peer", "team_leader", "coordinator"]
OK, CREATED = 200, 201
#: Each row on SQLite only (see the module's docstring).
ON_SQLITE = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def everyone(status):
    return {"anonymous": 401, **{r: status for r in ROLES[1:]}}


def coordinator_only(status, others=403):
    return {"anonymous": 401, **{r: others for r in ROLES[1:-1]}, "coordinator": status}


def cycle_coordinator(status):
    """Members may see the cycle but not do this (403); others don't see it (404)."""
    return {"anonymous": 401, "outsider": 404, "host_officer": 403, "peer": 403, "team_leader": 403,
            "coordinator": status}


def report_readers(status):
    """Before submission: the host officer and coordinators read the initial report, peers may not."""
    return {"anonymous": 401, "outsider": 404, "host_officer": status, "peer": 403, "team_leader": 403,
            "coordinator": status}


def host_writes(status):
    return {"anonymous": 401, "outsider": 404, "host_officer": status, "peer": 403, "team_leader": 403,
            "coordinator": 403}


FILE = {"__file__": ("evidence.pdf", b"%PDF-1.4 test")}

MATRIX = [
    # (method, path template, json body or form, expected status per role)
    ("GET", "/api/v1/me", None, everyone(OK)),
    ("GET", "/api/v1/indicators", None, everyone(OK)),
    ("GET", "/api/v1/indicator-sets", None, everyone(OK)),
    ("GET", "/api/v1/cities", None, everyone(OK)),
    ("GET", "/api/v1/cities/{host_city}", None, everyone(OK)),
    ("POST", "/api/v1/cities", {"name": "Lumen", "country": "Belgium"}, coordinator_only(CREATED)),
    ("PATCH", "/api/v1/cities/{host_city}", {"country": "Belgique"}, coordinator_only(OK)),
    ("GET", "/api/v1/users", None, coordinator_only(OK)),
    ("POST", "/api/v1/users", {"email": "n@x.example", "full_name": "N", "password": "long-enough-pw",
                               "city_id": "{host_city}"}, coordinator_only(CREATED)),
    ("GET", "/api/v1/users/{peer}", None,
     {"anonymous": 401, "outsider": 404, "host_officer": 404, "peer": OK, "team_leader": 404, "coordinator": OK}),
    ("PATCH", "/api/v1/users/{peer}", {"full_name": "Giulia P."}, coordinator_only(OK)),
    ("GET", "/api/v1/cycles", None, everyone(OK)),
    ("POST", "/api/v1/cycles", {"title": "T", "host_city_id": "{host_city}"}, coordinator_only(CREATED)),
    ("GET", "/api/v1/cycles/{cycle}", None,
     {"anonymous": 401, "outsider": 404, "host_officer": OK, "peer": OK, "team_leader": OK, "coordinator": OK}),
    ("PATCH", "/api/v1/cycles/{cycle}", {"title": "Renamed"}, cycle_coordinator(OK)),
    ("POST", "/api/v1/cycles/{cycle}/members", {"user_id": "{outsider}", "role": "peer"}, cycle_coordinator(CREATED)),
    ("DELETE", "/api/v1/cycles/{cycle}/members/{peer}", None, cycle_coordinator(OK)),
    # 409 for the coordinator: the initial report is not submitted (tests/app/test_api_cycles.py goes further)
    ("POST", "/api/v1/cycles/{cycle}/phase", {"phase": "preparatory_review"}, cycle_coordinator(409)),
    ("GET", "/api/v1/cycles/{cycle}/self-assessment", None, report_readers(OK)),
    ("PUT", "/api/v1/cycles/{cycle}/self-assessment/GG-AMB-1", {"self_rating": "at"}, host_writes(OK)),
    ("POST", "/api/v1/cycles/{cycle}/self-assessment/submit", None, host_writes(409)),  # 409: nothing filled in
    ("POST", "/api/v1/cycles/{cycle}/self-assessment/reopen", None, cycle_coordinator(409)),  # 409: not submitted
    ("POST", "/api/v1/cycles/{cycle}/documents", FILE, host_writes(CREATED)),
    ("GET", "/api/v1/cycles/{cycle}/documents/999", None, report_readers(404)),
    ("GET", "/api/v1/cycles/{cycle}/self-assessment.xlsx", None, report_readers(OK)),
    ("POST", "/api/v1/cycles/{cycle}/self-assessment.xlsx", FILE, host_writes(422)),  # 422: a PDF is no workbook
    # pages: logged-out browsers are sent to the login page (303)
    ("GET", "/", None, {**everyone(OK), "anonymous": 303}),
    ("GET", "/benchmark", None, {**everyone(OK), "anonymous": 303}),
    ("GET", "/benchmark/GG/AMB", None, {**everyone(OK), "anonymous": 303}),
    ("GET", "/cycles/{cycle}", None,
     {"anonymous": 303, "outsider": 404, "host_officer": OK, "peer": OK, "team_leader": OK, "coordinator": OK}),
    ("GET", "/admin/cities", None, {**coordinator_only(OK), "anonymous": 303}),
    ("GET", "/admin/people", None, {**coordinator_only(OK), "anonymous": 303}),
    ("GET", "/admin/cycles/new", None, {**coordinator_only(OK), "anonymous": 303}),
    ("POST", "/admin/cities", {"name": "Lumen", "country": "Belgium"}, {**coordinator_only(303), "anonymous": 303}),
    ("POST", "/admin/people", {"email": "n@x.example", "full_name": "N", "city_id": "{host_city}"},
     {**coordinator_only(201), "anonymous": 303}),
    ("POST", "/admin/cycles/new", {"title": "T", "host_city_id": "{host_city}"}, {**coordinator_only(303), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/members", {"user_id": "{outsider}", "role": "peer"},
     {**cycle_coordinator(303), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/members/{peer}/remove", {}, {**cycle_coordinator(303), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/edit", {"title": "Renamed"}, {**cycle_coordinator(303), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/phase", {"phase": "preparatory_review"},
     {"anonymous": 303, "outsider": 404, "host_officer": 403, "peer": 403, "team_leader": 403, "coordinator": 409}),
    ("GET", "/cycles/{cycle}/self-assessment", None, {**report_readers(OK), "anonymous": 303}),
    ("GET", "/cycles/{cycle}/self-assessment/submit", None, {**report_readers(OK), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/self-assessment/entries/GG-AMB-1", {"self_rating": "at", "description": "x"},
     {**host_writes(303), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/self-assessment/entries/GG-AMB-1/document", FILE, {**host_writes(303), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/self-assessment/entries/GG-AMB-1/documents/999/remove", {},
     {**host_writes(404), "anonymous": 303}),  # the officer: no such document on the card
    ("POST", "/cycles/{cycle}/self-assessment/submit", {}, {**host_writes(409), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/self-assessment/reopen", {}, {**cycle_coordinator(409), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/self-assessment/import", FILE, {**host_writes(422), "anonymous": 303}),
    ("POST", "/admin/cities/{host_city}", {"name": "Velmar", "country": "France"}, {**coordinator_only(303), "anonymous": 303}),
    ("POST", "/admin/people/{peer}", {"full_name": "Giulia", "city_id": "{third_city}", "is_active": "on"},
     {**coordinator_only(303), "anonymous": 303}),
    ("POST", "/admin/people/{peer}/invite", {}, {**coordinator_only(OK), "anonymous": 303}),
    ("POST", "/admin/people/{peer}/deactivate", {}, {**coordinator_only(303), "anonymous": 303}),
    ("POST", "/admin/people/{peer}/reactivate", {}, {**coordinator_only(303), "anonymous": 303}),
]
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/welcome/{token}"),
          ("POST", "/welcome/{token}"), ("GET", "/language"), ("POST", "/api/v1/auth/token"),
          ("GET", "/favicon.ico")}


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_matrix(client, session, world, method, path, body, expected):
    ids = {"host_city": world.host_city.id, "cycle": world.cycle.id, "peer": world.people["peer"].id,
           "outsider": world.people["outsider"].id, "third_city": world.people["peer"].city_id}
    wrong = _wrong_answers(client, session, world, ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_the_reads_on_postgresql(client, session, world):
    """Every read of the first table, on PostgreSQL (one world: reads change nothing)."""
    ids = {"host_city": world.host_city.id, "cycle": world.cycle.id, "peer": world.people["peer"].id,
           "outsider": world.people["outsider"].id, "third_city": world.people["peer"].city_id}
    reads = [(m, p, b, e) for m, p, b, e in MATRIX if m == "GET"]
    assert len(reads) > 10
    wrong = [w for method, path, body, expected in reads
             for w in _wrong_answers(client, session, world, ROLES, method, path.format(**ids), body, expected, ids)]
    assert not wrong, "; ".join(wrong)


def _wrong_answers(client, session, world, roles, method, url, body, expected, ids) -> list[str]:
    """Call ``url`` as each of ``roles`` in turn; what differs from ``expected``."""
    from support import browser_login, csrf_of

    page = not url.startswith("/api")
    wrong = []
    for role in roles:  # coordinator last: its writes succeed and change the state
        client.cookies.clear()
        kwargs = {"follow_redirects": False}
        if page:
            kwargs["headers"] = {"Accept": "text/html"}  # as a browser
            if role != "anonymous":
                browser_login(client, session, world.people[role])
            if method == "POST" and body is FILE:
                kwargs["data"] = {"csrf_token": csrf_of(client)}
                kwargs["files"] = {"file": FILE["__file__"]}
            elif method == "POST":
                kwargs["data"] = {**{k: str(v) for k, v in _fill(body, ids).items()}, "csrf_token": csrf_of(client)}
        else:
            kwargs["headers"] = world.auth(role)
            if body is FILE:
                kwargs["files"] = {"file": FILE["__file__"]}
            elif body is not None:
                filled = _fill(body, ids)
                kwargs["json"] = {k: int(v) if isinstance(v, str) and v.isdigit() else v for k, v in filled.items()}
        got = client.request(method, url, **kwargs).status_code
        if got != expected[role]:
            wrong.append(f"{role}: expected {expected[role]}, got {got}")
    return wrong


# --- the preparatory review: the cycle in that phase, the host's report submitted, one peer
# who has submitted their review ("peer_submitted") and one who has not ("peer") ------------

REVIEW_ROLES = ["anonymous", "outsider", "host_officer", "peer", "peer_submitted", "team_leader", "coordinator"]


def reviewers(status, submitted=None, leader=None, coordinator=403, host=403):
    """A review route: the peer who has not submitted gets ``status``, the one who has gets
    ``submitted`` (default the same), the team leader ``leader`` (default the same)."""
    return {"anonymous": 401, "outsider": 404, "host_officer": host, "peer": status,
            "peer_submitted": status if submitted is None else submitted,
            "team_leader": status if leader is None else leader, "coordinator": coordinator}


def team_view(status=OK):
    """Blind until submitted: the team's reviews, for those who have submitted, the team
    leader and coordinators; never the host city before publication."""
    return reviewers(403, submitted=status, leader=status, coordinator=status)


REVIEW_MATRIX = [
    ("GET", "/api/v1/cycles/{cycle}/reviews/me", None, reviewers(OK)),
    ("GET", "/api/v1/cycles/{cycle}/reviews/me.xlsx", None, reviewers(OK)),
    # 422: a PDF is no workbook; 409: a submitted review is read-only (refused before the file is read)
    ("POST", "/api/v1/cycles/{cycle}/reviews/me.xlsx", FILE, reviewers(422, submitted=409)),
    ("POST", "/cycles/{cycle}/review/import", FILE, {**reviewers(422, submitted=409), "anonymous": 303}),
    ("PUT", "/api/v1/cycles/{cycle}/reviews/me/GG-AMB-1", {"performance": "at"}, reviewers(OK, submitted=409)),
    # 409: the peer has judged nothing yet; the other has submitted already
    ("POST", "/api/v1/cycles/{cycle}/reviews/me/submit", None, reviewers(409)),
    ("GET", "/api/v1/cycles/{cycle}/reviews", None, team_view()),
    ("GET", "/api/v1/cycles/{cycle}/consolidation", None, team_view()),
    ("GET", "/api/v1/cycles/{cycle}/consolidation.xlsx", None, team_view()),
    ("GET", "/api/v1/cycles/{cycle}/reviews/{peer_submitted}", None, team_view()),
    ("GET", "/api/v1/cycles/{cycle}/reviews/progress", None, reviewers(403, leader=OK, coordinator=OK)),
    # the coordinator comes after the team leader, who has reopened it already: 409
    ("POST", "/api/v1/cycles/{cycle}/reviews/{peer_submitted}/reopen", {"reason": "GG-IMP-3 needs more."},
     reviewers(403, leader=OK, coordinator=409)),
    ("GET", "/cycles/{cycle}/consolidation", None, {**team_view(), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/reviews/{peer_submitted}/reopen", {"reason": "GG-IMP-3 needs more."},
     {**reviewers(403, leader=303), "anonymous": 303, "coordinator": 409}),
    # one's own review's pages (logged-out browsers are sent to the login page)
    ("GET", "/cycles/{cycle}/review", None, {**reviewers(OK), "anonymous": 303}),
    ("GET", "/cycles/{cycle}/review/submit", None, {**reviewers(OK), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/review/entries/GG-AMB-1", {"version": "0", "performance": "at"},
     {**reviewers(303, submitted=409), "anonymous": 303}),
    # 409: the peer has judged nothing yet; the other has submitted already
    ("POST", "/cycles/{cycle}/review/submit", {}, {**reviewers(409), "anonymous": 303}),
]


@pytest.fixture
def review_world(session, world):
    from datetime import timedelta

    from app.auth.service import API, issue_token
    from app.cycles import service as cycles_service
    from app.cycles.schemas import MemberCreate
    from support import make_user, rights_of, start_preparatory_review, write_review

    second = make_user(session, "second@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    start_preparatory_review(session, world.cycle)
    write_review(session, world.cycle, second, submit=True)
    world.people["peer_submitted"] = second
    world.tokens["peer_submitted"] = issue_token(session, second, API, timedelta(hours=1))
    session.commit()
    return world


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", REVIEW_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in REVIEW_MATRIX])
def test_review_matrix(client, session, review_world, method, path, body, expected):
    world = review_world
    ids = {"cycle": world.cycle.id, "peer": world.people["peer"].id, "host_city": world.host_city.id,
           "peer_submitted": world.people["peer_submitted"].id}
    wrong = _wrong_answers(client, session, world, REVIEW_ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


# --- the visit's notes and hypotheses: the cycle in its visit, an interview held by the peer
# (with a note of hers, "{note}") and a second peer who does not hold it ("second"); the
# peer's hypothesis on GG-AMB-1. ``{peer_submitted}`` names the hypothesis' author here, as
# the route's ``{reviewer_id}`` is named in test_every_route_is_in_the_matrix. -----------------

VISIT_ROLES = ["anonymous", "outsider", "host_officer", "peer", "second", "team_leader", "coordinator"]


def visit_team(status, peer=None, leader=None, second=None, host=403, coordinator=None):
    """Every member of the review team gets ``status`` unless said otherwise; the host city
    403 (until publication); coordinators as the team unless said otherwise."""
    return {"anonymous": 401, "outsider": 404, "host_officer": host, "peer": status if peer is None else peer,
            "second": status if second is None else second, "team_leader": status if leader is None else leader,
            "coordinator": status if coordinator is None else coordinator}


def note_writers(status):
    """The interview's peer and the team leader write its notes; nobody else."""
    return visit_team(403, peer=status, leader=status)


def as_page(expected):
    return {**expected, "anonymous": 303}


NOTES_MATRIX = [
    ("PUT", "/api/v1/cycles/{cycle}/interviews/{interview}/notes", {"text": "x"}, note_writers(OK)),
    ("GET", "/api/v1/cycles/{cycle}/interviews/{interview}/notes", None, visit_team(OK)),
    ("POST", "/api/v1/cycles/{cycle}/interviews/{interview}/notes", {"text": "x"}, note_writers(CREATED)),
    ("PUT", "/api/v1/cycles/{cycle}/interviews/{interview}/notes/{note}", {"text": "y"},
     visit_team(403, peer=OK)),  # its author only
    ("GET", "/api/v1/cycles/{cycle}/notes", None, visit_team(OK)),
    ("GET", "/api/v1/cycles/{cycle}/hypotheses", None, visit_team(OK)),
    ("PUT", "/api/v1/cycles/{cycle}/hypotheses/{peer_submitted}/GG-AMB-1", {"state": "confirmed"},
     visit_team(403, peer=OK, leader=OK)),
    ("GET", "/cycles/{cycle}/interviews/{interview}", None, as_page(visit_team(OK))),
    ("POST", "/cycles/{cycle}/interviews/{interview}/notes/mine", {"text": "x"}, as_page(note_writers(303))),
    ("POST", "/cycles/{cycle}/interviews/{interview}/notes/new", {}, as_page(note_writers(303))),
    ("POST", "/cycles/{cycle}/interviews/{interview}/notes/{note}", {"text": "y"},
     as_page(visit_team(403, peer=303))),
    ("GET", "/cycles/{cycle}/notes", None, as_page(visit_team(OK))),
    ("GET", "/cycles/{cycle}/hypotheses", None, as_page(visit_team(OK))),
    ("POST", "/cycles/{cycle}/hypotheses/{peer_submitted}/GG-AMB-1", {"state": "refuted"},
     as_page(visit_team(403, peer=303, leader=303))),
]


# --- the final judgements: the cycle in its visit, every review submitted ("at" throughout) ----

def visit_readers(status=OK):
    """The team's visit notes and judgements: the team and coordinators; the host city's
    officer only once the report is published."""
    return {"anonymous": 401, "outsider": 404, "host_officer": 403, "peer": status, "team_leader": status,
            "coordinator": status}


def judge_only(status):
    return {"anonymous": 401, "outsider": 404, "host_officer": 403, "peer": 403, "team_leader": status,
            "coordinator": 403}


JUDGEMENT_MATRIX = [
    ("GET", "/api/v1/cycles/{cycle}/assessment", None, visit_readers()),
    ("PUT", "/api/v1/cycles/{cycle}/assessment/GG-AMB-1", {"performance": "at"}, judge_only(OK)),
    ("GET", "/cycles/{cycle}/judgements", None, {**visit_readers(), "anonymous": 303}),
    ("GET", "/cycles/{cycle}/judgements/GG-AMB-1", None, {**visit_readers(), "anonymous": 303}),
    ("POST", "/cycles/{cycle}/judgements/GG-AMB-1", {"version": "", "performance": "at"},
     {**judge_only(303), "anonymous": 303}),
]


@pytest.fixture
def visit_world(session, world):
    from datetime import timedelta

    from app.auth.service import API, issue_token
    from app.cycles import service as cycles_service
    from app.cycles.schemas import MemberCreate
    from app.visit import notes
    from app.visit.notes_schemas import NoteWrite
    from support import add_interview, make_user, rights_of, start_visit, write_hypothesis

    second = make_user(session, "second@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    start_visit(session, world.cycle)
    peer = world.people["peer"]
    write_hypothesis(session, world.cycle, peer, "GG-AMB-1", known="A strategy exists.")
    world.interview = add_interview(session, world.cycle, [peer])
    world.note = notes.add_note(session, rights_of(session, peer, world.cycle), world.cycle, world.interview.id,
                                NoteWrite(text="Her note."))
    world.people["second"] = second
    world.tokens["second"] = issue_token(session, second, API, timedelta(hours=1))
    session.commit()
    return world


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", NOTES_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in NOTES_MATRIX])
def test_notes_matrix(client, session, visit_world, method, path, body, expected):
    world = visit_world
    ids = {"cycle": world.cycle.id, "interview": world.interview.id, "note": world.note.id,
           "peer_submitted": world.people["peer"].id}
    wrong = _wrong_answers(client, session, world, VISIT_ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


# --- the visit programme: the same cycle in its visit; "{interview}" is an interview without
# notes (so that the team leader may take it out). Built by the team leader only; read by the
# team, coordinators and, from the visit on, the host city. ----------------------------------

def programme_leader(status):
    """The team leader gets ``status``; everyone else in the cycle 403."""
    return visit_team(403, leader=status)


INTERVIEW = {"interviewees": [{"name": "Ana Lima"}], "peers": ["{peer}"], "starts_at": "2027-06-03T10:00:00"}
INTERVIEW_FORM = {"people": "Ana Lima ; Director", "date": "2027-06-03", "time": "10:00", "minutes": "60",
                  "peer-{peer}": "on"}
PROGRAMME_MATRIX = [
    ("POST", "/api/v1/cycles/{cycle}/visit-programme", {"days": ["2027-06-01"]}, programme_leader(OK)),
    ("GET", "/api/v1/cycles/{cycle}/visit-programme", None, visit_team(OK, host=OK)),
    ("GET", "/api/v1/cycles/{cycle}/visit-programme.ics", None, visit_team(OK, host=OK)),
    ("POST", "/api/v1/cycles/{cycle}/interviews", INTERVIEW, programme_leader(CREATED)),
    ("GET", "/api/v1/cycles/{cycle}/interviews/{interview}", None, visit_team(OK, host=OK)),
    ("PATCH", "/api/v1/cycles/{cycle}/interviews/{interview}", {"location": "Room 2"}, programme_leader(OK)),
    ("DELETE", "/api/v1/cycles/{cycle}/interviews/{interview}", None, programme_leader(204)),
    ("GET", "/cycles/{cycle}/programme", None, as_page(visit_team(OK, host=OK))),
    ("GET", "/cycles/{cycle}/programme/agenda", None, as_page(visit_team(OK, host=OK))),
    ("POST", "/cycles/{cycle}/programme/generate", {"day-0": "2027-06-01", "confirm": "on"},
     as_page(programme_leader(303))),
    ("GET", "/cycles/{cycle}/programme/new", None, as_page(programme_leader(OK))),
    ("POST", "/cycles/{cycle}/programme/new", INTERVIEW_FORM, as_page(programme_leader(303))),
    ("GET", "/cycles/{cycle}/programme/interviews/{interview}/edit", None, as_page(programme_leader(OK))),
    ("POST", "/cycles/{cycle}/programme/interviews/{interview}/edit", INTERVIEW_FORM, as_page(programme_leader(303))),
    ("POST", "/cycles/{cycle}/programme/interviews/{interview}/delete", {}, as_page(programme_leader(303))),
]


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", PROGRAMME_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in PROGRAMME_MATRIX])
def test_programme_matrix(client, session, visit_world, method, path, body, expected):
    from datetime import UTC, datetime

    from support import add_interview

    world = visit_world
    free = add_interview(session, world.cycle, [world.people["second"]], name="Omar Haddad",
                         starts_at=datetime(2027, 6, 2, 9, 0, tzinfo=UTC))
    ids = {"cycle": world.cycle.id, "interview": free.id, "peer": world.people["peer"].id}
    wrong = _wrong_answers(client, session, world, VISIT_ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", JUDGEMENT_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in JUDGEMENT_MATRIX])
def test_judgement_matrix(client, session, visit_world, method, path, body, expected):
    ids = {"cycle": visit_world.cycle.id, "peer": visit_world.people["peer"].id,
           "host_city": visit_world.host_city.id}
    wrong = _wrong_answers(client, session, visit_world, ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


# --- the final report: the cycle in its reporting, every indicator judged, the draft not
# shared yet; "{rec}" is the team leader's recommendation. ---------------------------------

def report_team(status, peer=None, leader=None, host=403, coordinator=None):
    """The team and coordinators get ``status`` unless said otherwise; the host city 403
    (until the draft is shared with it)."""
    return {"anonymous": 401, "outsider": 404, "host_officer": host, "peer": status if peer is None else peer,
            "team_leader": status if leader is None else leader,
            "coordinator": status if coordinator is None else coordinator}


def leader_only(status):
    return report_team(403, leader=status)


REC = {"indicator_codes": ["GG-AMB-1"], "text": "Fund it.", "horizon": "short"}
REC_FORM = {"indicator_codes": "GG-AMB-1", "text": "Fund it.", "horizon": "short"}
REPORT_MATRIX = [
    ("GET", "/api/v1/cycles/{cycle}/recommendations", None, report_team(OK)),
    ("POST", "/api/v1/cycles/{cycle}/recommendations", REC, report_team(CREATED, coordinator=403)),  # a peer proposes
    ("GET", "/api/v1/cycles/{cycle}/recommendations/{rec}", None, report_team(OK)),
    ("PATCH", "/api/v1/cycles/{cycle}/recommendations/{rec}", {"owner": "Mayor"}, leader_only(OK)),
    ("POST", "/api/v1/cycles/{cycle}/recommendations/{rec}/accept", None, leader_only(OK)),
    ("DELETE", "/api/v1/cycles/{cycle}/recommendations/{rec}", None, leader_only(204)),
    ("GET", "/api/v1/cycles/{cycle}/report", None, report_team(OK)),
    ("GET", "/api/v1/cycles/{cycle}/report/sections", None, report_team(OK)),
    ("PUT", "/api/v1/cycles/{cycle}/report/sections/summary", {"text": "x"}, leader_only(OK)),
    ("GET", "/api/v1/cycles/{cycle}/report/state", None, report_team(OK)),
    ("POST", "/api/v1/cycles/{cycle}/report/share", {"sharing": "team"}, leader_only(OK)),
    ("POST", "/api/v1/cycles/{cycle}/report/sign-off", None, report_team(403, peer=409)),  # 409: not shared yet
    ("GET", "/api/v1/cycles/{cycle}/report/comments", None, report_team(OK)),
    ("POST", "/api/v1/cycles/{cycle}/report/comments", {"section": "summary", "text": "x"},
     report_team(403, peer=409, host=409)),  # 409: not shared yet
    ("POST", "/api/v1/cycles/{cycle}/report/publish", None, leader_only(409)),  # 409: the peer has not signed off
    ("POST", "/api/v1/cycles/{cycle}/report/revise", {"reason": "x"}, report_team(403, coordinator=409)),
    # 404 for whoever sees the cycle: nothing is published yet
    ("GET", "/api/v1/cycles/{cycle}/report/versions/1/changes", None, report_team(404, host=404)),
    ("GET", "/api/v1/cycles/{cycle}/report/versions/1/files", None, report_team(404, host=404)),
    ("GET", "/cycles/{cycle}/report", None, as_page(report_team(OK))),
    ("GET", "/cycles/{cycle}/report/read", None, as_page(report_team(OK))),
    ("POST", "/cycles/{cycle}/report/share", {"sharing": "team"}, as_page(leader_only(303))),
    ("POST", "/cycles/{cycle}/report/sign-off", {}, as_page(report_team(403, peer=409))),
    ("POST", "/cycles/{cycle}/report/comments", {"section": "summary", "text": "x"},
     as_page(report_team(403, peer=409))),  # the host city sees no page of the draft before it is shared
    ("POST", "/cycles/{cycle}/report/publish", {}, as_page(leader_only(409))),
    ("POST", "/cycles/{cycle}/report/revise", {"reason": "x"}, as_page(report_team(403, coordinator=409))),
    ("POST", "/cycles/{cycle}/report/sections/summary", {"text": "x", "version": ""}, as_page(leader_only(303))),
    ("GET", "/cycles/{cycle}/recommendations", None, as_page(report_team(OK))),
    ("POST", "/cycles/{cycle}/recommendations", REC_FORM, as_page(report_team(303, coordinator=403))),
    ("GET", "/cycles/{cycle}/recommendations/{rec}/edit", None, as_page(leader_only(OK))),
    ("POST", "/cycles/{cycle}/recommendations/{rec}", REC_FORM, as_page(leader_only(303))),
    ("POST", "/cycles/{cycle}/recommendations/{rec}/practices", {"practice_id": "{practice}"},
     as_page(leader_only(303))),
    ("POST", "/cycles/{cycle}/recommendations/{rec}/accept", {}, as_page(leader_only(303))),
    ("POST", "/cycles/{cycle}/recommendations/{rec}/delete", {}, as_page(leader_only(303))),
]


@pytest.fixture
def report_world(session, world):
    from app.reports import recommendations
    from app.reports.schemas import RecommendationWrite
    from support import rights_of, start_reporting

    start_reporting(session, world.cycle)
    world.rec = recommendations.create_recommendation(
        session, rights_of(session, world.people["team_leader"], world.cycle), world.cycle,
        RecommendationWrite(indicator_codes=["GG-AMB-1"], text="Fund the strategy.", horizon="short"))
    session.commit()
    return world


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", REPORT_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in REPORT_MATRIX])
def test_report_matrix(client, session, report_world, method, path, body, expected):
    from sqlmodel import select

    from app.practices.tables import GoodPractice

    world = report_world
    practice = session.exec(select(GoodPractice.id).where(GoodPractice.key == "lisboa-one-stop-shop")).one()
    ids = {"cycle": world.cycle.id, "rec": world.rec.id, "practice": practice}
    wrong = _wrong_answers(client, session, world, ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


# --- the good-practice library: every logged-in person reads it, coordinators add and edit;
# "{practice}" is a practice of the library file (loaded at start-up) -----------------------

PRACTICE = {"theme": "partners", "title_fr": "Un pacte", "title_en": "A pact", "summary_fr": "Un pacte.",
            "summary_en": "A pact.", "source": "Velmar, 2026", "indicator_codes": ["WP-AMB-1"]}
PRACTICE_FORM = {**PRACTICE, "indicator_codes": "WP-AMB-1", "version": "1"}
PRACTICE_MATRIX = [
    ("GET", "/api/v1/practices", None, everyone(OK)),
    ("GET", "/api/v1/practices/{practice}", None, everyone(OK)),
    ("POST", "/api/v1/practices", PRACTICE, coordinator_only(CREATED)),
    # 428 for the coordinator: the matrix sends no If-Match (tests/app/practices/test_api.py does)
    ("PATCH", "/api/v1/practices/{practice}", {"title_en": "A pact"}, coordinator_only(428)),
    ("GET", "/practices", None, as_page(everyone(OK))),
    ("GET", "/practices/{practice}", None, as_page(everyone(OK))),
    ("GET", "/practices/new", None, as_page(coordinator_only(OK))),
    ("POST", "/practices/new", PRACTICE_FORM, as_page(coordinator_only(303))),
    ("GET", "/practices/{practice}/edit", None, as_page(coordinator_only(OK))),
    ("POST", "/practices/{practice}/edit", PRACTICE_FORM, as_page(coordinator_only(303))),
]


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", PRACTICE_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in PRACTICE_MATRIX])
def test_practice_matrix(client, session, world, method, path, body, expected):
    from sqlmodel import select

    from app.practices.tables import GoodPractice

    practice = session.exec(select(GoodPractice.id).where(GoodPractice.key == "lisboa-one-stop-shop")).one()
    ids = {"practice": practice}
    wrong = _wrong_answers(client, session, world, ROLES, method, path.format(**ids), body, expected, ids)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


# --- benchmarking: everyone logged in compares the published cycles ----------------------------

COMPARISON_MATRIX = [
    ("GET", "/api/v1/benchmark", None, everyone(OK)),
    ("GET", "/api/v1/open-data.csv", None, everyone(OK)),
    ("GET", "/api/v1/open-data.xlsx", None, everyone(OK)),
    ("GET", "/api/v1/benchmark/indicators", None, everyone(OK)),
    ("GET", "/compare", None, as_page(everyone(OK))),
    ("GET", "/compare/indicators", None, as_page(everyone(OK))),
    # the world's cycle is not published: no profile, for anyone (tests/app/comparison shows one)
    ("GET", "/compare/cycles/{cycle}", None, as_page(everyone(404))),
]


@ON_SQLITE
@pytest.mark.parametrize("method,path,body,expected", COMPARISON_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in COMPARISON_MATRIX])
def test_comparison_matrix(client, session, world, method, path, body, expected):
    url = path.format(cycle=world.cycle.id)
    wrong = _wrong_answers(client, session, world, ROLES, method, url, body, expected, {})
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


@ON_SQLITE
def test_every_route_is_in_the_matrix(engine):
    app = create_app(engine=engine)
    routes = {(m, r.path) for r in api_routes(app) for m in r.methods if m != "HEAD"}
    assert len(routes) > 30, "the routes were not found"
    covered = {(m, p) for m, p, _, _ in MATRIX + REVIEW_MATRIX + NOTES_MATRIX + PROGRAMME_MATRIX
               + JUDGEMENT_MATRIX + REPORT_MATRIX + PRACTICE_MATRIX + COMPARISON_MATRIX} | PUBLIC
    names = {"{city_id}": "{host_city}", "{cycle_id}": "{cycle}", "{user_id}": "{peer}", "{code}": "GG-AMB-1",
             "{document_id}": "999", "{pillar}": "GG", "{dimension}": "AMB",
             "{reviewer_id}": "{peer_submitted}", "{interview_id}": "{interview}", "{note_id}": "{note}",
             "{rec_id}": "{rec}", "{key}": "summary", "{practice_id}": "{practice}", "{number}": "1"}

    def normalise(path):
        for name, value in names.items():
            path = path.replace(name, value)
        return path

    missing = sorted((m, p) for m, p in routes if (m, normalise(p)) not in covered and (m, p) not in covered)
    assert not missing, f"routes with no row in the authorization matrix: {missing}"

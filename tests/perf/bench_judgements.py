"""Benchmark: one indicator's final-judgement page with 40 interviews and 300 notes.

Not a test (the name does not start with ``test_``): a measurement, printed as a table,
the real request's time as a ratio of a baseline measured in the same run, interleaved.

Usage, from the project root::

    python tests/perf/bench_judgements.py                     # about 10 s
    python tests/perf/bench_judgements.py --rounds 5 -n 20    # the defaults

Set-up (SQLite in a temporary directory): the schema, the benchmark, a host city whose
initial report is submitted (every indicator rated), a cycle in its visit with a team
leader and 5 peers, each with a submitted review of the 73 indicators (judgements drawn
with a fixed seed, a hypothesis of three lines each), 40 interviews and 300 notes written
straight into their tables, every note tagged to GG-IMP-3 (the page measured) and to one
or two other indicators, each of 400 to 900 characters; each reviewer's hypothesis on
GG-IMP-3 checked (confirmed or refuted, with two notes); a third of the indicators judged.

1. The final-judgement page of GG-IMP-3
    *real*: ``GET /cycles/{id}/judgements/GG-IMP-3`` (``Accept: text/html``) of the app
    through ``TestClient``, logged in as the team leader by a web-session cookie: the
    host's entry, the six reviewers' judgements and hypotheses, the 300 notes, the form.
    *baseline*: ``visit/judgement.html`` rendered from memory with the context the page
    gives it (``judgements_pages.judgement_context`` of what the page loads, loaded once
    beforehand) and the same page-wide variables ``web.render`` adds: what is left
    without HTTP, FastAPI, authentication and the database.

Statements: the SQL statements of one page request with 10 notes tagged to the indicator,
then with 300 (they must be equal: the page reads the notes in one query whatever their
number; ``tests/app/visit/test_judgements_pages.py`` checks it too).
Goal: issue 10 names none; the table compares with issue 9's, within 2× the baseline.
Informative: exit status 0, unless the statements grow with the notes (1).

What it showed: the notes grouped by interview make the template cheap (one date written
out per interview, not per note: about 9 ms for 300 notes), so what a real request adds
whatever the page (the session's lookup, the cycle's row, a 325 KB answer through the test
client: about 9 ms) and its 12 queries (about 6 ms, the notes read as plain rows without
decoding their tags) weigh more than the rendering: about 2.5–3× on the 2-core machine.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for path in (ROOT, HERE, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_self_assessment import count_statements, median_ms, timed  # noqa: E402

CODE = "GG-IMP-3"
PEERS = 5
INTERVIEWS = 40
NOTES = 300
FIRST_NOTES = 10
WORDS = ("committee", "council", "budget", "strategy", "migrants", "association", "department", "survey",
         "interpreter", "mayor", "plan", "evaluation", "staff", "training", "school", "housing")


def prepare(url: str, interviews: int = INTERVIEWS):
    """(engine, cycle, team leader, web session, a function adding the notes): the set-up
    of the module's docstring (``tests/perf/bench_report.py`` starts from it too)."""
    from sqlmodel import Session
    from support import make_user, rights_of, start_preparatory_review, write_review

    from benchmark.scales import Phase

    import app.tables  # noqa: F401  (every table registered)
    from app.auth.service import WEB, issue_token
    from app.cycles import service as cycles_service
    from app.cycles.schemas import CycleCreate, MemberCreate
    from app.db import make_engine, upgrade
    from app.indicators.service import get_set
    from app.main import load_benchmark
    from app.people import service as people_service
    from app.people.schemas import CityCreate
    from app.settings import get_settings
    from app.visit import judgements
    from app.visit.judgements_schemas import JudgementWrite
    from app.visit.tables import HypothesisCheck, InterviewNote

    engine = make_engine(url)
    upgrade(engine)
    load_benchmark(engine, get_settings())
    rng = random.Random(10)
    with Session(engine, expire_on_commit=False) as s:
        coordinator = make_user(s, "coord@example.org", "Claire Coordinator", None, coordinator=True)
        host, other = (people_service.create_city(s, coordinator.id, CityCreate(name=n, country=c))
                       for n, c in (("Velmar", "France"), ("Nordhaven", "Denmark")))
        s.commit()
        officer = make_user(s, "officer@velmar.example", "Amina Officer", host)
        team = [make_user(s, f"r{n}@nordhaven.example", f"Reviewer {n}", other) for n in range(PEERS + 1)]
        cycle = cycles_service.create_cycle(s, coordinator, CycleCreate(title="Velmar 2027", host_city_id=host.id))
        s.commit()
        rights = rights_of(s, coordinator, cycle)
        cycles_service.add_member(s, rights, cycle, MemberCreate(user_id=officer.id, role="host_officer"))
        for n, user in enumerate(team):
            cycles_service.add_member(s, rights, cycle, MemberCreate(
                user_id=user.id, role="team_leader" if n == 0 else "peer"))
        s.commit()
        start_preparatory_review(s, cycle)
        codes = [i.code for i in get_set(s, cycle.indicator_set_version).indicators]
        for user in team:
            write_review(s, cycle, user, {c: rng.choice(["below", "at", "at", "above", "more_info"]) for c in codes},
                         submit=True, hypothesis={
                             "known": "A consultative committee exists and meets twice a year.",
                             "unknown": "Whether its advice reaches the council's decisions.",
                             "suspected": "It is consulted after decisions are taken, not before."})
        cycles_service.change_phase(s, rights_of(s, coordinator, cycle), cycle, Phase.VISIT)
        s.commit()
        leader = team[0]
        held = add_interviews(s, cycle, team, range(interviews), rng)
        leader_rights = rights_of(s, leader, cycle)
        for code in codes[::3]:
            judgements.write_judgement(s, leader_rights, cycle, code, JudgementWrite(
                performance="at", rationale="As the interviews showed."), None)
        web = issue_token(s, leader, WEB, timedelta(hours=3))
        s.commit()
        made: list[int] = []

        def add_notes(count: int) -> None:
            with Session(engine) as session:
                notes = [InterviewNote(
                    cycle_id=cycle.id, interview_id=held[(len(made) + n) % len(held)].id,
                    author_id=team[(len(made) + n) % len(team)].id,
                    text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 130))).capitalize() + ".",
                    indicator_codes=[CODE, *rng.sample(codes, rng.randint(1, 2))]) for n in range(count)]
                session.add_all(notes)
                session.commit()
                made.extend(n.id for n in notes)
                if len(made) == NOTES:
                    for n, user in enumerate(team):
                        session.add(HypothesisCheck(cycle_id=cycle.id, reviewer_id=user.id, indicator_code=CODE,
                                                    state="confirmed" if n % 2 else "refuted",
                                                    note_ids=made[n * 2:n * 2 + 2], comment="Settled on day two."))
                    session.commit()

    return engine, cycle, leader, web, add_notes


def add_interviews(session, cycle, team, numbers, rng: random.Random) -> list:
    """Interviews number ``numbers`` of the visit, each of one interlocutor by two of ``team``,
    eight a day from 1 June 2027."""
    from support import add_interview

    start = datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
    return [add_interview(session, cycle, rng.sample(team, 2), name=f"Interlocutor {n}",
                          starts_at=start + timedelta(days=n // 8, hours=n % 8), codes=(CODE,)) for n in numbers]


class Baseline:
    """``visit/judgement.html`` rendered from memory with the context the page gives it."""

    def __init__(self, engine, cycle, leader, csrf_cookie: str, session_cookie: str) -> None:
        from sqlmodel import Session

        from app.auth.security import csrf_token_for
        from app.cycles.deps import load_cycle_access
        from app.reviews.service import team_consolidation
        from app.secret_key import stored_secret_key
        from app.self_assessment import service as report_service
        from app.visit import judgements

        with Session(engine, expire_on_commit=False) as session:
            rights = load_cycle_access(session, leader, cycle.id).rights
            self.team = team_consolidation(session, rights, cycle)
            self.found = judgements.assessment(session, rights, cycle, self.team)
            self.host = report_service.saved_entry(session, cycle, CODE).entry
            self.evidence = judgements.visit_evidence(session, cycle, CODE)
        self.cycle, self.leader = cycle, leader
        self.path = f"/cycles/{cycle.id}/judgements/{CODE}"
        self.csrf = csrf_token_for(stored_secret_key(engine)[0], csrf_cookie, session_cookie)
        self.request = SimpleNamespace(state=SimpleNamespace(user=leader, lang="en"),
                                       url=SimpleNamespace(path=self.path, query=""), cookies={})

    def __call__(self) -> str:
        from app.i18n import LANGUAGES, gettext_for
        from app.visit.judgements_pages import judgement_context
        from app.web import env

        return env.get_template("visit/judgement.html").render(
            request=self.request, _=gettext_for("en"), lang="en", languages=LANGUAGES, colon=": ",
            user=self.leader, csrf_token=self.csrf, path=self.path, query="", flash=None, cycle=self.cycle,
            **judgement_context(self.team, self.found, CODE, self.host, self.evidence, True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-n", type=int, default=20, help="requests per side and round")
    args = parser.parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore")
    from fastapi.testclient import TestClient

    from app.main import create_app

    with tempfile.TemporaryDirectory() as tmp:
        engine, cycle, leader, web, add_notes = prepare(f"sqlite:///{tmp}/bench.db")
        with TestClient(create_app(engine=engine)) as client:
            client.cookies.set("inti_session", web)
            path = f"/cycles/{cycle.id}/judgements/{CODE}"
            html = {"Accept": "text/html"}
            add_notes(FIRST_NOTES)
            first = client.get(path, headers=html)  # warm: the indicator set, the consolidation
            assert first.status_code == 200 and f"this indicator ({FIRST_NOTES})" in first.text, first.text[:500]
            with count_statements(engine) as few_statements:
                client.get(path, headers=html)
            add_notes(NOTES - FIRST_NOTES)
            real = client.get(path, headers=html)
            assert real.status_code == 200 and f"this indicator ({NOTES})" in real.text
            with count_statements(engine) as many_statements:
                client.get(path, headers=html)
            base = Baseline(engine, cycle, leader, client.cookies.get("inti_csrf") or "", web)
            assert base().count('class="note"') == real.text.count('class="note"') == NOTES, \
                "the baseline renders another page than the real one"
            cases = {f"final-judgement page, {INTERVIEWS} interviews, {NOTES} notes":
                     (lambda: client.get(path, headers=html), base)}
            times: dict[str, tuple[list[int], list[int]]] = {k: ([], []) for k in cases}
            for round_ in range(args.rounds):
                for name, (real_side, baseline) in cases.items():
                    sides = [(real_side, 0), (baseline, 1)]
                    if round_ % 2:
                        sides.reverse()
                    for func, side in sides:
                        for _ in range(args.n):
                            times[name][side].append(timed(func)[0])
    print(f"One indicator's final-judgement page; {args.rounds} rounds × {args.n} per side (median per request)\n")
    print("| case | real ms | baseline ms | real/baseline | goal |")
    print("|---|---:|---:|---:|---|")
    for name, (real_times, baseline_times) in times.items():
        ratio = median_ms(real_times) / median_ms(baseline_times)
        print(f"| {name} | {median_ms(real_times):.1f} | {median_ms(baseline_times):.1f} | {ratio:.2f}× | "
              f"{'met' if ratio <= 2 else 'missed'} (2×) |")
    same = "equal" if len(few_statements) == len(many_statements) else "NOT EQUAL"
    print(f"\nSQL statements of the page: {len(few_statements)} with {FIRST_NOTES} notes, "
          f"{len(many_statements)} with {NOTES} ({same})")
    return 0 if len(few_statements) == len(many_statements) else 1


if __name__ == "__main__":
    sys.exit(main())

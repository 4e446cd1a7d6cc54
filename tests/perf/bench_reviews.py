"""Benchmark: the team's consolidation of 73 indicators × 8 reviewers, page and API; a
reviewer's own page.

Not a test (the name does not start with ``test_``): a measurement, printed as a table,
each real request's time as a ratio of a baseline measured in the same run, interleaved.

Usage, from the project root::

    python tests/perf/bench_reviews.py                     # about 30 s
    python tests/perf/bench_reviews.py --rounds 5 -n 20    # the defaults

Set-up (SQLite in a temporary directory): the schema, the benchmark, a host city whose
initial report is submitted (every indicator rated), a cycle in its preparatory review
with a team leader and 7 peers, each of the 8 with a submitted review of all 73
indicators (judgements drawn with a fixed seed so that about a third of the indicators
are disputed, a hypothesis of three lines, two questions and two people to meet each,
people named alike across reviewers so that they merge).

1. The consolidation page
    *real*: ``GET /cycles/{id}/consolidation`` (``Accept: text/html``) of the app through
    ``TestClient``, logged in as the team leader by a web-session cookie.
    *baseline*: ``reviews/consolidation.html`` rendered from memory with the context
    the page gives it (``team_pages.consolidation_context`` of a consolidation computed
    once beforehand), and the same page-wide variables ``web.render`` adds: what is left
    without HTTP, FastAPI, authentication, the database and the scoring.
2. The consolidation API
    *real*: ``GET /api/v1/cycles/{id}/consolidation`` as the team leader (bearer token).
    *baseline*: a bare FastAPI endpoint (no middleware, no authentication, no database)
    answering ``json.dumps`` of ``service.consolidation_data`` of that same in-memory
    consolidation (the encoding the API does once per consolidation, here every time),
    through its own ``TestClient``: the same HTTP costs on both sides, as bench_api.py does.

3. A reviewer's own page, as the officer's page is measured (bench_self_assessment.py)
    *real*: ``GET /cycles/{id}/review`` as a ninth reviewer whose draft review has all 73
    indicators written (the host's report beside it).
    *baseline*: ``reviews/review.html`` rendered from memory with the context
    ``reviews.pages._page`` gives it (its review and the host's report loaded beforehand).

Statements: the SQL statements of one page request and one API request (they must not
grow with the reviewers: ``tests/app/reviews/test_statements.py`` checks it).
Goal (issue 9): each real request within 2× its baseline. Informative: exit status 0.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for path in (ROOT, HERE, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_self_assessment import count_statements, median_ms, timed  # noqa: E402

REVIEWERS = 8
PEOPLE = ["Hélène Marchetti", "helene marchetti", "Youssef Benali", "Anna Kowalska", "ANNA KOWALSKA",
          "Jens Olsen", "Marie Dubois"]


def prepare(url: str):
    """(engine, cycle, team leader, web session, API token, a drafting reviewer, their web session)."""
    from sqlmodel import Session

    import app.tables  # noqa: F401  (every table registered)
    from app.auth.service import API, WEB, issue_token
    from app.cycles import service as cycles_service
    from app.cycles.schemas import CycleCreate, MemberCreate
    from app.db import make_engine, upgrade
    from app.indicators.service import get_set
    from app.main import load_benchmark
    from app.people import service as people_service
    from app.people.schemas import CityCreate
    from app.settings import get_settings
    from support import make_user, rights_of, start_preparatory_review, write_review

    engine = make_engine(url)
    upgrade(engine)
    load_benchmark(engine, get_settings())
    rng = random.Random(9)
    with Session(engine, expire_on_commit=False) as s:
        coordinator = make_user(s, "coord@example.org", "Claire Coordinator", None, coordinator=True)
        host, other = (people_service.create_city(s, coordinator.id, CityCreate(name=n, country=c))
                       for n, c in (("Velmar", "France"), ("Nordhaven", "Denmark")))
        s.commit()
        officer = make_user(s, "officer@velmar.example", "Amina Officer", host)
        team = [make_user(s, f"r{n}@nordhaven.example", f"Reviewer {n}", other) for n in range(REVIEWERS)]
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
        disputed = set(rng.sample(codes, len(codes) // 3))
        for user in team:
            performances = {c: rng.choice(["below", "at", "above", "more_info"]) if c in disputed else "at"
                            for c in codes}
            write_review(s, cycle, user, performances, submit=True, hypothesis={
                "known": "A consultative committee exists and meets twice a year.",
                "unknown": "Whether its advice reaches the council's decisions.",
                "suspected": "It is consulted after decisions are taken, not before."},
                questions=["Who sets the committee's agenda?", f"What did {user.full_name} read about it?"],
                people_to_meet=[{"name": rng.choice(PEOPLE), "role": "Deputy mayor"},
                                {"name": rng.choice(PEOPLE), "organisation": "City", "interpreter": True}])
        drafter = make_user(s, "draft@nordhaven.example", "Dora Draft", other)
        cycles_service.add_member(s, rights_of(s, coordinator, cycle), cycle,
                                  MemberCreate(user_id=drafter.id, role="peer"))
        s.commit()
        write_review(s, cycle, drafter, hypothesis={"known": "A committee exists.", "unknown": "Its weight.",
                                                    "suspected": "Little."},
                     questions=["Who chairs it?"], people_to_meet=[{"name": "Hélène Marchetti"}])
        leader = team[0]
        web = issue_token(s, leader, WEB, timedelta(hours=3))
        drafter_web = issue_token(s, drafter, WEB, timedelta(hours=3))
        api = issue_token(s, leader, API, timedelta(hours=3))
        s.commit()
    return engine, cycle, leader, web, api, drafter, drafter_web


class Baselines:
    """The page's template and the API's JSON from a consolidation computed once."""

    def __init__(self, engine, cycle, leader, csrf_cookie: str, session_cookie: str) -> None:
        from sqlmodel import Session

        from app.auth.security import csrf_token_for
        from app.cycles.deps import load_cycle_access
        from app.indicators.service import get_set
        from app.reviews import service
        from app.secret_key import stored_secret_key

        with Session(engine, expire_on_commit=False) as session:
            self.team = service.team_consolidation(session, load_cycle_access(session, leader, cycle.id).rights, cycle)
            self.iset = get_set(session, cycle.indicator_set_version)
        self.cycle, self.leader = cycle, leader
        self.path = f"/cycles/{cycle.id}/consolidation"
        self.csrf = csrf_token_for(stored_secret_key(engine)[0], csrf_cookie, session_cookie)
        self.request = SimpleNamespace(state=SimpleNamespace(user=leader, lang="en"),
                                       url=SimpleNamespace(path=self.path, query=""), cookies={})

    def page(self) -> str:
        from app.i18n import LANGUAGES, gettext_for
        from app.reviews.team_pages import consolidation_context
        from app.web import env

        return env.get_template("reviews/consolidation.html").render(
            request=self.request, _=gettext_for("en"), lang="en", languages=LANGUAGES, colon=": ",
            user=self.leader, csrf_token=self.csrf, path=self.path, query="", flash=None, cycle=self.cycle,
            **consolidation_context(self.team, self.iset, "Velmar"))

    def api(self) -> bytes:
        from app.reviews import service

        return json.dumps(service.consolidation_data(self.team), ensure_ascii=False, separators=(",", ":"),
                          default=lambda value: value.isoformat()).encode()


class OwnPage:
    """``reviews/review.html`` rendered from memory with the context the page gives it."""

    def __init__(self, engine, cycle, reviewer) -> None:
        from sqlmodel import Session

        from app.cycles.deps import load_cycle_access
        from app.reviews import service
        from app.self_assessment import service as report_service

        with Session(engine, expire_on_commit=False) as session:
            rights = load_cycle_access(session, reviewer, cycle.id).rights
            self.review = service.own_review(session, rights, cycle)
            self.report = report_service.readable_report(session, rights, cycle)
            self.deadline = service.review_deadline(session, cycle)
        self.rights = rights.seeing_review(self.review.status)
        self.engine, self.cycle, self.reviewer = engine, cycle, reviewer
        self.path = f"/cycles/{cycle.id}/review"
        self.request = SimpleNamespace(state=SimpleNamespace(user=reviewer, lang="en"),
                                       url=SimpleNamespace(path=self.path, query=""), cookies={})
        self.csrf = ""

    def csrf_for(self, csrf_cookie: str, session_cookie: str) -> str:
        from app.auth.security import csrf_token_for
        from app.secret_key import stored_secret_key

        return csrf_token_for(stored_secret_key(self.engine)[0], csrf_cookie, session_cookie)

    def __call__(self) -> str:
        from benchmark.scales import Performance, Phase

        from app.i18n import LANGUAGES, gettext_for
        from app.reviews.pages import sections
        from app.self_assessment.pages import is_document, link_host
        from app.web import env

        review = self.review
        return env.get_template("reviews/review.html").render(
            request=self.request, _=gettext_for("en"), lang="en", languages=LANGUAGES, colon=": ",
            user=self.reviewer, csrf_token=self.csrf, path=self.path, query="", flash=None, cycle=self.cycle,
            review=review, sections=sections(review, self.report), missing=review.missing(),
            performances=[p.value for p in Performance], rights=self.rights, editing=True,
            deadline=self.deadline, phase_open=self.rights.phase == Phase.PREPARATORY_REVIEW,
            is_document=is_document, link_host=link_host, error_code=None, only_unjudged=False)


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
        engine, cycle, leader, web, api, drafter, drafter_web = prepare(f"sqlite:///{tmp}/bench.db")
        with TestClient(create_app(engine=engine)) as client:
            client.cookies.set("inti_session", web)
            page_path, api_path = f"/cycles/{cycle.id}/consolidation", f"/api/v1/cycles/{cycle.id}/consolidation"
            html = {"Accept": "text/html"}
            bearer = {"Authorization": f"Bearer {api}"}
            first = client.get(page_path, headers=html)
            assert first.status_code == 200 and "Reviewer 7" in first.text, first.text[:500]
            base = Baselines(engine, cycle, leader, client.cookies.get("inti_csrf") or "", web)
            assert base.page().count('class="judgement r-') == first.text.count('class="judgement r-'), \
                "the baseline renders another page than the real one"
            real_api = client.get(api_path, headers=bearer)
            assert real_api.status_code == 200 and json.loads(base.api())["alpha"] == real_api.json()["alpha"]
            from fastapi import FastAPI, Response

            bare = FastAPI()

            @bare.get("/consolidation")
            def bare_consolidation():
                return Response(base.api(), media_type="application/json")

            bare_client = TestClient(bare)
            assert bare_client.get("/consolidation").json()["alpha"] == real_api.json()["alpha"]
            own = OwnPage(engine, cycle, drafter)
            drafter_client = TestClient(create_app(engine=engine))
            drafter_client.__enter__()
            drafter_client.cookies.set("inti_session", drafter_web)
            own_path = f"/cycles/{cycle.id}/review"
            first_own = drafter_client.get(own_path, headers=html)
            assert first_own.status_code == 200 and first_own.text.count('name="performance"') >= 73
            own.csrf = own.csrf_for(drafter_client.cookies.get("inti_csrf") or "", drafter_web)
            assert own().count('name="performance"') == first_own.text.count('name="performance"')
            cases = {
                "consolidation page, 73 × 8": (lambda: client.get(page_path, headers=html), base.page),
                "consolidation API, 73 × 8": (lambda: client.get(api_path, headers=bearer),
                                              lambda: bare_client.get("/consolidation")),
                "a reviewer's own page, 73 written": (lambda: drafter_client.get(own_path, headers=html), own),
            }
            times: dict[str, tuple[list[int], list[int]]] = {k: ([], []) for k in cases}
            for round_ in range(args.rounds):
                for name, (real, baseline) in cases.items():
                    sides = [(real, 0), (baseline, 1)]
                    if round_ % 2:
                        sides.reverse()
                    for func, side in sides:
                        for _ in range(args.n):
                            times[name][side].append(timed(func)[0])
            with count_statements(engine) as page_statements:
                client.get(page_path, headers=html)
            with count_statements(engine) as api_statements:
                client.get(api_path, headers=bearer)
    print(f"Consolidation of 73 indicators × {REVIEWERS} reviewers; {args.rounds} rounds × {args.n} per side "
          f"(median per request)\n")
    print("| case | real ms | baseline ms | real/baseline | goal |")
    print("|---|---:|---:|---:|---|")
    for name, (real, baseline) in times.items():
        ratio = median_ms(real) / median_ms(baseline)
        print(f"| {name} | {median_ms(real):.1f} | {median_ms(baseline):.1f} | {ratio:.2f}× | "
              f"{'met' if ratio <= 2 else 'missed'} (2×) |")
    print(f"\nSQL statements: page {len(page_statements)}, API {len(api_statements)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

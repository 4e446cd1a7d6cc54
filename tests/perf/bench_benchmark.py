"""Benchmark: comparing the published cycles as the network grows (issue 12), on SQLite and
on PostgreSQL (a throwaway cluster on loopback).

The database holds 10, then 100, 1,000 and 10,000 published cycles (``--sizes``), each
with its published results as the publication records them (one row per cycle with its
counts per pillar-dimension, 73 per cycle and indicator), written in bulk with random
judgements (seeded). At each size, interleaved ``--rounds`` times:

- ``GET /api/v1/benchmark`` (every published cycle of the current set: the largest answer);
- ``GET /api/v1/benchmark?cycle_ids=…`` with 10 cycles named;
- ``GET /compare`` (the heat map's first page and the network's median);
- the baseline: ``GET /api/v1/me``, a bare authenticated request, in the same rounds.

Reported per size: the median per request (ms), its ratio to the baseline, and how it grew
from the size before (10× more cycles: "linear" is 10×). Goal: linear or better, under one
second at 10,000 cycles. The SQL statements of each request are counted at every size and
must stay equal (exit status 1 if they grow); a missed timing goal is information (exit 0).
"""
from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for path in (ROOT, HERE, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_self_assessment import count_statements, median_ms, timed  # noqa: E402

GOAL_MS = 1000
PERFORMANCES = ("below", "at", "at", "above", "more_info")
COUNTRIES = ("France", "Italy", "Sweden", "Poland", "Greece", "Portugal", "Belgium", "Germany")


def prepare(url: str):
    """A migrated database with the benchmark and a coordinator; (engine, its API token, web session)."""
    from datetime import timedelta as td

    from sqlmodel import Session

    import app.tables  # noqa: F401  (every table registered)
    from app.auth.service import API, WEB, issue_token
    from app.db import make_engine, upgrade
    from app.main import load_benchmark
    from app.settings import get_settings
    from support import make_user

    engine = make_engine(url)
    upgrade(engine)
    load_benchmark(engine, get_settings())
    with Session(engine) as session:
        user = make_user(session, "coord@example.org", "Claire Coordinator", None, coordinator=True)
        token, web = issue_token(session, user, API, td(hours=2)), issue_token(session, user, WEB, td(hours=2))
        session.commit()
    return engine, token, web


def grow(engine, start: int, stop: int, rng: random.Random) -> None:
    """Published cycles ``start`` .. ``stop`` - 1, each with a city of its own, in bulk."""
    from sqlalchemy import insert
    from sqlmodel import Session

    from benchmark.comparison import count_cells

    from app.comparison.tables import PublishedCycle, PublishedResult
    from app.cycles.tables import Cycle
    from app.indicators.service import current_version, get_set
    from app.people.names import name_key
    from app.people.tables import City

    with Session(engine) as session:
        version = current_version(session)
        indicators = get_set(session, version).indicators
        now = datetime(2026, 1, 1, tzinfo=UTC)
        for first in range(start, stop, 1000):
            batch = range(first, min(first + 1000, stop))
            cities = [{"id": n + 1, "name": f"City {n}", "name_key": name_key(f"City {n}"),
                       "country": COUNTRIES[n % len(COUNTRIES)], "version": 1, "created_at": now} for n in batch]
            cycles = [{"id": n + 1, "title": f"City {n} review", "host_city_id": n + 1,
                       "indicator_set_version": version, "phase": "published", "version": 1, "created_at": now}
                      for n in batch]
            published, results = [], []
            for n in batch:
                when = now - timedelta(days=rng.randrange(0, 5 * 365))
                judged = [(i, rng.choice(PERFORMANCES)) for i in indicators]
                counts = count_cells((i.pillar.value, i.dimension.value, p) for i, p in judged)
                published.append({"cycle_id": n + 1, "indicator_set_version": version, "report_version": 1,
                                  "first_published_at": when, "published_at": when,
                                  "counts": {k: list(v) for k, v in counts.items()}})
                results += [{"cycle_id": n + 1, "indicator_code": i.code, "pillar": i.pillar.value,
                             "dimension": i.dimension.value, "performance": p, "self_rating": "at",
                             "recommendations": rng.randrange(0, 3)} for i, p in judged]
            for model, rows in ((City, cities), (Cycle, cycles), (PublishedCycle, published),
                                (PublishedResult, results)):
                session.execute(insert(model), rows)
            session.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


def measure(engine, token: str, web: str, sizes: list[int], rounds: int, n: int) -> tuple[list, dict]:
    from fastapi.testclient import TestClient

    from app.main import create_app

    bearer = {"Authorization": f"Bearer {token}"}
    rng = random.Random(12)
    rows, statements = [], {}
    with TestClient(create_app(engine=engine)) as client:
        client.cookies.set("inti_session", web)

        def get(url: str, headers: dict | None = None):
            def run():
                answer = client.get(url, headers=bearer if headers is None else headers)
                assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
                return answer
            return run

        have = 0
        for size in sizes:
            grow(engine, have, size, rng)
            have = size
            named = ",".join(str(i) for i in range(1, size + 1, max(1, size // 10)))[:2000]
            cases = {"all published, API": get("/api/v1/benchmark"),
                     "10 named, API": get(f"/api/v1/benchmark?cycle_ids={named}"),
                     "the page": get("/compare?lang=en", {"Accept": "text/html"}),
                     "baseline /api/v1/me": get("/api/v1/me")}
            assert len(cases["all published, API"]().json()["cycles"]) == size
            for name, run in cases.items():
                run()  # warm
                with count_statements(engine) as seen:
                    run()
                statements.setdefault(name, []).append(len(seen))
            samples: dict[str, list[int]] = {name: [] for name in cases}
            for r in range(rounds):
                order = list(cases) if r % 2 == 0 else list(reversed(cases))
                for name in order:
                    for _ in range(n):
                        ns, _answer = timed(cases[name])
                        samples[name].append(ns)
            rows.append((size, {name: median_ms(s) for name, s in samples.items()}))
    return rows, statements


def report(backend: str, rows: list, statements: dict) -> bool:
    """Print the table; whether the statements stayed equal."""
    print(f"\n### {backend}\n")
    print("| case | cycles | real ms | baseline ms | real/baseline | growth from the size before | goal |")
    print("|---|---:|---:|---:|---:|---:|---|")
    previous: dict[str, float] = {}
    for size, medians in rows:
        base = medians["baseline /api/v1/me"]
        for name, ms in medians.items():
            if name.startswith("baseline"):
                continue
            growth = f"{ms / previous[name]:.2f}×" if name in previous else "—"
            goal = f"{'met' if ms < GOAL_MS else '**missed**'} (< 1 s)" if size >= 10_000 else "—"
            print(f"| {name} | {size:,} | {ms:.1f} | {base:.1f} | {ms / base:.2f}× | {growth} | {goal} |")
            previous[name] = ms
    equal = all(len(set(counts)) == 1 for counts in statements.values())
    print("\nSQL statements per request, size by size: "
          + "; ".join(f"{name} {counts}" for name, counts in statements.items())
          + (" (equal)" if equal else " (**they grow**)"))
    return equal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,10000", help="published cycles, growing (comma-separated)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-n", type=int, default=3, help="requests per case and round")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    equal = True
    print(f"Comparing published cycles; {args.rounds} rounds × {args.n} requests per case (median per request)")
    with contextlib.ExitStack() as stack:
        if args.only != "postgresql":
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            engine, token, web = prepare(f"sqlite:///{tmp}/bench.db")
            equal &= report("SQLite", *measure(engine, token, web, sizes, args.rounds, args.n))
            engine.dispose()
        if args.only != "sqlite":
            from pg_cluster import PostgresCluster
            from sqlalchemy import create_engine, text

            cluster = PostgresCluster.start(prefix="inti-bench-pg-")
            stack.callback(cluster.remove)
            admin = create_engine(f"{cluster.url}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text('CREATE DATABASE "inti_bench"'))
            admin.dispose()
            engine, token, web = prepare(f"{cluster.url}/inti_bench")
            equal &= report("PostgreSQL", *measure(engine, token, web, sizes, args.rounds, args.n))
            engine.dispose()
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())

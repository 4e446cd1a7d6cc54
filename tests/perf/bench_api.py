"""Benchmark: ``GET /api/v1/indicators`` of the real app against a bare FastAPI baseline.

Not a test (the name does not start with ``test_``, so pytest does not collect it):
a measurement, printed as a table, with the real app's latency as a ratio of a
baseline measured in the same run, on the same machine, interleaved with it.

Usage, from the project root::

    python tests/perf/bench_api.py                      # SQLite in a temporary directory
    python tests/perf/bench_api.py --rounds 7 -n 300    # the defaults
    python tests/perf/bench_api.py --http-seconds 20    # budget of the uvicorn part (0: skip it)
    python tests/perf/bench_api.py --postgres postgresql+psycopg://user@127.0.0.1:5432/scratch
    python tests/perf/bench_api.py --profile            # cProfile of the real endpoint, no table

What is compared
    *real*: ``create_app(engine=...)`` on a freshly migrated database holding the
    benchmark and one user, called with that user's API bearer token.
    *bare*: a FastAPI app with one ``GET /indicators`` that returns the same lists
    (fetched once from the real API at start and checked equal) from memory: no
    auth, no database, no middleware, no ``response_model``. Both are plain ``def``
    endpoints, so both pay FastAPI's thread-pool hop.

Cases: the default call, ``?lang=en`` and ``?pillar=WP&dimension=IMP``; each
    * in-process, through ``fastapi.testclient.TestClient`` (lifespan run): rounds
      of N requests per app, the order alternating between rounds and cases;
    * over HTTP, on 127.0.0.1 only, against two uvicorn servers started as
      subprocesses of this script (free ports, stopped at the end) with an
      ``httpx.Client`` keep-alive loop; bounded by N requests per batch and
      ``--http-seconds`` in all (start-up included).

Reported: median per-request latency (µs) of each app over all its requests, the
ratio real/bare and whether it meets the goal (real ≤ 1.5 × bare); then the
median requests/s over the batches and the 90th percentile. The goal is
informative: a miss prints ``MISSED`` and the exit status is still 0.

``--postgres URL`` runs the real app against that PostgreSQL database instead of
SQLite: the migrations are applied to it and the benchmark loaded (use a scratch
database); the user and token made for the run are deleted at the end.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``app`` and ``benchmark`` importable
    sys.path.insert(0, str(ROOT))

GOAL = 1.5
REAL_PATH = "/api/v1/indicators"
BARE_PATH = "/indicators"
CASES = [  # (label, query string)
    ("default", ""),
    ("lang=en", "lang=en"),
    ("pillar=WP&dimension=IMP", "pillar=WP&dimension=IMP"),
]
LANG_VARIANTS = ("", "en", "fr")  # the lists the bare app holds, by ``lang`` ("" = none given)
ENV_DB_URL = "INTI_BENCH_DB_URL"  # passed to the server subprocess by environment, not argv


# --------------------------------------------------------------------------- apps

def make_bare_app(lists: dict[str, list[dict]]):
    """The baseline: the same lists from memory, the same filter, nothing else."""
    from fastapi import FastAPI

    app = FastAPI(title="bare")

    @app.get(BARE_PATH)
    def indicators(lang: str | None = None, pillar: str | None = None, dimension: str | None = None):
        items = lists[lang or ""]
        if pillar or dimension:
            items = [i for i in items
                     if (not pillar or i["pillar"] == pillar) and (not dimension or i["dimension"] == dimension)]
        return items

    return app


def make_real_app(engine):
    from app.main import create_app

    return create_app(engine=engine)


def prepare_database(url: str):
    """Migrate, load the benchmark, make one user and an API token: (engine, token, user id)."""
    from sqlmodel import Session

    import app.tables  # noqa: F401  (every table registered)
    from app.auth.service import API, issue_token
    from app.db import make_engine, upgrade
    from app.main import load_benchmark
    from app.people.tables import User
    from app.settings import get_settings

    engine = make_engine(url)
    upgrade(engine)
    load_benchmark(engine, get_settings())
    with Session(engine, expire_on_commit=False) as session:
        user = User(email=f"bench-{uuid.uuid4().hex[:10]}@example.invalid", full_name="Bench Mark")
        session.add(user)
        session.commit()
        token = issue_token(session, user, API, timedelta(hours=2))
        session.commit()
        return engine, token, user.id


def drop_user(engine, user_id: int) -> None:
    from sqlalchemy import delete
    from sqlmodel import Session

    from app.auth.tables import AuthToken
    from app.people.tables import User

    with Session(engine) as session:
        session.execute(delete(AuthToken).where(AuthToken.user_id == user_id))
        session.execute(delete(User).where(User.id == user_id))
        session.commit()


# --------------------------------------------------------------------------- measuring

class Samples:
    """Latencies (ns) of one app in one case, pooled over rounds, and each batch's rate."""

    def __init__(self) -> None:
        self.ns: list[int] = []
        self.rates: list[float] = []

    def add(self, times: list[int], wall: float) -> None:
        self.ns.extend(times)
        if wall > 0:
            self.rates.append(len(times) / wall)

    @property
    def median_us(self) -> float:
        return statistics.median(self.ns) / 1000

    @property
    def p90_us(self) -> float:
        return statistics.quantiles(self.ns, n=10)[-1] / 1000 if len(self.ns) > 1 else self.median_us

    @property
    def rate(self) -> float:
        return statistics.median(self.rates) if self.rates else 0.0


def batch(get, url: str, n: int, time_cap: float | None = None) -> tuple[list[int], float]:
    """``n`` GETs (fewer if ``time_cap`` seconds run out): (latencies in ns, wall seconds)."""
    clock = time.perf_counter_ns
    times: list[int] = []
    start = clock()
    stop = start + int(time_cap * 1e9) if time_cap is not None else None
    for _ in range(n):
        t0 = clock()
        r = get(url)
        t1 = clock()
        if r.status_code != 200:
            raise SystemExit(f"GET {url} answered {r.status_code}: {r.text[:300]}")
        times.append(t1 - t0)
        if stop is not None and t1 >= stop:
            break
    return times, (clock() - start) / 1e9


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def interleaved(get_real, get_bare, rounds: int, n: int, warmup: int,
                deadline: float | None = None) -> dict[str, dict[str, Samples]]:
    """Rounds × cases × {real, bare}, who goes first alternating; optional overall deadline."""
    results = {label: {"real": Samples(), "bare": Samples()} for label, _ in CASES}
    for label, query in CASES:  # warm both (caches, connections, code paths)
        batch(get_real, with_query(REAL_PATH, query), warmup)
        batch(get_bare, with_query(BARE_PATH, query), warmup)
    total = rounds * len(CASES) * 2
    done = 0
    for rnd in range(rounds):
        for ci, (label, query) in enumerate(CASES):
            order = ("real", "bare") if (rnd + ci) % 2 == 0 else ("bare", "real")
            for which in order:
                cap = None
                if deadline is not None:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return results
                    cap = left / (total - done)
                get, path = (get_real, REAL_PATH) if which == "real" else (get_bare, BARE_PATH)
                gc.collect()
                times, wall = batch(get, with_query(path, query), n, cap)
                results[label][which].add(times, wall)
                done += 1
    return results


# --------------------------------------------------------------------------- uvicorn servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(kind: str, port: int, data: str) -> None:
    """Child mode: run one app under uvicorn on 127.0.0.1 until SIGTERM."""
    import uvicorn

    if kind == "real":
        from app.db import make_engine

        app = make_real_app(make_engine(os.environ[ENV_DB_URL]))
    else:
        app = make_bare_app(json.loads(Path(data).read_text(encoding="utf-8")))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")


class Server:
    def __init__(self, kind: str, db_url: str, data: Path, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / f"uvicorn-{kind}.log"
        env = {**os.environ, ENV_DB_URL: db_url}
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--serve", kind, "--port", str(self.port),
                 "--data", str(data)],
                cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, headers: dict, timeout: float = 30.0) -> None:
        import httpx

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"uvicorn exited ({self.proc.returncode}):\n{self.log.read_text()}")
            try:
                if httpx.get(self.base + path, headers=headers, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"uvicorn did not answer on {self.base} within {timeout:.0f} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def measure_http(db_url: str, lists_file: Path, workdir: Path, headers: dict, rounds: int, n: int,
                 budget: float) -> dict[str, dict[str, Samples]] | None:
    import httpx

    deadline = time.monotonic() + budget
    servers = {}
    try:
        servers["real"] = Server("real", db_url, lists_file, workdir)
        servers["bare"] = Server("bare", db_url, lists_file, workdir)
        servers["real"].wait_ready(REAL_PATH, headers)
        servers["bare"].wait_ready(BARE_PATH, headers)
        if deadline - time.monotonic() < 2:
            print(f"(uvicorn: start-up used the {budget:.0f} s budget; HTTP not measured)", file=sys.stderr)
            return None
        with httpx.Client(base_url=servers["real"].base, headers=headers, timeout=10) as real, \
                httpx.Client(base_url=servers["bare"].base, headers=headers, timeout=10) as bare:
            return interleaved(real.get, bare.get, rounds, n, warmup=30, deadline=deadline)
    finally:
        for server in servers.values():
            server.stop()


# --------------------------------------------------------------------------- report

def report(sections: list[tuple[str, dict[str, dict[str, Samples]]]]) -> None:
    print(f"| case | bare µs | real µs | ratio | goal ({GOAL:g}×) | met? |")
    print("|---|---:|---:|---:|---:|---|")
    for prefix, results in sections:
        for label, _ in CASES:
            bare, real = results[label]["bare"], results[label]["real"]
            if not bare.ns or not real.ns:
                print(f"| {prefix} {label} | – | – | – | ≤ {GOAL:.2f}× | not measured |")
                continue
            ratio = real.median_us / bare.median_us
            met = "yes" if ratio <= GOAL else "**MISSED**"
            print(f"| {prefix} {label} | {bare.median_us:,.0f} | {real.median_us:,.0f} | {ratio:.2f}× "
                  f"| ≤ {GOAL:.2f}× | {met} |")
    print()
    print("| case | bare req/s | real req/s | bare p90 µs | real p90 µs | requests bare/real |")
    print("|---|---:|---:|---:|---:|---:|")
    for prefix, results in sections:
        for label, _ in CASES:
            bare, real = results[label]["bare"], results[label]["real"]
            if not bare.ns or not real.ns:
                continue
            print(f"| {prefix} {label} | {bare.rate:,.0f} | {real.rate:,.0f} | {bare.p90_us:,.0f} "
                  f"| {real.p90_us:,.0f} | {len(bare.ns)}/{len(real.ns)} |")


# --------------------------------------------------------------------------- profile

def profile(engine, headers: dict, n: int, top: int) -> None:
    """cProfile of ``n`` default calls to the real app, all in this thread.

    The thread-pool hops are replaced by direct calls (cProfile only sees its own
    thread), and the app is driven through ``httpx.ASGITransport`` without the
    TestClient's portal thread: what is left is the app's own work per request.
    """
    import asyncio
    import cProfile
    import pstats

    import anyio.to_thread
    import httpx

    async def inline(func, *args, **_kw):
        return func(*args)

    anyio.to_thread.run_sync = inline
    app = make_real_app(engine)

    async def run(count: int) -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                                     headers=headers) as client:
            for _ in range(count):
                r = await client.get(REAL_PATH)
                assert r.status_code == 200, r.text

    asyncio.run(run(100))  # warm-up
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    asyncio.run(run(n))
    prof.disable()
    wall = time.perf_counter() - t0
    print(f"# cProfile: {n} GET {REAL_PATH} (real app, inline, under the profiler: {wall / n * 1e6:,.0f} µs each)")
    stats = pstats.Stats(prof).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("-n", type=int, default=300, help="requests per app, case and round (default 300)")
    parser.add_argument("--http-seconds", type=float, default=20.0,
                        help="time budget of the uvicorn part, start-up included; 0 skips it (default 20)")
    parser.add_argument("--postgres", metavar="URL", help="run the real app on this PostgreSQL database")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the real endpoint instead")
    parser.add_argument("--serve", choices=("real", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:
        serve(args.serve, args.port, args.data)
        return 0

    # starlette asks for ``httpx2`` in its TestClient; irrelevant to the measurement
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory(prefix="inti-bench-") as tmp:
        workdir = Path(tmp)
        db_url = args.postgres or f"sqlite:///{workdir / 'bench.db'}"
        engine, token, user_id = prepare_database(db_url)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            if args.profile:
                profile(engine, headers, args.n * 3, 35)
                return 0

            with TestClient(make_real_app(engine), headers=headers) as real:
                lists = {}
                for lang in LANG_VARIANTS:
                    r = real.get(with_query(REAL_PATH, f"lang={lang}" if lang else ""))
                    r.raise_for_status()
                    lists[lang] = r.json()
                lists_file = workdir / "lists.json"
                lists_file.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
                with TestClient(make_bare_app(lists), headers=headers) as bare:
                    for _, query in CASES:  # the baseline answers exactly what the real app does
                        a, b = real.get(with_query(REAL_PATH, query)), bare.get(with_query(BARE_PATH, query))
                        if a.json() != b.json():
                            raise SystemExit(f"bare and real differ for ?{query}")
                    sizes = {label: len(real.get(with_query(REAL_PATH, q)).json()) for label, q in CASES}
                    t0 = time.monotonic()
                    inproc = interleaved(real.get, bare.get, args.rounds, args.n, warmup=50)
                    inproc_s = time.monotonic() - t0

            http = None
            if args.http_seconds > 0:
                t0 = time.monotonic()
                http = measure_http(db_url, lists_file, workdir, headers, args.rounds, args.n, args.http_seconds)
                http_s = time.monotonic() - t0
        finally:
            if args.postgres:
                drop_user(engine, user_id)
            engine.dispose()

    db = "PostgreSQL" if args.postgres else "SQLite (temp file)"
    print(f"# GET {REAL_PATH}: real app vs bare FastAPI baseline")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {db}; items per case: "
          + ", ".join(f"{k}={v}" for k, v in sizes.items()))
    print(f"in-process: TestClient, {args.rounds} rounds × {args.n} requests per app and case, "
          f"interleaved ({inproc_s:.1f} s)")
    if http is not None:
        print(f"HTTP: uvicorn on 127.0.0.1 (subprocesses), httpx keep-alive, ≤ {args.rounds} rounds × "
              f"{args.n} per app and case within {args.http_seconds:g} s ({http_s:.1f} s)")
    print()
    sections = [("in-process", inproc)]
    if http is not None:
        sections.append(("HTTP", http))
    report(sections)
    print()
    missed = [f"{p} {label}" for p, res in sections for label, _ in CASES
              if res[label]["bare"].ns and res[label]["real"].ns
              and res[label]["real"].median_us / res[label]["bare"].median_us > GOAL]
    if missed:
        print(f"Goal real ≤ {GOAL:g}× bare MISSED for: {', '.join(missed)} (informative; exit status 0)")
    else:
        print(f"Goal real ≤ {GOAL:g}× bare met in every case.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

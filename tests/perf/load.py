"""Load measurement: host officers reading and saving the initial report, over HTTP.

Not a test (the name does not start with ``test_``, so pytest does not collect it):
a measurement on 127.0.0.1 only, bounded in time, printed as tables. It starts and
stops its own servers (and a throwaway PostgreSQL cluster unless given one).

Usage, from the project root (with the project's virtual environment)::

    python tests/perf/load.py                        # both databases, 40 users × 60 s each (~3½ min)
    python tests/perf/load.py --seconds 20 --users 40 --closed-seconds 6   # a shorter run (~1 min)
    python tests/perf/load.py --only sqlite          # or --only postgresql
    python tests/perf/load.py --postgres postgresql+psycopg://user@127.0.0.1:5432/scratch

What runs, for each database
    SQLite (a file in a temporary directory) served by one uvicorn worker, then
    PostgreSQL served by two. The server is ``inti-cities serve`` itself (as
    ``python -m app.cli serve --workers N`` with ``INTI_DATABASE_URL``: migrations, the
    benchmark, uvicorn with its access log), in a subprocess. The database holds one
    cycle in its self-assessment phase whose 73 entries are filled (descriptions of
    about 900 characters, one evidence link, one responsible person), its host officer
    and an API token. ``--postgres URL`` uses that database instead of a throwaway
    cluster: use a scratch database (the run adds a city, a user, a cycle, its entries
    and their audit records, and leaves them).

1. Open loop, the issue's scenario: ``--users`` simulated host officers (default 40),
   each about once a second (the period drawn between 0.8 and 1.2 s, phases spread)
   reads the initial report (``GET /api/v1/cycles/{id}/self-assessment``) and saves one
   entry picked at random (``PUT …/self-assessment/{code}`` with ``If-Match`` of the
   version it read), for ``--seconds`` (default 60). A 412 (another user saved that
   entry in between) is the expected outcome of racing writers and counted apart;
   every other non-2xx answer, or no answer, is an error. Latency is measured from
   sending the request to having read the whole answer; an iteration that starts
   over 100 ms behind its schedule counts as late (the server, or the load
   generator, falling behind).
2. Closed loop, the maximum throughput: ``--clients`` concurrent clients (default 16)
   with no think time, on the real ``GET /api/v1/cycles/{id}/self-assessment`` and on a
   bare FastAPI endpoint doing the same database read: the SELECTs the real request
   runs, recorded from one request of the real app (after a first one, as a running
   server does) and replayed verbatim in one transaction begun the same way, the
   rows returned as plain JSON; no authentication, no pydantic, no middleware. The
   bare app is served by uvicorn with the same settings (workers, access log, proxy
   headers). ``--closed-seconds`` per app (default 10), in ``--rounds`` alternating slices.

The load generator is this process: a thread per simulated user or client, each with
one keep-alive connection of the standard library's ``http.client`` (httpx's clients,
sync or async, cost here about ten times more CPU per answer of the report's size:
3 to 6 ms against 0.4 ms for 86 kB, enough to make them the bottleneck on 2 cores).
Whether it kept up is measured, not assumed: its CPU use (of one core) beside the
server's and PostgreSQL's (from ``/proc``), and the late iterations. On a 2-core
machine the three share the cores, so the numbers are noisy when others use the
machine too: the load average is printed with them.

Goal (informative; the exit status is 0): no error, p99 under 300 ms.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import pickle
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "tests"):  # run as a script: ``app``, ``benchmark`` and the test helpers
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

GOAL_P99_MS = 300
LATE_SECONDS = 0.1
ENV_DB_URL = "INTI_LOAD_DB_URL"  # the bare server's database and statements, by environment
ENV_STATEMENTS = "INTI_LOAD_STATEMENTS"
BARE_PATH = "/report"
PARAGRAPH = ("The city council adopted its integration strategy after a year of consultation with migrant "
             "associations, employers, schools and the regional employment service. Each department reports "
             "twice a year on the measures it leads. ")


# --------------------------------------------------------------------------- the database

@dataclass
class Scene:
    url: str
    token: str
    cycle_id: int
    statements: list[tuple[str, object]] = field(default_factory=list)

    @property
    def report_path(self) -> str:
        return f"/api/v1/cycles/{self.cycle_id}/self-assessment"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def prepare(url: str) -> Scene:
    """Migrate, load the benchmark, and make a city, its officer, a cycle with its 73
    entries filled, and the officer's API token."""
    from sqlmodel import Session

    import app.tables  # noqa: F401  (every table registered)
    from app.auth.service import API, issue_token
    from app.cycles.tables import Cycle, CycleMember
    from app.db import make_engine, upgrade
    from app.indicators.service import current_version, get_set
    from app.main import load_benchmark
    from app.people.tables import City, User
    from app.self_assessment.tables import SelfAssessmentEntry
    from app.settings import get_settings

    engine = make_engine(url)
    upgrade(engine)
    load_benchmark(engine, get_settings())
    tag = f"{time.time_ns():x}"
    with Session(engine, expire_on_commit=False) as session:
        city = City(name=f"Velmar {tag}", country="France")
        session.add(city)
        session.commit()
        officer = User(email=f"officer-{tag}@velmar.example", full_name="Amina Officer", city_id=city.id)
        session.add(officer)
        session.commit()
        version = current_version(session)
        cycle = Cycle(title=f"Velmar load {tag}", host_city_id=city.id, indicator_set_version=version)
        session.add(cycle)
        session.commit()
        session.add(CycleMember(cycle_id=cycle.id, user_id=officer.id, role="host_officer"))
        for code in (i.code for i in get_set(session, version).indicators):
            session.add(SelfAssessmentEntry(
                cycle_id=cycle.id, indicator_code=code, self_rating="at", description=f"{code}: " + PARAGRAPH * 4,
                evidence=[{"title": "Integration strategy", "url": f"https://www.velmar.example/{code.lower()}"}],
                responsible=[{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Mayor's office"}]))
        session.commit()
        token = issue_token(session, officer, API, timedelta(hours=3))
        session.commit()
    scene = Scene(url, token, cycle.id)
    scene.statements = record_selects(engine, scene)
    engine.dispose()
    return scene


def record_selects(engine, scene: Scene) -> list[tuple[str, object]]:
    """The SELECTs one real report request runs once the process is warm, with their parameters."""
    import warnings

    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from app.main import create_app

    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    seen: list[tuple[str, object]] = []

    def before(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with TestClient(create_app(engine=engine), headers=scene.headers) as client:
        client.get(scene.report_path).raise_for_status()  # process-wide caches filled, as in a running server
        event.listen(engine, "before_cursor_execute", before)
        client.get(scene.report_path).raise_for_status()
        event.remove(engine, "before_cursor_execute", before)
    return seen


def bare_app():
    """The baseline app (uvicorn factory, in the bare server's processes)."""
    from fastapi import FastAPI
    from fastapi.responses import Response

    from app.db import make_engine

    engine = make_engine(os.environ[ENV_DB_URL])
    statements = pickle.loads(Path(os.environ[ENV_STATEMENTS]).read_bytes())
    app = FastAPI(title="bare")

    @app.get(BARE_PATH)
    def report():
        with engine.connect() as conn:
            conn.execution_options(sqlite_begin="DEFERRED")  # begun as the real request's session is
            with conn.begin():
                rows = [[list(row) for row in conn.exec_driver_sql(sql, params)] for sql, params in statements]
        return Response(json.dumps(rows, default=str), media_type="application/json")

    return app


# --------------------------------------------------------------------------- servers

def cpu_seconds(root_pid: int | None) -> float:
    """CPU time of a process and all its descendants, the reaped ones included (/proc)."""
    if root_pid is None:
        return 0.0
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))  # ppid; u, s, cu, cs
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _) in stats.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(stats[pid][1] for pid in tree if pid in stats) / os.sysconf("SC_CLK_TCK")


class Server:
    """A uvicorn server in its own process group, on a free loopback port."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], workdir: Path) -> None:
        from pg_cluster import free_port

        self.name, self.port = name, free_port()
        self.log = workdir / f"{name}.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([*argv, "--port", str(self.port)], cwd=str(ROOT), env={**os.environ, **env},
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str, headers: dict, timeout: float = 90.0) -> None:
        end = time.monotonic() + timeout
        client = Client(self.port, headers)
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                if client.request("GET", path)[0] == 200:
                    client.close()
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own group: the workers it spawned
                self.proc.wait()


def real_server(url: str, workers: int, workdir: Path) -> Server:
    return Server("real", [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--workers", str(workers)],
                  {"INTI_DATABASE_URL": url}, workdir)


def bare_server(scene: Scene, workers: int, workdir: Path) -> Server:
    statements = workdir / "statements.pickle"
    statements.write_bytes(pickle.dumps(scene.statements))
    return Server("bare", [sys.executable, str(Path(__file__).resolve()), "--serve-bare", "--workers", str(workers)],
                  {ENV_DB_URL: scene.url, ENV_STATEMENTS: str(statements)}, workdir)


def serve_bare(port: int, workers: int) -> None:
    """Child mode: the bare app under uvicorn, with ``inti-cities serve``'s settings."""
    import uvicorn

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    uvicorn.run("load:bare_app", factory=True, host="127.0.0.1", port=port, workers=workers, proxy_headers=True,
                log_level="info")


# --------------------------------------------------------------------------- measuring

class Client:
    """One keep-alive HTTP/1.1 connection to the server, from the standard library's
    ``http.client``: about ten times less CPU per answer of the report's size than
    httpx's clients here (measured: 0.4 ms against 3 to 6 ms for 86 kB), so that the
    load generator leaves the cores to the servers."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port, self.headers = port, headers
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            self.conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            answer = self.conn.getresponse()
            return answer.status, answer.read()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Tally:
    ms: dict[str, list[float]] = field(default_factory=lambda: {"GET": [], "PUT": []})
    precondition_failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    late: int = 0
    iterations: int = 0
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # client, server, postgres: seconds

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    @property
    def all_ms(self) -> list[float]:
        return self.ms["GET"] + self.ms["PUT"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def timed(tally: Tally, client: Client, method: str, path: str, body: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, bytes] | None:
    """One request, its latency noted (sent → whole answer read); 412 and errors counted."""
    t0 = time.perf_counter()
    try:
        status, data = client.request(method, path, body, headers)
    except (OSError, http.client.HTTPException) as exc:
        tally.error(type(exc).__name__)
        return None
    tally.ms[method].append((time.perf_counter() - t0) * 1000)
    if status == 412:
        tally.precondition_failed += 1
    elif not 200 <= status < 300:
        tally.error(f"{method} {status}")
    return status, data


def officer(port: int, scene: Scene, start: float, end: float, rng: random.Random, tally: Tally) -> None:
    """A host officer: about once a second, read the report and save one entry with If-Match."""
    client = Client(port, scene.headers)
    due = start + rng.uniform(0, 1.0)
    try:
        while True:
            time.sleep(max(0.0, due - time.monotonic()))
            now = time.monotonic()
            if now >= end:
                return
            tally.iterations += 1
            if now - due > LATE_SECONDS:
                tally.late += 1
            due = max(due + rng.uniform(0.8, 1.2), now)
            got = timed(tally, client, "GET", scene.report_path)
            if got is None or got[0] != 200:
                continue
            entry = rng.choice(json.loads(got[1])["entries"])
            body = {"self_rating": rng.choice(["below", "at", "above"]), "description": entry["description"],
                    "evidence": entry["evidence"], "responsible": entry["responsible"]}
            timed(tally, client, "PUT", f"{scene.report_path}/{entry['indicator_code']}", json.dumps(body).encode(),
                  {"If-Match": f'"{entry["version"]}"', "Content-Type": "application/json"})
    finally:
        client.close()


def reader(port: int, path: str, headers: dict, end: float, tally: Tally) -> None:
    """A client with no think time: GET ``path`` until ``end``."""
    client = Client(port, headers)
    try:
        while time.monotonic() < end:
            timed(tally, client, "GET", path)
    finally:
        client.close()


def measure(jobs: list, seconds: float, servers: list[Server], postgres_pid: int | None) -> Tally:
    """Run ``jobs`` (``(function, args)``, each given its own tally last) in threads; their
    tallies merged, with the wall time and everyone's CPU time meanwhile."""
    tallies = [Tally() for _ in jobs]
    threads = [threading.Thread(target=fn, args=(*fn_args, tally), daemon=True)
               for (fn, fn_args), tally in zip(jobs, tallies, strict=True)]
    before = (time.process_time(), sum(s.cpu() for s in servers), cpu_seconds(postgres_pid))
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, t0 + seconds + 60 - time.perf_counter()))
    wall = time.perf_counter() - t0
    after = (time.process_time(), sum(s.cpu() for s in servers), cpu_seconds(postgres_pid))
    total = merge(tallies)
    total.wall = wall
    total.cpu = dict(zip(("client", "server", "postgres"), (b - a for a, b in zip(before, after, strict=True)),
                         strict=True))
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        total.errors["client still waiting at the end"] = stuck
    return total


def open_loop(scene: Scene, users: int, seconds: float, server: Server, postgres_pid: int | None) -> Tally:
    start = time.monotonic() + 0.2  # every thread started before the first is due
    rng = random.Random(20261123)
    jobs = [(officer, (server.port, scene, start, start + seconds, random.Random(rng.random())))
            for _ in range(users)]
    return measure(jobs, seconds + 1.2, [server], postgres_pid)


def closed_loop(path: str, headers: dict, clients: int, seconds: float, server: Server,
                postgres_pid: int | None) -> Tally:
    end = time.monotonic() + seconds
    return measure([(reader, (server.port, path, headers, end)) for _ in range(clients)], seconds, [server],
                   postgres_pid)


def merge(parts: list[Tally]) -> Tally:
    total = Tally()
    for part in parts:
        for method, values in part.ms.items():
            total.ms[method].extend(values)
        for what, n in part.errors.items():
            total.errors[what] = total.errors.get(what, 0) + n
        total.precondition_failed += part.precondition_failed
        total.late += part.late
        total.iterations += part.iterations
        total.wall += part.wall
        for who, seconds in part.cpu.items():
            total.cpu[who] = total.cpu.get(who, 0.0) + seconds
    return total


# --------------------------------------------------------------------------- one database

@dataclass
class Result:
    label: str
    workers: int
    open: Tally
    real: Tally | None = None
    bare: Tally | None = None


def run_database(label: str, url: str, workers: int, postgres_pid: int | None, args, workdir: Path) -> Result:
    print(f"# {label}: preparing the database…", file=sys.stderr)
    scene = prepare(url)
    servers: list[Server] = []
    try:
        real = real_server(url, workers, workdir)
        servers.append(real)
        real.wait_ready(scene.report_path, scene.headers)
        print(f"# {label}: open loop, {args.users} users × {args.seconds:g} s…", file=sys.stderr)
        result = Result(label, workers, open_loop(scene, args.users, args.seconds, real, postgres_pid))
        if args.closed_seconds > 0:
            bare = bare_server(scene, workers, workdir)
            servers.append(bare)
            bare.wait_ready(BARE_PATH, {})
            print(f"# {label}: closed loop, {args.clients} clients, {args.closed_seconds:g} s per app…",
                  file=sys.stderr)
            slice_s = args.closed_seconds / args.rounds
            for warm in (real, bare):  # connections made, code paths warm
                path, headers = (scene.report_path, scene.headers) if warm is real else (BARE_PATH, {})
                closed_loop(path, headers, args.clients, min(1.0, slice_s), warm, None)
            reals, bares = [], []
            for rnd in range(args.rounds):
                order = (real, bare) if rnd % 2 == 0 else (bare, real)
                for server in order:
                    if server is real:
                        reals.append(closed_loop(scene.report_path, scene.headers, args.clients, slice_s, real,
                                                 postgres_pid))
                    else:
                        bares.append(closed_loop(BARE_PATH, {}, args.clients, slice_s, bare, postgres_pid))
            result.real, result.bare = merge(reals), merge(bares)
        return result
    finally:
        for server in servers:
            server.stop()


def postgres_target(args, stack: list) -> tuple[str, int | None]:
    """The PostgreSQL database URL, and the server's process id when we started it."""
    if args.postgres:
        return args.postgres, None
    from pg_cluster import PostgresCluster
    from sqlalchemy import create_engine, text

    cluster = PostgresCluster.start(prefix="inti-load-pg-")
    stack.append(cluster)
    admin = create_engine(f"{cluster.url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "inti_load"'))
    admin.dispose()
    pid = int((cluster.datadir / "postmaster.pid").read_text().split()[0])
    return f"{cluster.url}/inti_load", pid


# --------------------------------------------------------------------------- report

def cpu_share(tally: Tally, who: str) -> str:
    if who not in tally.cpu or not tally.wall:
        return "–"
    return f"{tally.cpu[who] / tally.wall * 100:.0f} %"


def cpu_per_request(tally: Tally) -> str:
    """The server's CPU time per answer: less sensitive than rates to others' use of the machine."""
    answers = len(tally.all_ms)
    return f"{tally.cpu['server'] / answers * 1000:.1f}" if answers and "server" in tally.cpu else "–"


def report(results: list[Result], args, load_before: tuple[float, ...]) -> None:
    print(f"# Load: {args.users} host officers, about one read + one save a second each, {args.seconds:g} s")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs; load average before "
          f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} (others' work included: the numbers are noisy)")
    print()
    print("| database | workers | requests | req/s | p50 ms | p95 ms | p99 ms | 412 | errors | goal (0 errors, p99 < "
          f"{GOAL_P99_MS} ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        t = r.open
        for what, values in (("all", t.all_ms), ("GET report", t.ms["GET"]), ("PUT entry", t.ms["PUT"])):
            errors = sum(t.errors.values())
            met = "" if what != "all" else (
                "met" if not errors and pct(values, 99) < GOAL_P99_MS else "**MISSED**")
            print(f"| {r.label} {what} | {r.workers} | {len(values)} | {len(values) / t.wall:.1f} | "
                  f"{pct(values, 50):.1f} | {pct(values, 95):.1f} | {pct(values, 99):.1f} | "
                  f"{t.precondition_failed if what != 'GET report' else '–'} | "
                  f"{errors if what == 'all' else '–'} | {met} |")
    for r in results:
        if r.open.errors:
            print(f"errors on {r.label}: " + ", ".join(f"{k} × {v}" for k, v in sorted(r.open.errors.items())))
    print()
    print("Who used the CPU during the open loop (100 % = one core), and whether the load generator kept up:")
    print()
    print("| database | load generator | server | PostgreSQL | iterations | late (> 100 ms behind) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.label} | {cpu_share(r.open, 'client')} | {cpu_share(r.open, 'server')} | "
              f"{cpu_share(r.open, 'postgres') if r.open.cpu.get('postgres') else '–'} | {r.open.iterations} | "
              f"{r.open.late} |")
    closed = [r for r in results if r.real and r.bare]
    if not closed:
        return
    print()
    print(f"# Closed loop: {args.clients} clients, no think time, GET of the whole report; "
          f"{args.closed_seconds:g} s per app in {args.rounds} alternating slices")
    print()
    print("| database | workers | bare req/s | real req/s | real/bare | bare p50 ms | real p50 ms | real p99 ms | "
          "errors | load generator CPU bare/real | server CPU bare/real | server CPU ms per request bare/real |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in closed:
        real_rate, bare_rate = len(r.real.all_ms) / r.real.wall, len(r.bare.all_ms) / r.bare.wall
        print(f"| {r.label} | {r.workers} | {bare_rate:.0f} | {real_rate:.0f} | {real_rate / bare_rate:.2f} | "
              f"{pct(r.bare.all_ms, 50):.1f} | {pct(r.real.all_ms, 50):.1f} | {pct(r.real.all_ms, 99):.1f} | "
              f"{sum(r.real.errors.values()) + sum(r.bare.errors.values())} | "
              f"{cpu_share(r.bare, 'client')} / {cpu_share(r.real, 'client')} | "
              f"{cpu_share(r.bare, 'server')} / {cpu_share(r.real, 'server')} | "
              f"{cpu_per_request(r.bare)} / {cpu_per_request(r.real)} |")
    print()
    print("The load generator is one process on one core: below 100 % of a core it was waiting for the "
          "servers, not the other way round (but it takes its share of the machine's cores).")


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=40, help="simulated host officers (default 40)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the open loop (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="closed loop: concurrent clients (default 16)")
    parser.add_argument("--closed-seconds", type=float, default=10.0,
                        help="closed loop: seconds per app; 0 skips it (default 10)")
    parser.add_argument("--rounds", type=int, default=4, help="closed loop: alternating slices per app (default 4)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    parser.add_argument("--postgres", metavar="URL", help="a scratch PostgreSQL database instead of a throwaway cluster")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare(args.port, args.workers)
        return 0
    if args.seconds > 600 or args.closed_seconds > 600 or args.users > 500 or args.clients > 200:
        parser.error("bounded: at most 600 s per loop, 500 users, 200 clients")

    load_before = os.getloadavg()
    results: list[Result] = []
    clusters: list = []
    with tempfile.TemporaryDirectory(prefix="inti-load-") as tmp:
        workdir = Path(tmp)
        try:
            if args.only != "postgresql":
                results.append(run_database("SQLite", f"sqlite:///{workdir / 'load.db'}", 1, None, args, workdir))
            if args.only != "sqlite":
                url, pid = postgres_target(args, clusters)
                results.append(run_database("PostgreSQL", url, 2, pid, args, workdir))
        finally:
            for cluster in clusters:
                cluster.remove()
    report(results, args, load_before)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the initial report's workbook import and the officer's whole-report page.

Not a test (the name does not start with ``test_``, so pytest does not collect it):
a measurement, printed as a table, with each real operation's time as a ratio of
a baseline measured in the same run, on the same machine, interleaved with it.

Usage, from the project root::

    python tests/perf/bench_self_assessment.py                                # about 25 s
    python tests/perf/bench_self_assessment.py --rounds 7 --imports 10 --pages 40   # the defaults
    python tests/perf/bench_self_assessment.py --profile               # cProfile of one import, no table

Set-up (SQLite in a temporary directory): the schema migrated with ``app.db.upgrade``,
the benchmark loaded with ``app.main.load_benchmark``, a host city, its officer
(``User``) who is ``host_officer`` of two cycles on the current indicator set: one
whose 73 entries get filled, one left empty (for the page's statement count).

Workbooks: ``export_workbook(load_report(session, cycle), "en")`` filled with
openpyxl on every one of the 73 rows: column E "at the benchmark", F a
2,000-character description in paragraphs, G two evidence lines
``Title | https://www.velmar.example/…``, H two people lines ``Name | role | department``.
Descriptions come in variants that differ in their last character only.

1. Import of a full workbook
    *real*: ``excel.import_workbook(session, rights, cycle, data)``
    in a fresh session (as a request has), checked to answer 73 every time.
    *baseline*: ``openpyxl.load_workbook(BytesIO(data))`` of that same file.
    An import of unchanged content writes nothing, so the timed imports alternate
    between two variants and each one really updates the 73 entries. Each import
    raises every entry's version, and the import refuses a row changed in the workbook
    whose entry was saved after the version recorded in the hidden ``_meta`` sheet (and
    skips a row left as exported); so before every timed import the
    file is made the way an officer makes it — exported again from the current state
    (its ``_meta`` holds the current versions), then filled with the other variant —
    and only the import call (and, beside it, the baseline's load of the same bytes)
    is timed. Nothing about ``_meta`` is forged.
    Statements: the SQL statements one import runs (``before_cursor_execute`` on the
    engine), with 3 and with 73 changed rows (and, for information, the first import,
    which creates the 73 entries). A constant count is the goal: it must not grow with rows.

2. The officer's whole-report page
    *real*: ``GET /cycles/{id}/self-assessment`` (``Accept: text/html``) of
    ``create_app(engine=...)`` through ``fastapi.testclient.TestClient`` (lifespan run),
    logged in by a web-session cookie (``inti_session``), all 73 entries filled.
    *baseline*: the same context built as ``pages._page`` and ``web.render`` build it,
    from a report loaded once beforehand (``sections``, ``missing``, the line formatters;
    a stand-in ``request``), and ``app.web.env.get_template("self_assessment/self_assessment.html")
    .render(...)``: what is left of the request without HTTP, FastAPI, authentication
    and the database. Its HTML is checked equal to the real page's before timing.
    Statements: one page request's SQL statements with 0 and with 73 entries filled.

Rounds: ``--rounds`` rounds; in each, ``--imports`` imports (each next to a baseline
load of its file) then ``--pages`` page requests per side in one batch each; who goes
first alternates. Reported: the median over all timed calls (ms) and real/baseline.
No goal is set: the table is information and the exit status is 0.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``app`` and ``benchmark`` importable
    sys.path.insert(0, str(ROOT))

DESCRIPTION_CHARS = 2000
VARIANT_MARKS = "ABC"  # the last character of a description, by variant
RATING_EN = "at the benchmark"
PARAGRAPH = ("The city council adopted its integration strategy after a year of consultation with "
             "migrant associations, employers, schools and the regional employment service. "
             "Each department reports twice a year on the measures it leads, and the results are "
             "published on the city's website in plain language. ")


# --------------------------------------------------------------------------- set-up

def prepare_database(url: str):
    """Migrate, load the benchmark, a city, its officer, two cycles: (engine, officer, full, empty)."""
    from sqlmodel import Session

    import app.tables  # noqa: F401  (every table registered)
    from app.cycles.tables import Cycle, CycleMember
    from app.db import make_engine, upgrade
    from app.indicators.service import current_version
    from app.main import load_benchmark
    from app.people.tables import City, User
    from app.settings import get_settings

    engine = make_engine(url)
    upgrade(engine)
    load_benchmark(engine, get_settings())
    with Session(engine, expire_on_commit=False) as session:
        city = City(name="Velmar", country="France")
        session.add(city)
        session.commit()
        officer = User(email="officer@velmar.example", full_name="Amina Officer", city_id=city.id)
        session.add(officer)
        session.commit()
        version = current_version(session)
        full = Cycle(title="Velmar 2027", host_city_id=city.id, indicator_set_version=version)
        empty = Cycle(title="Velmar 2028", host_city_id=city.id, indicator_set_version=version)
        session.add_all([full, empty])
        session.commit()
        session.add_all([CycleMember(cycle_id=c.id, user_id=officer.id, role="host_officer") for c in (full, empty)])
        session.commit()
    return engine, officer, full, empty


def description(code: str, variant: int) -> str:
    """2,000 characters in paragraphs, the last one marking the variant."""
    text = f"{code}: " + "\n\n".join([PARAGRAPH.strip()] * (DESCRIPTION_CHARS // len(PARAGRAPH) + 2))
    cut = text[:DESCRIPTION_CHARS - 1].rstrip()
    return cut + "x" * (DESCRIPTION_CHARS - 1 - len(cut)) + VARIANT_MARKS[variant]


def export(engine, cycle) -> bytes:
    """The workbook as the officer downloads it now (its ``_meta`` with the current versions)."""
    from sqlmodel import Session

    from app.self_assessment import excel, service

    with Session(engine, expire_on_commit=False) as session:
        return excel.export_workbook(service.load_report(session, cycle), "en")


def fill(data: bytes, variant_of) -> bytes:
    """Every data row filled (E-H); ``variant_of(code)`` picks each description's variant."""
    from openpyxl import load_workbook

    from app.self_assessment import excel

    wb = load_workbook(BytesIO(data))
    ws = wb[excel.DATA_SHEET]
    rows = 0
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        if not code:
            continue
        slug = code.lower().replace(".", "-")
        row[4].value = RATING_EN
        row[5].value = description(code, variant_of(code))
        row[6].value = (f"Integration strategy {code} | https://www.velmar.example/{slug}/strategy\n"
                        f"Annual report {code} | https://www.velmar.example/{slug}/report")
        row[7].value = ("Amina Officer | integration officer | Social affairs\n"
                        "Paul Martin | head of unit | Employment")
        rows += 1
    if rows != 73:
        raise SystemExit(f"the exported workbook has {rows} indicator rows, not 73")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def filled(engine, cycle, variant_of) -> bytes:
    return fill(export(engine, cycle), variant_of)


# --------------------------------------------------------------------------- measuring

@contextmanager
def count_statements(engine):
    """The SQL statements sent to ``engine`` meanwhile (an executemany counts once)."""
    from sqlalchemy import event

    seen: list[str] = []

    def listener(_conn, _cursor, statement, _params, _context, _executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def timed(func) -> tuple[int, object]:
    gc.collect()
    t0 = time.perf_counter_ns()
    result = func()
    return time.perf_counter_ns() - t0, result


def median_ms(ns: list[int]) -> float:
    return statistics.median(ns) / 1e6


class Importer:
    """The real import, in a fresh session each time, checked to update ``expect`` entries."""

    def __init__(self, engine, officer, cycle) -> None:
        self.engine, self.officer, self.cycle = engine, officer, cycle

    def __call__(self, data: bytes, expect: int | None = 73) -> int:
        from sqlmodel import Session

        from app.cycles.deps import load_cycle_access
        from app.self_assessment import excel

        with Session(self.engine, expire_on_commit=False) as session:
            rights = load_cycle_access(session, self.officer, self.cycle.id, "share").rights
            n = excel.import_workbook(session, rights, self.cycle, data).updated
            session.commit()
        if expect is not None and n != expect:
            raise SystemExit(f"the import updated {n} entries, not {expect}")
        return n


def baseline_load(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(BytesIO(data))


# --------------------------------------------------------------------------- page baseline

class PageBaseline:
    """``self_assessment.html`` rendered from memory with the context ``_page``/``render`` give it."""

    def __init__(self, engine, officer, cycle, csrf_cookie: str, session_cookie: str) -> None:
        from sqlmodel import Session

        from app.auth.security import csrf_token_for
        from app.secret_key import stored_secret_key
        from app.self_assessment import service

        with Session(engine, expire_on_commit=False) as session:
            self.report = service.load_report(session, cycle)
        self.officer, self.cycle = officer, cycle
        self.path = f"/cycles/{cycle.id}/self-assessment"
        self.csrf = csrf_token_for(stored_secret_key(engine)[0], csrf_cookie, session_cookie)  # as the app does
        self.request = SimpleNamespace(state=SimpleNamespace(user=officer, lang="en"),
                                       url=SimpleNamespace(path=self.path, query=""), cookies={})

    def __call__(self) -> str:
        from benchmark.scales import SelfRating

        from app.i18n import LANGUAGES, gettext_for
        from app.self_assessment import service
        from app.self_assessment.pages import sections
        from app.web import env

        report = self.report
        return env.get_template("self_assessment/self_assessment.html").render(
            request=self.request, _=gettext_for("en"), lang="en", languages=LANGUAGES, user=self.officer,
            csrf_token=self.csrf, path=self.path, query="",
            cycle=self.cycle, report=report, sections=sections(report), missing=report.missing(),
            ratings=[r.value for r in SelfRating], can_reopen=False,
            evidence_text=lambda e: service.format_lines([x.model_dump() for x in e.evidence], service.EVIDENCE_KEYS),
            documents_of=lambda e: [],
            responsible_text=lambda e: service.format_lines([x.model_dump() for x in e.responsible],
                                                            service.RESPONSIBLE_KEYS),
            history=service.ReportHistory(), editing=True, colon=": ", flash=None,
        )


# --------------------------------------------------------------------------- the two parts

def bench_import(engine, officer, cycle, rounds: int, per_round: int) -> dict:
    do_import = Importer(engine, officer, cycle)
    counts = {}
    # first import: creates the 73 entries (variant 0 everywhere)
    data = filled(engine, cycle, lambda code: 0)
    with count_statements(engine) as seen:
        do_import(data)
    counts["import, 73 rows created (first)"] = len(seen)
    # 3 changed rows: the current content (variant 0) except three descriptions (variant 2)
    changed = set()

    def three(code):
        if len(changed) < 3 or code in changed:
            changed.add(code)
            return 2
        return 0

    data = filled(engine, cycle, three)
    with count_statements(engine) as seen:
        do_import(data, expect=3)
    counts["import, 3 rows changed"] = len(seen)
    # 73 changed rows: variant 1 everywhere (differs from both 0 and 2)
    data = filled(engine, cycle, lambda code: 1)
    with count_statements(engine) as seen:
        do_import(data)
    counts["import, 73 rows changed"] = len(seen)
    baseline_load(data)  # warm

    real, base = [], []
    current = 1  # the variant the database holds
    t0 = time.monotonic()
    for rnd in range(rounds):
        for i in range(per_round):
            nxt = 1 - current
            data = filled(engine, cycle, lambda code, v=nxt: v)  # untimed: export now, fill
            order = ("real", "base") if (rnd + i) % 2 == 0 else ("base", "real")
            for which in order:
                if which == "real":
                    ns, _n = timed(lambda: do_import(data))
                    real.append(ns)
                else:
                    ns, _wb = timed(lambda: baseline_load(data))
                    base.append(ns)
            current = nxt
    return {"real": real, "base": base, "counts": counts, "seconds": time.monotonic() - t0,
            "bytes": len(data)}


def bench_page(engine, officer, full, empty, rounds: int, per_round: int) -> dict:
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from app.auth.service import WEB, issue_token
    from app.main import create_app

    with Session(engine, expire_on_commit=False) as session:
        cookie = issue_token(session, officer, WEB, timedelta(hours=1))
        session.commit()
    headers = {"Accept": "text/html", "Accept-Language": "en"}
    path = f"/cycles/{full.id}/self-assessment"
    counts = {}
    with TestClient(create_app(engine=engine), headers=headers) as client:
        client.cookies.set("inti_session", cookie)

        def get(url=path):
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"GET {url} answered {r.status_code}: {r.text[:300]}")
            return r

        for _ in range(3):  # warm (caches, the CSRF cookie the first answer sets)
            get()
            get(f"/cycles/{empty.id}/self-assessment")
        csrf_cookie = client.cookies.get("inti_csrf")
        if not csrf_cookie:
            raise SystemExit("the page set no CSRF cookie")
        with count_statements(engine) as seen:
            get(f"/cycles/{empty.id}/self-assessment")
        counts["page, 0 entries filled"] = len(seen)
        with count_statements(engine) as seen:
            html = get().text
        counts["page, 73 entries filled"] = len(seen)
        if html.count("complete\" id=") != 73:
            raise SystemExit("the page does not show 73 complete entries")

        baseline = PageBaseline(engine, officer, full, csrf_cookie, cookie)
        if baseline() != html:
            import difflib

            diff = "\n".join(list(difflib.unified_diff(html.splitlines(), baseline().splitlines(),
                                                       "real", "baseline", lineterm=""))[:40])
            raise SystemExit(f"the baseline's HTML differs from the page's:\n{diff}")
        for _ in range(3):
            baseline()

        real, base = [], []
        t0 = time.monotonic()
        for rnd in range(rounds):
            order = ("real", "base") if rnd % 2 == 0 else ("base", "real")
            for which in order:
                gc.collect()
                func = get if which == "real" else baseline
                target = real if which == "real" else base
                for _ in range(per_round):
                    t = time.perf_counter_ns()
                    func()
                    target.append(time.perf_counter_ns() - t)
    return {"real": real, "base": base, "counts": counts, "seconds": time.monotonic() - t0,
            "html": len(html.encode())}


# --------------------------------------------------------------------------- profile

def profile(engine, officer, cycle, top: int) -> None:
    """cProfile of one import of a full workbook that changes the 73 entries."""
    import cProfile
    import pstats

    do_import = Importer(engine, officer, cycle)
    do_import(filled(engine, cycle, lambda code: 0))  # creates the entries
    do_import(filled(engine, cycle, lambda code: 1))  # warm: an update of 73
    data = filled(engine, cycle, lambda code: 0)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    do_import(data)
    prof.disable()
    wall = time.perf_counter() - t0
    print(f"# cProfile: one import_workbook updating 73 entries ({wall * 1e3:,.0f} ms under the profiler, "
          f"{len(data):,} bytes)")
    stats = pstats.Stats(prof).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--imports", type=int, default=10, help="imports per round (default 10)")
    parser.add_argument("--pages", type=int, default=40, help="page requests per side and round (default 40)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one import instead")
    args = parser.parse_args(argv)

    # starlette asks for ``httpx2`` in its TestClient; irrelevant to the measurement
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")

    with tempfile.TemporaryDirectory(prefix="inti-bench-sa-") as tmp:
        engine, officer, full, empty = prepare_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            if args.profile:
                profile(engine, officer, full, 35)
                return 0
            imp = bench_import(engine, officer, full, args.rounds, args.imports)
            page = bench_page(engine, officer, full, empty, args.rounds, args.pages)
        finally:
            engine.dispose()

    print("# Initial report: workbook import and whole-report page, real vs baseline")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, SQLite (temp file); "
          f"73 indicators, {DESCRIPTION_CHARS:,}-character descriptions; workbook {imp['bytes']:,} bytes, "
          f"page {page['html']:,} bytes")
    print(f"import: {args.rounds} rounds × {args.imports} imports, each beside a load of its file "
          f"({imp['seconds']:.1f} s with the untimed exports and fills); page: {args.rounds} rounds × "
          f"{args.pages} requests per side ({page['seconds']:.1f} s)")
    print()
    print("| case | baseline ms | real ms | ratio |")
    print("|---|---:|---:|---:|")
    for label, res, base_label in (
        ("import of a full workbook (73 rows updated)", imp, "openpyxl.load_workbook"),
        ("officer's whole-report page (73 filled)", page, "template render from memory"),
    ):
        b, r = median_ms(res["base"]), median_ms(res["real"])
        print(f"| {label} vs {base_label} | {b:,.1f} | {r:,.1f} | {r / b:.2f}× |")
    print()
    print("| SQL statements | count |")
    print("|---|---:|")
    for counts in (imp["counts"], page["counts"]):
        for label, n in counts.items():
            print(f"| {label} | {n} |")
    ic, pc = imp["counts"], page["counts"]
    print()
    print("Statements per import " + ("do not grow" if ic["import, 3 rows changed"] == ic["import, 73 rows changed"]
                                      else "GROW") + " with the rows changed; per page "
          + ("do not grow" if pc["page, 0 entries filled"] == pc["page, 73 entries filled"] else "GROW")
          + " with the entries filled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the final host-city report of a full cycle in its four formats, published.

Not a test (the name does not start with ``test_``): a measurement, printed as a table,
each real request's time as a ratio of a baseline measured in the same run, interleaved.

Usage, from the project root::

    python tests/perf/bench_report.py --rounds 1 -n 1    # the smallest, about 50 s
    python tests/perf/bench_report.py                    # the defaults (--rounds 5 -n 10), about 7 min

Set-up (SQLite in a temporary directory): ``bench_judgements.prepare`` (the schema, the
benchmark and its good-practice library, a host city whose initial report is submitted,
a team leader and 5 peers who submitted their reviews of the 73 indicators, the visit's
interviews and 300 notes), then through the services: every indicator judged (below, at,
above the benchmark, or more information needed, each with a rationale), the cycle moved
to its reporting, the summary and each pillar's strengths and weaknesses written
(``sections.write_section``), and recommendations made by the team leader
(``recommendations.create_recommendation``), each tied to one to three indicators, with
a horizon, a priority, an owner, a follow-up date and the good practices of the library
that speak to its indicators (by id, one to three). First a small cycle — 10 interviews,
5 recommendations — then grown to the full one of issue 11: 40 interviews, 30 recommendations.

The real side is a request to ``create_app(engine=...)`` through ``TestClient`` (lifespan
run) as the team leader, by a bearer token (the API) or a web-session cookie (the page).
The baselines use a ``ReportContent`` built once beforehand (``build.build_content``) of
the same cycle: what is left without HTTP, FastAPI, authentication and the database.

1. HTML: ``GET /api/v1/cycles/{id}/report?format=html&lang=en`` against
   ``html.render_html(content, "en")``; checked to give the same bytes. Goal: within 2×.
2. PDF: ``…?format=pdf`` against ``weasyprint.HTML(string=html).write_pdf()`` of that same
   HTML (rendered once beforehand). Goal: within 1.5×. The PDF is slow: each round times
   ``max(1, n // 5)`` of each side instead of ``n``.
3. Word and Excel: ``…?format=docx`` and ``…?format=xlsx`` against ``render_docx`` and
   ``render_xlsx`` of the content. No goal in the issue: information.
4. Publishing: ``POST …/report/publish`` with an override reason (no peer has signed off),
   timed once without the rendering of its files (a background task after the answer),
   against the HTML draft's request; then that rendering (``files.render_version``, the
   eight files stored one by one) against rendering them from the content in memory. No
   goal: information. Then a published version downloaded from
   storage, ``GET …/report?format=pdf&lang=en&version=1``, against a bare small JSON
   request, ``GET /api/v1/me``. Goal: milliseconds — under 50 ms, never a rendering.

Statements: the SQL statements of the HTML request, of the report's page
(``GET /cycles/{id}/report``, ``Accept: text/html``) and of
``GET /api/v1/cycles/{id}/recommendations``, with the small cycle and the full one: they
must be equal (exit status 1 if they grow).

Rounds: ``--rounds`` rounds; in each, case after case, ``-n`` requests of one side then of
the other, who goes first alternating. Reported: the median per request (ms) and
real/baseline. Exit status 0 when a timing goal is missed (information), 1 if the
statements grow.

What it showed (``--rounds 3 -n 10``, the 2-core machine; the English report is 83 A4
pages, 176 KB of HTML): the PDF, Word and Excel requests are their renderers' time and
little more (PDF 6.0 s against 5.9 s, 1.01×; Word 1.05×; Excel 1.30×); the HTML draft 1.84×
(30.9 ms against 16.8) once the team was read once (2.05× before): a request's fixed cost
(about 5 ms, what ``/api/v1/me`` costs) and building the content in 14 statements weigh as
much as rendering the document. Publishing freezes the content in 55 ms; its eight files
then take 13.7 s in the background (they took 22 s inside the publishing transaction
before). A published PDF comes from storage in 8 ms. WeasyPrint spends about 30 % of its
layout in the pillars' two-column grid of strengths and weaknesses (``grid-template-columns:
1fr 1fr`` measures every word's min-content width; ``minmax(0, 1fr)`` took a render from 8.1
to 5.7 s in a trial, not applied: ``app/static/report.css``).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for path in (ROOT, HERE, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_judgements import NOTES, add_interviews  # noqa: E402
from bench_judgements import prepare as prepare_visit  # noqa: E402
from bench_self_assessment import count_statements, median_ms, timed  # noqa: E402

INTERVIEWS = (10, 40)  # the small cycle's, the full one's
RECOMMENDATIONS = (5, 30)
PDF_SHARE = 5  # the PDF cases time n // PDF_SHARE requests per side and round
PUBLISHED_GOAL_MS = 50
SENTENCES = ("The consultative committee meets twice a year and its advice is published.",
             "Its opinions rarely reach the council before the decisions are taken.",
             "The welcome centre's staff speak eleven languages between them.",
             "No department reports on the measures it leads for newcomers.",
             "The budget line for interpreters was cut by half in 2026.",
             "Schools and the employment service share no data on the families they follow.")


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


class Cycle:
    """The cycle of the module's docstring, small, then grown (:meth:`grow`)."""

    def __init__(self, url: str) -> None:
        from sqlmodel import Session, select
        from support import rights_of

        from benchmark.scales import Phase

        from app.auth.service import API, issue_token
        from app.cycles import service as cycles_service
        from app.people.tables import User
        from app.reports import sections
        from app.reviews.service import reviewers_of
        from app.visit import judgements
        from app.visit.judgements_schemas import JudgementWrite

        self.engine, self.cycle, self.leader, self.web, add_notes = prepare_visit(url, interviews=INTERVIEWS[0])
        add_notes(NOTES)
        self.rng = random.Random(11)
        with Session(self.engine, expire_on_commit=False) as s:
            self.team = [user for user, _role in reviewers_of(s, self.cycle)]
            rights = rights_of(s, self.leader, self.cycle)
            self.judged = {}
            for entry in judgements.judgement_entries(s, self.cycle):
                performance = self.rng.choice(["below", "below", "at", "at", "above", "more_info"])
                judgements.write_judgement(s, rights, self.cycle, entry.code, JudgementWrite(
                    performance=performance, rationale=paragraph(self.rng, 3)), None)
                self.judged[entry.code] = performance
            coordinator = s.exec(select(User).where(User.is_coordinator)).one()
            cycles_service.change_phase(s, rights_of(s, coordinator, self.cycle), self.cycle, Phase.REPORTING)
            for key in sections.section_names(s, self.cycle):
                sections.write_section(s, rights, self.cycle, key, "\n\n".join(
                    paragraph(self.rng, 4) for _ in range(3 if key == "summary" else 2)), None)
            self.token = issue_token(s, self.leader, API, timedelta(hours=3))
            s.commit()
        self.interviews, self.recommendations = INTERVIEWS[0], 0
        self.add_recommendations(RECOMMENDATIONS[0])

    def add_recommendations(self, count: int) -> None:
        from sqlmodel import Session
        from support import rights_of

        from app.ids import id_of
        from app.practices.service import practices_for_indicators
        from app.reports.recommendations import create_recommendation
        from app.reports.schemas import RecommendationWrite

        below = [c for c, p in self.judged.items() if p == "below"]
        with Session(self.engine, expire_on_commit=False) as s:
            rights = rights_of(s, self.leader, self.cycle)
            offered = practices_for_indicators(s, below)
            for n in range(self.recommendations, self.recommendations + count):
                codes = self.rng.sample(below, self.rng.randint(1, 3))
                practices = list(dict.fromkeys(id_of(p) for c in codes for p in offered.get(c, [])))[:3]
                create_recommendation(s, rights, self.cycle, RecommendationWrite(
                    indicator_codes=codes, text=paragraph(self.rng, 3), horizon=("short", "medium", "long")[n % 3],
                    priority=("high", "medium", "low")[n % 3 - 1], owner=f"Head of department {n % 7 + 1}",
                    follow_up_on=date(2028, 1 + n % 12, 15), practice_ids=practices))
            s.commit()
        self.recommendations += count

    def grow(self) -> None:
        """From the small cycle to the full one: more interviews, more recommendations."""
        from sqlmodel import Session

        with Session(self.engine) as s:
            add_interviews(s, self.cycle, self.team, range(self.interviews, INTERVIEWS[1]), self.rng)
        self.interviews = INTERVIEWS[1]
        self.add_recommendations(RECOMMENDATIONS[1] - self.recommendations)

    def content(self):
        from sqlmodel import Session

        from app.reports.build import build_content

        with Session(self.engine) as s:
            return build_content(s, self.cycle)


def measure(cases: list[tuple], rounds: int) -> dict[str, tuple[list[int], list[int]]]:
    """``cases``: (name, real, baseline, per side and round); median-ready times by case."""
    times: dict[str, tuple[list[int], list[int]]] = {case[0]: ([], []) for case in cases}
    for round_ in range(rounds):
        for name, real, baseline, count in cases:
            order = ((real, 0), (baseline, 1)) if round_ % 2 == 0 else ((baseline, 1), (real, 0))
            for func, side in order:
                times[name][side].extend(timed(func)[0] for _ in range(count))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-n", type=int, default=10, help="requests per side and round (PDF: n // 5, at least 1)")
    args = parser.parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore")
    import pypdfium2 as pdfium
    from fastapi.testclient import TestClient
    from weasyprint import HTML

    from app.main import create_app
    from app.reports import files
    from app.reports.docx import render_docx
    from app.reports.html import render_html
    from app.reports.xlsx import render_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        world = Cycle(f"sqlite:///{tmp}/bench.db")
        cid = world.cycle.id
        report = f"/api/v1/cycles/{cid}/report"
        bearer = {"Authorization": f"Bearer {world.token}"}
        counted = {"the HTML report": (f"{report}?format=html&lang=en", bearer),
                   "the report's page": (f"/cycles/{cid}/report", {"Accept": "text/html"}),  # the web session's
                   "the recommendations": (f"/api/v1/cycles/{cid}/recommendations", bearer)}
        statements: dict[str, list[int]] = {k: [] for k in counted}
        with TestClient(create_app(engine=world.engine)) as client:
            client.cookies.set("inti_session", world.web)

            def get(url: str, headers: dict | None = None):
                answer = client.get(url, headers=bearer if headers is None else headers)
                assert answer.status_code == 200, (url, answer.status_code, answer.text[:500])
                return answer

            for _size in INTERVIEWS:
                for name, (url, headers) in counted.items():
                    get(url, headers)  # warm: the indicator set, the templates
                    with count_statements(world.engine) as seen:
                        get(url, headers)
                    statements[name].append(len(seen))
                if world.interviews < INTERVIEWS[1]:
                    world.grow()

            content = world.content()
            assert len(content.recommendations) == RECOMMENDATIONS[1] and len(content.meetings) == INTERVIEWS[1]
            html = render_html(content, "en")
            assert get(f"{report}?format=html&lang=en").content == html.encode(), \
                "the baseline renders another document than the real request"

            sizes: dict[str, int] = {}

            def download(fmt: str):
                def run():
                    sizes[fmt] = len(get(f"{report}?format={fmt}&lang=en").content)
                return run

            pdf_n = max(1, args.n // PDF_SHARE)
            HTML(string="<p>Warm</p>").write_pdf()  # warm: WeasyPrint's fonts
            for fmt in ("docx", "xlsx"):
                download(fmt)()  # warm: templates, styles
            draft = measure([
                ("HTML, draft", download("html"), lambda: render_html(content, "en"), args.n),
                ("PDF, draft", download("pdf"), lambda: HTML(string=html).write_pdf(), pdf_n),
                ("Word, draft", download("docx"), lambda: render_docx(content, "en"), args.n),
                ("Excel, draft", download("xlsx"), lambda: render_xlsx(content, "en"), args.n),
            ], args.rounds)

            # The request alone (its transaction): the files' rendering, a background task run
            # after the answer, is held back here and timed on its own just after.
            render_later = files.render_version
            held: list[int] = []
            files.render_version = lambda _engine, version_id, *a, **k: held.append(version_id)  # type: ignore
            try:
                publish_ns, answer = timed(lambda: client.post(f"{report}/publish", headers=bearer, json={
                    "override_reason": "Measured by tests/perf/bench_report.py."}))
            finally:
                files.render_version = render_later
            assert answer.status_code == 200 and answer.json()["version"] == 1, answer.text[:500]
            files_ns, made = timed(lambda: files.render_version(world.engine, held[0]))
            assert made == files.TOTAL, made
            stored = get(f"{report}?format=pdf&lang=en&version=1")
            assert stored.content.startswith(b"%PDF") and stored.headers["ETag"], stored.headers
            pages = len(pdfium.PdfDocument(stored.content))
            get("/api/v1/me")
            published = measure([("published PDF, from storage", lambda: get(f"{report}?format=pdf&lang=en&version=1"),
                                  lambda: get("/api/v1/me"), args.n)], args.rounds)

    print(f"The final report of a full cycle (73 indicators, 6 peers, {INTERVIEWS[1]} interviews, "
          f"{RECOMMENDATIONS[1]} recommendations); {args.rounds} rounds × {args.n} per side "
          f"(PDF: {pdf_n}; median per request)\n")
    print("| case | baseline | real ms | baseline ms | real/baseline | goal |")
    print("|---|---|---:|---:|---:|---|")
    goals = {"HTML, draft": 2.0, "PDF, draft": 1.5}
    baselines = {"HTML, draft": "`render_html` of the content", "PDF, draft": "WeasyPrint on the same HTML",
                 "Word, draft": "`render_docx` of the content", "Excel, draft": "`render_xlsx` of the content",
                 "published PDF, from storage": "`GET /api/v1/me`"}
    rows = [(name, median_ms(real), median_ms(base)) for name, (real, base) in {**draft, **published}.items()]
    # The eight files' renderings from memory, estimated from the four baselines (English for both
    # languages) rather than timed again: two more PDFs would double the smallest run's time.
    rows.insert(4, ("publishing, the request", publish_ns / 1e6, rows[0][1]))
    baselines["publishing, the request"] = "the HTML draft's request"
    rows.insert(5, ("its 8 files, after it", files_ns / 1e6, 2 * sum(base for _n, _r, base in rows[:4])))
    baselines["its 8 files, after it"] = "2 × the four baselines above"
    for name, real_ms, base_ms in rows:
        ratio = real_ms / base_ms
        if name in goals:
            goal = f"{'met' if ratio <= goals[name] else '**missed**'} ({goals[name]:g}×)"
        elif name.startswith("published"):
            goal = f"{'met' if real_ms < PUBLISHED_GOAL_MS else '**missed**'} (< {PUBLISHED_GOAL_MS} ms)"
        else:
            goal = "—"
        print(f"| {name} | {baselines[name]} | {real_ms:.1f} | {base_ms:.1f} | {ratio:.2f}× | {goal} |")
    print(f"\nThe English report: {pages} PDF pages; "
          + ", ".join(f"{fmt} {size / 1024:.0f} KB" for fmt, size in sizes.items()))
    grew = [name for name, (few, many) in statements.items() if few != many]
    print(f"\nSQL statements per request, {INTERVIEWS[0]} interviews and {RECOMMENDATIONS[0]} recommendations, "
          f"then {INTERVIEWS[1]} and {RECOMMENDATIONS[1]}: "
          + "; ".join(f"{name} {few} then {many}" for name, (few, many) in statements.items())
          + (f" (GROW: {', '.join(grew)})" if grew else " (equal)"))
    return 1 if grew else 0


if __name__ == "__main__":
    started = time.perf_counter()
    status = main()
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    sys.exit(status)

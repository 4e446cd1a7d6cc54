"""The network's open dataset: every published cycle × indicator in long format, for
researchers, as CSV and as an Excel workbook (whose first sheet documents the columns).

Only published results are in it (the latest published version of each cycle). Each
reviewer's preparatory judgement is there, anonymised: ``reviewer_1`` … in an order drawn
from a hash of the cycle and the reviewer, so that neither the names nor the team leader's
place can be read from it. The anonymised variant also replaces each city by a code
(``city-001`` …, in the order of the cities' names hashed) and leaves out the cycles'
titles and ids: the rows stay comparable, the cities unnamed.

CSV text fields that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, a
tab, a carriage return) are prefixed with an apostrophe, as the office layer's cells are
kept text.
"""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from sqlmodel import Session, col, select

from app.auth.permissions import can_compare, require
from app.comparison.service import published_cycles
from app.comparison.tables import PublishedCycle, PublishedResult
from app.i18n import N_, gettext_for
from app.office.xlsx import FORMULA_STARTS, text_cell, write_header
from app.people.tables import User
from app.reviews.tables import ReviewEntry

#: Cycles read at once (their results and their reviewers' judgements).
BATCH = 200


@dataclass(frozen=True)
class Column:
    name: str
    about: str  # a message id: what the column holds


COLUMNS = [
    Column("cycle_id", N_("The review's id in the service (left out of the anonymised variant).")),
    Column("city", N_("The host city (a code such as city-007 in the anonymised variant, the same for all its "
                      "reviews).")),
    Column("country", N_("The host city's country.")),
    Column("year", N_("The year the review's report was first published.")),
    Column("indicator_set_version", N_("The version of the indicator set the review used.")),
    Column("report_version", N_("The published version of the report the row comes from (the latest).")),
    Column("indicator", N_("The indicator's code, e.g. GG-AMB-1: pillar, dimension, number.")),
    Column("pillar", N_("GG general governance, IE individual empowerment, AC administrative cooperation, "
                        "WP working partnerships.")),
    Column("dimension", N_("AMB ambition, LEA leadership, RES resources, IMP implementation, EVA evaluation.")),
    Column("self_rating", N_("The host city's own rating: below, at or above the benchmark (empty: none).")),
    Column("final_judgement", N_("The team's final judgement: below, at, above, or more_info (more information "
                                 "needed).")),
    Column("recommendations", N_("How many of the report's recommendations rest on the indicator.")),
    Column("reviewers", N_("How many reviewers' preparatory judgements the row holds.")),
]
REVIEWER_ABOUT = N_("One reviewer's preparatory judgement, before the visit (anonymised; reviewer_1 is not the same "
                    "person from one review to the next).")


def _safe(value: object) -> object:
    return "'" + value if isinstance(value, str) and value and value[0] in FORMULA_STARTS else value


def _order(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def _header(reviewers: int, anonymised: bool) -> list[object]:
    names: list[object] = [c.name for c in COLUMNS if not (anonymised and c.name == "cycle_id")]
    return names + [f"reviewer_{n}" for n in range(1, reviewers + 1)]


def rows(session: Session, user: User, anonymised: bool) -> Iterator[list[object]]:
    """The header, then one row per published cycle × indicator (a few queries per
    ``BATCH`` cycles, whatever the network's size)."""
    require(can_compare(user))
    cycles = published_cycles(session)
    most = session.exec(select(ReviewEntry.cycle_id, ReviewEntry.reviewer_id).distinct().where(
        col(ReviewEntry.cycle_id).in_(select(PublishedCycle.cycle_id)))).all()
    team: dict[int, int] = {}
    for cycle_id, _reviewer in most:
        team[cycle_id] = team.get(cycle_id, 0) + 1
    width = max(team.values(), default=0)
    yield _header(width, anonymised)
    codes = {city_id: f"city-{n:03d}" for n, city_id in enumerate(
        sorted({r.city_id for r in cycles}, key=lambda c: _order("city", c)), start=1)}
    for start in range(0, len(cycles), BATCH):
        batch = cycles[start:start + BATCH]
        ids = [r.cycle_id for r in batch]
        results: dict[int, list[PublishedResult]] = {}
        for r in session.exec(select(PublishedResult).where(col(PublishedResult.cycle_id).in_(ids))
                              .order_by(col(PublishedResult.cycle_id), col(PublishedResult.indicator_code))):
            results.setdefault(r.cycle_id, []).append(r)
        judged: dict[tuple[int, str], dict[int, str | None]] = {}
        teams: dict[int, set[int]] = {}
        for cycle_id, reviewer, code, performance in session.exec(
                select(ReviewEntry.cycle_id, ReviewEntry.reviewer_id, ReviewEntry.indicator_code,
                       ReviewEntry.performance).where(col(ReviewEntry.cycle_id).in_(ids))):
            judged.setdefault((cycle_id, code), {})[reviewer] = performance
            teams.setdefault(cycle_id, set()).add(reviewer)
        for published in batch:
            cycle_id = published.cycle_id
            reviewers = sorted(teams.get(cycle_id, set()), key=lambda r: _order(cycle_id, r))  # noqa: B023
            head: list[object] = [] if anonymised else [cycle_id]
            head += [codes[published.city_id] if anonymised else published.city, published.country, published.year,
                     published.indicator_set_version, published.report_version]
            for r in results.get(cycle_id, []):
                by = judged.get((cycle_id, r.indicator_code), {})
                marks = [by.get(reviewer) or "" for reviewer in reviewers]
                yield [*head, r.indicator_code, r.pillar, r.dimension, r.self_rating or "", r.performance or "",
                       r.recommendations, sum(1 for m in marks if m), *marks, *[""] * (width - len(marks))]


def to_csv(session: Session, user: User, anonymised: bool) -> bytes:
    """The dataset as CSV (UTF-8 with a byte-order mark, which Excel needs to read it so)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_safe(v) for v in row] for row in rows(session, user, anonymised))
    return buffer.getvalue().encode()


def to_xlsx(session: Session, user: User, anonymised: bool, lang: str) -> bytes:
    """The dataset as a workbook: a sheet documenting the columns in ``lang``, then the data."""
    _ = gettext_for(lang)
    wb = Workbook()
    about = wb.active
    about.title = _("Columns")
    write_header(about, [(_("Column"), 24), (_("What it holds"), 100)])
    data = wb.create_sheet(_("Data"))
    header: list[str] = []
    for n, row in enumerate(rows(session, user, anonymised), start=1):
        if n == 1:
            header = [str(v) for v in row]
            write_header(data, [(name, 14) for name in header])
            continue
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                text_cell(data, n, c, value)
            else:
                data.cell(row=n, column=c, value=value)
    documented = {c.name: c.about for c in COLUMNS}
    for n, name in enumerate(header, start=2):
        text_cell(about, n, 1, name)
        text_cell(about, n, 2, _(documented.get(name, REVIEWER_ABOUT)))
    data.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

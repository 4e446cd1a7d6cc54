"""The self-assessment workbook's hidden ``_meta`` sheet, and which of a workbook's rows are edits.

The sheet names the workbook's format, cycle and indicator set (a workbook of another
cycle or set is refused at once), then has one row per indicator from row
:data:`FIRST_ENTRY_ROW`: its code (A), the version of its entry when exported (B, 0 when
never written) and a digest of what the row's editable cells held (C: SHA-256 of
:func:`app.self_assessment.service.entry_content`, so a row reads the same whatever
spreadsheet saved it).

Which rows an import writes (issue 8, item 4a: a conflict must not lose work, and a row
nobody touched in Excel must not block the import):

- a row that holds what it held when exported is no edit: skipped, whatever was saved
  online since (the online text is kept);
- a row changed in the workbook that now holds what is online is skipped too (nothing to
  write);
- a row changed in the workbook whose entry has the version it had when exported (or
  was never written: there is nothing online to lose) is written;
- a row changed in the workbook whose entry was also saved online since is a conflict:
  the import is refused as a whole, each such row shown with both versions.

Workbooks exported before the digests (format 1, :data:`FORMAT_V1`: versions of written
entries only) keep the rule they were made with: a row that differs from what is online
is written, unless its entry was saved after the version recorded (a conflict).

The digests are data in the file, which its holder can edit: that is accepted, since
they only decide whether a row counts as an edit (a forged one can at most make an
edited row look untouched, or the reverse), and everything written is checked as any
row is. Their shape is checked: a malformed ``_meta`` is refused (422) naming the cell.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from openpyxl.worksheet.worksheet import Worksheet

from app.cycles.tables import Cycle
from app.i18n import N_
from app.office import xlsx
from app.office.problems import Problems, refuse
from app.self_assessment import service
from app.self_assessment.schemas import EntryWrite

FORMAT_V1 = "inti-cities/self-assessment/1"
FORMAT = "inti-cities/self-assessment/2"
META_SHEET = "_meta"
HEADER_KEYS = ("format", "cycle_id", "indicator_set_version", "exported_at")
FIRST_ENTRY_ROW = len(HEADER_KEYS) + 2  # after the header and a blank row
MAX_ROWS = 200
DIGEST = re.compile(r"^[0-9a-f]{64}$")
VERSION = re.compile(r"^[0-9]{1,18}$")  # a version as written; int() of a longer one may fail


def digest(content: tuple) -> str:
    """The digest of an entry's content (:func:`~app.self_assessment.service.entry_content`)."""
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def write_meta(ws: Worksheet, report: service.Report) -> None:
    """The hidden sheet of a workbook exported now from ``report``."""
    rows: list[tuple[str, ...]] = [
        ("format", FORMAT), ("cycle_id", str(report.cycle.id)), ("indicator_set_version", report.iset.version),
        ("exported_at", datetime.now(UTC).isoformat(timespec="seconds")), ("", "")]
    for ind in report.iset.indicators:
        entry = report.entries.get(ind.code)
        content = service.entry_content(service.entry_public(ind.code, entry))
        rows.append((ind.code, str(entry.version if entry else 0), digest(content)))
    for n, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            xlsx.text_cell(ws, n, col, value)
    ws.sheet_state = "hidden"


@dataclass
class Exported:
    """What a workbook was exported from: entry versions by code and, from format 2 on,
    the digest of each row as exported (None for a format 1 workbook)."""

    versions: dict[str, int]
    digests: dict[str, str] | None


def read_meta(ws, cycle: Cycle, report: service.Report) -> Exported:
    """The hidden sheet, checked; 422 naming the sheet and cell of what is wrong."""
    header: dict[str, tuple[str, str]] = {}
    rows: list[tuple[int, str, str, str]] = []
    for n, row in xlsx.read_rows(ws, META_SHEET, Problems(), max_row=MAX_ROWS, max_col=3, values_only=True):
        code, version, snapshot = ([xlsx.cell_text(v) for v in row] + ["", "", ""])[:3]
        if code in HEADER_KEYS:
            header[code] = (version, f"B{n}")
        elif code:
            rows.append((n, code, version, snapshot))
    _check_header(header, cycle, report)
    if header["format"][0] == FORMAT_V1:
        # As format 1 was read: versions of known codes, whatever else the sheet holds.
        return Exported({code: int(version) for _n, code, version, _s in rows
                         if code in report.iset.by_code() and VERSION.match(version)}, None)
    return _snapshots(rows, report)


def _check_header(header: dict[str, tuple[str, str]], cycle: Cycle, report: service.Report) -> None:
    """Wrong workbook: one problem, before any row is read (its rows would mean nothing here)."""
    def value(key: str) -> tuple[str, str]:
        return header.get(key, ("", "B1"))

    if value("format")[0] not in (FORMAT, FORMAT_V1):
        refuse(None, None, N_("This is not a self-assessment workbook exported by this service."))
    problems = Problems()
    if value("cycle_id")[0] != str(cycle.id):
        problems.add(META_SHEET, value("cycle_id")[1],
                     N_("This workbook belongs to review cycle %(other)s, not to this one (%(this)s)."),
                     other=value("cycle_id")[0] or "?", this=cycle.id)
    elif value("indicator_set_version")[0] != report.iset.version:
        problems.add(META_SHEET, value("indicator_set_version")[1],
                     N_("This workbook uses indicator set %(other)s; this cycle uses %(this)s."),
                     other=value("indicator_set_version")[0] or "?", this=report.iset.version)
    problems.raise_if_any()


def _snapshots(rows: list[tuple[int, str, str, str]], report: service.Report) -> Exported:
    """Format 2's rows: every indicator once, each with a version and a digest."""
    known = report.iset.by_code()
    problems = Problems()
    first: dict[str, str] = {}
    versions: dict[str, int] = {}
    digests: dict[str, str] = {}
    for n, code, version, snapshot in rows:
        if code not in known:
            problems.add(META_SHEET, f"A{n}", N_("Unknown indicator code \"%(code)s\"."), code=code)
            continue
        if code in first:
            problems.add(META_SHEET, f"A{n}", N_("Indicator %(code)s appears twice (first in %(first)s)."),
                         code=code, first=first[code])
            continue
        first[code] = f"A{n}"
        if VERSION.match(version):
            versions[code] = int(version)
        else:
            problems.add(META_SHEET, f"B{n}", N_("The hidden sheet was changed here (this is not a version "
                                                 "number): export the workbook again."))
        if DIGEST.match(snapshot):
            digests[code] = snapshot
        else:
            problems.add(META_SHEET, f"C{n}", N_("The hidden sheet was changed here (this is not the record of "
                                                 "a row as exported): export the workbook again."))
    missing = [code for code in known if code not in first]
    if missing:
        problems.add(META_SHEET, None, N_("The hidden sheet lacks the record of %(codes)s as exported: export "
                                          "the workbook again."),
                     codes=", ".join(missing[:5]) + (", …" if len(missing) > 5 else ""))
    problems.raise_if_any()
    return Exported(versions, digests)


@dataclass
class Plan:
    """What an import does with the rows a workbook holds (by code)."""

    writes: dict[str, EntryWrite] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # nothing to write
    conflicts: list[str] = field(default_factory=list)  # see the module's rules


def plan(report: service.Report, rows: dict[str, EntryWrite], exported: Exported) -> Plan:
    """Sort the workbook's rows by the rules of this module's docstring."""
    out = Plan()
    for code, data in rows.items():
        entry = report.entries.get(code)
        version = entry.version if entry else 0
        wanted = service.entry_content(data)
        if wanted == service.entry_content(service.entry_public(code, entry)):
            out.skipped.append(code)  # already so online
        elif exported.digests is None:  # format 1: any difference is an edit
            if version > exported.versions.get(code, 0):
                out.conflicts.append(code)
            else:
                out.writes[code] = data
        elif digest(wanted) == exported.digests[code]:
            out.skipped.append(code)  # not changed in the workbook: what is online stays
        elif entry is not None and version != exported.versions[code]:
            out.conflicts.append(code)  # changed on both sides (never written online: nothing to lose)
        else:
            out.writes[code] = data
    return out

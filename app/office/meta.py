"""A workbook's hidden ``_meta`` sheet, and which of its rows are edits: for every workbook
of the service that is filled offline and imported back (the initial report, a reviewer's
preparatory review).

The sheet names the workbook's format, cycle and indicator set (a workbook of another
cycle or set is refused at once), then has one row per indicator from row
:data:`FIRST_ENTRY_ROW`: its code (A), the version of its entry when exported (B, 0 when
never written) and a digest of what the row's editable cells held (C: SHA-256 of the
entry's content as plain values — each workbook's ``entry_content`` — so a row reads the
same whatever spreadsheet saved it).

Which rows an import writes (issue 8, item 4a: a conflict must not lose work, and a row
nobody touched in Excel must not block the import):

- a row that holds what it held when exported is no edit: skipped, whatever was saved
  online since (the online text is kept);
- a row changed in the workbook that now holds what is online is skipped too (nothing to
  write);
- a row changed in the workbook whose entry has the version it had when exported (or
  was never written: there is nothing online to lose) is written;
- a row changed in the workbook whose entry was also saved online since is a conflict:
  the import is refused as a whole, each such row shown with both versions
  (:func:`refuse_conflicts`).

A workbook format may have a legacy version without digests (the initial report's format 1:
versions of written entries only), which keeps the rule it was made with: a row that
differs from what is online is written, unless its entry was saved after the version
recorded (a conflict).

The digests are data in the file, which its holder can edit: that is accepted, since
they only decide whether a row counts as an edit (a forged one can at most make an
edited row look untouched, or the reverse), and everything written is checked as any
row is. Their shape is checked: a malformed ``_meta`` is refused (422) naming the cell.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from openpyxl.worksheet.worksheet import Worksheet

from app.i18n import N_, Phrase
from app.office import xlsx
from app.office.problems import Problems, refuse

META_SHEET = "_meta"
HEADER_KEYS = ("format", "cycle_id", "indicator_set_version", "exported_at", "owner_id")
FIRST_ENTRY_ROW = len(HEADER_KEYS) + 2  # after the header and a blank row
MAX_ROWS = 200
DIGEST = re.compile(r"^[0-9a-f]{64}$")
VERSION = re.compile(r"^[0-9]{1,18}$")  # a version as written; int() of a longer one may fail
W = TypeVar("W")


@dataclass(frozen=True)
class MetaFormat:
    """A kind of workbook: the format written now, a legacy one still read (without
    digests), and what a workbook of another kind is told (a message id)."""

    current: str
    not_ours: str
    legacy: str | None = None


def digest(content: tuple) -> str:
    """The digest of an entry's content as plain values."""
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def write_meta(ws: Worksheet, fmt: MetaFormat, cycle_id: int, iset_version: str,
               rows: Iterable[tuple[str, int, tuple]], owner_id: int | None = None) -> None:
    """The hidden sheet of a workbook exported now, with ``rows``: each indicator's code,
    its entry's version (0: never written) and its content as exported. ``owner_id``: whose
    work it is, when it is one person's (a reviewer's own review)."""
    lines: list[tuple[str, ...]] = [
        ("format", fmt.current), ("cycle_id", str(cycle_id)), ("indicator_set_version", iset_version),
        ("exported_at", datetime.now(UTC).isoformat(timespec="seconds"))]
    if owner_id is not None:
        lines.append(("owner_id", str(owner_id)))
    lines.append(("", ""))
    lines += [(code, str(version), digest(content)) for code, version, content in rows]
    for n, line in enumerate(lines, start=1):
        for col, value in enumerate(line, start=1):
            xlsx.text_cell(ws, n, col, value)
    ws.sheet_state = "hidden"


@dataclass
class Exported:
    """What a workbook was exported from: entry versions by code and the digest of each
    row as exported (None for a legacy workbook, which has none)."""

    versions: dict[str, int]
    digests: dict[str, str] | None


def read_meta(ws: Any, fmt: MetaFormat, cycle_id: int, iset_version: str, codes: Sequence[str],
              owner_id: int | None = None) -> Exported:
    """The hidden sheet, checked against the cycle, its indicator ``codes`` and, when the
    workbook is one person's, ``owner_id`` (a workbook written before owners were noted has
    none and is read); 422 naming the sheet and cell of what is wrong."""
    header: dict[str, tuple[str, str]] = {}
    rows: list[tuple[int, str, str, str]] = []
    for n, row in xlsx.read_rows(ws, META_SHEET, Problems(), max_row=MAX_ROWS, max_col=3, values_only=True):
        code, version, snapshot = ([xlsx.cell_text(v) for v in row] + ["", "", ""])[:3]
        if code in HEADER_KEYS:
            header[code] = (version, f"B{n}")
        elif code:
            rows.append((n, code, version, snapshot))
    _check_header(header, fmt, cycle_id, iset_version)
    owner = header.get("owner_id")
    if owner_id is not None and owner is not None and owner[0] != str(owner_id):
        refuse(META_SHEET, owner[1], N_("This workbook is another reviewer's review: download your own from your "
                                         "review's page, and import that one."))
    if fmt.legacy is not None and header["format"][0] == fmt.legacy:
        # As the legacy format was read: versions of known codes, whatever else the sheet holds.
        return Exported({code: int(version) for _n, code, version, _s in rows
                         if code in codes and VERSION.match(version)}, None)
    return _snapshots(rows, codes)


def _check_header(header: dict[str, tuple[str, str]], fmt: MetaFormat, cycle_id: int, iset_version: str) -> None:
    """Wrong workbook: one problem, before any row is read (its rows would mean nothing here)."""
    def value(key: str) -> tuple[str, str]:
        return header.get(key, ("", "B1"))

    if value("format")[0] not in (fmt.current, fmt.legacy or fmt.current):
        refuse(None, None, fmt.not_ours)
    problems = Problems()
    if value("cycle_id")[0] != str(cycle_id):
        problems.add(META_SHEET, value("cycle_id")[1],
                     N_("This workbook belongs to review cycle %(other)s, not to this one (%(this)s)."),
                     other=value("cycle_id")[0] or "?", this=cycle_id)
    elif value("indicator_set_version")[0] != iset_version:
        problems.add(META_SHEET, value("indicator_set_version")[1],
                     N_("This workbook uses indicator set %(other)s; this cycle uses %(this)s."),
                     other=value("indicator_set_version")[0] or "?", this=iset_version)
    problems.raise_if_any()


def _snapshots(rows: list[tuple[int, str, str, str]], codes: Sequence[str]) -> Exported:
    """The current format's rows: every indicator once, each with a version and a digest."""
    known = set(codes)
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
    missing = [code for code in codes if code not in first]
    if missing:
        problems.add(META_SHEET, None, N_("The hidden sheet lacks the record of %(codes)s as exported: export "
                                          "the workbook again."),
                     codes=", ".join(missing[:5]) + (", …" if len(missing) > 5 else ""))
    problems.raise_if_any()
    return Exported(versions, digests)


@dataclass
class WorkbookRows(Generic[W]):
    """What an uploaded workbook holds: its entries by code, the cell of each one's code,
    and what it was exported from."""

    entries: dict[str, W]
    cells: dict[str, str]
    exported: Exported


@dataclass(frozen=True)
class Imported:
    """What an import did: entries written, and rows skipped with nothing to write (the
    same as when exported, or already what is online)."""

    updated: int
    skipped: int


@dataclass(frozen=True)
class Online:
    """What is online for a row: its entry's version (0: never written) and content."""

    version: int
    content: tuple


@dataclass
class Plan(Generic[W]):
    """What an import does with the rows a workbook holds (by code)."""

    writes: dict[str, W] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # nothing to write
    conflicts: list[str] = field(default_factory=list)  # see the module's rules


def plan(rows: dict[str, W], exported: Exported, online: Callable[[str], Online],
         content: Callable[[W], tuple]) -> Plan[W]:
    """Sort the workbook's rows by the rules of this module's docstring: ``online(code)``
    is what is saved now, ``content(row)`` a row's content as the digests were made of."""
    out: Plan[W] = Plan()
    for code, data in rows.items():
        now = online(code)
        wanted = content(data)
        if wanted == now.content:
            out.skipped.append(code)  # already so online
        elif exported.digests is None:  # legacy: any difference is an edit
            if now.version > exported.versions.get(code, 0):
                out.conflicts.append(code)
            else:
                out.writes[code] = data
        elif digest(wanted) == exported.digests[code]:
            out.skipped.append(code)  # not changed in the workbook: what is online stays
        elif now.version and now.version != exported.versions[code]:
            out.conflicts.append(code)  # changed on both sides (never written online: nothing to lose)
        else:
            out.writes[code] = data
    return out


# --- conflicts: both versions shown ----------------------------------------------------------

EXCERPT_MAX = 200


@dataclass(frozen=True)
class Conflict:
    """A row changed both in the workbook and online: who saved it online and when (UTC),
    and each field that differs as ``(label, workbook's, online)`` phrases."""

    who: str | None
    when: datetime
    differences: Sequence[tuple[str, Phrase, Phrase]]


def excerpt(text: str) -> Phrase:
    """A text as a conflict shows it: quoted, on one line, cut at :data:`EXCERPT_MAX`
    characters; "empty" when there is none."""
    if not text:
        return Phrase(N_("empty"))
    text = " ".join(text.split())
    if len(text) > EXCERPT_MAX:
        text = text[:EXCERPT_MAX - 1] + "…"
    return Phrase(N_("\"%(text)s\""), {"text": text})


def differences(labels: Sequence[str], workbook: tuple, online: tuple,
                shown: Callable[[int, Any], Phrase]) -> list[tuple[str, Phrase, Phrase]]:
    """The fields (by position in an entry's content, each named by ``labels``) that differ,
    each value as ``shown(position, value)`` says."""
    return [(label, shown(n, workbook[n]), shown(n, online[n]))
            for n, label in enumerate(labels) if workbook[n] != online[n]]


def refuse_conflicts(sheet: str, exported: Exported, cells: dict[str, str], codes: Sequence[str],
                     conflict: Callable[[str], Conflict]) -> None:
    """422: one problem per conflicting row, at its code's cell, with both versions
    (``conflict(code)``); for a legacy workbook (no digests, so no record of what the row
    held), the row named only."""
    problems = Problems()
    for code in codes:
        if exported.digests is None:
            problems.add(sheet, cells[code],
                         N_("%(code)s was changed in the service after this workbook was exported: export it again."),
                         code=code)
            continue
        found = conflict(code)
        shown = tuple(Phrase(N_("%(field)s in this workbook: %(workbook)s; online now: %(online)s."),
                             {"field": Phrase(label), "workbook": workbook, "online": online})
                      for label, workbook, online in found.differences)
        problems.add(sheet, cells[code],
                     N_("%(code)s was changed both in this workbook and online since the export (online by %(who)s "
                        "on %(when)s). %(differences)s To keep the workbook's version, enter it online; to keep "
                        "the online one, undo the change in this row. Then import the workbook again."),
                     code=code, who=found.who or Phrase(N_("someone")),
                     when=found.when.strftime("%Y-%m-%d %H:%M UTC"), differences=shown)
    problems.raise_if_any()

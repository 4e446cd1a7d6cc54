"""A reviewer's preparatory review as a workbook filled offline, and its import: the seed's
template (indicator reference | performance | hypothesis | to ask / to meet), one row per
indicator, with the host's self-rating beside it for context.

The same rules as the initial report's workbook, on the same office layer
(:mod:`app.office`): the file checked as a file, then every cell; all-or-nothing, every
problem by sheet and cell in the user's language; rows still as exported skipped, rows
changed both in the workbook and online refused with both versions (:mod:`app.office.meta`).

Cells that hold lists, one item per line:

- *To ask*: one question per line (a question is one line, so a line is a question);
  blank lines are skipped.
- *To meet*: one person per line, ``name | role | organisation | interpreter``, where
  the interpreter part is a yes-word ("yes", "oui") when the interview needs one, and
  empty (or "no", "non") when not; parts left out at the end are empty.
"""
from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from pydantic import ValidationError
from sqlmodel import Session

from benchmark.scales import Performance

from app import labels
from app.audit.service import record
from app.auth.permissions import CycleRights
from app.cycles.tables import Cycle
from app.errors import field_message
from app.i18n import N_, Phrase, gettext_for
from app.ids import id_of
from app.office import meta, package, table
from app.office.meta import META_SHEET, Imported, WorkbookRows
from app.office.problems import Problems
from app.office.table import Column
from app.reviews import service
from app.reviews.schemas import HYPOTHESIS_MAX, ITEMS_MAX, QUESTION_MAX, ReviewEntryWrite
from app.self_assessment.service import format_lines
from app.timeutil import as_utc

DATA_SHEET = "Preparatory review"
WORKBOOK_MAX_BYTES = package.MAX_BYTES
MAX_ROWS = 200  # the header and the indicators, with room to spare
HYPOTHESIS = ("known", "unknown", "suspected")
COLUMNS = [
    *table.reference_columns(indicator_width=50),
    Column("self_rating", N_("Self-rating of the host city"), 14),
    Column("performance", N_("Performance"), 17, editable=True),
    Column("known", N_("Hypothesis: what we know"), 38, editable=True),
    Column("unknown", N_("Hypothesis: what we don't know"), 38, editable=True),
    Column("suspected", N_("Hypothesis: what we suspect"), 38, editable=True),
    Column("questions", N_("To ask (one question per line)"), 42, editable=True),
    Column("people", N_("To meet (one per line: name | role | organisation | interpreter)"), 42, editable=True),
]
PERSON_KEYS = ("name", "role", "organisation", "interpreter")
YES, NO = N_("yes"), N_("no")
META_FORMAT = meta.MetaFormat(current="inti-cities/preparatory-review/1", not_ours=N_(
    "This is not a preparatory review workbook exported by this service."))
INSTRUCTIONS = [
    N_("How to fill in this workbook"),
    N_("One row per indicator on the sheet \"Preparatory review\": its reference and the host city's self-rating are "
       "locked, for reading."),
    N_("Performance: choose from the list (below, at or above the benchmark, or more information needed); leave it "
       "empty while not judged."),
    N_("Hypothesis: what we know, what we don't know and what we suspect, each in its own column. Paragraphs are "
       "kept (Alt+Enter starts a new line)."),
    N_("To ask: one question per line."),
    N_("To meet: one person per line, as name | role | organisation | interpreter, where interpreter is \"yes\" "
       "(\"oui\") when the interview needs one and is left empty when not."),
    N_("Do not type formulas, do not rename the sheets and keep the hidden sheet: the import refuses a workbook "
       "it cannot trust."),
    N_("Import the workbook on your review's page or with POST …/reviews/me.xlsx: every problem is listed with its "
       "cell, and nothing is changed until there is none. A row you left as exported changes nothing online."),
]


def export_workbook(session: Session, rights: CycleRights, cycle: Cycle, lang: str) -> bytes:
    """One's own review as a workbook in ``lang``: instructions, one row per indicator
    (with the host's self-rating for those who may read the initial report), the hidden
    ``_meta``."""
    review = service.own_review(session, rights, cycle)
    ratings = service.host_self_ratings(session, cycle) if rights.read_self_assessment() is True else {}
    _ = gettext_for(lang)
    wb = Workbook()
    table.instructions_sheet(wb.active, f"{cycle.title} — {review.reviewer.full_name} — {review.iset.version}",
                             INSTRUCTIONS)
    ws = wb.create_sheet(DATA_SHEET)
    reference = table.reference_values(review.iset, lang)
    words = [_(labels.PERFORMANCES[p.value]) for p in Performance]
    performance = table.choice_list(ws, words, _("Performance"), _("Choose from the list: %(labels)s.",
                                                                   labels=", ".join(words)))
    rows = []
    for ind in review.iset.indicators:
        entry = service.entry_public(ind.code, review.entries.get(ind.code))
        rating = ratings.get(ind.code)
        rows.append({
            **reference[ind.code], "self_rating": _(labels.RATINGS[rating.value]) if rating else None,
            "performance": _(labels.PERFORMANCES[entry.performance.value]) if entry.performance else None,
            **{key: getattr(entry.hypothesis, key) for key in HYPOTHESIS},
            "questions": "\n".join(entry.questions),
            "people": format_lines([{**p.model_dump(), "interpreter": _(YES) if p.interpreter else ""}
                                    for p in entry.people_to_meet], PERSON_KEYS),
        })
    table.write_table(ws, COLUMNS, rows, _, {"performance": performance})
    online = [(ind.code, _online(review, ind.code)) for ind in review.iset.indicators]
    meta.write_meta(wb.create_sheet(META_SHEET), META_FORMAT, id_of(cycle), review.iset.version,
                    [(code, now.version, now.content) for code, now in online], owner_id=id_of(review.reviewer))
    wb.active = 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _content(entry: Any) -> tuple:
    """An entry's content as a workbook's cells hold it (line ends as "\\n"), so that a row
    left as exported reads the same whatever was typed online."""
    def cellwise(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("\r\n", "\n").replace("\r", "\n")
        if isinstance(value, tuple):
            return tuple(cellwise(v) for v in value)
        return value
    return tuple(cellwise(value) for value in service.entry_content(entry))


def _online(review: service.Review, code: str) -> meta.Online:
    """What is saved now for ``code``: its version (0: never written) and content."""
    entry = review.entries.get(code)
    return meta.Online(entry.version if entry else 0, _content(service.entry_public(code, entry)))


# --- import ----------------------------------------------------------------------------

LAYOUT = table.Layout(META_FORMAT, DATA_SHEET, COLUMNS, MAX_ROWS, N_(
    "This is not a preparatory review workbook exported by this service (sheet %(sheet)s is missing)."))


def read_workbook(data: bytes, cycle: Cycle, review: service.Review) -> WorkbookRows[ReviewEntryWrite]:
    """Every row of the workbook, checked; or 422 listing every problem."""
    return table.read_workbook(data, LAYOUT, id_of(cycle), review.iset,
                               lambda row, problems: RowReader(row.cells, problems).entry(row.texts),
                               owner_id=id_of(review.reviewer))


PERFORMANCE_WORDS = table.words_of(labels.PERFORMANCES)
INTERPRETER_WORDS = {gettext_for(lang)(msgid).casefold(): value
                     for lang in ("fr", "en") for value, msgid in ((True, YES), (False, NO))}
#: The parts of a person's line, as a problem names them.
PART_LABELS = {"name": N_("name"), "role": N_("role"), "organisation": N_("organisation")}


def _word(text: str) -> str:
    """A typed word as looked up: casefolded, with a typographic apostrophe as a straight one
    (spreadsheets' autocorrection types the first)."""
    return text.casefold().replace("\u2019", "'")


class RowReader:
    """One data row's cells read as an entry, every problem noted at its cell (lists at their
    line in the cell)."""

    def __init__(self, cells: dict[str, str], problems: Problems) -> None:
        self.cells, self.problems = cells, problems
        self.lines: dict[str, list[int]] = {}  # for a list's items: the line of the cell each came from

    def add(self, key: str, msg: str, line: int | None = None, part: str | None = None, **params: Any) -> None:
        """Note a problem at the cell of column ``key``, on ``line`` of it (and ``part`` of
        a person's line) when given."""
        if line is None:
            self.problems.add(DATA_SHEET, self.cells[key], msg, **params)
        elif part is None:
            self.problems.add(DATA_SHEET, self.cells[key], N_("Line %(line)s: %(problem)s"), line=line,
                              problem=Phrase(msg, params))
        else:
            self.problems.add(DATA_SHEET, self.cells[key], N_("Line %(line)s, %(part)s: %(problem)s"), line=line,
                              part=Phrase(part), problem=Phrase(msg, params))

    def entry(self, texts: dict[str, str]) -> ReviewEntryWrite | None:
        """The row's entry, or None after noting each of its problems."""
        before = len(self.problems)
        word = texts["performance"]
        if word and _word(word) not in PERFORMANCE_WORDS:
            self.add("performance", N_("\"%(value)s\" is not a performance: choose below, at or above the benchmark, "
                                       "or more information needed, or leave it empty."), value=word)
        for key in HYPOTHESIS:
            if len(texts[key]) > HYPOTHESIS_MAX:
                self.add(key, N_("The text has %(n)s characters; at most %(max)s are allowed."),
                         n=len(texts[key]), max=HYPOTHESIS_MAX)
        questions = self._items("questions", texts["questions"], self._question)
        people = self._items("people", texts["people"], self._person)
        try:
            entry = ReviewEntryWrite(
                performance=PERFORMANCE_WORDS.get(_word(word)) if word else None,
                hypothesis={key: texts[key][:HYPOTHESIS_MAX] for key in HYPOTHESIS},
                questions=questions, people_to_meet=people)
        except ValidationError as exc:
            for err in exc.errors():
                self._validation_problem(err)
            return None
        return entry if len(self.problems) == before else None

    def _items(self, key: str, text: str, item: Callable[[str, int], Any]) -> list[Any]:
        """The cell's lines as items, blank lines skipped; problems of a line noted with its
        number, and the line of each item kept for the schema's own checks."""
        found, lines = [], []
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                value = item(line.strip(), number)
                if value is not None:
                    found.append(value)
                    lines.append(number)
        if len(found) > ITEMS_MAX:
            self.add(key, N_("At most %(max)s lines are allowed here; this cell has %(n)s."), max=ITEMS_MAX,
                     n=len(found))
            return []
        self.lines[key] = lines
        return found

    def _question(self, line: str, number: int) -> str | None:
        if len(line) > QUESTION_MAX:
            self.add("questions", N_("The question has %(n)s characters; at most %(max)s are allowed."), number,
                     n=len(line), max=QUESTION_MAX)
            return None
        return line

    def _person(self, line: str, number: int) -> dict[str, Any] | None:
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > len(PERSON_KEYS):
            self.add("people", N_("A person is written as name | role | organisation | interpreter: this line has "
                                  "%(n)s parts."), number, n=len(parts))
            return None
        person: dict[str, Any] = dict(zip(PERSON_KEYS, parts + [""] * (len(PERSON_KEYS) - len(parts)), strict=True))
        if not person["name"]:
            self.add("people", N_("A person to meet needs a name (name | role | organisation | interpreter)."),
                     number)
            return None
        interpreter = person["interpreter"]
        if interpreter and _word(interpreter) not in INTERPRETER_WORDS:
            self.add("people", N_("\"%(value)s\" does not say whether an interpreter is needed: write \"yes\" or "
                                  "leave it empty."), number, value=interpreter)
            return None
        person["interpreter"] = INTERPRETER_WORDS.get(_word(interpreter), False)
        return person

    def _validation_problem(self, err: Any) -> None:
        """A check of the API's schema failed: noted at its cell (and line), in the user's words."""
        loc = err["loc"]
        if loc[0] == "performance" or (loc[0] == "hypothesis" and err["type"] == "string_too_long"):
            return  # noted above in the workbook's words
        msg, params = field_message(err)
        if loc[0] == "hypothesis":
            self.add(str(loc[1]), msg, **params)
            return
        key = "people" if loc[0] == "people_to_meet" else "questions"
        line = self.lines[key][loc[1]] if len(loc) > 1 and isinstance(loc[1], int) else None
        part = PART_LABELS.get(str(loc[2])) if len(loc) > 2 else None
        self.add(key, msg, line, part, **params)


def import_workbook(session: Session, rights: CycleRights, cycle: Cycle, data: bytes) -> Imported:
    """Check everything, then write every row of one's own review that is an edit (in the
    request's transaction), by the rules of :mod:`app.office.meta`; 422 (nothing written)
    listing every problem, conflicts included; 403/409 as for any write of the review (a
    submitted review, a phase that is over)."""
    review, rights = service.writable_review(session, rights, cycle)
    rows = read_workbook(data, cycle, review)
    decided = meta.plan(rows.entries, rows.exported, lambda code: _online(review, code), _content)
    if decided.conflicts:
        _refuse_conflicts(review, rows, decided.conflicts)
    service.apply_entries(session, rights.user, cycle,
                          [(code, review.entries.get(code), d) for code, d in decided.writes.items()])
    record(session, rights.user.id, "import", "preparatory_review", f"{cycle.id}/{id_of(rights.user)}", None,
           {"updated": sorted(decided.writes), "skipped": len(decided.skipped)})
    return Imported(len(decided.writes), len(decided.skipped))


#: The fields of :func:`~app.reviews.service.entry_content`, in its order, as a conflict names them.
FIELD_LABELS = (N_("Performance"), N_("Hypothesis: what we know"), N_("Hypothesis: what we don't know"),
                N_("Hypothesis: what we suspect"), N_("To ask"), N_("To meet"))


def _refuse_conflicts(review: service.Review, rows: WorkbookRows[ReviewEntryWrite], codes: list[str]) -> None:
    """422: one problem per conflicting row, at its code's cell, with both versions. Only
    the reviewer writes their review: "online" is their own saving, in another tab or
    on another computer."""
    def conflict(code: str) -> meta.Conflict:
        entry = review.entries[code]  # a conflict is an entry saved online (see meta.plan)
        return meta.Conflict(who=review.reviewer.full_name, when=as_utc(entry.updated_at), differences=meta.differences(
            FIELD_LABELS, _content(rows.entries[code]), _online(review, code).content, _shown))

    meta.refuse_conflicts(DATA_SHEET, rows.exported, rows.cells, codes, conflict)


def _shown(field: int, value: Any) -> Phrase:
    """A field's value (of :func:`_content`) as a conflict shows it."""
    if field == 0:
        return Phrase(labels.PERFORMANCES[value] if value else N_("not yet judged"))
    if field < 4:
        return meta.excerpt(value)
    if field == 4:
        return meta.excerpt("; ".join(value))
    people = meta.excerpt("; ".join(" | ".join(part for part in person[:3] if part) for person in value))
    needing = [person[0] for person in value if person[3]]
    if not needing:
        return people
    return Phrase(N_("%(people)s (with an interpreter: %(names)s)"), {"people": people, "names": ", ".join(needing)})

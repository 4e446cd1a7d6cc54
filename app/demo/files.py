"""The demo's YAML files (``reviews/demo/``): their shapes, read with the line of every
place, and checked against each other and the indicator set before anything is written.

``cycle.yaml`` holds the network: the password, the cities, the people and the cycles,
each naming the files of its initial report, of its team's preparatory reviews, for a
cycle left in the visit or later, of its visit, and for one in the reporting or
published, of its final report (:mod:`app.demo.report_files`); paths relative to
``cycle.yaml``. Every text a page shows is written in French and in English
(``{fr: …, en: …}``); both are checked, and one of them is loaded. A problem is
reported with its file, its line and its place (``entries[3].description.en``), every
problem of every file at once, as the indicator set's are.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, ValidationError

from benchmark.indicators import LocalizedText, Problem, YamlLines, dotted
from benchmark.scales import CycleRole, Performance, Phase, SelfRating
from benchmark.text import folded

from app.reviews.schemas import ReviewEntryWrite
from app.self_assessment.schemas import EntryWrite
from app.visit.judgements_schemas import JudgementWrite
from app.visit.notes_schemas import HypothesisState, HypothesisWrite, NoteWrite
from app.visit.schemas import ProgrammeGenerate

if TYPE_CHECKING:
    from app.demo.report_files import DemoReport

LANGUAGES = ("fr", "en")
LANGUAGE_NAMES = {"fr": "in French", "en": "in English"}
#: The phases a demo cycle can be left in: its data is then what a user would have made.
DEMO_PHASES = (Phase.SELF_ASSESSMENT, Phase.PREPARATORY_REVIEW, Phase.VISIT, Phase.REPORTING, Phase.PUBLISHED)
#: The phases past the visit: every indicator has its final judgement to get there.
AFTER_VISIT = (Phase.REPORTING, Phase.PUBLISHED)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
M = TypeVar("M", bound=BaseModel)
D = TypeVar("D")


class DemoDataError(Exception):
    """The demo's files could not be loaded; ``problems`` says every reason, with lines."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _shape(value: Any) -> str:
    """Which branch of a "key or item" field a value means, so that an error names only it."""
    return "text" if isinstance(value, str) else "mapping"


#: The branches' tags, left out of the places that problems name.
_TAGS = ("text", "mapping")


# --- cycle.yaml: the network ------------------------------------------------------------------

class CityDef(_Strict):
    key: Key
    name: Text
    country: Text


class AccountDef(_Strict):
    email: Text
    full_name: Text
    city: Key | None = None
    coordinator: bool = False
    language: Literal["fr", "en"] | None = None


class MemberDef(_Strict):
    email: Text
    role: CycleRole


class CycleDef(_Strict):
    title: LocalizedText
    host: Key
    #: Where the cycle is left: its initial report is submitted to leave the self-assessment.
    phase: Phase = Phase.SELF_ASSESSMENT
    deadlines: dict[Phase, date] = {}
    members: list[MemberDef]
    initial_report: str | None = None
    #: The team's preparatory reviews, each written in full and submitted (but for the
    #: file's ``drafts``).
    reviews: str | None = None
    #: The visit (a cycle left in the visit or later): the programme's frame, the
    #: interviews' notes, the hypotheses settled and the final judgements so far (every
    #: one, past the visit).
    visit: str | None = None
    #: The final report (a cycle left in the reporting or published): its texts,
    #: recommendations, sharing, comments, replies and sign-offs.
    final_report: str | None = None


class NetworkFile(_Strict):
    password: Text
    cities: list[CityDef]
    people: list[AccountDef]
    cycles: list[CycleDef]


# --- an initial report --------------------------------------------------------------------------

class PersonDef(_Strict):
    name: Text
    role: LocalizedText | None = None
    department: LocalizedText | None = None


class DocumentDef(_Strict):
    title: LocalizedText
    url: Text


class ReportEntryDef(_Strict):
    code: Text
    self_rating: SelfRating
    description: LocalizedText
    #: Items written out, or keys of the file's ``documents`` and ``people``.
    evidence: list[Annotated[Annotated[Key, Tag("text")] | Annotated[DocumentDef, Tag("mapping")],
                             Discriminator(_shape)]] = []
    responsible: list[Annotated[Annotated[Key, Tag("text")] | Annotated[PersonDef, Tag("mapping")],
                                Discriminator(_shape)]] = []


class ReportFile(_Strict):
    people: dict[Key, PersonDef] = {}
    documents: dict[Key, DocumentDef] = {}
    entries: list[ReportEntryDef]


# --- the team's preparatory reviews ---------------------------------------------------------------

class MeetDef(_Strict):
    #: A name, or a function in both languages (the seed's "Président du comité").
    name: Annotated[Annotated[Text, Tag("text")] | Annotated[LocalizedText, Tag("mapping")], Discriminator(_shape)]
    role: LocalizedText | None = None
    organisation: LocalizedText | None = None
    interpreter: bool = False


class NoteDef(_Strict):
    """What one reviewer wrote on one indicator besides the performance."""

    known: LocalizedText | None = None
    unknown: LocalizedText | None = None
    suspected: LocalizedText | None = None
    questions: list[LocalizedText] = []
    #: People typed in, or keys of the initial report's ``people`` (picked from its list:
    #: the department becomes the organisation).
    meet: list[Annotated[Annotated[Key, Tag("text")] | Annotated[MeetDef, Tag("mapping")], Discriminator(_shape)]] = []


class JudgementsDef(_Strict):
    """One indicator: every reviewer's performance, and the notes of those who wrote some."""

    code: Text
    performance: dict[Key, Performance]
    notes: dict[Key, NoteDef] = {}


class ReviewsFile(_Strict):
    #: key -> e-mail of the reviewer (a member of the cycle: a peer or its team leader).
    reviewers: dict[Key, Text]
    #: Keys of the reviewers whose review is left as a draft: not submitted, and judged
    #: only where the file gives their performance (or written where it gives their notes).
    drafts: list[Key] = []
    indicators: list[JudgementsDef]


# --- the visit ------------------------------------------------------------------------------

#: A person's name, or a function in both languages (as in the people to meet).
Name = Annotated[Annotated[Text, Tag("text")] | Annotated[LocalizedText, Tag("mapping")], Discriminator(_shape)]


class VisitNoteDef(_Strict):
    indicators: list[Text] = Field(min_length=1)
    text: LocalizedText


class InterviewDef(_Strict):
    """An interviewee, named as in the people to meet, and the notes of their interview."""

    interviewee: Name
    notes: list[VisitNoteDef] = Field(min_length=1)


class HypothesisCheckDef(_Strict):
    reviewer: Key
    code: Text
    state: HypothesisState
    #: Interviewees of this file whose interview's notes on ``code`` settled it.
    settled_by: list[Name] = []
    comment: LocalizedText | None = None


class FinalJudgementDef(_Strict):
    code: Text
    performance: Performance
    #: Needed where the judgement departs from the peers' majority (checked here, as the
    #: service would refuse it).
    rationale: LocalizedText | None = None


class VisitFile(_Strict):
    #: What the team leader gives the scheduler (the API's request to generate it).
    programme: ProgrammeGenerate
    interviews: list[InterviewDef] = []
    hypotheses: list[HypothesisCheckDef] = []
    judgements: list[FinalJudgementDef] = []


# --- what the loader gets -------------------------------------------------------------------

@dataclass(frozen=True)
class VisitNote:
    codes: list[str]
    #: language -> the note's text.
    text: dict[str, str]


@dataclass(frozen=True)
class VisitInterview:
    #: language -> the interviewee's name as the file writes it.
    name: dict[str, str]
    notes: list[VisitNote]
    #: The line of the interviewee in the visit file (for a problem found while loading).
    line: int | None


@dataclass(frozen=True)
class VisitHypothesis:
    reviewer: str  # e-mail
    code: str
    state: str
    #: Indexes in :attr:`DemoVisit.interviews` of the interviews that settled it.
    settled_by: list[int]
    #: language -> the comment.
    comment: dict[str, str]


@dataclass(frozen=True)
class VisitJudgement:
    code: str
    performance: Performance
    #: language -> the rationale.
    rationale: dict[str, str]


@dataclass(frozen=True)
class DemoVisit:
    file: str
    programme: ProgrammeGenerate
    interviews: list[VisitInterview]
    hypotheses: list[VisitHypothesis]
    judgements: list[VisitJudgement]

@dataclass(frozen=True)
class DemoCycle:
    spec: CycleDef
    #: language -> indicator code -> the host officer's entry (empty without a report).
    report: dict[str, dict[str, EntryWrite]] = field(default_factory=dict)
    #: reviewer's e-mail -> language -> indicator code -> their entry.
    reviews: dict[str, dict[str, dict[str, ReviewEntryWrite]]] = field(default_factory=dict)
    #: E-mails of the reviewers whose review is left as a draft.
    drafts: frozenset[str] = frozenset()
    visit: DemoVisit | None = None
    final_report: DemoReport | None = None


@dataclass(frozen=True)
class DemoData:
    network: NetworkFile
    cycles: list[DemoCycle]


def read_demo(path: Path, codes: Sequence[str], practices: Mapping[str, Sequence[str]] | None = None) -> DemoData:
    """Read and check ``cycle.yaml`` and every file it names against the indicator codes
    of the set the cycles use (and the good-practice library's keys with the indicators
    each speaks to, if given); raise :class:`DemoDataError` listing every problem."""
    from app.demo.report_files import read_final_report  # built on this module's helpers

    problems: list[Problem] = []
    network, lines = _read(path, NetworkFile, problems)
    if network is None:
        raise DemoDataError(problems)
    _check_network(network, lines)
    problems += lines.problems
    cycles = []
    for n, spec in enumerate(network.cycles):
        report: dict[str, dict[str, EntryWrite]] = {}
        reviews: dict[str, dict[str, dict[str, ReviewEntryWrite]]] = {}
        drafts: frozenset[str] = frozenset()
        visit: DemoVisit | None = None
        final_report: DemoReport | None = None
        report_file: ReportFile | None = None
        reviews_file: ReviewsFile | None = None
        if spec.initial_report:
            report_path = path.parent / spec.initial_report
            report_file, report_lines = _read(report_path, ReportFile, problems)
            if report_file is not None:
                report = _report_writes(report_file, report_lines, codes)
                problems += report_lines.problems
        if spec.reviews:
            reviews_file, review_lines = _read(path.parent / spec.reviews, ReviewsFile, problems)
            if reviews_file is not None:
                _check_team(spec, reviews_file, review_lines, lines, n)
                reviews = _review_writes(reviews_file, review_lines, codes,
                                         report_file.people if report_file else {})
                drafts = frozenset(reviews_file.reviewers[k] for k in reviews_file.drafts
                                   if k in reviews_file.reviewers)
                if drafts and spec.phase != Phase.PREPARATORY_REVIEW:
                    review_lines.add(("drafts",), f"drafts: a review is left as a draft in the preparatory review only "
                                                  f"(cycles[{n}] is left in {spec.phase.value})")
                problems += review_lines.problems
        if spec.visit:
            visit_path = path.parent / spec.visit
            visit_file, visit_lines = _read(visit_path, VisitFile, problems)
            if visit_file is not None and reviews_file is not None:
                visit = _visit(visit_file, visit_lines, codes, reviews_file, reviews,
                               str(path.parent / str(spec.reviews)))
                if spec.phase in AFTER_VISIT:
                    _check_all_judged(visit_file, codes, visit_lines, n, spec.phase)
                problems += visit_lines.problems
        if spec.final_report:
            final_report = read_final_report(path.parent / spec.final_report, spec, n, codes, reviews_file,
                                             practices, problems)
        cycles.append(DemoCycle(spec, report, reviews, drafts, visit, final_report))
    if problems:
        raise DemoDataError(problems)
    return DemoData(network, cycles)


def _read(path: Path, model: type[M], problems: list[Problem]) -> tuple[M | None, YamlLines]:
    """The file as ``model``, with its lines; ``None`` (and its problems added) if unusable."""
    name = str(path)
    lines = YamlLines(name)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        problems.append(Problem(name, None, "file not found"))
        return None, lines
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, None, f"cannot be read: {exc}"))
        return None, lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.append(Problem(name, mark.line + 1 if mark else None, f"YAML syntax error: {exc.problem}"))
        return None, lines
    except yaml.YAMLError as exc:
        problems.append(Problem(name, None, f"YAML syntax error: {exc}"))
        return None, lines
    if node is None:
        problems.append(Problem(name, 1, "the file is empty"))
        return None, lines
    data = lines.build(node)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _place(err["loc"])
            lines.add(loc, f"{dotted(loc)}: {err['msg']}")
        problems += lines.problems
        return None, lines
    return parsed, lines


def _place(loc: tuple) -> tuple:
    """A pydantic error's place in the file: without the tag of the branch it took, nor the
    name pydantic gives a constrained string."""
    return tuple(p for p in loc if isinstance(p, int) or p not in (*_TAGS, "constrained-str"))


def _duplicates(values: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    found = []
    for i, value in enumerate(values):
        if value in seen:
            found.append((i, value))
        seen.add(value)
    return found


def _check_network(network: NetworkFile, lines: YamlLines) -> None:
    cities = {c.key for c in network.cities}
    emails = {p.email for p in network.people}
    for i, key in _duplicates(c.key for c in network.cities):
        lines.add(("cities", i, "key"), f"cities[{i}].key: '{key}' is already a city's key")
    for i, email in _duplicates(p.email for p in network.people):
        lines.add(("people", i, "email"), f"people[{i}].email: {email} is listed twice")
    if not any(p.coordinator for p in network.people):
        lines.add(("people",), "people: one of them must be a coordinator (who makes the cities and cycles)")
    for i, person in enumerate(network.people):
        if person.city is not None and person.city not in cities:
            lines.add(("people", i, "city"), f"people[{i}].city: no city with the key '{person.city}'")
    for i, title in _duplicates(t for c in network.cycles for t in (c.title.fr, c.title.en)):
        lines.add(("cycles", i // 2, "title"), f"cycles[{i // 2}].title: '{title}' is another cycle's title")
    for n, cycle in enumerate(network.cycles):
        at = ("cycles", n)
        if cycle.host not in cities:
            lines.add((*at, "host"), f"cycles[{n}].host: no city with the key '{cycle.host}'")
        for i, member in enumerate(cycle.members):
            if member.email not in emails:
                lines.add((*at, "members", i), f"cycles[{n}].members[{i}]: {member.email} is not among the people")
        if cycle.phase not in DEMO_PHASES:
            lines.add((*at, "phase"), f"cycles[{n}].phase: a demo cycle is left in "
                                      f"{' or '.join(p.value for p in DEMO_PHASES)}")
        if cycle.phase != Phase.SELF_ASSESSMENT and not cycle.initial_report:
            lines.add((*at, "phase"), f"cycles[{n}]: past the self-assessment, the cycle needs its initial_report "
                                      "(submitted to move on)")
        if cycle.reviews and cycle.phase == Phase.SELF_ASSESSMENT:
            lines.add((*at, "reviews"), f"cycles[{n}].reviews: preparatory reviews need the cycle in "
                                        "preparatory_review or later")
        if cycle.visit and cycle.phase not in (Phase.VISIT, *AFTER_VISIT):
            lines.add((*at, "visit"), f"cycles[{n}].visit: a visit needs the cycle in visit or later")
        if cycle.phase in (Phase.VISIT, *AFTER_VISIT) and not (cycle.reviews and cycle.visit):
            lines.add((*at, "phase"), f"cycles[{n}]: in the {cycle.phase.value}, the cycle needs its reviews (the "
                                      "programme is made from their people to meet) and its visit")
        if cycle.final_report and cycle.phase not in AFTER_VISIT:
            lines.add((*at, "final_report"), f"cycles[{n}].final_report: a final report needs the cycle in "
                                             "reporting or published")
        if cycle.phase == Phase.PUBLISHED and not cycle.final_report:
            lines.add((*at, "phase"), f"cycles[{n}]: published, the cycle needs its final_report (published "
                                      "from it)")


def _check_team(spec: CycleDef, reviews: ReviewsFile, lines: YamlLines, network_lines: YamlLines, n: int) -> None:
    """The reviews file's reviewers are the cycle's peers and team leader, no more, no less."""
    team = {m.email for m in spec.members if m.role in (CycleRole.PEER, CycleRole.TEAM_LEADER)}
    named = set(reviews.reviewers.values())
    for key, email in reviews.reviewers.items():
        if email not in team:
            lines.add(("reviewers", key), f"reviewers.{key}: {email} is not a peer or the team leader of "
                                          f"cycles[{n}] in {network_lines.file}")
    for email in sorted(team - named):
        lines.add(("reviewers",), f"reviewers: no key for {email}, a reviewer of cycles[{n}] in {network_lines.file}")


def _check_codes(found: list[str], codes: Sequence[str], lines: YamlLines, section: str) -> None:
    """Every indicator of the set exactly once."""
    known = set(codes)
    for i, code in enumerate(found):
        if code not in known:
            lines.add((section, i, "code"), f"{section}[{i}].code: no indicator {code} in the indicator set")
    for i, code in _duplicates(found):
        lines.add((section, i, "code"), f"{section}[{i}].code: {code} comes twice")
    missing = [c for c in codes if c not in set(found)]
    if missing:
        lines.add((section,), f"{section}: no entry for {', '.join(missing)}")


def _text(value: LocalizedText | None, lang: str) -> str:
    return value.get(lang) if value is not None else ""


def _report_writes(report: ReportFile, lines: YamlLines, codes: Sequence[str]) -> dict[str, dict[str, EntryWrite]]:
    """The entries as the host officer's writes, in each language, in the set's order."""
    _check_codes([e.code for e in report.entries], codes, lines, "entries")
    writes: dict[str, dict[str, EntryWrite]] = {lang: {} for lang in LANGUAGES}
    order = {code: i for i, code in enumerate(codes)}
    for i, entry in sorted(enumerate(report.entries), key=lambda e: order.get(e[1].code, len(order))):
        at = ("entries", i)
        documents = _resolve(entry.evidence, report.documents, lines, (*at, "evidence"), "documents")
        people = _resolve(entry.responsible, report.people, lines, (*at, "responsible"), "people")
        for lang in LANGUAGES:
            try:
                writes[lang][entry.code] = EntryWrite.model_validate({
                    "self_rating": entry.self_rating, "description": entry.description.get(lang),
                    "evidence": [{"title": d.title.get(lang), "url": d.url} for d in documents],
                    "responsible": [{"name": p.name, "role": _text(p.role, lang),
                                     "department": _text(p.department, lang)} for p in people]})
            except ValidationError as exc:
                _refused(exc, lines, at, f"entries[{i}] ({entry.code})", lang)
    return writes


def _review_writes(reviews: ReviewsFile, lines: YamlLines, codes: Sequence[str],
                   host_people: dict[str, PersonDef]) -> dict[str, dict[str, dict[str, ReviewEntryWrite]]]:
    """Each reviewer's entries as their writes, in each language: every indicator judged
    (a draft's reviewer: those the file gives their performance or notes on)."""
    _check_codes([j.code for j in reviews.indicators], codes, lines, "indicators")
    for i, key in enumerate(reviews.drafts):
        if key not in reviews.reviewers:
            lines.add(("drafts", i), f"drafts[{i}]: no reviewer '{key}'")
    for i, key in _duplicates(reviews.drafts):
        lines.add(("drafts", i), f"drafts[{i}]: '{key}' comes twice")
    writes: dict[str, dict[str, dict[str, ReviewEntryWrite]]] = {
        email: {lang: {} for lang in LANGUAGES} for email in reviews.reviewers.values()}
    for i, item in enumerate(reviews.indicators):
        at = ("indicators", i)
        where = f"indicators[{i}] ({item.code})"
        for key in sorted(set(item.performance) - set(reviews.reviewers)):
            lines.add((*at, "performance", key), f"{where}.performance: no reviewer '{key}'")
        for key in sorted(set(item.notes) - set(reviews.reviewers)):
            lines.add((*at, "notes", key), f"{where}.notes: no reviewer '{key}'")
        for key, email in reviews.reviewers.items():
            if key not in item.performance:
                if key not in reviews.drafts:
                    lines.add((*at, "performance"),
                              f"{where}.performance: none for '{key}' (every indicator is judged)")
                    continue
                if key not in item.notes:  # a draft not written this far
                    continue
            note = item.notes.get(key, NoteDef())
            people = _resolve(note.meet, host_people, lines, (*at, "notes", key, "meet"),
                              "people of the initial report")
            for lang in LANGUAGES:
                try:
                    writes[email][lang][item.code] = ReviewEntryWrite.model_validate({
                        "performance": item.performance.get(key),
                        "hypothesis": {"known": _text(note.known, lang), "unknown": _text(note.unknown, lang),
                                       "suspected": _text(note.suspected, lang)},
                        "questions": [q.get(lang) for q in note.questions],
                        "people_to_meet": [_meet(p, lang) for p in people]})
                except ValidationError as exc:
                    _refused(exc, lines, (*at, "notes", key), f"{where}.notes.{key}", lang)
    return writes


def _meet(person: PersonDef | MeetDef, lang: str) -> dict[str, Any]:
    if isinstance(person, PersonDef):  # picked from the host's list of responsible people
        return {"name": person.name, "role": _text(person.role, lang), "organisation": _text(person.department, lang)}
    name = person.name if isinstance(person.name, str) else person.name.get(lang)
    return {"name": name, "role": _text(person.role, lang), "organisation": _text(person.organisation, lang),
            "interpreter": person.interpreter}


def _resolve(items: list[Any], named: dict[str, D], lines: YamlLines, at: tuple, section: str) -> list[D]:
    """Items written out, and those named by a key of ``named`` (an unknown key is a problem)."""
    found = []
    for j, item in enumerate(items):
        if not isinstance(item, str):
            found.append(item)
        elif item in named:
            found.append(named[item])
        else:
            lines.add((*at, j), f"{dotted((*at, j))}: no '{item}' among the {section}")
    return found


def _refused(exc: ValidationError, lines: YamlLines, at: tuple, where: str, lang: str) -> None:
    """What the service would refuse in the text of one language, at its entry."""
    for err in exc.errors():
        lines.add(at, f"{where}, {LANGUAGE_NAMES[lang]}: {dotted(err['loc'])}: {err['msg']}")


def _names(name: str | LocalizedText) -> dict[str, str]:
    """A name as written in each language (a plain name is the same in both)."""
    return {lang: name if isinstance(name, str) else name.get(lang) for lang in LANGUAGES}


def _visit(visit: VisitFile, lines: YamlLines, codes: Sequence[str], reviews: ReviewsFile,
           writes: dict[str, dict[str, dict[str, ReviewEntryWrite]]], reviews_file: str) -> DemoVisit:
    """The visit checked against the indicator set and the team's reviews: interviewees
    among the people to meet, hypotheses the reviewers wrote, settled by notes on them."""
    known = set(codes)
    to_meet = {lang: {folded(p.name) for by_lang in writes.values() for entry in by_lang[lang].values()
                      for p in entry.people_to_meet} for lang in LANGUAGES}
    interviews: list[VisitInterview] = []
    seen: dict[str, dict[str, int]] = {lang: {} for lang in LANGUAGES}  # folded name -> index
    for i, item in enumerate(visit.interviews):
        at = ("interviews", i)
        names = _names(item.interviewee)
        for lang in LANGUAGES:
            key = folded(names[lang])
            # a plain name is the same in both languages: said once
            said = f" ({LANGUAGE_NAMES[lang]})" if isinstance(item.interviewee, LocalizedText) else ""
            if said or lang == LANGUAGES[0]:
                if key not in to_meet[lang]:
                    lines.add((*at, "interviewee"), f"interviews[{i}].interviewee: '{names[lang]}' is not among the "
                                                    f"people to meet of {reviews_file}{said}")
                elif key in seen[lang]:
                    lines.add((*at, "interviewee"), f"interviews[{i}].interviewee: '{names[lang]}' is already "
                                                    f"interviews[{seen[lang][key]}]{said}")
            seen[lang].setdefault(key, i)
        notes = []
        for j, note in enumerate(item.notes):
            for k, code in enumerate(note.indicators):
                if code not in known:
                    lines.add((*at, "notes", j, "indicators", k),
                              f"interviews[{i}].notes[{j}].indicators[{k}]: no indicator {code} in the indicator set")
            for k, code in _duplicates(note.indicators):
                lines.add((*at, "notes", j, "indicators", k),
                          f"interviews[{i}].notes[{j}].indicators[{k}]: {code} comes twice")
            for lang in LANGUAGES:  # as the notes' service will take it
                try:
                    NoteWrite.model_validate({"text": note.text.get(lang), "indicator_codes": note.indicators})
                except ValidationError as exc:
                    _refused(exc, lines, (*at, "notes", j), f"interviews[{i}].notes[{j}]", lang)
            notes.append(VisitNote(list(dict.fromkeys(note.indicators)),
                                   {lang: note.text.get(lang) for lang in LANGUAGES}))
        interviews.append(VisitInterview(names, notes, lines.line_of((*at, "interviewee"))))
    by_code = {item.code: item for item in reviews.indicators}
    hypotheses: list[VisitHypothesis] = []
    pairs: dict[tuple[str, str], int] = {}
    for h, check in enumerate(visit.hypotheses):
        at = ("hypotheses", h)
        if check.reviewer not in reviews.reviewers:
            lines.add((*at, "reviewer"), f"hypotheses[{h}].reviewer: no reviewer '{check.reviewer}' in {reviews_file}")
        elif check.code not in known:
            lines.add((*at, "code"), f"hypotheses[{h}].code: no indicator {check.code} in the indicator set")
        else:
            wrote = by_code[check.code].notes.get(check.reviewer) if check.code in by_code else None
            if wrote is None or not (wrote.known or wrote.unknown or wrote.suspected):
                lines.add(at, f"hypotheses[{h}]: '{check.reviewer}' wrote no hypothesis on {check.code} "
                              f"in {reviews_file} (known, unknown or suspected)")
        pair = (check.reviewer, check.code)
        if pair in pairs:
            lines.add(at, f"hypotheses[{h}]: '{check.reviewer}' on {check.code} is already hypotheses[{pairs[pair]}]")
        pairs.setdefault(pair, h)
        settled_by = []
        for k, name in enumerate(check.settled_by):
            names = _names(name)
            found = {seen[lang].get(folded(names[lang])) for lang in LANGUAGES}
            index = found.pop() if len(found) == 1 else None
            if index is None:
                lines.add((*at, "settled_by", k), f"hypotheses[{h}].settled_by[{k}]: no interview of "
                                                  f"'{names['en']}' among the interviews")
            elif not any(check.code in n.codes for n in interviews[index].notes):
                lines.add((*at, "settled_by", k), f"hypotheses[{h}].settled_by[{k}]: no note of "
                                                  f"{names['en']}'s interview is on {check.code}")
            else:
                settled_by.append(index)
        for lang in LANGUAGES:
            try:
                HypothesisWrite.model_validate({"state": check.state, "comment": _text(check.comment, lang)})
            except ValidationError as exc:
                _refused(exc, lines, at, f"hypotheses[{h}]", lang)
        hypotheses.append(VisitHypothesis(reviews.reviewers.get(check.reviewer, ""), check.code, check.state.value,
                                          settled_by, {lang: _text(check.comment, lang) for lang in LANGUAGES}))
    _check_some_codes([j.code for j in visit.judgements], known, lines, "judgements")
    majorities = peers_majority(reviews)
    for n, judgement in enumerate(visit.judgements):
        majority = majorities.get(judgement.code)
        if judgement.rationale is None and majority is not None and judgement.performance != majority:
            lines.add(("judgements", n), f"judgements[{n}] ({judgement.code}): departs from the peers' majority "
                                         f"({majority.value}) of {reviews_file}: its rationale says why")
        for lang in LANGUAGES:  # as the final judgements' service will take it
            try:
                JudgementWrite.model_validate({"performance": judgement.performance,
                                               "rationale": _text(judgement.rationale, lang)})
            except ValidationError as exc:
                _refused(exc, lines, ("judgements", n), f"judgements[{n}]", lang)
    judgements = [VisitJudgement(j.code, j.performance, {lang: _text(j.rationale, lang) for lang in LANGUAGES})
                  for j in visit.judgements]
    return DemoVisit(lines.file, visit.programme, interviews, hypotheses, judgements)


def _check_some_codes(found: list[str], known: set[str], lines: YamlLines, section: str) -> None:
    """Indicators of the set, each once at most."""
    for i, code in enumerate(found):
        if code not in known:
            lines.add((section, i, "code"), f"{section}[{i}].code: no indicator {code} in the indicator set")
    for i, code in _duplicates(found):
        lines.add((section, i, "code"), f"{section}[{i}].code: {code} comes twice")


def _check_all_judged(visit: VisitFile, codes: Sequence[str], lines: YamlLines, n: int, phase: Phase) -> None:
    """Past the visit, every indicator has its final judgement (the visit's exit rule)."""
    judged = {j.code for j in visit.judgements}
    missing = [c for c in codes if c not in judged]
    if missing:
        lines.add(("judgements",), f"judgements: cycles[{n}] is left in {phase.value}: every indicator is judged "
                                   f"first (none for {', '.join(missing)})")


def peers_majority(reviews: ReviewsFile) -> dict[str, Performance | None]:
    """The peers' majority per indicator of the reviews file, as the final judgements'
    service takes it from the submitted reviews (``benchmark/consolidation.py``): the
    strictly most frequent of below, at, above; ``None`` on a tie or with none."""
    out: dict[str, Performance | None] = {}
    for item in reviews.indicators:
        ranked = Counter(p for key, p in item.performance.items()
                         if key not in reviews.drafts and p != Performance.MORE_INFO).most_common(2)
        out[item.code] = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    return out

"""The final report's demo file (``final_report:`` of a cycle in ``cycle.yaml``): its shape,
read with the line of every place, and checked against the cycle's team, the indicator set
and the good-practice library before anything is written, as :mod:`app.demo.files` checks
the others (whose helpers it uses).

The file holds what the team leader writes (the summary, each pillar's strengths and
weaknesses), the recommendations (the team leader's, and peers' proposals, taken in or
not), who the draft was shared with, the peers' comments and the host officer's replies
on its sections, and the peers who signed it off. A cycle left ``published`` is published
from it: every peer must have signed it off.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from benchmark.indicators import LocalizedText, Problem, YamlLines
from benchmark.scales import CycleRole, Horizon, Phase, Pillar

from app.demo.files import (
    LANGUAGES,
    CycleDef,
    Key,
    ReviewsFile,
    Text,
    _duplicates,
    _read,
    _refused,
    _Strict,
)
from app.reports.content import section_keys
from app.reports.schemas import CommentWrite, Priority, RecommendationWrite, SectionWrite
from app.reports.sharing import HOST, TEAM, WRITING

#: Who the draft is shared with, in the order it is shared (``app/reports/sharing.py``).
SHARING = (WRITING, TEAM, HOST)
#: The sections a comment or a reply may be about.
SECTIONS = section_keys([p.value for p in Pillar])
#: A reviewer's key -> their e-mail once found a peer of the cycle (else ``None``, the
#: problem said at the place given).
PeerOf = Callable[[str, tuple, str], str | None]


# --- the file -----------------------------------------------------------------------------

class PillarSectionsDef(_Strict):
    strengths: LocalizedText | None = None
    weaknesses: LocalizedText | None = None


class RecommendationDef(_Strict):
    indicators: list[Text] = Field(min_length=1)
    text: LocalizedText
    horizon: Horizon
    priority: Priority = Priority.MEDIUM
    #: Who in the municipality carries it out.
    owner: LocalizedText | None = None
    follow_up: date | None = None
    #: Keys of the good-practice library (``good_practices.yaml``).
    practices: list[Text] = []
    #: A peer's proposal (a key of the reviews file's reviewers); the team leader's otherwise.
    proposed_by: Key | None = None
    #: A proposal the team leader has taken in (or not yet).
    accepted: bool = True


class CommentDef(_Strict):
    #: A peer, by their key in the reviews file.
    by: Key
    section: Text
    text: LocalizedText


class ReplyDef(_Strict):
    section: Text
    text: LocalizedText


class FinalReportFile(_Strict):
    summary: LocalizedText | None = None
    pillars: dict[Pillar, PillarSectionsDef] = {}
    recommendations: list[RecommendationDef] = []
    shared: Literal["writing", "team", "host"] = "writing"
    comments: list[CommentDef] = []
    replies: list[ReplyDef] = []
    #: The peers (keys of the reviews file) who signed off the draft as it stands.
    sign_offs: list[Key] = []


# --- what the loader gets -----------------------------------------------------------------

@dataclass(frozen=True)
class DemoRecommendation:
    codes: list[str]
    #: language -> the text, and the owner.
    text: dict[str, str]
    owner: dict[str, str]
    horizon: Horizon
    priority: Priority
    follow_up: date | None
    practices: list[str]
    #: E-mail of the peer who proposed it; ``None``: the team leader's.
    proposed_by: str | None
    accepted: bool


@dataclass(frozen=True)
class DemoComment:
    #: E-mail of the peer; ``None`` for the host officer's reply.
    author: str | None
    section: str
    #: language -> the text.
    text: dict[str, str]


@dataclass(frozen=True)
class DemoReport:
    file: str
    #: section key ("summary", "strengths:GG", …) -> language -> its text.
    sections: dict[str, dict[str, str]]
    recommendations: list[DemoRecommendation]
    shared: str
    comments: list[DemoComment]
    replies: list[DemoComment]
    #: E-mails of the peers who signed it off.
    sign_offs: list[str]


def read_final_report(path: Path, spec: CycleDef, n: int, codes: Sequence[str], reviews: ReviewsFile | None,
                      practices: Mapping[str, Sequence[str]] | None, problems: list[Problem]) -> DemoReport | None:
    """The file checked (its problems added to ``problems``); ``None`` if unusable.
    ``practices``: the library's keys and the indicators each speaks to (``None``: not checked)."""
    report, lines = _read(path, FinalReportFile, problems)
    if report is None:
        return None
    roles = {m.email: m.role for m in spec.members}
    reviewers = reviews.reviewers if reviews else {}

    def peer(key: str, at: tuple, where: str) -> str | None:
        email = reviewers.get(key)
        if email is None:
            lines.add(at, f"{where}: no reviewer '{key}' in cycles[{n}]'s reviews")
        elif roles.get(email) != CycleRole.PEER:
            lines.add(at, f"{where}: '{key}' is not a peer of cycles[{n}] (the team leader writes, shares and "
                          "publishes)")
        else:
            return email
        return None

    sections = _sections(report, lines)
    recommendations = _recommendations(report, lines, codes, practices, peer)
    shared = SHARING.index(report.shared)
    comments = []
    for i, comment in enumerate(report.comments):
        at, where = ("comments", i), f"comments[{i}]"
        email = peer(comment.by, (*at, "by"), f"{where}.by")
        _check_section(comment.section, lines, (*at, "section"), where)
        _check_text(comment.section, comment.text, lines, at, where)
        comments.append(DemoComment(email, comment.section, _both(comment.text)))
    if report.comments and shared < SHARING.index("team"):
        lines.add(("comments",), "comments: the peers comment on a draft shared with them (shared: team or host)")
    replies = []
    for i, reply in enumerate(report.replies):
        at, where = ("replies", i), f"replies[{i}]"
        _check_section(reply.section, lines, (*at, "section"), where)
        _check_text(reply.section, reply.text, lines, at, where)
        replies.append(DemoComment(None, reply.section, _both(reply.text)))
    if report.replies and report.shared != "host":
        lines.add(("replies",), "replies: the host city replies to a draft shared with it (shared: host)")
    signed = [email for i, key in enumerate(report.sign_offs)
              if (email := peer(key, ("sign_offs", i), f"sign_offs[{i}]")) is not None]
    for i, key in _duplicates(report.sign_offs):
        lines.add(("sign_offs", i), f"sign_offs[{i}]: '{key}' comes twice")
    if report.sign_offs and shared < SHARING.index("team"):
        lines.add(("sign_offs",), "sign_offs: the peers sign off a draft shared with them (shared: team or host)")
    if spec.phase == Phase.PUBLISHED:
        missing = sorted(e for e, role in roles.items() if role == CycleRole.PEER and e not in signed)
        if missing:
            lines.add(("sign_offs",), f"sign_offs: cycles[{n}] is published: every peer signs off first "
                                      f"(missing: {', '.join(missing)})")
    problems += lines.problems
    return DemoReport(lines.file, sections, recommendations, report.shared, comments, replies, signed)


def _both(text: LocalizedText | None) -> dict[str, str]:
    return {lang: text.get(lang).strip() if text else "" for lang in LANGUAGES}


def _sections(report: FinalReportFile, lines: YamlLines) -> dict[str, dict[str, str]]:
    """The sections written, by their key, checked as the service takes them."""
    found: dict[str, tuple[tuple, LocalizedText]] = {}
    if report.summary:
        found["summary"] = (("summary",), report.summary)
    for pillar, texts in report.pillars.items():
        for kind in ("strengths", "weaknesses"):
            text = getattr(texts, kind)
            if text is not None:
                found[f"{kind}:{pillar.value}"] = (("pillars", pillar.value, kind), text)
    for at, text in found.values():
        for lang in LANGUAGES:
            try:
                SectionWrite.model_validate({"text": text.get(lang)})
            except ValidationError as exc:
                _refused(exc, lines, at, ".".join(map(str, at)), lang)
    return {key: _both(text) for key, (_, text) in found.items()}


def _recommendations(report: FinalReportFile, lines: YamlLines, codes: Sequence[str],
                     practices: Mapping[str, Sequence[str]] | None, peer: PeerOf) -> list[DemoRecommendation]:
    """Each recommendation on indicators of the set, its practices in the library and
    speaking to one of its indicators, as the service will take it in each language."""
    known = set(codes)
    out = []
    for i, rec in enumerate(report.recommendations):
        at, where = ("recommendations", i), f"recommendations[{i}]"
        for k, code in enumerate(rec.indicators):
            if code not in known:
                lines.add((*at, "indicators", k), f"{where}.indicators[{k}]: no indicator {code} in the indicator set")
        for k, code in _duplicates(rec.indicators):
            lines.add((*at, "indicators", k), f"{where}.indicators[{k}]: {code} comes twice")
        for k, key in enumerate(rec.practices):
            if practices is None:
                continue
            if key not in practices:
                lines.add((*at, "practices", k), f"{where}.practices[{k}]: no good practice '{key}' in the library")
            elif not set(practices[key]) & set(rec.indicators):
                lines.add((*at, "practices", k), f"{where}.practices[{k}]: '{key}' speaks to none of its indicators "
                                                 f"({', '.join(practices[key])})")
        for k, key in _duplicates(rec.practices):
            lines.add((*at, "practices", k), f"{where}.practices[{k}]: '{key}' comes twice")
        email = peer(rec.proposed_by, (*at, "proposed_by"), f"{where}.proposed_by") if rec.proposed_by else None
        if not rec.accepted and rec.proposed_by is None:
            lines.add((*at, "accepted"), f"{where}.accepted: the team leader's own recommendation is in the report "
                                         "(only a peer's proposal waits to be taken in)")
        for lang in LANGUAGES:
            try:
                RecommendationWrite.model_validate({
                    "indicator_codes": rec.indicators, "text": rec.text.get(lang), "horizon": rec.horizon,
                    "priority": rec.priority, "owner": rec.owner.get(lang) if rec.owner else "",
                    "follow_up_on": rec.follow_up})
            except ValidationError as exc:
                _refused(exc, lines, at, where, lang)
        out.append(DemoRecommendation(list(rec.indicators), _both(rec.text), _both(rec.owner), rec.horizon,
                                      rec.priority, rec.follow_up, list(rec.practices), email, rec.accepted))
    return out


def _check_section(section: str, lines: YamlLines, at: tuple, where: str) -> None:
    if section not in SECTIONS:
        lines.add(at, f"{where}.section: no section '{section}' in the report ({', '.join(SECTIONS)})")


def _check_text(section: str, text: LocalizedText, lines: YamlLines, at: tuple, where: str) -> None:
    for lang in LANGUAGES:
        try:
            CommentWrite.model_validate({"section": section, "text": text.get(lang)})
        except ValidationError as exc:
            _refused(exc, lines, at, where, lang)


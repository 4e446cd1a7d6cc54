"""The final report's content model: one set of plain values every format renders.

:class:`ReportContent` holds everything the report says in both languages (the indicator
texts, the pillars' and dimensions' names, the good practices' summaries) and the team's
and the city's own words as they wrote them. It is built from the cycle's tables
(``app/reports/build.py``) for a draft, and read back from its JSON for a published
version (``report_version.content``), so that a published report is rendered from what
was frozen, never from tables that may have moved on. The fixed phrases (headings,
labels) come from the catalogs when a format is rendered.

Nothing here knows HTML, Word or Excel: the renderers escape user text their own way.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmark.scales import Horizon
from benchmark.scoring import share_at_or_above

#: The content's own format: a published version's JSON says which it was written in.
CONTENT_FORMAT = 1
PERFORMANCE_ORDER = ("below", "at", "above", "more_info")
SELF_ORDER = {"below": 0, "at": 1, "above": 2}
HORIZONS = [h.value for h in Horizon]
PRIORITIES = ("high", "medium", "low")  # app.reports.schemas.Priority, most urgent first


#: The texts the team leader writes in each pillar (beside the summary).
WRITTEN_KINDS = ("strengths", "weaknesses")


def section_keys(pillars: list[str]) -> list[str]:
    """The report's sections, in its order: what a comment or a reply is about."""
    return ["summary", "heat_map", "self_vs_team",
            *(f"{kind}:{p}" for p in pillars for kind in ("pillar", *WRITTEN_KINDS)),
            "recommendations", "annexes"]


def written_section_keys(pillars: list[str]) -> list[str]:
    """The sections the team leader writes: the summary and each pillar's strengths and weaknesses."""
    return [k for k in section_keys(pillars) if k == "summary" or k.split(":")[0] in WRITTEN_KINDS]


def localized(pair: dict[str, str], lang: str) -> str:
    """``{"fr": …, "en": …}`` in ``lang`` (French when that is all there is)."""
    return pair.get(lang) or pair.get("fr") or ""


@dataclass
class Named:
    code: str
    name: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)


@dataclass
class IndicatorResult:
    """One indicator: its text, the host's self-rating and the team's final judgement."""

    code: str
    pillar: str
    dimension: str
    text: dict[str, str]
    self_rating: str | None = None
    performance: str | None = None
    rationale: str = ""
    majority: str | None = None
    departs_from_majority: bool = False

    @property
    def rated_apart(self) -> int | None:
        """How far the host's self-rating stands from the team's judgement: positive when the
        city rates itself higher, negative lower, 0 the same; ``None`` if either is missing
        (or the team needed more information)."""
        if self.self_rating not in SELF_ORDER or self.performance not in SELF_ORDER:
            return None
        return SELF_ORDER[self.self_rating] - SELF_ORDER[self.performance]


@dataclass
class Practice:
    id: int
    city: str
    country: str
    theme: str
    title: dict[str, str]
    summary: dict[str, str]
    figures: dict[str, str]
    source: str


@dataclass
class RecommendationItem:
    id: int
    number: int
    text: str
    indicator_codes: list[str]
    horizon: str
    priority: str
    owner: str
    follow_up_on: str | None  # ISO date
    practice_ids: list[int]


@dataclass
class Person:
    name: str
    role: str = ""
    organisation: str = ""


@dataclass
class Meeting:
    """An interview or workshop of the programme, in the host city's local time."""

    starts_at: str  # ISO, with its offset
    ends_at: str
    kind: str
    title: str
    interviewees: list[Person]
    peers: list[str]
    location: str = ""


@dataclass
class TeamMember:
    name: str
    role: str  # CycleRole
    city: str = ""


@dataclass
class ReportContent:
    """The whole report as plain values (see the module's docstring)."""

    cycle_id: int
    title: str
    city: str
    country: str
    indicator_set_version: str
    team: list[TeamMember]
    visit_days: list[str]  # ISO dates
    pillars: list[Named]
    dimensions: list[Named]
    indicators: list[IndicatorResult]
    sections: dict[str, str]
    recommendations: list[RecommendationItem]
    practices: dict[int, Practice]
    meetings: list[Meeting]
    #: Set when the content is frozen for publication.
    version: int | None = None
    published_at: str | None = None
    revision_reason: str | None = None
    format: int = CONTENT_FORMAT

    # --- what the report shows, computed from the values ------------------------------------

    def indicators_in(self, pillar: str, dimension: str | None = None) -> list[IndicatorResult]:
        return [i for i in self.indicators if i.pillar == pillar and (dimension is None or i.dimension == dimension)]

    def cell(self, pillar: str, dimension: str) -> dict[str, Any]:
        """One square of the heat map: how many indicators the team judged below, at,
        above the benchmark or needing more information, and the share at or above."""
        found = self.indicators_in(pillar, dimension)
        counts = {p: sum(1 for i in found if i.performance == p) for p in PERFORMANCE_ORDER}
        return {"pillar": pillar, "dimension": dimension, "total": len(found), "counts": counts,
                "share": share_at_or_above(i.performance for i in found)}

    def heat_map(self) -> list[list[dict[str, Any]]]:
        """Pillar by pillar, each dimension's cell."""
        return [[self.cell(p.code, d.code) for d in self.dimensions] for p in self.pillars]

    def rated_apart(self) -> list[IndicatorResult]:
        """The indicators where the city rates itself higher or lower than the team judged,
        the widest gaps first, then in the set's order."""
        apart = [i for i in self.indicators if i.rated_apart]
        return sorted(apart, key=lambda i: -abs(i.rated_apart or 0))

    def self_vs_team(self) -> dict[str, int]:
        """How many indicators the city rated higher, the same, lower than the team."""
        gaps = [i.rated_apart for i in self.indicators if i.rated_apart is not None]
        return {"higher": sum(1 for g in gaps if g > 0), "same": sum(1 for g in gaps if g == 0),
                "lower": sum(1 for g in gaps if g < 0)}

    def _home(self, rec: RecommendationItem) -> IndicatorResult | None:
        """The indicator a recommendation is printed under: its first in the set's order."""
        order = {i.code: n for n, i in enumerate(self.indicators)}
        known = [c for c in rec.indicator_codes if c in order]
        return self.indicators[min(order[c] for c in known)] if known else None

    def recommendations_for(self, pillar: str, dimension: str | None = None) -> list[RecommendationItem]:
        """The recommendations printed under this pillar (and dimension): each once, under the
        first of its indicators in the set's order (the others name it: :meth:`numbers_for`)."""
        out = []
        for rec in self.recommendations:
            home = self._home(rec)
            if home and home.pillar == pillar and (dimension is None or home.dimension == dimension):
                out.append(rec)
        return out

    def numbers_for(self, code: str) -> list[int]:
        """The numbers of the recommendations tied to indicator ``code``."""
        return [r.number for r in self.recommendations if code in r.indicator_codes]

    def by_horizon(self, recommendations: list[RecommendationItem]) -> list[tuple[str, list[RecommendationItem]]]:
        return [(h, [r for r in recommendations if r.horizon == h]) for h in HORIZONS
                if any(r.horizon == h for r in recommendations)]

    def action_plan(self) -> list[RecommendationItem]:
        """Every recommendation, by horizon, then priority, then follow-up date."""
        return sorted(self.recommendations, key=lambda r: (HORIZONS.index(r.horizon), PRIORITIES.index(r.priority),
                                                           r.follow_up_on or "9999", r.number))

    def people_met(self) -> list[Person]:
        """Everyone the team met, once each, by name."""
        seen: dict[str, Person] = {}
        for meeting in self.meetings:
            for person in meeting.interviewees:
                seen.setdefault(person.name.casefold(), person)
        return sorted(seen.values(), key=lambda p: p.name.casefold())

    def section(self, key: str) -> str:
        return self.sections.get(key, "")

    # --- freezing -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["practices"] = {str(k): v for k, v in data["practices"].items()}
        return data

    def checksum(self) -> str:
        """SHA-256 of the content's canonical JSON: what a published version is held to."""
        canonical = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportContent:
        return cls(
            **{k: v for k, v in data.items() if k not in {
                "team", "pillars", "dimensions", "indicators", "recommendations", "practices", "meetings"}},
            team=[TeamMember(**m) for m in data["team"]],
            pillars=[Named(**p) for p in data["pillars"]],
            dimensions=[Named(**d) for d in data["dimensions"]],
            indicators=[IndicatorResult(**i) for i in data["indicators"]],
            recommendations=[RecommendationItem(**r) for r in data["recommendations"]],
            practices={int(k): Practice(**p) for k, p in data["practices"].items()},
            meetings=[Meeting(**{**m, "interviewees": [Person(**p) for p in m["interviewees"]]})
                      for m in data["meetings"]],
        )

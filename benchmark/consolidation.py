"""The team's consolidation of its preparatory reviews (issue 9).

Per indicator: what each peer judged, whether the peers disagree or want more information,
what they want to ask and whom they want to meet, merged across peers; over the whole set
and per pillar, how far the peers agree (Krippendorff's alpha, ordinal level).

The decisions, in one place:

- **Missing.** A reviewer who left an indicator without a performance (``None``, or no entry
  for it) and a reviewer who chose ``more_info`` both give no point on the ordinal scale
  below < at < above: for alpha, ``disagree`` and ``majority`` their value is missing.
  ``more_info`` is still counted in ``counts`` and raises the indicator's ``more_info``.
- **Disagreement** is two or more distinct points of the scale among the judgements;
  **flagged** is disagreement or anyone asking for more information.
- **Majority** is the strictly most frequent point of the scale: a tie for first place, or no
  judgement at all, gives none (and then there is nothing to compare the host's rating with).
- **Undefined alpha** is ``None``, never ``nan`` nor an exception: when fewer than two values
  are pairable (no indicator judged on the scale by two peers) or when every pairable value is
  the same point (the expected disagreement is 0, so alpha is 0/0).
- **Same question, same person.** Two questions are one when their texts are equal but for
  case, accents, spacing and the spacing around punctuation (:func:`benchmark.text.question_key`);
  two people are one when their names are equal but for case, accents and spacing
  (:func:`benchmark.text.folded`). The text or name is kept as first written; a person's role
  and organisation come from the first mention that gives them; they need an interpreter when
  any asker said so. "First" follows the set's order of indicators, then the order of the
  reviews given, then each reviewer's own order.

No SQL here and nothing from ``app``: the caller loads the reviews it wants counted (for
instance the submitted ones only) and maps them to :class:`ReviewInput`.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

import krippendorff
import numpy as np

from benchmark.scales import Dimension, Performance, Pillar, SelfRating
from benchmark.text import folded, question_key

#: The ordinal scale, lowest first; ``more_info`` is no point on it.
SCALE: tuple[Performance, ...] = (Performance.BELOW, Performance.AT, Performance.ABOVE)
_RANK: dict[str, int] = {p.value: i for i, p in enumerate(SCALE)}

HostVsPeers = Literal["higher", "lower", "same"]
Level = Literal["nominal", "ordinal", "interval", "ratio"]
T = TypeVar("T")


class IndicatorLike(Protocol):
    """What consolidation needs of an indicator (``benchmark.indicators.Indicator`` has it)."""

    @property
    def code(self) -> str: ...
    @property
    def pillar(self) -> Pillar: ...
    @property
    def dimension(self) -> Dimension: ...


@dataclass(frozen=True)
class EntryInput:
    """One reviewer's entry for one indicator. ``people_to_meet`` items are mappings with
    ``name``, ``role``, ``organisation`` (strings, may be empty) and ``interpreter`` (bool)."""

    performance: Performance | None = None
    questions: Sequence[str] = ()
    people_to_meet: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class ReviewInput:
    """One reviewer's review: entries by indicator code (an indicator without one is not judged)."""

    reviewer_id: int
    reviewer_name: str
    entries: Mapping[str, EntryInput]


@dataclass(frozen=True)
class MergedQuestion:
    text: str
    asked_by: tuple[int, ...]


@dataclass(frozen=True)
class MergedPerson:
    """A person one indicator's askers want to meet; ``asked_by``: reviewer ids, first asker first."""

    name: str
    role: str
    organisation: str
    interpreter: bool
    asked_by: tuple[int, ...]


@dataclass(frozen=True)
class IndexedPerson:
    """A person someone wants to meet, once for the whole set, with every indicator that wants them."""

    name: str
    role: str
    organisation: str
    interpreter: bool
    indicators: tuple[str, ...]
    asked_by: tuple[int, ...]


@dataclass(frozen=True)
class IndicatorConsolidation:
    """One indicator, consolidated. ``counts`` has the four performances as keys, always;
    ``judgements`` maps every reviewer id, in the reviews' order, to their performance or
    ``None``. ``host_vs_peers`` is where the host's self-rating stands against the peers'
    majority ("higher": the host rated itself above the peers), ``None`` if either is missing."""

    code: str
    pillar: Pillar
    dimension: Dimension
    counts: Mapping[Performance, int]
    judgements: Mapping[int, Performance | None]
    disagree: bool
    more_info: bool
    majority: Performance | None
    self_rating: SelfRating | None
    host_vs_peers: HostVsPeers | None
    questions: tuple[MergedQuestion, ...]
    people: tuple[MergedPerson, ...]

    @property
    def flagged(self) -> bool:
        """The team should look at it first: the peers disagree, or someone asked for more information."""
        return self.disagree or self.more_info


@dataclass(frozen=True)
class Consolidation:
    """The team's consolidation: agreement, the indicators in the set's order, the people index.
    ``reviewers`` maps reviewer ids to names, in the reviews' order (the grid's columns);
    ``alpha_by_pillar`` has every pillar as a key."""

    alpha: float | None
    alpha_by_pillar: Mapping[Pillar, float | None]
    indicators: tuple[IndicatorConsolidation, ...]
    people_index: tuple[IndexedPerson, ...]
    reviewers: Mapping[int, str]

    def attention_first(self) -> tuple[IndicatorConsolidation, ...]:
        """The flagged indicators first, then the others, each group in the set's order."""
        return tuple(i for i in self.indicators if i.flagged) + tuple(i for i in self.indicators if not i.flagged)

    def contract_dict(self) -> dict[str, Any]:
        """The API contract's shape of ``GET /cycles/{id}/consolidation``, as plain JSON values."""
        return {
            "alpha": self.alpha,
            "alpha_by_pillar": {p.value: self.alpha_by_pillar.get(p) for p in Pillar},
            "indicators": [
                {
                    "code": i.code,
                    "counts": {p.value: i.counts[p] for p in Performance},
                    "flagged": i.flagged,
                    "questions": [q.text for q in i.questions],
                    "people_to_meet": [
                        {"name": p.name, "role": p.role, "organisation": p.organisation,
                         "interpreter": p.interpreter}
                        for p in i.people
                    ],
                }
                for i in self.indicators
            ],
        }


def ordinal_alpha(units: Sequence[Sequence[Performance | None]]) -> float | None:
    """Krippendorff's alpha, ordinal level, over below < at < above.

    Each unit is one indicator with one value per reviewer (the same reviewers in every unit;
    a shorter unit is read as missing its last values). ``None`` and ``more_info`` are missing.
    Answers ``None`` where alpha is undefined: fewer than two pairable values in total, or all
    pairable values the same point (no variation, so the expected disagreement is 0).

    The scale is passed to the library as a fixed value domain [0, 1, 2] rather than inferred
    from the values used. In Krippendorff's ordinal metric the distance between two ranks is
    made of the frequencies of the ranks from one to the other, so a rank nobody used weighs
    nothing: "below" and "above" are as far apart whether or not anyone said "at", as the
    method intends (the metric measures ranks as used, not positions). The fixed domain keeps
    every value at its own rank and keeps the library from refusing data that uses one rank.
    """
    return _alpha([[_rank(v) for v in unit] for unit in units], range(len(SCALE)), "ordinal")


def _rank(value: Performance | None) -> int | None:
    return None if value is None else _RANK.get(value)


def _alpha(units: Sequence[Sequence[float | None]], domain: Iterable[float], level: Level) -> float | None:
    """Krippendorff's alpha of ``units`` (a row of values per unit, ``None`` missing) at ``level``
    over the ordered ``domain``, computed by the ``krippendorff`` library; ``None`` where undefined."""
    pairable = [v for unit in units if sum(v is not None for v in unit) >= 2 for v in unit if v is not None]
    if len(set(pairable)) < 2:
        # No pairable unit, or no variation: the library would raise, or divide 0 by 0.
        return None
    # The library wants one row per observer, one column per unit, nan for missing.
    data = np.full((max(len(unit) for unit in units), len(units)), np.nan)
    for column, unit in enumerate(units):
        for row, value in enumerate(unit):
            if value is not None:
                data[row, column] = value
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(krippendorff.alpha(reliability_data=data, value_domain=list(domain),
                                          level_of_measurement=level))
    return value if math.isfinite(value) else None


def consolidate(
    indicators: Iterable[IndicatorLike],
    reviews: Sequence[ReviewInput],
    self_ratings: Mapping[str, SelfRating | None],
) -> Consolidation:
    """Consolidate the team's ``reviews`` over ``indicators`` (the set's, in its order) against
    the host's ``self_ratings`` by code (a code left out: not rated). Entries for codes that are
    not in ``indicators`` are left out. Raises ``ValueError`` if a reviewer id comes twice."""
    ids = [r.reviewer_id for r in reviews]
    if len(set(ids)) != len(ids):
        raise ValueError(f"Each reviewer must come once: {ids}")
    indicators = tuple(indicators)
    consolidated = tuple(_consolidate_one(ind, reviews, self_ratings.get(ind.code)) for ind in indicators)
    by_pillar = {
        p: ordinal_alpha([list(c.judgements.values()) for c in consolidated if c.pillar == p]) for p in Pillar
    }
    return Consolidation(
        alpha=ordinal_alpha([list(c.judgements.values()) for c in consolidated]),
        alpha_by_pillar=by_pillar,
        indicators=consolidated,
        people_index=tuple(
            IndexedPerson(m.name, m.role, m.organisation, m.interpreter, tuple(m.indicators), tuple(m.asked_by))
            for m in _merge_people(_mentions(indicators, reviews))
        ),
        reviewers={r.reviewer_id: r.reviewer_name for r in reviews},
    )


def _consolidate_one(
    indicator: IndicatorLike, reviews: Sequence[ReviewInput], self_rating: SelfRating | None
) -> IndicatorConsolidation:
    entries = [(r.reviewer_id, r.entries.get(indicator.code, _NO_ENTRY)) for r in reviews]
    judgements = {reviewer: entry.performance for reviewer, entry in entries}
    counts = Counter(p for p in judgements.values() if p is not None)
    on_scale = [p for p in judgements.values() if p is not None and p in SCALE]
    majority = _majority(on_scale)
    return IndicatorConsolidation(
        code=indicator.code,
        pillar=indicator.pillar,
        dimension=indicator.dimension,
        counts={p: counts[p] for p in Performance},
        judgements=judgements,
        disagree=len(set(on_scale)) >= 2,
        more_info=counts[Performance.MORE_INFO] > 0,
        majority=majority,
        self_rating=self_rating,
        host_vs_peers=_host_vs_peers(self_rating, majority),
        questions=_merge_questions((reviewer, q) for reviewer, entry in entries for q in entry.questions),
        people=tuple(
            MergedPerson(m.name, m.role, m.organisation, m.interpreter, tuple(m.asked_by))
            for m in _merge_people(_mentions([indicator], reviews))
        ),
    )


_NO_ENTRY = EntryInput()


def _majority(judgements: Sequence[Performance]) -> Performance | None:
    """The strictly most frequent judgement; ``None`` on a tie for first place or with none."""
    ranked = Counter(judgements).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _host_vs_peers(self_rating: SelfRating | None, majority: Performance | None) -> HostVsPeers | None:
    if self_rating is None or majority is None:
        return None
    host, peers = _RANK[self_rating.value], _RANK[majority.value]
    return "higher" if host > peers else "lower" if host < peers else "same"


def _merge_questions(asked: Iterable[tuple[int, str]]) -> tuple[MergedQuestion, ...]:
    """Questions in order of first asking, one per :func:`question_key`; blank ones left out."""
    texts: dict[str, str] = {}
    askers: dict[str, list[int]] = {}
    for reviewer, text in asked:
        key = question_key(text)
        if key:
            texts.setdefault(key, text.strip())
            _add_once(askers.setdefault(key, []), reviewer)
    return tuple(MergedQuestion(texts[key], tuple(askers[key])) for key in texts)


@dataclass
class _Person:
    """A person being merged from mentions (mutable; turned into the frozen shapes at the end)."""

    name: str
    role: str = ""
    organisation: str = ""
    interpreter: bool = False
    indicators: list[str] = field(default_factory=list)
    asked_by: list[int] = field(default_factory=list)


def _mentions(
    indicators: Iterable[IndicatorLike], reviews: Sequence[ReviewInput]
) -> Iterable[tuple[str, int, Mapping[str, Any]]]:
    """(code, reviewer id, person) for every person asked for, in the set's order, then the reviews'."""
    for indicator in indicators:
        for review in reviews:
            entry = review.entries.get(indicator.code, _NO_ENTRY)
            for person in entry.people_to_meet:
                yield indicator.code, review.reviewer_id, person


def _merge_people(mentions: Iterable[tuple[str, int, Mapping[str, Any]]]) -> list[_Person]:
    """One :class:`_Person` per folded name, in order of first mention; nameless mentions left out."""
    people: dict[str, _Person] = {}
    for code, reviewer, mention in mentions:
        name = _text(mention.get("name"))
        if not folded(name):
            continue
        person = people.setdefault(folded(name), _Person(name))
        person.role = person.role or _text(mention.get("role"))
        person.organisation = person.organisation or _text(mention.get("organisation"))
        person.interpreter = person.interpreter or bool(mention.get("interpreter"))
        _add_once(person.indicators, code)
        _add_once(person.asked_by, reviewer)
    return list(people.values())


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _add_once(items: list[T], item: T) -> None:
    if item not in items:
        items.append(item)

"""Load and validate the good-practice library (``good_practices.yaml``).

The library holds what other cities did that a host city may learn from: every practice of
seed 001 Section C, the Lisbon One Stop Shop (seed 000), the cities of seed 004, and the
action catalogue of seed 003 — each tied to the indicators it speaks to, so that the final
report can offer it where an indicator is judged below the benchmark.

As with the indicator set (``benchmark/indicators.py``, whose YAML reading and problems this
module shares), a bad file never raises a traceback at the user: :func:`load_practices`
collects every problem, each with the file and the line, and raises
:class:`PracticeLibraryError` holding them all.

The file's shape (one item of ``practices``)::

    - key: lisbon-one-stop-shop        # stable slug: lower-case letters, digits, hyphens
      city: Lisboa                     # the city's own name; left out for an action of a
      country: PT                      #   catalogue, which is no city's (then no country)
      theme: cross-department          # one of Theme's values
      title: {fr: "…", en: "…"}
      summary: {fr: "…", en: "…"}      # two to four sentences, in our own words
      figures: {fr: "…", en: "…"}      # optional: only figures the source gives
      source: "ACIDI, EU-INTI …"       # a citation, as a bibliography gives it
      indicators: [GG-IMP-4, IE-IMP-2] # 1 to 6 codes of the indicator set

French texts keep French typography: a no-break space (U+00A0 or U+202F) before ``: ; ? !``
(checked here, so that the file cannot drift from it).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import StringConstraints

from benchmark.indicators import LocalizedText, ProblemsError, Text, YamlLines, _Strict, read_text, validated

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Keys of the practices a coordinator adds (``app/practices``) begin so; the file's may not,
#: so that a practice added on the pages never takes the key of one the file adds later.
NETWORK_KEY_PREFIX = "network-"
MAX_INDICATORS = 6
#: The longest texts, as the pages and the API bound them too.
TITLE_MAX, SUMMARY_MAX, FIGURES_MAX, SOURCE_MAX, CITY_MAX = 200, 2000, 500, 300, 100
#: French puts a no-break space before these; a plain space (or none) there is a typo.
_FRENCH_SPACING = re.compile(r"(?<![\u00a0\u202f])[:;?!](?=\s|$)")


class Theme(StrEnum):
    """The eight themes of seed 001 Section C, in its order."""

    NEEDS = "needs"
    CROSS_DEPARTMENT = "cross-department"
    OBJECTIVES = "objectives"
    LEADERSHIP = "leadership"
    DIVERSITY = "diversity"
    MULTILEVEL = "multilevel"
    PARTNERS = "partners"
    EMPOWERMENT = "empowerment"


#: Each theme's name, in French and in English (as Section C's list of themes words them).
_NAMES = {
    Theme.NEEDS: ("Évaluation des besoins et collecte des données", "Needs assessment and data collection"),
    Theme.CROSS_DEPARTMENT: ("L'intégration au sein de la municipalité",
                             "Working on integration within the municipality"),
    Theme.OBJECTIVES: ("Objectifs, ressources et évaluation",
                       "Setting objectives, allocating resources and evaluating"),
    Theme.LEADERSHIP: ("Leadership et soutien du public", "Providing leadership and winning public support"),
    Theme.DIVERSITY: ("La diversité dans l'administration municipale",
                      "Promoting diversity in the city administration"),
    Theme.MULTILEVEL: ("Coopération avec les autres niveaux de gouvernance",
                       "Cooperating with other levels of government"),
    Theme.PARTNERS: ("Travail avec les partenaires et les parties prenantes", "Working with partners and stakeholders"),
    Theme.EMPOWERMENT: ("Autonomisation des immigrés pour leur participation à la société",
                        "Empowering immigrants to take part in society"),
}
THEME_NAMES: dict[Theme, LocalizedText] = {theme: LocalizedText(fr=fr, en=en) for theme, (fr, en) in _NAMES.items()}


def _iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes: CLDR's two-letter territories (Babel's data) but the few that
    are no country of ISO 3166-1 (Ascension, the Canaries, the EU, the UN, pseudo-locales…)."""
    from babel import Locale

    not_iso = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
    codes = (str(c) for c in Locale("en").territories)
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha() and c not in not_iso)


COUNTRIES = _iso_countries()


def is_country(code: str) -> bool:
    return code in COUNTRIES


def _bounded(max_length: int) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


TitleText = Annotated[str, _bounded(TITLE_MAX)]
SummaryText = Annotated[str, _bounded(SUMMARY_MAX)]
FiguresText = Annotated[str, _bounded(FIGURES_MAX)]
SourceText = Annotated[str, _bounded(SOURCE_MAX)]
CityText = Annotated[str, _bounded(CITY_MAX)]


class _Title(_Strict):
    fr: TitleText
    en: TitleText


class _Summary(_Strict):
    fr: SummaryText
    en: SummaryText


class _Figures(_Strict):
    fr: FiguresText
    en: FiguresText


class _PracticeItem(_Strict):
    key: Text
    city: CityText | None = None
    country: Text | None = None
    theme: Theme
    title: _Title
    summary: _Summary
    figures: _Figures | None = None
    source: SourceText
    indicators: list[Text]


class _LibraryFile(_Strict):
    practices: list[_PracticeItem]


@dataclass(frozen=True)
class PracticeDef:
    """A validated practice of the library file."""

    key: str
    city: str  # "" for an action of a catalogue, which is no city's
    country: str | None
    theme: Theme
    title: LocalizedText
    summary: LocalizedText
    figures: LocalizedText | None
    source: str
    indicators: tuple[str, ...]

    def digest(self) -> str:
        """A digest of the content: what tells, at start-up, whether the file's entry for this
        key changed since it was last loaded."""
        return hashlib.sha256(json.dumps(self.to_document(), sort_keys=True).encode()).hexdigest()

    def to_document(self) -> dict[str, Any]:
        return {
            "key": self.key, "city": self.city, "country": self.country, "theme": self.theme.value,
            "title": self.title.model_dump(), "summary": self.summary.model_dump(),
            "figures": self.figures.model_dump() if self.figures else None,
            "source": self.source, "indicators": list(self.indicators),
        }


class PracticeLibraryError(ProblemsError):
    """The library could not be loaded; ``problems`` says every reason, with lines."""


def load_practices(path: str | Path, indicator_codes: set[str] | frozenset[str]) -> list[PracticeDef]:
    """Read and validate ``path`` against the indicator codes it may name; raise
    :class:`PracticeLibraryError` listing every problem."""
    source, name = read_text(path, PracticeLibraryError)
    return parse_practices(source, indicator_codes, name)


def parse_practices(source: str, indicator_codes: set[str] | frozenset[str],
                    name: str = "<string>") -> list[PracticeDef]:
    """Validate YAML text; ``name`` is used in problem messages."""
    parsed, lines = validated(source, name, _LibraryFile, PracticeLibraryError, _message)
    result = [_checked(i, item, indicator_codes, lines) for i, item in enumerate(parsed.practices)]
    _check_unique_keys(parsed.practices, lines)
    if lines.problems:
        raise PracticeLibraryError(sorted(lines.problems, key=lambda p: p.line or 0))
    return result


def _message(err: Any) -> str:
    if err["type"] == "missing" and err["loc"] and err["loc"][-1] in ("fr", "en"):
        return f"the {'French' if err['loc'][-1] == 'fr' else 'English'} text is missing"
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "enum":
        return f"unknown theme (one of: {', '.join(t.value for t in Theme)})"
    return str(err["msg"])


def _checked(i: int, item: _PracticeItem, codes: set[str] | frozenset[str], lines: YamlLines) -> PracticeDef:
    where = ("practices", i)
    if not KEY_PATTERN.match(item.key):
        lines.add((*where, "key"), f"key '{item.key}': lower-case letters, digits and single hyphens only "
                                   "(e.g. lisbon-one-stop-shop)")
    elif item.key.startswith(NETWORK_KEY_PREFIX):
        lines.add((*where, "key"), f"key '{item.key}': '{NETWORK_KEY_PREFIX}' begins the keys of practices "
                                   "added on the pages")
    if item.country is not None and not is_country(item.country):
        lines.add((*where, "country"), f"country '{item.country}' is not an ISO 3166-1 alpha-2 code (e.g. PT)")
    if item.city and item.country is None:
        lines.add((*where, "city"), f"practice '{item.key}': a city needs its country (ISO 3166-1 alpha-2)")
    if not item.city and item.country is not None:
        lines.add((*where, "country"), f"practice '{item.key}': a country without a city")
    if not 1 <= len(item.indicators) <= MAX_INDICATORS:
        lines.add((*where, "indicators"), f"practice '{item.key}': 1 to {MAX_INDICATORS} indicators")
    for n, code in enumerate(item.indicators):
        if code not in codes:
            lines.add((*where, "indicators", n), f"practice '{item.key}': indicator '{code}' is not in the "
                                                 "indicator set")
        elif code in item.indicators[:n]:
            lines.add((*where, "indicators", n), f"practice '{item.key}': indicator '{code}' twice")
    for field in ("title", "summary", "figures"):
        text = getattr(item, field)
        if text is not None and _FRENCH_SPACING.search(text.fr):
            lines.add((*where, field, "fr"), f"{field}.fr: French puts a no-break space (U+00A0) before : ; ? !")
    return PracticeDef(key=item.key, city=item.city or "", country=item.country, theme=item.theme,
                       title=LocalizedText(fr=item.title.fr, en=item.title.en),
                       summary=LocalizedText(fr=item.summary.fr, en=item.summary.en),
                       figures=LocalizedText(fr=item.figures.fr, en=item.figures.en) if item.figures else None,
                       source=item.source, indicators=tuple(item.indicators))


def _check_unique_keys(items: list[_PracticeItem], lines: YamlLines) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.key in seen:
            first = lines.line_of(("practices", seen[item.key], "key"))
            lines.add(("practices", i, "key"), f"duplicate practice key '{item.key}' (first on line {first})")
        else:
            seen[item.key] = i

"""The API's shapes for the good-practice library, with their limits (those of the library
file, ``benchmark/practices.py``)."""
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from benchmark.practices import CITY_MAX, MAX_INDICATORS, SOURCE_MAX, TITLE_MAX, FiguresText, SummaryText, Theme

from app.errors import ONE_LINE_PATTERN
from app.omittable import Omittable
from app.schemas import Input


def _line(max_length: int, min_length: int = 1) -> StringConstraints:
    """One line (no line break, no "|"), control characters refused by ``Input``."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length,
                             pattern=ONE_LINE_PATTERN)


Title = Annotated[str, _line(TITLE_MAX)]
Source = Annotated[str, _line(SOURCE_MAX)]
#: "" (or left out): no city, as for an action of a catalogue.
City = Annotated[str, _line(CITY_MAX, min_length=0)]
#: ISO 3166-1 alpha-2, upper-cased; checked against the list of countries by the service.
Country = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")]
IndicatorCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=20)]
Codes = Annotated[list[IndicatorCode], Field(min_length=1, max_length=MAX_INDICATORS)]


class PracticeCreate(Input):
    """A practice a coordinator adds. Both languages of each text; figures optional (both
    languages or none); a country with a city, none without."""

    city: City = ""
    country: Country | None = None
    theme: Theme
    title_fr: Title
    title_en: Title
    summary_fr: SummaryText  # several lines: the library file's own limits
    summary_en: SummaryText
    figures_fr: FiguresText | None = None
    figures_en: FiguresText | None = None
    source: Source
    indicator_codes: Codes


class PracticeUpdate(Input):
    """A change: fields left out keep their value; ``null`` clears a country or figures."""

    city: Omittable[City] = None
    country: Country | None = None
    theme: Omittable[Theme] = None
    title_fr: Omittable[Title] = None
    title_en: Omittable[Title] = None
    summary_fr: Omittable[SummaryText] = None
    summary_en: Omittable[SummaryText] = None
    figures_fr: FiguresText | None = None
    figures_en: FiguresText | None = None
    source: Omittable[Source] = None
    indicator_codes: Omittable[Codes] = None


class PracticePublic(BaseModel):
    id: int
    key: str
    city: str
    country: str | None
    theme: Theme
    title_fr: str
    title_en: str
    summary_fr: str
    summary_en: str
    figures_fr: str | None
    figures_en: str | None
    source: str
    indicator_codes: list[str]
    #: "library" (from good_practices.yaml) or "network" (added by a coordinator).
    origin: str
    version: int
    created_at: datetime
    updated_at: datetime

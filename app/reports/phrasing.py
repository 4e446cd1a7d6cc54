"""How every format of the report writes its values in a language: dates, times, the colon
(French puts a non-breaking space before it), a judgement as its sign and word."""
from collections.abc import Callable
from datetime import date, datetime

from app import labels
from app.i18n import N_, date_text

NOT_JUDGED, NOT_RATED = N_("not judged"), N_("not rated")


def day(value: str | None, lang: str) -> str:
    """An ISO date or date-time's day, written out in ``lang``; "" for None."""
    return date_text(date.fromisoformat(value[:10]), lang) if value else ""


def clock(value: str) -> str:
    """An ISO date-time's time of day, ``09:30``, as it was recorded (the host city's time)."""
    return datetime.fromisoformat(value).strftime("%H:%M")


def colon(lang: str) -> str:
    return "\u00a0: " if lang == "fr" else ": "


def judgement(key: str | None, _: Callable[..., str]) -> str:
    """A final judgement as its sign and word ("− below the benchmark"), "not judged" for None."""
    return f"{labels.PERFORMANCE_SIGNS[key]} {_(labels.PERFORMANCES[key])}" if key else _(NOT_JUDGED)


def rating(key: str | None, _: Callable[..., str]) -> str:
    """The city's self-rating as words, "not rated" for None."""
    return _(labels.RATINGS[key]) if key else _(NOT_RATED)

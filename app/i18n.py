"""The interface language: Babel catalogs, and which language a request gets.

Catalogs are read from the ``.po`` files at start-up and compiled in memory, so
there is no compiled ``.mo`` file to forget. Messages in Python code are marked
with :func:`N_` (extracted, translated when shown), in templates with ``_()``.
"""
from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.core import negotiate_locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("fr", "en")
LANG_COOKIE = "inti_lang"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def date_text(value: date, lang: str) -> str:
    """A date as written in ``lang``: ``March 1, 2027``, ``1 mars 2027``."""
    return format_date(value, format="long", locale=lang)


def _localized(value: object, lang: str) -> object:
    """A message's parameter as the reader of ``lang`` reads it: a date written out
    (:func:`date_text`); plain strings (names, e-mails) stay as they are."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return date_text(value, lang)
    return value


@lru_cache
def translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


@dataclass(frozen=True)
class Phrase:
    """A message id and its parameters, given as a parameter of another message: translated
    with it, in the same language (a phase's or a field's name, a rating inside a problem's
    message), so that a service can name it before the language is known. A tuple of
    phrases as a parameter reads as the phrases one after the other, separated by a space."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)


def gettext_for(lang: str):
    """``_`` for one language: ``_("Hello %(name)s", name="x")`` formats after translating;
    :class:`Phrase` parameters are translated too, and dates written out in that language."""
    trans = translations(lang)

    def _(message: str, **params) -> str:
        text = trans.gettext(message)
        return text % {k: resolve(v) for k, v in params.items()} if params else text

    def resolve(value):
        if isinstance(value, Phrase):
            return _(value.msgid, **value.params)
        if isinstance(value, tuple) and value and all(isinstance(v, Phrase) for v in value):
            return " ".join(resolve(v) for v in value)
        return _localized(value, lang)

    return _


def negotiate(query_lang: str | None, cookie_lang: str | None, user_lang: str | None,
              accept_language: str | None, default: str) -> str:
    """The user's explicit choice first (query, cookie, profile), then the browser's."""
    for choice in (query_lang, cookie_lang, user_lang):
        if choice in LANGUAGES:
            return choice
    if accept_language:
        wanted = []
        for part in accept_language.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            if tag and weight > 0:
                wanted.append((weight, tag.replace("-", "_")))
        preferred = [tag for _, tag in sorted(wanted, key=lambda w: -w[0])]
        found = negotiate_locale(preferred, list(LANGUAGES), sep="_")
        if found:
            return found
    return default

"""The French catalog covers every interface text of the source tree.

Texts are extracted from the source with Babel, exactly as ``babel.cfg`` says
(Python with the ``N_`` keyword, Jinja2 templates). When a test here fails
after a text was added or changed, refresh the catalogs from the repository
root and translate the new French entries (leaving no ``#, fuzzy`` flag)::

    pybabel extract -F babel.cfg -k N_ -o app/locale/messages.pot --no-location --sort-output --no-wrap .
    pybabel update -i app/locale/messages.pot -d app/locale --no-fuzzy-matching --no-wrap

No database is needed.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES, LOCALE_DIR, gettext_for

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}  # what `pybabel extract -k N_` uses
UPDATE_HINT = (
    "run, from the repository root:\n"
    "  pybabel extract -F babel.cfg -k N_ -o app/locale/messages.pot --no-location --sort-output --no-wrap .\n"
    "  pybabel update -i app/locale/messages.pot -d app/locale --no-fuzzy-matching --no-wrap\n"
    "then translate the new entries in app/locale/fr/LC_MESSAGES/messages.po (no '#, fuzzy' left)."
)
# %(name)s, %(n)d, %(x)-5.2f ...: the named python-format placeholders.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _only_app(dirpath: str) -> bool:
    """Walk the repository root like `pybabel extract .`, but skip what babel.cfg never maps."""
    rel = os.path.relpath(dirpath, ROOT)
    name = os.path.basename(dirpath)
    if name.startswith((".", "_")) and rel != ".":
        return False
    return rel == "." or rel == "app" or rel.startswith("app" + os.sep)


@lru_cache
def source_messages() -> dict[str, list[str]]:
    """Every msgid in the source tree, with the files it comes from."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_only_app,
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@lru_cache
def catalog(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)


def test_the_source_has_texts_to_translate():
    messages = source_messages()
    # one from Python (N_), one from a template (_): the extraction map reaches both
    assert "Self-assessment" in messages and "Log in" in messages, sorted(messages)


def test_every_source_text_has_a_french_translation():
    fr = catalog("fr")
    problems = []
    for msgid, where in sorted(source_messages().items()):
        entry = fr.get(msgid)
        if entry is None:
            problems.append(f"missing   {msgid!r}  ({where[0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy     {msgid!r}  ({where[0]})")
        elif not all(s and s.strip() for s in _strings(entry)):
            problems.append(f"untranslated {msgid!r}  ({where[0]})")
    assert not problems, (
        f"{len(problems)} interface text(s) without a French translation:\n  "
        + "\n  ".join(problems) + "\nTo fix it, " + UPDATE_HINT
    )


def test_french_translations_keep_the_placeholders():
    wrong = []
    for entry in catalog("fr"):
        if not entry.id or not any(_strings(entry)):
            continue
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in _ids(entry)))
        for text in _strings(entry):
            got = set(PLACEHOLDER.findall(text))
            if got != wanted:
                wrong.append(f"{entry.id!r}: expects {sorted(wanted)}, French has {sorted(got)}")
    assert not wrong, "placeholders differ between msgid and French:\n  " + "\n  ".join(wrong)


def test_french_translations_format_with_the_msgid_parameters():
    """Stray `%` signs would make `text % params` fail at run time."""
    failing = []
    for entry in catalog("fr"):
        if not entry.id or not entry.python_format:
            continue
        params = {name: "x" for i in _ids(entry) for name in PLACEHOLDER.findall(i)}
        for text in _strings(entry):
            try:
                text % params
            except (KeyError, TypeError, ValueError) as exc:
                failing.append(f"{entry.id!r}: {exc!r}")
    assert not failing, "\n".join(failing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_fuzzy_entries(lang):
    fuzzy = [entry.id for entry in catalog(lang) if entry.id and entry.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy entries are ignored at run time, check and unflag them: {fuzzy}"


def test_gettext_for_uses_the_catalogs():
    assert gettext_for("fr")("Log in") == catalog("fr").get("Log in").string
    assert gettext_for("fr")("Log in") != "Log in"
    assert gettext_for("en")("Log in") == "Log in"
    assert gettext_for("fr")("Welcome, %(name)s", name="Ana") == "Bienvenue, Ana"

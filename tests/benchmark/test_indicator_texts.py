"""Checks that indicators.yaml faithfully carries the INTI-CITIES indicator set.

The YAML file is read with ``yaml.safe_load`` only (no project module is
imported), and the French texts are compared with an independent parse of
``tests/fixtures/seed_001_section_b.txt``, a verbatim copy of Section B of
the source document ("LE REFERENTIEL INTI-CITIES").
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INDICATORS_YAML = ROOT / "indicators.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "seed_001_section_b.txt"

PILLARS = ["GG", "IE", "AC", "WP"]
DIMENSIONS = ["AMB", "LEA", "RES", "IMP", "EVA"]
EXPECTED_COUNTS = {
    "GG": [6, 3, 5, 4, 6],
    "IE": [2, 1, 3, 6, 2],
    "AC": [5, 1, 3, 2, 2],
    "WP": [2, 2, 5, 9, 4],
}
TOTAL = 73

# Upper-case pillar headings in the source (note the source's own spelling
# "GOVERNANCE"), each followed by the pillar's one-paragraph definition.
SOURCE_PILLAR_HEADINGS = {
    "GOVERNANCE GÉNÉRALE :": "GG",
    "AUTONOMISATION INDIVIDUELLE DES IMMIGRÉS :": "IE",
    "COOPÉRATION ADMINISTRATIVE :": "AC",
    "PARTENARIATS DE TRAVAIL :": "WP",
}
# "Pillar : Dimension" subheadings introducing each list of indicators.
SOURCE_SUBHEADING_PILLARS = {
    "Gouvernance générale": "GG",
    "Autonomisation individuelle": "IE",
    "Coopération administrative": "AC",
    "Travail en partenariat": "WP",
}
SOURCE_SUBHEADING_DIMENSIONS = {
    "Ambition": "AMB",
    "Leadership": "LEA",
    "Ressources": "RES",
    "Mise en oeuvre": "IMP",
    "Evaluation": "EVA",
}
SUBHEADING_RE = re.compile(r"^(?P<pillar>.+?) : (?P<dimension>.+)$")
ITEM_RE = re.compile(r"^- (?P<n>\d+) (?P<text>.+)$")

# English may equal French only for these (identical words in both languages).
SAME_IN_BOTH_LANGUAGES = {"Ambition", "Leadership", "Evaluation"}


def expected_codes():
    return [
        f"{pillar}-{dimension}-{n}"
        for pillar in PILLARS
        for dimension, count in zip(DIMENSIONS, EXPECTED_COUNTS[pillar])
        for n in range(1, count + 1)
    ]


def strip_markup(text):
    """Remove conversion leftovers: ``**bold**`` and ``*emphasis*`` markers."""
    return text.replace("*", "")


def parse_fixture():
    """Return (items, definitions) parsed from the Section B fixture.

    items: list of (code, French text) in source order.
    definitions: pillar code -> list of every definition paragraph found
    under that pillar's upper-case heading (the source gives them twice).
    """
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    items = []
    definitions = {}
    section = None  # (pillar, dimension) while inside a list of indicators
    i = 0
    while i < len(lines):
        line = lines[i]
        if line in SOURCE_PILLAR_HEADINGS:
            section = None
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            assert j < len(lines), f"no definition after heading {line!r}"
            definitions.setdefault(SOURCE_PILLAR_HEADINGS[line], []).append(lines[j])
            i = j + 1
            continue
        heading = SUBHEADING_RE.match(line)
        if (
            heading
            and heading["pillar"] in SOURCE_SUBHEADING_PILLARS
            and heading["dimension"] in SOURCE_SUBHEADING_DIMENSIONS
        ):
            section = (
                SOURCE_SUBHEADING_PILLARS[heading["pillar"]],
                SOURCE_SUBHEADING_DIMENSIONS[heading["dimension"]],
            )
        elif section is not None and (item := ITEM_RE.match(line)):
            pillar, dimension = section
            items.append([f"{pillar}-{dimension}-{item['n']}", item["text"]])
        elif section is not None and line.strip():
            # Continuation of an item split across a blank line (WP-IMP-3).
            assert items and not items[-1][1].endswith("."), (
                f"unexpected text in indicator list after {items[-1][0] if items else '-'}: {line!r}"
            )
            items[-1][1] += " " + line.strip()
        i += 1
    return [(code, strip_markup(text)) for code, text in items], definitions


@pytest.fixture(scope="module")
def data():
    with INDICATORS_YAML.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def indicators(data):
    return data["indicators"]


@pytest.fixture(scope="module")
def source():
    return parse_fixture()


# 1. Structure, counts and codes ---------------------------------------------


def test_dimensions_and_pillars_in_order(data):
    assert [d["code"] for d in data["dimensions"]] == DIMENSIONS
    assert [p["code"] for p in data["pillars"]] == PILLARS


def test_counts_per_pillar_and_dimension(indicators):
    assert len(indicators) == TOTAL, f"expected {TOTAL} indicators, found {len(indicators)}"
    for pillar in PILLARS:
        for dimension, expected in zip(DIMENSIONS, EXPECTED_COUNTS[pillar]):
            found = [
                ind["code"]
                for ind in indicators
                if ind["code"].startswith(f"{pillar}-{dimension}-")
            ]
            assert len(found) == expected, (
                f"{pillar}-{dimension}: expected {expected} indicators, found {len(found)}: {found}"
            )


def test_codes_are_gapless_and_in_source_order(indicators):
    codes = [ind["code"] for ind in indicators]
    assert len(codes) == len(set(codes)), "duplicate indicator codes"
    for code, expected in zip(codes, expected_codes()):
        assert code == expected, f"indicator {code}: expected {expected} at this position"
    assert codes == expected_codes()


# 2. French texts are verbatim from the source -------------------------------


def test_fixture_yields_73_items_with_expected_codes(source):
    items, _ = source
    assert len(items) == TOTAL, f"fixture yields {len(items)} items, expected {TOTAL}"
    assert [code for code, _ in items] == expected_codes()


@pytest.mark.parametrize("position", range(TOTAL))
def test_french_indicator_text_is_verbatim(position, indicators, source):
    items, _ = source
    code, source_text = items[position]
    indicator = indicators[position]
    assert indicator["code"] == code, f"position {position}: {indicator['code']} != source {code}"
    assert indicator["text"]["fr"] == source_text, (
        f"{code}: text.fr differs from the source item\n"
        f"  yaml:   {indicator['text']['fr']!r}\n  source: {source_text!r}"
    )


@pytest.mark.parametrize("pillar", PILLARS)
def test_french_pillar_definition_is_verbatim(pillar, data, source):
    _, definitions = source
    found = definitions.get(pillar)
    assert found, f"{pillar}: no definition found in the fixture"
    assert len(set(found)) == 1, f"{pillar}: the source gives differing definitions: {found}"
    entry = next(p for p in data["pillars"] if p["code"] == pillar)
    assert entry["definition"]["fr"] == found[0], (
        f"{pillar}: definition.fr differs from the source\n"
        f"  yaml:   {entry['definition']['fr']!r}\n  source: {found[0]!r}"
    )


# 3. English texts are present and plausible ---------------------------------


def english_texts(data):
    """Yield (label, fr, en, is_sentence) for every translated text."""
    for dimension in data["dimensions"]:
        name = dimension["name"]
        yield f"dimension {dimension['code']} name", name["fr"], name["en"], False
    for pillar in data["pillars"]:
        name = pillar["name"]
        yield f"pillar {pillar['code']} name", name["fr"], name["en"], False
        definition = pillar["definition"]
        yield f"pillar {pillar['code']} definition", definition["fr"], definition["en"], True
    for indicator in data["indicators"]:
        text = indicator["text"]
        yield f"indicator {indicator['code']}", text["fr"], text["en"], True


def test_english_texts(data):
    problems = []
    for label, fr, en, is_sentence in english_texts(data):
        if not isinstance(en, str) or not en.strip():
            problems.append(f"{label}: English text is empty")
            continue
        if en != en.strip():
            problems.append(f"{label}: English text has leading/trailing whitespace")
        if is_sentence and not en.endswith("."):
            problems.append(f"{label}: English text does not end with a full stop")
        ratio = len(en) / len(fr)
        if not 0.6 <= ratio <= 1.5:
            problems.append(
                f"{label}: English/French length ratio {ratio:.2f} outside 0.6-1.5"
            )
        if en == fr and en not in SAME_IN_BOTH_LANGUAGES:
            problems.append(f"{label}: English text is identical to the French")
    assert not problems, "\n".join(problems)

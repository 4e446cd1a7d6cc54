"""The loader finds every problem of a bad indicator set, each with file and line."""
from pathlib import Path

import pytest

from benchmark.indicators import IndicatorSetError, load_indicator_set, parse_indicator_set
from benchmark.scales import Dimension, Pillar

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
version: "t1"
status: approved
dimensions:
  - code: AMB
    name: {fr: Ambition, en: Ambition}
  - code: LEA
    name: {fr: Leadership, en: Leadership}
pillars:
  - code: GG
    name: {fr: Gouvernance générale, en: General governance}
    definition: {fr: Définition., en: Definition.}
indicators:
  - code: GG-AMB-1
    text: {fr: Un., en: One.}
  - code: GG-AMB-2
    text: {fr: Deux., en: Two.}
  - code: GG-LEA-1
    text: {fr: Trois., en: Three.}
"""


def problems_of(source: str) -> list[str]:
    with pytest.raises(IndicatorSetError) as caught:
        parse_indicator_set(source, "bad.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_real_set_loads_with_73_indicators_in_source_order():
    iset = load_indicator_set(ROOT / "indicators.yaml")
    assert len(iset.indicators) == 73
    assert iset.indicators[0].code == "GG-AMB-1" and iset.indicators[-1].code == "WP-EVA-4"
    assert iset.counts()[(Pillar.WP, Dimension.IMP)] == 9
    assert sum(iset.counts().values()) == 73


def test_a_good_small_set_loads():
    iset = parse_indicator_set(GOOD)
    assert [i.code for i in iset.indicators] == ["GG-AMB-1", "GG-AMB-2", "GG-LEA-1"]
    assert iset.indicators[2].text.get("en") == "Three."


def test_yaml_syntax_error_names_the_line():
    bad = GOOD.replace("text: {fr: Deux., en: Two.}", "text: {fr: Deux., en: Two.")
    assert problems_of(bad) == ["bad.yaml:17: YAML syntax error: expected ',' or '}', but got ':'"]


def test_duplicate_code_names_both_lines():
    bad = GOOD.replace("GG-AMB-2", "GG-AMB-1")
    assert problems_of(bad) == ["bad.yaml:15: duplicate indicator code 'GG-AMB-1' (first on line 13)"]


def test_unknown_pillar_and_unknown_dimension():
    bad = GOOD.replace("GG-AMB-2", "XX-AMB-1").replace("GG-LEA-1", "GG-RES-1")
    found = problems_of(bad)
    assert "bad.yaml:15: indicator 'XX-AMB-1': unknown pillar 'XX' (declared: GG)" in found
    assert "bad.yaml:17: indicator 'GG-RES-1': unknown dimension 'RES' (declared: AMB, LEA)" in found


def test_pillar_outside_the_method_is_refused():
    found = problems_of(GOOD.replace("  - code: GG\n", "  - code: ZZ\n"))
    assert found[0].startswith("bad.yaml:9: pillars[0].code: Input should be 'GG', 'IE', 'AC' or 'WP'")


def test_gap_in_numbering():
    assert problems_of(GOOD.replace("GG-AMB-2", "GG-AMB-3")) == [
        "bad.yaml:15: gap in numbering: GG-AMB-2 is missing before GG-AMB-3"
    ]


def test_missing_language_and_empty_text_are_each_reported():
    bad = GOOD.replace("{fr: Un., en: One.}", "{fr: Un.}").replace("{fr: Trois., en: Three.}", '{fr: "  ", en: Three.}')
    assert problems_of(bad) == [
        "bad.yaml:14: indicators[0].text.en: Field required",
        "bad.yaml:18: indicators[2].text.fr: String should have at least 1 character",
    ]


def test_duplicate_yaml_key_is_reported():
    bad = GOOD.replace("status: approved\n", "status: approved\nstatus: draft\n")
    assert problems_of(bad) == ["bad.yaml:3: duplicate key 'status'"]


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(IndicatorSetError) as caught:
        load_indicator_set(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: file not found"
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(IndicatorSetError) as caught:
        load_indicator_set(empty)
    assert str(caught.value) == f"{empty}:1: the file is empty"


def test_checksum_ignores_comments_but_not_content():
    a = parse_indicator_set(GOOD)
    assert parse_indicator_set("# comment\n" + GOOD).checksum() == a.checksum()
    assert parse_indicator_set(GOOD.replace("Deux.", "Deux !")).checksum() != a.checksum()


def test_a_key_that_is_not_a_name_is_a_problem_not_a_traceback():
    found = problems_of(GOOD.replace("status: approved\n", "status: approved\n? [a, b]\n: c\n"))
    assert found[0] == "bad.yaml:3: a key must be a plain name"

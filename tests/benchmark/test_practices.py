"""The good-practice library: the real file loads; every problem of a bad one is reported
with its file and line."""
from pathlib import Path

import pytest

from benchmark.indicators import load_indicator_set
from benchmark.practices import THEME_NAMES, PracticeLibraryError, Theme, load_practices, parse_practices

ROOT = Path(__file__).resolve().parents[2]
CODES = frozenset({"GG-AMB-1", "GG-AMB-6", "IE-IMP-4", "WP-RES-5"})

GOOD = """\
practices:
  - key: genova-university
    city: Genova
    country: IT
    theme: needs
    title: {fr: "Un accord avec l'université", en: "An agreement with the university"}
    summary:
      fr: "Gênes s'appuie sur son université."
      en: "Genoa relies on its university."
    source: "EUROCITIES / MPG, INTI-CITIES, Section C — Genova"
    indicators: [GG-AMB-6, WP-RES-5]
  - key: action-welcome
    theme: leadership
    title: {fr: "Des ambassadeurs", en: "Ambassadors"}
    summary: {fr: "Des bénévoles accueillent.", en: "Volunteers welcome."}
    figures: {fr: "30\u00a0% des habitants", en: "30% of residents"}
    source: "Seed 003"
    indicators: [IE-IMP-4]
"""


def problems_of(source: str) -> list[str]:
    with pytest.raises(PracticeLibraryError) as caught:
        parse_practices(source, CODES, "bad.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_real_library_loads_against_the_real_indicator_set():
    codes = {i.code for i in load_indicator_set(ROOT / "indicators.yaml").indicators}
    practices = load_practices(ROOT / "good_practices.yaml", codes)
    by_key = {p.key: p for p in practices}
    assert len(by_key) == len(practices) >= 45
    lisbon = by_key["lisboa-one-stop-shop"]
    assert (lisbon.city, lisbon.country, lisbon.theme) == ("Lisboa", "PT", Theme.CROSS_DEPARTMENT)
    assert lisbon.figures is not None and "750" in lisbon.figures.en and "30" in lisbon.figures.fr
    # every city of the sources, and the catalogue's actions without one
    cities = {p.city for p in practices}
    assert {"Genova", "Helsinki", "Malmö", "Lyon", "Rotterdam", "Düsseldorf", "Lisboa", "Thessaloniki",
            "Gdańsk", "Milano", ""} <= cities
    actions = [p for p in practices if p.key.startswith("action-")]
    assert len(actions) == 15 and all(p.city == "" and p.country is None for p in actions)
    assert by_key["eurocities-commission-dialogue"].city == ""
    # each practice speaks to 1-6 indicators; together they reach 18 of the 20 cells
    assert all(1 <= len(p.indicators) <= 6 for p in practices)
    cells = {code.rsplit("-", 1)[0] for p in practices for code in p.indicators}
    assert len(cells) == 18 and not {"AC-LEA", "AC-EVA"} & cells
    assert {p.theme for p in practices} == set(Theme)


def test_a_good_small_library_loads_in_file_order():
    practices = parse_practices(GOOD, CODES)
    assert [p.key for p in practices] == ["genova-university", "action-welcome"]
    assert practices[0].title.get("fr") == "Un accord avec l'université"
    assert practices[1].city == "" and practices[1].country is None and practices[1].indicators == ("IE-IMP-4",)
    assert practices[0].figures is None and practices[1].figures.get("en") == "30% of residents"


def test_the_digest_changes_with_the_content_only():
    first, again = parse_practices(GOOD, CODES)[0], parse_practices(GOOD + "\n# a comment\n", CODES)[0]
    assert first.digest() == again.digest()
    changed = parse_practices(GOOD.replace("relies on its university", "relies on its university a lot"), CODES)[0]
    assert changed.digest() != first.digest()


def test_every_theme_has_a_french_and_an_english_name():
    assert THEME_NAMES[Theme.NEEDS].get("fr") == "Évaluation des besoins et collecte des données"
    assert THEME_NAMES[Theme.EMPOWERMENT].get("en") == "Empowering immigrants to take part in society"
    assert set(THEME_NAMES) == set(Theme) and len(Theme) == 8


def test_unknown_key_names_its_line():
    bad = GOOD.replace("    country: IT\n", "    country: IT\n    mayor: Marco\n")
    assert problems_of(bad) == ["bad.yaml:5: practices[0].mayor: unknown key"]


def test_duplicate_practice_key_names_both_lines():
    bad = GOOD.replace("key: action-welcome", "key: genova-university")
    assert problems_of(bad) == ["bad.yaml:12: duplicate practice key 'genova-university' (first on line 2)"]


def test_duplicate_yaml_key_names_its_line():
    bad = GOOD.replace("    theme: needs\n", "    theme: needs\n    theme: partners\n")
    assert problems_of(bad) == ["bad.yaml:6: duplicate key 'theme'"]


def test_unknown_theme_names_its_line_and_the_themes():
    problems = problems_of(GOOD.replace("theme: needs", "theme: housing"))
    assert len(problems) == 1 and problems[0].startswith("bad.yaml:5: practices[0].theme: unknown theme (one of: needs,")


def test_bad_country_names_its_line():
    assert problems_of(GOOD.replace("country: IT", "country: Italy")) == [
        "bad.yaml:4: country 'Italy' is not an ISO 3166-1 alpha-2 code (e.g. PT)"]
    assert problems_of(GOOD.replace("country: IT", "country: EU")) == [
        "bad.yaml:4: country 'EU' is not an ISO 3166-1 alpha-2 code (e.g. PT)"]


def test_a_city_needs_a_country_and_a_country_a_city():
    assert problems_of(GOOD.replace("    country: IT\n", "")) == [
        "bad.yaml:3: practice 'genova-university': a city needs its country (ISO 3166-1 alpha-2)"]
    assert problems_of(GOOD.replace("    theme: leadership\n", "    country: FR\n    theme: leadership\n")) == [
        "bad.yaml:13: practice 'action-welcome': a country without a city"]


def test_indicator_not_in_the_set_names_its_line():
    assert problems_of(GOOD.replace("[GG-AMB-6, WP-RES-5]", "[GG-AMB-6, GG-AMB-9]")) == [
        "bad.yaml:11: practice 'genova-university': indicator 'GG-AMB-9' is not in the indicator set"]


def test_too_many_or_no_indicators():
    assert problems_of(GOOD.replace("[IE-IMP-4]", "[]")) == ["bad.yaml:18: practice 'action-welcome': 1 to 6 indicators"]


@pytest.mark.parametrize("lang,name", [("fr", "French"), ("en", "English")])
def test_missing_language_names_its_line(lang, name):
    other = "en" if lang == "fr" else "fr"
    bad = GOOD.replace('    summary:\n      fr: "Gênes s\'appuie sur son université."\n      en: "Genoa relies on its university."\n',
                       f'    summary:\n      {other}: "Only one."\n')
    assert problems_of(bad) == [f"bad.yaml:8: practices[0].summary.{lang}: the {name} text is missing"]


def test_french_typography_is_checked():
    bad = GOOD.replace("Des bénévoles accueillent.", "Des bénévoles : ils accueillent.")
    assert problems_of(bad) == ["bad.yaml:15: summary.fr: French puts a no-break space (U+00A0) before : ; ? !"]


def test_bad_key_and_reserved_prefix():
    assert problems_of(GOOD.replace("key: action-welcome", "key: Action_Welcome")) == [
        "bad.yaml:12: key 'Action_Welcome': lower-case letters, digits and single hyphens only "
        "(e.g. lisbon-one-stop-shop)"]
    assert problems_of(GOOD.replace("key: action-welcome", "key: network-welcome")) == [
        "bad.yaml:12: key 'network-welcome': 'network-' begins the keys of practices added on the pages"]


def test_every_problem_at_once_in_line_order():
    bad = GOOD.replace("country: IT", "country: XX").replace("[IE-IMP-4]", "[IE-IMP-9]")
    assert problems_of(bad) == [
        "bad.yaml:4: country 'XX' is not an ISO 3166-1 alpha-2 code (e.g. PT)",
        "bad.yaml:18: practice 'action-welcome': indicator 'IE-IMP-9' is not in the indicator set"]


def test_missing_file_and_syntax_error():
    with pytest.raises(PracticeLibraryError) as caught:
        load_practices(ROOT / "no-such-file.yaml", CODES)
    assert str(caught.value).endswith("no-such-file.yaml: file not found")
    problems = problems_of(GOOD.replace('title: {fr: "Des ambassadeurs", en: "Ambassadors"}',
                                        'title: {fr: "Des ambassadeurs", en: "Ambassadors"'))
    assert len(problems) == 1 and problems[0].startswith("bad.yaml:15: YAML syntax error")

"""The team's consolidation: Krippendorff's alpha checked against the published example and an
independent computation from the coincidence matrix; counts, flags, majority, host against
peers; questions and people merged across peers ignoring case, accents and spacing."""
import json
import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from benchmark.consolidation import (
    Consolidation,
    EntryInput,
    ReviewInput,
    _alpha,
    consolidate,
    ordinal_alpha,
)
from benchmark.indicators import load_indicator_set
from benchmark.scales import Dimension, Performance, Pillar, SelfRating
from benchmark.text import question_key

ROOT = Path(__file__).resolve().parents[2]
BELOW, AT, ABOVE, MORE = Performance.BELOW, Performance.AT, Performance.ABOVE, Performance.MORE_INFO

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
# (rows) x 12 units (columns), values 1-5, None missing.
N = None
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
PUBLISHED_UNITS = [list(column) for column in zip(*PUBLISHED, strict=True)]


def reference_ordinal_alpha(units, ranks=3):
    """Ordinal alpha written out from Krippendorff's formulas, in exact fractions.

    ``units``: one list per unit of ranks 0..ranks-1, None for missing. The coincidence matrix
    o[c][k] sums, over units with m >= 2 values, the ordered pairs (c, k) of values from two
    different observers, each divided by m - 1; n_c are its margins, n their sum. The ordinal
    distance is (n_c + ... + n_k - (n_c + n_k) / 2) ** 2, and
    alpha = 1 - (n - 1) * sum(o[c][k] * d[c][k]) / sum(n_c * n_k * d[c][k]).
    """
    o = [[Fraction(0)] * ranks for _ in range(ranks)]
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    o[c][k] += Fraction(1, m - 1)
    n_c = [sum(row) for row in o]
    n = sum(n_c)

    def distance(c, k):
        low, high = min(c, k), max(c, k)
        return (sum(n_c[low:high + 1]) - Fraction(n_c[c] + n_c[k], 2)) ** 2

    pairs = [(c, k) for c in range(ranks) for k in range(ranks)]
    observed = sum(o[c][k] * distance(c, k) for c, k in pairs)
    expected = sum(n_c[c] * n_c[k] * distance(c, k) for c, k in pairs)
    if expected == 0:
        return None
    return float(1 - (n - 1) * observed / expected)


RANK = {"below": 0, "at": 1, "above": 2}


def ranks_of(units):
    return [[RANK.get(v) if v is not None else None for v in unit] for unit in units]


# ---- alpha ---------------------------------------------------------------------------------

@pytest.mark.parametrize("level,expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_the_library_path_gives_krippendorffs_published_example(level, expected):
    assert round(_alpha(PUBLISHED_UNITS, range(1, 6), level), 3) == expected


def test_the_reference_gives_the_published_ordinal_value_too():
    shifted = [[v - 1 if v is not None else None for v in unit] for unit in PUBLISHED_UNITS]
    assert round(reference_ordinal_alpha(shifted, ranks=5), 3) == 0.815


def test_ordinal_alpha_by_hand():
    # o: below-at 1, at-below 1, at-at 2; n = (1, 3, 0), n = 4; d(below, at) = (1 + 3 - 2) ** 2 = 4;
    # alpha = 1 - 3 * (2 * 4) / (2 * 1 * 3 * 4) = 0.
    assert ordinal_alpha([[BELOW, AT], [AT, AT]]) == pytest.approx(0.0)
    assert ordinal_alpha([[BELOW, BELOW], [ABOVE, ABOVE]]) == pytest.approx(1.0)


HAND_MADE = [
    [[BELOW, AT, AT], [AT, AT, ABOVE], [ABOVE, ABOVE, ABOVE], [BELOW, BELOW, AT]],
    # "at" never used: the unused rank weighs nothing in the distance of below to above.
    [[BELOW, BELOW, ABOVE], [ABOVE, ABOVE, ABOVE], [BELOW, ABOVE, BELOW]],
    # more_info and None are missing; a unit left with one value pairs with nothing.
    [[BELOW, MORE, AT, None], [AT, AT, None, MORE], [ABOVE, None, None, None], [MORE, ABOVE, ABOVE, AT]],
    # units of unequal length: the shorter ones miss their last reviewers.
    [[AT, ABOVE], [AT, AT, AT], [BELOW, AT, ABOVE, ABOVE]],
    # systematic disagreement: below zero.
    [[BELOW, ABOVE], [ABOVE, BELOW], [AT, ABOVE], [ABOVE, AT]],
]


@pytest.mark.parametrize("units", HAND_MADE)
def test_ordinal_alpha_matches_the_reference_on_hand_made_data(units):
    expected = reference_ordinal_alpha(ranks_of(units))
    assert expected is not None
    assert ordinal_alpha(units) == pytest.approx(expected, abs=1e-12)


def test_ordinal_alpha_matches_the_reference_on_random_data():
    rng = random.Random(20261109)
    choices, weights = [BELOW, AT, ABOVE, MORE, None], [3, 4, 3, 1, 1]
    undefined = 0
    for _ in range(300):
        reviewers, indicators = rng.randint(1, 6), rng.randint(1, 12)
        units = [rng.choices(choices, weights, k=reviewers) for _ in range(indicators)]
        expected = reference_ordinal_alpha(ranks_of(units))
        if expected is None:
            undefined += 1
            assert ordinal_alpha(units) is None, units
        else:
            assert ordinal_alpha(units) == pytest.approx(expected, abs=1e-12), units
    assert 0 < undefined < 300  # both kinds of data set were drawn


@pytest.mark.parametrize("units", [
    pytest.param([[AT], [BELOW], [ABOVE]], id="one reviewer"),
    pytest.param([[AT, AT, AT], [AT, AT, AT]], id="everyone agrees on everything"),
    pytest.param([[None, None], [None, None]], id="all missing"),
    pytest.param([[MORE, MORE], [MORE, None]], id="only more_info"),
    pytest.param([[AT, MORE], [ABOVE, None], [BELOW, MORE]], id="never two values in one unit"),
    pytest.param([[AT, AT], [ABOVE, None]], id="the only variation is unpairable"),
    pytest.param([[], []], id="no reviewers"),
    pytest.param([], id="no indicators"),
])
def test_alpha_is_none_where_undefined(units):
    assert ordinal_alpha(units) is None


# ---- consolidation -------------------------------------------------------------------------

@dataclass(frozen=True)
class Ind:
    code: str
    pillar: Pillar
    dimension: Dimension


def ind(code):
    pillar, dimension, _ = code.split("-")
    return Ind(code, Pillar(pillar), Dimension(dimension))


def review(reviewer_id, **entries):
    """A review whose entries are given as GG_AMB_1=AT or GG_AMB_1=EntryInput(...)."""
    def entry(value):
        return value if isinstance(value, EntryInput) else EntryInput(performance=value)
    return ReviewInput(reviewer_id, f"Peer {reviewer_id}",
                       {code.replace("_", "-"): entry(v) for code, v in entries.items()})


def person(name, role="", organisation="", interpreter=False):
    return {"name": name, "role": role, "organisation": organisation, "interpreter": interpreter}


def one_indicator(*performances, self_rating=None):
    reviews = [review(i + 1, GG_AMB_1=p) for i, p in enumerate(performances)]
    return consolidate([ind("GG-AMB-1")], reviews, {"GG-AMB-1": self_rating}).indicators[0]


def test_counts_judgements_and_flags():
    c = one_indicator(AT, AT, None)
    assert c.counts == {BELOW: 0, AT: 2, ABOVE: 0, MORE: 0}
    assert c.judgements == {1: AT, 2: AT, 3: None}
    assert (c.disagree, c.more_info, c.flagged) == (False, False, False)

    c = one_indicator(AT, ABOVE, BELOW)
    assert c.counts == {BELOW: 1, AT: 1, ABOVE: 1, MORE: 0}
    assert (c.disagree, c.more_info, c.flagged) == (True, False, True)

    c = one_indicator(AT, MORE)
    assert c.counts == {BELOW: 0, AT: 1, ABOVE: 0, MORE: 1}
    assert (c.disagree, c.more_info, c.flagged) == (False, True, True)

    c = one_indicator(None, None)
    assert c.counts == dict.fromkeys(Performance, 0)
    assert (c.disagree, c.more_info, c.flagged) == (False, False, False)


def test_an_indicator_nobody_wrote_an_entry_for_is_not_judged():
    result = consolidate([ind("GG-AMB-1"), ind("GG-AMB-2")], [review(7, GG_AMB_1=AT), review(9)], {})
    second = result.indicators[1]
    assert second.judgements == {7: None, 9: None} and second.counts == dict.fromkeys(Performance, 0)
    assert result.indicators[0].self_rating is None and result.reviewers == {7: "Peer 7", 9: "Peer 9"}


@pytest.mark.parametrize("performances,majority", [
    ((AT, AT, ABOVE), AT),
    ((AT,), AT),
    ((AT, ABOVE), None),
    ((AT, ABOVE, ABOVE, AT, BELOW), None),
    ((BELOW, BELOW, ABOVE, ABOVE, AT, ABOVE), ABOVE),
    ((MORE, MORE, AT), AT),  # more_info is no vote
    ((MORE, None), None),
    ((), None),
])
def test_majority_is_the_strictly_most_frequent_judgement(performances, majority):
    assert one_indicator(*performances).majority == majority


@pytest.mark.parametrize("self_rating,performances,expected", [
    (SelfRating.ABOVE, (AT, AT, BELOW), "higher"),
    (SelfRating.BELOW, (AT, AT), "lower"),
    (SelfRating.AT, (AT, MORE), "same"),
    (SelfRating.ABOVE, (BELOW,), "higher"),
    (None, (AT, AT), None),
    (SelfRating.AT, (AT, ABOVE), None),  # a tie: no majority
    (SelfRating.AT, (MORE,), None),
])
def test_host_against_the_peers_majority(self_rating, performances, expected):
    c = one_indicator(*performances, self_rating=self_rating)
    assert c.self_rating == self_rating and c.host_vs_peers == expected


def test_one_person_however_their_name_is_written():
    reviews = [
        review(1, GG_AMB_1=EntryInput(AT, people_to_meet=[person("Hélène  Marchetti")])),
        review(2, GG_AMB_1=EntryInput(AT, people_to_meet=[person("helene marchetti", "Director", "City hall")]),
               GG_LEA_1=EntryInput(AT, people_to_meet=[person("HELENE MARCHETTI", "Head", "Region", True),
                                                       person("Omar Haddad")])),
        review(3, GG_LEA_1=EntryInput(ABOVE, people_to_meet=[person("Hélène Marchetti", interpreter=False),
                                                             person("  "), person("omar  haddad", "Mediator")])),
    ]
    result = consolidate([ind("GG-AMB-1"), ind("GG-LEA-1")], reviews, {})
    first, second = result.indicators

    [helene] = first.people
    assert (helene.name, helene.role, helene.organisation) == ("Hélène  Marchetti", "Director", "City hall")
    assert helene.interpreter is False and helene.asked_by == (1, 2)
    helene, omar = second.people
    assert (helene.name, helene.role, helene.interpreter, helene.asked_by) == ("HELENE MARCHETTI", "Head", True, (2, 3))
    assert (omar.name, omar.role, omar.asked_by) == ("Omar Haddad", "Mediator", (2, 3))

    helene, omar = result.people_index
    assert helene.name == "Hélène  Marchetti" and (helene.role, helene.organisation) == ("Director", "City hall")
    assert helene.interpreter is True
    assert helene.indicators == ("GG-AMB-1", "GG-LEA-1") and helene.asked_by == (1, 2, 3)
    assert omar.indicators == ("GG-LEA-1",) and omar.asked_by == (2, 3) and omar.interpreter is False


@pytest.mark.parametrize("a,b", [
    ("Who chairs the committee?", "who chairs  the COMMITTEE ?"),
    ("Who chairs the committee?", "Who chairs the committee\u00a0?"),  # French no-break space
    ("Qui préside le comité ?", "qui preside le comite\u202f?"),  # narrow no-break space
    ("Le « plan » : qui ?", "le «plan»: qui?"),
    ("Budget, 2025.", "budget , 2025 ."),
])
def test_questions_are_one_but_for_case_accents_and_spacing_around_punctuation(a, b):
    assert question_key(a) == question_key(b)


@pytest.mark.parametrize("a,b", [
    ("Who chairs the committee?", "Who chairs the committee"),
    ("Who chairs the committee?", "Who chairs the committees?"),
])
def test_questions_differing_in_words_or_punctuation_stay_two(a, b):
    assert question_key(a) != question_key(b)


def test_questions_merged_in_order_of_first_asking():
    reviews = [
        review(4, GG_AMB_1=EntryInput(AT, questions=["Who chairs the committee?", "What budget?",
                                                     "who chairs the committee ?"])),
        review(2, GG_AMB_1=EntryInput(AT, questions=["  ", "Who chairs the committee\u00a0?",
                                                     "Who chairs the committee"])),
        review(5, GG_AMB_1=EntryInput(AT, questions=["WHO CHAIRS  THE COMMITTEE?"])),
    ]
    [c] = consolidate([ind("GG-AMB-1")], reviews, {}).indicators
    assert [(q.text, q.asked_by) for q in c.questions] == [
        ("Who chairs the committee?", (4, 2, 5)),
        ("What budget?", (4,)),
        ("Who chairs the committee", (2,)),
    ]


def small_team():
    indicators = [ind("GG-AMB-1"), ind("GG-AMB-2"), ind("IE-LEA-1"), ind("IE-LEA-2"), ind("AC-RES-1")]
    reviews = [
        review(1, GG_AMB_1=AT, GG_AMB_2=AT, IE_LEA_1=BELOW, IE_LEA_2=ABOVE, AC_RES_1=AT),
        review(2, GG_AMB_1=AT, GG_AMB_2=ABOVE, IE_LEA_1=BELOW, IE_LEA_2=MORE, AC_RES_1=AT),
        review(3, GG_AMB_1=AT, GG_AMB_2=AT, IE_LEA_1=BELOW,
               IE_LEA_2=EntryInput(ABOVE, questions=["Since when?"],
                                   people_to_meet=[person("Ana Lima", "Officer", "Welcome desk", True)])),
    ]
    return indicators, reviews


def test_alpha_over_all_indicators_and_by_pillar():
    indicators, reviews = small_team()
    result = consolidate(indicators, reviews, {})
    units = {i.code: [r.entries[i.code].performance if i.code in r.entries else None for r in reviews]
             for i in indicators}
    assert result.alpha == pytest.approx(reference_ordinal_alpha(ranks_of(units.values())))
    assert list(result.alpha_by_pillar) == list(Pillar)
    assert result.alpha_by_pillar[Pillar.GG] == pytest.approx(
        reference_ordinal_alpha(ranks_of([units["GG-AMB-1"], units["GG-AMB-2"]])))
    assert result.alpha_by_pillar[Pillar.IE] == pytest.approx(1.0)
    assert result.alpha_by_pillar[Pillar.AC] is None  # everyone agrees
    assert result.alpha_by_pillar[Pillar.WP] is None  # no indicator


def test_attention_first_puts_the_flagged_first_each_group_in_the_sets_order():
    indicators, reviews = small_team()
    result = consolidate(indicators, reviews, {})
    assert [i.code for i in result.indicators] == ["GG-AMB-1", "GG-AMB-2", "IE-LEA-1", "IE-LEA-2", "AC-RES-1"]
    assert [i.code for i in result.attention_first()] == ["GG-AMB-2", "IE-LEA-2", "GG-AMB-1", "IE-LEA-1", "AC-RES-1"]


def test_contract_dict_is_exactly_the_contracts_shape():
    indicators, reviews = small_team()
    result = consolidate(indicators[2:4], reviews, {"IE-LEA-2": SelfRating.AT})
    contract = result.contract_dict()
    assert contract == {
        "alpha": 1.0,
        "alpha_by_pillar": {"GG": None, "IE": 1.0, "AC": None, "WP": None},
        "indicators": [
            {"code": "IE-LEA-1", "counts": {"below": 3, "at": 0, "above": 0, "more_info": 0},
             "flagged": False, "questions": [], "people_to_meet": []},
            {"code": "IE-LEA-2", "counts": {"below": 0, "at": 0, "above": 2, "more_info": 1},
             "flagged": True, "questions": ["Since when?"],
             "people_to_meet": [{"name": "Ana Lima", "role": "Officer", "organisation": "Welcome desk",
                                 "interpreter": True}]},
        ],
    }
    # Plain JSON values: the keys are str, not enumerations, and it survives a round trip.
    assert all(type(k) is str for k in contract["alpha_by_pillar"])
    assert all(type(k) is str for i in contract["indicators"] for k in i["counts"])
    assert json.loads(json.dumps(contract)) == contract


def test_a_reviewer_counted_twice_is_refused():
    with pytest.raises(ValueError, match="once"):
        consolidate([ind("GG-AMB-1")], [review(1, GG_AMB_1=AT), review(1, GG_AMB_1=ABOVE)], {})


def test_entries_outside_the_set_are_left_out():
    result = consolidate([ind("GG-AMB-1")], [review(1, GG_AMB_1=AT, XX_AMB_9=ABOVE)], {"XX-AMB-9": SelfRating.AT})
    assert [i.code for i in result.indicators] == ["GG-AMB-1"]


def test_eight_reviewers_on_the_real_set_of_73_indicators():
    indicator_set = load_indicator_set(ROOT / "indicators.yaml")
    rng = random.Random(73)
    codes = [i.code for i in indicator_set.indicators]
    reviews = [
        ReviewInput(r, f"Peer {r}", {
            code: EntryInput(
                performance=rng.choice([BELOW, AT, AT, ABOVE, ABOVE, MORE, None]),
                questions=[f"Question {rng.randint(1, 5)} on {code}?"],
                people_to_meet=[person(rng.choice(["Ana Lima", "ANA LIMA", "Jon Berg"]), interpreter=r == 3)],
            )
            for code in codes
        })
        for r in range(1, 9)
    ]
    ratings = {code: rng.choice([*SelfRating, None]) for code in codes}
    result = consolidate(indicator_set.indicators, reviews, ratings)

    assert isinstance(result, Consolidation) and len(result.indicators) == 73
    assert [i.code for i in result.indicators] == codes
    units = [[r.entries[code].performance for r in reviews] for code in codes]
    assert result.alpha == pytest.approx(reference_ordinal_alpha(ranks_of(units)))
    for pillar in Pillar:
        pillar_units = [u for u, i in zip(units, indicator_set.indicators, strict=True) if i.pillar == pillar]
        assert result.alpha_by_pillar[pillar] == pytest.approx(reference_ordinal_alpha(ranks_of(pillar_units)))
    for c in result.indicators:
        assert sum(c.counts.values()) == sum(p is not None for p in c.judgements.values())
        assert len(c.judgements) == 8 and c.self_rating == ratings[c.code]
    wanted = {}  # folded name -> (codes, askers), written out independently
    for code in codes:
        for r in reviews:
            name = r.entries[code].people_to_meet[0]["name"].lower()
            codes_of, askers = wanted.setdefault(name, ([], set()))
            if code not in codes_of:
                codes_of.append(code)
            askers.add(r.reviewer_id)
    assert {p.name.lower(): (list(p.indicators), set(p.asked_by)) for p in result.people_index} == wanted
    assert all(p.interpreter == (3 in p.asked_by) for p in result.people_index)
    assert sum(len(c.people) for c in result.indicators) == sum(len(p.indicators) for p in result.people_index)
    assert len(result.contract_dict()["indicators"]) == 73

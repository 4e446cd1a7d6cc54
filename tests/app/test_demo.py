"""The demo network loads once, in the language asked, as its people would have made it:
Velmar in its self-assessment, Aldergem in its preparatory review with its report and the
team's five reviews submitted, the seed's row under GG-IMP-3, real disagreements."""
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

from benchmark.scales import CycleRole, Phase

from app.audit.tables import AuditEntry
from app.cycles.tables import Cycle, CycleMember
from app.demo import DemoDataError, load_demo
from app.demo.files import read_demo
from app.indicators.service import current_version, get_set
from app.people.names import folded
from app.people.tables import City, User
from app.reviews.service import load_reviews, reviewers_of, team_consolidation
from app.reviews.tables import ReviewEntry
from app.self_assessment.service import load_report
from app.self_assessment.tables import SelfAssessmentEntry
from support import rights_of

DEMO = Path(__file__).resolve().parents[2] / "reviews" / "demo" / "cycle.yaml"
JULIEN = "julien.moreau@velmar.example"


def _cycle(session, city: str) -> Cycle:
    return session.exec(select(Cycle).where(col(Cycle.title).startswith(f"{city} "))).one()


def _reviews(session, cycle):
    return {r.reviewer.email: r for r in load_reviews(session, cycle, reviewers_of(session, cycle))}


def test_the_demo_loads_once_with_both_cycles(session):
    loaded = load_demo(session, DEMO)
    assert [t.split(" — ")[0] for t in loaded] == ["Velmar 2027", "Aldergem 2026"]
    counts = {t.__tablename__: session.exec(select(func.count()).select_from(t)).one()
              for t in (Cycle, CycleMember, City, User, SelfAssessmentEntry, ReviewEntry, AuditEntry)}
    assert load_demo(session, DEMO) == []
    assert load_demo(session, DEMO, language="en") == []  # the same cycles, whatever the language of their title
    assert counts == {t.__tablename__: session.exec(select(func.count()).select_from(t)).one()
                      for t in (Cycle, CycleMember, City, User, SelfAssessmentEntry, ReviewEntry, AuditEntry)}
    assert counts["cycle"] == 2 and counts["city"] == 5 and counts["review_entry"] == 5 * 73


def test_a_database_with_an_earlier_demo_gets_the_new_cycle_only(session, tmp_path):
    earlier = tmp_path / "demo"
    shutil.copytree(DEMO.parent, earlier)
    network = earlier / "cycle.yaml"
    text = network.read_text(encoding="utf-8")
    text = text[:text.index("  # Aldergem's cycle")] + text[text.index("cycles:"):]  # the demo before Aldergem
    network.write_text(text[:text.index("  - title:\n      fr: \"Aldergem")], encoding="utf-8")
    assert [t.split(" — ")[0] for t in load_demo(session, network, language="en")] == ["Velmar 2027"]
    people = session.exec(select(func.count()).select_from(User)).one()
    assert [t.split(" — ")[0] for t in load_demo(session, DEMO)] == ["Aldergem 2026"]
    assert session.exec(select(func.count()).select_from(User)).one() == people + 6  # Velmar's people reused


def test_velmar_stays_in_its_self_assessment_with_a_complete_draft(session):
    load_demo(session, DEMO)
    cycle = _cycle(session, "Velmar")
    assert cycle.phase == Phase.SELF_ASSESSMENT
    roles = sorted(m.role for m in session.exec(select(CycleMember).where(CycleMember.cycle_id == cycle.id)))
    assert roles == ["host_officer", "peer", "peer", "team_leader"]
    report = load_report(session, cycle)
    assert report.missing() == [] and report.status == "draft"
    committee = report.entries["GG-IMP-3"]
    assert "15 membres" in committee.description and "4 fois par an" in committee.description
    assert all(e.evidence and e.responsible for e in report.entries.values())


def test_aldergem_is_in_its_preparatory_review_with_everything_submitted(session):
    load_demo(session, DEMO)
    cycle = _cycle(session, "Aldergem")
    assert cycle.phase == Phase.PREPARATORY_REVIEW
    report = load_report(session, cycle)
    assert report.status == "submitted" and report.missing() == [] and len(report.entries) == 73
    host = session.get(City, cycle.host_city_id)
    team = reviewers_of(session, cycle)
    assert [role for _, role in team] == [CycleRole.TEAM_LEADER] + [CycleRole.PEER] * 4
    assert all(user.city_id != host.id for user, _ in team)
    countries = {session.get(City, user.city_id).country for user, _ in team}
    assert host.country not in countries and len(countries) >= 3
    reviews = load_reviews(session, cycle, team)
    assert [(r.status, r.judged) for r in reviews] == [("submitted", 73)] * 5
    # Made by their people through the services: the audit log says who wrote what.
    officer = next(u for u in session.exec(select(User).where(User.email == "officer@aldergem.example")))
    actors = Counter(a.actor_id for a in session.exec(select(AuditEntry).where(
        col(AuditEntry.entity).in_(["self_assessment_entry", "review_entry"]))))
    assert actors[officer.id] == 73
    assert all(actors[user.id] == 73 for user, _ in team)
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "phase", AuditEntry.entity_id == str(cycle.id))
                        ).one().after["phase"] == "preparatory_review"


def test_gg_imp_3_holds_the_seeds_row(session):
    load_demo(session, DEMO)
    row = _reviews(session, _cycle(session, "Aldergem"))[JULIEN].entries["GG-IMP-3"]
    assert row.performance == "more_info"  # the seed's cell is empty; its "we do not know" line says why
    assert row.known == "Nous savons que la ville a un comité consultatif permanent de 15 membres, qui se réunit " \
                        "4 fois par an."
    assert row.unknown == "Nous ne savons pas quel est le niveau de représentativité ou de qualification de ses membres."
    assert row.suspected == "Nous soupçonnons que la municipalité ne tire pas entièrement parti des avis du comité."
    assert row.questions == [
        "Origine des membres du comité. Comment ont-ils été nommés\u00a0?",
        "Le comité est-il pris au sérieux\u00a0? Avec quelle fréquence le comité est-il consulté par la municipalité\u00a0?",
        "Quelles recommandations récentes ont été faites\u00a0? Quel suivi le comité leur a-t-il réservé\u00a0?",
    ]
    assert row.people_to_meet == [{"name": "Président du comité", "role": "", "organisation": "",
                                   "interpreter": False}]
    # The host's report says what the row's first line knows.
    committee = load_report(session, _cycle(session, "Aldergem")).entries["GG-IMP-3"]
    assert "15 membres" in committee.description and "4 fois par an" in committee.description


def test_the_seeds_row_in_english(session):
    load_demo(session, DEMO, language="en")
    row = _reviews(session, _cycle(session, "Aldergem"))[JULIEN].entries["GG-IMP-3"]
    assert row.known == "We know that the city has a standing consultative committee of 15 members, which meets " \
                        "4 times a year."
    assert row.questions[1] == "Is the committee taken seriously? How often is the committee consulted by the " \
                               "municipality?"
    assert row.people_to_meet[0]["name"] == "Chair of the committee"


def test_the_reviews_disagree_where_they_should(session):
    """A handful of indicators split the team, some need more information, the host rates
    itself above the peers' majority on some and below on a few; most are judged alike."""
    load_demo(session, DEMO)
    cycle = _cycle(session, "Aldergem")
    reviews = list(_reviews(session, cycle).values())
    report = load_report(session, cycle)
    order = {"below": 0, "at": 1, "above": 2}
    split, more_info, unanimous, host_higher, host_lower = [], [], [], [], []
    for code in report.entries:
        judged = [r.entries[code].performance for r in reviews]
        rated = Counter(p for p in judged if p != "more_info")
        if len(rated) > 1:
            split.append(code)
        if "more_info" in judged:
            more_info.append(code)
        if len(set(judged)) == 1:
            unanimous.append(code)
        (top, n), *rest = rated.most_common()
        if not rest or n > rest[0][1]:
            host = order[report.entries[code].self_rating]
            (host_higher if host > order[top] else host_lower if host < order[top] else []).append(code)
    assert {"GG-IMP-3", "AC-AMB-3", "GG-LEA-2", "IE-IMP-3", "WP-EVA-2"} <= set(split)
    assert {"below", "at", "above"} <= {r.entries["GG-IMP-3"].performance for r in reviews}
    assert 8 <= len(split) <= 25 and 3 <= len(more_info) <= 20 and len(unanimous) >= 40
    assert {"AC-IMP-1", "AC-IMP-2", "IE-EVA-2"} <= set(more_info)
    assert {"GG-AMB-3", "GG-IMP-3"} <= set(host_higher) and set(host_lower) == {"GG-EVA-6", "WP-RES-4"}
    # Where they split most, each of them says why.
    for code in ("GG-IMP-3", "GG-LEA-2", "GG-RES-1"):
        assert all(r.entries[code].known or r.entries[code].unknown or r.entries[code].suspected for r in reviews)


def test_the_same_person_and_question_are_written_differently_by_two_peers(session):
    """What the consolidation merges: names and questions alike but for case and accents."""
    load_demo(session, DEMO)
    people: dict[str, set[tuple[str, str]]] = {}
    questions: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for email, review in _reviews(session, _cycle(session, "Aldergem")).items():
        for code, entry in review.entries.items():
            for person in entry.people_to_meet:
                people.setdefault(folded(person["name"]), set()).add((person["name"], email))
            for question in entry.questions:
                questions.setdefault((code, folded(question)), set()).add((question, email))

    def written_differently_by_two(found):
        return [k for k, seen in found.items()
                if len({text for text, _ in seen}) > 1 and len({who for _, who in seen}) > 1]

    assert {"youssef el amrani", "zeynep celik", "frederic lambert", "ayse demir", "jan van acker"} <= set(
        written_differently_by_two(people))
    assert {("Youssef El Amrani", "mette.sorensen@nordhaven.example"),
            ("Youssef el Amrani", "elena.conti@castelverde.example")} <= people["youssef el amrani"]
    assert ("GG-IMP-3", "comment les membres du conseil consultatif sont-ils nommes ?") in written_differently_by_two(
        questions)


def test_the_team_leader_sees_the_consolidation_at_once(session):
    """Five signed reviews pooled: what to discuss first, the host against the peers, and
    the people and questions that two peers wrote differently, each merged into one."""
    load_demo(session, DEMO)
    cycle = _cycle(session, "Aldergem")
    leader = session.exec(select(User).where(User.email == "mette.sorensen@nordhaven.example")).one()
    team = team_consolidation(session, rights_of(session, leader, cycle), cycle)
    result = team.consolidation
    assert team.pending == [] and list(result.reviewers.values())[0] == "Mette Sørensen" and len(result.reviewers) == 5
    by_code = {i.code: i for i in result.indicators}
    assert by_code["GG-IMP-3"].flagged and by_code["GG-IMP-3"].host_vs_peers == "higher"
    assert by_code["GG-EVA-6"].host_vs_peers == "lower" and not by_code["GG-AMB-1"].flagged
    assert result.attention_first()[0].code == "GG-AMB-2" and 0.5 < (result.alpha or 0) < 0.95
    for name, indicators in (("youssef el amrani", {"GG-IMP-3", "IE-IMP-1"}), ("zeynep celik", {"WP-IMP-5"}),
                             ("frederic lambert", {"IE-IMP-2", "IE-IMP-3"}), ("ayse demir", {"GG-IMP-4"}),
                             ("jan van acker", {"GG-LEA-2"})):
        (person,) = [p for p in result.people_index if folded(p.name) == name]
        assert indicators <= set(person.indicators) and len(person.asked_by) >= 2, name
    (asked,) = [q for q in by_code["GG-IMP-3"].questions if folded(q.text).startswith("comment les membres du conseil")]
    assert len(asked.asked_by) == 2


@pytest.mark.parametrize("lang, other", [("fr", "en"), ("en", "fr")])
def test_only_the_language_asked_is_loaded(session, lang, other):
    load_demo(session, DEMO, language=lang)
    demo = read_demo(DEMO, [i.code for i in get_set(session, current_version(session)).indicators])
    wanted, unwanted = _texts(demo, lang), _texts(demo, other)
    loaded = _loaded_texts(session)
    assert loaded <= wanted and not loaded & (unwanted - wanted)
    aldergem = _cycle(session, "Aldergem")
    mette = _reviews(session, aldergem)["mette.sorensen@nordhaven.example"].entries["GG-LEA-2"]
    officer_entry = load_report(session, aldergem).entries["GG-IMP-3"]
    spot = {
        "fr": ("revue par les pairs", "Le premier groupe d'opposition", "Le Conseil consultatif Vivre ensemble"),
        "en": ("peer review of", "The largest opposition group", "The Living Together Advisory Council"),
    }
    for expected, text in zip(spot[lang], (aldergem.title, mette.suspected, officer_entry.description), strict=True):
        assert text.startswith(expected) or expected in text
    for unexpected, text in zip(spot[other], (aldergem.title, mette.suspected, officer_entry.description),
                                strict=True):
        assert unexpected not in text


def _texts(demo, lang: str) -> set[str]:
    """Every text of the demo's files as loaded in ``lang``."""
    found = {c.spec.title.get(lang) for c in demo.cycles}
    for cycle in demo.cycles:
        for entry in cycle.report.get(lang, {}).values():
            found |= {entry.description, *(e.title for e in entry.evidence),
                      *(t for r in entry.responsible for t in (r.name, r.role, r.department))}
        for by_lang in cycle.reviews.values():
            for item in by_lang[lang].values():
                found |= {item.hypothesis.known, item.hypothesis.unknown, item.hypothesis.suspected, *item.questions,
                          *(t for p in item.people_to_meet for t in (p.name, p.role, p.organisation))}
    return found - {""}


def _loaded_texts(session) -> set[str]:
    found = set(session.exec(select(Cycle.title)))
    for entry in session.exec(select(SelfAssessmentEntry)):
        found |= {entry.description, *(e["title"] for e in entry.evidence),
                  *(t for r in entry.responsible for t in (r["name"], r["role"], r["department"]))}
    for item in session.exec(select(ReviewEntry)):
        found |= {item.known, item.unknown, item.suspected, *item.questions,
                  *(t for p in item.people_to_meet for t in (p["name"], p["role"], p["organisation"]))}
    return found - {""}


def test_a_wrong_file_is_refused_with_its_place_and_nothing_is_written(session, tmp_path):
    demo = tmp_path / "demo"
    shutil.copytree(DEMO.parent, demo)
    reviews = demo / "aldergem" / "reviews.yaml"
    text = reviews.read_text(encoding="utf-8")
    text = text.replace("performance: {mette: at, anders: at, julien: at, elena: at, katrin: at}",
                        "performance: {mette: at, anders: at, julien: at, elena: at}", 1)
    text = text.replace('en: "Who decides which department carries which action?"', 'de: "Wer entscheidet?"', 1)
    reviews.write_text(text, encoding="utf-8")
    with pytest.raises(DemoDataError) as refused:
        load_demo(session, demo / "cycle.yaml")
    problems = [str(p) for p in refused.value.problems]
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "de: \"Wer entscheidet?\"" in t)
    assert problems == [
        f"{reviews}:{line}: indicators[1].notes.katrin.questions[0].en: Field required",
        f"{reviews}:{line}: indicators[1].notes.katrin.questions[0].de: Extra inputs are not permitted",
    ]
    reviews.write_text(text.replace('de: "Wer entscheidet?"', 'en: "Who decides?"'), encoding="utf-8")
    with pytest.raises(DemoDataError) as refused:
        load_demo(session, demo / "cycle.yaml")
    (problem,) = refused.value.problems
    assert problem.file == str(reviews) and lines[problem.line - 2].strip() == "- code: GG-AMB-1"
    assert problem.message == "indicators[0] (GG-AMB-1).performance: none for 'katrin' (every indicator is judged)"
    assert all(session.exec(select(func.count()).select_from(t)).one() == 0
               for t in SQLModel.metadata.sorted_tables if t.name in ("cycle", "user", "city", "review_entry"))

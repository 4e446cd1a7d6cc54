"""The library in the database: loaded by key at start-up, read for the report in one
query, added to and edited by coordinators."""
from dataclasses import replace

import pytest
from sqlmodel import col, select

from benchmark.indicators import LocalizedText
from benchmark.practices import Theme

from app.audit.tables import AuditEntry
from app.errors import Forbidden, InvalidInput, PreconditionFailed
from app.practices import service
from app.practices.schemas import PracticeCreate, PracticeUpdate
from app.practices.tables import GoodPractice
from support import make_user, statements

NEW = dict(city="Velmar", country="FR", theme="partners", title_fr="Un pacte avec les associations",
           title_en="A pact with associations", summary_fr="La ville signe un pacte.", summary_en="The city signs a pact.",
           source="Velmar city council, 2026", indicator_codes=["WP-AMB-1", "wp-imp-7"])


def by_key(session, key: str) -> GoodPractice:
    return session.exec(select(GoodPractice).where(GoodPractice.key == key)).one()


def coordinator(session):
    return make_user(session, "coord@example.org", "Claire Coordinator", None, coordinator=True)


def test_the_library_is_stored_once_by_key_and_left_alone_when_unchanged(session, library):
    first = service.sync_library(session, library)
    stored = session.exec(select(GoodPractice)).all()
    assert len(stored) == len(library) == first.added + first.unchanged
    again = service.sync_library(session, library)
    assert (again.added, again.refreshed, again.unchanged) == (0, 0, len(library))
    lisbon = by_key(session, "lisboa-one-stop-shop")
    assert (lisbon.city, lisbon.country, lisbon.theme, lisbon.origin, lisbon.version) == (
        "Lisboa", "PT", "cross-department", "library", 1)
    assert "750" in lisbon.figures_en and lisbon.indicator_codes[:2] == ["GG-IMP-4", "IE-IMP-2"]
    action = by_key(session, "action-welcome-ambassadors")
    assert action.city == "" and action.country is None and action.figures_fr is None


def test_a_changed_entry_of_the_file_is_refreshed_and_only_it(session, loaded):
    changed = [replace(p, summary=LocalizedText(fr="Nouveau résumé.", en="New summary.")) if p.key == "lyon-social-clauses"
               else p for p in loaded]
    result = service.sync_library(session, changed)
    assert (result.added, result.refreshed) == (0, 1)
    lyon = by_key(session, "lyon-social-clauses")
    assert (lyon.summary_en, lyon.version) == ("New summary.", 2)
    assert by_key(session, "lisboa-one-stop-shop").version == 1
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "good_practice",
                                                  AuditEntry.entity_id == str(lyon.id))).all()
    assert audit[-1].action == "load" and audit[-1].before["summary_en"].startswith("Lyon uses a provision")


def test_a_coordinators_edit_stays_until_the_files_entry_changes(session, loaded):
    actor = coordinator(session)
    lyon = by_key(session, "lyon-social-clauses")
    service.update_practice(session, actor, lyon.id, PracticeUpdate(title_en="Social clauses, Lyon's way"), 1)
    session.commit()
    assert service.sync_library(session, loaded).refreshed == 0  # a restart: the file did not change
    assert by_key(session, "lyon-social-clauses").title_en == "Social clauses, Lyon's way"
    changed = [replace(p, source="EUROCITIES / MPG, INTI-CITIES (2009), Section C — Lyon")
               if p.key == "lyon-social-clauses" else p for p in loaded]
    assert service.sync_library(session, changed).refreshed == 1  # the file's entry changed: it wins
    lyon = by_key(session, "lyon-social-clauses")
    assert lyon.title_en == "Social clauses in public contracts" and lyon.source.endswith("(2009), Section C — Lyon")


def test_practices_for_indicators_in_one_query_by_city_then_title(session, engine, loaded):
    with statements(engine) as seen:
        found = service.practices_for_indicators(session, ["GG-RES-3", "AC-EVA-1", "GG-RES-3"])
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
    assert list(found) == ["GG-RES-3", "AC-EVA-1"]
    assert [p.key for p in found["GG-RES-3"]] == [
        "dusseldorf-transport-cultural-guides", "helsinki-multi-actor-training", "action-frontline-staff-training"]
    assert found["AC-EVA-1"] == []  # no practice of the sources speaks to it
    assert service.practices_for_indicators(session, []) == {}


def test_get_practices_keeps_the_order_given_and_skips_unknown_ids(session, loaded):
    lisbon, lyon = by_key(session, "lisboa-one-stop-shop"), by_key(session, "lyon-social-clauses")
    got = service.get_practices(session, [lyon.id, 999_999, lisbon.id, lyon.id])
    assert [p.key for p in got] == ["lyon-social-clauses", "lisboa-one-stop-shop"]
    assert service.get_practices(session, []) == []


def test_views_in_each_language(session, loaded):
    lisbon = by_key(session, "lisboa-one-stop-shop")
    assert service.practice_title(lisbon, "fr") == "Le guichet unique de Lisbonne"
    assert service.practice_title(lisbon, "en") == "Lisbon's One Stop Shop"
    assert service.practice_summary(lisbon, "fr").startswith("Le «\u00a0One Stop Shop\u00a0» de Lisbonne")
    assert service.practice_figures(lisbon, "en").startswith("More than 30 services")
    assert service.theme_name("needs", "fr") == "Évaluation des besoins et collecte des données"


def test_filters_by_theme_pillar_indicator_and_words(session, loaded):
    everything = service.list_practices(session)
    assert [p.theme for p in everything[:2]] == ["needs", "needs"]  # Section C's order
    assert {p.city for p in service.filter_practices(everything, query="dusseldorf jeunes")} == {"Düsseldorf"}
    partners = service.filter_practices(everything, theme="partners", pillar="IE")
    assert {p.key for p in partners} == {"thessaloniki-civil-society-partnerships", "gdansk-civil-society-partnerships",
                                         "milano-civil-society-partnerships"}
    assert [p.key for p in service.filter_practices(everything, indicator="GG-RES-4")] == ["lyon-social-clauses"]


def test_a_coordinator_adds_a_practice_with_a_key_of_its_own(session, loaded):
    actor = coordinator(session)
    first = service.create_practice(session, actor, PracticeCreate(**NEW))
    second = service.create_practice(session, actor, PracticeCreate(**NEW))
    session.commit()
    assert (first.key, second.key) == ("network-a-pact-with-associations", "network-a-pact-with-associations-2")
    assert (first.origin, first.indicator_codes, first.updated_by) == ("network", ["WP-AMB-1", "WP-IMP-7"], actor.id)
    assert Theme(first.theme) == Theme.PARTNERS


def test_what_the_schema_cannot_say_is_refused_naming_each_field(session, loaded):
    actor = coordinator(session)
    with pytest.raises(InvalidInput) as caught:
        service.create_practice(session, actor, PracticeCreate(**{
            **NEW, "country": "XX", "indicator_codes": ["WP-AMB-1", "GG-AMB-9", "WP-AMB-1"],
            "figures_fr": "Deux\u00a0%"}))
    errors = {tuple(e["loc"]): e["msg"] % e["params"] for e in caught.value.extra["errors"]}
    assert errors == {
        ("indicator_codes", 1): "GG-AMB-9 is not an indicator of the benchmark.",
        ("indicator_codes", 2): "WP-AMB-1 is given twice.",
        ("country",): "XX is no country code (ISO 3166-1, such as PT for Portugal).",
        ("figures_en",): "Give the figures in both languages, or in neither."}
    with pytest.raises(InvalidInput) as caught:
        service.create_practice(session, actor, PracticeCreate(**{**NEW, "country": None}))
    assert caught.value.extra["errors"][0]["loc"] == ["country"]


def test_only_a_coordinator_adds_or_edits(session, loaded):
    peer = make_user(session, "peer@example.org", "Giulia Peer", None)
    with pytest.raises(Forbidden):
        service.create_practice(session, peer, PracticeCreate(**NEW))
    with pytest.raises(Forbidden):
        service.update_practice(session, peer, by_key(session, "lyon-social-clauses").id,
                                PracticeUpdate(title_en="x"), None)


def test_a_stale_edit_is_refused_and_changes_nothing(session, loaded):
    actor = coordinator(session)
    lyon = by_key(session, "lyon-social-clauses")
    with pytest.raises(PreconditionFailed):
        service.update_practice(session, actor, lyon.id, PracticeUpdate(title_en="Late"), 7)
    session.rollback()
    assert by_key(session, "lyon-social-clauses").title_en == "Social clauses in public contracts"


def test_an_edit_may_clear_the_country_with_the_city_and_the_figures(session, loaded):
    actor = coordinator(session)
    lisbon = by_key(session, "lisboa-one-stop-shop")
    done = service.update_practice(session, actor, lisbon.id, PracticeUpdate.model_validate(
        {"city": "", "country": None, "figures_fr": None, "figures_en": None}), 1)
    assert (done.city, done.country, done.figures_en, done.version) == ("", None, None, 2)
    with pytest.raises(InvalidInput) as caught:
        service.update_practice(session, actor, lisbon.id, PracticeUpdate(city="Porto"), 2)
    assert caught.value.extra["errors"][0]["loc"] == ["country"]

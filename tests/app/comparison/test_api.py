"""GET /api/v1/benchmark (api-contract.md, "Benchmarking"): shares per pillar-dimension of
published cycles only, ``more_info`` out of the denominator, the network's median, the
filters, and refusals that name what is wrong and never show an unpublished cycle."""
from sqlmodel import select
from support import publish_report, rights_of

from app.comparison.tables import PublishedCycle, PublishedResult
from app.indicators.service import get_set
from app.reports import sharing

URL = "/api/v1/benchmark"


def _gg_amb_count(session, world):
    return sum(1 for i in get_set(session, world.cycle.indicator_set_version).indicators
               if i.pillar.value == "GG" and i.dimension.value == "AMB")


def test_published_cycles_compared_per_pillar_dimension(client, session, world, network):
    r = client.get(URL, params={"cycle_ids": f"{network.velmar.id},{network.lumen.id}"},
                   headers=world.auth("host_officer"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["indicator_set_version"] == world.cycle.indicator_set_version
    lumen, velmar = body["cycles"]  # by city name
    assert (velmar["cycle_id"], velmar["city"], lumen["city"]) == (network.velmar.id, "Velmar", "Lumen")
    assert len(velmar["scores"]) == 20 and list(velmar["scores"])[:2] == ["GG-AMB", "GG-LEA"]
    n = _gg_amb_count(session, world)
    # one "below", one "more_info" (out of the denominator), the rest "at"
    assert velmar["scores"]["GG-AMB"] == (n - 2) / (n - 1)
    assert velmar["scores"]["IE-IMP"] == 1.0 and lumen["scores"]["GG-AMB"] == 0.0
    assert body["network"]["IE-IMP"] == {"n": 2, "median": 0.5, "q1": 0.25, "q3": 0.75, "low": 0.0, "high": 1.0}
    assert "peer judgements, not measurements" in body["caveat"]
    french = client.get(URL, params={"cycle_ids": str(network.lumen.id)},
                        headers={**world.auth("peer"), "Accept-Language": "fr"}).json()
    assert "jugements de pairs, pas des mesures" in french["caveat"]


def test_an_unpublished_or_unknown_cycle_is_refused_by_its_id_and_never_shown(client, world, network):
    for ids in (f"{network.velmar.id},{network.draft.id}", f"{network.velmar.id},999999"):
        r = client.get(URL, params={"cycle_ids": ids}, headers=world.auth("coordinator"))
        assert r.status_code == 422, r.text
        error = r.json()["errors"][0]
        assert error["loc"] == ["query", "cycle_ids"] and ids.split(",")[1] in error["msg"]
        assert "Velmar" not in r.text and "Hiddenburg" not in r.text
    r = client.get(URL, params={"cycle_ids": "1,two"}, headers=world.auth("coordinator"))
    assert r.status_code == 422 and "whole numbers" in r.json()["errors"][0]["msg"]
    r = client.get(URL, params={"cycle_ids": ",".join(map(str, range(1, 1002)))}, headers=world.auth("coordinator"))
    assert r.status_code == 422 and "at most 1000" in r.json()["errors"][0]["msg"]
    assert client.get(URL, params={"cycle_ids": str(network.velmar.id)}).status_code == 401


def test_without_ids_every_published_cycle_of_the_current_set_and_the_filters(client, world, network):
    everyone = client.get(URL, headers=world.auth("outsider")).json()
    assert [c["city"] for c in everyone["cycles"]] == ["Lumen", "Velmar"]  # Hiddenburg is not published
    assert everyone["cycles"][0]["country"] == "Belgium" and everyone["cycles"][0]["report_version"] == 1
    french = client.get(URL, params={"country": "france"}, headers=world.auth("outsider")).json()
    assert [c["city"] for c in french["cycles"]] == ["Velmar"]
    year = everyone["cycles"][0]["year"]
    assert len(client.get(URL, params={"year": year}, headers=world.auth("outsider")).json()["cycles"]) == 2
    assert client.get(URL, params={"year": year - 1}, headers=world.auth("outsider")).json()["cycles"] == []
    nothing = client.get(URL, params={"indicator_set_version": "9.9"}, headers=world.auth("outsider")).json()
    assert nothing["cycles"] == [] and nothing["network"] == {}


def test_a_cycle_under_revision_keeps_its_published_results_until_it_is_published_again(
        client, session, world, network):
    coordinator = world.people["coordinator"]
    sharing.open_revision(session, rights_of(session, coordinator, network.velmar), network.velmar, "A typo.")
    session.commit()
    during = client.get(URL, params={"cycle_ids": str(network.velmar.id)}, headers=world.auth("peer"))
    assert during.status_code == 200 and during.json()["cycles"][0]["report_version"] == 1
    assert publish_report(session, network.velmar) == 2
    after = client.get(URL, params={"cycle_ids": str(network.velmar.id)}, headers=world.auth("peer")).json()
    assert after["cycles"][0]["report_version"] == 2
    rows = session.exec(select(PublishedResult).where(PublishedResult.cycle_id == network.velmar.id)).all()
    assert len(rows) == 73
    published = session.get(PublishedCycle, network.velmar.id)
    assert published.report_version == 2 and published.first_published_at < published.published_at
    gg_amb_1 = next(r for r in rows if r.indicator_code == "GG-AMB-1")
    assert (gg_amb_1.performance, gg_amb_1.self_rating, gg_amb_1.pillar, gg_amb_1.dimension) == (
        "below", "at", "GG", "AMB")

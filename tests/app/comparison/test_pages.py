"""The comparison page: a cities × pillar-dimension heat map with the network's median, the
caveat, filters, both languages; an empty network says so."""
from support import browser_login

from app.people import service as people_service
from app.people.schemas import CityUpdate

HTML = {"Accept": "text/html"}


def test_the_heat_map_of_the_published_cycles_in_both_languages(client, session, world, network):
    browser_login(client, session, world.people["peer"])
    html = client.get("/compare?lang=en", headers=HTML).text
    assert "peer judgements, not measurements" in html and "Network median" in html
    assert "Lumen" in html and "Velmar" in html and "Hiddenburg" not in html
    assert 'class="q4" title="Velmar, IE-IMP">100%</td>' in html and 'class="q0" title="Lumen, IE-IMP">0%</td>' in html
    assert 'class="q2"' in html  # the median of 0 and 100 %, in the middle shade
    french = client.get("/compare?lang=fr", headers=HTML).text
    assert "Médiane du réseau" in french and "100\u00a0%" in french and "jugements de pairs" in french
    filtered = client.get("/compare?lang=en&country=Belgium", headers=HTML).text
    assert "Lumen" in filtered and "Velmar</th>" not in filtered and "Show them all" in filtered


def test_a_city_name_is_text_and_an_empty_network_says_so(client, session, world, network):
    coordinator = world.people["coordinator"]
    people_service.update_city(session, coordinator.id, network.lumen.host_city_id,
                               CityUpdate(name='<img src=x onerror=alert(1)>'), None)
    session.commit()
    browser_login(client, session, world.people["outsider"])
    html = client.get("/compare?lang=en", headers=HTML).text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    unknown = client.get("/compare?lang=en&year=1999", headers=HTML).text  # a year of no review is no filter
    assert "Velmar" in unknown and "Show them all" not in unknown


def test_before_any_publication_the_page_says_what_will_come(client, session, world):
    browser_login(client, session, world.people["host_officer"])
    html = client.get("/compare?lang=fr", headers=HTML).text
    assert "Aucune revue n&#39;est encore publiée." in html and "Médiane" not in html


def test_a_review_against_the_network_and_the_judgements_per_indicator(client, session, world, network):
    browser_login(client, session, world.people["host_officer"])
    html = client.get(f"/compare/cycles/{network.velmar.id}?lang=en", headers=HTML).text
    assert "<h1>Velmar" in html and "peer judgements, not measurements" in html
    # IE-IMP: Velmar 100 %, Lumen 0 %: median 50 %, half of the reviews between 25 % and 75 %
    assert 'aria-label="Velmar: 100%; median 50%; half of the reviews between 25% and 75%"' in html
    assert '<circle cx="98.0%"' in html and '<rect x="50.0%" y="3" width="3"' in html
    french = client.get(f"/compare/cycles/{network.velmar.id}?lang=fr", headers=HTML).text
    assert "médiane 50\u00a0%" in french
    assert client.get(f"/compare/cycles/{network.draft.id}?lang=en", headers=HTML).status_code == 404
    html = client.get("/compare/indicators?lang=en", headers=HTML).text
    assert "Published reviews counted: 2" in html and 'aria-label="GG-AMB-1: below the benchmark 2"' in html
    assert 'aria-label="GG-AMB-2: below the benchmark 1, more information needed 1"' in html
    assert '<rect x="50.00%" y="0" width="50.00%" height="18" class="f-at">' in html  # after the "below" half


def test_the_distribution_through_the_api(client, world, network):
    body = client.get("/api/v1/benchmark/indicators", headers=world.auth("peer")).json()
    by_code = {i["code"]: i["counts"] for i in body["indicators"]}
    assert len(by_code) == 73 and body["indicator_set_version"] == world.cycle.indicator_set_version
    assert by_code["GG-AMB-1"] == {"below": 2, "at": 0, "above": 0, "more_info": 0, "none": 0}
    assert by_code["IE-IMP-1"] == {"below": 1, "at": 1, "above": 0, "more_info": 0, "none": 0}


def test_an_unknown_indicator_set_has_nothing_to_show(client, world, network):
    body = client.get("/api/v1/benchmark/indicators", params={"indicator_set_version": "9.9"},
                      headers=world.auth("peer")).json()
    assert body == {"indicator_set_version": "9.9", "indicators": []}

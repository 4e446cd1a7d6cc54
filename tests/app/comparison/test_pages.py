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
    assert "Médiane du réseau" in french and "100&nbsp;%" in french and "jugements de pairs" in french
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

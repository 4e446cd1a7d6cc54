"""The library's pages, in English and in French: the library with its filters and cards,
one practice, and the coordinators' forms (refusals beside their fields, a stale edit
refused, what was saved said on the next page); no edit offered to anyone else."""
import re

from sqlmodel import select

from app.practices.tables import GoodPractice
from support import browser_login, csrf_of

HTML = {"Accept": "text/html"}
FORM = {"city": "Velmar", "country": "FR", "theme": "partners", "title_fr": "Un pacte avec les associations",
        "title_en": "A pact with associations", "summary_fr": "La ville signe un pacte.",
        "summary_en": "The city signs a pact.", "figures_fr": "", "figures_en": "",
        "source": "Velmar city council, 2026", "indicator_codes": "WP-AMB-1, wp-imp-7"}


def practice(session, key: str) -> GoodPractice:
    return session.exec(select(GoodPractice).where(GoodPractice.key == key)).one()


def test_the_library_in_english_with_cards_and_indicator_chips(client, world, session):
    browser_login(client, session, world.people["peer"])
    html = client.get("/practices", headers=HTML).text
    assert '<a href="/practices" aria-current="page">Good practices</a>' in html
    lisbon = practice(session, "lisboa-one-stop-shop")
    card = re.search(rf'<article class="practice-card" id="practice-{lisbon.id}">.*?</article>', html, re.S).group(0)
    assert f'<a href="/practices/{lisbon.id}">Lisbon&#39;s One Stop Shop</a>' in card
    assert "Lisboa (Portugal)" in card and "Working on integration within the municipality" in card
    assert "750 users a day on average in 2007" in card and "<cite>ACIDI, EU-INTI One Stop Shop" in card
    assert '<a class="code chip" href="/benchmark/GG/IMP#GG-IMP-4" title="The municipality adapts its services' in card
    assert "An action, not one city&#39;s" in html  # the catalogue's actions
    assert "Add a practice" not in html and "/edit" not in html  # a peer edits nothing
    count = re.search(r'<p class="practice-count" role="status">(\d+) of (\d+) practices</p>', html)
    assert count and count.group(1) == count.group(2) and int(count.group(1)) >= 45


def test_the_library_in_french(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    html = client.get("/practices?lang=fr", headers=HTML).text
    assert '<html lang="fr">' in html and "<h1>Bonnes pratiques</h1>" in html
    assert "Le guichet unique de Lisbonne" in html and "Lisboa (Portugal)" in html and "Genova (Italie)" in html
    assert "Évaluation des besoins et collecte des données" in html
    assert "Chiffres\u00a0:" in html and "Source\u00a0:" in html and "Une action, non celle d&#39;une ville" in html
    assert "Good practices" not in html and "Every theme" not in html and "Working on integration" not in html


def test_the_filters_narrow_the_library(client, world, session):
    browser_login(client, session, world.people["peer"])
    only = client.get("/practices?theme=needs", headers=HTML).text
    assert re.findall(r'<article class="practice-card" id="practice-\d+">\s*<h2><a href="/practices/\d+">([^<]+)<', only) == [
        "An agreement with the university to follow immigrants&#39; needs",
        "Statistics drawn from the social services&#39; records"]
    assert '<option value="needs" selected>' in only and '<a href="/practices">Show them all</a>' in only
    by_code = client.get("/practices?indicator=gg-res-4&pillar=GG", headers=HTML).text
    assert by_code.count('class="practice-card"') == 1 and "Social clauses in public contracts" in by_code
    words = client.get("/practices", params={"q": "malmo suedois"}, headers=HTML).text
    assert words.count('class="practice-card"') == 1 and "Swedish courses at flexible hours" in words
    none = client.get("/practices", params={"q": "no such practice anywhere"}, headers=HTML).text
    assert "No practice matches these filters." in none and "0 of " in none
    ignored = client.get("/practices?theme=housing&pillar=ZZ", headers=HTML)  # unknown values filter nothing
    assert ignored.status_code == 200 and "Show them all" not in ignored.text


def test_one_practice_with_its_indicators_and_an_edit_link_for_coordinators_only(client, world, session):
    genova = practice(session, "genova-council-of-religions")
    browser_login(client, session, world.people["team_leader"])
    html = client.get(f"/practices/{genova.id}", headers=HTML).text
    assert "<h1>A council of religions</h1>" in html and "Sixteen religions officially represented" in html
    assert ('<a class="code" href="/benchmark/WP/IMP#WP-IMP-6">WP-IMP-6</a> The municipality has established a '
            'sustainable and effective partnership with religious communities') in html
    assert "From the library file of the network." in html and "Edit this practice" not in html
    assert client.get(f"/practices/{genova.id}/edit", headers=HTML).status_code == 403
    assert client.get("/practices/new", headers=HTML).status_code == 403
    browser_login(client, session, world.people["coordinator"])
    html = client.get(f"/practices/{genova.id}?lang=fr", headers=HTML).text
    assert "<h1>Un conseil des religions</h1>" in html and f'href="/practices/{genova.id}/edit">Modifier cette pratique' in html
    missing = client.get("/practices/999999", headers=HTML)
    assert missing.status_code == 404 and "Aucune bonne pratique 999999." in missing.text  # the language chosen stays


def test_a_coordinator_adds_a_practice_and_is_told_so(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, "/practices/new")
    r = client.post("/practices/new", data={**FORM, "csrf_token": csrf}, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    added = practice(session, "network-a-pact-with-associations")
    assert r.headers["location"] == f"/practices/{added.id}"
    assert (added.country, added.indicator_codes, added.figures_fr) == ("FR", ["WP-AMB-1", "WP-IMP-7"], None)
    page = client.get(r.headers["location"], headers=HTML).text
    assert "Good practice added: A pact with associations." in page and "Added by a coordinator." in page


def test_a_refused_form_shows_each_message_beside_its_field_in_french(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, "/practices/new")
    bad = {**FORM, "title_fr": "", "indicator_codes": "WP-AMB-1 GG-AMB-9", "figures_en": "Two", "csrf_token": csrf}
    r = client.post("/practices/new?lang=fr", data=bad, headers=HTML)
    assert r.status_code == 422
    assert '<p class="field-error" id="error-title_fr">Ce champ ne peut pas être vide.</p>' in r.text
    assert 'value="WP-AMB-1 GG-AMB-9"' in r.text and 'value="A pact with associations"' in r.text  # kept as typed
    r = client.post("/practices/new?lang=fr", data={**bad, "title_fr": "Un pacte"}, headers=HTML)
    assert r.status_code == 422
    assert '<p class="field-error" id="error-indicator_codes">GG-AMB-9 n&#39;est pas un indicateur du référentiel.</p>' in r.text
    assert '<p class="field-error" id="error-figures_fr">Donnez les chiffres dans les deux langues, ou dans aucune.</p>' in r.text
    assert "<strong>Indicateurs</strong>\u00a0: GG-AMB-9" in r.text
    assert session.exec(select(GoodPractice).where(GoodPractice.origin == "network")).all() == []


def test_an_edit_saves_and_a_stale_one_is_refused(client, world, session):
    lyon = practice(session, "lyon-social-clauses")
    browser_login(client, session, world.people["coordinator"])
    form = client.get(f"/practices/{lyon.id}/edit", headers=HTML).text
    assert 'name="version" value="1"' in form and 'value="GG-RES-4"' in form
    assert "your changes stay until the file&#39;s own text for it changes" in form
    csrf = csrf_of(client, f"/practices/{lyon.id}/edit")
    fields = {**FORM, "city": "Lyon", "title_en": "Social clauses, Lyon's way", "indicator_codes": "GG-RES-4",
              "version": "1", "csrf_token": csrf}
    r = client.post(f"/practices/{lyon.id}/edit", data=fields, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    assert "Good practice saved: Social clauses, Lyon&#39;s way." in client.get(r.headers["location"], headers=HTML).text
    stale = client.post(f"/practices/{lyon.id}/edit", data=fields, headers=HTML)
    assert stale.status_code == 412 and "Someone else changed this record meanwhile" in stale.text
    session.expire_all()
    assert (practice(session, "lyon-social-clauses").version, practice(session, "lyon-social-clauses").figures_en) == (2, None)


def test_a_non_coordinator_cannot_post_the_forms(client, world, session):
    lyon = practice(session, "lyon-social-clauses")
    browser_login(client, session, world.people["peer"])
    csrf = csrf_of(client, "/practices")
    add = client.post("/practices/new", data={**FORM, "csrf_token": csrf}, headers=HTML)
    assert add.status_code == 403 and "Only a coordinator may do this." in add.text
    edit = client.post(f"/practices/{lyon.id}/edit", data={**FORM, "version": "1", "csrf_token": csrf}, headers=HTML)
    assert edit.status_code == 403

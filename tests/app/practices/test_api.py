"""The library's JSON routes: everyone logged in reads; coordinators add and edit, naming
the version they change (If-Match: 428 without it, 412 when stale)."""
from sqlmodel import select

from app.practices.tables import GoodPractice

NEW = {"city": "Velmar", "country": "fr", "theme": "partners", "title_fr": "Un pacte avec les associations",
       "title_en": "A pact with associations", "summary_fr": "La ville signe un pacte.",
       "summary_en": "The city signs a pact.", "source": "Velmar city council, 2026",
       "indicator_codes": ["WP-AMB-1", "WP-IMP-7"]}


def practice_id(session, key: str) -> int:
    return session.exec(select(GoodPractice.id).where(GoodPractice.key == key)).one()


def test_everyone_logged_in_reads_the_library_with_its_filters(client, world):
    everything = client.get("/api/v1/practices", headers=world.auth("host_officer"))
    assert everything.status_code == 200 and len(everything.json()) >= 45
    lisbon = next(p for p in everything.json() if p["key"] == "lisboa-one-stop-shop")
    assert (lisbon["city"], lisbon["country"], lisbon["theme"], lisbon["origin"]) == (
        "Lisboa", "PT", "cross-department", "library")
    assert lisbon["title_fr"] == "Le guichet unique de Lisbonne" and "750 users a day" in lisbon["figures_en"]
    by_theme = client.get("/api/v1/practices?theme=needs", headers=world.auth("peer")).json()
    assert [p["key"] for p in by_theme] == ["genova-university-needs-assessment", "helsinki-service-statistics"]
    by_code = client.get("/api/v1/practices?indicator=gg-res-4", headers=world.auth("peer")).json()
    assert [p["key"] for p in by_code] == ["lyon-social-clauses"]
    words = client.get("/api/v1/practices", params={"q": "DUSSELDORF apprentissage"}, headers=world.auth("peer"))
    assert [p["key"] for p in words.json()] == ["dusseldorf-apprenticeships"]
    unknown = client.get("/api/v1/practices?theme=housing", headers=world.auth("peer"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["query", "theme"]
    assert client.get("/api/v1/practices").status_code == 401


def test_one_practice_with_its_etag(client, world, session):
    pid = practice_id(session, "genova-council-of-religions")
    r = client.get(f"/api/v1/practices/{pid}", headers=world.auth("outsider"))
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    assert r.json()["indicator_codes"] == ["WP-IMP-6", "IE-LEA-1"] and r.json()["city"] == "Genova"
    missing = client.get("/api/v1/practices/999999", headers=world.auth("outsider"))
    assert missing.status_code == 404 and missing.json()["detail"] == "No good practice 999999."


def test_a_coordinator_adds_a_practice(client, world):
    r = client.post("/api/v1/practices", json=NEW, headers=world.auth("coordinator"))
    assert r.status_code == 201 and r.headers["etag"] == '"1"'
    body = r.json()
    assert (body["key"], body["origin"], body["country"], body["version"]) == (
        "network-a-pact-with-associations", "network", "FR", 1)
    assert body["figures_fr"] is None
    again = client.get(f"/api/v1/practices/{body['id']}", headers=world.auth("peer")).json()
    assert again["title_en"] == "A pact with associations"


def test_nobody_else_adds_or_edits(client, world, session):
    pid = practice_id(session, "lyon-social-clauses")
    for role in ("peer", "team_leader", "host_officer", "outsider"):
        add = client.post("/api/v1/practices", json=NEW, headers=world.auth(role))
        assert add.status_code == 403 and add.json()["detail"] == "Only a coordinator may do this."
        edit = client.patch(f"/api/v1/practices/{pid}", json={"title_en": "x"},
                            headers={**world.auth(role), "If-Match": '"1"'})
        assert edit.status_code == 403
    # refused before the body is read: a bad body is still a 403
    assert client.post("/api/v1/practices", json={}, headers=world.auth("peer")).status_code == 403
    assert session.exec(select(GoodPractice).where(GoodPractice.origin == "network")).all() == []


def test_a_bad_practice_is_refused_naming_each_field(client, world):
    r = client.post("/api/v1/practices", headers=world.auth("coordinator"), json={
        **NEW, "title_en": "Two\nlines", "indicator_codes": ["WP-AMB-1", "XX-YYY-1"], "country": "ZZ",
        "theme": "housing"})
    assert r.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in r.json()["errors"]}
    assert errors[("title_en",)] == 'No line break nor "|" here.'
    assert errors[("theme",)].startswith("Choose one of: 'needs', 'cross-department'")
    # the schema's problems first; then, with those mended, what only the service knows
    r = client.post("/api/v1/practices", headers=world.auth("coordinator"), json={
        **NEW, "indicator_codes": ["WP-AMB-1", "XX-YYY-1"], "country": "ZZ"})
    assert r.status_code == 422
    assert {tuple(e["loc"]): e["msg"] for e in r.json()["errors"]} == {
        ("indicator_codes", 1): "XX-YYY-1 is not an indicator of the benchmark.",
        ("country",): "ZZ is no country code (ISO 3166-1, such as PT for Portugal)."}
    french = client.post("/api/v1/practices", headers={**world.auth("coordinator"), "Accept-Language": "fr"},
                         json={**NEW, "summary_en": "", "source": "x\u202e"})
    assert french.status_code == 422
    assert {tuple(e["loc"]): e["msg"] for e in french.json()["errors"]} == {
        ("summary_en",): "Ce champ ne peut pas être vide.",
        ("source",): "Le texte ne peut pas contenir de caractères invisibles qui changent son sens d'écriture."}


def test_an_edit_needs_if_match_and_a_stale_one_changes_nothing(client, world, session):
    pid = practice_id(session, "lyon-social-clauses")
    coordinator = world.auth("coordinator")
    missing = client.patch(f"/api/v1/practices/{pid}", json={"title_en": "New"}, headers=coordinator)
    assert missing.status_code == 428
    assert missing.json()["detail"] == "Send the If-Match header with the version you read (its ETag)."
    ok = client.patch(f"/api/v1/practices/{pid}", json={"title_en": "Social clauses, Lyon's way"},
                      headers={**coordinator, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"' and ok.json()["title_en"] == "Social clauses, Lyon's way"
    assert ok.json()["title_fr"] == "Des clauses sociales dans les marchés publics"  # left out: kept
    stale = client.patch(f"/api/v1/practices/{pid}", json={"title_en": "Late"}, headers={**coordinator, "If-Match": '"1"'})
    assert stale.status_code == 412 and "Someone else changed this record" in stale.json()["detail"]
    assert client.get(f"/api/v1/practices/{pid}", headers=coordinator).json()["title_en"] == "Social clauses, Lyon's way"
    null = client.patch(f"/api/v1/practices/{pid}", json={"title_en": None}, headers={**coordinator, "If-Match": '"2"'})
    assert null.status_code == 422 and null.json()["errors"][0]["loc"] == ["title_en"]

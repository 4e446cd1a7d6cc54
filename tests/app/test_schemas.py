"""Invisible characters are refused in every text: C0 and C1 controls, and the
bidirectional overrides and isolates ("Trojan source"), one-line fields and descriptions alike."""
import pytest

C1 = "\x85\x9b"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def entry(client, world, body):
    return client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1", json=body,
                      headers=world.auth("host_officer"))


@pytest.mark.parametrize("char", list(C1 + BIDI))
def test_one_line_fields_refuse_c1_and_bidi_controls(client, world, char):
    r = client.post("/api/v1/cities", json={"name": f"Velmar{char}", "country": "BE"}, headers=world.auth("coordinator"))
    assert r.status_code == 422 and [e["loc"] for e in r.json()["errors"]] == [["name"]]
    expected = "control characters" if char in C1 else "change its direction"
    assert expected in r.json()["errors"][0]["msg"]
    r = entry(client, world, {"evidence": [{"title": f"Budget{char}2026", "url": "https://example.org/b.pdf"}]})
    assert r.status_code == 422 and [e["loc"] for e in r.json()["errors"]] == [["evidence", 0, "title"]]


def test_descriptions_refuse_them_too_in_the_users_language(client, world):
    for char in ("\u202e", "\u2067", "\x9b"):
        r = entry(client, world, {"description": f"Budget: 100 {char}000 1 EUR"})
        assert r.status_code == 422 and [e["loc"] for e in r.json()["errors"]] == [["description"]]
    french = client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1?lang=fr",
                        json={"description": "a\u202eb"}, headers=world.auth("host_officer"))
    assert french.json()["errors"][0]["msg"].startswith("Le texte ne peut pas contenir de caractères invisibles")
    # Right-to-left text needs none of them: its letters, and the plain marks, are accepted.
    rtl = "\u0645\u064a\u0632\u0627\u0646\u064a\u0629 2026\u200f\n\u05ea\u05e7\u05e6\u05d9\u05d1\t\u200e\u061c"
    r = entry(client, world, {"description": rtl})
    assert r.status_code == 200 and r.json()["description"] == rtl


def test_line_separators_are_line_breaks_in_one_line_fields(client, world):
    r = entry(client, world, {"responsible": [{"name": "Amina\u2028Benali"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["responsible", 0, "name"]


@pytest.mark.parametrize("name", ["Amina\nBenali", "Amina\rBenali", "Amina\u2028Benali", "Amina | Benali"])
def test_a_persons_name_is_one_line(client, world, name):
    """A name is edited in a one-line field, which would drop a line break unseen."""
    r = client.post("/api/v1/users", json={"email": "nb@velmar.example", "full_name": name,
                                           "city_id": world.host_city.id}, headers=world.auth("coordinator"))
    assert r.status_code == 422 and [e["loc"] for e in r.json()["errors"]] == [["full_name"]]

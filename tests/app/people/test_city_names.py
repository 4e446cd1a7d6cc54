"""City names are unique ignoring case, accents and spacing: in the API, on the Cities page,
and in the database itself (a unique key), so that racing requests cannot both win."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from support import browser_login, csrf_of

from benchmark.text import folded

from app.errors import Conflict
from app.people import service
from app.people.names import name_key
from app.people.schemas import CityCreate, CityUpdate
from app.people.tables import City

HTML = {"Accept": "text/html"}


def cities_named(session, name):
    session.expire_all()
    return [c.name for c in session.exec(select(City)) if name_key(c.name) == name_key(name)]


@pytest.mark.parametrize("text,key", [
    ("Lunaria", "lunaria"), ("  GENÈVE ", "geneve"), ("Nova \u00a0  Gorica", "nova gorica"),
    ("Straße", "strasse"), ("Ǆupa", "dzupa"), ("Łódź", "łodz"), ("ﬁnale", "finale"),
])
def test_folded_leaves_out_case_accents_and_spacing(text, key):
    assert folded(text) == key


@pytest.mark.parametrize("name", ["lunaria", "LUNARIA", "  Lunaria ", "Lunária", "Lu\u0301naria"])
def test_api_refuses_a_name_taken_but_for_case_accents_or_spaces(client, world, session, name):
    h = world.auth("coordinator")
    assert client.post("/api/v1/cities", json={"name": "Lunaria", "country": "Italy"}, headers=h).status_code == 201
    r = client.post("/api/v1/cities", json={"name": name, "country": "Italy"}, headers=h)
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "A city named Lunaria already exists."
    assert cities_named(session, "Lunaria") == ["Lunaria"]


def test_geneve_and_genève_are_one_city_in_french_too(client, world, session):
    h = world.auth("coordinator")
    assert client.post("/api/v1/cities", json={"name": "Genève", "country": "Suisse"}, headers=h).status_code == 201
    r = client.post("/api/v1/cities", json={"name": "geneve", "country": "Suisse"},
                    headers={**h, "Accept-Language": "fr"})
    assert r.status_code == 409 and r.json()["detail"] == "Une ville nommée Genève existe déjà."


def test_a_name_is_stored_with_single_spaces(client, world):
    r = client.post("/api/v1/cities", json={"name": "  Nova   Gorica ", "country": "Slovenia"},
                    headers=world.auth("coordinator"))
    assert r.status_code == 201 and r.json()["name"] == "Nova Gorica"


def test_rename_refuses_another_citys_name_but_allows_recasing_ones_own(client, world, session):
    h = world.auth("coordinator")
    url = f"/api/v1/cities/{world.other_city.id}"  # Nordhaven; Velmar is the host city
    r = client.patch(url, json={"name": "VELMAR"}, headers=h)
    assert r.status_code == 409 and r.json()["detail"] == "A city named Velmar already exists."
    assert client.get(url, headers=h).json()["name"] == "Nordhaven"
    r = client.patch(url, json={"name": "NORDHAVEN"}, headers=h)
    assert r.status_code == 200 and r.json()["name"] == "NORDHAVEN"


def test_cities_page_refuses_a_duplicate_on_create_and_rename(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, "/admin/cities")
    r = client.post("/admin/cities", headers=HTML, data={"name": " velmar ", "country": "France", "csrf_token": csrf})
    assert r.status_code == 409 and "A city named Velmar already exists." in r.text
    r = client.post(f"/admin/cities/{world.other_city.id}", headers=HTML,
                    data={"name": "Vélmar", "country": "Denmark", "version": "1", "csrf_token": csrf})
    assert r.status_code == 409 and "A city named Velmar already exists." in r.text
    assert cities_named(session, "Velmar") == ["Velmar"]
    assert session.get(City, world.other_city.id).name == "Nordhaven"


def test_the_database_refuses_a_second_city_with_the_same_key(engine, world):
    with Session(engine) as session:
        session.add(City(name="VELMAR ", country="France"))  # as a writer that skipped the service's check
        with pytest.raises(IntegrityError):
            session.flush()


def test_a_create_that_raced_past_the_check_is_a_409_not_an_error(engine, world, monkeypatch):
    """Two requests both found the name free; the second to write hits the unique key and is
    told what the check would have said."""
    with Session(engine) as first:
        service.create_city(first, world.people["coordinator"].id, CityCreate(name="Lunaria", country="Italy"))
        first.commit()
    monkeypatch.setattr(service, "_city_name_free", lambda *args, **kwargs: None)  # it looked before the commit
    with Session(engine) as second:
        with pytest.raises(Conflict) as refused:
            service.create_city(second, world.people["coordinator"].id, CityCreate(name="lunária", country="Italy"))
        assert refused.value.status == 409 and str(refused.value) == "A city named lunária already exists."
        second.rollback()
        with pytest.raises(Conflict):
            service.update_city(second, world.people["coordinator"].id, world.other_city.id,
                                CityUpdate(name="LUNARIA"), None)


def test_racing_creates_of_one_name_give_one_city(client, world, session):
    names = ["Lunaria", "lunaria", "LUNÁRIA", " Lunaria ", "lunaria  "]
    barrier = threading.Barrier(len(names))

    def create(name):
        barrier.wait()
        return client.post("/api/v1/cities", json={"name": name, "country": "Italy"}, headers=world.auth("coordinator"))

    with ThreadPoolExecutor(len(names)) as pool:
        answers = list(pool.map(create, names))
    assert sorted(r.status_code for r in answers) == [201, 409, 409, 409, 409]
    assert len(cities_named(session, "Lunaria")) == 1

"""The coordinator's pages refuse what the API refuses, with the same messages."""
import re
from datetime import date

from sqlmodel import select

from app.cycles.tables import Cycle, CycleMember, PhaseDeadline
from app.people.tables import City, User
from support import browser_login, csrf_of, submit_report

HTML = {"Accept": "text/html"}


def as_coordinator(client, session, world, page="/admin/cities"):
    browser_login(client, session, world.people["coordinator"])
    return csrf_of(client, page)


def test_my_cycles_shows_role_phase_and_deadline(client, world, session):
    session.add(PhaseDeadline(cycle_id=world.cycle.id, phase="self_assessment", due_on=date(2027, 1, 29)))
    session.commit()
    browser_login(client, session, world.people["peer"])
    html = client.get("/", headers=HTML).text
    cid = world.cycle.id
    card = re.search(rf'<li class="cycle-card" id="cycle-{cid}">\s*<h2><a href="/cycles/{cid}">Velmar 2027</a></h2>'
                     r".*?</ol>", html, re.S).group(0)
    assert "<dd>Peer</dd>" in card and "January 29, 2027" in card
    steps = re.findall(
        r'<li class="(\w+)"( aria-current="step")?><span class="mark" aria-hidden="true">(.)</span> ([^<]+)<', card)
    assert steps == [("current", ' aria-current="step"', "1", "Self-assessment"),
                     ("future", "", "2", "Preparatory review"), ("future", "", "3", "Visit"),
                     ("future", "", "4", "Reporting"), ("future", "", "5", "Published")]


def test_my_cycles_in_french(client, world, session):
    browser_login(client, session, world.people["peer"])
    html = client.get("/?lang=fr", headers=HTML).text
    assert '<html lang="fr">' in html and "Auto-évaluation" in html


def test_create_city_page_and_duplicate_refused_with_the_api_message(client, world, session):
    csrf = as_coordinator(client, session, world)
    r = client.post("/admin/cities", data={"name": "Lumen", "country": "Belgium", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200 and "Lumen" in r.text
    dup = client.post("/admin/cities", data={"name": "Lumen", "country": "Belgium", "csrf_token": csrf}, headers=HTML)
    assert dup.status_code == 409 and "A city named Lumen already exists." in dup.text
    assert len(session.exec(select(City).where(City.name == "Lumen")).all()) == 1


def test_empty_city_form_names_the_fields_as_their_labels_do(client, world, session):
    csrf = as_coordinator(client, session, world)
    r = client.post("/admin/cities", data={"name": " ", "country": "", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 422
    assert "<strong>Name</strong>: " in r.text and "<strong>Country</strong>: " in r.text
    assert "<code>name</code>" not in r.text and "country:" not in r.text
    french = client.post("/admin/cities?lang=fr", data={"name": " ", "country": "", "csrf_token": csrf}, headers=HTML)
    assert "<strong>Nom</strong>\u00a0: " in french.text and "<strong>Pays</strong>\u00a0: " in french.text


def test_new_person_gets_a_one_time_link_shown_once(client, world, session):
    csrf = as_coordinator(client, session, world, "/admin/people")
    r = client.post("/admin/people", data={"full_name": "Nora New", "email": "nora@velmar.example",
                                           "city_id": str(world.host_city.id), "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 201
    link = re.search(r'value="(http://testserver/welcome/[^"]+)"', r.text).group(1)
    assert "Nora New" in client.get(link.removeprefix("http://testserver")).text
    assert "/welcome/" not in client.get("/admin/people").text  # not shown again
    assert session.exec(select(User).where(User.email == "nora@velmar.example")).one().password_hash is None


def test_person_with_taken_email_refused_with_the_api_message(client, world, session):
    csrf = as_coordinator(client, session, world, "/admin/people")
    r = client.post("/admin/people", data={"full_name": "Twin", "email": "peer@castelverde.example",
                                           "city_id": str(world.host_city.id), "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 409 and "An account with the e-mail peer@castelverde.example already exists." in r.text
    assert r.text.count('value="Twin"') == 1  # the form keeps what was typed


def test_cycle_created_and_team_built_through_pages(client, world, session):
    csrf = as_coordinator(client, session, world, "/admin/cycles/new")
    r = client.post("/admin/cycles/new", data={"title": "Velmar 2029", "host_city_id": str(world.host_city.id),
                                               "deadline_visit": "2029-03-01", "csrf_token": csrf},
                    headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    cycle = session.exec(select(Cycle).where(Cycle.title == "Velmar 2029")).one()
    add = lambda user, role: client.post(f"/cycles/{cycle.id}/members", headers=HTML, data={  # noqa: E731
        "user_id": str(world.people[user].id), "role": role, "csrf_token": csrf})
    assert add("host_officer", "host_officer").status_code == 200
    refused = add("outsider", "host_officer")
    assert refused.status_code == 409 and "A host officer must work for the host city." in refused.text
    page = add("peer", "peer").text
    assert "Giulia Peer" in page and "Amina Officer" in page
    assert 'name="deadline_visit" value="2029-03-01"' in page
    roles = {(m.user_id, m.role) for m in session.exec(select(CycleMember).where(CycleMember.cycle_id == cycle.id))}
    assert roles == {(world.people["host_officer"].id, "host_officer"), (world.people["peer"].id, "peer")}


def test_phase_button_with_stale_version_is_refused(client, world, session):
    submit_report(session, world.cycle)
    csrf = as_coordinator(client, session, world, f"/cycles/{world.cycle.id}")
    r = client.post(f"/cycles/{world.cycle.id}/phase", headers=HTML,
                    data={"phase": "preparatory_review", "version": "0", "csrf_token": csrf})
    assert r.status_code == 412 and "Someone else changed this record" in r.text
    session.refresh(world.cycle)
    ok = client.post(f"/cycles/{world.cycle.id}/phase", headers=HTML,
                     data={"phase": "preparatory_review", "version": str(world.cycle.version), "csrf_token": csrf})
    assert ok.status_code == 200 and "Current phase: <strong>Preparatory review</strong>" in ok.text
    # the steps: one done (a check mark), the current one, three to come, each named
    assert ('<li class="done"><span class="mark" aria-hidden="true">✓</span> Self-assessment'
            '<span class="visually-hidden"> (done)</span></li>') in ok.text
    assert ('<li class="current" aria-current="step"><span class="mark" aria-hidden="true">2</span> Preparatory review'
            in ok.text)
    assert ok.text.count('<li class="future">') == 3


def test_language_switch_is_remembered_on_the_profile(client, world, session):
    browser_login(client, session, world.people["peer"])
    r = client.get("/language?lang=fr&next=/benchmark", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/benchmark"
    session.expire_all()
    assert session.get(User, world.people["peer"].id).language == "fr"
    client.cookies.delete("inti_lang")
    assert '<html lang="fr">' in client.get("/benchmark", headers={**HTML, "Accept-Language": "en"}).text


def test_logging_in_gives_the_browser_the_profiles_language_unless_it_chose_one(client, world, session):
    """So that a page which does not look the user up (an unknown address) speaks it too."""
    from support import PASSWORD

    peer = world.people["peer"]
    peer.language = "fr"
    session.add(peer)
    session.commit()
    english = {**HTML, "Accept-Language": "en"}
    r = client.post("/login", data={"email": peer.email, "password": PASSWORD, "csrf_token": csrf_of(client)},
                    headers=english, follow_redirects=False)
    assert r.status_code == 303 and any(h.startswith("inti_lang=fr;") for h in r.headers.get_list("set-cookie"))
    missing = client.get("/no-such-page", headers=english)
    assert missing.status_code == 404 and '<html lang="fr">' in missing.text and "Rien à cette adresse" in missing.text

    client.cookies.set("inti_lang", "en")  # chosen in this browser before logging in: kept
    r = client.post("/login", data={"email": peer.email, "password": PASSWORD, "csrf_token": csrf_of(client)},
                    headers=english, follow_redirects=False)
    assert r.status_code == 303 and not any(h.startswith("inti_lang=") for h in r.headers.get_list("set-cookie"))


def test_a_language_link_from_another_site_does_not_change_the_profile(client, world, session):
    browser_login(client, session, world.people["peer"])
    r = client.get("/language?lang=fr&next=/", headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert r.status_code == 303 and "inti_lang=fr" in r.headers["set-cookie"]
    session.expire_all()
    assert session.get(User, world.people["peer"].id).language is None


def test_no_way_into_the_initial_report_before_it_is_submitted_but_when_it_will_open(client, world, session):
    session.add(PhaseDeadline(cycle_id=world.cycle.id, phase="self_assessment", due_on=date(2027, 6, 30)))
    session.commit()
    url = f"/cycles/{world.cycle.id}"
    for role in ("peer", "team_leader"):
        browser_login(client, session, world.people[role])
        html = client.get(url, headers=HTML).text
        assert f'href="{url}/self-assessment"' not in html, role
        assert ("The host city has not submitted its initial report yet; deadline June 30, 2027. "
                "You can read it here once it is submitted.") in html
        assert "of 73 indicators done" not in html  # no progress before they may read it
    browser_login(client, session, world.people["host_officer"])
    officer = client.get(url + "?lang=fr", headers=HTML).text
    assert f'href="{url}/self-assessment">Continuer mon rapport — 0 sur 73</a>' in officer
    assert "Brouillon" in officer
    submit_report(session, world.cycle)
    browser_login(client, session, world.people["peer"])
    html = client.get(url + "?lang=en", headers=HTML).text
    assert f'href="{url}/self-assessment">Open the initial report</a>' in html
    assert "Submitted on " in html and f"by {world.people['host_officer'].full_name}." in html


def test_the_coordinator_is_not_offered_a_move_the_report_blocks_but_told_what_it_needs(client, world, session):
    url = f"/cycles/{world.cycle.id}"
    browser_login(client, session, world.people["coordinator"])
    html = client.get(url, headers=HTML).text
    assert "Move on to: Preparatory review" not in html
    assert "Before moving on to: Preparatory review" in html and "initial report" in html.split("Before moving on")[1]
    submit_report(session, world.cycle)
    html = client.get(url, headers=HTML).text
    assert "Move on to: Preparatory review" in html and "Before moving on" not in html
    assert "Move the cycle on to the phase: Preparatory review? The team will see it at once." in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    moved = client.post(f"{url}/phase", data={"phase": "preparatory_review", "version": version,
                                              "csrf_token": csrf_of(client, url)}, headers=HTML)
    assert moved.status_code == 200 and "The cycle is now in the phase: Preparatory review." in moved.text


def test_removing_a_member_asks_first_and_says_it_is_done(client, world, session):
    url = f"/cycles/{world.cycle.id}"
    csrf = as_coordinator(client, session, world, url)
    html = client.get(url, headers=HTML).text
    peer = world.people["peer"]
    assert f"Remove {peer.full_name} from the team?" in html
    assert f'Remove<span class="visually-hidden"> {peer.full_name}</span></summary>' in html  # a name of its own
    done = client.post(f"{url}/members/{peer.id}/remove", data={"csrf_token": csrf}, headers=HTML)
    assert done.status_code == 200 and f"{peer.full_name} left the team." in done.text


def test_my_cycles_offers_the_officer_her_report_with_its_progress_until_submitted(client, world, session):
    from support import fill_report

    fill_report(session, world.cycle, ["GG-AMB-1", "GG-AMB-2"])
    browser_login(client, session, world.people["host_officer"])
    html = client.get("/?lang=fr", headers=HTML).text
    assert (f'<a class="button next-step" href="/cycles/{world.cycle.id}/self-assessment">'
            "Continuer mon rapport — 2 sur 73</a>") in html
    browser_login(client, session, world.people["peer"])
    assert "next-step" not in client.get("/", headers=HTML).text
    fill_report(session, world.cycle)
    browser_login(client, session, world.people["host_officer"])
    html = client.get("/?lang=en", headers=HTML).text
    assert f'href="/cycles/{world.cycle.id}/self-assessment/submit">Check and submit my report</a>' in html
    submit_report(session, world.cycle)
    browser_login(client, session, world.people["host_officer"])
    assert "next-step" not in client.get("/", headers=HTML).text


def test_a_bad_role_in_the_team_form_is_shown_on_the_cycle_page(client, world, session):
    url = f"/cycles/{world.cycle.id}"
    csrf = as_coordinator(client, session, world, url)
    r = client.post(f"{url}/members", data={"user_id": world.people["outsider"].id, "role": "boss",
                                            "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 422 and "<strong>Role</strong>: " in r.text
    assert "Add to the team" in r.text  # the cycle page with its form, not an error page
    session.expire_all()
    assert session.exec(select(CycleMember).where(CycleMember.user_id == world.people["outsider"].id)).first() is None

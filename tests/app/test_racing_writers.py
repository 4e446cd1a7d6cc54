"""Racing writers on one report keep every request of the worker answered.

The reproduction of issue 7, item 1, on a real uvicorn server (one worker) over each
database: a coordinator's refused writes looped against the officer's page autosave of
the same report, parallel workbook imports, and a probe of the login page all along.
Before handlers were plain ``def``, this froze the worker for good on PostgreSQL (a lock
held by a request whose worker was blocked) and lost the autosave on SQLite.
"""
from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import httpx
from support import served

from app.auth.service import WEB, issue_token
from app.main import create_app

SECONDS = 3.0
IMPORTERS = 4
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _loop(until: float, step, out: list) -> None:
    while time.monotonic() < until:
        out.append(step())


def test_refused_writes_autosaves_and_imports_race_and_every_request_is_answered(engine, world, session):
    cookie = issue_token(session, world.people["host_officer"], WEB, timedelta(hours=1))
    session.commit()
    cycle = world.cycle.id
    report = f"/api/v1/cycles/{cycle}/self-assessment"
    with served(create_app(engine=engine)) as base:
        officer_page = httpx.Client(base_url=base, cookies={"inti_session": cookie}, timeout=20)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', officer_page.get(
            f"/cycles/{cycle}/self-assessment", headers={"Accept": "text/html"}).text)[1]
        workbook = httpx.get(f"{base}{report}.xlsx", headers=world.auth("host_officer"), timeout=20).content
        until = time.monotonic() + SECONDS
        refused, saves, imports, probes = [], [], [], []
        version = {"GG-AMB-1": 0}

        def refused_put():
            return httpx.put(f"{base}{report}/GG-AMB-1", json={"self_rating": "at"}, timeout=20,
                             headers=world.auth("coordinator")).status_code

        def autosave():
            r = officer_page.post(f"/cycles/{cycle}/self-assessment/entries/GG-AMB-1",
                                  headers={"Accept": "application/json"},
                                  data={"csrf_token": csrf, "version": str(version["GG-AMB-1"]), "self_rating": "at",
                                        "description": f"Saved at {time.monotonic()}"})
            if r.status_code == 200:
                version["GG-AMB-1"] = r.json()["version"]
            return r.status_code

        def import_workbook():
            r = httpx.post(f"{base}{report}.xlsx", files={"file": ("r.xlsx", workbook, XLSX)}, timeout=20,
                           headers=world.auth("host_officer"))
            return r.status_code, r.headers.get("content-type")

        def probe():
            started = time.monotonic()
            status = httpx.get(f"{base}/login", timeout=20).status_code
            time.sleep(0.05)
            return status, time.monotonic() - started

        threads = [threading.Thread(target=_loop, args=(until, refused_put, refused)),
                   threading.Thread(target=_loop, args=(until, autosave, saves)),
                   threading.Thread(target=_loop, args=(until, probe, probes)),
                   *(threading.Thread(target=_loop, args=(until, import_workbook, imports)) for _ in range(IMPORTERS))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a request was left without an answer"
        final = httpx.get(f"{base}{report}", headers=world.auth("host_officer"), timeout=20).json()

    assert refused and set(refused) == {403}
    assert saves and set(saves) == {200}, saves  # the officer's only writer of that entry: no save lost
    # The workbook predates the autosaves and nobody changed it: its rows are no edits, so
    # every import succeeds and changes nothing, whatever the autosaves wrote meanwhile.
    assert imports and set(imports) == {(200, "application/json")}, imports
    assert probes and {s for s, _ in probes} == {200}
    assert max(t for _, t in probes) < 5.0, "the worker stopped answering meanwhile"
    entry = next(e for e in final["entries"] if e["indicator_code"] == "GG-AMB-1")
    assert entry["version"] == len(saves) == version["GG-AMB-1"]

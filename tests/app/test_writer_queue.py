"""SQLite writers of one process take turns in order of arrival (app/db.py ``WriterQueue``),
rather than polling the database's lock, where the last to arrive is often served first."""
from __future__ import annotations

import shutil
import threading
import time

import pytest

from app import db
from app.db import WriterQueue, WriterTimeout


@pytest.fixture
def engine(sqlite_template, tmp_path):
    """SQLite only: the queue is SQLite's (PostgreSQL locks rows, not the database)."""
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    eng = db.make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_writers_are_served_in_order_of_arrival():
    queue = WriterQueue()
    served: list[int] = []
    first = queue.turn(5)
    first.__enter__()
    # Each writer arrives once the previous one is waiting, and leaves its turn at once.

    def write(n):
        with queue.turn(5):
            served.append(n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for n, thread in enumerate(threads):
        thread.start()
        wait_until(lambda n=n: len(queue._waiting) == n + 1)
    first.__exit__(None, None, None)
    for thread in threads:
        thread.join(5)
    assert served == list(range(8))
    assert not queue._busy and not queue._waiting


def test_a_writer_whose_wait_runs_out_leaves_the_queue_and_the_next_is_served():
    queue = WriterQueue()
    served: list[str] = []
    errors: list[BaseException] = []
    holder = queue.turn(5)
    holder.__enter__()

    def impatient():
        try:
            with queue.turn(0.05):
                served.append("impatient")
        except WriterTimeout as exc:
            errors.append(exc)

    def patient():
        with queue.turn(5):
            served.append("patient")

    first = threading.Thread(target=impatient)
    first.start()
    wait_until(lambda: len(queue._waiting) == 1)
    second = threading.Thread(target=patient)
    second.start()
    first.join(5)
    assert len(errors) == 1 and "no turn to write" in str(errors[0])
    assert len(queue._waiting) == 1  # the impatient writer is gone, the patient one waits
    holder.__exit__(None, None, None)
    second.join(5)
    assert served == ["patient"]
    assert not queue._busy


def test_a_turn_is_given_back_when_the_write_fails():
    queue = WriterQueue()
    with pytest.raises(RuntimeError), queue.turn(1):
        raise RuntimeError("the write failed")
    with queue.turn(0.01):  # free at once
        pass


def test_a_writing_request_waits_for_its_turn_and_readers_do_not(client, world, engine, monkeypatch):
    """The request session takes a turn for unsafe methods only: a write waiting longer
    than the busy timeout is 503 (and saves nothing), while reads go on."""
    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.2)
    url = f"/api/v1/cycles/{world.cycle.id}/self-assessment"
    entry = {"self_rating": "at", "description": "Plan Velmar Accueil, adopted in 2025."}
    with db._WRITERS[engine].turn(1):  # another request of this process is writing
        busy = client.put(f"{url}/GG-AMB-1", json=entry, headers=world.auth("host_officer"))
        read = client.get(url, headers=world.auth("host_officer"))
    assert busy.status_code == 503 and busy.headers["retry-after"]
    assert read.status_code == 200
    assert next(e for e in read.json()["entries"] if e["indicator_code"] == "GG-AMB-1")["version"] == 0
    saved = client.put(f"{url}/GG-AMB-1", json=entry, headers=world.auth("host_officer"))
    assert saved.status_code == 200 and saved.json()["version"] == 1

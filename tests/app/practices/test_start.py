"""The library file at start-up: the service stores its practices by key, refreshes one
only when its entry in the file changed, and does not start on a broken file."""
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import select

from benchmark.practices import PracticeLibraryError

from app.main import create_app, load_benchmark
from app.practices.tables import GoodPractice
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


def started(engine, path: Path) -> None:
    with TestClient(create_app(settings=Settings(practices_path=path), engine=engine)):
        pass


def test_start_up_fills_an_empty_library(engine, session):
    session.execute(delete(GoodPractice))
    session.commit()
    started(engine, ROOT / "good_practices.yaml")
    keys = set(session.exec(select(GoodPractice.key)))
    assert len(keys) == 46 and {"lisboa-one-stop-shop", "milano-civil-society-partnerships"} <= keys


def test_start_up_refreshes_only_what_the_file_changed(engine, session, tmp_path):
    started(engine, ROOT / "good_practices.yaml")
    text = (ROOT / "good_practices.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "good_practices.yaml"
    edited.write_text(text.replace("Swedish courses at flexible hours", "Swedish courses at any hour"), encoding="utf-8")
    started(engine, edited)
    rows = {p.key: p for p in session.exec(select(GoodPractice))}
    assert rows["malmo-flexible-language-courses"].title_en == "Swedish courses at any hour"
    assert rows["malmo-flexible-language-courses"].version == 2
    assert {p.version for k, p in rows.items() if k != "malmo-flexible-language-courses"} == {1}


def test_a_broken_library_stops_the_start_with_its_lines(engine, tmp_path):
    broken = tmp_path / "good_practices.yaml"
    broken.write_text((ROOT / "good_practices.yaml").read_text(encoding="utf-8").replace(
        "indicators: [GG-RES-4]", "indicators: [GG-RES-9]"), encoding="utf-8")
    with pytest.raises(PracticeLibraryError) as caught:
        load_benchmark(engine, Settings(practices_path=broken))
    [problem] = caught.value.problems
    assert problem.line is not None and "indicator 'GG-RES-9' is not in the indicator set" in str(problem)

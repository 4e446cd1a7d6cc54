"""The command line: indicators check, create-coordinator, and serve refusing a bad benchmark."""
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.db import make_engine
from app.people.tables import User

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_indicators_check_on_the_real_file():
    r = runner.invoke(cli, ["indicators", "check", str(ROOT / "indicators.yaml")])
    assert r.exit_code == 0
    assert "73 indicators: OK" in r.output


def test_indicators_check_prints_each_problem_with_its_line_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("code: GG-AMB-2", "code: GG-AMB-1").replace("code: IE-LEA-1", "code: IE-LEA-2"),
                   encoding="utf-8")
    r = runner.invoke(cli, ["indicators", "check", str(bad)])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "duplicate indicator code 'GG-AMB-1' (first on line %d)" % (text.splitlines().index("  - code: GG-AMB-1") + 1),
        "gap in numbering: GG-AMB-2 is missing before GG-AMB-3",
        "gap in numbering: IE-LEA-1 is missing before IE-LEA-2",
    ]
    line_no = int(lines[0].split(":")[1])
    assert bad.read_text(encoding="utf-8").splitlines()[line_no - 1] == "  - code: GG-AMB-1"
    assert text.splitlines()[line_no - 1] == "  - code: GG-AMB-2"


def test_create_coordinator_creates_then_resets(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("INTI_DATABASE_URL", f"sqlite:///{db}")
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        r = runner.invoke(cli, ["create-coordinator", "Boss@Network.example", "--password", "first-password", "--name", "Boss"])
        assert r.exit_code == 0 and "Created coordinator boss@network.example" in r.output
        r = runner.invoke(cli, ["create-coordinator", "boss@network.example", "--password", "second-password"])
        assert r.exit_code == 0 and "Password reset" in r.output
        short = runner.invoke(cli, ["create-coordinator", "boss@network.example", "--password", "short"])
        assert short.exit_code == 1 and "at least 10 characters" in short.output
    finally:
        get_settings.cache_clear()
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        users = s.exec(select(User)).all()
    engine.dispose()
    assert [(u.email, u.full_name, u.is_coordinator) for u in users] == [("boss@network.example", "Boss", True)]
    from app.auth.security import verify_password

    assert verify_password("second-password", users[0].password_hash)


def test_serve_refuses_a_broken_benchmark_without_a_traceback(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text('version: "1"\nstatus: approved\ndimensions: [\n', encoding="utf-8")
    env = {**os.environ, "INTI_INDICATORS_PATH": str(bad), "INTI_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    r = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--port", "1"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1
    assert f"{bad}:4: YAML syntax error" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert not (tmp_path / "x.db").exists()  # nothing started


def test_serve_refuses_a_missing_benchmark(tmp_path):
    env = {**os.environ, "INTI_INDICATORS_PATH": str(tmp_path / "none.yaml"), "INTI_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    r = subprocess.run([sys.executable, "-m", "app.cli", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "none.yaml: file not found" in r.stderr and "Traceback" not in r.stderr

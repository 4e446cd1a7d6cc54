"""The library from the command line: checked like the indicator set, listed as stored."""
from typer.testing import CliRunner

from app.cli import cli
from app.settings import get_settings

runner = CliRunner()


def test_check_accepts_the_real_library():
    r = runner.invoke(cli, ["practices", "check"])
    assert r.exit_code == 0, r.output
    assert r.output.strip().endswith("good_practices.yaml: 46 practices (10 cities, 16 with no city): OK")


def test_check_prints_every_problem_with_its_line_and_fails(tmp_path):
    bad = tmp_path / "practices.yaml"
    bad.write_text(
        "practices:\n"
        "  - key: one\n"
        "    city: Velmar\n"
        "    country: France\n"
        "    theme: housing\n"
        "    title: {fr: Un, en: One}\n"
        "    summary: {fr: Un.}\n"
        "    source: S\n"
        "    indicators: [GG-AMB-1]\n", encoding="utf-8")
    r = runner.invoke(cli, ["practices", "check", str(bad)])
    assert r.exit_code == 1
    assert f"{bad}:5: practices[0].theme: unknown theme (one of: needs, cross-department" in r.output
    assert f"{bad}:7: practices[0].summary.en: the English text is missing" in r.output
    r = runner.invoke(cli, ["practices", "check", str(bad).replace(".yaml", "-missing.yaml")])
    assert r.exit_code == 1 and "file not found" in r.output


def test_list_prints_the_library_as_stored(session, database, loaded):
    r = runner.invoke(cli, ["practices", "list", "--lang", "fr"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[-1] == "46 practices."
    lisbon = next(line for line in lines if "Lisboa (PT)" in line).split("\t")
    assert lisbon[2:] == ["L'intégration au sein de la municipalité", "Le guichet unique de Lisbonne",
                          "GG-IMP-4 IE-IMP-2 IE-IMP-3 AC-AMB-3 WP-RES-3 WP-AMB-1"]
    assert any(line.split("\t")[1] == "—" for line in lines[:-1])  # the catalogue's actions: no city


def test_serve_does_not_start_on_a_broken_library(tmp_path, monkeypatch):
    broken = tmp_path / "good_practices.yaml"
    broken.write_text("practices:\n  - key: x\n", encoding="utf-8")
    monkeypatch.setenv("INTI_PRACTICES_PATH", str(broken))
    monkeypatch.setenv("INTI_DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    get_settings.cache_clear()
    try:
        r = runner.invoke(cli, ["serve"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 1
    assert f"{broken}:2: practices[0].theme: Field required" in r.output
    assert r.output.strip().endswith("The service did not start: mend the good-practice library first.")
    assert not (tmp_path / "never.db").exists()

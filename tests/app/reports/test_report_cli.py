"""The final report from the command line: the draft's files written for one who may read
it, a published version's files exactly as stored, progress on stderr, refusals said."""
from sqlmodel import select
from support import publish_report
from typer.testing import CliRunner

from app.cli import cli
from app.reports.tables import ReportFile

runner = CliRunner()


def test_the_draft_then_the_published_files_as_stored(session, reporting, database, tmp_path):
    cycle = str(reporting.cycle.id)
    r = runner.invoke(cli, ["report", cycle, "--format", "html", "--format", "xlsx", "--lang", "fr",
                            "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    paths = r.stdout.split()
    assert [p.rsplit("/", 1)[1] for p in paths] == ["report-velmar-draft-fr.html", "report-velmar-draft-fr.xlsx"]
    assert "[1/2] html (fr)" in r.stderr and "[2/2] xlsx (fr)" in r.stderr
    assert "Projet — non publié" in (tmp_path / "report-velmar-draft-fr.html").read_text()

    publish_report(session, reporting.cycle)
    r = runner.invoke(cli, ["report", cycle, "--format", "pdf", "--lang", "en", "-o", str(tmp_path),
                            "--as", reporting.people["host_officer"].email])
    assert r.exit_code == 0, r.output
    written = (tmp_path / "report-velmar-v1-en.pdf").read_bytes()
    stored = session.exec(select(ReportFile).where(ReportFile.format == "pdf", ReportFile.lang == "en")).one()
    assert written == stored.data


def test_refusals_are_said_and_nothing_is_written(session, reporting, database, tmp_path):
    cycle = str(reporting.cycle.id)
    r = runner.invoke(cli, ["report", cycle, "--format", "odt", "-o", str(tmp_path)])
    assert r.exit_code == 1 and "Unknown format or language: odt" in r.output
    r = runner.invoke(cli, ["report", cycle, "--format", "html", "-o", str(tmp_path),
                            "--as", reporting.people["host_officer"].email])
    assert r.exit_code == 1 and "once the team leader shares it" in r.output
    assert not list(tmp_path.glob("report-*"))

"""The open dataset: published cycles only, one row per cycle × indicator, each reviewer's
judgement anonymised, the anonymised variant without city names or cycle ids, text never
a formula (CSV and Excel), the workbook's columns documented in both languages and opened
by LibreOffice; the command line writes the same files."""
import csv
import io
import subprocess

from openpyxl import load_workbook
from support import csv_rows_of
from typer.testing import CliRunner

from app.cli import cli
from app.people import service as people_service
from app.people.schemas import CityUpdate

runner = CliRunner()


def _csv(client, world, **params):
    r = client.get("/api/v1/open-data.csv", params=params, headers=world.auth("outsider"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text[:300]
    assert r.content.startswith("\ufeff".encode())
    return csv_rows_of(r.content)


def test_one_row_per_published_cycle_and_indicator_with_the_reviewers_anonymised(client, world, network):
    header, *rows = _csv(client, world)
    assert header[:13] == ["cycle_id", "city", "country", "year", "indicator_set_version", "report_version",
                           "indicator", "pillar", "dimension", "self_rating", "final_judgement", "recommendations",
                           "reviewers"]
    assert header[13:] == ["reviewer_1", "reviewer_2"]  # the peer and the team leader, unnamed
    assert len(rows) == 2 * 73 and {r[1] for r in rows} == {"Velmar", "Lumen"}  # Hiddenburg is not published
    row = {r[6]: dict(zip(header, r, strict=True)) for r in rows if r[1] == "Velmar"}["GG-AMB-1"]
    assert (row["self_rating"], row["final_judgement"], row["recommendations"], row["reviewers"]) == (
        "at", "below", "1", "2")
    assert sorted([row["reviewer_1"], row["reviewer_2"]]) == ["at", "at"] and row["country"] == "France"
    assert {r[10] for r in rows if r[1] == "Lumen"} == {"below"}
    text = "\n".join(",".join(r) for r in rows)
    assert "Giulia" not in text and "Lars" not in text and "peer@" not in text


def test_the_anonymised_variant_names_no_city_and_no_cycle(client, world, network):
    header, *rows = _csv(client, world, anonymised="true")
    assert "cycle_id" not in header and header[0] == "city"
    cities = {r[0] for r in rows}
    assert len(cities) == 2 and all(c.startswith("city-00") for c in cities)
    everything = "\n".join(",".join(r) for r in rows)
    assert "Velmar" not in everything and "Lumen" not in everything
    assert str(network.velmar.id) not in {r[0] for r in rows}


def test_text_is_never_a_formula_in_the_csv_or_the_workbook(client, session, world, network):
    people_service.update_city(session, world.people["coordinator"].id, network.lumen.host_city_id,
                               CityUpdate(name='=HYPERLINK("http://evil.example","x")'), None)
    session.commit()
    _header, *rows = _csv(client, world)
    assert {r[1] for r in rows} == {"Velmar", '\'=HYPERLINK("http://evil.example","x")'}
    r = client.get("/api/v1/open-data.xlsx", params={"lang": "fr"}, headers=world.auth("peer"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Colonnes", "Données"]
    data = wb["Données"]
    cells = [c for c in data["B"][1:] if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert data.max_row == 1 + 2 * 73
    documented = {row[0].value: row[1].value for row in wb["Colonnes"].iter_rows(min_row=2)}
    assert documented["final_judgement"].startswith("Le jugement final de l'équipe") and "reviewer_2" in documented


def test_libreoffice_opens_the_workbook(client, world, network, soffice, tmp_path):
    r = client.get("/api/v1/open-data.xlsx", params={"anonymised": "true", "lang": "en"}, headers=world.auth("peer"))
    (tmp_path / "open.xlsx").write_bytes(r.content)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
                    "--convert-to", "csv", "--outdir", str(tmp_path / "out"), str(tmp_path / "open.xlsx")],
                   check=True, capture_output=True, timeout=180)
    columns = list(csv.reader(io.StringIO((tmp_path / "out" / "open.csv").read_text())))
    assert columns[0] == ["Column", "What it holds"] and ["reviewers"] == [c[0] for c in columns if c[0] == "reviewers"]


def test_the_command_line_writes_the_dataset(session, world, network, database, tmp_path):
    r = runner.invoke(cli, ["open-data", "--anonymised", "--format", "csv", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    path = tmp_path / "inti-cities-open-data-anonymised.csv"
    assert r.stdout.strip() == str(path)
    header, *rows = csv_rows_of(path.read_bytes())
    assert header[0] == "city" and len(rows) == 2 * 73
    r = runner.invoke(cli, ["open-data", "--format", "ods", "-o", str(tmp_path)])
    assert r.exit_code == 1 and "Unknown format" in r.output

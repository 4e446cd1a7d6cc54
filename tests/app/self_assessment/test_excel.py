"""The Excel round trip: export, edit (openpyxl or LibreOffice), import; and every bad file."""
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from xlsx_support import (
    deflate,
    deflate_bomb,
    edited,
    replace_cell,
    resave_with_libreoffice,
    rezip,
    sheet_part,
    with_raw_members,
)

from app.self_assessment.tables import SelfAssessmentEntry
from support import statements, submit_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client, world, role="host_officer", lang="en"):
    r = client.get(f"/api/v1/cycles/{world.cycle.id}/self-assessment.xlsx",
                   headers={**world.auth(role), "Accept-Language": lang})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    return r.content


def send(client, world, data, lang="en"):
    return client.post(f"/api/v1/cycles/{world.cycle.id}/self-assessment.xlsx",
                       files={"file": ("report.xlsx", data, XLSX)},
                       headers={**world.auth("host_officer"), "Accept-Language": lang})


def send_ok(client, world, data):
    r = send(client, world, data)
    assert r.status_code == 200, r.text


def report(client, world):
    entries = client.get(f"/api/v1/cycles/{world.cycle.id}/self-assessment", headers=world.auth("host_officer")).json()["entries"]
    return {e["indicator_code"]: e for e in entries}


def fill_three(wb):
    ws = wb["Self-assessment"]
    ws["E2"] = "at the benchmark"
    ws["F2"] = "First paragraph.\n\nSecond paragraph, with « quotes » and émigré."
    ws["G2"] = "Plan Velmar Accueil | https://www.velmar.example/plan.pdf\nBudget 2026 | https://www.velmar.example/budget"
    ws["H2"] = "Hélène Marchetti | Deputy mayor | Mayor's office\nPaul Girard | Head of unit |"
    ws["E3"] = "below"
    ws["F3"] = "Nothing yet."
    ws["E10"] = "au-dessus du référentiel"  # French label accepted too
    ws["F10"] = "=1+1 is text here"  # typed as text after a formula prefix? openpyxl makes it a formula
    ws["F10"].data_type = "s"


EXPECTED = {
    "GG-AMB-1": {"self_rating": "at", "description": "First paragraph.\n\nSecond paragraph, with « quotes » and émigré.",
                 "evidence": [{"title": "Plan Velmar Accueil", "url": "https://www.velmar.example/plan.pdf"},
                              {"title": "Budget 2026", "url": "https://www.velmar.example/budget"}],
                 "responsible": [{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Mayor's office"},
                                 {"name": "Paul Girard", "role": "Head of unit", "department": ""}]},
    "GG-AMB-2": {"self_rating": "below", "description": "Nothing yet.", "evidence": [], "responsible": []},
    "GG-LEA-3": {"self_rating": "above", "description": "=1+1 is text here", "evidence": [], "responsible": []},
}


def assert_expected(client, world):
    got = report(client, world)
    for code, fields in EXPECTED.items():
        assert {k: got[code][k] for k in fields} == fields, code
    assert sum(1 for e in got.values() if e["version"]) == 3


def test_export_is_a_workbook_an_officer_can_fill(client, world):
    client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1", headers=world.auth("host_officer"),
               json={"self_rating": "above", "description": "=HYPERLINK(\"http://evil\")", "evidence": [],
                     "responsible": []})
    wb = load_workbook(io.BytesIO(export(client, world, lang="fr")))
    assert wb.sheetnames == ["Instructions", "Self-assessment", "_meta"]
    assert wb["_meta"].sheet_state == "hidden"
    assert wb["_meta"]["B2"].value == str(world.cycle.id)
    instructions = "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Comment remplir" in instructions and "How to fill in this workbook" in instructions
    ws = wb["Self-assessment"]
    assert ws.max_row == 74 and ws["A74"].value == "WP-EVA-4"
    assert ws["A1"].value == "Code" and ws["D2"].value.startswith("La municipalité adopte un plan stratégique")
    assert ws.freeze_panes == "B2" and ws.protection.sheet
    assert ws["A2"].protection.locked and ws["D2"].protection.locked and not ws["F2"].protection.locked
    assert ws["F2"].alignment.wrap_text and ws.column_dimensions["F"].width >= 60
    assert ws["E2"].value == "au-dessus du référentiel"
    assert ws["F2"].value == "=HYPERLINK(\"http://evil\")" and ws["F2"].data_type == "s"  # text, never a formula
    validation = ws.data_validations.dataValidation[0]
    assert "E2" in validation.sqref and "au niveau du référentiel" in validation.formula1


def test_round_trip_with_openpyxl(client, world, session):
    r = send(client, world, edited(export(client, world), fill_three))
    assert r.status_code == 200 and r.json() == {"updated": 3, "skipped": 70}
    assert_expected(client, world)
    again = send(client, world, export(client, world))  # the export imports back unchanged
    assert again.json() == {"updated": 0, "skipped": 73}
    assert_expected(client, world)


def test_round_trip_through_libreoffice_calc(client, world, soffice, tmp_path):
    resaved = resave_with_libreoffice(soffice, edited(export(client, world), fill_three), tmp_path)
    assert b"LibreOffice" in zipfile.ZipFile(io.BytesIO(resaved)).read("docProps/app.xml")
    r = send(client, world, resaved)
    assert r.status_code == 200 and r.json() == {"updated": 3, "skipped": 70}, r.text
    assert_expected(client, world)


def bad(problem_of):
    """Decorate nothing: a helper naming what each bad-file case does."""
    return problem_of


def _zip_with(data, name, content):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, content)
    return out.getvalue()


def _bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"\0" * (30 * 1024 * 1024))
    return out.getvalue()


def _chartsheet(data):
    def edit(wb):
        del wb["Self-assessment"]
        wb.create_chartsheet("Self-assessment")
    return edited(data, edit)


def _cell(sheet, cell, value):
    def edit(wb):
        wb[sheet][cell] = value
    return edit


CASES = {
    "wrong cycle": (lambda d: edited(d, _cell("_meta", "B2", "999")), ("_meta", "B2"), "review cycle 999"),
    "wrong version": (lambda d: edited(d, _cell("_meta", "B3", "0.9")), ("_meta", "B3"), "indicator set 0.9"),
    "unknown code": (lambda d: edited(d, _cell("Self-assessment", "A5", "GG-AMB-99")), ("Self-assessment", "A5"),
                     'Unknown indicator code "GG-AMB-99"'),
    "duplicated code": (lambda d: edited(d, _cell("Self-assessment", "A3", "GG-AMB-1")), ("Self-assessment", "A3"),
                        "GG-AMB-1 appears twice (first in A2)"),
    "rating outside the list": (lambda d: edited(d, _cell("Self-assessment", "E4", "excellent")),
                                ("Self-assessment", "E4"), '"excellent" is not a self-rating'),
    "text over the limit": (lambda d: edited(d, _cell("Self-assessment", "F6", "x" * 10_001)),
                            ("Self-assessment", "F6"), "10001 characters"),
    "formula": (lambda d: edited(d, _cell("Self-assessment", "F7", "=SUM(1,2)")), ("Self-assessment", "F7"), "formula"),
    "bad link": (lambda d: edited(d, _cell("Self-assessment", "G8", "Plan | not a link")), ("Self-assessment", "G8"),
                 "A link starts with http:// or https://"),
    "chartsheet instead of the data": (lambda d: _chartsheet(d), (None, None), "cannot be opened"),
    "corrupt": (lambda d: d[: len(d) // 2], (None, None), "damaged"),
    "macro-enabled": (lambda d: _zip_with(d, "xl/vbaProject.bin", b"VBA"), (None, None), "macros"),
    "password-protected": (lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, (None, None), "password"),
    "not a workbook": (lambda d: b"%PDF-1.4 hello", (None, None), "not an .xlsx workbook"),
    "over 10 MB": (lambda d: b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), (None, None), "larger than 10 MB"),
    "zip bomb": (lambda d: _bomb(), (None, None), "unreasonable size"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_workbook_is_refused_naming_sheet_and_cell_and_nothing_changes(client, world, session, case):
    make, (sheet, cell), message = CASES[case]
    base = edited(export(client, world), fill_three)
    r = send(client, world, make(base))
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert errors[0]["sheet"] == sheet and errors[0]["cell"] == cell
    assert any(message in e["msg"] for e in errors), errors
    assert session.exec(select(SelfAssessmentEntry)).all() == []


def test_every_problem_is_listed_in_the_users_language(client, world):
    def many(wb):
        ws = wb["Self-assessment"]
        ws["E2"], ws["E3"], ws["A4"] = "super", "=1", "XX-1"
    r = send(client, world, edited(export(client, world), many), lang="fr")
    assert r.status_code == 422
    cells = [e["cell"] for e in r.json()["errors"]]
    assert cells == ["E2", "E3", "A4"]
    assert "n'est pas une auto-évaluation" in r.json()["errors"][0]["msg"]
    assert "3" in r.json()["detail"] and "rien n'a été modifié" in r.json()["detail"]


def test_only_the_host_officer_imports_and_not_after_submission(client, world, session):
    data = edited(export(client, world), fill_three)
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/self-assessment.xlsx", files={"file": ("r.xlsx", data, XLSX)},
                    headers=world.auth("coordinator"))
    assert r.status_code == 403
    submit_report(session, world.cycle)
    before = {(e.indicator_code, e.version, e.description) for e in session.exec(select(SelfAssessmentEntry))}
    r = send(client, world, data)
    assert r.status_code == 409 and "read-only" in r.json()["detail"]
    session.expire_all()
    assert {(e.indicator_code, e.version, e.description) for e in session.exec(select(SelfAssessmentEntry))} == before


def test_import_queries_do_not_grow_with_the_number_of_rows(client, world, engine):
    def queries(edit):
        data = edited(export(client, world), edit)
        with statements(engine) as seen:
            send_ok(client, world, data)
        return len(seen)

    def rows(first, last, text):
        def edit(wb):
            for row in range(first, last + 1):
                wb["Self-assessment"][f"E{row}"] = "at"
                wb["Self-assessment"][f"F{row}"] = text
        return edit

    few = queries(rows(2, 4, "Created."))      # 3 new entries
    many = queries(rows(2, 74, "Updated."))    # 3 updated + 70 new
    assert many == few + 1  # the update statement; inserts, audit rows: batched
    assert queries(rows(2, 74, "Again.")) <= many


def test_every_problem_of_a_row_is_reported(client, world):
    def two(wb):
        ws = wb["Self-assessment"]
        ws["E2"], ws["F2"], ws["G2"] = "excellent", "x" * 10_001, "Plan | ftp://nowhere"
    r = send(client, world, edited(export(client, world), two))
    assert [e["cell"] for e in r.json()["errors"]] == ["E2", "F2", "G2"]


def test_a_far_away_cell_is_not_read(client, world):
    """A tiny file naming cell XFD1048576 must not make the parser build the whole sheet."""
    def far(wb):
        fill_three(wb)
        wb["Self-assessment"]["XFD1048576"] = "far away"
    r = send(client, world, edited(export(client, world), far))
    assert r.status_code == 200 and r.json() == {"updated": 3, "skipped": 70}


def test_rows_past_the_indicators_are_refused(client, world):
    r = send(client, world, edited(export(client, world), _cell("Self-assessment", "A201", "GG-AMB-1")))
    assert r.status_code == 422 and r.json()["errors"][0]["cell"] == "A201"


def test_twelve_long_evidence_items_survive_the_round_trip(client, world):
    evidence = [{"title": "T" * 300, "url": "https://www.velmar.example/" + "p" * 960 + str(n)} for n in range(12)]
    r = client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1", headers=world.auth("host_officer"),
                   json={"self_rating": "at", "description": "x", "evidence": evidence})
    assert r.status_code == 200
    assert send(client, world, export(client, world)).json() == {"updated": 0, "skipped": 73}
    assert report(client, world)["GG-AMB-1"]["evidence"] == evidence


def test_control_characters_are_refused_so_the_export_always_works(client, world):
    r = client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1", headers=world.auth("host_officer"),
                   json={"description": "vertical\x0btab"})
    assert r.status_code == 422 and r.json()["errors"][0]["msg"] == "Text may not contain control characters."
    r = client.patch(f"/api/v1/cycles/{world.cycle.id}", json={"title": "Velmar\x01"}, headers=world.auth("coordinator"))
    assert r.status_code == 422
    export(client, world)


def test_a_pipe_in_a_link_is_refused_rather_than_cut(client, world):
    r = client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1", headers=world.auth("host_officer"),
                   json={"evidence": [{"title": "Search", "url": "https://example.org/?q=a|b"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["evidence", 0, "url"]


def test_field_errors_read_in_french_and_say_what_to_do(client, world):
    r = send(client, world, edited(export(client, world), _cell("Self-assessment", "G8", "Plan | pas un lien")), lang="fr")
    assert r.json()["errors"][0]["msg"].startswith("Un lien commence par http:// ou https://")
    r = client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1",
                   headers={**world.auth("host_officer"), "Accept-Language": "fr"}, json={"self_rating": "great"})
    assert r.json()["errors"][0]["msg"].startswith("Choisissez parmi")


# --- malformed workbooks: a 422 naming the sheet (and the cell), never a 500 --------------

DATA, META = "Self-assessment", "_meta"
ENTITIES = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')


def _in_sheet(title, edit):
    return lambda d: rezip(d, {sheet_part(d, title): edit})


def _truncated_after_row(n):
    return lambda xml: xml[: xml.index(f'<row r="{n + 1}"'.encode()) + 20]


def _content_types(stream, declared_size):
    """[Content_Types].xml holding a raw deflate ``stream``, the zip declaring ``declared_size``."""
    return lambda d: with_raw_members(d, {"[Content_Types].xml": (stream, declared_size)})


def _content_types_declared(size):
    def make(data):
        return _content_types(deflate(zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")), size)(data)
    return make


def _macro_sheet_declared_elsewhere(data):
    """An Excel 4.0 macro sheet outside xl/macrosheets/, known only by its content type."""
    override = (b'<Override PartName="/xl/worksheets/sheet9.xml" '
                b'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>')
    return rezip(data, {"[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override),
                        "xl/worksheets/sheet9.xml": b"<xm:macrosheet/>"})


def _renamed(title):
    def edit(wb):
        wb[DATA].title = title
    return edit


def _deleted(wb):
    del wb[DATA]


MALFORMED = {  # make, (sheet, cell), part of the French message
    "truncated sheet XML": (_in_sheet(DATA, _truncated_after_row(5)), (DATA, None),
                            "La feuille est endommagée après la ligne 5"),
    "non-number in a numeric cell": (_in_sheet(DATA, replace_cell("E5", '<c r="E5" t="n"><v>abc</v></c>')),
                                     (DATA, "E5"), "La cellule est endommagée"),
    "bad date in _meta": (_in_sheet(META, replace_cell("B4", '<c r="B4" t="d"><v>garbage</v></c>')),
                          (META, "B4"), "La cellule est endommagée"),
    "entities in a sheet": (_in_sheet(DATA, lambda xml: ENTITIES.encode() + xml), (DATA, None),
                            "La feuille est endommagée"),
    "entities in the workbook part": (lambda d: rezip(d, {"xl/workbook.xml": lambda xml: ENTITIES.encode() + xml}),
                                      (None, None), "Le fichier est endommagé"),
    "renamed data sheet": (lambda d: edited(d, _renamed("Auto-évaluation")), (DATA, None),
                           "la feuille Self-assessment manque"),
    "deleted data sheet": (lambda d: edited(d, _deleted), (DATA, None), "la feuille Self-assessment manque"),
    "Excel 4.0 macro sheet": (lambda d: rezip(d, {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}),
                              (None, None), "contient des macros"),
    "dialog sheet": (lambda d: rezip(d, {"xl/dialogsheets/sheet1.xml": b"<dialogsheet/>"}), (None, None),
                     "contient des macros"),
    "macro sheet known by its content type": (_macro_sheet_declared_elsewhere, (None, None), "contient des macros"),
    # the reviewer's bomb, a part of 300 MB in 300 kB, refused from the zip's directory before
    # any read; then lying about its size, refused by a read that stops past the declared size
    "part inflating to 300 MB": (_content_types(deflate_bomb(300), 300 * 1024 * 1024), (None, None),
                                 "taille déraisonnable"),
    "part inflating past its declared size": (_content_types(deflate_bomb(300), 1000), (None, None),
                                              "taille déraisonnable"),
    "part declared 2 GB": (_content_types_declared(2_000_000_000), (None, None), "taille déraisonnable"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_workbook_is_a_422_naming_sheet_and_cell_in_french(client, world, session, case):
    make, (sheet, cell), message = MALFORMED[case]
    r = send(client, world, make(edited(export(client, world), fill_three)), lang="fr")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    errors = r.json()["errors"]
    assert [(e["sheet"], e["cell"]) for e in errors] == [(sheet, cell)]
    assert message in errors[0]["msg"], errors
    assert "rien n'a été modifié" in r.json()["detail"]
    assert session.exec(select(SelfAssessmentEntry)).all() == []


def test_problems_found_before_a_damaged_row_are_listed_with_it(client, world):
    def problem_then_damage(data):
        data = edited(data, _cell(DATA, "E3", "excellent"))
        return rezip(data, {sheet_part(data, DATA): _truncated_after_row(5)})
    r = send(client, world, problem_then_damage(export(client, world)))
    assert r.status_code == 422
    assert [(e["sheet"], e["cell"]) for e in r.json()["errors"]] == [(DATA, "E3"), (DATA, None)]
    assert "damaged after row 5" in r.json()["errors"][1]["msg"]


# --- which rows are edits: the hidden sheet's record of each row as exported ------------

def put(client, world, code, description, rating="above", **fields):
    r = client.put(f"/api/v1/cycles/{world.cycle.id}/self-assessment/{code}", headers=world.auth("host_officer"),
                   json={"self_rating": rating, "description": description, **fields})
    assert r.status_code == 200, r.text
    return r.json()


def fill_first_row(wb):
    wb[DATA]["E2"], wb[DATA]["F2"] = "at the benchmark", "Typed in Excel."


def test_a_row_untouched_in_the_workbook_keeps_what_was_saved_online_since(client, world):
    put(client, world, "GG-AMB-2", "Before the export.")
    data = edited(export(client, world), fill_first_row)
    put(client, world, "GG-AMB-2", "Written online meanwhile.", rating="below")
    r = send(client, world, data)
    assert r.status_code == 200 and r.json() == {"updated": 1, "skipped": 72}, r.text
    got = report(client, world)
    assert got["GG-AMB-2"]["description"] == "Written online meanwhile." and got["GG-AMB-2"]["self_rating"] == "below"
    assert got["GG-AMB-2"]["version"] == 2
    assert got["GG-AMB-1"]["description"] == "Typed in Excel." and got["GG-AMB-1"]["version"] == 1


def test_a_row_changed_only_in_the_workbook_is_applied(client, world):
    put(client, world, "GG-AMB-1", "Online before the export.")
    put(client, world, "GG-AMB-3", "Another one.")
    data = edited(export(client, world), fill_first_row)
    put(client, world, "GG-AMB-3", "Another one, changed online.")  # another row: no conflict
    r = send(client, world, data)
    assert r.status_code == 200 and r.json() == {"updated": 1, "skipped": 72}
    got = report(client, world)
    assert (got["GG-AMB-1"]["description"], got["GG-AMB-1"]["self_rating"], got["GG-AMB-1"]["version"]) == (
        "Typed in Excel.", "at", 2)
    assert got["GG-AMB-3"]["description"] == "Another one, changed online."


def test_a_row_changed_in_the_workbook_to_what_is_online_is_no_conflict(client, world):
    data = edited(export(client, world), fill_first_row)
    put(client, world, "GG-AMB-1", "Typed in Excel.", rating="at")
    r = send(client, world, data)
    assert r.status_code == 200 and r.json() == {"updated": 0, "skipped": 73}
    assert report(client, world)["GG-AMB-1"]["version"] == 1


def test_a_row_changed_on_both_sides_refuses_the_import_showing_both_versions(client, world, session):
    put(client, world, "GG-AMB-2", "Before the export.",
        responsible=[{"name": "Paul Girard", "role": "Head of unit"}])
    data = edited(export(client, world), fill_three)  # rows 2 (GG-AMB-1), 3 (GG-AMB-2) and 10
    put(client, world, "GG-AMB-2", "Written online meanwhile.")
    before = {(e.indicator_code, e.version, e.description) for e in session.exec(select(SelfAssessmentEntry))}
    r = send(client, world, data)
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert [(e["sheet"], e["cell"]) for e in errors] == [("Self-assessment", "A3")]
    msg = errors[0]["msg"]
    assert msg.startswith("GG-AMB-2 was changed both in this workbook and online since the export "
                          "(online by Amina Officer on 20")
    assert ('Self-rating in this workbook: below the benchmark; online now: above the benchmark. '
            'Description of policy and practice in this workbook: "Nothing yet."; '
            'online now: "Written online meanwhile.".') in msg
    assert 'Responsible people in this workbook: "Paul Girard | Head of unit"; online now: empty.' in msg
    assert "Evidence" not in msg  # the same on both sides
    assert "1 problems" in r.json()["detail"] and "nothing was changed" in r.json()["detail"]
    session.expire_all()
    assert {(e.indicator_code, e.version, e.description) for e in session.exec(select(SelfAssessmentEntry))} == before
    assert report(client, world)["GG-AMB-1"]["version"] == 0  # the row changed in Excel only: not written either


def test_a_conflict_reads_in_french_without_an_english_word(client, world):
    data = edited(export(client, world), fill_three)
    put(client, world, "GG-AMB-2", "x" * 500)
    r = send(client, world, data, lang="fr")
    msg = r.json()["errors"][0]["msg"]
    assert msg.startswith("GG-AMB-2 a été modifié à la fois dans ce classeur et en ligne depuis l'export "
                          "(en ligne par Amina Officer le 20")
    assert ("Auto-évaluation dans ce classeur\u00a0: en dessous du référentiel\u00a0; en ligne maintenant\u00a0: "
            "au-dessus du référentiel.") in msg
    assert "«\u00a0" + "x" * 199 + "…\u00a0»" in msg  # long texts cut
    assert not {"changed", "online", "workbook", "below", "empty"} & set(msg.replace(".", " ").split())


def test_a_version_forged_for_an_entry_never_written_is_no_conflict(client, world):
    """Nothing online to lose: the row is written (rather than a conflict with nothing)."""
    data = edited(export(client, world), lambda wb: (fill_first_row(wb), wb[META].__setitem__("B6", "5")))
    r = send(client, world, data)
    assert r.status_code == 200 and r.json() == {"updated": 1, "skipped": 72}
    assert report(client, world)["GG-AMB-1"]["description"] == "Typed in Excel."


def exported_before_snapshots(data):
    """The workbook as exported before the hidden sheet recorded each row (format 1): the
    versions of the entries written, and nothing else."""
    def edit(wb):
        ws = wb[META]
        ws["B1"] = "inti-cities/self-assessment/1"
        for row in range(ws.max_row, 5, -1):
            if ws.cell(row, 2).value == "0":
                ws.delete_rows(row)
            else:
                ws.cell(row, 3).value = None
    return edited(data, edit)


def test_a_workbook_exported_before_the_record_of_rows_imports_by_versions(client, world):
    put(client, world, "GG-AMB-2", "Before the export.")
    put(client, world, "GG-AMB-3", "Before the export too.")
    old = exported_before_snapshots(edited(export(client, world), fill_first_row))
    assert load_workbook(io.BytesIO(old))[META].max_column == 2
    put(client, world, "GG-AMB-3", "Written online meanwhile.")
    r = send(client, world, old)  # row of GG-AMB-3 untouched, but it differs from what is online now
    assert r.status_code == 422 and [e["cell"] for e in r.json()["errors"]] == ["A4"]
    assert "GG-AMB-3 was changed in the service after this workbook was exported" in r.json()["errors"][0]["msg"]
    assert report(client, world)["GG-AMB-1"]["version"] == 0
    fresh = exported_before_snapshots(edited(export(client, world), fill_three))
    r = send(client, world, fresh)
    assert r.status_code == 200 and r.json() == {"updated": 3, "skipped": 70}
    assert report(client, world)["GG-AMB-2"]["description"] == "Nothing yet."


def test_odd_versions_in_a_workbook_before_the_record_of_rows_are_ignored_not_crashing(client, world):
    put(client, world, "GG-AMB-1", "Online.")
    for odd in ("9" * 5000, "²"):  # int() of 5,000 digits raises ValueError
        old = exported_before_snapshots(export(client, world))
        r = send(client, world, edited(old, lambda wb, v=odd: wb[META].append(["GG-AMB-1", v])))
        assert r.status_code == 200 and r.json() == {"updated": 0, "skipped": 73}, r.text


def _meta_cell(cell, value):
    return lambda d: edited(d, _cell(META, cell, value))


def _meta_row_deleted(row):
    return lambda d: edited(d, lambda wb: wb[META].delete_rows(row))


BAD_META = {  # make, [(sheet, cell)], the first one's message
    "digest not hex": (_meta_cell("C6", "z" * 64), [(META, "C6")], "not the record of a row as exported"),
    "digest missing": (_meta_cell("C7", None), [(META, "C7")], "not the record of a row as exported"),
    "version not a number": (_meta_cell("B8", "two"), [(META, "B8")], "not a version number"),
    "version of 5,000 digits": (_meta_cell("B8", "9" * 5000), [(META, "B8")], "not a version number"),
    "unknown code": (_meta_cell("A9", "GG-AMB-99"), [(META, "A9"), (META, None)],
                     'Unknown indicator code "GG-AMB-99"'),
    "code twice": (_meta_cell("A9", "GG-AMB-1"), [(META, "A9"), (META, None)], "GG-AMB-1 appears twice (first in A6)"),
    "row deleted": (_meta_row_deleted(10), [(META, None)], "lacks the record of GG-AMB-5 as exported"),
    "unknown format": (_meta_cell("B1", "inti-cities/self-assessment/3"), [(None, None)],
                       "not a self-assessment workbook exported by this service"),
}


@pytest.mark.parametrize("case", BAD_META)
def test_a_malformed_record_of_rows_is_refused_naming_the_cell(client, world, session, case):
    make, places, message = BAD_META[case]
    r = send(client, world, make(edited(export(client, world), fill_three)))
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert [(e["sheet"], e["cell"]) for e in errors] == places
    assert message in errors[0]["msg"], errors
    assert session.exec(select(SelfAssessmentEntry)).all() == []


def test_rows_untouched_through_libreoffice_calc_are_no_edits(client, world, soffice, tmp_path):
    """What LibreOffice writes back reads as the same rows: the record of each row survives it."""
    put(client, world, "GG-AMB-1", "Paragraph one.\n\nParagraph two, « guillemets ».",
        evidence=[{"title": "Plan", "url": "https://www.velmar.example/plan.pdf"}],
        responsible=[{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Mayor's office"}])
    put(client, world, "GG-AMB-2", "1234")  # a number as text
    data = edited(export(client, world), lambda wb: wb[DATA].__setitem__("F4", "Typed in Calc."))
    put(client, world, "GG-AMB-1", "Changed online after the export.")
    put(client, world, "GG-AMB-2", "Also changed online.")
    r = send(client, world, resave_with_libreoffice(soffice, data, tmp_path))
    assert r.status_code == 200 and r.json() == {"updated": 1, "skipped": 72}, r.text
    got = report(client, world)
    assert got["GG-AMB-1"]["description"] == "Changed online after the export."
    assert got["GG-AMB-2"]["description"] == "Also changed online."
    assert got["GG-AMB-3"]["description"] == "Typed in Calc."

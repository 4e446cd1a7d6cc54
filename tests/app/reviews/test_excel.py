"""The preparatory review's workbook: export, edit (openpyxl or LibreOffice), import; the
rows that are edits, conflicts, every bad cell, and who may import when."""
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from xlsx_support import edited, read_with_libreoffice, refused, resave_with_libreoffice

from benchmark.scales import Phase

from app.cycles import service as cycles_service
from app.reviews.tables import ReviewEntry
from support import browser_login, csrf_of, rights_of, start_preparatory_review, statements, write_review

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA, META = "Preparatory review", "_meta"
# A column per field: the reference (A-D), the host's self-rating (E), then the reviewer's.
PERFORMANCE, KNOWN, UNKNOWN, SUSPECTED, QUESTIONS, PEOPLE = "F", "G", "H", "I", "J", "K"


@pytest.fixture
def team(session, world):
    """The cycle in its preparatory review (the host's report submitted, every self-rating "at")."""
    start_preparatory_review(session, world.cycle)
    return world


def url(world, tail):
    return f"/api/v1/cycles/{world.cycle.id}/{tail}"


def export(client, world, role="peer", lang="en"):
    r = client.get(url(world, "reviews/me.xlsx"), headers={**world.auth(role), "Accept-Language": lang})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX and "attachment" in r.headers["content-disposition"]
    return r.content


def send(client, world, data, role="peer", lang="en"):
    return client.post(url(world, "reviews/me.xlsx"), files={"file": ("review.xlsx", data, XLSX)},
                       headers={**world.auth(role), "Accept-Language": lang})


def assert_imported(r):
    assert r.status_code == 200, r.text


def mine(client, world, role="peer"):
    entries = client.get(url(world, "reviews/me"), headers=world.auth(role)).json()["entries"]
    return {e["indicator_code"]: e for e in entries}


def put(client, world, code, role="peer", **fields):
    r = client.put(url(world, f"reviews/me/{code}"), json=fields, headers=world.auth(role))
    assert r.status_code == 200, r.text
    return r.json()


def row_of(ws, code):
    return next(cell.row for cell in ws["A"] if cell.value == code)


class Text(str):
    """A value typed as text even though it starts with "=" (openpyxl would make it a formula)."""


def cells(**values):
    """An edit of the data sheet: ``GG_IMP_3={"F": "below", ...}`` (dashes as underscores)."""
    def edit(wb):
        ws = wb[DATA]
        for code, columns in values.items():
            row = row_of(ws, code.replace("_", "-"))
            for column, value in columns.items():
                ws[f"{column}{row}"] = str(value)
                if isinstance(value, Text):
                    ws[f"{column}{row}"].data_type = "s"
    return edit


# The seed's example row (Section A, step 4), under GG-IMP-3 in the revised set, as typed in a French workbook.
SEED_ROW = {
    PERFORMANCE: "informations complémentaires nécessaires",
    KNOWN: "La ville a un comité consultatif permanent de 15 membres, qui se réunit 4 fois par an.",
    UNKNOWN: "Quel est le niveau de représentativité ou de qualification de ses membres.",
    SUSPECTED: "La municipalité ne tire pas entièrement parti des avis du comité.",
    QUESTIONS: "Origine des membres du comité. Comment ont-ils été nommés ?\n\n"
               "Le comité est-il pris au sérieux ? Avec quelle fréquence est-il consulté ?\n"
               "Quelles recommandations récentes ont été faites ? Quel suivi leur a-t-on réservé ?",
    PEOPLE: "Président du comité | Président | Comité consultatif | oui\nHélène Marchetti | Adjointe au maire",
}
SEED_ENTRY = {
    "performance": "more_info",
    "hypothesis": {"known": SEED_ROW[KNOWN], "unknown": SEED_ROW[UNKNOWN], "suspected": SEED_ROW[SUSPECTED]},
    "questions": ["Origine des membres du comité. Comment ont-ils été nommés ?",
                  "Le comité est-il pris au sérieux ? Avec quelle fréquence est-il consulté ?",
                  "Quelles recommandations récentes ont été faites ? Quel suivi leur a-t-on réservé ?"],
    "people_to_meet": [
        {"name": "Président du comité", "role": "Président", "organisation": "Comité consultatif", "interpreter": True},
        {"name": "Hélène Marchetti", "role": "Adjointe au maire", "organisation": "", "interpreter": False}],
}
FILL_THREE = cells(GG_IMP_3=SEED_ROW,
                   GG_AMB_1={PERFORMANCE: "above the benchmark", QUESTIONS: Text("=1+1 is a question, not a formula?")},
                   GG_AMB_2={PERFORMANCE: "Below", PEOPLE: "Paul Girard | | | yes"})


def assert_three(client, world):
    got = mine(client, world)
    assert {k: got["GG-IMP-3"][k] for k in SEED_ENTRY} == SEED_ENTRY
    assert got["GG-AMB-1"]["performance"] == "above"
    assert got["GG-AMB-2"]["people_to_meet"] == [{"name": "Paul Girard", "role": "", "organisation": "",
                                                  "interpreter": True}]
    assert sum(1 for e in got.values() if e["version"]) == 3


def test_the_workbook_is_the_seeds_template_in_the_users_language(client, team):
    put(client, team, "GG-AMB-1", performance="at", hypothesis={"known": "=HYPERLINK(\"http://evil\")"},
        people_to_meet=[{"name": "Youssef Benali", "role": "Member", "interpreter": True}])
    wb = load_workbook(io.BytesIO(export(client, team, lang="fr")))
    assert wb.sheetnames == ["Instructions", DATA, META] and wb.active.title == DATA
    assert wb[META].sheet_state == "hidden" and wb[META]["B1"].value == "inti-cities/preparatory-review/1"
    instructions = "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Comment remplir" in instructions and "How to fill in this workbook" in instructions
    ws = wb[DATA]
    assert [c.value for c in ws[1]] == [
        "Code", "Pilier", "Dimension", "Indicateur", "Auto-évaluation de la ville hôte", "Performance",
        "Hypothèse\u00a0: ce que nous savons", "Hypothèse\u00a0: ce que nous ne savons pas",
        "Hypothèse\u00a0: ce que nous soupçonnons", "À demander (une question par ligne)",
        "À rencontrer (une personne par ligne\u00a0: nom | fonction | organisation | interprète)"]
    assert ws.max_row == 74 and ws["A2"].value == "GG-AMB-1" and ws["B2"].value == "Gouvernance générale"
    assert ws["D2"].value.startswith("La municipalité adopte un plan stratégique")
    assert ws["E2"].value == "au niveau du référentiel"  # the host's self-rating, for reading
    assert ws["F2"].value == "au niveau du référentiel"
    assert ws["G2"].value == "=HYPERLINK(\"http://evil\")" and ws["G2"].data_type == "s" and ws["G2"].quotePrefix
    assert ws["K2"].value == "Youssef Benali | Member |  | oui"
    for cell in ("A2", "D2", "E2"):  # the reference and the self-rating: locked and grey
        assert ws[cell].protection.locked and ws[cell].fill.fgColor.rgb.endswith("F2F2F2")
    for column in "FGHIJK":
        assert not ws[f"{column}2"].protection.locked and ws[f"{column}2"].alignment.wrap_text
    assert ws.protection.sheet and ws.freeze_panes == "B2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    validation = ws.data_validations.dataValidation[0]
    assert "F2" in validation.sqref and "F74" in validation.sqref
    assert validation.formula1 == ('"en dessous du référentiel,au niveau du référentiel,au-dessus du référentiel,'
                                   'informations complémentaires nécessaires"')


def test_round_trip_with_openpyxl(client, team):
    r = send(client, team, edited(export(client, team), FILL_THREE))
    assert r.status_code == 200 and r.json() == {"updated": 3, "skipped": 70}, r.text
    assert_three(client, team)
    assert mine(client, team)["GG-AMB-1"]["questions"] == ["=1+1 is a question, not a formula?"]
    again = send(client, team, export(client, team, lang="fr"))  # the export imports back unchanged
    assert again.json() == {"updated": 0, "skipped": 73}
    assert_three(client, team)


def test_round_trip_through_libreoffice_calc(client, team, soffice, tmp_path):
    resaved = resave_with_libreoffice(soffice, edited(export(client, team), FILL_THREE), tmp_path)
    r = send(client, team, resaved)
    assert r.status_code == 200 and r.json() == {"updated": 3, "skipped": 70}, r.text
    assert_three(client, team)


def test_libreoffice_reads_the_exported_review(client, team, soffice, tmp_path):
    put(client, team, "GG-IMP-3", **SEED_ENTRY)
    sheets = read_with_libreoffice(soffice, export(client, team, lang="fr"), tmp_path)
    rows = sheets[DATA]
    assert rows[0][0] == "Code" and rows[0][5] == "Performance" and len(rows) == 74
    row = next(r for r in rows if r[0] == "GG-IMP-3")
    assert row[4:7] == ["au niveau du référentiel", "informations complémentaires nécessaires", SEED_ROW[KNOWN]]
    assert row[9] == "\n".join(SEED_ENTRY["questions"])
    assert row[10] == ("Président du comité | Président | Comité consultatif | oui\n"
                       "Hélène Marchetti | Adjointe au maire")


def test_a_row_untouched_in_the_workbook_keeps_what_was_saved_online_since(client, team):
    put(client, team, "GG-AMB-2", performance="at", questions=["Before the export."])
    data = edited(export(client, team), cells(GG_AMB_1={PERFORMANCE: "below the benchmark"}))
    put(client, team, "GG-AMB-2", performance="below", questions=["Written online meanwhile."])
    r = send(client, team, data)
    assert r.status_code == 200 and r.json() == {"updated": 1, "skipped": 72}, r.text
    got = mine(client, team)
    assert (got["GG-AMB-2"]["questions"], got["GG-AMB-2"]["version"]) == (["Written online meanwhile."], 2)
    assert (got["GG-AMB-1"]["performance"], got["GG-AMB-1"]["version"]) == ("below", 1)


def test_a_row_changed_on_both_sides_is_refused_showing_both_versions(client, team, session):
    put(client, team, "GG-AMB-2", performance="at", hypothesis={"known": "Before the export."})
    data = edited(export(client, team), FILL_THREE)  # GG-AMB-2 (row 3) among them
    put(client, team, "GG-AMB-2", performance="more_info", hypothesis={"known": "Written online meanwhile."},
        people_to_meet=[{"name": "Ana Lima", "interpreter": True}])
    before = {(e.indicator_code, e.version) for e in session.exec(select(ReviewEntry))}
    r = send(client, team, data)
    [(sheet, cell, msg)] = refused(r)
    assert (sheet, cell) == (DATA, "A3")
    assert msg.startswith("GG-AMB-2 was changed both in this workbook and online since the export "
                          "(online by Giulia Peer on 20")
    assert ("Performance in this workbook: below the benchmark; online now: more information needed. "
            'Hypothesis: what we know in this workbook: "Before the export."; online now: '
            '"Written online meanwhile.".') in msg
    assert ('To meet in this workbook: "Paul Girard" (with an interpreter: Paul Girard); online now: "Ana Lima" '
            "(with an interpreter: Ana Lima).") in msg
    assert "To ask" not in msg  # the same on both sides
    assert "nothing was changed" in r.json()["detail"]
    session.expire_all()
    assert {(e.indicator_code, e.version) for e in session.exec(select(ReviewEntry))} == before
    [(_sheet, _cell, msg)] = refused(send(client, team, data, lang="fr"))
    assert msg.startswith("GG-AMB-2 a été modifié à la fois dans ce classeur et en ligne depuis l'export "
                          "(en ligne par Giulia Peer le 20")
    assert ("Performance dans ce classeur\u00a0: en dessous du référentiel\u00a0; en ligne maintenant\u00a0: "
            "informations complémentaires nécessaires.") in msg


def test_a_row_changed_in_the_workbook_to_what_is_online_is_no_conflict(client, team):
    data = edited(export(client, team), cells(GG_AMB_1={PERFORMANCE: "at the benchmark", QUESTIONS: "Who?"}))
    put(client, team, "GG-AMB-1", performance="at", questions=["Who?"])
    r = send(client, team, data)
    assert r.status_code == 200 and r.json() == {"updated": 0, "skipped": 73}


def test_line_ends_typed_online_are_no_edit_in_the_workbook(client, team):
    put(client, team, "GG-AMB-1", performance="at", hypothesis={"known": "One.\r\nTwo."})
    r = send(client, team, export(client, team))
    assert r.status_code == 200 and r.json() == {"updated": 0, "skipped": 73}


# --- every bad cell, by sheet and cell, in the user's language; nothing changed ------------

BAD_CELLS = cells(
    GG_AMB_1={PERFORMANCE: "excellent"},
    GG_AMB_2={KNOWN: "x" * 5_001},
    GG_AMB_3={QUESTIONS: "A fair question?\n" + "x" * 520},
    GG_AMB_4={PEOPLE: "Paul Girard | Head of unit\n | Secretary | Committee"},
    GG_AMB_5={PEOPLE: "Ana Lima | | | perhaps"},
    GG_AMB_6={PEOPLE: "Ana Lima | Member | Committee | yes | Tuesday"},
    GG_LEA_1={SUSPECTED: "=SUM(1,2)"},
    GG_LEA_2={QUESTIONS: "\n".join(f"Question {n}?" for n in range(21))},
    GG_LEA_3={PEOPLE: "Ana Lima | " + "r" * 301},
)
EXPECTED = [  # (cell, English, French)
    ("F2", '"excellent" is not a performance: choose below, at or above the benchmark, or more information needed',
     "«\u00a0excellent\u00a0» n'est pas une performance"),
    ("G3", "The text has 5001 characters; at most 5000 are allowed.", "Le texte compte 5001 caractères"),
    ("J4", "Line 2: The question has 520 characters; at most 500 are allowed.",
     "Ligne 2\u00a0: la question compte 520 caractères"),
    ("K5", "Line 2: A person to meet needs a name", "Ligne 2\u00a0: une personne à rencontrer doit avoir un nom"),
    ("K6", 'Line 1: "perhaps" does not say whether an interpreter is needed', "Ligne 1\u00a0: «\u00a0perhaps\u00a0»"),
    ("K7", "Line 1: A person is written as name | role | organisation | interpreter: this line has 5 parts.",
     "Ligne 1\u00a0: une personne s'écrit"),
    ("I8", "The cell holds a formula", "La cellule contient une formule"),
    ("J9", "At most 20 lines are allowed here; this cell has 21.", "Au plus 20 lignes"),
    ("K10", "Line 1, role: At most 300 characters.", "Ligne 1, fonction\u00a0: "),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_bad_cell_is_named_by_sheet_and_cell_and_nothing_changes(client, team, session, lang):
    put(client, team, "GG-AMB-1", performance="at")
    r = send(client, team, edited(export(client, team), lambda wb: (FILL_THREE(wb), BAD_CELLS(wb))), lang=lang)
    problems = refused(r)
    assert [(sheet, cell) for sheet, cell, _msg in problems] == [(DATA, cell) for cell, _en, _fr in EXPECTED]
    for (_sheet, _cell, msg), (cell, english, french) in zip(problems, EXPECTED, strict=True):
        assert (english if lang == "en" else french) in msg, (cell, msg)
    assert ("9 problems, nothing was changed" if lang == "en" else "9 problème(s), rien n'a été modifié") in \
        r.json()["detail"]
    assert {(e.indicator_code, e.version) for e in session.exec(select(ReviewEntry))} == {("GG-AMB-1", 1)}


@pytest.mark.parametrize("case, make, place, message", [
    ("a PDF renamed .xlsx", lambda d: b"%PDF-1.4 hello", (None, None), "not an .xlsx workbook"),
    ("the initial report's workbook", None, (DATA, None), "not a preparatory review workbook"),
    ("the data sheet renamed", lambda d: edited(d, lambda wb: setattr(wb[DATA], "title", "Revue")), (DATA, None),
     "sheet Preparatory review is missing"),
    ("another cycle's", lambda d: edited(d, lambda wb: wb[META].__setitem__("B2", "999")), (META, "B2"),
     "review cycle 999"),
    ("a digest changed", lambda d: edited(d, lambda wb: wb[META].__setitem__("C7", "z")), (META, "C7"),
     "not the record of a row as exported"),
    ("corrupt", lambda d: d[: len(d) // 2], (None, None), "damaged"),
])
def test_a_malformed_file_is_a_422_never_a_500(client, team, session, case, make, place, message):
    if make is None:  # the host's workbook sent as a review
        data = client.get(url(team, "self-assessment.xlsx"), headers=team.auth("host_officer")).content
    else:
        data = make(edited(export(client, team), FILL_THREE))
    sheet, cell, msg = refused(send(client, team, data))[0]
    assert (sheet, cell) == place and message in msg, msg
    assert session.exec(select(ReviewEntry)).all() == []


# --- who may import, and when --------------------------------------------------------------------

def test_a_submitted_review_is_refused_and_kept(client, team, session):
    data = edited(export(client, team), FILL_THREE)
    write_review(session, team.cycle, team.people["peer"], submit=True)
    before = {(e.indicator_code, e.version) for e in session.exec(select(ReviewEntry))}
    r = send(client, team, data)
    assert r.status_code == 409 and "submitted and read-only" in r.json()["detail"]
    session.expire_all()
    assert {(e.indicator_code, e.version) for e in session.exec(select(ReviewEntry))} == before
    assert export(client, team)  # still exported, to read


def test_after_the_preparatory_review_the_import_is_refused(client, team, session):
    data = edited(export(client, team, role="team_leader"), FILL_THREE)
    coordinator = team.people["coordinator"]
    cycles_service.change_phase(session, rights_of(session, coordinator, team.cycle), team.cycle, Phase.VISIT,
                                override_reason="The peer's review came by e-mail.")
    session.commit()
    r = send(client, team, data, role="team_leader", lang="fr")
    assert r.status_code == 409 and "pendant la phase de revue préparatoire" in r.json()["detail"]
    assert session.exec(select(ReviewEntry)).all() == []


def test_the_team_leader_has_a_review_of_their_own(client, team):
    r = send(client, team, edited(export(client, team, role="team_leader"), FILL_THREE), role="team_leader")
    assert r.status_code == 200 and r.json()["updated"] == 3
    assert all(e["version"] == 0 for e in mine(client, team).values())  # the peer's is untouched


def test_the_host_self_rating_is_left_out_while_the_report_is_not_submitted(client, world):
    wb = load_workbook(io.BytesIO(export(client, world)))
    assert all(cell.value is None for cell in wb[DATA]["E"][1:])


def test_the_export_works_with_the_browsers_session(client, team, session):
    browser_login(client, session, team.people["peer"])
    r = client.get(url(team, "reviews/me.xlsx"))
    assert r.status_code == 200 and r.headers["content-type"] == XLSX


def test_import_queries_do_not_grow_with_the_number_of_rows(client, team, engine):
    def queries(first, last, word):
        data = edited(export(client, team), lambda wb: [wb[DATA].__setitem__(f"{PERFORMANCE}{row}", word)
                                                        for row in range(first, last + 1)])
        with statements(engine) as seen:
            assert_imported(send(client, team, data))
        return len(seen)

    few = queries(2, 4, "at")  # 3 new entries
    many = queries(2, 74, "below")  # 3 updated + 70 new
    assert many == few + 1  # the update statement; inserts, audit rows: batched
    assert queries(2, 74, "above") <= many


# --- the page: import, then back to one's review -----------------------------------------------

def page_import(client, session, world, data):
    browser_login(client, session, world.people["peer"])
    return client.post(f"/cycles/{world.cycle.id}/review/import", files={"file": ("review.xlsx", data, XLSX)},
                       data={"csrf_token": csrf_of(client)}, headers={"Accept-Language": "fr"},
                       follow_redirects=False)


def test_the_page_imports_and_goes_back_to_the_review_with_a_message(client, team, session):
    r = page_import(client, session, team, edited(export(client, team), FILL_THREE))
    assert r.status_code == 303 and r.headers["location"] == f"/cycles/{team.cycle.id}/review"
    assert "inti_flash=" in r.headers["set-cookie"]
    shown = client.get("/", headers={"Accept-Language": "fr"}).text  # any page shows the message once
    assert "Classeur importé\u00a0: 3 indicateur(s) mis à jour, 70 ligne(s) inchangée(s) ignorée(s)" in shown
    assert_three(client, team)


def test_the_page_lists_every_problem_with_its_cell_and_the_way_back(client, team, session):
    r = page_import(client, session, team, edited(export(client, team), BAD_CELLS))
    assert r.status_code == 422
    assert "<code>Preparatory review!F2</code>" in r.text and "<code>Preparatory review!K10</code>" in r.text
    assert f'href="/cycles/{team.cycle.id}/review"' in r.text and "Retour à ma revue" in r.text
    assert session.exec(select(ReviewEntry)).all() == []


# --- the consolidation's workbook ------------------------------------------------------------------

@pytest.fixture
def pooled(session, team):
    """Two peers' submitted reviews (every judgement "at" but where they differ); the team
    leader's review not submitted. Columns: the team leader first, then the peers by name."""
    from app.cycles.schemas import MemberCreate
    from support import make_user

    second = make_user(session, "bruno@brueckenfeld.example", "Bruno Second", team.other_city)
    cycles_service.add_member(session, rights_of(session, team.people["coordinator"], team.cycle), team.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    peer = team.people["peer"]
    write_review(session, team.cycle, peer)
    write_review(session, team.cycle, peer, {"GG-AMB-1": "below", "GG-AMB-2": "more_info"})
    write_review(session, team.cycle, peer, {"GG-IMP-3": "below"}, submit=True,
                 questions=["who  chairs the Committee ?"],
                 people_to_meet=[{"name": "helene marchetti", "role": "Adjointe au maire", "interpreter": False}])
    write_review(session, team.cycle, second)
    write_review(session, team.cycle, second, {"GG-AMB-1": "above"})
    write_review(session, team.cycle, second, {"GG-IMP-3": "below"}, submit=True,
                 questions=["Who chairs the committee?", "How often does it meet?"],
                 people_to_meet=[{"name": "Hélène Marchetti", "interpreter": True}])
    team.people["second"] = second
    return team


def consolidation(client, world, lang="en", role="team_leader"):
    r = client.get(url(world, "consolidation.xlsx"), headers={**world.auth(role), "Accept-Language": lang})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX and "attachment" in r.headers["content-disposition"]
    return r.content


def fill_of(cell):
    return cell.fill.fgColor.rgb[-6:]


def test_the_consolidation_workbook_is_the_grid_coloured_by_judgement(client, pooled):
    wb = load_workbook(io.BytesIO(consolidation(client, pooled)))
    assert wb.sheetnames == ["Judgements", "Questions and people", "People to meet", "Agreement"]
    ws = wb["Judgements"]
    assert [c.value for c in ws[1]] == [
        "Code", "Pillar", "Dimension", "Indicator", "Self-rating of the host city", "Bruno Second", "Giulia Peer",
        "How many: below the benchmark", "How many: at the benchmark", "How many: above the benchmark",
        "How many: more information needed", "To discuss", "Reviewers' majority",
        "The host city's self-rating against the reviewers' majority"]
    assert ws.max_row == 74 and ws.auto_filter.ref == "A1:N74" and ws.freeze_panes == "E2"
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    rows = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(2, 75)}
    assert rows["GG-AMB-1"][4:] == ["at the benchmark", "above the benchmark", "below the benchmark", 1, 0, 1, 0, "yes",
                                    None, None]
    assert rows["GG-AMB-2"][4:] == ["at the benchmark", "at the benchmark", "more information needed", 0, 1, 0, 1,
                                    "yes", "at the benchmark", "the same"]
    assert rows["GG-IMP-3"][4:] == ["at the benchmark", "below the benchmark", "below the benchmark", 2, 0, 0, 0, None,
                                    "below the benchmark", "higher"]
    row = next(r for r in range(2, 75) if ws.cell(r, 1).value == "GG-AMB-1")
    colours = {"E": "1F6FA8", "F": "2E7D4F", "G": "B4410C"}  # at, above, below: as the pages' CSS
    assert {col: fill_of(ws[f"{col}{row}"]) for col in colours} == colours
    assert ws[f"F{row}"].font.bold and ws[f"F{row}"].font.color.rgb.endswith("FFFFFF")
    more_info = next(r for r in range(2, 75) if ws.cell(r, 1).value == "GG-AMB-2")
    assert fill_of(ws[f"G{more_info}"]) == "6D4A9C"
    assert ws["A2"].font.bold and not ws[f"A{more_info + 1}"].font.bold  # GG-AMB-3: nothing to discuss


def test_the_consolidation_workbook_merges_questions_and_people_saying_who_asked(client, pooled):
    wb = load_workbook(io.BytesIO(consolidation(client, pooled, lang="fr")))
    assert wb.sheetnames == ["Jugements", "Questions et personnes", "Personnes à rencontrer", "Accord"]
    ws = wb["Questions et personnes"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["GG-AMB-1", "GG-AMB-2"]  # to discuss first
    row = next(r for r in range(2, 75) if ws.cell(r, 1).value == "GG-IMP-3")
    assert ws[f"C{row}"].value is None
    assert ws[f"D{row}"].value == ("Who chairs the committee? (demandé par Bruno Second, Giulia Peer)\n"
                                   "How often does it meet? (demandé par Bruno Second)")
    assert ws[f"E{row}"].value == ("Hélène Marchetti | Adjointe au maire |  | oui "
                                   "(demandé par Bruno Second, Giulia Peer)")
    people = wb["Personnes à rencontrer"]
    assert [c.value for c in people[1]] == ["Nom", "Rôle", "Organisation", "Interprète nécessaire", "Indicateurs",
                                            "Demandé par"]
    assert [c.value for c in people[2]] == ["Hélène Marchetti", "Adjointe au maire", None, "oui", "GG-IMP-3",
                                            "Bruno Second, Giulia Peer"]
    assert people.max_row == 2
    agreement = wb["Accord"]
    assert agreement["A3"].value == "alpha de Krippendorff sur l'ensemble des indicateurs"
    assert isinstance(agreement["B3"].value, float) and agreement["B3"].number_format == "0.00"
    assert [agreement.cell(r, 1).value[:2] for r in range(4, 8)] == ["GG", "IE", "AC", "WP"]
    notes = "\n".join(str(c.value) for c in agreement["A"] if c.value)
    assert "1 signifie que les évaluateurs ont jugé chaque indicateur de la même façon" in notes
    assert "Pas encore soumises, donc absentes ici\u00a0: Lars Leader." in notes
    legend = {c.value: fill_of(c) for c in agreement["A"][-5:]}
    assert legend == {"en dessous du référentiel": "B4410C", "au niveau du référentiel": "1F6FA8",
                      "au-dessus du référentiel": "2E7D4F", "informations complémentaires nécessaires": "6D4A9C",
                      "non jugé": "C3CAD2"}


def test_libreoffice_reads_the_consolidation(client, pooled, soffice, tmp_path):
    sheets = read_with_libreoffice(soffice, consolidation(client, pooled), tmp_path)
    grid = sheets["Judgements"]
    row = next(r for r in grid if r[0] == "GG-IMP-3")
    assert row[4:] == ["at the benchmark", "below the benchmark", "below the benchmark", "2", "0", "0", "0", "",
                       "below the benchmark", "higher"]
    assert sheets["People to meet"][1][:2] == ["Hélène Marchetti", "Adjointe au maire"]
    agreement = sheets["Agreement"]
    assert agreement[2][0] == "Krippendorff's alpha over all indicators" and agreement[2][1].startswith(("0", "-", "1"))


def test_the_pages_and_the_workbooks_colour_judgements_alike():
    from pathlib import Path

    from app.labels import PERFORMANCE_COLOURS

    css = (Path(__file__).resolve().parents[3] / "app" / "static" / "style.css").read_text()
    import re
    found = {key: colour.upper() for key, colour in re.findall(r"--r-(\w+):\s*#([0-9a-fA-F]{6})", css)}
    assert found == PERFORMANCE_COLOURS


def test_the_consolidation_workbook_is_blind_until_submitted(client, pooled, session):
    r = client.get(url(pooled, "consolidation.xlsx"), headers=pooled.auth("host_officer"))
    assert r.status_code == 403
    browser_login(client, session, pooled.people["team_leader"])
    assert client.get(url(pooled, "consolidation.xlsx")).status_code == 200  # the pages' link


def test_the_consolidation_workbook_before_any_review_is_submitted(client, team):
    wb = load_workbook(io.BytesIO(consolidation(client, team)))
    ws = wb["Judgements"]
    assert ws["E1"].value == "Self-rating of the host city" and ws["F1"].value == "How many: below the benchmark"
    assert wb["Agreement"]["B3"].value == "—" and wb["People to meet"].max_row == 1
    assert "Not submitted yet, so not shown here: Lars Leader, Giulia Peer." in [c.value for c in wb["Agreement"]["A"]]


def test_a_workbook_is_its_reviewers_own(client, team):
    """The team leader's workbook imported by a peer is refused, naming the cell: each writes
    their own review (it would otherwise copy the leader's edited rows into the peer's)."""
    put(client, team, "GG-AMB-1", role="team_leader", performance="above", questions=["The leader's own."])
    theirs = edited(export(client, team, role="team_leader"), cells(GG_AMB_2={PERFORMANCE: "below the benchmark"}))
    problems = refused(send(client, team, theirs, role="peer"))
    assert len(problems) == 1 and problems[0][0] == "_meta" and "another reviewer's review" in problems[0][2]
    assert mine(client, team)["GG-AMB-2"]["performance"] is None
    assert_imported(send(client, team, theirs, role="team_leader"))  # its owner imports it

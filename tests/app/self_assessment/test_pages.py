"""The officer's report pages: autosave, the submit step, the read-only report."""
import html
import re

from sqlmodel import select

from app.self_assessment.tables import SelfAssessment, SelfAssessmentEntry
from support import browser_login, csrf_of, fill_report, submit_report

HTML = {"Accept": "text/html"}


def page(world, tail=""):
    return f"/cycles/{world.cycle.id}/self-assessment{tail}"



def all_codes(client, world):
    return re.findall(r'<article class="entry[^"]*" id="([A-Z]{2}-[A-Z]{3}-\d+)"', client.get(page(world)).text)


def test_officer_edits_by_pillar_and_dimension_with_texts_in_her_language(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    html = client.get(page(world) + "?lang=fr", headers=HTML).text
    assert "La municipalité adopte un plan stratégique" in html
    assert html.count(" data-autosave>") == 73 and html.count('enctype="multipart/form-data" class="row upload"') == 73
    assert html.index('id="pillar-GG"') < html.index('id="pillar-IE"') < html.index('id="pillar-AC"') < html.index('id="pillar-WP"')
    assert '<progress data-progress max="73" value="0">' in html
    assert 'src="/static/autosave.js"' in html


def test_autosave_answers_json_with_progress_and_refuses_a_stale_version(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    csrf = csrf_of(client, page(world))
    form = {"csrf_token": csrf, "version": "0", "self_rating": "at", "description": "Line one.\r\n\r\nLine two.",
            "evidence": "Plan | https://www.velmar.example/plan.pdf", "responsible": "Hélène Marchetti | Deputy mayor | Cabinet"}
    r = client.post(page(world, "/entries/GG-AMB-1"), data=form, headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert r.json() == {"version": 1, "complete": True, "completed": 1, "total": 73,
                        "pillars": {"GG": [1, 24], "IE": [0, 14], "AC": [0, 13], "WP": [0, 22]}}
    entry = session.exec(select(SelfAssessmentEntry)).one()
    assert entry.description == "Line one.\n\nLine two."
    assert entry.responsible == [{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Cabinet"}]
    stale = client.post(page(world, "/entries/GG-AMB-1"), data={**form, "description": "Other"},
                        headers={"Accept": "application/json"})
    assert stale.status_code == 412 and "in another tab or window" in stale.json()["detail"]
    bad = client.post(page(world, "/entries/GG-AMB-1"), data={**form, "version": "1", "evidence": "Plan | ftp://x"},
                      headers={"Accept": "application/json"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["evidence", 0, "url"]
    session.expire_all()
    assert session.exec(select(SelfAssessmentEntry)).one().description == "Line one.\n\nLine two."


def test_save_button_without_script_comes_back_to_the_card(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    r = client.post(page(world, "/entries/IE-LEA-1"), headers=HTML, follow_redirects=False, data={
        "csrf_token": csrf_of(client, page(world)), "version": "0", "self_rating": "below", "description": "x"})
    assert r.status_code == 303 and r.headers["location"].endswith("/self-assessment#IE-LEA-1")


def test_submit_step_lists_missing_with_links_then_report_is_read_only(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    codes = all_codes(client, world)
    fill_report(session, world.cycle, codes[:-2])
    html = client.get(page(world, "/submit"), headers=HTML).text
    assert f'href="{page(world)}#{codes[-2]}"' in html and f'href="{page(world)}#{codes[-1]}"' in html
    assert "Submit the initial report</button>" not in html
    csrf = csrf_of(client, page(world))
    refused = client.post(page(world, "/submit"), data={"csrf_token": csrf}, headers=HTML)
    assert refused.status_code == 409 and codes[-1] in refused.text
    fill_report(session, world.cycle, codes[-2:])
    assert "Submit the initial report</button>" in client.get(page(world, "/submit")).text
    done = client.post(page(world, "/submit"), data={"csrf_token": csrf}, headers=HTML)
    assert done.status_code == 200 and "data-autosave" not in done.text and "Submitted" in done.text
    late = client.post(page(world, "/entries/GG-AMB-1"), data={"csrf_token": csrf, "version": "1", "description": "late"},
                       headers={"Accept": "application/json"})
    assert late.status_code == 409
    assert session.get(SelfAssessment, world.cycle.id).status == "submitted"


def test_peers_get_the_print_friendly_report_once_submitted(client, world, session):
    browser_login(client, session, world.people["peer"])
    assert client.get(page(world), headers=HTML).status_code == 403
    submit_report(session, world.cycle)
    html = client.get(page(world), headers=HTML).text
    assert "data-autosave" not in html and html.count('class="entry read"') == 73
    assert "Reopen" not in html
    browser_login(client, session, world.people["outsider"])
    assert client.get(page(world), headers=HTML).status_code == 404


def test_coordinator_reopens_from_the_report_page(client, world, session):
    submit_report(session, world.cycle)
    browser_login(client, session, world.people["coordinator"])
    html = client.get(page(world), headers=HTML).text
    assert "Reopen for the host city" in html and "<details class=\"confirm\">" in html
    csrf = csrf_of(client, page(world))
    silent = client.post(page(world, "/reopen"), data={"csrf_token": csrf, "reason": "  "}, headers=HTML)
    assert silent.status_code == 422
    assert "<strong>Reason</strong>: Say why: the host officer will read it." in silent.text
    session.expire_all()
    assert session.get(SelfAssessment, world.cycle.id).status == "submitted"
    r = client.post(page(world, "/reopen"), data={"csrf_token": csrf, "reason": "GG-AMB-1 <b>needs</b> sources."},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Initial report reopened: the host city can change it again." in client.get(page(world), headers=HTML).text
    session.expire_all()
    header = session.get(SelfAssessment, world.cycle.id)
    assert header.status == "draft" and header.reopen_reason == "GG-AMB-1 <b>needs</b> sources."
    browser_login(client, session, world.people["host_officer"])
    officer = client.get(page(world) + "?lang=fr", headers=HTML).text
    coordinator = world.people["coordinator"].full_name
    assert "Rouvert le" in officer and f"par {coordinator}." in officer
    assert 'Motif\u00a0: <span class="reason">GG-AMB-1 &lt;b&gt;needs&lt;/b&gt; sources.</span>' in officer
    cycle = client.get(f"/cycles/{world.cycle.id}?lang=en", headers=HTML).text
    assert 'Reason: <span class="reason">GG-AMB-1 &lt;b&gt;needs&lt;/b&gt; sources.</span>' in cycle
    browser_login(client, session, world.people["peer"])
    assert "needs" not in client.get(f"/cycles/{world.cycle.id}", headers=HTML).text  # for the officer only


def test_import_on_the_page_lists_problems_with_cells(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    r = client.post(page(world, "/import"), data={"csrf_token": csrf_of(client, page(world))},
                    files={"file": ("r.xlsx", b"not a workbook", "application/octet-stream")}, headers=HTML)
    assert r.status_code == 422 and "The file is not an .xlsx workbook." in r.text


def test_import_on_the_page_says_what_was_updated_and_what_was_skipped(client, world, session):
    import io

    from openpyxl import load_workbook

    browser_login(client, session, world.people["host_officer"])
    wb = load_workbook(io.BytesIO(client.get(f"/api/v1/cycles/{world.cycle.id}/self-assessment.xlsx").content))
    wb["Self-assessment"]["F2"] = "Typed in Excel."
    out = io.BytesIO()
    wb.save(out)
    for lang, notice in (("en", "Workbook imported: 1 indicators updated, 72 unchanged rows skipped (what is "
                                "online was kept)."),
                         ("fr", "Classeur importé\u00a0: 0 indicateur(s) mis à jour, 73 ligne(s) inchangée(s) "
                                "ignorée(s) (ce qui est en ligne a été gardé).")):
        r = client.post(page(world, f"/import?lang={lang}"), data={"csrf_token": csrf_of(client, page(world))},
                        files={"file": ("r.xlsx", out.getvalue(), "application/octet-stream")}, headers=HTML)
        assert r.status_code == 200 and notice in html.unescape(r.text)
    assert session.exec(select(SelfAssessmentEntry)).one().description == "Typed in Excel."


def all_codes_of_set(session, world):
    from app.indicators.service import get_set

    return [i.code for i in get_set(session, world.cycle.indicator_set_version).indicators]


def test_report_page_queries_do_not_grow_with_the_entries(client, world, session, engine):
    from sqlalchemy import event

    browser_login(client, session, world.people["host_officer"])

    def count():
        seen = []
        listener = lambda *a: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        assert client.get(page(world), headers=HTML).status_code == 200
        event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    count()
    empty = count()
    fill_report(session, world.cycle, all_codes_of_set(session, world)[:-1])
    assert count() == empty


def test_page_upload_adds_the_document_to_the_evidence(client, world, session):
    from app.self_assessment.tables import Document

    browser_login(client, session, world.people["host_officer"])
    csrf = csrf_of(client, page(world))
    r = client.post(page(world, "/entries/GG-AMB-1/document"), data={"csrf_token": csrf, "title": "Budget 2026"},
                    files={"file": ("budget.pdf", b"%PDF-1.4 budget", "application/pdf")}, follow_redirects=False)
    assert r.status_code == 303
    doc = session.exec(select(Document)).one()
    entry = session.exec(select(SelfAssessmentEntry)).one()
    assert entry.evidence == [{"title": "Budget 2026", "url": f"/api/v1/cycles/{world.cycle.id}/documents/{doc.id}"}]
    assert client.get(entry.evidence[0]["url"]).content == b"%PDF-1.4 budget"  # the page's cookie is enough
    shown = client.get(page(world) + "#GG-AMB-1", headers=HTML).text
    assert "Document added to the evidence of GG-AMB-1: Budget 2026." in shown
    card = shown.split('id="GG-AMB-1"')[1].split("</article>")[0]
    assert f'<a href="{entry.evidence[0]["url"]}" download>Budget 2026</a>' in card
    assert "/documents/" not in card.split('name="evidence"')[1].split("</textarea>")[0]  # not a line to delete

    # A save of the card's fields keeps the document, which its own button removes.
    csrf = csrf_of(client, page(world))
    saved = client.post(page(world, "/entries/GG-AMB-1"), data={
        "csrf_token": csrf, "version": "1", "self_rating": "at", "description": "Budget line.",
        "evidence": "Plan | https://velmar.example/plan"}, headers={"Accept": "application/json"})
    assert saved.status_code == 200
    session.expire_all()
    assert [e["title"] for e in session.exec(select(SelfAssessmentEntry)).one().evidence] == ["Budget 2026", "Plan"]
    removed = client.post(page(world, f"/entries/GG-AMB-1/documents/{doc.id}/remove"), data={"csrf_token": csrf},
                          headers=HTML)
    assert removed.status_code == 200
    assert "Document removed from the evidence of GG-AMB-1: Budget 2026." in removed.text
    session.expire_all()
    assert [e["title"] for e in session.exec(select(SelfAssessmentEntry)).one().evidence] == ["Plan"]


def test_a_scripted_upload_answers_json_both_ways_and_never_leaves_the_page(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    csrf = csrf_of(client, page(world))
    url = page(world, "/entries/GG-AMB-1/document?lang=fr")
    ok = client.post(url, data={"csrf_token": csrf, "title": "Budget"}, headers={"Accept": "application/json"},
                     files={"file": ("budget.pdf", b"%PDF-1.4 budget", "application/pdf")})
    assert ok.status_code == 200 and ok.json()["title"] == "Budget" and ok.json()["version"] == 1
    assert ok.json()["message"] == "Document ajouté aux justificatifs de GG-AMB-1\u00a0: Budget."
    bad = client.post(url, data={"csrf_token": csrf}, headers={"Accept": "application/json"},
                      files={"file": ("virus.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert bad.status_code in (415, 422) and bad.headers["content-type"].startswith("application/json")
    assert bad.json()["detail"] and "<html" not in bad.text


def test_page_upload_refused_stores_nothing(client, world, session):
    from app.self_assessment.tables import Document

    browser_login(client, session, world.people["host_officer"])
    csrf = csrf_of(client, page(world))
    r = client.post(page(world, "/entries/GG-AMB-1/document"), data={"csrf_token": csrf, "title": "Budget | annex"},
                    files={"file": ("budget.pdf", b"%PDF-1.4 budget", "application/pdf")}, headers=HTML)
    assert r.status_code == 422 and 'No line break nor "|" here.' in html.unescape(r.text)
    assert session.exec(select(Document)).all() == [] and session.exec(select(SelfAssessmentEntry)).all() == []


def test_a_peer_posting_the_submit_form_learns_nothing_of_the_report(client, world, session):
    """The refusal is the error page: not the list of what the host city has not filled in."""
    fill_report(session, world.cycle, ["GG-AMB-1"])
    browser_login(client, session, world.people["peer"])
    csrf = csrf_of(client, "/")
    r = client.post(page(world, "/submit"), data={"csrf_token": csrf}, headers=HTML)
    assert r.status_code == 403
    assert "GG-AMB-2" not in r.text and "GG-LEA-1" not in r.text
    assert "can be read by the peers once the host city has submitted it" not in r.text
    assert "Only the host city&#39;s officer writes the initial report." in r.text
    header = session.get(SelfAssessment, world.cycle.id)
    assert header is None or header.status == "draft"


def test_an_out_of_date_autosave_says_who_saved_what_without_a_version_number(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    csrf = csrf_of(client, page(world))
    save = page(world, "/entries/GG-AMB-1")
    first = client.post(save, data={"csrf_token": csrf, "version": "0", "self_rating": "at",
                                    "description": "Saved in the first tab."}, headers={"Accept": "application/json"})
    assert first.status_code == 200
    stale = client.post(save + "?lang=fr", data={"csrf_token": csrf, "version": "0", "description": "Second tab."},
                        headers={"Accept": "application/json"})
    assert stale.status_code == 412
    body = stale.json()
    assert body["detail"].startswith("Vous avez enregistré cet indicateur le {time} dans un autre onglet")
    assert not re.search(r"version \d", body["detail"]) and body["saved_at"]
    assert body["current"] == {"version": 1, "self_rating": "at", "description": "Saved in the first tab.",
                               "evidence": "", "responsible": ""}


# --- the read view: summary of the self-ratings, badges, documents and links, print header ----

def submitted_with(session, world, overrides):
    """The report complete ("at", as ``fill_report`` writes it) but for ``overrides``
    (code -> EntryWrite fields), then submitted by its officer."""
    from support import officer_of, rights_of

    from app.self_assessment import service
    from app.self_assessment.schemas import EntryWrite

    fill_report(session, world.cycle)
    report = service.load_report(session, world.cycle)
    officer = officer_of(session, world.cycle)
    service.apply_entries(session, officer, world.cycle, [
        (code, report.entries.get(code), EntryWrite(**{"self_rating": "at", "description": "Fait.", **fields}))
        for code, fields in overrides.items()])
    service.submit(session, rights_of(session, officer, world.cycle), world.cycle)
    session.commit()


def heat_cell(html_text, cell):
    """(counts as shown, colours of the bar's segments) of one cell of the summary."""
    found = re.search(rf'<a href="#{cell}" data-cell="{cell}">(.*?)</a>', html_text, re.S)
    assert found, f"no summary cell {cell}"
    return (re.findall(r'<span class="t-(\w+)">(\d+ [^<]+)', found[1]),
            re.findall(r'<span class="r-(\w+)"></span>', found[1]))


def article(html_text, code):
    return re.search(rf'<article class="entry read" id="{code}">(.*?)</article>', html_text, re.S)[1]


def test_readers_see_the_self_ratings_summed_up_per_pillar_and_dimension(client, world, session):
    submitted_with(session, world, {"GG-AMB-1": {"self_rating": "below"}, "GG-AMB-4": {"self_rating": "above"},
                                    "GG-AMB-5": {"self_rating": "below"}, "WP-IMP-9": {"self_rating": "above"}})
    browser_login(client, session, world.people["peer"])
    text = client.get(page(world), headers=HTML).text
    assert heat_cell(text, "GG-AMB") == ([("below", "2 below"), ("at", "3 at"), ("above", "1 above")],
                                        ["below", "below", "at", "at", "at", "above"])
    assert heat_cell(text, "WP-IMP") == ([("at", "8 at"), ("above", "1 above")], ["at"] * 8 + ["above"])
    assert heat_cell(text, "IE-LEA") == ([("at", "1 at")], ["at"])
    assert len(re.findall(r'data-cell="(\w\w-\w{3})"', text)) == 20
    assert '<h3 id="GG-AMB">' in text and '<h3 id="WP-IMP">' in text  # where the cells lead
    assert text.index('class="heatmap"') < text.index('id="pillar-GG"')
    assert '<span class="rating-badge r-below">below the benchmark</span>' in article(text, "GG-AMB-1")
    assert '<span class="rating-badge r-at">at the benchmark</span>' in article(text, "GG-AMB-2")
    assert '<span class="rating-badge r-above">above the benchmark</span>' in article(text, "GG-AMB-4")


def test_the_summary_counts_what_is_not_rated_yet_for_a_coordinator_reading_a_draft(client, world, session):
    from support import officer_of

    from app.self_assessment import service
    from app.self_assessment.schemas import EntryWrite

    service.apply_entries(session, officer_of(session, world.cycle), world.cycle, [
        ("GG-AMB-1", None, EntryWrite(self_rating="below", description="x")),
        ("GG-AMB-2", None, EntryWrite(description="Pas encore évalué."))])
    session.commit()
    browser_login(client, session, world.people["coordinator"])
    text = client.get(page(world), headers=HTML).text
    assert heat_cell(text, "GG-AMB") == ([("below", "1 below"), ("none", "5 not rated")], ["below"] + ["none"] * 5)
    assert '<span class="rating-badge r-none">not yet rated</span>' in article(text, "GG-AMB-2")


def test_only_the_officer_who_can_edit_sees_the_progress(client, world, session):
    browser_login(client, session, world.people["host_officer"])
    assert "0 of 73 indicators done" in client.get(page(world), headers=HTML).text
    browser_login(client, session, world.people["coordinator"])
    draft = client.get(page(world), headers=HTML).text
    submitted_with(session, world, {})
    for role in ("peer", "team_leader", "coordinator", "host_officer"):
        browser_login(client, session, world.people[role])
        text = client.get(page(world), headers=HTML).text
        assert "indicators done" not in text and "<progress" not in text and 'class="heatmap"' in text, role
    assert "indicators done" not in draft and 'class="heatmap"' in draft


def test_documents_are_told_apart_from_links_which_open_in_a_new_tab(client, world, session):
    from support import officer_of, rights_of

    from app.self_assessment import service

    officer = officer_of(session, world.cycle)
    doc = service.add_document(session, rights_of(session, officer, world.cycle), world.cycle, "budget.pdf",
                               b"%PDF-1.4 budget")
    session.commit()
    url = service.document_url(doc)
    submitted_with(session, world, {"GG-AMB-1": {"evidence": [
        {"title": "Budget 2026", "url": url},
        {"title": "Plan <Velmar> & co", "url": "https://www.velmar.example/plan.pdf?a=1&b=2"}]}})
    browser_login(client, session, world.people["peer"])
    card = article(client.get(page(world), headers=HTML).text, "GG-AMB-1")
    assert (f'<li class="document"><span class="kind"><span aria-hidden="true">⤓</span> Document</span> '
            f'<a href="{url}">Budget 2026</a></li>') in card
    assert ('<li class="external"><span class="kind"><span aria-hidden="true">↗</span> External link</span> '
            '<a href="https://www.velmar.example/plan.pdf?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">'
            'Plan &lt;Velmar&gt; &amp; co<span class="visually-hidden"> (opens in a new tab)</span></a> '
            '<span class="host">velmar.example</span></li>') in card
    assert card.count('target="_blank"') == 1  # not the document: it is a download from this service


def test_the_printed_report_names_the_city_and_the_cycle(client, world, session):
    submitted_with(session, world, {})
    browser_login(client, session, world.people["peer"])
    text = client.get(page(world), headers=HTML).text
    assert ('<p class="print-only print-header">Host city: <strong>Velmar</strong> · Cycle: '
            '<strong>Velmar 2027</strong></p>') in text
    css = client.get("/static/style.css").text
    print_rules = css[css.index("==== Initial report, read view"):]
    assert ".print-only { display:none; }" in print_rules
    assert re.search(r"@media print \{\s*\.print-only \{ display:block; \}", print_rules)


#: English words of the interface that are no French words ("document", "initial" are both).
ENGLISH = {"the", "below", "above", "at", "benchmark", "evidence", "external", "link", "opens", "new", "tab",
           "rated", "not", "yet", "self", "rating", "ratings", "host", "city", "responsible", "people", "download",
           "workbook", "report", "by", "and", "of", "pillar", "submitted"}


def test_the_read_view_in_french_has_no_english_word(client, world, session):
    from support import officer_of, rights_of

    from app.self_assessment import service

    doc = service.add_document(session, rights_of(session, officer_of(session, world.cycle), world.cycle),
                               world.cycle, "budget.pdf", b"%PDF-1.4 budget")
    session.commit()
    submitted_with(session, world, {"GG-AMB-1": {"self_rating": "below", "evidence": [
        {"title": "Budget", "url": service.document_url(doc)}, {"title": "Plan", "url": "https://velmar.example/p"}],
        "responsible": [{"name": "Hélène Marchetti", "role": "Adjointe"}]}})
    browser_login(client, session, world.people["peer"])
    text = client.get(page(world) + "?lang=fr", headers=HTML).text
    assert heat_cell(text, "GG-AMB")[0] == [("below", "1 en dessous"), ("at", "5 au niveau")]
    assert "Auto-évaluations par pilier et dimension" in text and "Ville hôte\u00a0: <strong>Velmar</strong>" in text
    card = article(text, "GG-AMB-1")
    assert '<span class="rating-badge r-below">en dessous du référentiel</span>' in card
    assert "Lien externe" in card and "Document</span>" in card
    assert "(s'ouvre dans un nouvel onglet)" in html.unescape(card)
    visible = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)))
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", visible)}
    assert not words & ENGLISH, sorted(words & ENGLISH)


def test_an_out_of_date_save_shows_the_links_only_and_removing_an_absent_document_is_404(client, world, session):
    """The conflict's "saved now" is what the card's fields hold: documents are items of their
    own, and taking the saved version must not copy them into the links."""
    browser_login(client, session, world.people["host_officer"])
    csrf = csrf_of(client, page(world))
    upload = client.post(page(world, "/entries/GG-AMB-1/document"), data={"csrf_token": csrf, "title": "Budget"},
                         files={"file": ("b.pdf", b"%PDF-1.4 budget", "application/pdf")}, follow_redirects=False)
    assert upload.status_code == 303
    stale = client.post(page(world, "/entries/GG-AMB-1"), data={
        "csrf_token": csrf, "version": "0", "evidence": "Plan | https://velmar.example/plan"},
        headers={"Accept": "application/json"})
    assert stale.status_code == 412 and stale.json()["current"]["evidence"] == ""
    absent = client.post(page(world, "/entries/GG-AMB-2/documents/1/remove"), data={"csrf_token": csrf},
                         headers=HTML)
    assert absent.status_code == 404 and "No document 1 in the evidence of GG-AMB-2." in absent.text
    session.expire_all()
    assert session.exec(select(SelfAssessmentEntry).where(
        SelfAssessmentEntry.indicator_code == "GG-AMB-2")).first() is None  # nothing written

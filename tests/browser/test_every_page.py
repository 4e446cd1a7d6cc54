"""Every page, for every role, in both languages and at two widths: one crawl, several checks.

The demo cycle (``reviews/demo``: its initial report complete, in French, not submitted) is
loaded into the served database, beside a cycle whose report is submitted and which is in
its preparatory review (the team leader's review submitted, the peer's a draft), and one
whose report is empty. The coordinator, the host officer,
the team leader and a peer, and a logged-out visitor, then open each page they reach from
the interface, in French at 390 px and in English at 1280 px (each page is also measured at
the other width), its confirmations opened. What each visit saw is kept; the tests below
judge it:

- no page scrolls sideways, at 390 px or at 1280 px;
- no English interface text on a French page, and no French one on an English page (texts
  of the catalogue; what people typed, such as the French demo report, is left out);
- axe-core finds no serious or critical accessibility violation (in French at 390 px, in
  English at 1280 px).

Set ``INTI_SHOTS_DIR`` to keep a screenshot of each French page at 390 px.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from browser_support import shot
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select
from support import rights_of, write_review

from benchmark.scales import CycleRole, Phase, ReportStatus, SelfRating, SetStatus

from app.auth.service import WEB, issue_token
from app.cycles import service as cycle_service
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import Cycle, CycleMember
from app.demo import load_demo
from app.i18n import LOCALE_DIR, gettext_for
from app.people import service as people_service
from app.people.schemas import UserCreate
from app.people.tables import City, User
from app.practices.tables import GoodPractice
from app.reviews.tables import ReviewEntry
from app.self_assessment import service as report_service
from app.self_assessment.schemas import EntryWrite
from app.self_assessment.tables import SelfAssessmentEntry
from app.settings import get_settings
from app.visit.tables import FinalJudgement, HypothesisCheck, Interview, InterviewNote

DEMO = Path(__file__).resolve().parents[2] / "reviews" / "demo" / "cycle.yaml"
NARROW, WIDE = 390, 1280
ROLES = {  # the demo's accounts
    "coordinator": "coordinator@demo.inti-cities.eu",
    "host officer": "officer@velmar.example",
    "team leader": "leader@nordhaven.example",
    "peer": "peer@castelverde.example",
    "aldergem team leader": "mette.sorensen@nordhaven.example",  # the demo's visit
    "aldergem peer": "julien.moreau@velmar.example",
    "aldergem host officer": "officer@aldergem.example",
}
SERIOUS = ("serious", "critical")
#: Rules of lesser impact that these pages keep to as well: headings in order, content in
#: landmarks, one main heading, every table header named.
ALSO_KEPT = {"heading-order", "region", "landmark-one-main", "page-has-heading-one", "empty-heading",
             "empty-table-header", "landmark-unique", "landmark-no-duplicate-banner"}
#: The initial report repeats one card per indicator: axe-core checks the first pillar's
#: (24 cards, every kind of field), not the 49 alike after it, which would triple its time.
AXE_CONTEXT = {"exclude": [["section.pillar ~ section.pillar article.entry"],
                           ["article.consolidated ~ article.consolidated"]]}


@dataclass
class Visit:
    role: str
    path: str
    lang: str
    status: int
    h1: str
    widths: dict[int, int] = field(default_factory=dict)  # viewport width -> the page's scrollWidth
    text: str = ""  # visible text and the texts of labelling attributes, whitespace collapsed
    violations: list[dict] = field(default_factory=list)  # axe-core's, of any impact
    rules_passed: int = 0  # axe-core's rules that found nothing wrong (0: not run)


@dataclass
class Crawl:
    visits: list[Visit]
    typed: list[str]  # what people wrote (names, titles, the report): not interface text


# --- the data -----------------------------------------------------------------------

def _make_cycles(session: Session) -> dict[str, int]:
    """The demo cycle ("draft"), one in preparatory review with its report submitted
    ("submitted", the demo's report again, and the team leader's review) and one with an
    empty report ("empty")."""
    load_demo(session, DEMO)
    demo = session.exec(select(Cycle).where(Cycle.title.startswith("Velmar 2027"))).one()
    coordinator = session.exec(select(User).where(User.email == ROLES["coordinator"])).one()
    members = session.exec(select(CycleMember).where(CycleMember.cycle_id == demo.id)).all()
    entries = session.exec(select(SelfAssessmentEntry).where(SelfAssessmentEntry.cycle_id == demo.id)).all()
    made = {}
    for key, title in (("submitted", "Velmar 2026 — review under way"), ("empty", "Velmar 2028 — not started")):
        cycle = cycle_service.create_cycle(session, coordinator,
                                           CycleCreate(title=title, host_city_id=demo.host_city_id))
        rights = rights_of(session, coordinator, cycle)
        for m in members:
            cycle_service.add_member(session, rights, cycle, MemberCreate(user_id=m.user_id, role=m.role))
        session.commit()
        made[key] = cycle.id
        if key == "submitted":
            officer = next(session.get(User, m.user_id) for m in members if m.role == CycleRole.HOST_OFFICER)
            report_service.apply_entries(session, officer, cycle, [(e.indicator_code, None, EntryWrite(
                self_rating=e.self_rating, description=e.description, evidence=e.evidence,
                responsible=e.responsible)) for e in entries])
            report_service.submit(session, rights_of(session, officer, cycle), cycle)
            cycle_service.change_phase(session, rights, cycle, Phase.PREPARATORY_REVIEW)
            session.commit()
            # the team leader has submitted a review (its read view); the peer's is a draft
            leader = next(session.get(User, m.user_id) for m in members if m.role == CycleRole.TEAM_LEADER)
            write_review(session, cycle, leader, submit=True)
    aldergem = session.exec(select(Cycle).where(Cycle.title.startswith("Aldergem"))).one()
    julien = session.exec(select(User).where(User.email == ROLES["aldergem peer"])).one()
    # an interview of Julien's that holds notes (his and the other peer's)
    noted = set(session.exec(select(InterviewNote.interview_id).where(InterviewNote.cycle_id == aldergem.id)))
    interview = next(i for i in session.exec(select(Interview).where(Interview.cycle_id == aldergem.id)
                                             .order_by(Interview.starts_at)) if julien.id in i.peers and i.id in noted)
    lisbon = session.exec(select(GoodPractice).where(GoodPractice.key == "lisboa-one-stop-shop")).one()
    ekholm = session.exec(select(Cycle).where(Cycle.title.startswith("Ekholm"))).one()
    return {"draft": demo.id, **made, "aldergem": aldergem.id, "interview": interview.id, "practice": lisbon.id,
            "ekholm": ekholm.id}


def _pages(ids: dict[str, int], welcome: str) -> dict[str, list[tuple[str, int]]]:
    """(path, expected status) of what each role opens."""
    draft, submitted, empty, aldergem = (f"/cycles/{ids[k]}" for k in ("draft", "submitted", "empty", "aldergem"))
    interview = ids["interview"]
    common = [("/", 200), ("/benchmark", 200), ("/benchmark/IE/IMP", 200), ("/no-such-page", 404)]
    return {
        "coordinator": common + [
            (draft, 200), (submitted, 200), (f"{draft}/self-assessment", 200), (f"{submitted}/self-assessment", 200),
            ("/admin/cycles/new", 200), ("/admin/cities", 200), ("/admin/people", 200),
            (f"{aldergem}/consolidation", 200), ("/practices", 200), (f"/practices/{ids['practice']}", 200),
            ("/practices/new", 200), (f"/practices/{ids['practice']}/edit", 200), ("/compare", 200),
            ("/compare/indicators", 200), (f"/compare/cycles/{ids['ekholm']}", 200)],
        "host officer": common + [
            (draft, 200), (f"{draft}/self-assessment", 200), (f"{draft}/self-assessment/submit", 200),
            (f"{empty}/self-assessment/submit", 200), (f"{submitted}/self-assessment", 200),
            ("/admin/people", 403), ("/compare?country=Sweden", 200)],
        "team leader": common + [(submitted, 200), (f"{submitted}/self-assessment", 200),
                                 (f"{draft}/self-assessment", 403), (f"{submitted}/review", 200),
                                 (f"{submitted}/review/submit", 200), (f"{submitted}/consolidation", 200)],
        "peer": common + [(draft, 200), (submitted, 200), (f"{submitted}/self-assessment", 200),
                          (f"{submitted}/review", 200), (f"{submitted}/review/submit", 200),
                          (f"{submitted}/consolidation", 403),  # blind until their own is submitted
                          ("/practices?pillar=WP", 200)],
        "aldergem team leader": common[:1] + [
            (aldergem, 200), (f"{aldergem}/consolidation", 200), (f"{aldergem}/review", 200),
            (f"{aldergem}/programme", 200), (f"{aldergem}/programme/agenda", 200),
            (f"{aldergem}/programme/new?kind=workshop", 200),
            (f"{aldergem}/programme/interviews/{interview}/edit", 200),
            (f"{aldergem}/interviews/{interview}", 200), (f"{aldergem}/notes", 200),
            (f"{aldergem}/notes?indicator=GG-IMP-3", 200), (f"{aldergem}/hypotheses", 200),
            (f"{aldergem}/judgements", 200), (f"{aldergem}/judgements/GG-IMP-3", 200),
            (f"{aldergem}/judgements/WP-EVA-3", 200), (f"{aldergem}/report", 200), (f"{aldergem}/report/read", 200),
            (f"{aldergem}/recommendations", 200)],
        "aldergem peer": common[:1] + [
            (aldergem, 200), (f"{aldergem}/programme", 200), (f"{aldergem}/interviews/{interview}", 200),
            (f"{aldergem}/hypotheses", 200), (f"{aldergem}/judgements/GG-IMP-3", 200), (f"{aldergem}/report", 200),
            (f"{aldergem}/recommendations", 200)],
        "aldergem host officer": common[:1] + [(aldergem, 200), (f"{aldergem}/programme", 200),
                                                 (f"{aldergem}/judgements", 403), (f"{aldergem}/report", 403)],
        "visitor": [("/login", 200), (welcome, 200), ("/welcome/not-a-valid-link", 404)],
    }


def _typed_texts(session: Session) -> list[str]:
    """Everything people wrote that a page shows, one line each, longest first."""
    texts: set[str] = set()
    for city in session.exec(select(City)):
        texts.add(city.name)
    for user in session.exec(select(User)):
        texts.update((user.full_name, user.email))
    for cycle in session.exec(select(Cycle)):
        texts.add(cycle.title)
    for entry in session.exec(select(SelfAssessmentEntry)):
        texts.update(entry.description.splitlines())
        for item in entry.evidence + entry.responsible:
            texts.update(str(v) for v in item.values())
    for review in session.exec(select(ReviewEntry)):
        texts.update((review.known, review.unknown, review.suspected, *review.questions))
        for person in review.people_to_meet:
            texts.update(str(v) for v in person.values())
    # the demo's visit (Aldergem): what the team wrote in it
    for text in (*session.exec(select(InterviewNote.text)), *session.exec(select(HypothesisCheck.comment)),
                 *session.exec(select(FinalJudgement.rationale))):
        texts.update(text.splitlines())
    for text in session.exec(select(InterviewNote.text)):  # a note's first words, in lists of notes
        texts.add(" ".join(text.split()[:14]))
    for practice in session.exec(select(GoodPractice)):  # the library's texts (a citation keeps its language)
        texts.update((practice.city, practice.source, practice.title_fr, practice.title_en, practice.summary_fr,
                      practice.summary_en, practice.figures_fr or "", practice.figures_en or ""))
    for interview in session.exec(select(Interview)):  # who is met, as the programme lists them
        for person in interview.interviewees:
            texts.update(str(v) for v in person.values())
        texts.update((interview.title, interview.location))
    return sorted((n for t in texts if (n := _normal(t))), key=len, reverse=True)


# --- the crawl ----------------------------------------------------------------------

# Text marked as another language (``lang``), such as a language's own name in a language
# picker, is that language on purpose: left out.
TEXT_JS = """() => {
  const own = document.documentElement.lang;
  const foreign = (el) => { const l = el.closest('[lang]'); return l !== null && l.lang !== own; };
  let body = document.body.innerText;
  for (const el of document.body.querySelectorAll('[lang]'))
    if (el.lang !== own && el.textContent.trim()) body = body.split(el.textContent.trim()).join(' ');
  const parts = [document.title, body];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
    for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
      if (el.hasAttribute(name) && !foreign(el)) parts.push(el.getAttribute(name));
  for (const el of document.querySelectorAll('option, input[type=submit], input[type=button]'))
    if (!foreign(el)) parts.push(el.textContent || el.value);
  return parts.join('\\n');
}"""


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _visit(page: Page, axe: Axe, role: str, path: str, lang: str, base_url: str) -> Visit:
    first, other = (NARROW, WIDE) if lang == "fr" else (WIDE, NARROW)
    page.set_viewport_size({"width": first, "height": 900})
    response = page.goto(base_url + path)
    # confirmations open, so that their questions and fields are measured and checked too
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    h1 = page.locator("h1")
    visit = Visit(role, path, lang, response.status if response else 0,
                  h1.first.inner_text() if h1.count() else "")
    visit.widths[first] = page.evaluate("document.documentElement.scrollWidth")
    visit.text = _normal(page.evaluate(TEXT_JS))
    if lang == "fr":  # once per page and role: the narrow layout shows the most
        results = axe.run(page, AXE_CONTEXT, {"resultTypes": ["violations"]}).response
        visit.violations, visit.rules_passed = results["violations"], len(results["passes"])
    if lang == "fr":
        shot(page, f"every-page-{role.replace(' ', '-')}-{path.strip('/').replace('/', '-') or 'home'}")
    page.set_viewport_size({"width": other, "height": 900})
    visit.widths[other] = page.evaluate("document.documentElement.scrollWidth")
    return visit


@dataclass
class Site:
    ids: dict[str, int]  # the cycles: "draft" (the demo's), "submitted", "empty"
    tokens: dict[str, str]  # role -> web session token
    pages: dict[str, list[tuple[str, int]]]  # role -> (path, expected status)
    typed: list[str]


@pytest.fixture(scope="module")
def site(browser_db, _people) -> Site:
    settings = get_settings()
    with Session(browser_db, expire_on_commit=False) as session:
        ids = _make_cycles(session)
        coordinator = session.exec(select(User).where(User.email == ROLES["coordinator"])).one()
        _, invite = people_service.create_user(session, settings, coordinator.id, UserCreate(
            email="nina.new@velmar.example", full_name="Nina Nouvelle", city_id=_people.city.id))
        tokens = {role: issue_token(session, session.exec(select(User).where(User.email == email)).one(), WEB,
                                    timedelta(hours=1)) for role, email in ROLES.items()}
        session.commit()
        return Site(ids, tokens, _pages(ids, f"/welcome/{invite}"), _typed_texts(session))


def _context(browser: Browser, site: Site, base_url: str, role: str, lang: str) -> BrowserContext:
    """A browser logged in as ``role`` (a session of theirs: no password to hash), speaking ``lang``."""
    context = browser.new_context(locale="en-GB")
    cookies = [{"name": "inti_lang", "value": lang, "url": base_url}]
    if role in site.tokens:
        cookies.append({"name": "inti_session", "value": site.tokens[role], "url": base_url})
    context.add_cookies(cookies)
    return context


@pytest.fixture(scope="module")
def crawl(browser: Browser, site: Site, base_url) -> Crawl:
    axe = Axe()
    visits = []
    for role, paths in site.pages.items():
        for lang in ("fr", "en"):
            context = _context(browser, site, base_url, role, lang)
            page = context.new_page()
            try:
                visits += [_visit(page, axe, role, path, lang, base_url) for path, _status in paths]
            finally:
                context.close()
    expected = {(role, path): status for role, paths in site.pages.items() for path, status in paths}
    got = {(v.role, v.path): v.status for v in visits}
    assert got == expected, "pages answered otherwise than expected (a login page? an error?)"
    return Crawl(visits, site.typed)


def test_every_page_was_reached_in_both_languages(crawl: Crawl):
    """The crawl saw what the checks below need: real pages, in the language asked for."""
    assert len(crawl.visits) == 2 * 85
    assert all(v.h1 for v in crawl.visits), [(v.role, v.path) for v in crawl.visits if not v.h1]
    by_page = {(v.role, v.path, v.lang): v for v in crawl.visits}
    french = gettext_for("fr")
    assert by_page[("visitor", "/login", "fr")].h1 == french("Log in") != "Log in"
    assert by_page[("visitor", "/login", "en")].h1 == "Log in"
    assert by_page[("coordinator", "/", "fr")].h1 == french("My cycles") != "My cycles"
    draft_cycle = next(v for v in crawl.visits if v.role == "coordinator" and v.lang == "fr"
                       and re.fullmatch(r"/cycles/\d+", v.path))
    assert french("Yes, remove") in draft_cycle.text  # a confirmation, opened
    submitted = next(v for v in crawl.visits if v.role == "team leader" and v.lang == "en"
                     and re.fullmatch(r"/cycles/\d+", v.path))
    # every step named, its state in words too (for screen readers), not only in colour
    assert "✓ Self-assessment (done) 2 Preparatory review (current phase) 3 Visit (to come)" in submitted.text


# --- sideways scrolling -------------------------------------------------------------

def test_no_page_scrolls_sideways_at_390_or_1280_px(crawl: Crawl):
    too_wide = [f"{v.role:12} {v.lang} {v.path}: {width} px wide page at {width_px} px"
                for v in crawl.visits for width_px, width in sorted(v.widths.items()) if width > width_px]
    assert not too_wide, "pages wider than the screen:\n" + "\n".join(too_wide)


# --- one language per page ----------------------------------------------------------

#: Words that are the same in both languages, or too short or common to tell them apart.
#: ("parties": "N parties", parts, in French; "notes": "notes : 3" beside "notes: 3" on the cycle
#: page and My cycles once a demo cycle is in its visit; "minutes", "Agenda" and "Notes" are
#: the same words in both.)
BOTH_LANGUAGES = {"Coordination", "Pair", "Rapport", "parties", "notes", "minutes", "Agenda", "Notes", "Page"}
#: Values of the contract that a page must show through their label, never as such.
CODES = sorted({v.value for enum in (CycleRole, Phase, ReportStatus, SelfRating, SetStatus) for v in enum
                if len(v.value) > 3})


def _phrases(lang_of_the_text: str) -> list[str]:
    """Texts of the catalogue that give away the other language: the msgids (English) whose
    French differs, or those French texts; placeholders split them into fragments; single
    words count when longer than three letters and not shared by both languages."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    found = set()
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple) or message.string == message.id:
            continue
        text = message.id if lang_of_the_text == "en" else message.string
        for fragment in re.split(r"%\(\w+\)\w", text):
            fragment = _normal(fragment).strip(" .,:;!?()«»—-|…")
            words = fragment.split()
            if len(words) >= 2 or (len(words) == 1 and len(fragment) > 3 and fragment not in BOTH_LANGUAGES):
                found.add(_normal(fragment))
    return sorted(found, key=len, reverse=True)


def _interface_text(visit: Visit, typed: list[str]) -> str:
    text = visit.text
    for data in typed:
        text = text.replace(data, " ")
    return text


def _found(phrases: list[str], text: str) -> list[str]:
    """The phrases found in ``text`` as whole words, in order (the longest where they overlap)."""
    pattern = r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(phrases, key=len, reverse=True))) + r")(?![\w-])"
    return list(dict.fromkeys(m.group(0) for m in re.finditer(pattern, text)))


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_a_page_speaks_one_language(crawl: Crawl, lang: str, other: str):
    """No English interface text on a French page, no French one on an English page."""
    phrases = _phrases(other)
    assert len(phrases) > 150 and ("My cycles" in phrases if other == "en" else "Mes cycles" in phrases)
    codes = CODES if lang == "fr" else [c for c in CODES if "_" in c]
    wrong = []
    for v in crawl.visits:
        if v.lang != lang:
            continue
        text = _interface_text(v, crawl.typed)
        wrong += [f"{v.role:12} {v.path}: {p!r}" for p in _found(phrases, text)]
        wrong += [f"{v.role:12} {v.path}: the code {c!r}" for c in _found(codes, text)]
    assert not wrong, f"{other} texts on {lang} pages:\n" + "\n".join(wrong)


def test_the_language_check_sees_a_wrong_text():
    """The check itself: an English label left on a French page is found, a name is not."""
    visit = Visit("peer", "/", "fr", 200, "Mes cycles", text="Mes cycles Velmar Échéance Phase Deadline approved")
    text = _interface_text(visit, ["Velmar"])
    assert _found(_phrases("en"), text) == ["Deadline", "approved"]
    assert _found(CODES, text) == ["approved"]


# --- accessibility ------------------------------------------------------------------

def _describe(violation: dict) -> str:
    nodes = "\n".join(f"      {', '.join(map(str, n['target']))}: {n.get('failureSummary', '').splitlines()[-1:]}"
                      for n in violation["nodes"][:5])
    more = f"\n      … and {len(violation['nodes']) - 5} more" if len(violation["nodes"]) > 5 else ""
    return f"    [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n{nodes}{more}"


def _serious(page: Page) -> list[dict]:
    results = Axe().run(page, AXE_CONTEXT, {"resultTypes": ["violations"]}).response
    return [x for x in results["violations"] if x["impact"] in SERIOUS or x["id"] in ALSO_KEPT]


def test_the_accessibility_check_sees_a_field_without_label(page: Page):
    page.set_content('<html lang="en"><title>t</title><main><h1>Form</h1><h3>Skipped</h3><input name="q"></main>')
    assert {(x["id"], x["impact"]) for x in _serious(page)} == {("label", "critical"), ("heading-order", "moderate")}


def test_axe_finds_no_serious_or_critical_violation(crawl: Crawl):
    checked = [v for v in crawl.visits if v.lang == "fr"]
    assert len(checked) == 85 and all(v.rules_passed > 20 for v in checked)
    report = []
    for v in crawl.visits:
        serious = [x for x in v.violations if x["impact"] in SERIOUS or x["id"] in ALSO_KEPT]
        if serious:
            report.append(f"{v.role} {v.lang} {v.path}:\n" + "\n".join(map(_describe, serious)))
    assert not report, "axe-core:\n" + "\n".join(report)


# --- what the eye needs: typed text, field borders, steps, focus ---------------------

def _luminance(rgb: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (float(x) for x in re.findall(r"[\d.]+", rgb)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _style(locator, prop: str) -> str:
    return locator.evaluate(f"(el) => getComputedStyle(el).{prop}")


def test_typed_text_field_borders_steps_and_focus_can_be_seen(browser: Browser, site: Site, base_url):
    page_bg = "rgb(246, 247, 249)"  # --bg
    officer = _context(browser, site, base_url, "host officer", "fr")
    try:
        page = officer.new_page()
        page.set_viewport_size({"width": NARROW, "height": 900})
        page.goto(f"{base_url}/cycles/{site.ids['draft']}/self-assessment")
        card = page.locator("article.entry").first
        description = card.locator("textarea[name=description]")
        assert _style(description.locator("xpath=.."), "fontWeight") == "600"  # its label
        assert _style(description, "fontWeight") == "400"  # what is typed is not bold
        border = _style(description, "borderTopColor")
        assert _contrast(border, _style(description, "backgroundColor")) >= 3
        assert _contrast(border, _style(card, "backgroundColor")) >= 3
        assert _contrast(border, page_bg) >= 3
        # evidence and responsible people one above the other at 390 px, each wide enough
        evidence = card.locator("textarea[name=evidence]").bounding_box()
        people = card.locator("textarea[name=responsible]").bounding_box()
        assert evidence and people and evidence["width"] > 280 and people["width"] > 280
        assert people["y"] > evidence["y"] + evidence["height"]

        page.goto(f"{base_url}/cycles/{site.ids['submitted']}")
        steps = page.locator("ol.steps > li")
        expect(steps).to_have_text([re.compile(r"Auto-évaluation"), re.compile("Revue préparatoire"),
                                    re.compile("Visite"), re.compile("Rapport"), re.compile("Publié")])
        expect(steps.nth(0).locator(".mark")).to_have_text("✓")
        assert _style(steps.nth(1), "fontWeight") == "700" and steps.nth(1).get_attribute("aria-current") == "step"
        future = steps.nth(2)
        assert _style(future, "borderTopStyle") == "dashed"  # not told by colour alone
        assert _contrast(_style(future, "borderTopColor"), _style(future, "backgroundColor")) >= 3
        assert _contrast(_style(future, "borderTopColor"), page_bg) >= 3
        assert _contrast(_style(future, "color"), _style(future, "backgroundColor")) >= 4.5
        assert steps.nth(4).bounding_box()["x"] == steps.nth(0).bounding_box()["x"]  # a list at 390 px
        page.set_viewport_size({"width": WIDE, "height": 900})
        assert steps.nth(4).bounding_box()["y"] == steps.nth(0).bounding_box()["y"]  # a row at 1280 px
    finally:
        officer.close()

    coordinator = _context(browser, site, base_url, "coordinator", "en")
    try:
        page = coordinator.new_page()
        page.goto(f"{base_url}/cycles/{site.ids['draft']}")
        # what can take the focus now (not what a closed confirmation hides)
        focusable = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, '
            + 'textarea, summary, [tabindex="0"]')].filter((el) => el.checkVisibility())"""
        total = page.evaluate(f"({focusable})().length")
        seen, unringed = set(), []
        for _ in range(total * 4):  # a date field takes several presses
            page.keyboard.press("Tab")
            index, inside, html, outline, width = page.evaluate(f"""() => {{
                const el = document.activeElement, s = getComputedStyle(el);
                return [({focusable})().indexOf(el), !el.matches(':focus'),
                        el.outerHTML.slice(0, 80), s.outlineStyle, parseFloat(s.outlineWidth)]; }}""")
            if index < 0:  # back to the page itself: every stop was seen
                break
            seen.add(index)
            # Chromium's date field has stops of its own inside (its calendar button), which
            # the page's styles cannot reach; the field's day, month and year are checked.
            if not inside and (outline == "none" or width < 2):
                unringed.append(f"{html} (outline {outline} {width}px)")
        assert total > 15 and len(seen) == total, (len(seen), total)
        assert not unringed, "focused without a visible outline:\n" + "\n".join(unringed)
    finally:
        coordinator.close()

"""The final report as a Word document, for the team leader to edit afterwards: the HTML
report's content in its order (``reports/body.html``, whose message ids it shares), in
Word's own structure — headings in the styles "Heading 1" to "Heading 4" (the navigation
pane and a table of contents find them), real tables whose header row repeats on each page,
the heat map as a picture with its description, page numbers in the footer, A4.

A judgement is written as its sign and word ("− below the benchmark"), on its colour in
tables: colour is never the only sign. User text goes through the office layer
(:mod:`app.office.docx`), which keeps it text.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from app import labels
from app.i18n import N_, gettext_for
from app.office import docx as word
from app.reports import phrasing
from app.reports.charts import heat_map_picture, heat_map_png, legend_stops
from app.reports.content import RecommendationItem, ReportContent, localized

TEXT_WIDTH = Cm(16.6)  # A4 less the margins
HEAT_MAP_WIDTH = Cm(16)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
INK = RGBColor.from_string(labels.INK)
MUTED = RGBColor(0x55, 0x5F, 0x6B)
PRACTICE_INDENT = Cm(0.8)


class _Writer:
    """One document being written in one language."""

    def __init__(self, content: ReportContent, lang: str) -> None:
        self.c, self.lang, self._ = content, lang, gettext_for(lang)
        self.colon = phrasing.colon(lang)
        self.doc: Document = new_document()

    def day(self, value: str | None) -> str:
        return phrasing.day(value, self.lang)

    def heading(self, text: str, level: int) -> None:
        word.add_heading(self.doc, text, level)

    def para(self, text: str = "", style: str | None = None, *, italic: bool = False, muted: bool = False):
        paragraphs = word.add_text(self.doc, text, style, italic=italic)
        if muted:
            for paragraph in paragraphs:
                for run in paragraph.runs:
                    run.font.color.rgb = MUTED
        return paragraphs[-1]

    def written(self, key: str, empty: str) -> None:
        """A section the team wrote, or ``empty`` (a message id) in grey."""
        text = self.c.section(key)
        if text:
            self.para(text)
        else:
            self.para(self._(empty), italic=True, muted=True)

    # --- cell fillers -----------------------------------------------------------------

    def judgement_cell(self, key: str | None) -> Callable[[_Cell], None]:
        def fill(cell: _Cell) -> None:
            run = word.add_run(cell.paragraphs[0], phrasing.judgement(key, self._), bold=bool(key))
            run.font.color.rgb = WHITE if key else INK
            word.shade(cell, labels.PERFORMANCE_COLOURS[key or "none"])
        return fill

    def indicator_cell(self, code: str, text: dict[str, str]) -> Callable[[_Cell], None]:
        def fill(cell: _Cell) -> None:
            paragraph = cell.paragraphs[0]
            word.add_run(paragraph, code, bold=True)
            word.add_run(paragraph, " " + localized(text, self.lang))
        return fill

    # --- the parts, in the HTML's order -------------------------------------------------

    def cover(self) -> None:
        c, _ = self.c, self._
        self.para(_("Peer review of the governance of migrant integration"), muted=True)
        self.para(c.city, "Title")
        self.para(c.title, "Subtitle")
        if c.visit_days:
            dates = self.day(c.visit_days[0]) + (f" – {self.day(c.visit_days[-1])}" if len(c.visit_days) > 1 else "")
            self.para(_("Visit") + self.colon + dates)
        self.para(_("Version %(n)s, published on %(date)s", n=c.version, date=self.day(c.published_at))
                  if c.version else _("Draft — not published"))
        if c.revision_reason:
            self.para(_("Revised") + self.colon + c.revision_reason)
        word.add_run(self.doc.add_paragraph(), _("The review team"), bold=True)
        for m in c.team:
            self.para(f"{m.name}{f' ({m.city})' if m.city else ''} — {_(labels.ROLES[m.role])}", "List Bullet")
        self.para(_("Indicator set %(version)s: %(n)s indicators in 4 pillars and 5 dimensions.",
                    version=c.indicator_set_version, n=len(c.indicators)))
        self.doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    def summary(self) -> None:
        self.heading(self._("Summary"), 1)
        self.written("summary", N_("No summary written yet."))

    def heat_map(self) -> None:
        _ = self._
        self.heading(_("Where the city stands"), 1)
        self.para(_("Each square is a pillar and a dimension of the benchmark: the share of its indicators the team "
                    "judged at or above the benchmark (indicators needing more information left out), and how many "
                    "of how many."))
        picture = heat_map_picture(self.c, self.lang, _)
        word.picture(self.doc, heat_map_png(self.c, self.lang, _), HEAT_MAP_WIDTH, picture.described(), picture.title)
        self.para(picture.title, "Caption")
        self.legend()
        self.para(_("These are the judgements of a team of peers after reading the city's report and interviewing its "
                    "people, not measurements."), italic=True)

    def legend(self) -> None:
        """The scale as a row of coloured cells holding their text, then "none judged"."""
        stops = legend_stops()
        table = self.doc.add_table(rows=1, cols=len(stops) + 1)
        table.autofit = False
        widths = [Cm(1.6)] * len(stops) + [Cm(4)]
        for cell, width, stop in zip(table.rows[0].cells, widths, [*stops, None], strict=True):
            cell.width = width
            if stop is None:
                word.add_run(cell.paragraphs[0], self._("none judged"))
                continue
            fill, ink, text = stop
            word.shade(cell, fill)
            run = word.add_run(cell.paragraphs[0], text)
            run.font.color.rgb, run.font.size = RGBColor.from_string(ink), Pt(9)

    def self_vs_team(self) -> None:
        c, _ = self.c, self._
        self.heading(_("The city's self-assessment and the team's judgement"), 1)
        self.para(_("The city rated itself higher than the team on %(higher)s indicators, the same on %(same)s, lower "
                    "on %(lower)s.", **c.self_vs_team()))
        apart = c.rated_apart()
        if apart:
            word.add_table(self.doc, [_("Indicator"), _("City's self-rating"), _("Team's judgement")],
                           [Cm(8.8), Cm(3.6), Cm(4.2)], [[
                               self.indicator_cell(i.code, i.text),
                               f"{phrasing.rating(i.self_rating, _)} "
                               f"{'↑ ' + _('higher') if (i.rated_apart or 0) > 0 else '↓ ' + _('lower')}",
                               self.judgement_cell(i.performance)] for i in apart])

    def pillars(self) -> None:
        c, _ = self.c, self._
        for p in c.pillars:
            self.heading(f"{p.code} {localized(p.name, self.lang)}", 1)
            self.para(localized(p.definition, self.lang), italic=True)
            self.heading(_("Strengths"), 2)
            self.written(f"strengths:{p.code}", N_("None written."))
            self.heading(_("Weaknesses"), 2)
            self.written(f"weaknesses:{p.code}", N_("None written."))
            for d in c.dimensions:
                found = c.indicators_in(p.code, d.code)
                if not found:
                    continue
                self.heading(localized(d.name, self.lang), 2)
                for i in found:
                    paragraph = self.doc.add_paragraph()
                    word.add_run(paragraph, i.code, bold=True)
                    word.add_run(paragraph, " " + localized(i.text, self.lang))
                    paragraph = self.doc.add_paragraph()
                    word.add_run(paragraph, phrasing.judgement(i.performance, _), bold=True)
                    word.add_run(paragraph, "   " + _("City's self-rating") + self.colon
                                 + phrasing.rating(i.self_rating, _)).font.color.rgb = MUTED
                    if i.rationale:
                        self.para(i.rationale).paragraph_format.left_indent = PRACTICE_INDENT
                recs = c.recommendations_for(p.code, d.code)
                if recs:
                    self.heading(_("Recommendations"), 3)
                    self.by_horizon(recs)

    def by_horizon(self, recs: list[RecommendationItem]) -> None:
        _ = self._
        for horizon, items in self.c.by_horizon(recs):
            self.heading(_(labels.HORIZON_LABELS[horizon]), 4)
            for r in items:
                self.recommendation(r)

    def recommendation(self, r: RecommendationItem) -> None:
        _, colon = self._, self.colon
        paragraph = self.doc.add_paragraph()
        word.add_run(paragraph, f"R{r.number}", bold=True)
        word.add_run(paragraph, " " + r.text)
        meta = [_("Indicators") + colon + ", ".join(r.indicator_codes),
                _("Priority") + colon + _(labels.PRIORITY_LABELS[r.priority])]
        if r.owner:
            meta.append(_("Owner") + colon + r.owner)
        if r.follow_up_on:
            meta.append(_("Follow-up") + colon + self.day(r.follow_up_on))
        self.para(" · ".join(meta), muted=True)
        for pid in r.practice_ids:
            p = self.c.practices.get(pid)
            if p is None:
                continue
            paragraph = self.doc.add_paragraph()
            word.add_run(paragraph, _("Good practice") + colon)
            word.add_run(paragraph, localized(p.title, self.lang), bold=True)
            if p.city:
                word.add_run(paragraph, f" — {p.city}")
            texts = [paragraph, *(self.para(t) for t in (localized(p.summary, self.lang),
                                                          localized(p.figures, self.lang)) if t),
                     self.para(_("Source") + colon + p.source, muted=True)]
            for t in texts:
                t.paragraph_format.left_indent = PRACTICE_INDENT

    def annexes(self) -> None:
        c, _ = self.c, self._
        self.heading(_("Annex A — The people met"), 1)
        people = c.people_met()
        if people:
            word.add_table(self.doc, [_("Name"), _("Role"), _("Organisation")], [Cm(5.6), Cm(5.5), Cm(5.5)],
                           [[p.name, p.role, p.organisation] for p in people])
        else:
            self.para(_("No interview recorded."), italic=True, muted=True)
        self.heading(_("Annex B — The visit programme"), 1)
        if c.meetings:
            word.add_table(self.doc, [_("When"), _("Who was met"), _("Reviewers")], [Cm(4.2), Cm(8), Cm(4.4)], [[
                f"{self.day(m.starts_at)} {phrasing.clock(m.starts_at)}–{phrasing.clock(m.ends_at)}",
                self.met(m.title, [(p.name, p.role) for p in m.interviewees]), ", ".join(m.peers)]
                for m in c.meetings])
        else:
            self.para(_("No interview recorded."), italic=True, muted=True)
        self.heading(_("Annex C — The method"), 1)
        for text in METHOD:
            self.para(_(text))
        self.heading(_("Annex D — Every indicator"), 1)
        word.add_table(self.doc, [_("Indicator"), _("City's self-rating"), _("Team's judgement")],
                       [Cm(8.8), Cm(3.6), Cm(4.2)],
                       [[self.indicator_cell(i.code, i.text), phrasing.rating(i.self_rating, _),
                         self.judgement_cell(i.performance)] for i in c.indicators])
        self.heading(_("Annex E — Action plan"), 1)
        plan = c.action_plan()
        if plan:
            word.add_table(self.doc, [_("Recommendation"), _("Horizon"), _("Priority"), _("Owner"), _("Follow-up")],
                           [Cm(7.1), Cm(2.8), Cm(1.9), Cm(2.6), Cm(2.2)],
                           [[self.planned(r), _(labels.HORIZON_LABELS[r.horizon]),
                             _(labels.PRIORITY_LABELS[r.priority]), r.owner, self.day(r.follow_up_on)] for r in plan])
        else:
            self.para(_("No recommendation yet."), italic=True, muted=True)

    def met(self, title: str, people: list[tuple[str, str]]) -> Callable[[_Cell], None]:
        def fill(cell: _Cell) -> None:
            paragraph = cell.paragraphs[0]
            if title:
                word.add_run(paragraph, title, bold=True)
                word.add_run(paragraph, " — ")
            word.add_run(paragraph, ", ".join(f"{name} ({role})" if role else name for name, role in people))
        return fill

    def planned(self, r: RecommendationItem) -> Callable[[_Cell], None]:
        def fill(cell: _Cell) -> None:
            paragraph = cell.paragraphs[0]
            word.add_run(paragraph, f"R{r.number}", bold=True)
            word.add_run(paragraph, " " + r.text)
            word.add_run(paragraph, f" ({', '.join(r.indicator_codes)})").font.color.rgb = MUTED
        return fill

    def document(self) -> bytes:
        c, _ = self.c, self._
        word.a4_page(self.doc)
        word.describe(self.doc, title=f"{_('Peer review report')} — {c.city}", subject=c.title, lang=self.lang,
                      author="INTI-CITIES", when=datetime.fromisoformat(c.published_at) if c.published_at else None)
        header = self.doc.sections[0].header.paragraphs[0]
        word.add_run(header, f"{_('Peer review report')} — {c.city}").font.color.rgb = MUTED
        word.page_numbers(self.doc, lambda page, pages: _("Page %(n)s of %(total)s", n=page, total=pages))
        self.cover()
        self.summary()
        self.heat_map()
        self.self_vs_team()
        self.pillars()
        self.annexes()
        return word.saved(self.doc)


METHOD = (
    N_("The review follows the INTI-CITIES peer-review method of EUROCITIES and the Migration Policy Group. A common "
       "benchmark describes good governance of migrant integration in 73 indicators, in four pillars (general "
       "governance, individual empowerment of immigrants, administrative cooperation, working partnerships) and five "
       "dimensions (ambition, leadership, resources, implementation, evaluation)."),
    N_("The host city first assessed itself against each indicator, in an initial report. Each peer of the team, "
       "working in another city, then reviewed that report alone and wrote, per indicator, a preliminary judgement, "
       "a hypothesis, questions and the people to meet. The team met the city's people during a visit, each "
       "interview held by two peers. The team leader then set a final judgement per indicator and wrote this report "
       "with the team, which each peer signed off."),
    N_("A judgement says whether the city's governance is below, at or above the benchmark; where the visit left too "
       "little to judge, more information is needed. The recommendations are the team's constructive criticism, each "
       "with a horizon: short term (0–12 months), medium term (1–3 years) or long term (3–5 years)."),
)


def render_docx(content: ReportContent, lang: str) -> bytes:
    """The whole report as a .docx file in ``lang``."""
    return _Writer(content, lang).document()

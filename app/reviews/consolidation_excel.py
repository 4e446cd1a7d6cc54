"""The team's consolidation as a workbook, in the reader's language: the pages' picture as
sheets to sort, filter and print.

1. *Judgements*: one row per indicator — its reference, the host city's self-rating, each
   reviewer's judgement (the word, on the judgement's colour, :data:`app.labels.PERFORMANCE_COLOURS`,
   as on the pages), how many gave each judgement, whether it is to discuss first (the
   reviewers disagree or need more information), the reviewers' majority and where the
   host's self-rating stands against it. The header has filters, so that a reader can show
   the rows to discuss alone.
2. *Questions and people*: the indicators to discuss first, then the others; for each, the
   merged questions and people to meet, one per line, each with who asked.
3. *People to meet*: everyone once, with the indicators that want them and who asked.
4. *Agreement*: Krippendorff's alpha overall and per pillar, said in plain words, the
   colours' legend, and who has not submitted yet.

Nothing is read back: the sheets are not protected.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from benchmark.consolidation import Consolidation, MergedPerson
from benchmark.indicators import IndicatorSet
from benchmark.scales import Performance

from app import labels
from app.cycles.tables import Cycle
from app.i18n import N_, gettext_for
from app.office import table, xlsx
from app.office.table import Column
from app.reviews.service import TeamConsolidation

HOST_VS_PEERS = {"higher": N_("higher"), "lower": N_("lower"), "same": N_("the same")}
ALPHA_EXPLAINED = N_("1 means the reviewers judged every indicator alike; 0, no more alike than chance; below 0, they "
                     "disagree more than chance would. \"More information needed\" is left out. A dash: too few "
                     "judgements to compare.")
ASKED_BY = N_("%(text)s (asked by %(names)s)")
YES = N_("yes")
QUESTIONS = [
    Column("code", N_("Code"), 11), Column("indicator", N_("Indicator"), 50), Column("flagged", N_("To discuss"), 10),
    Column("questions", N_("Questions (who asked)"), 60), Column("people", N_("People to meet (who asked)"), 55)]
PEOPLE = [
    Column("name", N_("Name"), 28), Column("role", N_("Role"), 25), Column("organisation", N_("Organisation"), 28),
    Column("interpreter", N_("Interpreter needed"), 12), Column("indicators", N_("Indicators"), 30),
    Column("asked_by", N_("Asked by"), 30)]


def export_consolidation(team: TeamConsolidation, iset: IndicatorSet, cycle: Cycle, city: str, lang: str) -> bytes:
    """The consolidation of ``team``'s submitted reviews as a workbook in ``lang``."""
    _ = gettext_for(lang)
    c = team.consolidation
    wb = Workbook()
    _judgements(wb.active, c, iset, lang, _)
    texts = iset.by_code()
    table.write_table(wb.create_sheet(_(N_("Questions and people"))), QUESTIONS, [{
        "code": i.code, "indicator": texts[i.code].text.get(lang), "flagged": _(YES) if i.flagged else None,
        "questions": "\n".join(_(ASKED_BY, text=q.text, names=_names(c, q.asked_by)) for q in i.questions),
        "people": "\n".join(_(ASKED_BY, text=_person_line(p, _), names=_names(c, p.asked_by)) for p in i.people),
    } for i in c.attention_first()], _, to_fill=False)
    table.write_table(wb.create_sheet(_(N_("People to meet"))), PEOPLE, [{
        "name": p.name, "role": p.role, "organisation": p.organisation,
        "interpreter": _(YES) if p.interpreter else None, "indicators": ", ".join(p.indicators),
        "asked_by": _names(c, p.asked_by),
    } for p in c.people_index], _, to_fill=False)
    _agreement(wb.create_sheet(_(N_("Agreement"))), team, iset, f"{cycle.title} — {city}", lang, _)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _word(key: str | None, _: Callable[..., str]) -> str:
    return _(labels.PERFORMANCES[key]) if key else _(N_("not judged"))


def _key(value: StrEnum | None) -> str | None:
    return value.value if value else None


def _names(c: Consolidation, ids: Sequence[int]) -> str:
    return ", ".join(c.reviewers.get(i, str(i)) for i in ids)


def _person_line(person: MergedPerson, _: Callable[..., str]) -> str:
    """``name | role | organisation | interpreter``, as the reviewer's workbook writes a person."""
    return " | ".join([person.name, person.role, person.organisation, _(YES) if person.interpreter else ""]
                      ).rstrip(" |")


def _judgements(ws: Worksheet, c: Consolidation, iset: IndicatorSet, lang: str, _: Callable[..., str]) -> None:
    """Sheet 1: the indicator × reviewer grid, with counts and what stands out."""
    ws.title = _(N_("Judgements"))
    reviewers = list(c.reviewers.items())
    # Headers translated here: the reviewers' are names, not message ids.
    columns = [
        *(Column(col.key, _(col.label), col.width) for col in table.reference_columns(indicator_width=45)),
        Column("self_rating", _(N_("Self-rating of the host city")), 15),
        *(Column(f"r{rid}", name, 15) for rid, name in reviewers),
        *(Column(p.value, _(N_("How many: %(judgement)s"), judgement=_(labels.PERFORMANCES[p.value])), 12)
          for p in Performance),
        Column("flagged", _(N_("To discuss")), 10),
        Column("majority", _(N_("Reviewers' majority")), 15),
        Column("host_vs_peers", _(N_("The host city's self-rating against the reviewers' majority")), 16),
    ]
    reference = table.reference_values(iset, lang)
    table.write_table(ws, columns, [{
        **reference[i.code],
        "self_rating": _word(_key(i.self_rating), _),
        **{f"r{rid}": _word(_key(i.judgements.get(rid)), _) for rid, _name in reviewers},
        "flagged": _(YES) if i.flagged else None,
        "majority": _(labels.PERFORMANCES[i.majority.value]) if i.majority else None,
        "host_vs_peers": _(HOST_VS_PEERS[i.host_vs_peers]) if i.host_vs_peers else None,
    } for i in c.indicators], lambda header: header, to_fill=False)
    host = len(table.reference_columns()) + 1
    counts = host + 1 + len(reviewers)
    for row, item in enumerate(c.indicators, start=2):
        xlsx.judgement_style(ws.cell(row, host), _key(item.self_rating))
        for col, (rid, _name) in enumerate(reviewers, start=host + 1):
            xlsx.judgement_style(ws.cell(row, col), _key(item.judgements.get(rid)))
        for col, p in enumerate(Performance, start=counts):
            ws.cell(row, col).value = item.counts[p]  # numbers, to sum and sort
        if item.flagged:
            ws.cell(row, 1).font = Font(bold=True)
    ws.auto_filter.ref = f"A1:{ws.cell(1, len(columns)).column_letter}{len(c.indicators) + 1}"
    ws.freeze_panes = ws.cell(2, host).coordinate  # the reference stays in view


def _agreement(ws: Worksheet, team: TeamConsolidation, iset: IndicatorSet, title: str, lang: str,
               _: Callable[..., str]) -> None:
    """Sheet 4: alpha overall and per pillar in plain words, the colours' legend, who is awaited."""
    c = team.consolidation
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 70, 12
    alphas = [(_(N_("Krippendorff's alpha over all indicators")), c.alpha)]
    alphas += [(f"{p.code.value} {p.name.get(lang)}", c.alpha_by_pillar.get(p.code)) for p in iset.pillars]
    notes = [_(ALPHA_EXPLAINED), "", _(N_("%(n)s indicators to discuss first: the reviewers disagree or need more "
                                         "information."), n=sum(1 for i in c.indicators if i.flagged))]
    if team.pending:
        notes.append(_(N_("Not submitted yet, so not shown here: %(names)s."),
                       names=", ".join(u.full_name for u in team.pending)))
    legend: list[str | None] = [*(p.value for p in Performance), None]
    texts = [f"{_(N_('Consolidation of the preparatory reviews'))} — {title}", "", *(a for a, _v in alphas),
             *notes, "", *(_word(key, _) for key in legend)]
    for row, text in enumerate(texts, start=1):
        xlsx.text_cell(ws, row, 1, text).alignment = xlsx.WRAP
        ws.row_dimensions[row].height = xlsx.row_height([(text, 70)])
    ws.cell(1, 1).font = Font(bold=True, size=13)
    for row, (_label, value) in enumerate(alphas, start=3):
        cell = ws.cell(row, 2)
        cell.value, cell.number_format = (round(value, 3), "0.00") if value is not None else ("—", "General")
    for row, key in enumerate(legend, start=len(texts) - len(legend) + 1):
        xlsx.judgement_style(ws.cell(row, 1), key)
    xlsx.print_setup(ws)

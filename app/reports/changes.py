"""What changed from one published version of the report to the next, read from the two
frozen contents (never from the tables): judgements, the texts the team leader wrote, and
the recommendations (by their id: added, removed, or changed in one of their fields)."""
from dataclasses import dataclass

from app.i18n import N_
from app.reports.content import ReportContent

RECOMMENDATION_FIELDS = ("text", "indicator_codes", "horizon", "priority", "owner", "follow_up_on", "practice_ids")


@dataclass(frozen=True)
class Change:
    """One difference: ``what`` is a message id (with ``params``), ``before`` and ``after``
    the values as the reports print them (empty when there was none)."""

    what: str
    params: dict[str, str]
    before: str = ""
    after: str = ""


def changes(old: ReportContent, new: ReportContent) -> list[Change]:
    """The differences from ``old`` to ``new``, in the report's order."""
    out: list[Change] = []
    before = {i.code: i for i in old.indicators}
    for indicator in new.indicators:
        was = before.get(indicator.code)
        if was is None:
            out.append(Change(N_("%(code)s: a new indicator"), {"code": indicator.code}))
        elif (was.performance, was.rationale) != (indicator.performance, indicator.rationale):
            out.append(Change(N_("%(code)s: the final judgement changed"), {"code": indicator.code},
                              was.performance or "", indicator.performance or ""))
    for key in sorted(set(old.sections) | set(new.sections)):
        if old.section(key) != new.section(key):
            out.append(Change(N_("Text %(section)s changed"), {"section": key}, old.section(key), new.section(key)))
    old_recs = {r.id: r for r in old.recommendations}
    new_recs = {r.id: r for r in new.recommendations}
    for rec in new.recommendations:
        was_rec = old_recs.get(rec.id)
        if was_rec is None:
            out.append(Change(N_("Recommendation R%(n)s added"), {"n": str(rec.number)}, "", rec.text))
            continue
        changed = [name for name in RECOMMENDATION_FIELDS if getattr(was_rec, name) != getattr(rec, name)]
        if changed:
            out.append(Change(N_("Recommendation R%(n)s changed (%(fields)s)"),
                              {"n": str(rec.number), "fields": ", ".join(changed)}, was_rec.text, rec.text))
    for rec_id, gone in old_recs.items():
        if rec_id not in new_recs:
            out.append(Change(N_("Recommendation R%(n)s of the earlier version removed"), {"n": str(gone.number)},
                              gone.text, ""))
    return out

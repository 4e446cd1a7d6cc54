"""A final report's content built in memory (no database), for the formats' tests: the 73
indicators of the real ``indicators.yaml``, judgements and self-ratings of every kind,
recommendations with good practices, a visit programme, the team's sections — and
hostile text in every field a person writes. Beside the other helpers of ``tests/`` (the
tests are imported in pytest's importlib mode: a helper beside them could not be imported).
"""
from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmark.indicators import IndicatorSet, load_indicator_set

from app.reports.content import (
    HORIZONS,
    PRIORITIES,
    IndicatorResult,
    Meeting,
    Named,
    Person,
    Practice,
    RecommendationItem,
    ReportContent,
    TeamMember,
)

ROOT = Path(__file__).resolve().parents[1]
#: What a person could type to break a file: markup of each format, a CDATA end, an escaped
#: entity, a formula, a bell (which XML cannot hold: dropped) and a right-to-left override.
HOSTILE = "<w:p>]]>&amp; <b>x</b> =HYPERLINK(\"http://x\") \x07bell \u202eevil\u202c"
#: ``HOSTILE`` as every format must show it: verbatim, less what XML refuses.
HOSTILE_SHOWN = HOSTILE.replace("\x07", "")
FORMULA = "=cmd|' /C calc'!A0"
RECOMMENDATION = f"{FORMULA} Set up a standing migrant council {HOSTILE}"
PERFORMANCES = ("below", "at", "above", "more_info", None)
SELF = ("above", "at", "below", None)


@lru_cache
def indicator_set() -> IndicatorSet:
    return load_indicator_set(ROOT / "indicators.yaml")


def make_content(recommendations: int = 4, meetings: int = 6, *, sections: bool = True,
                 version: int | None = None) -> ReportContent:
    """A report of Hostileville: every fifth indicator unjudged or needing more information,
    one in four self-ratings missing, ``recommendations`` recommendations (the first one's
    text :data:`RECOMMENDATION`) across horizons and priorities, each tied to two
    indicators and the first ones to good practices, ``meetings`` interviews over three days."""
    iset = indicator_set()
    indicators = [IndicatorResult(
        code=i.code, pillar=i.pillar.value, dimension=i.dimension.value, text={"fr": i.text.fr, "en": i.text.en},
        self_rating=SELF[n % len(SELF)], performance=PERFORMANCES[n % len(PERFORMANCES)],
        rationale=f"Rationale of {i.code}: {HOSTILE}\nsecond line" if n % 3 == 0 else "",
        majority=PERFORMANCES[(n + 1) % 3], departs_from_majority=n % 7 == 0) for n, i in enumerate(iset.indicators)]
    practices = {
        1: Practice(1, "Genoa", "Italy", "participation", {"fr": "Conseil des migrants", "en": "Migrant council"},
                    {"fr": "Un conseil élu.", "en": "An elected council."}, {"fr": "40 membres", "en": "40 members"},
                    "Seed 001, Section C"),
        2: Practice(2, f"Evil {HOSTILE}", "", "services", {"fr": f"Titre {HOSTILE}", "en": f"Title {HOSTILE}"},
                    {"fr": f"Résumé {HOSTILE}", "en": f"Summary {HOSTILE}"}, {"fr": "", "en": ""}, f"{FORMULA}"),
    }
    codes = [i.code for i in indicators]
    recs = [RecommendationItem(
        id=100 + n, number=n, text=RECOMMENDATION if n == 1 else f"Recommendation {n}: act on {codes[n * 2 % 73]}.",
        indicator_codes=[codes[(n * 2) % 73], codes[(n * 5 + 1) % 73]], horizon=HORIZONS[n % 3],
        priority=PRIORITIES[n % 3], owner=f"@SUM(1+1) {HOSTILE}" if n == 1 else f"Department {n}",
        follow_up_on=(date(2027, 6, 1) + timedelta(days=30 * n)).isoformat() if n % 4 else None,
        practice_ids=[1, 2] if n == 1 else [1] if n % 5 == 0 else []) for n in range(1, recommendations + 1)]
    zone = ZoneInfo("Europe/Brussels")
    days = [date(2027, 1, 12) + timedelta(days=d) for d in range(3)]
    meetings_list = []
    for n in range(meetings):
        start = datetime.combine(days[n % 3], datetime.min.time(), zone).replace(hour=9 + (n // 3) % 8)
        people = [Person(f"{HOSTILE} -2+3" if n == 0 else f"Person {n}", "Alderwoman" if n % 2 else "",
                         f"\tOrganisation {n}")]
        if n % 4 == 1:
            people.append(Person(f"Second person {n}", "Director", "City hall"))
        meetings_list.append(Meeting(starts_at=start.isoformat(), ends_at=(start + timedelta(minutes=60)).isoformat(),
                                     kind="workshop" if n % 5 == 4 else "interview",
                                     title=f"Workshop {HOSTILE}" if n % 5 == 4 else "", interviewees=people,
                                     peers=["Lars Henriksen", f"Peer {HOSTILE}"], location="City hall"))
    texts = {"summary": f"The summary.\n{HOSTILE}\n\nA second paragraph."} if sections else {}
    if sections:
        for p in iset.pillars:
            texts[f"strengths:{p.code.value}"] = f"Strengths of {p.code.value}: {HOSTILE}"
        texts["weaknesses:GG"] = "Weak one.\nWeak two."
    return ReportContent(
        cycle_id=7, title=f"Hostileville 2027 {HOSTILE}", city="Hostileville", country="Belgium",
        indicator_set_version=iset.version,
        team=[TeamMember("Lars Henriksen", "team_leader", "Nordhaven"), TeamMember(f"Peer {HOSTILE}", "peer", "")],
        visit_days=[d.isoformat() for d in days],
        pillars=[Named(p.code.value, {"fr": p.name.fr, "en": p.name.en},
                       {"fr": p.definition.fr, "en": p.definition.en}) for p in iset.pillars],
        dimensions=[Named(d.code.value, {"fr": d.name.fr, "en": d.name.en}) for d in iset.dimensions],
        indicators=indicators, sections=texts, recommendations=recs, practices=practices, meetings=meetings_list,
        version=version, published_at="2027-03-01T10:00:00+00:00" if version else None,
        revision_reason=f"Reason {HOSTILE}" if version and version > 1 else None)


def full_content() -> ReportContent:
    """The issue's full cycle: 73 indicators, 30 recommendations, 40 interviews."""
    return make_content(recommendations=30, meetings=40, version=1)


def to_pdf(soffice: str, files: dict[str, bytes], tmp_path: Path) -> dict[str, bytes]:
    """Each file (by name: ``report-en.docx``…) as LibreOffice converts it to PDF, by the same
    name; one run of LibreOffice (headless, a profile of its own) for all of them."""
    src = tmp_path / "in"
    src.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (src / name).write_bytes(data)
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out), *(str(src / name) for name in files)],
                   check=True, capture_output=True, timeout=180)
    return {name: (out / name).with_suffix(".pdf").read_bytes() for name in files}

"""The report's pictures, from its content: the pillar × dimension heat map of the final
judgements, as SVG (the HTML and the PDF) and as PNG (the Word document).

A cell's colour says the share of its indicators judged at or above the benchmark, from
the "below" colour (none) through a light neutral (half) to the "above" colour (all);
grey when none was judged on the scale. The colour is never the only sign: each cell
prints its share and its count, and names them for screen readers.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from app.labels import INK, PERFORMANCE_COLOURS
from app.reports.content import ReportContent, localized

LOW, MID, HIGH = PERFORMANCE_COLOURS["below"], "F1ECE2", PERFORMANCE_COLOURS["above"]
EMPTY = "E3E7EB"
LABEL_W, HEAD_H, CELL_W, CELL_H, GAP = 170, 44, 104, 62, 4


def _mix(a: str, b: str, t: float) -> str:
    ca, cb = (int(a[i:i + 2], 16) for i in (0, 2, 4)), (int(b[i:i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb, strict=True))


def share_colour(share: float | None) -> tuple[str, str]:
    """The cell's fill and its text's colour (white on the dark ends: contrast 4.5:1)."""
    if share is None:
        return EMPTY, INK
    fill = _mix(LOW, MID, share * 2) if share <= 0.5 else _mix(MID, HIGH, (share - 0.5) * 2)
    return fill, "FFFFFF" if abs(share - 0.5) > 0.3 else INK


@dataclass
class HeatCell:
    pillar: str
    dimension: str
    share: float | None
    judged: int  # on the scale (below, at, above)
    at_or_above: int
    total: int
    fill: str
    ink: str

    def percent(self) -> str:
        return "—" if self.share is None else f"{round(self.share * 100)} %"


def heat_cells(content: ReportContent) -> list[list[HeatCell]]:
    rows = []
    for row in content.heat_map():
        cells = []
        for cell in row:
            counts = cell["counts"]
            fill, ink = share_colour(cell["share"])
            cells.append(HeatCell(cell["pillar"], cell["dimension"], cell["share"],
                                  counts["below"] + counts["at"] + counts["above"], counts["at"] + counts["above"],
                                  cell["total"], fill, ink))
        rows.append(cells)
    return rows


def _lines(text: str, width: int) -> list[str]:
    """``text`` cut into lines of about ``width`` characters, at spaces (two lines at most)."""
    words, lines = text.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines[:2] if len(lines) <= 2 else [lines[0], " ".join(lines[1:])[: width - 1] + "…"]


def heat_map_svg(content: ReportContent, lang: str, _: Callable[..., str]) -> str:
    """The heat map as an SVG element (every text escaped: names come from the data)."""
    rows = heat_cells(content)
    width = LABEL_W + len(content.dimensions) * (CELL_W + GAP)
    height = HEAD_H + len(rows) * (CELL_H + GAP)
    title = _("Final judgements by pillar and dimension: share of indicators at or above the benchmark")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="heat-title" '
           f'font-family="DejaVu Sans, Liberation Sans, sans-serif">',
           f'<title id="heat-title">{escape(title)}</title>']
    for n, dim in enumerate(content.dimensions):
        x = LABEL_W + n * (CELL_W + GAP) + CELL_W / 2
        for k, line in enumerate(_lines(localized(dim.name, lang), 15)):
            out.append(f'<text x="{x:.0f}" y="{18 + k * 15}" text-anchor="middle" font-size="13" '
                       f'font-weight="bold" fill="#{INK}">{escape(line)}</text>')
    for r, (pillar, cells) in enumerate(zip(content.pillars, rows, strict=True)):
        y = HEAD_H + r * (CELL_H + GAP)
        out.append(f'<text x="0" y="{y + 22}" font-size="14" font-weight="bold" fill="#{INK}">'
                   f'{escape(pillar.code)}</text>')
        for k, line in enumerate(_lines(localized(pillar.name, lang), 24)):
            out.append(f'<text x="0" y="{y + 39 + k * 13}" font-size="11" fill="#{INK}">{escape(line)}</text>')
        for c, cell in enumerate(cells):
            x = LABEL_W + c * (CELL_W + GAP)
            said = _("%(pillar)s × %(dimension)s: %(n)s of %(judged)s judged indicators at or above the benchmark",
                     pillar=pillar.code, dimension=localized(content.dimensions[c].name, lang), n=cell.at_or_above,
                     judged=cell.judged)
            out.append(f'<g><title>{escape(said)}</title>'
                       f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" rx="5" fill="#{cell.fill}"/>'
                       f'<text x="{x + CELL_W / 2:.0f}" y="{y + 28}" text-anchor="middle" font-size="18" '
                       f'font-weight="bold" fill="#{cell.ink}">{escape(cell.percent())}</text>'
                       f'<text x="{x + CELL_W / 2:.0f}" y="{y + 48}" text-anchor="middle" font-size="11" '
                       f'fill="#{cell.ink}">{cell.at_or_above}/{cell.judged}</text></g>')
    out.append("</svg>")
    return "".join(out)


def legend_svg(_: Callable[..., str]) -> str:
    """The heat map's scale: five swatches from none to all at or above, and "none judged"."""
    stops = [(share_colour(s), f"{round(s * 100)} %") for s in (0, 0.25, 0.5, 0.75, 1)] + [(share_colour(None), "—")]
    none = _("none judged")
    width = len(stops) * 64 + 8 + 7 * len(none)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-legend" viewBox="0 0 {width} 26" width="{width}" '
           f'height="26" role="img" aria-label="{escape(_("Scale"))}" font-family="DejaVu Sans, sans-serif">']
    for n, ((fill, ink), text) in enumerate(stops):
        out.append(f'<rect x="{n * 64}" y="1" width="60" height="24" rx="4" fill="#{fill}"/>'
                   f'<text x="{n * 64 + 30}" y="18" text-anchor="middle" font-size="12" fill="#{ink}">{text}</text>')
    out.append(f'<text x="{len(stops) * 64 + 4}" y="18" font-size="12" fill="#{INK}">{escape(none)}</text></svg>')
    return "".join(out)

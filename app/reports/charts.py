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
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

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


# --- the picture, drawn once, written as SVG or PNG -------------------------------------------

@dataclass(frozen=True)
class Label:
    """A line of text; ``y`` is its baseline, ``x`` its start (its middle if ``middle``)."""

    x: float
    y: float
    text: str
    size: int
    ink: str = INK
    bold: bool = False
    middle: bool = False


@dataclass(frozen=True)
class Box:
    """A rounded square of colour with its texts, and what it says in words (``title``)."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    title: str
    items: tuple[Label | Box, ...]

    def described(self) -> str:
        """The picture in words: its title, then each cell's sentence (alternative text)."""
        return "\n".join([self.title, *(i.title for i in self.items if isinstance(i, Box))])


def heat_map_picture(content: ReportContent, lang: str, _: Callable[..., str]) -> Picture:
    """The heat map's layout: the dimensions' names on top, each pillar's code and name on the
    left, a coloured cell per pillar and dimension with its share and count."""
    rows = heat_cells(content)
    items: list[Label | Box] = []
    for n, dim in enumerate(content.dimensions):
        x = LABEL_W + n * (CELL_W + GAP) + CELL_W / 2
        items += [Label(x, 18 + k * 15, line, 13, bold=True, middle=True)
                  for k, line in enumerate(_lines(localized(dim.name, lang), 15))]
    for r, (pillar, cells) in enumerate(zip(content.pillars, rows, strict=True)):
        y = HEAD_H + r * (CELL_H + GAP)
        items.append(Label(0, y + 22, pillar.code, 14, bold=True))
        name = _lines(localized(pillar.name, lang), 24)
        items += [Label(0, y + 39 + k * 13, line, 11) for k, line in enumerate(name)]
        for c, cell in enumerate(cells):
            x = LABEL_W + c * (CELL_W + GAP)
            said = _("%(pillar)s × %(dimension)s: %(n)s of %(judged)s judged indicators at or above the benchmark",
                     pillar=pillar.code, dimension=localized(content.dimensions[c].name, lang), n=cell.at_or_above,
                     judged=cell.judged)
            items.append(Box(x, y, CELL_W, CELL_H, cell.fill, said, (
                Label(x + CELL_W / 2, y + 28, cell.percent(), 18, cell.ink, bold=True, middle=True),
                Label(x + CELL_W / 2, y + 48, f"{cell.at_or_above}/{cell.judged}", 11, cell.ink, middle=True))))
    return Picture(LABEL_W + len(content.dimensions) * (CELL_W + GAP), HEAD_H + len(rows) * (CELL_H + GAP),
                   _("Final judgements by pillar and dimension: share of indicators at or above the benchmark"),
                   tuple(items))


def _svg_label(label: Label) -> str:
    anchor = ' text-anchor="middle"' if label.middle else ""
    weight = ' font-weight="bold"' if label.bold else ""
    return (f'<text x="{label.x:.0f}" y="{label.y:.0f}"{anchor} font-size="{label.size}"{weight} '
            f'fill="#{label.ink}">{escape(label.text)}</text>')


def heat_map_svg(content: ReportContent, lang: str, _: Callable[..., str]) -> str:
    """The heat map as an SVG element (every text escaped: names come from the data)."""
    picture = heat_map_picture(content, lang, _)
    width, height = picture.width, picture.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="heat-title" '
           f'font-family="DejaVu Sans, Liberation Sans, sans-serif">',
           f'<title id="heat-title">{escape(picture.title)}</title>']
    for item in picture.items:
        if isinstance(item, Label):
            out.append(_svg_label(item))
        else:
            out.append(f'<g><title>{escape(item.title)}</title><rect x="{item.x}" y="{item.y}" width="{item.width}" '
                       f'height="{item.height}" rx="5" fill="#{item.fill}"/>'
                       + "".join(_svg_label(label) for label in item.labels) + "</g>")
    out.append("</svg>")
    return "".join(out)


#: The PNG's pixels per SVG unit: twice the screen's, for print.
PNG_SCALE = 2
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@lru_cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans (bold) at ``size`` pixels, else Pillow's own font."""
    try:
        return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)
    except OSError:
        return ImageFont.load_default(size)


def _draw_label(draw: ImageDraw.ImageDraw, label: Label, scale: int) -> None:
    draw.text((label.x * scale, label.y * scale), label.text, fill=f"#{label.ink}",
              font=_font(label.size * scale, label.bold), anchor="ms" if label.middle else "ls")


def heat_map_png(content: ReportContent, lang: str, _: Callable[..., str]) -> bytes:
    """The heat map as a PNG at :data:`PNG_SCALE` times the SVG's size (its DPI says so, so
    that it is placed at the SVG's size), on white."""
    picture, s = heat_map_picture(content, lang, _), PNG_SCALE
    image = Image.new("RGB", (picture.width * s, picture.height * s), "white")
    draw = ImageDraw.Draw(image)
    for item in picture.items:
        if isinstance(item, Label):
            _draw_label(draw, item, s)
            continue
        draw.rounded_rectangle((item.x * s, item.y * s, (item.x + item.width) * s - 1, (item.y + item.height) * s - 1),
                               radius=5 * s, fill=f"#{item.fill}")
        for label in item.labels:
            _draw_label(draw, label, s)
    out = BytesIO()
    image.save(out, "PNG", dpi=(96 * s, 96 * s), optimize=False)
    return out.getvalue()


def legend_stops() -> list[tuple[str, str, str]]:
    """The heat map's scale: ``(fill, ink, text)`` from none to all at or above, then "none
    judged" (its text, a dash, is named beside it)."""
    return [(*share_colour(s), f"{round(s * 100)} %") for s in (0, 0.25, 0.5, 0.75, 1)] + [(*share_colour(None), "—")]


def legend_svg(_: Callable[..., str]) -> str:
    """The heat map's scale: five swatches from none to all at or above, and "none judged"."""
    stops = legend_stops()
    none = _("none judged")
    width = len(stops) * 64 + 8 + 7 * len(none)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-legend" viewBox="0 0 {width} 26" width="{width}" '
           f'height="26" role="img" aria-label="{escape(_("Scale"))}" font-family="DejaVu Sans, sans-serif">']
    for n, (fill, ink, text) in enumerate(stops):
        out.append(f'<rect x="{n * 64}" y="1" width="60" height="24" rx="4" fill="#{fill}"/>'
                   f'<text x="{n * 64 + 30}" y="18" text-anchor="middle" font-size="12" fill="#{ink}">{text}</text>')
    out.append(f'<text x="{len(stops) * 64 + 4}" y="18" font-size="12" fill="#{INK}">{escape(none)}</text></svg>')
    return "".join(out)

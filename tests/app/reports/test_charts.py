"""The heat map's picture: one layout, written as SVG (HTML, PDF) and as PNG (Word). No database."""
import io
import re

import pytest
from PIL import Image
from report_content import HOSTILE, make_content

from app.i18n import gettext_for
from app.reports import charts
from app.reports.charts import Box, heat_map_picture, heat_map_png, heat_map_svg, share_colour


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_png_is_the_svgs_picture_at_twice_its_size_with_each_cells_colour(lang):
    content = make_content()
    _ = gettext_for(lang)
    picture = heat_map_picture(content, lang, _)
    image = Image.open(io.BytesIO(heat_map_png(content, lang, _)))
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.size == (picture.width * 2, picture.height * 2)
    assert [round(d) for d in image.info["dpi"]] == [192, 192]  # placed at the SVG's size
    svg = heat_map_svg(content, lang, _)
    assert f'width="{picture.width}" height="{picture.height}"' in svg
    boxes = [item for item in picture.items if isinstance(item, Box)]
    assert len(boxes) == len(content.pillars) * len(content.dimensions) == 20
    assert re.findall(r'<rect [^>]*fill="#(\w+)"', svg) == [box.fill for box in boxes]
    for box, cell in zip(boxes, [cell for row in charts.heat_cells(content) for cell in row], strict=True):
        assert box.fill == cell.fill
        centre = (round((box.x + box.width / 2) * 2), round((box.y + box.height / 2) * 2))
        assert image.getpixel(centre) == rgb(box.fill), (cell.pillar, cell.dimension)
    assert image.getpixel((1, image.height - 1)) == (255, 255, 255)  # white around the cells
    assert len({box.fill for box in boxes}) >= 4  # the factory's judgements colour the cells differently


def test_each_cell_says_its_share_and_count_in_words_and_the_colours_run_from_below_to_above():
    content = make_content()
    picture = heat_map_picture(content, "en", gettext_for("en"))
    box = next(item for item in picture.items if isinstance(item, Box))
    cell = content.cell("GG", "AMB")
    judged = sum(cell["counts"][p] for p in ("below", "at", "above"))
    assert [label.text for label in box.labels] == [f"{round(cell['share'] * 100)} %",
                                                    f"{cell['counts']['at'] + cell['counts']['above']}/{judged}"]
    assert box.title.startswith("GG × Ambition: ")
    assert picture.described().splitlines()[0] == picture.title and len(picture.described().splitlines()) == 21
    assert share_colour(0)[0] == "B4410C" and share_colour(1)[0] == "2E7D4F" and share_colour(None)[0] == "E3E7EB"


def test_names_from_the_data_are_escaped_in_the_svg_and_drawn_as_they_are_in_the_png():
    content = make_content()
    content.pillars[0].name = {"fr": HOSTILE, "en": HOSTILE}
    svg = heat_map_svg(content, "en", gettext_for("en"))
    assert "<w:p>" not in svg and "&lt;w:p&gt;" in svg
    picture = heat_map_picture(content, "en", gettext_for("en"))
    assert any(getattr(item, "text", "").startswith("<w:p>]]>&amp;") for item in picture.items)
    assert heat_map_png(content, "en", gettext_for("en")).startswith(b"\x89PNG")


def test_without_dejavu_the_png_is_drawn_with_pillows_font(monkeypatch, tmp_path):
    monkeypatch.setattr(charts, "FONT_DIR", tmp_path)
    charts._font.cache_clear()
    try:
        image = Image.open(io.BytesIO(heat_map_png(make_content(), "fr", gettext_for("fr"))))
    finally:
        charts._font.cache_clear()
    assert image.size[0] > 1000

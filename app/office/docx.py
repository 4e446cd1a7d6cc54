"""Word documents written with python-docx: what any document of the service needs.

User text is text: python-docx escapes what it writes into the XML, so ``<w:p>`` or ``]]>``
typed by someone stays those characters; :func:`safe_text` removes the characters XML 1.0
cannot hold at all (lxml would refuse the whole document), and every text added here goes
through it. Multi-line text becomes paragraphs (:func:`add_text`). Tables are real Word
tables whose header row repeats on every page (:func:`add_table`); the page is A4
(:func:`a4_page`) with its number in the footer (:func:`page_numbers`); the document says
its title and language (:func:`describe`), so that a reader's spelling checker and a
screen reader know it. Everything stays editable: no text boxes, no pictures of text.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Protocol

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

#: What XML 1.0 refuses: the C0 controls but tab, line feed and carriage return, the
#: surrogates (never whole characters in a Python string from valid text) and U+FFFE, U+FFFF.
REFUSED_BY_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HEADER_FILL = "DCE6F0"  # as the workbooks' header (app.office.xlsx.HEADER_FILL)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}


class HasParagraphs(Protocol):
    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph: ...


def safe_text(value: str | None) -> str:
    """``value`` without the characters XML cannot hold ("" for None); line ends as "\\n"."""
    if not value:
        return ""
    return REFUSED_BY_XML.sub("", value).replace("\r\n", "\n").replace("\r", "\n")


def add_run(paragraph: Paragraph, text: str | None, *, bold: bool = False, italic: bool = False) -> Run:
    """A run of ``text`` (made safe; a line break per "\\n", a tab per "\\t") at the end of
    ``paragraph``."""
    run = paragraph.add_run()
    text = safe_text(text)
    if "\t" in text:
        run.text = text  # python-docx makes the tabs (character by character: slow, so only here)
    elif text:
        for n, line in enumerate(text.split("\n")):
            if n:
                run._r.add_br()
            if line:
                run._r.add_t(line)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    return run


def add_text(parent: HasParagraphs, text: str | None, style: str | None = None, *,
             italic: bool = False) -> list[Paragraph]:
    """``text`` as paragraphs of ``parent`` (a document or a table's cell): one per block
    between blank lines, a line break per other "\\n". A cell's first, empty paragraph is
    used rather than left blank above the text."""
    blocks = [b for b in PARAGRAPH_BREAK.split(safe_text(text).strip("\n")) if b] or [""]
    out: list[Paragraph] = []
    for block in blocks:
        paragraph = first_empty(parent) if not out else None
        if paragraph is None:
            paragraph = parent.add_paragraph()
        if style:
            set_style(paragraph, style)
        add_run(paragraph, block, italic=italic)
        out.append(paragraph)
    return out


def first_empty(parent: HasParagraphs) -> Paragraph | None:
    """A table cell's paragraph while it is the only one and empty (a new cell has it)."""
    if isinstance(parent, _Cell):
        paragraphs: list[Paragraph] = parent.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].runs:
            return paragraphs[0]
    return None


def set_style(paragraph: Paragraph, name: str) -> None:
    """``paragraph`` in the built-in style ``name`` ("Heading 1", "List Bullet"…), whose id in
    python-docx's template is its name without spaces: set by id, since python-docx's own
    setter looks the name up among every style each time (most of a report's time)."""
    paragraph._p.style = name.replace(" ", "")


def add_heading(doc: Document, text: str, level: int) -> Paragraph:
    """A paragraph in the style "Heading ``level``" (so that Word's navigation pane and a
    table of contents find it)."""
    paragraph = doc.add_paragraph()
    set_style(paragraph, f"Heading {level}")
    add_run(paragraph, text)
    return paragraph


def shade(cell: _Cell, fill: str) -> None:
    """The cell's background colour (hex, without "#")."""
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


#: What a table's cell is given: text, or a function that fills the cell itself.
CellValue = str | None | Callable[[_Cell], object]


def add_table(doc: Document, headers: Sequence[str], widths: Sequence[Length],
              rows: Sequence[Sequence[CellValue]]) -> Table:
    """A Word table: a header row (bold, tinted, repeated at the top of every page it runs
    onto), then ``rows``; each column ``widths`` wide, no row split across pages."""
    table: Table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    _row_property(header, "w:tblHeader")
    for cell, text, width in zip(header.cells, headers, widths, strict=True):
        cell.width = width
        add_run(cell.paragraphs[0], text, bold=True)
        shade(cell, HEADER_FILL)
    for values in rows:
        row = table.add_row()
        _row_property(row, "w:cantSplit")
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            if callable(value):
                value(cell)
            else:
                add_text(cell, value)
    return table


def _row_property(row, name: str) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    properties.append(flag)


MARGIN = Cm(2.2)


def a4_page(doc: Document, margin: Length = MARGIN) -> None:
    """Every section on A4 portrait, with ``margin`` all round."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word computes (``PAGE``, ``NUMPAGES``), with "1" shown until it does."""
    run = paragraph.add_run()
    for kind in ("begin", "instr", "separate", "text", "end"):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


PAGE, PAGES = "\x00PAGE\x00", "\x00NUMPAGES\x00"


def page_numbers(doc: Document, sentence: Callable[[str, str], str]) -> None:
    """Each page's footer, centred: ``sentence(page, pages)`` (a translated "Page %(n)s of
    %(total)s" given :data:`PAGE` and :data:`PAGES`), the two replaced by Word's fields."""
    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in re.split(r"(\x00\w+\x00)", sentence(PAGE, PAGES)):
            if part in (PAGE, PAGES):
                _field(paragraph, part.strip("\x00"))
            elif part:
                add_run(paragraph, part)


def describe(doc: Document, *, title: str, lang: str, subject: str = "", author: str = "",
             when: datetime | None = None) -> None:
    """The document's properties (title, subject, author, language, dates) and the language
    its text is checked in."""
    props = doc.core_properties
    props.title, props.subject, props.author = safe_text(title), safe_text(subject), safe_text(author)
    props.language, props.last_modified_by = lang, safe_text(author)
    if when is not None:
        props.created = props.modified = when
    run_properties = doc.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LANGUAGE_TAGS.get(lang, lang))
    run_properties.append(language)


def picture(doc: Document, png: bytes, width: Length, description: str, name: str) -> Paragraph:
    """``png`` in a paragraph of its own, ``width`` wide, with its alternative text (what a
    screen reader says, and what Word shows as the picture's description)."""
    doc.add_picture(BytesIO(png), width=width)
    paragraph = doc.paragraphs[-1]
    for properties in paragraph._p.iter(qn("wp:docPr")):
        properties.set("name", safe_text(name))
        properties.set("descr", safe_text(description))
    return paragraph


def saved(doc: Document) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()

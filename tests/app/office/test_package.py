"""The file checks every uploaded workbook passes before a parser sees it. No database."""
import io
import random
import tracemalloc
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook
from xlsx_support import deflate, deflate_bomb, rezip, with_raw_members

from app.errors import InvalidInput
from app.office import package

CT = "[Content_Types].xml"
MB = 1024 * 1024


def workbook() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "Code"
    wb.create_sheet("Other")["B2"] = 3
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def refusal(data: bytes) -> dict:
    """The one problem ``check_xlsx`` refuses ``data`` for."""
    with pytest.raises(InvalidInput) as caught:
        package.check_xlsx(data)
    [problem] = caught.value.extra["errors"]
    assert (problem["sheet"], problem["cell"]) == (None, None)
    return problem


def with_content_type(part: str, kind: str):
    override = f'<Override PartName="/{part}" ContentType="{kind}"/></Types>'.encode()
    return lambda data: rezip(data, {CT: lambda xml: xml.replace(b"</Types>", override), part: b"<x/>"})


def declared(name: str, size: int):
    """The member as it is, the zip declaring ``size`` for it."""
    def make(data):
        return with_raw_members(data, {name: (deflate(zipfile.ZipFile(io.BytesIO(data)).read(name)), size)})
    return make


def test_openpyxl_parses_uploaded_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_plain_workbook_passes_even_with_a_large_part():
    text = random.Random(7).randbytes(3 * MB).hex().encode()  # 6 MB, many chunks, compresses ~2x
    package.check_xlsx(rezip(workbook(), {"xl/media/notes.xml": text}))


REFUSED = {
    "over 10 MB": (lambda d: d + b"\0" * (10 * MB), "The file is larger than 10 MB."),
    "old .xls or password": (lambda d: b"\xd0\xcf\x11\xe0" + d,
                             ("The file is password-protected or in the old .xls format: save it as an .xlsx "
                              "workbook without a password.")),
    "not a zip": (lambda d: b"%PDF-1.7", package.NOT_XLSX),
    "cut in half": (lambda d: d[: len(d) // 2], package.DAMAGED),
    "no workbook part": (lambda d: rezip(d, {"xl/workbook.xml": None}), package.NOT_XLSX),
    "compressed with bzip2": (lambda d: _bzip2(d), package.DAMAGED),
    "too many parts": (lambda d: rezip(d, {f"xl/x{n}.xml": b"" for n in range(package.PARTS_MAX)}),
                       "The file holds more than %(max)s parts: it is refused."),
    # sizes: the directory first, then what the data really holds
    "a part of 300 MB in 300 kB": (lambda d: with_raw_members(d, {CT: (deflate_bomb(300), 300 * MB)}),
                                   package.TOO_LARGE),
    "a part declared 2 GB": (declared(CT, 2_000_000_000), package.TOO_LARGE),
    "parts declared 120 MB in all": (lambda d: _declared_total(d, 4, 30 * MB), package.TOO_LARGE),
    "a part inflating past its declared size": (lambda d: with_raw_members(d, {CT: (deflate_bomb(300), 1000)}),
                                                package.TOO_LARGE),
    "a part holding less than it declares": (declared("xl/styles.xml", 5000), package.DAMAGED),
    "content types over their cap": (lambda d: rezip(d, {CT: lambda xml: xml.replace(
        b"</Types>", b"<!--" + random.Random(1).randbytes(150_000).hex().encode() + b"--></Types>")}),
        package.TOO_LARGE),
    "entities in the content types": (lambda d: rezip(d, {CT: b'<!DOCTYPE T [<!ENTITY a "a">]>' + b"<Types/>"}),
                                      package.DAMAGED),
    # macros, however they come
    "VBA project": (lambda d: rezip(d, {"xl/vbaProject.bin": b"VBA"}), package.MACROS),
    "VBA project in capitals elsewhere": (lambda d: rezip(d, {"XL/Other/VBAPROJECT.BIN": b"VBA"}), package.MACROS),
    "Excel 4.0 macro sheet": (lambda d: rezip(d, {"xl/macrosheets/sheet1.xml": b"<x/>"}), package.MACROS),
    "dialog sheet": (lambda d: rezip(d, {"xl/dialogsheets/sheet1.xml": b"<x/>"}), package.MACROS),
    "macro sheet known by its content type": (
        with_content_type("xl/worksheets/sheet9.xml", "application/vnd.ms-excel.macrosheet+xml"), package.MACROS),
    "international macro sheet": (
        with_content_type("xl/worksheets/sheet9.xml", "application/vnd.ms-excel.intlmacrosheet+xml"), package.MACROS),
    "macro-enabled workbook": (lambda d: rezip(d, {CT: lambda xml: xml.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")}), package.MACROS),
}


def _bzip2(data):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def _declared_total(data, parts, size):
    """``parts`` parts of 200 kB that does not compress, each declared ``size`` (a ratio under 200)."""
    noise = deflate(random.Random(3).randbytes(200_000))
    return with_raw_members(data, {f"xl/noise{n}.bin": (noise, size) for n in range(parts)})


@pytest.mark.parametrize("case", REFUSED)
def test_refused_files(case):
    make, message = REFUSED[case]
    assert refusal(make(workbook()))["msg"] == message


def test_a_lying_part_is_refused_without_inflating_it():
    """300 MB declared as 1000 bytes: read a chunk at a time, memory stays small."""
    data = with_raw_members(workbook(), {"xl/styles.xml": (deflate_bomb(300), 1000)})
    tracemalloc.start()
    try:
        assert refusal(data)["msg"] == package.TOO_LARGE
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB


def test_read_part_stops_past_its_limit():
    with zipfile.ZipFile(io.BytesIO(rezip(workbook(), {"xl/big.xml": b"x" * 300_000}))) as zf:
        assert package.read_part(zf, "xl/big.xml", 300_000) == b"x" * 300_000
        with pytest.raises(InvalidInput) as caught:
            package.read_part(zf, "xl/big.xml", 200_000)
    assert caught.value.extra["errors"][0]["msg"] == package.TOO_LARGE


def test_a_shared_string_table_too_large_to_parse_quickly_is_refused_before_reading_it():
    """A few MB of short strings that compress well (ratio ~20, under the ratio limit) but
    expand past what any workbook of this service holds: refused from the directory."""
    strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(1_200_000))  # ~20 MB
    table = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    assert len(table) > package.PART_MAX_BYTES and len(deflate(table)) * package.RATIO_MAX > len(table)
    data = rezip(workbook(), {"xl/sharedStrings.xml": table})
    assert len(data) < package.MAX_BYTES
    assert refusal(data)["msg"] == package.TOO_LARGE

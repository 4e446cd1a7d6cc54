"""Helpers for tests that take a real .xlsx apart: edit its zip members, lie in its directory.

Imported as ``xlsx_support`` (``tests/`` is on the path, like ``support``).
"""
from __future__ import annotations

import csv
import io
import re
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook

Change = bytes | Callable[[bytes], bytes] | None
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def edited(data: bytes, edit: Callable) -> bytes:
    """The workbook as openpyxl saves it after ``edit(workbook)``."""
    wb = load_workbook(io.BytesIO(data))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def refused(response) -> list[tuple[str | None, str | None, str]]:
    """The problems of an import refused as a whole (422, problem+json): ``(sheet, cell, message)``."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(e["sheet"], e["cell"], e["msg"]) for e in response.json()["errors"]]


def _libreoffice(soffice: str, data: bytes, tmp_path: Path, target: str) -> Path:
    """``data`` converted by LibreOffice (headless, a profile of its own) to ``target``
    (a --convert-to argument); the folder of what it wrote."""
    src = tmp_path / "in" / "report.xlsx"
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    return out


def resave_with_libreoffice(soffice: str, data: bytes, tmp_path: Path) -> bytes:
    """The workbook as LibreOffice Calc saves it back to .xlsx."""
    return (_libreoffice(soffice, data, tmp_path, "xlsx:Calc MS Excel 2007 XML") / "report.xlsx").read_bytes()


def read_with_libreoffice(soffice: str, data: bytes, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's cells as LibreOffice Calc reads them (converted to CSV, UTF-8), by sheet name."""
    out = _libreoffice(soffice, data, tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
                                                "false,false,-1")
    return {path.stem.removeprefix("report-"): list(csv.reader(path.read_text(encoding="utf-8").splitlines(True)))
            for path in out.glob("report-*.csv")}


def rezip(data: bytes, changes: dict[str, Change]) -> bytes:
    """The package with members replaced (bytes), edited (a function of their bytes),
    removed (None) or, for names it lacks, added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            change = changes.get(info.filename, src.read(info.filename))
            if callable(change):
                change = change(src.read(info.filename))
            if change is not None:
                dst.writestr(info.filename, change)
        for name, change in changes.items():
            if name not in src.namelist() and change is not None:
                dst.writestr(name, change)
    return out.getvalue()


def sheet_part(data: bytes, title: str) -> str:
    """The zip member holding the worksheet named ``title``."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    rid = next(s.get(_REL) for s in workbook.iter() if s.tag.endswith("}sheet") and s.get("name") == title)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def replace_cell(ref: str, new: str) -> Callable[[bytes], bytes]:
    """An edit of a sheet's XML putting ``new`` (the whole ``<c>`` element) in place of cell ``ref``."""
    pattern = re.compile(rf'<c r="{ref}"[^>]*/>|<c r="{ref}"[^>]*>.*?</c>'.encode(), re.DOTALL)

    def edit(xml: bytes) -> bytes:
        edited, n = pattern.subn(new.encode(), xml, count=1)
        assert n == 1, f"no cell {ref} in the sheet"
        return edited
    return edit


def deflate(data: bytes) -> bytes:
    """``data`` as a raw deflate stream, as a zip stores it."""
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def deflate_bomb(megabytes: int) -> bytes:
    """A raw deflate stream inflating to ``megabytes`` MB of blanks, about 1 kB per MB, made
    without compressing them: one compressed MB closed by a full flush (so that it refers to
    nothing before it) repeated, then the final block."""
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    one = packer.compress(b" " * (1024 * 1024)) + packer.flush(zlib.Z_FULL_FLUSH)
    return one * megabytes + packer.flush()


def with_raw_members(data: bytes, raw: dict[str, tuple[bytes, int]]) -> bytes:
    """The package with each member named in ``raw`` holding its raw deflate stream while the
    zip declares the size given with it (and a CRC of 0): written by hand, since zipfile would
    tell the truth. The other members are kept."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, deflate(zf.read(i)), i.file_size, zlib.crc32(zf.read(i)))
                   for i in zf.infolist() if i.filename not in raw]
    return _zip([*members, *((name, stream, size, 0) for name, (stream, size) in raw.items())])


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of ``(name, deflate stream, declared size, crc)``; nothing checks that they agree."""
    out, central = bytearray(), bytearray()
    for name, stream, size, crc in members:
        encoded = name.encode()
        # version needed, flags, method (8: deflate), time, date (1980-01-01), crc, sizes, name and extra lengths
        fields = struct.pack("<5H3L2H", 20, 0, 8, 0, 0x21, crc, len(stream), size, len(encoded), 0)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<3H2L", 0, 0, 0, 0, len(out)) + encoded
        out += b"PK\x03\x04" + fields + encoded + stream
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)

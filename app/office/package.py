"""The checks an uploaded .xlsx passes before any XML parser sees it.

An .xlsx is a zip of XML parts. Refused: a file over 10 MB, an old .xls or a password-protected
workbook (both OLE files, not zips), anything else that is not a zip holding a workbook, a
workbook with macros (VBA, Excel 4.0 macro sheets, dialog sheets), and one that expands to an
unreasonable size.

Nothing is ever inflated whole. The zip's central directory is checked first, before any part
is read: how many parts, each part's declared size and compression ratio, their total. Then
every part is inflated chunk by chunk, counting, to check that it holds no more than its
declared size: declared sizes can lie, and Python's zipfile (which openpyxl uses) inflates a
part read whole in one go, however far its data goes past what it declares.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

from defusedxml.ElementTree import fromstring

from app.i18n import N_
from app.office.problems import refuse

MAX_BYTES = 10 * 1024 * 1024
UNZIPPED_MAX_BYTES = 100 * 1024 * 1024
#: No part larger: the largest a workbook of this service holds (73 rows of long texts, its
#: shared strings) is a few MB, and openpyxl reads a part whole, in memory and time that
#: grow with it (a 95 MB string table took 30 s, with the report's write lock held).
PART_MAX_BYTES = 16 * 1024 * 1024
RATIO_MAX = 200
PARTS_MAX = 1000  # a workbook has a few dozen
CONTENT_TYPES_MAX_BYTES = 256 * 1024  # a few kB in a workbook with a dozen sheets
CHUNK = 64 * 1024
CONTENT_TYPES = "[Content_Types].xml"

DAMAGED = N_("The file is damaged: it cannot be opened as an .xlsx workbook.")
NOT_XLSX = N_("The file is not an .xlsx workbook.")
TOO_LARGE = N_("The file expands to an unreasonable size: it is refused.")
MACROS = N_("The workbook contains macros: save it as a plain .xlsx workbook.")

_OLE = b"\xd0\xcf\x11\xe0"  # .xls, and any password-protected Office file
_LOCAL_HEADER = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30  # then the name and the extra field, whose lengths end it
_MACRO_FOLDERS = ("xl/macrosheets/", "xl/dialogsheets/")
_MACRO_CONTENT_TYPES = ("macroenabled", "macrosheet", "dialogsheet", "vbaproject")


def check_xlsx(data: bytes) -> None:
    """Refuse (422, one problem for the whole file) what is not a plain, reasonable .xlsx.

    Memory stays within a few chunks of :data:`CHUNK` bytes whatever the zip declares or holds."""
    if len(data) > MAX_BYTES:
        refuse(None, None, N_("The file is larger than 10 MB."))
    if data.startswith(_OLE):
        refuse(None, None, N_("The file is password-protected or in the old .xls format: save it as an .xlsx "
                              "workbook without a password."))
    if not data.startswith(_LOCAL_HEADER):
        refuse(None, None, NOT_XLSX)
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except Exception:  # noqa: BLE001 -- zipfile raises many kinds on a damaged directory
        refuse(None, None, DAMAGED)
    with zf:
        infos = zf.infolist()
        _check_directory(infos)
        names = {_part_name(i.filename) for i in infos}
        if any(n.startswith(_MACRO_FOLDERS) or n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
            refuse(None, None, MACROS)
        for info in infos:
            _check_inflated_size(data, info)
        if not {CONTENT_TYPES, "xl/workbook.xml"} <= set(zf.namelist()):
            refuse(None, None, NOT_XLSX)
        content_types = _content_types(read_part(zf, CONTENT_TYPES, CONTENT_TYPES_MAX_BYTES))
    if any(mark in kind for kind in content_types for mark in _MACRO_CONTENT_TYPES):
        refuse(None, None, MACROS)


def read_part(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A part's bytes, read chunk by chunk; 422 as soon as they pass ``limit``, whatever the
    zip declares."""
    out = bytearray()
    try:
        with zf.open(name) as part:
            while chunk := part.read(CHUNK):
                out += chunk
                if len(out) > limit:
                    refuse(None, None, TOO_LARGE)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError):
        refuse(None, None, DAMAGED)
    return bytes(out)


def _part_name(filename: str) -> str:
    """Part names compare without regard to case (Office Open XML, part 2)."""
    return filename.replace("\\", "/").lstrip("/").lower()


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Sizes and ratios as the central directory declares them, before any part is read."""
    if len(infos) > PARTS_MAX:
        refuse(None, None, N_("The file holds more than %(max)s parts: it is refused."), max=PARTS_MAX)
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            refuse(None, None, DAMAGED)  # encrypted, or compressed as no spreadsheet writes
        if info.file_size > info.compress_size * RATIO_MAX or info.file_size > PART_MAX_BYTES:
            refuse(None, None, TOO_LARGE)
    if sum(i.file_size for i in infos) > UNZIPPED_MAX_BYTES:
        refuse(None, None, TOO_LARGE)


def _check_inflated_size(data: bytes, info: zipfile.ZipInfo) -> None:
    """422 unless the part's data inflates to exactly its declared size."""
    raw = _raw_data(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) != info.file_size:
            refuse(None, None, DAMAGED)
        return
    try:
        size = _inflated_size(raw, info.file_size)
    except zlib.error:
        refuse(None, None, DAMAGED)
    if size > info.file_size:
        refuse(None, None, TOO_LARGE)
    if size < info.file_size:
        refuse(None, None, DAMAGED)


def _raw_data(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The part's data as stored, found the way zipfile finds it: after the local header, for
    the compressed size the central directory gives."""
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER_SIZE]
    if len(header) < _LOCAL_HEADER_SIZE or not header.startswith(_LOCAL_HEADER):
        refuse(None, None, DAMAGED)
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    start += _LOCAL_HEADER_SIZE + name_length + extra_length
    raw = memoryview(data)[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        refuse(None, None, DAMAGED)
    return raw


def _inflated_size(raw: memoryview, limit: int) -> int:
    """How many bytes a deflate stream inflates to, counted no further than just past ``limit``:
    fed and drained a chunk at a time, so that memory stays small whatever the stream holds."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    for start in range(0, len(raw), CHUNK):
        pending: bytes | memoryview = raw[start:start + CHUNK]
        while pending:
            size += len(inflater.decompress(pending, CHUNK))
            if size > limit:
                return size
            pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    while size <= limit and (rest := inflater.decompress(b"", CHUNK)):  # what a full output left
        size += len(rest)
    return size


def _content_types(xml: bytes) -> list[str]:
    """Every content type [Content_Types].xml declares, in lower case."""
    try:
        root = fromstring(xml)
    except Exception:  # noqa: BLE001 -- not XML, or entities (which defusedxml refuses)
        refuse(None, None, DAMAGED)
    if not root.tag.endswith("Types"):
        refuse(None, None, NOT_XLSX)
    return [kind.lower() for element in root.iter() if (kind := element.get("ContentType"))]

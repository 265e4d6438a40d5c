"""Checks made on an uploaded file's bytes before any parser opens it.

The format is decided by the bytes, never by the extension: county offices routinely upload web
pages saved as `.xls`, encrypted workbooks and truncated downloads, and each deserves a reason the
user can act on. Zip-based files are also checked for decompression bombs and XML entity
declarations, so a hostile file is refused before calamine spends memory on it.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PureWindowsPath
from typing import Literal

from django.conf import settings

from households.registry.errors import FileRefused

Kind = Literal["xlsx", "xls", "ods", "csv"]

ENCRYPTED = "文件已加密（设置了打开密码），请在Excel中取消密码后再上传"
DAMAGED = "文件不完整或已损坏（可能下载或复制时被截断），请重新获取原文件后再上传"
HOSTILE_XML = "文件包含XML实体声明，可能是恶意文件，已拒绝"
SAVE_AS_XLSX = "请在Excel中打开后“另存为”Excel工作簿(.xlsx)再上传"
NOT_SPREADSHEET = "不是电子表格文件，请上传Excel(.xlsx/.xls)、ODS或CSV文件"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Other files people upload by mistake, named so the reason says what the file looks like.
_SIGNATURES = {
    b"%PDF": "PDF文档",
    b"\x89PNG": "PNG图片",
    b"\xff\xd8\xff": "JPEG图片",
    b"GIF8": "GIF图片",
    b"Rar!": "RAR压缩包",
    b"7z\xbc\xaf\x27\x1c": "7z压缩包",
    b"\x1f\x8b": "gzip压缩包",
    b"{\\rtf": "RTF文档",
    b"MZ\x90\x00": "Windows程序",
}
# Zip members that name an Office Open XML or OpenDocument file that is not a workbook.
_ZIP_LOOKALIKES = {
    "word/document.xml": "Word文档(.docx)",
    "ppt/presentation.xml": "PowerPoint演示文稿(.pptx)",
}
_MAX_ZIP_MEMBERS = 10_000
_MAX_MEMBER_RATIO = 200
_RATIO_CHECKED_ABOVE = 50 * 1024 * 1024
_PROLOG_BYTES = 64 * 1024
_TEXT_PROBE = 8 * 1024


def sniff(data: bytes, file_name: str) -> Kind:
    """Name the file's format from its bytes, refusing anything unsafe or unreadable."""
    if not data:
        raise FileRefused("文件为空", file_name=file_name)
    check_upload_size(len(data), file_name)
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, file_name)
    if data.startswith(_OLE_MAGIC):
        return _sniff_ole(data, file_name)
    for magic, looks_like in _SIGNATURES.items():
        if data.startswith(magic):
            raise _not_spreadsheet(f"这个文件看起来是{looks_like}", file_name)
    return _sniff_text(data, file_name)


def check_upload_size(size: int, file_name: str) -> None:
    """Refuse a file larger than the upload limit, before it is read into memory."""
    limit = settings.REGISTRY_MAX_UPLOAD_BYTES
    if size > limit:
        raise FileRefused(
            f"文件大小{_megabytes(size)}MB，超过上限{_megabytes(limit)}MB", file_name=file_name
        )


def _not_spreadsheet(what: str, file_name: str) -> FileRefused:
    return FileRefused(f"{NOT_SPREADSHEET}（{what}）", file_name=file_name)


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"


# Zip: .xlsx, .xlsm and .ods


def _sniff_zip(data: bytes, file_name: str) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_zip_sizes(members, file_name)
            kind = _zip_kind(archive, file_name)
            _check_xml_prologs(archive, members, file_name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as error:
        raise FileRefused(DAMAGED, file_name=file_name) from error
    return kind


def _check_zip_sizes(members: list[zipfile.ZipInfo], file_name: str) -> None:
    """Refuse decompression bombs from the sizes the archive declares, before inflating anything."""
    if len(members) > _MAX_ZIP_MEMBERS:
        raise FileRefused(
            f"文件内部包含{len(members)}个部件，数量异常，疑似恶意文件", file_name=file_name
        )
    limit = settings.REGISTRY_MAX_UNCOMPRESSED_BYTES
    if sum(member.file_size for member in members) > limit:
        raise FileRefused(f"解压后超过{_megabytes(limit)}MB，疑似压缩炸弹", file_name=file_name)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_CHECKED_ABOVE and ratio > _MAX_MEMBER_RATIO:
            raise FileRefused(
                f"文件内部部件“{member.filename}”压缩比异常（{ratio:.0f}:1），疑似压缩炸弹",
                file_name=file_name,
            )
        if member.flag_bits & 0x1:
            raise FileRefused(ENCRYPTED, file_name=file_name)


def _zip_kind(archive: zipfile.ZipFile, file_name: str) -> Kind:
    names = set(archive.namelist())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        with archive.open("mimetype") as stream:
            mimetype = stream.read(len(_ODS_MIMETYPE) + 1).strip()
        if mimetype == _ODS_MIMETYPE:
            return "ods"
        raise _not_spreadsheet("这个文件看起来是OpenDocument文档，但不是表格", file_name)
    if "xl/workbook.bin" in names:
        raise FileRefused(f"不支持Excel二进制工作簿(.xlsb)，{SAVE_AS_XLSX}", file_name=file_name)
    for part, looks_like in _ZIP_LOOKALIKES.items():
        if part in names:
            raise _not_spreadsheet(f"这个文件看起来是{looks_like}", file_name)
    raise _not_spreadsheet("这是ZIP压缩包，请解压后上传其中的表格文件", file_name)


def _check_xml_prologs(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], file_name: str
) -> None:
    """Refuse DOCTYPE and ENTITY declarations, which only appear in the prolog of an XML part."""
    for member in members:
        if not member.filename.lower().endswith((".xml", ".rels")):
            continue
        with archive.open(member) as stream:
            head = stream.read(_PROLOG_BYTES)
        if _is_hostile_prolog(head, is_whole=member.file_size <= len(head)):
            raise FileRefused(HOSTILE_XML, file_name=file_name)


# Comments and processing instructions may hold any text, so they are removed (up to the end of
# the bytes read when unterminated) before the root element is looked for.
_XML_NOISE = re.compile(rb"<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|\Z)", re.DOTALL)
_ROOT_START = re.compile(rb"<[^!?]")


def _is_hostile_prolog(head: bytes, *, is_whole: bool) -> bool:
    if head.startswith((b"\xff\xfe", b"<\x00")):
        head = head.decode("utf-16-le", errors="ignore").encode()
    elif head.startswith((b"\xfe\xff", b"\x00<")):
        head = head.decode("utf-16-be", errors="ignore").encode()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        return True
    # A prolog longer than the bytes read could hide a declaration further on.
    return not is_whole and _ROOT_START.search(_XML_NOISE.sub(b"", head)) is None


# OLE2 compound file: .xls, or an encrypted Office Open XML file.
# calamine trusts the compound file's structure (a truncated file makes it panic, an absurd size
# makes it abort the process), so the sectors it will read are checked to exist first.

_END_OF_CHAIN = 0xFFFFFFFE
_LAST_SECTOR_ID = 0xFFFFFFFA  # ids above this are markers, not sectors


class _Damaged(Exception):
    """The compound file's structure points outside the file: truncated or corrupt."""


def _sniff_ole(data: bytes, file_name: str) -> Kind:
    try:
        compound = _CompoundFile(data)
        streams = compound.streams()
        if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
            raise FileRefused(ENCRYPTED, file_name=file_name)
        book = streams.get("Workbook") or streams.get("Book")
        if book is not None:
            _check_biff(compound.read(book, root=streams.get("")), file_name)
            return "xls"
    except _Damaged as error:
        raise FileRefused(DAMAGED, file_name=file_name) from error
    if "WordDocument" in streams:
        raise _not_spreadsheet("这个文件看起来是Word文档(.doc)", file_name)
    raise _not_spreadsheet("这是Office复合文档，但其中没有Excel工作簿", file_name)


Stream = tuple[int, int]  # (first sector, size in bytes)


class _CompoundFile:
    """Just enough of [MS-CFB] to list streams and read one, checking every sector exists."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        shift = int.from_bytes(data[30:32], "little")
        if shift not in (9, 12) or len(data) < 512:
            raise _Damaged(f"sector shift {shift}")
        self.sector_size = 1 << shift
        self.fat = self._fat()

    def streams(self) -> dict[str, Stream]:
        """Each stream by name; the root entry, which holds the mini stream, is named ''."""
        directory = self._chain_bytes(_u32(self.data, 48), self.fat)
        # Version 3 files (512-byte sectors) may keep junk in the size's high half.
        size_bytes = 4 if self.sector_size == 512 else 8
        streams = {}
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset : offset + 128]
            name_length = min(int.from_bytes(entry[64:66], "little"), 64)
            name = entry[: max(name_length - 2, 0)].decode("utf-16-le", errors="replace")
            size = int.from_bytes(entry[120 : 120 + size_bytes], "little")
            if entry[66] in (2, 5):  # stream, root
                streams["" if entry[66] == 5 else name] = (_u32(entry, 116), size)
        return streams

    def read(self, stream: Stream, *, root: Stream | None) -> bytes:
        first, size = stream
        if size >= _u32(self.data, 56):  # at or above the mini stream cutoff
            content = self._contiguous_bytes(first, size) or self._chain_bytes(first, self.fat)
        elif root is None:
            raise _Damaged("small stream without a root entry")
        else:
            mini_stream = self._chain_bytes(root[0], self.fat)
            mini_fat = _as_table(self._chain_bytes(_u32(self.data, 60), self.fat))
            chain = _chain(first, mini_fat)
            content = b"".join(mini_stream[64 * index : 64 * index + 64] for index in chain)
        if len(content) < size:
            raise _Damaged(f"stream of {size} bytes holds only {len(content)}")
        return content[:size]

    def _fat(self) -> list[int]:
        difat = _as_table(self.data[76:512])
        next_block = _u32(self.data, 68)
        for _ in range(_u32(self.data, 72)):
            if next_block > _LAST_SECTOR_ID:
                break
            block = _as_table(self._sector(next_block))
            difat.extend(block[:-1])
            next_block = block[-1]
        fat_sectors = [index for index in difat if index <= _LAST_SECTOR_ID]
        return _as_table(b"".join(self._sector(index) for index in fat_sectors))

    def _contiguous_bytes(self, first: int, size: int) -> bytes:
        """The stream in one slice when its sectors follow each other, as writers lay them out;
        b'' otherwise. Following a long chain sector by sector costs a tenth of a second."""
        count = -(-size // self.sector_size)
        end = first + count
        if end > len(self.fat):  # checked first: a hostile size must not build a huge range
            return b""
        is_contiguous = self.fat[first : end - 1] == list(range(first + 1, end))
        if not is_contiguous or self.fat[end - 1] != _END_OF_CHAIN:
            return b""
        start = (first + 1) * self.sector_size
        if start + count * self.sector_size > len(self.data):
            raise _Damaged("stream runs past the end of the file")
        return self.data[start : start + size]

    def _chain_bytes(self, first: int, table: list[int]) -> bytes:
        return b"".join(self._sector(index) for index in _chain(first, table))

    def _sector(self, index: int) -> bytes:
        start = (index + 1) * self.sector_size
        if start + self.sector_size > len(self.data):
            raise _Damaged(f"sector {index} lies past the end of the file")
        return self.data[start : start + self.sector_size]


def _chain(first: int, table: list[int]) -> list[int]:
    chain: list[int] = []
    index = first
    while index != _END_OF_CHAIN:
        if index >= len(table) or len(chain) >= len(table):
            raise _Damaged(f"sector chain broken at {index}")
        chain.append(index)
        index = table[index]
    return chain


def _as_table(raw: bytes) -> list[int]:
    count = len(raw) // 4
    return list(struct.unpack(f"<{count}I", raw[: count * 4]))


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset : offset + 4], "little")


# BIFF records (type, length, body). Records that make calamine allocate from a count are checked
# against the stream's real size; FILEPASS means the workbook needs a password.
_FILEPASS, _SST, _BOUNDSHEET, _DIMENSIONS, _EOF = 0x002F, 0x00FC, 0x0085, 0x0200, 0x000A


def _check_biff(stream: bytes, file_name: str) -> None:
    sheet_offsets = []
    for record_type, body in _biff_records(stream, 0):
        if record_type == _FILEPASS and body[:2] != b"\x00\x00":
            raise FileRefused(ENCRYPTED, file_name=file_name)
        if record_type == _SST and _u32(body, 4) > len(stream):
            raise _Damaged("shared string count larger than the stream")
        if record_type == _BOUNDSHEET:
            if _u32(body, 0) >= len(stream):
                raise _Damaged("sheet starts past the end of the stream")
            sheet_offsets.append(_u32(body, 0))
    for offset in sheet_offsets:
        for record_type, body in _biff_records(stream, offset):
            if record_type == _DIMENSIONS:
                _check_dimensions(body)
                break


def _biff_records(stream: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    """Records from `offset` up to the substream's EOF record."""
    while offset + 4 <= len(stream):
        record_type = int.from_bytes(stream[offset : offset + 2], "little")
        length = int.from_bytes(stream[offset + 2 : offset + 4], "little")
        if record_type == _EOF:
            return
        yield record_type, stream[offset + 4 : offset + 4 + length]
        offset += 4 + length


def _check_dimensions(body: bytes) -> None:
    # BIFF8 rows are 32-bit, BIFF5 16-bit; both formats stop at 65,536 rows and 256 columns.
    if len(body) == 14:
        first_row, end_row = _u32(body, 0), _u32(body, 4)
        first_col, end_col = (int.from_bytes(body[i : i + 2], "little") for i in (8, 10))
    else:
        first_row, end_row, first_col, end_col = (
            int.from_bytes(body[i : i + 2], "little") for i in (0, 2, 4, 6)
        )
    # calamine subtracts first from last, so a first past the last would wrap around.
    is_empty = end_row == 0 or end_col == 0
    is_inverted = not is_empty and (first_row >= end_row or first_col >= end_col)
    if end_row > 65536 or end_col > 256 or is_inverted:
        raise _Damaged(f"dimensions {first_row}:{end_row} x {first_col}:{end_col}")


# Text: CSV, or a web page saved with an .xls extension


def _sniff_text(data: bytes, file_name: str) -> Kind:
    probe = data[:_TEXT_PROBE]
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        _refuse_markup(probe.decode("utf-16", errors="ignore"), file_name)
        raise FileRefused(
            "文件是UTF-16编码的文本，请另存为UTF-8编码的CSV或Excel工作簿(.xlsx)后再上传",
            file_name=file_name,
        )
    if b"\x00" in probe:
        raise _not_spreadsheet("无法识别这个文件的格式", file_name)
    _refuse_markup(probe.decode("utf-8", errors="ignore"), file_name)
    return "csv"


def _refuse_markup(text: str, file_name: str) -> None:
    """Refuse HTML and Excel 2003 XML, which report systems save with an .xls extension."""
    head = text.lstrip("\ufeff \t\r\n").lower()
    if not head.startswith("<"):
        return
    extension = PureWindowsPath(file_name).suffix or ".xls"
    # Excel's own web pages carry `ProgId content=Excel.Sheet` too, so look for HTML first.
    is_html = "<html" in head or "<table" in head
    if not is_html and (
        "urn:schemas-microsoft-com:office:spreadsheet" in head or "excel.sheet" in head
    ):
        raise FileRefused(
            f"这是Excel 2003 XML表格文件，只是扩展名为{extension}，{SAVE_AS_XLSX}",
            file_name=file_name,
        )
    if not is_html and head.startswith("<?xml"):
        raise _not_spreadsheet("这个文件看起来是XML文件", file_name)
    raise FileRefused(
        f"这是网页（HTML）文件，只是扩展名为{extension}，不是真正的Excel文件，{SAVE_AS_XLSX}",
        file_name=file_name,
    )

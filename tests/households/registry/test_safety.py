"""Safety checks: the format comes from the bytes, and unreadable or hostile files are refused."""

from __future__ import annotations

import io
import math
import struct
import zipfile
from typing import Any

import pytest

from households.registry import read, safety
from households.registry.errors import FileRefused
from tests.households.registry import workbooks

SHEET_XML = "xl/worksheets/sheet1.xml"
END_OF_CHAIN, FREE, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF


@pytest.mark.parametrize(
    ("data", "file_name", "kind"),
    [
        (workbooks.xlsx({"S": [["a"]]}), "a.xlsx", "xlsx"),
        (workbooks.xlsx({"S": [["a"]]}), "a.xlsm", "xlsx"),
        (workbooks.xls({"S": [["a"]]}), "a.xls", "xls"),
        (workbooks.ods({"S": [["a"]]}), "a.ods", "ods"),
        (workbooks.csv_bytes([["a"]], "utf-8-sig"), "a.csv", "csv"),
    ],
)
def test_sniff_names_each_format(data: bytes, file_name: str, kind: str) -> None:
    # given a file of each format, when sniffed, then its format is named
    assert safety.sniff(data, file_name) == kind


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FileRefused, match="文件为空"):
        read.read_bytes(b"", "registry.xlsx")


def test_an_upload_over_the_limit_is_refused_with_the_limit(settings: Any) -> None:
    # given a 1 MB limit
    settings.REGISTRY_MAX_UPLOAD_BYTES = 1024 * 1024

    # when a file one byte over it is read, then the reason names both sizes in MB
    with pytest.raises(FileRefused, match="文件大小1.0MB，超过上限1MB"):
        read.read_bytes(b"a" * (1024 * 1024 + 1), "big.csv")


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF文档"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG图片"),
    ],
)
def test_other_documents_are_refused_naming_what_they_look_like(
    data: bytes, looks_like: str
) -> None:
    with pytest.raises(FileRefused, match=f"不是电子表格文件.*{looks_like}"):
        read.read_bytes(data, "registry.xlsx")


def test_a_word_document_is_refused() -> None:
    # given a .docx renamed .xlsx
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})

    # when it is read, then it is refused as a Word document
    with pytest.raises(FileRefused, match=r"不是电子表格文件.*Word文档\(\.docx\)"):
        read.read_bytes(data, "registry.xlsx")


def test_an_old_word_document_is_refused() -> None:
    data = _compound_file({"WordDocument": b"\x00" * 5000})
    with pytest.raises(FileRefused, match=r"不是电子表格文件.*Word文档\(\.doc\)"):
        read.read_bytes(data, "registry.xls")


def test_a_plain_zip_archive_is_refused_asking_to_unzip() -> None:
    data = _zip({"花名册.xlsx": b"PK..."})
    with pytest.raises(FileRefused, match="ZIP压缩包，请解压"):
        read.read_bytes(data, "registry.zip")


def test_an_odf_text_document_is_refused() -> None:
    data = _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})
    with pytest.raises(FileRefused, match="OpenDocument文档，但不是表格"):
        read.read_bytes(data, "registry.ods")


def test_a_binary_workbook_is_refused_asking_to_save_as_xlsx() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01"})
    with pytest.raises(FileRefused, match=r"\.xlsb.*另存为"):
        read.read_bytes(data, "registry.xlsb")


def test_a_truncated_xlsx_is_refused_as_incomplete() -> None:
    # given the first half of a workbook, as a broken download leaves it
    data = workbooks.canonical(workbooks.household_rows())

    # when it is read, then it is refused as truncated
    with pytest.raises(FileRefused, match="文件不完整或已损坏（可能下载或复制时被截断）"):
        read.read_bytes(data[: len(data) // 2], "registry.xlsx")


def test_a_truncated_xls_is_refused_as_incomplete() -> None:
    data = workbooks.xls({"S": [[f"第{number}行"] for number in range(500)]})
    with pytest.raises(FileRefused, match="文件不完整或已损坏"):
        read.read_bytes(data[: len(data) // 2], "registry.xls")


def test_an_encrypted_xlsx_is_refused_asking_to_remove_the_password() -> None:
    # given what Excel writes for a workbook with an open password: a compound file holding
    # EncryptionInfo and EncryptedPackage streams instead of a zip
    data = _compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 4092, "EncryptedPackage": b"\x01" * 8192}
    )

    # when it is read, then it is refused as encrypted
    with pytest.raises(FileRefused, match="文件已加密（设置了打开密码），请在Excel中取消密码"):
        read.read_bytes(data, "registry.xlsx")


def test_an_encrypted_xls_is_refused() -> None:
    # given an .xls whose workbook globals start with FILEPASS (RC4 encryption)
    data = _with_filepass(workbooks.xls({"S": [["a"]]}))

    # when it is read, then it is refused as encrypted
    with pytest.raises(FileRefused, match="文件已加密"):
        read.read_bytes(data, "registry.xls")


def test_an_encrypted_xls_small_enough_for_the_mini_stream_is_refused() -> None:
    # given a workbook stream under 4,096 bytes, which a compound file keeps in its mini stream
    workbook_stream = _biff(0x0809, b"\x00\x06\x05\x00" + b"\x00" * 12) + _biff(0x002F, b"\x01\x00")
    data = _compound_file({"Workbook": workbook_stream + _biff(0x000A, b"")})

    # when it is read, then FILEPASS is still found
    with pytest.raises(FileRefused, match="文件已加密"):
        read.read_bytes(data, "small.xls")


def test_an_encrypted_xls_is_found_when_its_sectors_are_not_in_order() -> None:
    # given a workbook stream over 4,096 bytes whose sectors are stored last to first
    workbook_stream = _biff(0x0809, b"\x00\x06\x05\x00" + b"\x00" * 12) + _biff(0x002F, b"\x01\x00")
    padding = _biff(0x00E1, b"\x00" * 8000)  # a record calamine would skip, to pass 4,096 bytes
    data = _compound_file({"Workbook": workbook_stream + padding}, scattered=True)

    # when it is read, then the chain is followed sector by sector and FILEPASS is found
    with pytest.raises(FileRefused, match="文件已加密"):
        read.read_bytes(data, "scattered.xls")


def test_a_compound_file_without_a_workbook_is_refused() -> None:
    data = _compound_file({"Contents": b"\x00" * 5000})
    with pytest.raises(FileRefused, match="其中没有Excel工作簿"):
        read.read_bytes(data, "registry.xls")


def test_an_xls_whose_dimensions_run_backwards_is_refused_before_calamine() -> None:
    # given a sheet whose DIMENSIONS record has its first row after its last, which would make
    # calamine reserve memory for four billion cells and abort the process
    data = workbooks.xls({"S": [["a"], ["b"]]})
    dimensions = data.index(b"\x00\x02\x0e\x00")  # record type 0x0200, 14 bytes
    body = struct.pack("<IIHHH", 9, 2, 0, 1, 0)
    data = data[: dimensions + 4] + body + data[dimensions + 18 :]

    # when it is read, then it is refused as damaged
    with pytest.raises(FileRefused, match="文件不完整或已损坏"):
        read.read_bytes(data, "registry.xls")


def test_an_xls_claiming_billions_of_shared_strings_is_refused() -> None:
    # given a shared string table whose count is far larger than the file
    data = workbooks.xls({"S": [["张三"], ["李四"]]})
    sst = data.index(b"\xfc\x00")  # record type 0x00FC
    data = data[: sst + 8] + struct.pack("<I", 0x7FFFFFFF) + data[sst + 12 :]

    # when it is read, then it is refused as damaged
    with pytest.raises(FileRefused, match="文件不完整或已损坏"):
        read.read_bytes(data, "registry.xls")


@pytest.mark.parametrize(
    "page",
    [
        b'\xef\xbb\xbf\r\n  <html xmlns:o="urn:schemas-microsoft-com:office:office">'
        b"<meta name=ProgId content=Excel.Sheet><table><tr><td>1001</td></tr></table></html>",
        b"<table border=1><tr><td>\xbb\xa7\xb1\xe0\xba\xc5</td></tr></table>",
        b"<!DOCTYPE html><HTML><body>report</body></HTML>",
    ],
)
def test_a_web_page_named_xls_is_refused_asking_to_save_as_xlsx(page: bytes) -> None:
    with pytest.raises(FileRefused, match="这是网页（HTML）文件，只是扩展名为.xls.*另存为"):
        read.read_bytes(page, "花名册.xls")


def test_excel_2003_xml_named_xls_is_refused_asking_to_save_as_xlsx() -> None:
    page = (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    with pytest.raises(FileRefused, match="Excel 2003 XML表格文件，只是扩展名为.xls"):
        read.read_bytes(page, "花名册.xls")


def test_utf16_text_is_refused_asking_for_utf8() -> None:
    data = "户编号\t姓名\r\n".encode("utf-16")
    with pytest.raises(FileRefused, match="UTF-16编码"):
        read.read_bytes(data, "export.txt")


def test_unknown_binary_is_refused() -> None:
    with pytest.raises(FileRefused, match="无法识别这个文件的格式"):
        read.read_bytes(b"\x00\x01\x02\x03binary", "registry.xlsx")


def test_a_zip_bomb_is_refused_from_its_declared_sizes(settings: Any) -> None:
    # given a limit of 1 MB uncompressed and a workbook carrying 2 MB that deflate to a few KB
    settings.REGISTRY_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    members = _members(workbooks.xlsx({"S": [["a"]]}))
    members["xl/media/image1.bin"] = bytes(2 * 1024 * 1024)

    # when it is read, then it is refused with the limit
    with pytest.raises(FileRefused, match="解压后超过1MB，疑似压缩炸弹"):
        read.read_bytes(_zip(members), "bomb.xlsx")


def test_a_member_with_an_absurd_compression_ratio_is_refused() -> None:
    # given a workbook carrying 51 MB of zeros, which deflate to about 50 KB
    members = _members(workbooks.xlsx({"S": [["a"]]}))
    members["xl/media/image1.bin"] = bytes(51 * 1024 * 1024)

    # when it is read, then the member is named as a suspected bomb
    with pytest.raises(FileRefused, match="“xl/media/image1.bin”压缩比异常"):
        read.read_bytes(_zip(members), "bomb.xlsx")


@pytest.mark.parametrize("member", [SHEET_XML, "[Content_Types].xml", "_rels/.rels"])
def test_an_entity_declaration_is_refused(member: str) -> None:
    # given a part whose prolog declares an entity (the start of a billion-laughs attack)
    members = _members(workbooks.xlsx({"S": [["a"]]}))
    declaration = b'<!DOCTYPE lol [<!ENTITY lol "lol">]>'
    members[member] = members[member].replace(b"?>", b"?>" + declaration, 1)
    if declaration not in members[member]:  # openpyxl writes some parts without a declaration
        members[member] = declaration + members[member]

    # when it is read, then it is refused as hostile
    with pytest.raises(FileRefused, match="文件包含XML实体声明，可能是恶意文件，已拒绝"):
        read.read_bytes(_zip(members), "evil.xlsx")


def test_a_declaration_hidden_behind_a_long_comment_is_refused() -> None:
    # given a prolog padded past the bytes inspected, with a fake element inside the comment
    members = _members(workbooks.xlsx({"S": [["a"]]}))
    padding = b"<!-- <a> " + b" " * 70_000 + b" -->"
    members[SHEET_XML] = padding + b'<!DOCTYPE x [<!ENTITY y "z">]>' + members[SHEET_XML]

    # when it is read, then it is refused: the root element is nowhere in the first 64 KB
    with pytest.raises(FileRefused, match="XML实体声明"):
        read.read_bytes(_zip(members), "evil.xlsx")


def test_a_utf16_part_with_an_entity_declaration_is_refused() -> None:
    members = _members(workbooks.xlsx({"S": [["a"]]}))
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY y "z">]><worksheet/>'
    members[SHEET_XML] = xml.encode("utf-16")
    with pytest.raises(FileRefused, match="XML实体声明"):
        read.read_bytes(_zip(members), "evil.xlsx")


def test_a_large_sheet_without_declarations_passes() -> None:
    # given a sheet whose XML is far longer than the 64 KB prolog window
    data = workbooks.xlsx({"S": [[f"第{number}行", "张三"] for number in range(3000)]})
    assert len(_members(data)[SHEET_XML]) > 64 * 1024

    # when it is sniffed, then it is an ordinary workbook
    assert safety.sniff(data, "large.xlsx") == "xlsx"


def _members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _biff(record_type: int, body: bytes) -> bytes:
    return struct.pack("<HH", record_type, len(body)) + body


def _with_filepass(data: bytes) -> bytes:
    """The xlwt file `data` with its globals' first record after BOF turned into FILEPASS (RC4).

    xlwt writes INTERFACEHDR (two bytes of body) right after BOF; FILEPASS of the same length
    keeps every offset in the file valid.
    """
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    assert data[bof + 20 : bof + 24] == b"\xe1\x00\x02\x00"
    return data[: bof + 20] + _biff(0x002F, b"\x01\x00") + data[bof + 26 :]


def _compound_file(streams: dict[str, bytes], *, scattered: bool = False) -> bytes:
    """A version 3 compound file (512-byte sectors); streams under 4,096 bytes go in the mini
    stream, as the format requires. `scattered` stores each regular stream's sectors backwards,
    so its chain never runs forward."""
    sectors: list[bytes] = []
    fat: list[int] = []

    def allocate(content: bytes, *, backwards: bool = False) -> int:
        if not content:
            return END_OF_CHAIN
        chunks = [
            content[offset : offset + 512].ljust(512, b"\x00")
            for offset in range(0, len(content), 512)
        ]
        ids = list(range(len(sectors), len(sectors) + len(chunks)))
        order = ids[::-1] if backwards else ids
        sectors.extend(chunks[order.index(index)] for index in ids)
        fat.extend([0] * len(ids))
        for current, following in zip(order, [*order[1:], END_OF_CHAIN], strict=True):
            fat[current] = following
        return order[0]

    mini_stream, mini_fat, entries = b"", [], []
    for name, content in streams.items():
        if len(content) >= 4096:
            entries.append((name, 2, allocate(content, backwards=scattered), len(content)))
            continue
        first, count = len(mini_stream) // 64, math.ceil(len(content) / 64)
        mini_fat += [*range(first + 1, first + count), END_OF_CHAIN]
        mini_stream += content.ljust(count * 64, b"\x00")
        entries.append((name, 2, first, len(content)))
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(512, b"\xff")
    mini_fat_start = allocate(mini_fat_bytes) if mini_fat else END_OF_CHAIN
    root = ("Root Entry", 5, allocate(mini_stream), len(mini_stream))
    directory = b"".join(
        _directory_entry(*entry, right=index + 2 if index + 2 <= len(entries) else NO_STREAM)
        for index, entry in enumerate([root, *entries])
    )
    directory_start = allocate(directory)
    fat_sector = len(sectors)
    fat.append(0xFFFFFFFD)  # the FAT's own sector
    sectors.append(struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff"))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, 1, directory_start, 0, 4096, mini_fat_start, 1 if mini_fat else 0, END_OF_CHAIN, 0,
    )  # fmt: skip
    difat = struct.pack("<I", fat_sector) + b"\xff" * (109 * 4 - 4)
    return header + difat + b"".join(sectors)


def _directory_entry(name: str, kind: int, start: int, size: int, *, right: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    child = 1 if kind == 5 else NO_STREAM
    return struct.pack(
        "<64sHBBIII16sI16sIII",
        encoded, len(encoded), kind, 1, NO_STREAM, right if kind == 2 else NO_STREAM, child,
        b"", 0, b"", start, size, 0,
    )  # fmt: skip

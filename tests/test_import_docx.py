"""notices import on Word files built here with python-docx: header and signature tables, tabs, footnotes, NFD."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import make_archive
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from notice_archive.archive import load_archive
from notice_archive.importer import Refused, import_file

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def build_docx(path: Path, *, header_left: list[str] | None, header_right: list[str] | None, body: list[str],
               recipients: list[str] | None = None, signer: list[str] | None = None,
               footnotes: dict[int, tuple[str, str]] | None = None, decompose: bool = False) -> Path:
    """body: paragraphs (may contain tabs). footnotes: {paragraph index: (text after which the mark goes, note)}."""
    conv = nfd if decompose else (lambda s: s)
    doc = docx.Document()
    if header_left is not None:
        table = doc.add_table(rows=1, cols=2)
        for cell, lines in zip(table.rows[0].cells, (header_left, header_right or []), strict=True):
            cell.paragraphs[0].text = conv(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(conv(line))
    notes = footnotes or {}
    for index, text in enumerate(body):
        para = doc.add_paragraph()
        if index in notes:
            before, _note = notes[index]
            head, tail = text.split(before, 1)
            para.add_run(conv(head + before))
            ref = OxmlElement("w:footnoteReference")
            ref.set(qn("w:id"), str(list(notes).index(index) + 1))
            para.add_run()._r.append(ref)
            para.add_run(conv(tail))
        else:
            para.add_run(conv(text))
    if recipients is not None:
        table = doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0].text = conv(recipients[0])
        for line in recipients[1:]:
            left.add_paragraph(conv(line))
        right.paragraphs[0].text = conv((signer or [""])[0])
        for line in (signer or [])[1:]:
            right.add_paragraph(conv(line))
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    if notes:
        data = _add_footnotes(data, [conv(note) for _before, note in notes.values()])
    path.write_bytes(data)
    return path


def _add_footnotes(data: bytes, notes: list[str]) -> bytes:
    """python-docx writes no footnotes part: add word/footnotes.xml, its relationship and content type."""
    items = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t>'
        "</w:r></w:p></w:footnote>" for i, note in enumerate(notes, start=1))
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            f"{items}</w:footnotes>")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="'
                                          b'application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                          b'footnotes+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdFootnotes" Type="http://'
                                          b'schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"'
                                          b' Target="footnotes.xml"/></Relationships>')
            dst.writestr(info, content)
        dst.writestr("word/footnotes.xml", part.encode("utf-8"))
    return out.getvalue()


# Tests ------------------------------------------------------------------------------------------------------------

SEED_TXT = Path(__file__).resolve().parent / "samples" / "ubnd-tp-lang-son-2020-11-ket-luan-hop-thuong-ky.txt"
HEADER_LEFT = ["UBND TỈNH LẠNG SƠN", "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "Số: 124/TB-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "TP. Lạng Sơn, ngày 20 tháng 11 năm 2020"]
BODY = [
    "THÔNG BÁO",
    "Kết luận của Chủ tịch UBND thành phố tại cuộc họp",
    "về công tác chiếu sáng đô thị",
    "Ngày 18/11/2020, Đồng chí Nguyễn Văn Hạnh - Chủ tịch UBND thành phố đã chủ trì cuộc họp về công tác chiếu "
    "sáng đô thị. Sau khi nghe báo cáo, Đ/c Nguyễn Văn Hạnh - Chủ tịch UBND thành phố kết luận như sau:",
    "1. Dự thảo Báo cáo về đèn chiếu sáng công cộng - Phòng Quản lý đô thị trình",
    "Giao phòng Quản lý đô thị tiếp thu ý kiến, hoàn thiện dự thảo Báo cáo.",
    "a)\tRà soát hệ thống đèn Led tại các tuyến phố chính.",
    "đ) Báo cáo kết quả trước ngày 30/11/2020.",
    "Trên đây là kết luận của Chủ tịch UBND thành phố. UBND thành phố thông báo để các cơ quan, đơn vị biết, "
    "thực hiện./.",
]
RECIPIENTS = ["Nơi nhận:", "- TT Thành ủy;", "- Phòng QLĐT;", "- Lưu: VT, QLĐT."]
SIGNER = ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "", "Hoàng Quân"]


@pytest.fixture
def empty_archive(tmp_path: Path) -> Path:
    return make_archive(tmp_path, with_seed=False) / "notices"


def _front(text: str) -> dict:
    return yaml.load(text.split("---\n", 2)[1], Loader=yaml.BaseLoader)


@pytest.mark.parametrize("decompose", [False, True], ids=["nfc", "nfd"])
def test_word_file_with_tables_tabs_and_footnote_imports_complete_and_valid(empty_archive, tmp_path, decompose):
    path = build_docx(tmp_path / "tb.docx", header_left=HEADER_LEFT, header_right=HEADER_RIGHT, body=BODY,
                      recipients=RECIPIENTS, signer=SIGNER, decompose=decompose,
                      footnotes={3: ("chiếu sáng đô thị.", "Thành phần: các phòng, ban chuyên môn.")})
    result = import_file(str(path), str(empty_archive))
    assert result.path == "notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md"
    assert unicodedata.is_normalized("NFC", result.text)
    fm = _front(result.text)
    assert fm["issuer"] == "ubnd-tp-lang-son" and fm["number"] == "124/TB-UBND" and fm["status"] == "ban-hanh"
    assert fm["date"] == "2020-11-20" and fm["place"] == "TP. Lạng Sơn"
    assert fm["title"] == "Kết luận của Chủ tịch UBND thành phố tại cuộc họp về công tác chiếu sáng đô thị"
    assert fm["meeting"] == {"date": "2020-11-18"}
    assert fm["signer"] == {"authority": ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"], "title": "PHÓ CHÁNH VĂN PHÒNG",
                            "name": "Hoàng Quân"}
    assert fm["recipients"] == ["TT Thành ủy;", "Phòng QLĐT;", "Lưu: VT, QLĐT."]
    assert fm["items"] == {"muc-1": {"presented_by": "phong-quan-ly-do-thi", "lead": ["phong-quan-ly-do-thi"]}}
    assert "chiếu sáng đô thị.[1] Sau khi nghe" in result.text
    assert result.text.rstrip().endswith("[1] Thành phần: các phòng, ban chuyên môn.")
    assert "\na) Rà soát hệ thống đèn Led" in result.text  # the tab after "a)" is layout: one space
    assert any("Unicode NFC" in n for n in result.notes) == decompose
    archive = load_archive(str(empty_archive))
    assert archive.errors == [], [p.format() for p in archive.errors]
    assert [p.code for p in archive.problems] == ["thu-tu-diem"]  # a) then đ): advice only, text kept


def test_same_notice_as_word_file_and_as_text_is_detected(tmp_path):
    docs = make_archive(tmp_path, with_seed=False) / "notices"
    import_file(str(SEED_TXT), str(docs))
    lines = SEED_TXT.read_text(encoding="utf-8").split("\n")
    paragraphs = [line for line in lines if line.strip()]
    path = build_docx(tmp_path / "seed.docx", header_left=None, header_right=None, body=paragraphs)
    with pytest.raises(Refused, match=r"đã có trong kho: notices/ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10"
                                      r"\.md \(giống 100%\)"):
        import_file(str(path), str(docs))


def test_word_invitation_is_refused(empty_archive, tmp_path):
    body = ["GIẤY MỜI", "Ủy ban nhân dân thành phố tổ chức họp thường kỳ tháng 12/2020.", "1. Chủ trì: Chủ tịch."]
    left = ["UBND TỈNH LẠNG SƠN", "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "Số: 480/GM-UBND"]
    path = build_docx(tmp_path / "gm.docx", header_left=left, header_right=HEADER_RIGHT, body=body)
    with pytest.raises(Refused, match=r"văn bản là Giấy mời \(480/GM-UBND\)"):
        import_file(str(path), str(empty_archive))

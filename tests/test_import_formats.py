"""notices import on every format an office has: PDF (real issued ones and one exported from Word the way offices
make them), Word 97-2003 (.doc, converted here from a .docx by the LibreOffice that .ci/setup.sh installs), Word
files with automatic numbering, folders (the backlog) and the original kept beside the notice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import jsonschema
import pytest
import yaml
from conftest import build, make_archive
from docx.oxml import parse_xml
from test_import_docx import BODY, HEADER_LEFT, HEADER_RIGHT, RECIPIENTS, SIGNER, build_docx

from notice_archive import originals
from notice_archive.archive import load_archive
from notice_archive.cli import main
from notice_archive.importer import Refused, import_file

ORIGINALS = Path(__file__).resolve().parent / "samples" / "originals"
SAMPLES = Path(__file__).resolve().parent / "samples"
LAM_DONG = "ubnd-tinh-lam-dong-2026-nonum-tb-ubnd-ketluan-cao-toc-gpmb-20260424"
LAO_CAI = "vp-ubnd-tinh-lao-cai-2026-nonum-tb-vp-ketluan-cum-cong-nghiep-20260619"
GIAY_MOI = ORIGINALS / "ubnd-tinh-lam-dong-2026-85-gm-ubnd-20260119.pdf"
HA_NOI = ORIGINALS / "ubnd-tp-ha-noi-2026-453-tb-ubnd-20260429.pdf"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def front(text: str) -> dict:
    return yaml.load(text.split("---\n", 2)[1], Loader=yaml.BaseLoader)


def body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


@pytest.fixture
def empty_archive(tmp_path: Path) -> Path:
    return make_archive(tmp_path / "kho", with_seed=False) / "notices"


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """LibreOffice, as offices use it ("Save as .doc", "Export as PDF")."""
    outdir.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{outdir}/profile", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    return outdir / (src.stem + "." + fmt)


def word_like(path: Path) -> None:
    """Word always keeps a paragraph after a closing table (python-docx does not; LibreOffice's .doc reader then
    drops that table), so the files here end as Word's do."""
    document = docx.Document(str(path))
    document.add_paragraph("")
    document.save(str(path))


@pytest.fixture(scope="module")
def office_files(tmp_path_factory) -> dict[str, Path]:
    """One notice as .docx, and the .doc and .pdf LibreOffice makes of it (one conversion each, shared)."""
    tmp = tmp_path_factory.mktemp("office")
    source = build_docx(tmp / "tb-124.docx", header_left=HEADER_LEFT, header_right=HEADER_RIGHT, body=BODY,
                        recipients=RECIPIENTS, signer=SIGNER)
    word_like(source)
    return {"docx": source, "doc": soffice_convert(source, "doc", tmp / "doc"),
            "pdf": soffice_convert(source, "pdf", tmp / "pdf")}


# Real originals ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", [LAM_DONG, LAO_CAI])
def test_real_word_notices_import_verbatim_and_keep_the_original(tmp_path, stem):
    """The office's .docx gives the same body, word for word (NFC), as the text extracted from it."""
    docs = make_archive(tmp_path / "a", with_seed=False) / "notices"
    other = make_archive(tmp_path / "b", with_seed=False) / "notices"
    from_word = import_file(str(ORIGINALS / f"{stem}.docx"), str(docs))
    from_text = import_file(str(SAMPLES / f"{stem}.txt"), str(other))
    assert body(from_word.text) == body(from_text.text)
    assert unicodedata.is_normalized("NFC", from_word.text)
    fm = front(from_word.text)
    raw = (ORIGINALS / f"{stem}.docx").read_bytes()
    kept = docs.parent / from_word.original
    assert kept.read_bytes() == raw and kept.suffix == ".docx" and kept.stem == Path(from_word.path).stem
    assert fm["original"] == {"file": kept.name, "sha256": originals.sha256_of(raw), "size": str(len(raw))}
    assert "original" not in front(from_text.text)  # extracted text is not the issued document
    # Only the editor's TODO markers are left: the original is valid (present, hash, kind, size).
    assert {p.code for p in load_archive(str(docs)).errors} == {"chua-dien"}


@pytest.mark.parametrize(("pdf", "reason"), [
    (GIAY_MOI, "không phải thông báo kết luận: văn bản là Giấy mời (85/GM-UBND), không phải Thông báo; chỉ nhập "
               "Thông báo kết luận cuộc họp"),
    (HA_NOI, "văn bản là một Thông báo (453/TB-UBND) nhưng không phải thông báo kết luận: trích yếu 'Về việc treo "
             "cờ Tổ quốc' và đoạn mở đầu không có chữ 'kết luận', không nêu cuộc họp và người kết luận; kho này chỉ "
             "lưu Thông báo kết luận cuộc họp, làm việc, kiểm tra"),
])
def test_real_issued_pdfs_are_refused_for_the_right_reason(empty_archive, pdf, reason):
    # The number (85, 453) is stamped by the e-signature as an annotation: it is read too.
    with pytest.raises(Refused) as exc:
        import_file(str(pdf), str(empty_archive))
    assert str(exc.value) == reason
    assert not [p for p in empty_archive.rglob("*") if p.is_file() and "_registry" not in p.parts]


def test_pdf_reading_order_of_the_header_and_signature_columns():
    from notice_archive.importer.pdf import read_pdf

    lines = read_pdf(str(HA_NOI)).lines
    assert lines[:10] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "Số: 453 /TB-UBND", "",
                          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc",
                          "Hà Nội, ngày 29 tháng 4 năm 2026", "", "THÔNG BÁO", "Về việc treo cờ Tổ quốc"]
    tail = lines[lines.index("Nơi nhận:"):]
    assert tail[1] == "- Đ/c Bí thư Thành ủy;" and "- Lưu: VT, KGVX" in tail
    assert tail[tail.index("- Lưu: VT, KGVX") + 1:] == ["", "TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG",
                                                      "PHÓ CHÁNH VĂN PHÒNG", "Võ Tuấn Anh", ""]


# PDF, .doc, .docx made the way offices make them ------------------------------------------------------------------

@pytest.mark.programs
def test_pdf_exported_from_word_imports_like_the_word_file(tmp_path, office_files):
    docs = make_archive(tmp_path / "a", with_seed=False) / "notices"
    other = make_archive(tmp_path / "b", with_seed=False) / "notices"
    from_pdf = import_file(str(office_files["pdf"]), str(docs))
    from_docx = import_file(str(office_files["docx"]), str(other))
    assert from_pdf.path == from_docx.path == "notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md"
    assert body(from_pdf.text) == body(from_docx.text)
    fm = front(from_pdf.text)
    assert fm["number"] == "124/TB-UBND" and fm["date"] == "2020-11-20"
    assert fm["signer"] == front(from_docx.text)["signer"]
    assert fm["recipients"] == ["TT Thành ủy;", "Phòng QLĐT;", "Lưu: VT, QLĐT."]
    assert fm["original"]["file"] == "124-tb-ubnd.pdf"
    archive = load_archive(str(docs))
    assert archive.errors == [], [p.format() for p in archive.errors]
    assert archive.notices[0].original.label.startswith("PDF, ")


@pytest.mark.programs
def test_doc_gives_the_same_notice_as_the_docx(tmp_path, office_files):
    docs = make_archive(tmp_path / "a", with_seed=False) / "notices"
    other = make_archive(tmp_path / "b", with_seed=False) / "notices"
    from_doc = import_file(str(office_files["doc"]), str(docs))
    from_docx = import_file(str(office_files["docx"]), str(other))
    strip = [line for line in from_doc.text.split("\n") if not line.startswith(("  file:", "  sha256:", "  size:"))]
    assert strip == [line for line in from_docx.text.split("\n")
                     if not line.startswith(("  file:", "  sha256:", "  size:"))]
    assert front(from_doc.text)["original"]["file"] == "124-tb-ubnd.doc"
    assert (docs / "ubnd-tp-lang-son" / "2020" / "124-tb-ubnd.doc").read_bytes() == office_files["doc"].read_bytes()
    assert load_archive(str(docs)).errors == []


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("hong.doc", b"Day khong phai tep Word", "tệp có đuôi .doc nhưng nội dung không phải DOC (các byte đầu không "
                                            "khớp); tệp hỏng hoặc bị đổi đuôi"),
    ("hong.docx", b"PK\x03\x04 not a zip", "tệp có đuôi .docx nhưng nội dung không phải DOCX (các byte đầu không "
                                           "khớp); tệp hỏng hoặc bị đổi đuôi"),
    ("hong.pdf", b"<html>", "tệp có đuôi .pdf nhưng nội dung không phải PDF (các byte đầu không khớp); tệp hỏng "
                            "hoặc bị đổi đuôi"),
])
def test_files_that_are_not_what_their_extension_says_are_refused(empty_archive, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Refused) as exc:
        import_file(str(path), str(empty_archive))
    assert str(exc.value) == reason


def test_scanned_pdf_without_text_is_refused(empty_archive, tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (620, 877), "white").save(path)  # a page that is only an image, as a scanner writes it
    with pytest.raises(Refused) as exc:
        import_file(str(path), str(empty_archive))
    assert str(exc.value).startswith("tệp PDF là bản quét (ảnh chụp trang), không có lớp chữ; không nhận dạng chữ "
                                     "(OCR) tự động vào văn bản chính thức")


@pytest.mark.programs
def test_word_invitation_as_doc_is_refused(empty_archive, tmp_path):
    left = ["UBND TỈNH LẠNG SƠN", "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "Số: 480/GM-UBND"]
    source = build_docx(tmp_path / "gm.docx", header_left=left, header_right=HEADER_RIGHT,
                        body=["GIẤY MỜI", "Ủy ban nhân dân thành phố tổ chức họp thường kỳ tháng 12/2020."])
    word_like(source)
    doc = soffice_convert(source, "doc", tmp_path / "out")
    with pytest.raises(Refused) as exc:
        import_file(str(doc), str(empty_archive))
    assert str(exc.value) == ("không phải thông báo kết luận: văn bản là Giấy mời (480/GM-UBND), không phải Thông "
                              "báo; chỉ nhập Thông báo kết luận cuộc họp")


# Automatic numbering -----------------------------------------------------------------------------------------------

def _add_list(doc, fmt: str, text: str) -> tuple[str, str]:
    """A numbering definition (abstractNum + num) of one level; returns (abstract id, num id)."""
    numbering = doc.part.numbering_part.element
    abstract_id = str(100 + len(numbering.findall(f"{{{W}}}abstractNum")))
    num_id = str(200 + len(numbering.findall(f"{{{W}}}num")))
    numbering.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                               "</w:num>"))
    return abstract_id, num_id


def _restart(doc, abstract_id: str) -> str:
    """Word's "Restart numbering": a new list instance of the same definition, starting again at 1."""
    numbering = doc.part.numbering_part.element
    num_id = str(200 + len(numbering.findall(f"{{{W}}}num")))
    numbering.append(parse_xml(
        f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/><w:lvlOverride '
        'w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    return num_id


def _numbered(doc, text: str, num_id: str) -> None:
    para = doc.add_paragraph(text)
    para._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_automatic_numbering_comes_out_as_word_shows_it(empty_archive, tmp_path):
    """Sections (I., II.) and points (a) … đ)) numbered on the paragraph, items (1., 2.) by the "List Number"
    style; the points restart under item 2; no note is left for the editor about numbering."""
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (HEADER_LEFT, HEADER_RIGHT), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    for text in BODY[:4]:
        doc.add_paragraph(text)
    _sections_abs, sections = _add_list(doc, "upperRoman", "%1.")
    points_abs, points = _add_list(doc, "lowerLetter", "%1)")
    _numbered(doc, "Đánh giá chung", sections)
    doc.add_paragraph("Dự thảo Báo cáo về đèn chiếu sáng công cộng - Phòng Quản lý đô thị trình", "List Number")
    for text in ("Rà soát các tuyến phố chính.", "Lập danh mục đèn hỏng.", "Dự trù kinh phí.",
                 "Lựa chọn nhà thầu.", "Báo cáo kết quả trước ngày 30/11/2020."):
        _numbered(doc, text, points)
    _numbered(doc, "Nhiệm vụ thời gian tới", sections)
    doc.add_paragraph("Kế hoạch năm 2021 - Phòng Quản lý đô thị trình", "List Number")
    _numbered(doc, "Hoàn thiện kế hoạch.", _restart(doc, points_abs))
    doc.add_paragraph(BODY[-1])
    table = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (RECIPIENTS, SIGNER), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    path = tmp_path / "tu-dong.docx"
    doc.save(path)
    result = import_file(str(path), str(empty_archive))
    text = body(result.text)
    assert "## I. Đánh giá chung" in text and "## II. Nhiệm vụ thời gian tới" in text
    assert "### 1. Dự thảo Báo cáo về đèn chiếu sáng" in text and "### 2. Kế hoạch năm 2021" in text
    assert [line[:2] for line in text.split("\n") if line[1:2] == ")"] == ["a)", "b)", "c)", "d)", "đ)", "a)"]
    assert "\nđ) Báo cáo kết quả trước ngày 30/11/2020." in text
    assert not any("đánh số" in note for note in result.notes)
    archive = load_archive(str(empty_archive))
    assert archive.errors == [], [p.format() for p in archive.errors]
    assert not [p for p in archive.problems if p.code == "thu-tu-diem"]  # a b c d đ: in order


# The backlog ------------------------------------------------------------------------------------------------------

def test_folder_imports_what_it_can_refuses_the_rest_and_is_safe_to_rerun(empty_archive, tmp_path, capsys):
    folder = tmp_path / "ton-dong"
    shutil.copytree(ORIGINALS, folder)
    (folder / "con").mkdir()
    shutil.copy(SAMPLES / f"{LAO_CAI}.txt", folder / "con" / "lao-cai.txt")  # the same notice as its .docx
    (folder / "~$khoa.docx").write_bytes(b"Word lock file")  # skipped
    assert main(["import", str(folder), "--docs-dir", str(empty_archive)]) == 2
    out, err = capsys.readouterr()
    assert "[1/5] " in err and "[5/5] " in err
    rows = out.strip().split("\n")
    assert rows[-1] == "5 tệp: 2 đã nhập, 3 không nhập"
    # The folder's own files first (sorted), then its sub-folders.
    assert rows[0].startswith(f"{folder}/{GIAY_MOI.name} -> không nhập: không phải thông báo kết luận: văn bản là "
                              "Giấy mời (85/GM-UBND)")
    assert rows[1].startswith(f"{folder}/{LAM_DONG}.docx -> đã ghi notices/ubnd-tinh-lam-dong/2026/chua-so-tb-ubnd-"
                              "2026-04-24.md + bản gốc notices/ubnd-tinh-lam-dong/2026/chua-so-tb-ubnd-2026-04-24.docx"
                              "; còn 13 chỗ TODO: issuer, number, date, items.muc-1.lead")
    assert rows[2].startswith(f"{folder}/{HA_NOI.name} -> không nhập: văn bản là một Thông báo (453/TB-UBND)")
    assert rows[3] == (f"{folder}/{LAO_CAI}.docx -> đã ghi notices/vp-ubnd-tinh-lao-cai/2026/chua-so-tb-vp-2026-06-19"
                       ".md + bản gốc notices/vp-ubnd-tinh-lao-cai/2026/chua-so-tb-vp-2026-06-19.docx; còn 12 chỗ "
                       "TODO: issuer, number, date, " + ", ".join(f"items.muc-{n}.lead" for n in range(1, 10)))
    assert rows[4].startswith(f"{folder}/con/lao-cai.txt -> không nhập: thông báo này đã có trong kho: notices/vp-"
                              "ubnd-tinh-lao-cai/2026/chua-so-tb-vp-2026-06-19.md (giống 100%)")
    written = sorted(p.name for p in empty_archive.rglob("*") if p.is_file() and "_registry" not in p.parts)
    assert written == ["chua-so-tb-ubnd-2026-04-24.docx", "chua-so-tb-ubnd-2026-04-24.md",
                       "chua-so-tb-vp-2026-06-19.docx", "chua-so-tb-vp-2026-06-19.md"]  # no temporary files left
    before = {p: p.read_bytes() for p in empty_archive.rglob("*") if p.is_file()}
    assert main(["import", str(folder), "--docs-dir", str(empty_archive)]) == 2
    again = capsys.readouterr().out.strip().split("\n")
    assert again[-1] == "5 tệp: 0 đã nhập, 5 không nhập"
    assert sum("đã có trong kho" in row for row in again) == 3
    assert {p: p.read_bytes() for p in empty_archive.rglob("*") if p.is_file()} == before


def test_a_folder_with_a_fifo_and_a_symlink_reads_neither(empty_archive, tmp_path, capsys):
    folder = tmp_path / "hoso"
    folder.mkdir()
    os.mkfifo(folder / "a-fifo.txt")  # reading it would wait forever
    (folder / "b-link.txt").symlink_to("/etc/hostname")  # a file of the machine, not of the office
    shutil.copy(SAMPLES / f"{LAO_CAI}.txt", folder / "c.txt")
    assert main(["import", str(folder), "--docs-dir", str(empty_archive), "--dry-run"]) == 2
    rows = capsys.readouterr().out.strip().split("\n")
    reason = "không phải tệp thường (liên kết tượng trưng, FIFO, thiết bị…): không đọc"
    assert rows[0] == f"{folder / 'a-fifo.txt'} -> không nhập: {reason}"
    assert rows[1] == f"{folder / 'b-link.txt'} -> không nhập: {reason}"
    assert rows[2].startswith(f"{folder / 'c.txt'} -> sẽ ghi notices/vp-ubnd-tinh-lao-cai/")


def test_several_files_and_a_missing_one(empty_archive, tmp_path, capsys):
    assert main(["import", str(SAMPLES / f"{LAO_CAI}.txt"), str(tmp_path / "khong-co.pdf"),
                 "--docs-dir", str(empty_archive), "--dry-run"]) == 2
    rows = capsys.readouterr().out.strip().split("\n")
    assert rows[0] == f"{tmp_path / 'khong-co.pdf'} -> không nhập: không tìm thấy tệp hoặc thư mục này"
    assert rows[1].startswith(f"{SAMPLES / LAO_CAI}.txt -> sẽ ghi notices/vp-ubnd-tinh-lao-cai/")
    assert rows[-1] == "2 tệp: 1 sẽ nhập, 1 không nhập"
    assert not any(empty_archive.rglob("*.md"))


# The original, checked --------------------------------------------------------------------------------------------

def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.programs
@pytest.mark.parametrize(("change", "key", "message"), [
    (lambda p: p.unlink(), "file", "không thấy tệp 124-tb-ubnd.pdf cạnh thông báo"),
    (lambda p: (p.rename(p.with_suffix(".bak")), p.symlink_to(p.with_suffix(".bak"))), "file",
     "124-tb-ubnd.pdf là liên kết (symlink), không phải tệp; bản gốc phải là chính tệp"),
    (lambda p: p.write_bytes(p.read_bytes() + b"%"), "size",
     "ghi {size} byte nhưng tệp 124-tb-ubnd.pdf có {size1} byte: tệp đã bị thay hoặc sửa"),
    (_flip_a_byte, "sha256", "không khớp với tệp 124-tb-ubnd.pdf (tệp có sha256 "),
    (lambda p: p.write_bytes(b"PK\x03\x04" + p.read_bytes()[4:]), "file",
     "tệp 124-tb-ubnd.pdf có đuôi .pdf nhưng nội dung là không phải tệp PDF hay Word (các byte đầu); không xuất bản"),
], ids=["missing", "symlink", "size", "hash", "kind"])
def test_original_is_validated(tmp_path, office_files, change, key, message):
    docs = make_archive(tmp_path, with_seed=False) / "notices"
    result = import_file(str(office_files["pdf"]), str(docs))
    line = next(n for n, text in enumerate(result.text.split("\n"), start=1) if text.startswith(f"  {key}:"))
    kept = docs / "ubnd-tp-lang-son" / "2020" / "124-tb-ubnd.pdf"
    size = kept.stat().st_size
    change(kept)
    archive = load_archive(str(docs))
    expected = (f"notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md:{line}: trường original.{key}: "
                + message.format(size=size, size1=size + 1))
    assert expected in [p.format()[:len(expected)] for p in archive.errors], [p.format() for p in archive.errors]
    # (a longer file also fails its hash: both are said; the symlink and the stray .bak are also refused as files)
    others = {"lien-ket-tuong-trung", "tep-la"} if key == "file" and "symlink" in message else set()
    assert {p.code for p in archive.errors} == {"ban-goc", *others}
    assert archive.notices == []  # a notice whose original is wrong is not published


@pytest.mark.programs
def test_original_must_sit_beside_the_notice_with_its_name(tmp_path, office_files):
    docs = make_archive(tmp_path, with_seed=False) / "notices"
    result = import_file(str(office_files["pdf"]), str(docs))
    path = docs.parent / result.path
    text = path.read_text(encoding="utf-8")
    line = text.split("\n").index("  file: 124-tb-ubnd.pdf") + 1
    for name, reason in (("../khac.exe", "bản gốc chỉ được là tệp .pdf, .docx, .doc (đuôi viết thường)"),
                         ("khac.pdf", "bản gốc phải nằm cạnh thông báo, cùng tên: 124-tb-ubnd.pdf")):
        path.write_text(text.replace("file: 124-tb-ubnd.pdf", f"file: {name}"), encoding="utf-8")
        assert [p.format() for p in load_archive(str(docs)).errors] == [
            f"notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md:{line}: trường original.file: '{name}': {reason} [ban-goc]"]


def test_size_labels_are_vietnamese():
    assert originals.size_label(491_520) == "480 KB"
    assert originals.size_label(1_363_149) == "1,3 MB"
    assert originals.size_label(10) == "1 KB"


@pytest.mark.programs
@pytest.mark.build
def test_kept_original_is_published_linked_and_in_the_open_data(tmp_path, office_files):
    docs = make_archive(tmp_path, with_seed=False) / "notices"
    import_file(str(office_files["pdf"]), str(docs))
    raw = office_files["pdf"].read_bytes()
    built = build(docs.parent)
    assert built.returncode == 0, built.output
    url = "ubnd-tp-lang-son/2020/124-tb-ubnd/"
    label = f"Bản gốc (PDF, {originals.size_label(len(raw))})"
    assert (f'<dt>Bản gốc</dt><dd><a class="notice-original" href="../124-tb-ubnd.pdf" type="application/pdf">'
            f"{label}</a></dd>") in built.page(url)
    assert (built.site / "ubnd-tp-lang-son" / "2020" / "124-tb-ubnd.pdf").read_bytes() == raw
    data = json.loads((built.site / url / "index.json").read_text(encoding="utf-8"))
    assert data["notice"]["original"] == {
        "link": {"path": "ubnd-tp-lang-son/2020/124-tb-ubnd.pdf", "url": None}, "media_type": "application/pdf",
        "sha256": originals.sha256_of(raw), "size": len(raw)}
    schema = json.loads((built.site / "du-lieu" / "schema" / "thong-bao.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    # A notice without an original says nothing about one.
    other = make_archive(tmp_path / "khac") / "notices"
    plain = build(other.parent)
    page = plain.page("ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/")
    assert "Bản gốc" not in page


def _strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize(("change", "reason"), [
    (_strip_marks, "lớp chữ không dùng được, không nhập: văn bản bị mất dấu tiếng Việt (thường do nhận dạng chữ "
                   "OCR): chỉ 0/"),
    (lambda t: t.replace("o", "\u043e"), "lớp chữ không dùng được, không nhập: lớp chữ bị lỗi phông: có chữ cái của "
                                         "bảng chữ khác (Kirin, Hy Lạp, Do Thái…) trông giống chữ Việt"),
], ids=["mat-dau", "kirin"])
@pytest.mark.programs
def test_pdf_with_a_garbled_text_layer_is_refused(empty_archive, tmp_path, change, reason):
    source = build_docx(tmp_path / "hong.docx", header_left=[change(t) for t in HEADER_LEFT],
                        header_right=[change(t) for t in HEADER_RIGHT], body=[change(t) for t in BODY],
                        recipients=[change(t) for t in RECIPIENTS], signer=[change(t) for t in SIGNER])
    word_like(source)
    pdf = soffice_convert(source, "pdf", tmp_path / "out")
    with pytest.raises(Refused) as exc:
        import_file(str(pdf), str(empty_archive))
    assert str(exc.value).startswith(reason)


@pytest.mark.programs
def test_pdf_whose_text_lies_over_a_page_image_is_refused_as_ocr(empty_archive, tmp_path):
    """What an OCR program writes: the page as a picture, the machine-read text over it."""
    from PIL import Image

    picture = tmp_path / "trang.png"
    Image.new("RGB", (650, 800), "white").save(picture)
    source = build_docx(tmp_path / "ocr.docx", header_left=HEADER_LEFT, header_right=HEADER_RIGHT, body=BODY,
                        recipients=RECIPIENTS, signer=SIGNER)
    document = docx.Document(str(source))
    document.add_picture(str(picture), width=docx.shared.Inches(6.5), height=docx.shared.Inches(8))
    document.save(str(source))
    pdf = soffice_convert(source, "pdf", tmp_path / "out")
    with pytest.raises(Refused) as exc:
        import_file(str(pdf), str(empty_archive))
    assert str(exc.value).startswith("tệp PDF có lớp chữ nhận dạng tự động (OCR: 1 trang là ảnh chụp có lớp chữ phủ "
                                     "lên); chữ do máy đọc có thể sai mà không ai thấy")


def test_numbering_formats_and_nested_levels():
    from notice_archive.importer.numbering import VIETNAMESE_LETTERS, format_number

    assert [format_number(n, "lowerLetter") for n in range(1, 13)] == list("abcdđeghiklm")
    assert format_number(24, "lowerLetter") == "aa" and len(VIETNAMESE_LETTERS) == 23
    assert format_number(5, "upperLetter") == "Đ" and format_number(4, "upperRoman") == "IV"
    assert format_number(14, "lowerRoman") == "xiv" and format_number(7, "decimalZero") == "07"


def test_numbering_of_two_levels_and_missing_definitions(empty_archive, tmp_path):
    from notice_archive.importer.sources import read_docx

    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/>'
        '<w:suff w:val="space"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in (("Mục một", 0), ("Điểm", 1), ("Điểm", 1), ("Mục hai", 0), ("Điểm", 1)):
        para = doc.add_paragraph(text)
        para._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    _numbered(doc, "Không rõ số", "77")  # a list instance the file does not define
    path = tmp_path / "hai-cap.docx"
    doc.save(path)
    result = read_docx(str(path))
    assert result.lines[:6] == ["1.\tMục một", "a) Điểm", "b) Điểm", "2.\tMục hai", "a) Điểm", "Không rõ số"]
    assert result.notes == ["1 đoạn trong tệp Word dùng đánh số tự động nhưng tệp thiếu định nghĩa đánh số "
                            "(numbering.xml) nên không biết Word hiện số nào; kiểm tra lại số mục, điểm so với "
                            "bản gốc"]


@pytest.mark.programs
def test_folder_of_doc_files_is_converted_in_one_run(empty_archive, tmp_path, office_files, capsys):
    folder = tmp_path / "doc"
    folder.mkdir()
    shutil.copy(office_files["doc"], folder / "a.doc")
    shutil.copy(office_files["doc"], folder / "b.doc")  # the same notice again
    (folder / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)  # a compound file, no Word
    assert main(["import", str(folder), "--docs-dir", str(empty_archive)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("LibreOffice chuyển 2 tệp Word 97–2003 (.doc) sang .docx…\n[1/3] ")
    assert out.split("\n")[:3] == [
        f"{folder}/a.doc -> đã ghi notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md + bản gốc notices/ubnd-tp-lang-son/"
        "2020/124-tb-ubnd.doc; không còn chỗ TODO",
        f"{folder}/b.doc -> không nhập: thông báo này đã có trong kho: notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md "
        "(giống 100%). Nhập lại cùng một văn bản (hoặc bản khác định dạng của cùng thông báo) sẽ tạo bản trùng; hãy "
        "sửa tệp đã có (ví dụ khi bản chưa số được ban hành, điền số và ngày vào tệp đó)",
        f"{folder}/c.doc -> không nhập: tệp có đuôi .doc nhưng nội dung không phải DOC (các byte đầu không khớp); tệp "
        "hỏng hoặc bị đổi đuôi"]


@pytest.mark.programs
@pytest.mark.parametrize("stem", [LAO_CAI, LAM_DONG])
def test_real_word_notice_exported_to_pdf_imports_as_the_word_file(tmp_path, stem):
    """The office's own .docx, exported to PDF as offices do: the same notice, word for word (a PDF keeps no
    double spaces: the Lâm Đồng file has two, typed by mistake; nor does it say whether a line that wraps right
    after "…" had a space there: the Lâm Đồng file has "chi phí…trên", and where the line wraps depends on the
    font the converter finds)."""
    pdf = soffice_convert(ORIGINALS / f"{stem}.docx", "pdf", tmp_path / "pdf")
    from_pdf = import_file(str(pdf), str(make_archive(tmp_path / "a", with_seed=False) / "notices"), dry_run=True)
    from_word = import_file(str(ORIGINALS / f"{stem}.docx"),
                            str(make_archive(tmp_path / "b", with_seed=False) / "notices"), dry_run=True)

    def plain(text: str) -> list[str]:
        return [" ".join(line.split(" ")).replace("  ", " ").replace("… ", "…") for line in text.split("\n")
                if not line.startswith(("  file:", "  sha256:", "  size:"))]

    assert plain(from_pdf.text) == plain(from_word.text)
    assert from_pdf.path == from_word.path and from_pdf.original.endswith(".pdf")


def test_numbering_through_a_numbering_style(tmp_path):
    """Word's multilevel lists defined as a list style: the list defers (numStyleLink) to the style's own list."""
    from notice_archive.importer.sources import read_docx

    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="80"><w:styleLink w:val="DanhSachMuc"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        "</w:abstractNum>"))
    numbering.insert(1, parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="81">'
                                  '<w:numStyleLink w:val="DanhSachMuc"/></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="81"><w:abstractNumId w:val="81"/></w:num>'))
    doc.styles.element.append(parse_xml(
        f'<w:style xmlns:w="{W}" w:type="numbering" w:styleId="DanhSachMuc"><w:name w:val="Danh sách mục"/>'
        '<w:pPr><w:numPr><w:numId w:val="80"/></w:numPr></w:pPr></w:style>'))
    for text in ("Đánh giá chung", "Nhiệm vụ"):
        _numbered(doc, text, "81")
    path = tmp_path / "kieu-danh-sach.docx"
    doc.save(path)
    assert read_docx(str(path)).lines[:2] == ["I.\tĐánh giá chung", "II.\tNhiệm vụ"]


def test_broken_pdf_is_refused_without_a_traceback(empty_archive, tmp_path, capsys):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    assert main(["import", str(path), "--docs-dir", str(empty_archive)]) == 2
    assert capsys.readouterr().err == (f"{path}: không nhập: không mở được tệp PDF (tệp hỏng hoặc có mật khẩu)\n")


@pytest.mark.programs
def test_an_original_no_notice_records_is_an_error_and_not_published(tmp_path, office_files):
    docs = make_archive(tmp_path, with_seed=False) / "notices"
    import_file(str(office_files["pdf"]), str(docs))
    stray = docs / "ubnd-tp-lang-son" / "2020" / "khong-ai-ghi.pdf"
    stray.write_bytes((docs / "ubnd-tp-lang-son" / "2020" / "124-tb-ubnd.pdf").read_bytes())
    archive = load_archive(str(docs))
    assert [p.format() for p in archive.errors] == [
        "notices/ubnd-tp-lang-son/2020/khong-ai-ghi.pdf:1: tệp bản gốc không thuộc thông báo nào: ghi nó vào trường "
        "'original' của thông báo cùng tên (notices import làm việc này) hoặc xóa tệp [ban-goc]"]
    assert archive.published_sources() == {"ubnd-tp-lang-son/2020/124-tb-ubnd.md",
                                           "ubnd-tp-lang-son/2020/124-tb-ubnd.pdf"}

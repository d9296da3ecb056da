"""notices import on the seed and every sample: what is read, what is left to the editor, what is refused."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import NOTICES, SEED, build, make_archive

from notice_archive.archive import load_archive
from notice_archive.cli import main
from notice_archive.importer import Refused, import_file, todo_lines

# Copies of ../shared/seeds and ../shared/samples, byte for byte (see tests/samples/README.md), so CI has them.
SAMPLES = Path(__file__).resolve().parent / "samples"
SEED_TXT = SAMPLES / "ubnd-tp-lang-son-2020-11-ket-luan-hop-thuong-ky.txt"
LAM_DONG = SAMPLES / "ubnd-tinh-lam-dong-2026-nonum-tb-ubnd-ketluan-cao-toc-gpmb-20260424.txt"
LAO_CAI = SAMPLES / "vp-ubnd-tinh-lao-cai-2026-nonum-tb-vp-ketluan-cum-cong-nghiep-20260619.txt"
HA_NOI = SAMPLES / "ubnd-tp-ha-noi-2026-453-tb-ubnd-20260429.txt"
GIAY_MOI = SAMPLES / "ubnd-tinh-lam-dong-2026-85-gm-ubnd-20260119.txt"


def front(text: str) -> dict:
    return yaml.load(text.split("---\n", 2)[1], Loader=yaml.BaseLoader)  # every scalar as written


def body(text: str) -> str:
    return text.split("---\n", 2)[2]


@pytest.fixture
def empty_archive(tmp_path: Path) -> Path:
    return make_archive(tmp_path, with_seed=False) / "notices"


def test_seed_is_read_verbatim_with_registry_keys_and_markers_for_the_blank_number_and_day(empty_archive):
    result = import_file(str(SEED_TXT), str(empty_archive))
    assert result.path == "notices/ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10.md"
    fm = front(result.text)
    assert fm["issuer"] == "ubnd-tp-lang-son"  # no header: from the series, the place and the body's wording
    assert fm["number"].startswith("TODO:") and fm["date"].startswith("TODO:")
    assert fm["status"] == "chua-so" and fm["place"] == "TP. Lạng Sơn"
    assert fm["title"] == "Kết luận cuộc họp UBND thành phố thường kỳ tháng 11/2020 (Ngày 10 tháng 11 năm 2020)"
    assert fm["meeting"] == {"date": "2020-11-10", "invitation": "464/GM-UBND", "invitation_date": "2020-11-06"}
    assert fm["chair"] == {"name": "Nguyễn Văn Hạnh", "title": "Chủ tịch UBND thành phố"}
    assert fm["signer"] == {"authority": ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"], "title": "PHÓ CHÁNH VĂN PHÒNG",
                            "name": "Hoàng Quân"}
    assert fm["recipients"][0] == "TT Thành ủy;" and fm["recipients"][-1] == "Lưu: VT." and len(fm["recipients"]) == 6
    presented = {k: v["presented_by"] for k, v in fm["items"].items()}
    assert presented == {"muc-1": "phong-tai-chinh-ke-hoach", "muc-2": "trung-tam-phat-trien-quy-dat",
                         "muc-3": "phong-kinh-te", "muc-4": "phong-quan-ly-do-thi", "muc-5": "phong-quan-ly-do-thi",
                         "muc-6": "phong-quan-ly-do-thi"}
    # The body is the hand-edited seed notice's body, word for word (the heading broken over two lines is joined,
    # the typo "nhệm vụ" is kept).
    assert body(result.text).strip() == body(SEED.read_text(encoding="utf-8")).strip()
    assert [f for _line, f, _hint in todo_lines(result)] == ["number", "date"]


@pytest.mark.build
def test_seed_once_the_markers_are_filled_validates_and_builds(empty_archive):
    result = import_file(str(SEED_TXT), str(empty_archive))
    path = empty_archive.parent / result.path
    archive = load_archive(str(empty_archive))
    assert {p.code for p in archive.errors} == {"chua-dien"}
    assert sorted(p.line for p in archive.errors) == [line for line, _f, _h in todo_lines(result)]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^number: "TODO:.*"$', "number: /TB-UBND", text)
    text = re.sub(r'(?m)^date: "TODO:.*"$', "date: 2020-11", text)
    path.write_text(text, encoding="utf-8")
    archive = load_archive(str(empty_archive))
    assert archive.errors == [], [p.format() for p in archive.errors]
    assert [n.url for n in archive.notices] == ["ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"]
    built = build(empty_archive.parent)
    assert built.returncode == 0, built.output
    assert 'id="muc-6"' in built.page("ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/")


def test_seed_against_the_real_archive_is_the_same_notice_in_another_rendering(tmp_path):
    docs = make_archive(tmp_path) / "notices"
    with pytest.raises(Refused, match=r"đã có trong kho: notices/ubnd-tp-lang-son/2020/2020-11-10-hop-thuong-ky-"
                                      r"thang-11\.md \(giống 100%\)"):
        import_file(str(SEED_TXT), str(docs), dry_run=True)


def test_same_document_twice_is_refused(empty_archive):
    import_file(str(LAM_DONG), str(empty_archive))
    with pytest.raises(Refused, match="đã có trong kho"):
        import_file(str(LAM_DONG), str(empty_archive))


def test_lam_dong_sections_items_points_footnote_and_unknown_issuer(empty_archive):
    result = import_file(str(LAM_DONG), str(empty_archive))
    assert result.path == "notices/ubnd-tinh-lam-dong/2026/chua-so-tb-ubnd-2026-04-24.md"
    fm = front(result.text)
    assert fm["issuer"].startswith("TODO:") and "ubnd-tinh-lam-dong" in fm["issuer"]
    assert "ubnd-tinh-lam-dong:" in result.emitted.registry_suggestion
    assert fm["place"] == "Lâm Đồng" and fm["meeting"] == {"date": "2026-04-24"}
    assert fm["title"].startswith("Kết luận của đồng chí Nguyễn Hồng Hải - Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ")
    assert fm["title"].endswith("về tiến độ GPMB tuyến cao tốc Tân Phú – Bảo Lộc")
    assert fm["chair"] == {"name": "Nguyễn Hồng Hải", "title": "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh"}
    assert fm["signer"]["authority"] == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"]
    assert fm["signer"]["name"] == "Nguyễn Ngọc Nam"
    assert fm["recipients"] == ["Chủ tịch, các PCT UBND tỉnh;", "Thành phần tham dự họp;", "LĐVP;",
                                "Lưu: VT, XDCT(Sơn)."]
    text = body(result.text)
    assert "## I. Đánh giá chung" in text and "## II. Nhiệm vụ, giải pháp trong thời gian tới" in text
    assert re.findall(r"(?m)^### (\d+)\.", text) == ["1", "2", "3", "4"]
    # Letter errors of the original are kept (d missing under 1, g before f under 4): the validator advises.
    assert re.findall(r"(?m)^([a-zđ])\)", text) == list("abce") + list("ab") + ["a", "b", "c", "d", "đ", "e", "g", "f"]
    assert "muc-4-dd" in fm["items"] and fm["items"]["muc-4-e"]["lead"][0].startswith("TODO:")
    assert "Tân Phú – Bảo Lộc[1]. Sau khi nghe" in text
    assert text.rstrip().endswith("Công ty TNHH Đầu tư đường cao tốc Tân Phú – Bảo Lộc.")
    assert "Km113+800" in text and unicodedata.is_normalized("NFC", result.text)
    assert any("Unicode NFC" in n for n in result.notes)


def test_lao_cai_office_series_and_direct_signature(empty_archive):
    result = import_file(str(LAO_CAI), str(empty_archive))
    assert result.path == "notices/vp-ubnd-tinh-lao-cai/2026/chua-so-tb-vp-2026-06-19.md"
    fm = front(result.text)
    assert fm["number"].startswith("TODO:") and "/TB-VP" in fm["number"]
    assert fm["place"] == "Lào Cai" and fm["meeting"]["date"] == "2026-06-19"
    assert fm["title"] == ("Kết luận của đồng chí Nguyễn Tuấn Anh - Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh "
                           "tại cuộc họp về tình hình triển khai các cụm công nghiệp trên địa bàn tỉnh")
    assert fm["signer"] == {"authority": [], "title": "CHÁNH VĂN PHÒNG", "name": "Lê Trí Hà"}
    assert len(fm["recipients"]) == 10 and fm["recipients"][-1] == "Lưu: VT, TH."
    assert list(fm["items"]) == [f"muc-{n}" for n in range(1, 10)]
    assert "'Sở Công Thương'" in fm["items"]["muc-1"]["lead"][0]
    assert "## II. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM VÀ PHÂN CÔNG TỔ CHỨC THỰC HIỆN" in result.text
    archive = load_archive(str(empty_archive))
    assert {p.code for p in archive.errors} == {"chua-dien"}  # only the markers, nothing else


@pytest.mark.parametrize(("sample", "reason"), [
    (GIAY_MOI, r"văn bản là Giấy mời \(85/GM-UBND\), không phải Thông báo"),
    (HA_NOI, r"Thông báo \(453/TB-UBND\) nhưng không phải thông báo kết luận: trích yếu 'Về việc treo cờ Tổ quốc'"),
])
def test_documents_that_are_not_notices_of_conclusions_are_refused(empty_archive, sample, reason):
    with pytest.raises(Refused, match=reason):
        import_file(str(sample), str(empty_archive))
    assert not any((empty_archive).rglob("*.md"))


def _variant(tmp_path: Path, name: str, change) -> Path:
    path = tmp_path / name
    path.write_text(change(SEED_TXT.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize(("change", "reason"), [
    (lambda t: t.replace("o", "\u043e"), "Kirin"),  # Cyrillic о for Latin o
    (lambda t: t.replace("ơ", "\u05e1"), "Kirin, Hy Lạp, Do Thái"),  # a Hebrew letter in place of ơ
    (lambda t: t.replace("thông báo", "th«ng b¸o").replace("kết luận", "kÕt luËn"), "TCVN3/VNI"),
    (lambda t: t.replace("Lạng Sơn", "Lạng Sơ\u0301\u0301n"), "dấu thanh đứng riêng"),
    (_strip_marks, "mất dấu tiếng Việt"),
])
def test_broken_text_layers_are_refused(empty_archive, tmp_path, change, reason):
    with pytest.raises(Refused, match=reason):
        import_file(str(_variant(tmp_path, "bad.txt", change)), str(empty_archive))


def test_cli_prints_the_list_for_the_editor_and_refuses_with_exit_code(empty_archive, capsys):
    code = main(["import", str(LAO_CAI), "--docs-dir", str(empty_archive)])
    err = capsys.readouterr().err
    assert code == 0
    assert "notices/vp-ubnd-tinh-lao-cai/2026/chua-so-tb-vp-2026-06-19.md:2: issuer:" in err
    assert "Gợi ý thêm vào notices/_registry/issuers.yml" in err and "- Lào Cai" in err
    assert main(["import", str(GIAY_MOI), "--docs-dir", str(empty_archive)]) == 2
    assert "không nhập: không phải thông báo kết luận" in capsys.readouterr().err


def test_dry_run_and_out_dir_write_nothing_into_the_archive(empty_archive, tmp_path, capsys):
    assert main(["import", str(SEED_TXT), "--docs-dir", str(empty_archive), "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("---\nissuer: ubnd-tp-lang-son\n")
    assert not any(empty_archive.rglob("*.md"))
    out = tmp_path / "out"
    assert main(["import", str(SEED_TXT), "--docs-dir", str(empty_archive), "--out-dir", str(out)]) == 0
    assert (out / "ubnd-tp-lang-son" / "2020" / "chua-so-tb-ubnd-2020-11-10.md").is_file()


@pytest.mark.parametrize(("name", "reason"), [
    ("old.doc", "tệp có đuôi .doc nhưng nội dung không phải DOC (các byte đầu không khớp); tệp hỏng hoặc bị đổi đuôi"),
    ("scan.pdf", "tệp có đuôi .pdf nhưng nội dung không phải PDF (các byte đầu không khớp); tệp hỏng hoặc bị đổi "
                 "đuôi"),
])
def test_truncated_files_are_refused(empty_archive, tmp_path, name, reason):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0")  # the first bytes of an old Word file, and nothing else
    with pytest.raises(Refused) as exc:
        import_file(str(path), str(empty_archive))
    assert str(exc.value) == reason


def test_a_folder_given_to_import_file_is_refused_with_the_command_to_use(empty_archive, tmp_path):
    with pytest.raises(Refused) as exc:
        import_file(str(tmp_path), str(empty_archive))
    assert str(exc.value) == "đây là một thư mục; dùng 'notices import THƯ-MỤC' để nhập mọi văn bản trong đó"


def test_real_registry_is_untouched(tmp_path):
    before = {p.name: p.read_bytes() for p in (NOTICES / "_registry").iterdir()}
    docs = make_archive(tmp_path, with_seed=False) / "notices"
    import_file(str(LAO_CAI), str(docs))
    assert {p.name: p.read_bytes() for p in (NOTICES / "_registry").iterdir()} == before
    shutil.rmtree(docs.parent)

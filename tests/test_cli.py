"""The editors' command: `notices validate [paths]` and `notices fix paths`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from notice_archive.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "validate"
BIN = Path(sys.executable).parent
SEED_REL = "ubnd-tp-lang-son/2020/2020-11-10-hop-thuong-ky-thang-11.md"


def archive(tmp: Path, files: dict[str, bytes]) -> Path:
    """A checkout-like folder: mkdocs.yml, notices/_registry, the seed and the given notices."""
    root = tmp / "repo"
    docs = root / "notices"
    shutil.copytree(ROOT / "notices" / "_registry", docs / "_registry")
    (docs / SEED_REL).parent.mkdir(parents=True)
    shutil.copy(ROOT / "notices" / SEED_REL, docs / SEED_REL)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    for rel, data in files.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(data)
    return root


def fixture(name: str) -> bytes:
    return (FIXTURES / name / "case.md").read_bytes()


GOOD = fixture("recipients-luu-vt-only").replace("Lưu: VT.".encode(), "Lưu: VT, VP.".encode())


@pytest.mark.programs
def test_validate_real_archive_exits_0() -> None:
    proc = subprocess.run([str(BIN / "notices"), "validate"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 lỗi" in proc.stderr


def test_validate_bad_archive_exits_1_and_prints_path_line_message(tmp_path, monkeypatch, capsys) -> None:
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/bad.md": fixture("number-no-leading-zero")})
    monkeypatch.chdir(root / "notices" / "ubnd-tp-lang-son")  # the archive is found from a subfolder
    assert main(["validate", "--today", "2020-12-01"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"notices/{SEED_REL}:25: [khuyến nghị] trường 'recipients' (phần tử thứ 6): 'Lưu: VT.' chỉ có VT, thiếu "
        "viết tắt đơn vị soạn thảo (Nghị định 30); giữ nguyên nếu bản gốc như vậy [noi-nhan]",
        "notices/ubnd-tp-lang-son/2020/bad.md:3: trường 'number': số '5' không đúng Nghị định 30: số nhỏ hơn 10 "
        "viết có số 0 đứng trước, tức 05/TB-UBND [so-ky-hieu]",
    ]
    assert err.strip() == "1 thông báo hợp lệ; 1 lỗi, 1 khuyến nghị"


def test_validate_advice_alone_exits_0(tmp_path, monkeypatch, capsys) -> None:
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/ok.md": GOOD})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2020-12-01"]) == 0
    assert "[khuyến nghị]" in capsys.readouterr().out


def test_validate_paths_filter_the_report(tmp_path, monkeypatch, capsys) -> None:
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/bad.md": fixture("number-no-leading-zero"),
                              "ubnd-tp-lang-son/2020/ok.md": GOOD,
                              "ubnd-tp-lang-son/2019/wrong.md": fixture("location-wrong-year").replace(b"15/", b"16/")})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2020-12-01", "notices/ubnd-tp-lang-son/2020/ok.md"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["validate", "--today", "2020-12-01", "notices/ubnd-tp-lang-son/2019"]) == 1
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == [
        "notices/ubnd-tp-lang-son/2019/wrong.md"]
    assert main(["validate", "--today", "2020-12-01", "notices/ubnd-tp-lang-son/2020/"]) == 1
    assert sorted({line.split(":")[0] for line in capsys.readouterr().out.splitlines()}) == [
        "notices/ubnd-tp-lang-son/2020/2020-11-10-hop-thuong-ky-thang-11.md", "notices/ubnd-tp-lang-son/2020/bad.md"]
    # Uniqueness is still checked against the whole archive when one file is named.
    (root / "notices/ubnd-tp-lang-son/2020/copy.md").write_bytes(GOOD)
    assert main(["validate", "--today", "2020-12-01", "notices/ubnd-tp-lang-son/2020/ok.md"]) == 1
    assert "[trung-so]" in capsys.readouterr().out


def test_validate_refuses_paths_it_cannot_check(tmp_path, monkeypatch, capsys) -> None:
    root = archive(tmp_path, {})
    monkeypatch.chdir(root)
    (root / "README.md").write_text("x", encoding="utf-8")
    assert main(["validate", "notices/ubnd-tp-lang-son/2020/khong-co.md", "README.md"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "notices/ubnd-tp-lang-son/2020/khong-co.md:1: không tìm thấy tệp hoặc thư mục này [duong-dan]"
    assert out[1].startswith("README.md:1: không nằm trong thư mục thông báo ")


def test_validate_github_format(tmp_path, monkeypatch, capsys) -> None:
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/bad.md": fixture("many-problems")})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2020-12-01", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"::warning file=notices/{SEED_REL},line=25::trường 'recipients'")
    assert lines[1] == ("::error file=notices/ubnd-tp-lang-son/2020/bad.md,line=2::thiếu trường bắt buộc 'place' — "
                        "địa danh ở dòng ngày tháng, ví dụ TP. Lạng Sơn [truong]")
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    assert len(lines) == 1 + len((FIXTURES / "many-problems" / "expected.txt").read_text().splitlines())


def test_fix_repairs_encoding_only_then_validate_passes(tmp_path, monkeypatch, capsys) -> None:
    clean = GOOD.decode("utf-8")
    nfd = unicodedata.normalize("NFD", clean)
    broken = b"\xef\xbb\xbf" + nfd.replace("\n", "\r\n").encode("utf-8")
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/x.md": broken})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2020-12-01", "notices/ubnd-tp-lang-son/2020/x.md"]) == 1
    codes = {line.rsplit(" ", 1)[-1] for line in capsys.readouterr().out.splitlines()}
    assert {"[bom]", "[crlf]", "[nfc]"} <= codes
    assert main(["fix", "notices/ubnd-tp-lang-son/2020/x.md"]) == 0
    assert "đã chuẩn hóa" in capsys.readouterr().out
    assert (root / "notices/ubnd-tp-lang-son/2020/x.md").read_bytes() == clean.encode("utf-8")  # wording unchanged
    assert main(["validate", "--today", "2020-12-01", "notices/ubnd-tp-lang-son/2020/x.md"]) == 0
    # A clean file (and a folder of them) is left alone.
    seed = root / "notices" / SEED_REL
    before = seed.stat().st_mtime_ns
    assert main(["fix", "notices/"]) == 0
    assert seed.stat().st_mtime_ns == before
    assert "0 tệp được sửa" in capsys.readouterr().err


def test_fix_does_not_guess_an_unknown_encoding(tmp_path, monkeypatch, capsys) -> None:
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/x.md": fixture("file-not-utf8")})
    monkeypatch.chdir(root)
    before = (root / "notices/ubnd-tp-lang-son/2020/x.md").read_bytes()
    assert main(["fix", "notices/ubnd-tp-lang-son/2020/x.md"]) == 1
    assert capsys.readouterr().err.startswith("notices/ubnd-tp-lang-son/2020/x.md:18: tệp không phải UTF-8")
    assert (root / "notices/ubnd-tp-lang-son/2020/x.md").read_bytes() == before


def test_validate_with_docs_dir_reports_the_files_it_names(tmp_path, monkeypatch, capsys) -> None:
    """Problems and the paths given are shown from the same root (here dd/docs/…, not notices/…)."""
    root = archive(tmp_path, {"ubnd-tp-lang-son/2020/bad.md": fixture("number-no-leading-zero")})
    (tmp_path / "dd").mkdir()
    (root / "notices").rename(tmp_path / "dd" / "docs")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--today", "2020-12-01", "--docs-dir", "dd/docs",
                 "dd/docs/ubnd-tp-lang-son/2020/bad.md"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("dd/docs/ubnd-tp-lang-son/2020/bad.md:3: trường 'number'")
    assert "1 lỗi" in err
    monkeypatch.chdir(tmp_path / "dd" / "docs" / "ubnd-tp-lang-son")  # from inside: the folder's own name
    assert main(["validate", "--today", "2020-12-01", "--docs-dir", "..", "2020/bad.md"]) == 1
    assert capsys.readouterr().out.startswith("docs/ubnd-tp-lang-son/2020/bad.md:3: ")


def test_validate_runs_the_permanence_check_of_the_build(tmp_path, monkeypatch, capsys) -> None:
    """Renumbering a published item fails `notices validate` as it fails the build, at the notice's heading."""
    seed = (ROOT / "notices" / SEED_REL).read_text(encoding="utf-8")
    assert "\n### 6. " in seed and "  muc-6:\n" in seed
    root = archive(tmp_path, {})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2020-12-01"]) == 0
    capsys.readouterr()
    renumbered = seed.replace("\n### 6. ", "\n### 7. ").replace("  muc-6:\n", "  muc-7:\n")
    (root / "notices" / SEED_REL).write_text(renumbered, encoding="utf-8")
    heading = renumbered.split("\n").index(next(line for line in renumbered.split("\n") if line.startswith("### 7.")))
    assert main(["validate", "--today", "2020-12-01"]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if "[neo-mat]" in line]
    manifest = (root / "notices/_registry/published-urls.txt").read_text(encoding="utf-8").split("\n")
    listed = next(i for i, line in enumerate(manifest, 1) if line.startswith("ubnd-tp-lang-son/2020/chua-so-"))
    assert out == [f"notices/{SEED_REL}:{heading + 1}: neo đã công bố /ubnd-tp-lang-son/2020/chua-so-tb-ubnd-"
                   "2020-11-10/#muc-6 không còn (mục hoặc điểm bị xóa hay đánh số lại); ghi ở "
                   f"notices/_registry/published-urls.txt:{listed} [neo-mat]"]
    # A notice deleted: its URL is reported at its line of the list (the file is gone).
    (root / "notices" / SEED_REL).unlink()
    assert main(["validate", "--today", "2020-12-01"]) == 1
    assert f"notices/_registry/published-urls.txt:{listed}: địa chỉ đã công bố /ubnd-tp-lang-son/2020/chua-so-" \
        in capsys.readouterr().out


def test_fix_reports_a_missing_file_without_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "missing.md"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "missing.md:1: không tìm thấy tệp này"


@pytest.mark.parametrize("argv", [["validate", "--today", "2020-13-01"], ["fix"], []])
def test_bad_arguments_exit_2(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


ENGLISH = ("usage:", "positional arguments", "options:", "show this help message and exit", "error:",
           "the following arguments are required", "invalid choice", "choose from", "unrecognized arguments",
           "invalid fromisoformat value", "expected one argument")


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["fix", "--help"], ["manifest", "--help"],
                                  ["import", "--help"], ["new", "--help"]])
def test_help_of_every_command_is_vietnamese(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert out.startswith("cách dùng: notices") and "tùy chọn:" in out
    assert "-h, --help" in out and "in hướng dẫn này rồi thoát" in out
    assert not [word for word in ENGLISH if word in out], out


def test_top_level_help_lists_the_commands_in_vietnamese(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "\nlệnh:\n  LỆNH\n    validate  kiểm tra thông báo" in out
    assert "import    nhập thông báo kết luận từ tệp PDF, Word (.docx, .doc), văn bản" in out


@pytest.mark.parametrize(("argv", "message"), [
    ([], "notices: lỗi: thiếu tham số bắt buộc: LỆNH"),
    (["import"], "notices import: lỗi: thiếu tham số bắt buộc: TỆP"),
    (["new"], "notices new: lỗi: thiếu tham số bắt buộc: --issuer"),
    (["xuat"], "notices: lỗi: tham số LỆNH: lựa chọn không hợp lệ: 'xuat' (chọn một trong: 'validate', 'fix', "
               "'manifest', 'import', 'new')"),
    (["validate", "--format", "html"], "notices validate: lỗi: tham số --format: lựa chọn không hợp lệ: 'html' "
                                       "(chọn một trong: 'text', 'github')"),
    (["validate", "--today", "2020-13-01"], "notices validate: lỗi: tham số --today: giá trị không hợp lệ "
                                            "(fromisoformat): '2020-13-01'"),
    (["validate", "--docs-dir"], "notices validate: lỗi: tham số --docs-dir: cần một giá trị"),
    (["fix", "a.md", "--khong-co"], "notices: lỗi: tham số không nhận ra: --khong-co"),
])
def test_argparse_errors_are_vietnamese(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert err.startswith("cách dùng: notices") and err.rstrip().endswith(message), err
    assert not [word for word in ENGLISH if word in err], err

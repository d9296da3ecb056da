"""notices new: a skeleton with front matter from the registries, the next free number, and TODO markers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import make_archive, minimal_notice

from notice_archive.archive import load_archive
from notice_archive.cli import main
from notice_archive.scaffold import ScaffoldError, scaffold, write

NUMBERED = minimal_notice()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return make_archive(tmp_path, {"ubnd-tp-lang-son/2020/123.md": NUMBERED}) / "notices"


def test_next_free_number_of_the_year_is_suggested_at_the_right_path(docs):
    sc = scaffold(str(docs), "ubnd-tp-lang-son", dt.date(2020, 12, 1))
    assert sc.number == 124 and sc.path == "notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md"
    assert "\nnumber: 124/TB-UBND" in sc.text and "\nplace: TP. Lạng Sơn\n" in sc.text
    other_year = scaffold(str(docs), "ubnd-tp-lang-son", dt.date(2021, 1, 5))
    assert other_year.number == 1 and "\nnumber: 01/TB-UBND" in other_year.text  # Decree 30: two digits


def test_skeleton_fails_validation_until_filled_then_passes(docs):
    sc = scaffold(str(docs), "ubnd-tp-lang-son", dt.date(2020, 12, 1))
    path = Path(write(str(docs), sc))
    errors = [p for p in load_archive(str(docs), today=dt.date(2021, 1, 1)).errors if p.path == sc.path]
    assert {p.code for p in errors} == {"chua-dien"}
    assert {p.message.split("'")[1] for p in errors if p.message.startswith("trường")} == {
        "title", "meeting.date", "chair.name", "chair.title", "signer.title", "signer.name", "recipients"}
    assert any(p.message.startswith("nội dung còn dòng chờ") for p in errors)
    filled = {"title": "Kết luận họp giao ban", "meeting.date": "2020-11-30", "chair.name": "Nguyễn Văn Hạnh",
              "chair.title": "Chủ tịch UBND thành phố", "signer.title": "CHỦ TỊCH", "signer.name": "Nguyễn Văn Hạnh"}
    text = path.read_text(encoding="utf-8")
    for key, value in filled.items():
        text = re.sub(rf'(?m)^(\s*){key.split(".")[-1]}: "TODO:[^"]*"', rf"\g<1>{key.split('.')[-1]}: {value}",
                      text, count=1)
    text = re.sub(r'(?m)^  - "TODO:[^"]*"\n', "  - TT Thành ủy;\n", text)
    text = re.sub(r"(?m)^TODO:.*$", "Ngày 30/11/2020, UBND thành phố họp giao ban.", text)
    path.write_text(text, encoding="utf-8")
    archive = load_archive(str(docs), today=dt.date(2021, 1, 1))
    assert archive.errors == [], [p.format() for p in archive.errors]
    assert "ubnd-tp-lang-son/2020/124-tb-ubnd/" in [n.url for n in archive.notices]


def test_unknown_issuer_and_series_are_refused_with_a_suggestion(docs):
    with pytest.raises(ScaffoldError, match="có phải ý bạn là 'ubnd-tp-lang-son'"):
        scaffold(str(docs), "ubnd-tp-lang-sn", dt.date(2020, 12, 1))
    with pytest.raises(ScaffoldError, match="không thuộc các loạt số"):
        scaffold(str(docs), "ubnd-tp-lang-son", dt.date(2020, 12, 1), series="TB-VP")


def test_cli_writes_once_and_never_overwrites(docs, capsys):
    args = ["new", "--issuer", "ubnd-tp-lang-son", "--date", "2020-12-01", "--docs-dir", str(docs)]
    assert main(args) == 0
    assert (docs / "ubnd-tp-lang-son" / "2020" / "124-tb-ubnd.md").is_file()
    assert "đã tạo notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md" in capsys.readouterr().err
    # The file now holds 124, so the next suggestion is 125: no overwrite, no reuse of a number.
    assert main(args + ["--dry-run"]) == 0
    assert "\nnumber: 125/TB-UBND" in capsys.readouterr().out

"""The validator beyond single-rule fixtures: signer chains, registries, the archive as a whole, the real archive."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from notice_archive.archive import load_archive
from notice_archive.notice_check import inspect_notice
from notice_archive.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2020, 12, 1)
GOOD = (Path(__file__).resolve().parent / "fixtures" / "validate" / "signer-kt-not-deputy" / "case.md") \
    .read_text(encoding="utf-8") \
    .replace("  authority: [KT. CHỦ TỊCH]\n  title: CHÁNH VĂN PHÒNG\n",
             "  authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]\n  title: PHÓ CHÁNH VĂN PHÒNG\n")
PATH = "notices/ubnd-tp-lang-son/2020/x.md"


@pytest.fixture(scope="module")
def registry():
    reg, problems = load_registry(str(ROOT / "notices"))
    assert problems == []
    return reg


def check(registry, text: str, today: dt.date = TODAY):
    checked = inspect_notice(PATH, "ubnd-tp-lang-son/2020/x.md", text.encode("utf-8"), registry, today)
    return checked.notice, checked.problems


def test_the_good_notice_is_good(registry) -> None:
    notice, problems = check(registry, GOOD)
    assert problems == []
    assert notice is not None
    assert notice.url == "ubnd-tp-lang-son/2020/15-tb-ubnd/"
    assert notice.number == 15 and notice.series == "TB-UBND" and notice.status == "ban-hanh"
    assert [i.anchor for i in notice.items] == ["muc-1"]
    assert notice.items[0].presented_by == "phong-quan-ly-do-thi"


SIGNER = "  authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]\n  title: PHÓ CHÁNH VĂN PHÒNG\n"


@pytest.mark.parametrize(("authority", "title"), [
    ("[]", "CHỦ TỊCH"),
    ("[TM. ỦY BAN NHÂN DÂN]", "CHỦ TỊCH"),
    ("[KT. CHỦ TỊCH]", "PHÓ CHỦ TỊCH"),
    ("[Q. CHỦ TỊCH]", "PHÓ CHỦ TỊCH"),
    ("[TL. CHỦ TỊCH]", "CHÁNH VĂN PHÒNG"),
    ("[TUQ. CHỦ TỊCH]", "CHÁNH VĂN PHÒNG"),
    ("[TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH]", "PHÓ CHỦ TỊCH"),
    ("[TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]", "PHÓ CHÁNH VĂN PHÒNG"),
])
def test_allowed_signer_chains(registry, authority: str, title: str) -> None:
    notice, problems = check(registry, GOOD.replace(SIGNER, f"  authority: {authority}\n  title: {title}\n"))
    assert problems == []
    assert notice is not None


@pytest.mark.parametrize("authority", [
    "[KT. CHỦ TỊCH, TL. CHÁNH VĂN PHÒNG]",
    "[TM. ỦY BAN NHÂN DÂN, TL. CHỦ TỊCH]",
    "[TM. ỦY BAN NHÂN DÂN, TM. CHỦ TỊCH]",
    "[KT. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]",
    "[TUQ. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]",
    "[Q. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]",
    "[TL. CHỦ TỊCH, TUQ. CHÁNH VĂN PHÒNG]",
    "[TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH, TL. CHÁNH VĂN PHÒNG]",
])
def test_refused_signer_chains(registry, authority: str) -> None:
    notice, problems = check(registry, GOOD.replace(SIGNER, f"  authority: {authority}\n  title: PHÓ CHỦ TỊCH\n"))
    assert notice is None
    assert [(p.line, p.code, p.severity) for p in problems] == [(16, "tham-quyen", "error")]
    assert "không hợp lệ" in problems[0].message and "TL. rồi KT." in problems[0].message


@pytest.mark.parametrize("part", ["TL CHỦ TỊCH", "T.L. CHỦ TỊCH", "tl. CHỦ TỊCH", "TL.CHỦ TỊCH", "TL.", "CHỦ TỊCH"])
def test_malformed_authority(registry, part: str) -> None:
    _notice, problems = check(registry, GOOD.replace(SIGNER, f"  authority: ['{part}']\n  title: CHỦ TỊCH\n"))
    assert [(p.line, p.code) for p in problems] == [(16, "tham-quyen")]
    assert problems[0].message.startswith(f"trường 'signer.authority' (phần tử thứ 1): '{part}' không đúng dạng")


def test_advice_does_not_stop_the_notice_from_being_published(registry) -> None:
    notice, problems = check(registry, GOOD.replace('"Lưu: VT, VP."', '"Lưu: VT."'))
    assert [p.severity for p in problems] == ["advice"]
    assert notice is not None


def test_nothing_is_silently_accepted_when_a_field_is_broken(registry) -> None:
    """A wrong field yields no notice (never a defaulted one), and the other fields are still checked."""
    notice, problems = check(registry, GOOD.replace("title: Kết luận cuộc họp thử\n", "")
                             .replace("15/TB-UBND", "5/TB-UBND"))
    assert notice is None
    assert [(p.line, p.code) for p in problems] == [(2, "truong"), (3, "so-ky-hieu")]


def test_html_over_several_lines_is_reported_where_it_starts(registry) -> None:
    """The reviewer's cases, in the body and nowhere else: a line-by-line check let them through."""
    for html, line in [("Văn bản <img src=x\nonerror=alert(1)>", 34), ("<script\nsrc=x.js></script>", 34),
                       ("Chú thích <!-- một\nhai\nba -->", 34), ("<a\nhref=x>đây</a>", 34)]:
        _notice, problems = check(registry, GOOD.replace("***\n", f"{html}\n\n***\n"))
        assert (line, "html") in [(p.line, p.code) for p in problems], html
    # Not HTML: comparisons, autolinks over one line, '<' followed by a space.
    text = "Tỷ lệ 1 < 2 và a <b\n\nchỉ là chữ; <https://example.com>\n"
    assert check(registry, GOOD.replace("***\n", f"{text}\n***\n"))[1] == []
def test_future_is_relative_to_today(registry) -> None:
    assert check(registry, GOOD, today=dt.date(2020, 11, 12))[1] == []
    _notice, problems = check(registry, GOOD, today=dt.date(2020, 11, 11))
    assert [(p.line, p.code) for p in problems] == [(5, "ngay")]


def make_archive(tmp: Path, files: dict[str, str]) -> Path:
    docs = tmp / "notices"
    shutil.copytree(ROOT / "notices" / "_registry", docs / "_registry")
    for rel, text in files.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    return docs


def test_only_limits_the_report_not_the_uniqueness_check(tmp_path: Path) -> None:
    other = GOOD.replace("title: Kết luận cuộc họp thử", "title: Khác")
    docs = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/a.md": GOOD, "ubnd-tp-lang-son/2020/b.md": other,
                                   "ubnd-tp-lang-son/2020/c.md": "---\n"})
    full = load_archive(str(docs), today=TODAY)
    assert [(p.path, p.code) for p in full.errors] == [
        ("notices/ubnd-tp-lang-son/2020/b.md", "trung-so"), ("notices/ubnd-tp-lang-son/2020/c.md", "front-matter-dong")]
    only_b = load_archive(str(docs), today=TODAY, only=["notices/ubnd-tp-lang-son/2020/b.md"])
    assert [(p.path, p.code) for p in only_b.problems] == [("notices/ubnd-tp-lang-son/2020/b.md", "trung-so")]
    only_a = load_archive(str(docs), today=TODAY, only=["notices/ubnd-tp-lang-son/2020/a.md"])
    assert only_a.problems == []
    assert [n.src_uri for n in full.notices] == ["ubnd-tp-lang-son/2020/a.md"]


def test_a_notice_with_other_errors_still_claims_its_number(tmp_path: Path) -> None:
    broken = GOOD.replace("place: TP. Lạng Sơn\n", "")
    docs = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/a.md": broken, "ubnd-tp-lang-son/2020/b.md": GOOD})
    problems = load_archive(str(docs), today=TODAY).problems
    assert [(p.path[-4:], p.line, p.code) for p in problems] == [("a.md", 2, "truong"), ("b.md", 3, "trung-so")]


def test_same_number_in_another_year_or_series_is_fine(tmp_path: Path) -> None:
    next_year = (GOOD.replace("2020-11-12", "2021-01-12").replace("2020-11-10", "2021-01-10")
                 .replace("2020-11-06", "2021-01-06"))
    docs = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/a.md": GOOD, "ubnd-tp-lang-son/2021/a.md": next_year})
    archive = load_archive(str(docs), today=dt.date(2021, 2, 1))
    assert archive.problems == []
    assert [n.url for n in archive.notices] == ["ubnd-tp-lang-son/2020/15-tb-ubnd/", "ubnd-tp-lang-son/2021/15-tb-ubnd/"]


def test_registry_problems_point_at_the_registry_line(tmp_path: Path) -> None:
    docs = make_archive(tmp_path, {})
    departments = docs / "_registry" / "departments.yml"
    departments.write_text(departments.read_text(encoding="utf-8") + (
        "phong-moi:\n  name: Phòng Mới\n  issuer: ubnd-tp-lang-sonn\n  kind: phong\n"
        "phong-sai:\n  name: Phòng Sai\n  issuer: ubnd-tp-lang-son\n  kind: phòng\n"), encoding="utf-8")
    issuers = docs / "_registry" / "issuers.yml"
    issuers.write_text(issuers.read_text(encoding="utf-8") + (
        "don-vi:\n  name: X\n  short_name: X\n  body: X\n  series: [TB-X]\n  places: [X]\n"), encoding="utf-8")
    (docs / "_registry" / "projects.yml").unlink()
    lines = departments.read_text(encoding="utf-8").split("\n")
    moi, sai = lines.index("phong-moi:") + 1, lines.index("phong-sai:") + 1
    don_vi = issuers.read_text(encoding="utf-8").split("\n").index("don-vi:") + 1
    problems = load_archive(str(docs), today=TODAY).problems
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("notices/_registry/departments.yml", moi + 2, "khoa-la"),  # at the 'issuer' line
        ("notices/_registry/departments.yml", sai + 3, "truong"),
        ("notices/_registry/issuers.yml", don_vi, "khoa-danh-rieng"),
        ("notices/_registry/projects.yml", 1, "danh-muc"),
    ]
    assert "có phải ý bạn là 'ubnd-tp-lang-son'?" in problems[0].message
    assert "cần 'phong' hoặc 'so' hoặc" in problems[1].message


def test_registry_keys_and_references_are_checked_each_at_its_line(tmp_path: Path) -> None:
    """Keys become URLs (/don-vi/<key>/): the key pattern and 'index' (don-vi/index.md) are refused; a successor,
    predecessor or project lead that does not exist would crash the page templates."""
    docs = make_archive(tmp_path, {})
    departments = docs / "_registry" / "departments.yml"
    departments.write_text(departments.read_text(encoding="utf-8") + (
        "Phòng Nội vụ:\n  name: Phòng Nội vụ\n  issuer: ubnd-tp-lang-son\n  kind: phong\n"
        "index:\n  name: Phòng Index\n  issuer: ubnd-tp-lang-son\n  kind: phong\n"
        "phong-cu:\n  name: Phòng Cũ\n  issuer: ubnd-tp-lang-son\n  kind: phong\n"
        "  successor: phong-quan-ly-do-thii\n  predecessors: [phong-kinh-te, phong-khong-co]\n"), encoding="utf-8")
    projects = docs / "_registry" / "projects.yml"
    projects.write_text(projects.read_text(encoding="utf-8") + (
        "du-an-moi:\n  name: Dự án mới\n  lead: phong-tai-chinh\n"), encoding="utf-8")
    dep_lines = departments.read_text(encoding="utf-8").split("\n")
    proj_lines = projects.read_text(encoding="utf-8").split("\n")
    problems = load_archive(str(docs), today=TODAY).problems
    assert [(p.path.rsplit("/", 1)[1], p.line, p.code) for p in problems] == [
        ("departments.yml", dep_lines.index("Phòng Nội vụ:") + 1, "khoa-sai-dang"),
        ("departments.yml", dep_lines.index("index:") + 1, "khoa-danh-rieng"),
        ("departments.yml", dep_lines.index("  successor: phong-quan-ly-do-thii") + 1, "khoa-la"),
        ("departments.yml", dep_lines.index("  predecessors: [phong-kinh-te, phong-khong-co]") + 1, "khoa-la"),
        ("projects.yml", proj_lines.index("  lead: phong-tai-chinh") + 1, "khoa-la"),
    ]
    assert "ví dụ 'phong-noi-vu'" in problems[0].message
    assert "có phải ý bạn là 'phong-quan-ly-do-thi'?" in problems[2].message
    assert "'predecessors' (phần tử thứ 2) 'phong-khong-co'" in problems[3].message
    assert "có phải ý bạn là 'phong-tai-chinh-ke-hoach'?" in problems[4].message


POINTS = GOOD.replace("  muc-1:\n", "  muc-1-a:\n    lead: [phong-tai-chinh-ke-hoach]\n    deadlines:\n"
                      "      - {date: 2020-12-31, text: trước ngày 31/12/2020}\n  muc-1:\n").replace(
    "Giao Phòng Quản lý đô thị thực hiện.\n",
    "Giao Phòng Quản lý đô thị thực hiện.\n\na) Về kinh phí:\n- Giao Phòng Tài chính - Kế hoạch\n"
    "tham mưu, hoàn thành trước ngày 31/12/2020.\n\nĐoạn thứ hai của điểm a.\n\nb) Điểm khác.\n")


def test_a_point_is_all_its_lines_up_to_the_next_point(registry) -> None:
    """Departments and deadlines named in a point's later lines or '- ' sub-items belong to the point."""
    notice, problems = check(registry, POINTS)
    assert problems == []
    assert notice is not None
    a, b = notice.items[0].points
    assert a.text == ("Về kinh phí:\n- Giao Phòng Tài chính - Kế hoạch\ntham mưu, hoàn thành trước ngày 31/12/2020."
                      "\n\nĐoạn thứ hai của điểm a.")
    assert b.text == "Điểm khác."
    # The point ends at the next item too: text after it is not the point's.
    _notice, problems = check(registry, POINTS.replace("\nb) Điểm khác.\n", "\n### 2. Mục sau\n\nNội dung.\n")
                              .replace("  muc-1:\n", "  muc-2: {}\n  muc-1:\n"))
    assert problems == []


def test_the_real_archive_has_no_errors() -> None:
    archive = load_archive(str(ROOT / "notices"))
    assert archive.errors == []
    assert len(archive.notices) == len(list((ROOT / "notices").glob("*/*/*.md")))
    seed = next(n for n in archive.notices if n.src_uri.endswith("2020-11-10-hop-thuong-ky-thang-11.md"))
    assert seed.url == "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
    assert [i.anchor for i in seed.items] == [f"muc-{n}" for n in range(1, 7)]


def test_a_chain_of_links_to_a_broken_one_is_refused_link_by_link_in_one_pass_each(tmp_path, monkeypatch):
    # A notice with a broken link leaves the site, so a link to it breaks in turn: each notice of a chain is refused
    # at its link's line. Each round after the first reads only the links into what the last one removed (a chain
    # of n notices costs ~2n link checks, not n²/2: a pull request cannot make the build quadratic).
    from conftest import make_archive, minimal_notice

    from notice_archive import archive_rules

    n = 40
    notices = {f"ubnd-tp-lang-son/2020/tb-{i}.md": minimal_notice(
        number=f"{i:02d}/TB-UBND", body=f"Xem [tiếp]({f'tb-{i + 1}.md' if i < n else 'khong-co.md'}).")
        for i in range(1, n + 1)}
    docs = make_archive(tmp_path, notices, with_seed=False) / "notices"
    calls = []
    check = archive_rules._link_target_problem
    monkeypatch.setattr(archive_rules, "_link_target_problem", lambda *a: calls.append(a) or check(*a))
    archive = load_archive(str(docs), today=TODAY)
    broken = sorted((p.path, p.line) for p in archive.problems if p.code == "lien-ket-hong")
    line = minimal_notice(body="@").split("\n").index("@") + 1
    assert broken == sorted((f"notices/{rel}", line) for rel in notices)
    assert archive.notices == [] and len(calls) <= 2 * n

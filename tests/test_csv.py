"""Open data as CSV: read back by the csv module, every cell equals the JSON export it comes from; formula-looking
cells are neutralised (OWASP CSV injection) and the file opens in Excel as UTF-8 (byte-order mark)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import make_archive, minimal_notice
from test_export import ISSUED

from notice_archive.export import (
    FORMULA_START,
    ITEM_COLUMNS,
    NOTICE_COLUMNS,
    SEP,
    csv_safe,
    export_files,
)
from notice_archive.site import Site
from notice_archive.urls import ARCHIVE_PATH, ITEMS_CSV_PATH, NOTICES_CSV_PATH

# A notice whose title and an item's heading a spreadsheet would run as formulas.
HOSTILE = {"ubnd-tp-lang-son/2020/2020-12-10-so-06.md": minimal_notice(
    number="06/TB-UBND", date="2020-12-10", meeting="2020-12-09",
    title="'=HYPERLINK(\"http://x.example/\",\"Bấm\")'",
    extra=("items:\n  muc-1:\n    lead: [phong-kinh-te]\n    cooperating: [phong-quan-ly-do-thi]\n"
           "    deadlines:\n      - date: 2020-12-28\n        text: trước ngày 28/12/2020\n"),
    body=("### 1. @SUM(1+1) - Phòng Kinh tế trình\n\nGiao Phòng Kinh tế xử lý, Phòng Quản lý đô thị phối hợp, "
          "báo cáo trước ngày 28/12/2020.\n\n***\n\nTrên đây là kết luận./."))}


def read_csv(text: str) -> list[dict[str, str]]:
    """As a reader of the data would: BOM skipped, the apostrophe before a formula character dropped."""
    assert text.startswith("\ufeff"), "UTF-8 with a byte-order mark (Excel)"
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    return [{k: v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_START) else v for k, v in row.items()}
            for row in rows]


def cell(value: object) -> str:
    return "" if value is None else str(value)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = make_archive(tmp_path_factory.mktemp("csv"), {**ISSUED, **HOSTILE})
    site = Site.load(str(root / "notices"))
    assert not [p for p in site.problems if p.severity == "error"], site.problems
    files = export_files(site.archive.notices, site.registry, "https://thongbao.example.vn/")
    return files, json.loads(files[ARCHIVE_PATH]), site.registry


def test_notices_csv_read_back_equals_the_json(exported):
    files, archive, _ = exported
    rows = read_csv(files[NOTICES_CSV_PATH])
    assert list(rows[0]) == list(NOTICE_COLUMNS)
    assert len(rows) == len(archive["notices"]) == 3
    for row, n in zip(rows, archive["notices"], strict=True):
        assert row == {
            "path": n["link"]["path"], "url": n["link"]["url"], "json_path": n["json_link"]["path"],
            "source": n["source"], "issuer": n["issuer"], "issuer_name": n["issuer_name"], "number": cell(n["number"]),
            "number_text": n["number_text"], "series": n["series"], "status": n["status"],
            "status_label": n["status_label"], "date": n["date"], "place": n["place"], "title": n["title"],
            "meeting_date": n["meeting"]["date"], "meeting_invitation": cell(n["meeting"]["invitation"]),
            "chair_name": n["chair"]["name"], "chair_title": n["chair"]["title"],
            "signer_title": n["signer"]["title"], "signer_name": n["signer"]["name"],
            "departments": SEP.join(n["departments"]), "projects": SEP.join(n["projects"]),
            "items": str(len(n["items"]))}


def test_items_csv_has_one_row_per_item_equal_to_the_json(exported):
    files, archive, registry = exported
    rows = read_csv(files[ITEMS_CSV_PATH])
    assert list(rows[0]) == list(ITEM_COLUMNS)
    items = [(n, i) for n in archive["notices"] for i in n["items"]]
    assert len(rows) == len(items) == 2 + 6 + 1  # 05/TB-UBND, the seed, 06/TB-UBND
    for row, (n, i) in zip(rows, items, strict=True):
        parts = [i, *i["points"]]

        def keys(field: str, parts: list = parts) -> list[str]:
            return list(dict.fromkeys(k for p in parts for k in p[field]))

        deadlines = [d for p in parts for d in p["deadlines"]]
        assert row == {
            "path": i["link"]["path"], "url": i["link"]["url"], "notice_path": n["link"]["path"],
            "notice_number_text": n["number_text"], "notice_date": n["date"], "issuer": n["issuer"],
            "section": cell(i["section"]), "number": str(i["number"]), "anchor": i["anchor"], "heading": i["heading"],
            "presented_by": cell(i["presented_by"]),
            "presented_by_name": registry.departments[i["presented_by"]].name if i["presented_by"] else "",
            "lead": SEP.join(keys("lead")), "lead_names": SEP.join(registry.departments[k].name for k in keys("lead")),
            "cooperating": SEP.join(keys("cooperating")),
            "cooperating_names": SEP.join(registry.departments[k].name for k in keys("cooperating")),
            "projects": SEP.join(keys("projects")),
            "project_names": SEP.join(registry.projects[k].name for k in keys("projects")),
            "deadlines": SEP.join(d["due"] for d in deadlines), "deadline_texts": SEP.join(d["text"] for d in deadlines),
            "text": i["text"]}
    hostile = next(r for r in rows if r["notice_number_text"] == "06/TB-UBND")
    assert (hostile["deadlines"], hostile["deadline_texts"]) == ("2020-12-28", "trước ngày 28/12/2020")
    assert hostile["cooperating_names"] == "Phòng Quản lý đô thị"
    # A point's lead is in its item's row (05/TB-UBND, II.1: only point a) names Phòng Kinh tế).
    chợ_đêm = next(r for r in rows if r["anchor"] == "phan-2-muc-1" and r["notice_number_text"] == "05/TB-UBND")
    assert chợ_đêm["lead"] == "phong-kinh-te"


def test_formula_cells_are_neutralised_in_the_file(exported):
    files, _, _ = exported
    raw = list(csv.reader(io.StringIO(files[NOTICES_CSV_PATH][1:], newline="")))
    title = raw[0].index("title")
    hostile = next(r for r in raw[1:] if r[raw[0].index("number_text")] == "06/TB-UBND")
    assert hostile[title] == "'=HYPERLINK(\"http://x.example/\",\"Bấm\")"
    items = list(csv.reader(io.StringIO(files[ITEMS_CSV_PATH][1:], newline="")))
    headings = [r[items[0].index("heading")] for r in items[1:]]
    assert "'@SUM(1+1) - Phòng Kinh tế trình" in headings
    for row in [*raw, *items]:
        for value in row:
            assert not value.startswith(FORMULA_START), value


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-5", "@cmd", "\tx", "\rx"])
def test_every_formula_start_gets_an_apostrophe(text: str) -> None:
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value,expected", [(None, ""), (5, "5"), ("Phòng Kinh tế", "Phòng Kinh tế"),
                                            ("a=b", "a=b"), ("'=x", "'=x")])
def test_other_cells_are_unchanged(value: object, expected: str) -> None:
    assert csv_safe(value) == expected

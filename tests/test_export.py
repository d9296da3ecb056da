"""Open data: the JSON export validates against its published schema and agrees with the built site."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import build, make_archive

from notice_archive.export import ARCHIVE_PATH, ARCHIVE_SCHEMA_PATH, NOTICE_SCHEMA_PATH, VERSION, export_files
from notice_archive.site import Site

pytestmark = pytest.mark.build

# An issued notice with sections whose item numbers restart, and points (including đ): every kind of anchor.
ISSUED = {"ubnd-tp-lang-son/2020/2020-12-03-so-05.md": """
    ---
    issuer: ubnd-tp-lang-son
    number: 05/TB-UBND
    status: ban-hanh
    date: 2020-12-03
    place: TP. Lạng Sơn
    title: Kết luận của Chủ tịch UBND thành phố tại buổi kiểm tra công trình
    meeting:
      date: 2020-12-01
    chair:
      name: Nguyễn Văn Hạnh
      title: Chủ tịch UBND thành phố
    signer:
      authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]
      title: PHÓ CHÁNH VĂN PHÒNG
      name: Hoàng Quân
    recipients:
      - TT Thành ủy;
      - "Lưu: VT, QLĐT."
    items:
      phan-1-muc-1:
        lead: [phong-quan-ly-do-thi]
        projects: [den-led-chieu-sang-cong-cong]
      phan-2-muc-1: {}
      phan-2-muc-1-a:
        lead: [phong-kinh-te]
      phan-2-muc-1-dd: {}
    ---

    Ngày 01/12/2020, Chủ tịch UBND thành phố đã kiểm tra các công trình.

    ## I. Công trình chiếu sáng

    ### 1. Hệ thống đèn Led

    Giao Phòng Quản lý đô thị hoàn thành thay thế đèn Led.

    ## II. Kinh tế

    ### 1. Chợ đêm

    a) Giao Phòng Kinh tế thành phố khảo sát địa điểm.

    b) Báo cáo kết quả.

    c) Đề xuất cơ chế.

    d) Lập kế hoạch.

    đ) Tổ chức thực hiện.

    ***

    Trên đây là kết luận của Chủ tịch UBND thành phố./.
    """}


def _load(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


def _validator(site: Path, schema_path: str) -> jsonschema.Draft202012Validator:
    schema = _load(site, schema_path)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build(make_archive(tmp_path_factory.mktemp("export"), ISSUED))
    assert result.returncode == 0, result.output
    return result


def test_export_validates_against_its_published_schemas(built):
    site = built.site
    archive = _load(site, ARCHIVE_PATH)
    _validator(site, ARCHIVE_SCHEMA_PATH).validate(archive)
    assert archive["version"] == VERSION and re.fullmatch(r"\d+\.\d+", VERSION)
    # "$schema" is a reference relative to the file that cites it (no site_url here) and points at the real schema.
    assert (site / posixpath.normpath(posixpath.join(posixpath.dirname(ARCHIVE_PATH), archive["$schema"]))).is_file()
    one_schema = _validator(site, NOTICE_SCHEMA_PATH)
    assert len(archive["notices"]) == 2
    for entry in archive["notices"]:
        path = entry["json_link"]["path"]
        one = _load(site, path)
        one_schema.validate(one)
        assert one["version"] == VERSION
        assert posixpath.normpath(posixpath.join(posixpath.dirname(path), one["$schema"])) == NOTICE_SCHEMA_PATH
        assert one["notice"] == entry, "the per-notice file and the archive file say the same"


def test_schema_rejects_what_the_export_must_not_contain(built):
    site = built.site
    validator = _validator(site, NOTICE_SCHEMA_PATH)
    one = _load(site, "ubnd-tp-lang-son/2020/5-tb-ubnd/index.json")
    del one["version"]
    assert not validator.is_valid(one)
    one = _load(site, "ubnd-tp-lang-son/2020/5-tb-ubnd/index.json")
    one["notice"]["items"][0]["surprise"] = 1
    assert not validator.is_valid(one)
    one = _load(site, "ubnd-tp-lang-son/2020/5-tb-ubnd/index.json")
    one["notice"]["date"] = "3/12/2020"
    assert not validator.is_valid(one)


ID = re.compile(r'\bid="((?:phan-\d+-)?muc-\d+(?:-[a-z]+)?|phan-\d+)"')


def test_every_notice_and_anchor_in_the_export_is_on_the_site_and_back(built):
    site = built.site
    archive = _load(site, ARCHIVE_PATH)
    exported: dict[str, set[str]] = {}
    for entry in archive["notices"]:
        anchors = {s["anchor"] for s in entry["sections"]}
        for item in entry["items"]:
            anchors.add(item["anchor"])
            assert item["link"]["path"] == f"{entry['link']['path']}#{item['anchor']}"
            anchors.update(p["anchor"] for p in item["points"])
            for p in item["points"]:
                assert p["link"]["path"] == f"{entry['link']['path']}#{p['anchor']}"
        exported[entry["link"]["path"]] = anchors
    on_site: dict[str, set[str]] = {}
    for page in site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if '<article class="notice"' in html:
            on_site[page.parent.relative_to(site).as_posix() + "/"] = set(ID.findall(html))
    assert on_site == exported
    assert exported["ubnd-tp-lang-son/2020/5-tb-ubnd/"] == {
        "phan-1", "phan-2", "phan-1-muc-1", "phan-2-muc-1", "phan-2-muc-1-a", "phan-2-muc-1-b", "phan-2-muc-1-c",
        "phan-2-muc-1-d", "phan-2-muc-1-dd"}


def test_export_carries_metadata_assignments_and_registries(built):
    archive = _load(built.site, ARCHIVE_PATH)
    by_path = {n["link"]["path"]: n for n in archive["notices"]}
    issued = by_path["ubnd-tp-lang-son/2020/5-tb-ubnd/"]
    assert (issued["number"], issued["number_text"], issued["date"], issued["status"]) == (
        5, "05/TB-UBND", "2020-12-03", "ban-hanh")
    assert issued["signer"]["authority"] == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"]
    assert issued["departments"] == ["phong-kinh-te", "phong-quan-ly-do-thi"]
    assert issued["projects"] == ["den-led-chieu-sang-cong-cong"]
    point_a = issued["items"][1]["points"][0]
    assert (point_a["letter"], point_a["lead"]) == ("a", ["phong-kinh-te"])
    assert issued["items"][1]["points"][4]["letter"] == "đ"
    draft = by_path["ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"]
    assert (draft["number"], draft["date"], draft["status"]) == (None, "2020-11", "chua-so")
    assert draft["items"][3]["presented_by"] == "phong-quan-ly-do-thi"
    assert draft["link"]["url"] is None  # no site_url: no invented absolute address
    registry = yaml.safe_load((built.root / "notices/_registry/departments.yml").read_text(encoding="utf-8"))
    assert [d["key"] for d in archive["departments"]] == sorted(registry)


def test_export_on_disk_is_the_core_export_of_the_same_model(built):
    """The build writes exactly what the engine-free core produces from the archive (nothing else, nothing less)."""
    core = Site.load(str(built.root / "notices"))
    files = export_files(core.archive.notices, core.archive.registry, None)
    for path, text in files.items():
        assert (built.site / path).read_bytes().decode("utf-8") == text, path  # (the CSVs' CR LF kept)
    on_disk = {p.relative_to(built.site).as_posix() for p in (built.site / "du-lieu").rglob("*")
               if p.suffix in (".json", ".csv")}
    on_disk |= {p.relative_to(built.site).as_posix() for p in built.site.rglob("index.json")}
    assert on_disk == set(files)


def test_absolute_urls_when_site_url_is_set(tmp_path):
    root = make_archive(tmp_path, ISSUED)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://thongbao.example.vn/kho/"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    archive = _load(result.site, ARCHIVE_PATH)
    assert archive["$schema"] == "https://thongbao.example.vn/kho/" + ARCHIVE_SCHEMA_PATH
    assert _load(result.site, ARCHIVE_SCHEMA_PATH)["$id"] == archive["$schema"]
    issued = next(n for n in archive["notices"] if n["number"] == 5)
    assert issued["items"][1]["points"][4]["link"]["url"] == \
        "https://thongbao.example.vn/kho/ubnd-tp-lang-son/2020/5-tb-ubnd/#phan-2-muc-1-dd"

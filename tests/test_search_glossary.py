"""The glossary of abbreviations (notices/_registry/glossary.yml) and those the registries spell out: validated like
the registries (path:line, in Vietnamese, hostile text refused), and expanded into the search manifest."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import NOTICES

from notice_archive import search_index as si
from notice_archive.registry import load_registry
from notice_archive.schema import Abbreviation, Department, Issuer, Project


def registry_with(tmp_path, glossary: str | None):
    docs = tmp_path / "notices"
    shutil.copytree(NOTICES / "_registry", docs / "_registry")
    path = docs / "_registry" / "glossary.yml"
    if glossary is None:
        path.unlink()
    else:
        path.write_text(glossary, encoding="utf-8")
    return load_registry(str(docs))


def test_the_real_glossary_is_valid_and_expands_the_abbreviations_officials_use():
    registry, problems = load_registry(str(NOTICES))
    assert [p for p in problems if "glossary" in p.path] == []
    abbr = si.abbreviations(registry)
    for short, meaning in [("gpmb", "giai phong mat bang"), ("qldt", "quan ly do thi"), ("ubnd", "uy ban nhan dan"),
                           ("hdnd", "hoi dong nhan dan"), ("btv", "ban thuong vu"), ("tp", "thanh pho"),
                           ("tckh", "tai chinh ke hoach")]:
        assert meaning in abbr[short], short


def test_an_archive_without_a_glossary_still_builds(tmp_path):
    registry, problems = registry_with(tmp_path, None)
    assert problems == [] and registry.glossary == {}


@pytest.mark.parametrize(("glossary", "line", "words"), [
    ("gpmb:\n  means: [giải phóng mặt bằng]\nQLĐT:\n  means: [quản lý đô thị]\n", 3, ["'QLĐT'", "'qldt'"]),
    ("tc-kh:\n  means: [tài chính kế hoạch]\n", 1, ["'tc-kh'", "'tckh'"]),
    ("gpmb:\n  means: []\n", 2, ["means"]),
    ("gpmb:\n  meaning: [giải phóng mặt bằng]\n", 2, ["meaning"]),
    ("gpmb:\n  means: [giải phóng mặt bằng]\nbtv:\n  means: ['<script>alert(1)</script>']\n", 4, ["HTML"]),
    ("gpmb:\n  means: [giải phóng mặt bằng\n", 3, ["YAML"]),  # broken YAML: where the parser found it
])
def test_a_bad_glossary_entry_is_an_error_at_its_line(tmp_path, glossary, line, words):
    _registry, problems = registry_with(tmp_path, glossary)
    errors = [p for p in problems if p.severity == "error"]
    assert errors, glossary
    assert all(p.path == "notices/_registry/glossary.yml" for p in errors)
    assert any(p.line == line and all(w in p.message for w in words) for p in errors), [str(p) for p in errors]


def test_a_duplicate_abbreviation_is_an_error(tmp_path):
    _registry, problems = registry_with(tmp_path, "gpmb:\n  means: [a b]\ngpmb:\n  means: [c d]\n")
    assert any(p.path.endswith("glossary.yml") and p.line == 3 for p in problems if p.severity == "error")


def registry(**tables):
    from notice_archive.registry import Registry

    issuer = Issuer(name="UBND", short_name="UBND", body="UBND", series=["TB-UBND"], places=["X"])
    return Registry(issuers={"ubnd": issuer}, **tables)


ABBREVIATION_CASES = [
    # (departments, projects, glossary, expected part of the table, absent abbreviations, why)
    ({"phong-quan-ly-do-thi": Department(name="Phòng Quản lý đô thị", issuer="ubnd", kind="phong",
                                         aliases=["Phòng QLĐT"])}, {}, {},
     {"qldt": ["quan ly do thi"]}, [], "an upper-case word of an alias spells the initials of the name ('đ' as 'd')"),
    ({}, {"gpmb-du-an": Project(name="Giải phóng mặt bằng các dự án", aliases=[])}, {},
     {"gpmb": ["giai phong mat bang"]}, ["du", "an"], "a part of the key that no name holds spells its initials"),
    ({"phong-tai-chinh": Department(name="Phòng Tài chính - Kế hoạch", issuer="ubnd", kind="phong",
                               aliases=["Phòng TC-KH"])}, {}, {},
     {"tckh": ["tai chinh ke hoach"]}, ["tc", "kh"], "a hyphenated upper-case alias (TC-KH) spells it too"),
    ({"phong-noi-vu": Department(name="Phòng Nội vụ", issuer="ubnd", kind="phong", aliases=["Phòng NV"])}, {}, {},
     {}, ["nv"], "two letters found in a registry are too few to trust (the glossary may still list them)"),
    ({}, {}, {"tp": Abbreviation(means=["thành phố", "Thành phố"]), "ubnd": Abbreviation(means=["Ủy ban nhân dân"])},
     {"tp": ["thanh pho"], "ubnd": ["uy ban nhan dan"]}, [], "the glossary: folded, each meaning once"),
    ({"ban-xyz": Department(name="Ban Quản lý chợ", issuer="ubnd", kind="ban", aliases=["Ban XYZ"])}, {}, {},
     {}, ["xyz", "ban"], "letters that spell no run of the name's initials are no abbreviation"),
]


@pytest.mark.parametrize(("deps", "projs", "glossary", "expected", "absent", "why"), ABBREVIATION_CASES,
                         ids=[c[-1][:40] for c in ABBREVIATION_CASES])
def test_abbreviations(deps, projs, glossary, expected, absent, why):
    table = si.abbreviations(registry(departments=deps, projects=projs, glossary=glossary))
    for short, meanings in expected.items():
        assert table.get(short) == meanings, why
    for short in absent:
        assert short not in table, why


def test_the_manifest_carries_the_abbreviations_and_the_words_for_completion():
    from notice_archive.site import Site

    site = Site.load(str(NOTICES))
    files = si.build(list(site.archive.notices), site.registry)
    manifest = json.loads(files["manifest.json"])
    assert manifest["abbr"]["gpmb"] == ["giai phong mat bang"]
    words = manifest["words"]
    assert {"camera", "led", "den", "phong"} <= set(words) and words.index("phong") < words.index("camera")
    assert all(w.isalpha() for w in words)

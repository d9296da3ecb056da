"""Registry text is printed on every index page: it gets the same refusal of HTML and script as notices."""

from __future__ import annotations

import shutil

from conftest import NOTICES

from notice_archive.registry import load_registry


def test_html_in_a_registry_name_is_refused_with_its_line(tmp_path):
    docs = tmp_path / "notices"
    shutil.copytree(NOTICES / "_registry", docs / "_registry")
    path = docs / "_registry" / "projects.yml"
    text = path.read_text(encoding="utf-8").replace(
        "name: Đề án Phát triển kinh tế đêm", "name: <img src=x onerror=alert(1)> Đề án Phát triển kinh tế đêm")
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(next(t for t in text.split("\n") if "<img" in t)) + 1
    _registry, problems = load_registry(str(docs))
    found = [p for p in problems if p.severity == "error"]
    assert found and all(p.path == "notices/_registry/projects.yml" and p.line == line for p in found)
    assert any("HTML" in p.message for p in found)

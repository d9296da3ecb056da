"""The open data's records are plain data written in the models' field order (export.notice_record), encoded once per
notice (export.notice_data) and concatenated: the text is exactly what pydantic writes for the validated models.
Fast tier: no build."""

from __future__ import annotations

import csv
import io
import json
import pickle

import pytest
from conftest import make_archive
from pydantic import BaseModel
from test_csv import HOSTILE
from test_export import ISSUED

from notice_archive import export
from notice_archive.site import Site
from notice_archive.urls import ARCHIVE_PATH, notice_json_path


def _text(model: BaseModel) -> str:
    """A model as pydantic writes it (compact, by its own encoder), as a file ends: with a line break."""
    return model.model_dump_json(by_alias=True) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    root = make_archive(tmp_path_factory.mktemp("records"), {**ISSUED, **HOSTILE})
    loaded = Site.load(str(root / "notices"))
    assert not [p for p in loaded.problems if p.severity == "error"], loaded.problems
    return loaded


@pytest.mark.parametrize("site_url", [None, "https://thongbao.example.vn/kho/"])
def test_open_data_is_the_text_of_its_validated_models(site: Site, site_url: str | None) -> None:
    """Each file, read back into its pydantic model (fields checked, nothing extra, nothing missing) and written
    again, is the same text: the plain records follow the schema and the models' field order byte for byte."""
    files = export.export_files(site.archive.notices, site.registry, site_url)
    archive = files[ARCHIVE_PATH]
    assert _text(export.ArchiveExport.model_validate_json(archive)) == archive
    notices = json.loads(archive)["notices"]
    assert len(notices) == len(site.archive.notices) == 3
    assert any(item["points"] for n in notices for item in n["items"])  # nested points are covered
    for n in site.archive.notices:
        one = files[notice_json_path(n.url)]
        assert _text(export.NoticeExport.model_validate_json(one)) == one
        assert json.loads(one)["notice"] in notices


def test_a_notices_share_is_plain_text_and_the_files_are_made_of_the_shares(site: Site) -> None:
    """notice_data is what a per-notice cache can keep (it pickles); the files from the shares are the export."""
    url = "https://thongbao.example.vn/"
    shares = sorted((export.notice_data(n, site.registry, url) for n in site.archive.notices), key=lambda d: d.url)
    assert pickle.loads(pickle.dumps(shares)) == shares
    files = {path: data if isinstance(data, bytes) else b"".join(data)  # (pieces of the files holding every notice)
             for path, data in export.export_files_from(shares, site.registry, url)}
    assert {path: data.decode() for path, data in files.items()} == \
        export.export_files(site.archive.notices, site.registry, url)
    for share in shares:
        notice = next(n for n in site.archive.notices if n.url == share.url)
        assert len(list(csv.reader(io.StringIO(share.notice_row.decode(), newline="")))) == 1
        assert [row[0] for row in csv.reader(io.StringIO(share.item_rows.decode(), newline=""))] == \
            [f"{notice.url}#{item.anchor}" for item in notice.items]


@pytest.mark.parametrize("text", ["Đèn Led \"Mục 4\" <b> & \\", "\x07\x1f\x7f\t\n\r\b\f", "\u2028\u2029 \U0001F600", ""])
def test_plain_records_are_encoded_as_the_json_module_writes(text: str) -> None:
    """pydantic-core's encoder on plain data: byte for byte what json.dumps (UTF-8, compact) writes."""
    data = {"name": text, "n": [1, None, {"t": text}]}
    assert export._json(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))

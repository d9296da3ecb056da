"""One clock: the build's day comes from SOURCE_DATE_EPOCH (reproducible builds) or now, in Vietnam's time zone, for
every date rule (a date in the future, open deadlines) in the validator and in the build alike."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import build, make_archive, minimal_notice

from notice_archive.archive import load_archive
from notice_archive.dates import build_day

# 2020-12-01 20:30 UTC is 03:30 on 2 December in Hà Nội (UTC+7): a CI runner's date.today() would still be the 1st.
EARLY_MORNING = int(dt.datetime(2020, 12, 1, 20, 30, tzinfo=dt.UTC).timestamp())
TODAY_IN_VIETNAM = minimal_notice(number="05/TB-UBND", date="2020-12-02", meeting="2020-12-01")


def test_build_day_follows_source_date_epoch_in_vietnam_time():
    epoch = int(dt.datetime(2020, 11, 30, 17, 30, tzinfo=dt.UTC).timestamp())
    assert build_day({"SOURCE_DATE_EPOCH": str(epoch)}) == dt.date(2020, 12, 1)
    assert build_day({"SOURCE_DATE_EPOCH": str(epoch - 3600)}) == dt.date(2020, 11, 30)  # 23:30 in Hà Nội


def test_without_source_date_epoch_the_day_is_now_in_vietnam_not_the_machines_day():
    assert build_day({}, now=lambda: EARLY_MORNING) == dt.date(2020, 12, 2)
    assert build_day({"SOURCE_DATE_EPOCH": ""}, now=lambda: EARLY_MORNING) == dt.date(2020, 12, 2)


def test_a_notice_dated_today_in_vietnam_passes_between_00_and_07_utc(tmp_path, monkeypatch):
    docs = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/tb-5.md": TODAY_IN_VIETNAM}) / "notices"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EARLY_MORNING))
    assert load_archive(str(docs)).errors == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EARLY_MORNING - 5 * 3600))  # 22:30 on 1 December in Hà Nội
    assert [p.format() for p in load_archive(str(docs)).errors] == [
        "notices/ubnd-tp-lang-son/2020/tb-5.md:5: trường 'date': ngày ban hành 2020-12-02 ở tương lai (hôm nay là 2020-12-01) [ngay]"]


@pytest.mark.build
def test_the_build_goes_by_the_same_day_as_the_validator(tiny_archive):
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-5.md": TODAY_IN_VIETNAM})
    result = build(root, env={"SOURCE_DATE_EPOCH": str(EARLY_MORNING)})
    assert result.returncode == 0, result.output
    assert "05/TB-UBND" in result.page("ubnd-tp-lang-son/2020/5-tb-ubnd/")
    late = build(root, site=root / "late", env={"SOURCE_DATE_EPOCH": str(EARLY_MORNING - 5 * 3600)})
    assert late.returncode == 1
    assert "notices/ubnd-tp-lang-son/2020/tb-5.md:5: trường 'date': ngày ban hành 2020-12-02 ở tương lai" in late.output

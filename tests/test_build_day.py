"""The build's day comes from SOURCE_DATE_EPOCH (reproducible builds), in Vietnam's time zone."""

from __future__ import annotations

import datetime as dt

from notice_archive.dates import build_day


def test_build_day_follows_source_date_epoch_in_vietnam_time(monkeypatch):
    # 2020-11-30 17:30 UTC is already 1 December in Hà Nội (UTC+7)
    epoch = int(dt.datetime(2020, 11, 30, 17, 30, tzinfo=dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    assert build_day() == dt.date(2020, 12, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_day() == dt.date.today()

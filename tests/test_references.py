"""Cited document numbers, both styles, found in running text."""

from __future__ import annotations

import pytest

from notice_archive.references import find_references


@pytest.mark.parametrize(("text", "expected"), [
    ("theo Giấy mời số 464/GM-UBND ngày 06/11/2020 của UBND", [(464, "GM-UBND", False, 2020)]),
    ("tại công văn số 81-CV/TU ngày 20/10/2020 của Thành ủy", [(81, "CV/TU", True, 2020)]),
    ("Thông báo số 370/TB-UBND; Kế hoạch số 134/KH-UBND ngày 26/3/2026",
     [(370, "TB-UBND", False, None), (134, "KH-UBND", False, 2026)]),
    ("Nghị quyết số 34-NQ/TU ngày 27/12/2025", [(34, "NQ/TU", True, 2025)]),
    ("Nghị định số 32/2024/NĐ-CP", []),  # decree numbers carry the year: not an archive series
    ("từ Km161+750 đến Km171+600, tỷ lệ 29,0%, ngày 10/11/2020", []),
    ("công văn 12/UBND-VX", [(12, "UBND-VX", False, None)]),
])
def test_find_references(text, expected):
    assert [(r.number, r.series, r.party, r.year) for r in find_references(text)] == expected

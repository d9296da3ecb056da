"""The official print layout: a notice page saved as PDF by Chromium reads as a Decree 30 document."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import build, serve

pytestmark = [pytest.mark.browser, pytest.mark.build]

SEED_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
A4 = (595.28, 841.89)  # points
CHROME_TEXT = ["Trang chủ", "Mục lục", "Bỏ qua", "GitHub", "Tìm kiếm", "Thông báo kết luận – UBND",
               "Cơ quan ban hành", "Tình trạng", "Liên kết tới mục này", "Đơn vị trình", "Trích dẫn", "Sao chép",
               "Đơn vị", "Dự án", "Theo năm"]


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory, browser):
    from conftest import make_archive

    result = build(make_archive(tmp_path_factory.mktemp("print")))
    assert result.returncode == 0, result.output
    url, stop = serve(result.site)
    try:
        page = browser.new_page()
        page.goto(url + SEED_URL)
        out = result.root / "notice.pdf"
        page.pdf(path=str(out), prefer_css_page_size=True)  # the page's own @page size, as "Save as PDF" does
        page.close()
    finally:
        stop()
    with pdfplumber.open(out) as pdf:
        yield pdf


def one(page, text: str) -> dict:
    found = page.search(text, regex=False)
    assert found, f"'{text}' not on the page"
    return found[0]


def same_band(a: dict, b: dict, tolerance: float = 12) -> bool:
    return abs(a["top"] - b["top"]) <= tolerance


def test_pages_are_a4(seed_pdf):
    for page in seed_pdf.pages:
        assert page.width == pytest.approx(A4[0], abs=2) and page.height == pytest.approx(A4[1], abs=2)


def test_header_issuer_and_motto_side_by_side_then_number_date_title(seed_pdf):
    first = seed_pdf.pages[0]
    issuer = one(first, "UBND TỈNH LẠNG SƠN")
    motto = one(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    slogan = one(first, "Độc lập - Tự do - Hạnh phúc")
    number = one(first, "Số:")
    place_date = one(first, "TP. Lạng Sơn, ngày")
    doc_type = one(first, "THÔNG BÁO")
    summary = one(first, "Kết luận cuộc họp UBND thành phố thường kỳ")
    body = one(first, "Ngày 10/11/2020, Đồng chí Nguyễn Văn Hạnh")

    assert same_band(issuer, motto), (issuer, motto)
    assert motto["x0"] > issuer["x1"], "the national motto stands to the right of the issuer"
    assert slogan["top"] > motto["top"] and slogan["x0"] > issuer["x1"]
    assert number["x1"] < motto["x0"], "the number sits under the issuer, on the left"
    assert place_date["x0"] > number["x1"] and place_date["top"] > slogan["top"]
    header_bottom = max(number["bottom"], place_date["bottom"])
    assert header_bottom < doc_type["top"] < summary["top"] < body["top"]
    centre = (first.width + (30 - 15) * 72 / 25.4) / 2  # text block centre: 30 mm left margin, 15 mm right
    assert (doc_type["x0"] + doc_type["x1"]) / 2 == pytest.approx(centre, abs=15), "THÔNG BÁO is centred"
    # Left margin of 30 mm (Decree 30: 30-35 mm).
    assert body["x0"] >= 30 * 72 / 25.4 - 2


def test_recipients_left_and_signature_right_on_the_same_band(seed_pdf):
    last = seed_pdf.pages[-1]
    recipients = one(last, "Nơi nhận:")
    authority = one(last, "TL. CHỦ TỊCH")
    name = one(last, "Hoàng Quân")
    keep = one(last, "Lưu: VT.")
    assert same_band(recipients, authority), (recipients, authority)
    assert recipients["x1"] < authority["x0"], "recipients on the left, signature block on the right"
    assert name["x0"] > last.width / 2 and name["top"] > authority["top"]
    assert keep["x1"] < authority["x0"] and keep["top"] > recipients["top"]


def test_no_site_chrome_in_print(seed_pdf):
    text = "\n".join(page.extract_text() for page in seed_pdf.pages)
    for chrome in CHROME_TEXT:
        assert chrome not in text, f"site chrome '{chrome}' printed"
    assert not any(line.strip() == "#" or line.rstrip().endswith(" #") for line in text.splitlines()), \
        "permalink markers printed"
    # The whole document is there, in order: every item heading, then the closing paragraph.
    positions = [text.index(f"{n}. Dự thảo") for n in range(1, 5)]
    assert positions == sorted(positions)
    assert text.index("Trên đây là kết luận") > positions[-1]

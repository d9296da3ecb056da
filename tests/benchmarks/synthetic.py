"""A synthetic archive shaped like real notices, for benchmarks. SYNTHETIC DATA: never copy into notices/.

The issuer, departments and projects are invented ("Thử Nghiệm"); sentences are recombined from the real seed and
samples kept in tests/samples/ (copies of ../shared, so a clone on its own can run the benchmarks) so the vocabulary
is realistic and varied (a tiny vocabulary compresses unrealistically well).

    python -m tests.benchmarks.synthetic OUT_DIR 1000     # writes OUT_DIR/mkdocs.yml and OUT_DIR/notices/
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "samples"  # the seed and the samples, as extracted
ISSUER = "ubnd-thu-nghiem"

DEPARTMENT_NAMES = [
    "Phòng Tài chính - Kế hoạch", "Phòng Kinh tế", "Phòng Quản lý đô thị", "Phòng Tài nguyên và Môi trường",
    "Phòng Giáo dục và Đào tạo", "Phòng Văn hóa và Thông tin", "Phòng Y tế", "Phòng Nội vụ", "Phòng Tư pháp",
    "Phòng Lao động - Thương binh và Xã hội", "Thanh tra thành phố", "Trung tâm Phát triển quỹ đất",
    "Ban Quản lý dự án đầu tư xây dựng", "Đội Quản lý trật tự đô thị", "Trung tâm Văn hóa, Thể thao và Truyền thông",
    "Công an thành phố", "Ban Chỉ huy Quân sự thành phố", "Chi cục Thuế khu vực", "Phòng Dân tộc",
    "Ban Quản lý chợ", "Hạt Kiểm lâm", "Trung tâm Dịch vụ nông nghiệp", "Phòng Kinh tế hạ tầng",
    "Ban Quản lý các khu du lịch", "Bảo hiểm xã hội thành phố", "Trường Trung học cơ sở Đông Kinh",
    "Ủy ban nhân dân phường Hoàng Văn Thụ", "Ủy ban nhân dân phường Chi Lăng", "Ủy ban nhân dân xã Mai Pha",
    "Ủy ban nhân dân phường Tam Thanh",
]
PROJECT_SUBJECTS = [
    "cải tạo hồ Phai Loạn", "chỉnh trang đô thị khu vực chợ Giếng Vuông", "đường Lê Đại Hành kéo dài",
    "khu tái định cư Nam Hoàng Đồng", "trường Mầm non Hoa Sen", "hệ thống thoát nước khu Đông Kinh",
    "kè bờ sông Kỳ Cùng", "chuyển đổi số trong cơ quan nhà nước", "nông thôn mới nâng cao xã Mai Pha",
    "bãi đỗ xe ngầm Vườn hoa Chi Lăng", "cấp nước sạch khu vực phía Bắc", "phố đi bộ Kỳ Lừa",
    "nhà văn hóa khối phố", "chiếu sáng công cộng bằng đèn Led", "trồng cây xanh đường phố",
    "camera an ninh trật tự", "kinh tế đêm", "du lịch cộng đồng", "khu công nghiệp Hợp Thành",
    "cụm công nghiệp Hợp Thành", "thu gom và xử lý rác thải sinh hoạt", "nghĩa trang nhân dân",
]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does, but leaves `!ENV` values (site_url) unset: copies build without them."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def read_mkdocs_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    out = []
    for text in texts:
        for para in text.split("\n"):
            para = unicodedata.normalize("NFC", " ".join(para.replace("\f", " ").split()))
            for sentence in re.split(r"(?<=[.;:])\s+", para):
                if 40 <= len(sentence) <= 400 and not re.match(r"^(\d+\.|[a-zđ]\)|[IVX]+\.|-|\+|Số:|\[)", sentence):
                    out.append(sentence.replace("<", "").replace(">", ""))
    if not out:
        raise SystemExit(f"no sample sentences in {SAMPLES}: the synthetic archive is built from them")
    return sorted(set(out))


def _dep_keys() -> list[tuple[str, str]]:
    from slugify import slugify

    return [(slugify(name), name) for name in DEPARTMENT_NAMES]


def _registries(docs: Path, projects: list[tuple[str, str, str]]) -> None:
    reg = docs / "_registry"
    reg.mkdir(parents=True, exist_ok=True)
    issuers = {ISSUER: {
        "name": "Ủy ban nhân dân thành phố Thử Nghiệm (dữ liệu tổng hợp)",
        "short_name": "UBND thành phố Thử Nghiệm",
        "header": ["UBND TỈNH THỬ NGHIỆM", "ỦY BAN NHÂN DÂN THÀNH PHỐ THỬ NGHIỆM"],
        "body": "UBND", "series": ["TB-UBND"], "places": ["TP. Thử Nghiệm"],
    }}
    departments = {key: {"name": name, "issuer": ISSUER, "kind": "phong", "aliases": [name]}
                   for key, name in _dep_keys()}
    proj = {key: {"name": name, "lead": lead, "aliases": [name]} for key, name, lead in projects}
    for fname, data in (("issuers", issuers), ("departments", departments), ("projects", proj)):
        (reg / f"{fname}.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True),
                                          encoding="utf-8")


def _notice(rng: random.Random, sentences: list[str], year: int, number: int, day_of_year: int,
            deps: list[tuple[str, str]], projects: list[tuple[str, str, str]]) -> str:
    import datetime as dt

    date = dt.date(year, 1, 1) + dt.timedelta(days=day_of_year)
    meeting = date - dt.timedelta(days=rng.randint(1, 6))
    n_items = rng.randint(3, 9)
    items_meta: dict[str, dict] = {}
    body = [f"Ngày {meeting.day:02d}/{meeting.month:02d}/{meeting.year}, Đồng chí Chủ tịch UBND thành phố chủ trì "
            f"cuộc họp thường kỳ. {rng.choice(sentences)}", ""]
    for i in range(1, n_items + 1):
        dep_key, dep_name = rng.choice(deps)
        proj = rng.choice(projects) if rng.random() < 0.5 else None
        subject = f"Dự thảo Báo cáo {proj[1]}" if proj else rng.choice(sentences)[:160].rstrip(" ,;:.")
        body.append(f"### {i}. {subject} - {dep_name} trình")
        body.append("")
        for _ in range(rng.randint(1, 3)):
            body.append(f"{rng.choice(sentences)} Giao {dep_name} chủ trì thực hiện. {rng.choice(sentences)}")
            body.append("")
        if rng.random() < 0.3:
            for letter in "abc"[: rng.randint(1, 3)]:
                body.append(f"{letter}) {rng.choice(sentences)}")
                body.append("")
        meta: dict = {"presented_by": dep_key, "lead": [dep_key]}
        if proj:
            meta["projects"] = [proj[0]]
        items_meta[f"muc-{i}"] = meta
    body += ["***", "", "Trên đây là kết luận của Chủ tịch UBND thành phố. UBND thành phố thông báo để các cơ quan, "
             "đơn vị liên quan biết, thực hiện./."]
    front = {
        "issuer": ISSUER, "number": f"{number:02d}/TB-UBND", "status": "ban-hanh", "date": date.isoformat(),
        "place": "TP. Thử Nghiệm", "title": f"Kết luận cuộc họp thường kỳ ngày {meeting.day}/{meeting.month}/"
        f"{meeting.year} (dữ liệu tổng hợp)", "meeting": {"date": meeting.isoformat()},
        "chair": {"name": "Nguyễn Văn Thử", "title": "Chủ tịch UBND thành phố"},
        "signer": {"authority": ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"], "title": "PHÓ CHÁNH VĂN PHÒNG",
                   "name": "Trần Văn Nghiệm"},
        "recipients": ["TT Thành ủy;", "CT, các PCT UBND TP;", "Lưu: VT, VP."],
        "items": items_meta,
    }
    fm = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=200)
    fm = fm.replace(f"date: '{date.isoformat()}'", f"date: {date.isoformat()}")
    return f"---\n{fm}---\n\n" + "\n".join(body) + "\n"


def generate(root: Path, n: int, seed: int = 0, plain: bool = False) -> Path:
    """Write a synthetic archive of n notices to root (mkdocs.yml + notices/); returns root.

    plain=True writes the same Markdown with a plain mkdocs-material config (no hooks): the benchmark baseline.
    """
    from slugify import slugify

    rng = random.Random(seed)
    sentences = _sentences()
    deps = _dep_keys()
    projects = [(slugify(f"du-an-{s}"), f"Dự án {s}", rng.choice(deps)[0]) for s in PROJECT_SUBJECTS]
    docs = root / "notices"
    docs.mkdir(parents=True, exist_ok=True)
    _registries(docs, projects)
    per_year = 300
    years = max(1, -(-n // per_year))
    first_year = 2024 - years + 1
    for k in range(n):
        year = first_year + k // per_year
        number = k % per_year + 1
        day = int((number - 1) * 364 / per_year)
        text = _notice(rng, sentences, year, number, day, deps, projects)
        path = docs / ISSUER / str(year) / f"tb-{number:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = read_mkdocs_config(ROOT / "mkdocs.yml")
    config["docs_dir"] = str(docs)
    config["site_name"] = "Thông báo kết luận – DỮ LIỆU TỔNG HỢP"
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    config["hooks"] = [str(ROOT / h) for h in config.get("hooks", [])]
    if plain:
        config.pop("hooks", None)
        config["theme"].pop("custom_dir", None)
        config["nav"] = [{"Trang chủ": "index.md"}]
        (docs / "index.md").write_text("# Dữ liệu tổng hợp\n", encoding="utf-8")
        config["exclude_docs"] = "_registry/\n"
        config.pop("validation", None)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


if __name__ == "__main__":
    out = generate(Path(sys.argv[1]), int(sys.argv[2]), plain="--plain" in sys.argv)
    print(out)

"""The notice front matter and the registries, as data in one place (pydantic models).

Field descriptions are the Vietnamese names editors see in messages and in the README's field table.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from . import limits
from .dates import PartialDate


def _date(allow_partial: bool):
    def check(value: object) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if not isinstance(value, str):
            raise ValueError("cần một ngày dạng YYYY-MM-DD")
        date = PartialDate.parse(value, allow_partial=allow_partial)
        if not limits.MIN_YEAR <= date.year <= limits.MAX_YEAR:  # e.g. 9999-12-31: a day later is past datetime's end
            raise ValueError(f"ngày '{value}': năm {date.year} nằm ngoài khoảng {limits.MIN_YEAR}–{limits.MAX_YEAR}")
        return date

    return check


FullDate = Annotated[
    PartialDate,
    PlainValidator(_date(False)),
    WithJsonSchema({"type": "string", "format": "date"}),
]
MaybePartialDate = Annotated[
    PartialDate,
    PlainValidator(_date(True)),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}),
]
Text = Annotated[str, Field(min_length=1, max_length=limits.MAX_TEXT_CHARS)]
KEY_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # registry keys: they become URLs (/don-vi/<key>/)
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=limits.MAX_KEY_CHARS)]
# A number and symbol, a series: they become a URL path segment (123/TB-UBND -> 123-tb-ubnd/).
Symbol = Annotated[str, Field(min_length=1, max_length=limits.MAX_SYMBOL_CHARS)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Meeting(Strict):
    date: FullDate = Field(description="ngày họp (hoặc ngày làm việc, kiểm tra)")
    invitation: str | None = Field(None, description="số giấy mời triệu tập, ví dụ 464/GM-UBND")
    invitation_date: FullDate | None = Field(None, description="ngày của giấy mời")


class Person(Strict):
    name: Text = Field(description="họ và tên")
    title: Text = Field(description="chức vụ")


class Signer(Strict):
    authority: list[Text] = Field(description="thẩm quyền ký, ví dụ [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]; [] nếu ký trực tiếp")
    title: Text = Field(description="chức vụ người ký, ví dụ PHÓ CHÁNH VĂN PHÒNG")
    name: Text = Field(description="họ và tên người ký")


class DeadlineMeta(Strict):
    date: MaybePartialDate = Field(description="hạn YYYY-MM-DD (YYYY-MM khi văn bản ghi 'trong tháng 4/2026')")
    text: Text = Field(description="cụm từ ghi hạn, đúng như trong nội dung mục hoặc điểm, ví dụ 'trước ngày 28/4/2026'")


class ItemMeta(Strict):
    presented_by: Key | None = Field(None, description="đơn vị trình nội dung mục này (khóa trong departments.yml)")
    lead: list[Key] = Field(default_factory=list, description="đơn vị được giao chủ trì (khóa)")
    cooperating: list[Key] = Field(default_factory=list, description="đơn vị được giao phối hợp (khóa)")
    projects: list[Key] = Field(default_factory=list, description="dự án, đề án liên quan (khóa trong projects.yml)")
    deadlines: list[DeadlineMeta] = Field(default_factory=list, description="các hạn hoàn thành được giao trong mục/điểm")


class OriginalMeta(Strict):
    file: Text = Field(description="tên tệp bản gốc (PDF, Word) nằm cạnh thông báo, cùng tên: 124-tb-ubnd.pdf")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="mã băm SHA-256 của tệp bản gốc (64 chữ số hệ 16, viết thường)")
    size: Annotated[int, Field(gt=0)] = Field(description="cỡ tệp bản gốc, tính bằng byte")


class FrontMatter(Strict):
    issuer: Key = Field(description="cơ quan ban hành (khóa trong issuers.yml)")
    number: Symbol = Field(description="số và ký hiệu như in sau 'Số:', ví dụ 123/TB-UBND; '/TB-UBND' nếu chưa ghi số")
    status: Literal["ban-hanh", "chua-so"] = Field(
        description="tình trạng: ban-hanh (đã ban hành, có số và ngày) hoặc chua-so (bản chưa ghi số, ngày)")
    date: MaybePartialDate = Field(description="ngày ban hành YYYY-MM-DD; YYYY-MM nếu ngày còn để trống")
    place: Text = Field(description="địa danh ở dòng ngày tháng, ví dụ TP. Lạng Sơn")
    title: Text = Field(description="trích yếu nội dung (dòng dưới chữ THÔNG BÁO)")
    meeting: Meeting = Field(description="cuộc họp được kết luận")
    chair: Person = Field(description="người chủ trì và kết luận")
    signer: Signer = Field(description="người ký")
    recipients: list[Text] = Field(min_length=1, description="nơi nhận, theo thứ tự, dòng cuối là 'Lưu: …'")
    items: dict[Annotated[str, Field(max_length=limits.MAX_KEY_CHARS)], ItemMeta] = Field(default_factory=dict,
                                       description="thông tin từng mục, theo neo: muc-1, muc-4-a, phan-2-muc-1")
    replaces: list[Text] = Field(default_factory=list, description="số ký hiệu các thông báo bị thay thế")
    former_urls: list[Text] = Field(default_factory=list, description="địa chỉ cũ (chuyển hướng về trang này)")
    original: OriginalMeta | None = Field(None, description="bản gốc đã ban hành (PDF, Word) lưu cạnh thông báo")


# Registries ---------------------------------------------------------------------------------------------------------

class Issuer(Strict):
    name: Text
    short_name: Text
    header: list[Text] = Field(default_factory=list)
    body: Text = Field(description="viết tắt tên cơ quan trong ký hiệu, ví dụ UBND, VP")
    series: list[Symbol] = Field(min_length=1, description="các ký hiệu thông báo của cơ quan, ví dụ TB-UBND")
    places: list[Text] = Field(min_length=1)
    valid_from: FullDate | None = None
    valid_to: FullDate | None = None
    note: str | None = None


class Department(Strict):
    name: Text
    issuer: Key
    kind: Literal["phong", "so", "ban", "don-vi-su-nghiep", "ubnd-cap-duoi", "doanh-nghiep", "khac"]
    aliases: list[Text] = Field(default_factory=list)
    valid_from: FullDate | None = None
    valid_to: FullDate | None = None
    former_names: list[Text] = Field(default_factory=list)
    predecessors: list[Key] = Field(default_factory=list)
    successor: Key | None = None


class Project(Strict):
    name: Text
    lead: Key | None = None
    period: list[Annotated[int, Field(ge=limits.MIN_YEAR, le=limits.MAX_YEAR)]] = Field(default_factory=list,
                                                                                      max_length=2)
    aliases: list[Text] = Field(default_factory=list)


class Abbreviation(Strict):
    """notices/_registry/glossary.yml: an abbreviation (the key: lower case, no diacritics, "đ" as "d") that search
    expands to its meanings, and the reverse."""

    means: list[Text] = Field(min_length=1, description="nghĩa đầy đủ, ví dụ [giải phóng mặt bằng]")


NUMBER = re.compile(r"^(?P<num>\d*)/(?P<symbol>[^\s/]+)$")

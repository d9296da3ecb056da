"""Kho lưu trữ Thông báo kết luận: the domain core (no MkDocs imports here)."""

__version__ = "0.1.0"

"""markup.escape_text: the text Jinja's autoescape writes, for the rows and entries written in Python."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from notice_archive.markup import escape_text


def test_escape_text_is_what_autoescape_writes_for_hostile_text() -> None:
    for text in ["", "Phòng Kinh tế", "<script>x</script>", "a & b", "\"'", "&amp;", "&#39;", "<>&\"'" * 3,
                 "Mục 4 \"thành phố\" 'Lạng Sơn' <b>&nbsp;</b>", "\x00\ufffe\U0001F600"]:
        assert escape_text(text) == str(escape(text)), text


@given(st.text(alphabet=st.sampled_from("ab đ&<>\"';#\n"), max_size=40) | st.text(max_size=40))
def test_escape_text_is_what_autoescape_writes(text: str) -> None:
    assert escape_text(text) == str(escape(text))

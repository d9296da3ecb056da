"""Escaping text for HTML and XML written in Python (index rows, feed entries): exactly the text Jinja's autoescape
(markupsafe.escape) writes for a string, without making a Markup object per value (tens of thousands per build)."""

from __future__ import annotations


def escape_text(text: str) -> str:
    """``str(markupsafe.escape(text))`` for a string: & < > " ' as &amp; &lt; &gt; &#34; &#39;."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
            .replace("'", "&#39;"))

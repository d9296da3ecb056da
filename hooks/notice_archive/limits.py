"""Bounds on what a contributor's file may be, in one place: every input is checked against them before anything
else reads it, so no file in a pull request can exhaust memory or time, or reach a Python limit (int() of a huge
digit run, a date past year 9999, recursion on deep nesting) and end the build in a traceback.

Each bound is far above anything a real notice or registry needs (the largest real notice is ~16 KB).
"""

from __future__ import annotations

MAX_NOTICE_BYTES = 512 * 1024  # a notice file (Markdown with front matter)
MAX_REGISTRY_BYTES = 4 * 1024 * 1024  # issuers.yml, departments.yml, projects.yml
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # published-urls.txt: one line per page, grows with the archive
MAX_LINE_CHARS = 20_000  # one line of a notice or registry (a paragraph of a notice is ~2,000)
MAX_DEPTH = 8  # nesting of YAML mappings and lists (a notice needs 5: items > muc-1 > deadlines > [0] > date)
MAX_DIGITS = 40  # a run of digits anywhere (no number in a notice is longer; int() refuses > 4,300)
MAX_NUMBER_DIGITS = 6  # the number of a document ("123" in 123/TB-UBND): numbers restart every year
MIN_YEAR, MAX_YEAR = 1900, 2199  # every date (issue, meeting, deadline, registry): real dates, datetime-safe
MAX_TEXT_CHARS = 5_000  # one front-matter or registry value (a title is ~300)
MAX_KEY_CHARS = 80  # a registry key or item key: keys become URL path segments (255 bytes at most on disk)
MAX_SYMBOL_CHARS = 40  # a number and symbol ("123/TB-UBND") and a registry series: they become URL segments
MAX_ITEMS = 2_000  # entries of one list or mapping in front matter
# Markdown's inline parser takes time that grows with (unclosed '[' or '<') x (the paragraph's length), and its tree
# recurses once per level of list indentation or nested emphasis: bounds per paragraph (lines between blank
# lines) keep every notice far from both (a real paragraph has a few brackets and no indentation past 2 levels).
MAX_PARAGRAPH_CHARS = 20_000  # one paragraph (a long real one is ~3,000)
MAX_OPENERS = 32  # '[' and '<' in one paragraph, each
MAX_INDENT = 32  # leading spaces of a line (a tab counts 4): 8 levels of nested lists
MAX_LIST_DEPTH = 8  # lists opened on one line ("- - x"): Markdown recurses per level (RecursionError at ~500)
MAX_MARKER_RUN = 16  # a run of '*', '_' or '>' (emphasis, quotes): "***" is a separator line
GIT_TIMEOUT_SECONDS = 30  # `git show` of the base branch's manifest (permanence against history)

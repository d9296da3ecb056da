"""Problems found in editors' files: reported as ``path:line: message``, all at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "advice"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"
    code: str = ""

    def format(self) -> str:
        tag = "" if self.severity == "error" else "[khuyến nghị] "
        code = f" [{self.code}]" if self.code else ""
        return f"{self.path}:{self.line}: {tag}{self.message}{code}"

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff.

        Escaped as GitHub's runner reads them: the message's % CR LF; a property value's also ',' and ':'.
        """
        kind = "error" if self.severity == "error" else "warning"
        code = f" [{self.code}]" if self.code else ""
        msg = _escape(self.message + code)
        path = _escape(self.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{kind} file={path},line={self.line}::{msg}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.severity, p.message))

"""The errors nichiro raises and the exit codes they become (turned into exits only in cli)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Stable exit codes; documented in the README and in `nichiro --help`."""

    OK = 0  # success, an empty filter result included
    NOT_FOUND = 1  # search, show or cite found nothing
    USAGE = 2  # a bad option, argument or value
    INVALID_FACTS = 3  # the fact base (bundled or the user's) does not validate
    QUOTES_NOT_FOUND = 4  # `check --sources`: a quote is not in its source text, or a text is missing
    INTERNAL = 70  # a bug in nichiro (EX_SOFTWARE): reported in one line, never a traceback
    IO_ERROR = 74  # cannot write standard output or a file: a full disk, a closed stdout (EX_IOERR)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT); SIGTERM ends with 143 and SIGHUP with 129, as shells report them


class Problem:
    """One thing wrong in the fact base, as close to its place as can be found."""

    __slots__ = ("field", "file", "line", "message", "record")

    def __init__(self, file: str, line: int | None, record: str | None, field: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        self.message = message

    def _key(self) -> tuple[str, int | None, str | None, str | None, str]:
        return (self.file, self.line, self.record, self.field, self.message)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Problem{self._key()!r}"

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) + ": " + self.message


class NichiroError(Exception):
    """Base of every error the CLI turns into a one-line message and an exit code."""

    exit_code = ExitCode.USAGE

    @classmethod
    def with_code(cls, message: str, code: ExitCode) -> NichiroError:
        err = cls(message)
        err.exit_code = code
        return err


class CacheDamaged(Exception):
    """The store in the cache cannot be trusted: it is removed and built again (never shown to a user)."""


class WriteError(NichiroError):
    """A file (an export) or standard output could not be written; the message names it."""

    exit_code = ExitCode.IO_ERROR


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: raised where the program is, so that what it was writing is cleaned up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum


class UsageError(NichiroError):
    exit_code = ExitCode.USAGE


class NotFoundError(NichiroError):
    exit_code = ExitCode.NOT_FOUND


class FactBaseError(NichiroError):
    """The fact base does not validate; carries every problem found."""

    exit_code = ExitCode.INVALID_FACTS

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "invalid fact base"
        more = f" (and {len(problems) - 1} more; run 'nichiro check')" if len(problems) > 1 else ""
        super().__init__(first + more)


# Characters a terminal acts on, shown escaped in messages: controls (newline and ESC included), the
# line and paragraph separators, and the marks that reorder text on screen ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, keep: str = "") -> str:
    """text as it may be shown in a one-line message: what a user gave it (a file name, an option's value)
    can neither break the line nor drive the terminal. A byte of a name that is not UTF-8 (which Python
    keeps as a lone surrogate) is shown as \\xNN, as the byte it was. The characters in `keep` are left
    as they are: render.printable keeps newlines and tabs, which its formats lay out."""
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for char in text:
        code = ord(char)
        if char in keep:
            out.append(char)
        elif char in _NAMED:
            out.append(_NAMED[char])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)

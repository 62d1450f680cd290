"""The errors nichiro raises and the exit codes they become (turned into exits only in cli)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Stable exit codes; documented in the README and in `nichiro --help`."""

    OK = 0  # success, an empty filter result included
    NOT_FOUND = 1  # search or show found nothing
    USAGE = 2  # a bad option, argument or value
    INVALID_FACTS = 3  # the fact base (bundled or the user's) does not validate
    QUOTES_NOT_FOUND = 4  # `check --sources`: a quote is not in its source text
    INTERNAL = 70  # a bug in nichiro (EX_SOFTWARE): reported in one line, never a traceback


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

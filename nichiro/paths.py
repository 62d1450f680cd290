"""Where the fact files are: the bundled directory, a directory's `*.toml` files, and their names in messages.

On the path of every command, so it uses `os.path` rather than `pathlib` (which costs more to import
than a whole lookup over the store).
"""

from __future__ import annotations

import os

from .errors import FactBaseError, Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    StrPath = str | os.PathLike[str]


def bundled_dir() -> str:
    """The fact files shipped with nichiro: inside the package once installed, `facts/` in a checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    inside = os.path.join(here, "facts")
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(here), "facts")


def fact_files(directory: StrPath) -> list[str]:
    """The `*.toml` files of a directory, sorted; an error when it is not a readable directory."""
    name = os.fspath(directory)
    if not os.path.exists(name):
        raise FactBaseError([Problem(str(directory), None, None, None, "no such directory")])
    if not os.path.isdir(name):
        raise FactBaseError([Problem(str(directory), None, None, None, "not a directory")])
    try:
        with os.scandir(name) as entries:
            found = [e.path for e in entries if os.path.splitext(e.name)[1] == ".toml" and e.is_file()]
    except OSError as exc:
        raise FactBaseError([Problem(str(directory), None, None, None, exc.strerror or str(exc))]) from None
    return sorted(found)


def listing(directories: Sequence[StrPath], problems: list[Problem] | None = None) -> list[str]:
    """Every fact file of the directories, in order.

    A directory that cannot be listed is a problem: added to `problems` when given, else raised.
    """
    found: list[Problem] = []
    out: list[str] = []
    for directory in directories:
        try:
            out += fact_files(directory)
        except FactBaseError as exc:
            found.extend(exc.problems)
    if problems is not None:
        problems.extend(found)
    elif found:
        raise FactBaseError(found)
    return out


def labelled(paths: Sequence[str]) -> list[tuple[str, str]]:
    """Each file with how it is named in messages: relative to the current directory when inside it.

    Only for files about to be read (it resolves every path, which a lookup need not pay for).
    """
    prefix = os.getcwd().rstrip(os.sep) + os.sep
    out = []
    for path in paths:
        real = os.path.realpath(path)
        out.append((path, real[len(prefix) :] if real.startswith(prefix) else path))
    return out


_KINDS = {0o040000: "a directory", 0o010000: "a FIFO", 0o020000: "a device", 0o060000: "a device", 0o140000: "a socket"}


def read_regular(path: str) -> bytes:
    """The bytes of a regular file. Anything else (a FIFO, /dev/zero, a directory) raises OSError at
    once, without waiting on a writer or reading forever."""
    import stat

    # O_NONBLOCK: opening a FIFO would wait for a writer; a regular file ignores the flag.
    flags = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, os.O_RDONLY | flags)
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise OSError(0, f"not a regular file: {_KINDS.get(stat.S_IFMT(mode), 'of another kind')}", path)
    with open(fd, "rb") as file:
        return file.read()


def inside(directory: str, name: str) -> str | None:
    """directory/name when name is a relative path that stays inside directory (no "..", not absolute):
    a source's `file` names a text in the sources directory, never one elsewhere; else None."""
    parts = name.replace("\\", "/").split("/")
    if os.path.isabs(name) or ".." in parts or not name.strip():
        return None
    return os.path.join(directory, name)

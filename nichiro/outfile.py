"""Writing a file a user named (an export): only a regular file is ever replaced, and never half.

What is written goes to a temporary file beside the target (`mkstemp`: a name nobody can guess,
created by this process alone) and is renamed into place once complete. On every other way out (an
error, a full disk, Ctrl-C, SIGTERM) the temporary file is removed. A symbolic link, a directory, a
FIFO or a device is refused, `--force` or not: `export json /dev/null --force` run as root must not
replace /dev/null. The new file has the permissions the umask gives, or those of the file it replaces.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import UsageError, WriteError

_WHAT = {
    stat.S_IFDIR: "a directory: give the file's name",
    stat.S_IFLNK: "a symbolic link: give the path of the file itself",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def check_target(path: str | os.PathLike[str], force: bool) -> None:
    """Raise UsageError unless path may be written: it does not exist, or it is a regular file and force."""
    name = os.fspath(path)
    try:
        st = os.lstat(name)
    except FileNotFoundError:
        parent = os.path.dirname(name) or "."
        if not os.path.isdir(parent):
            raise UsageError(f"cannot write {name}: {parent} is not a directory") from None
        return
    except OSError as exc:
        raise UsageError(f"cannot write {name}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        what = _WHAT.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise UsageError(f"{name} is {what}; nichiro writes only regular files")
    if not force:
        raise UsageError(f"{name} exists; give --force to overwrite it")


@contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[str]:
    """The name of a new, empty temporary file beside path: write it, and on leaving the `with`
    block it replaces path. Raises WriteError (naming path) when that cannot be done."""
    name = os.fspath(path)
    directory, base = os.path.split(name)
    made: list[str] = []  # the temporary file, until it has replaced path
    try:
        temporary_file(made, directory or ".", f".{base}.")
        yield made[0]
        os.chmod(made[0], _mode(name))
        _still_replaceable(name)
        os.replace(made[0], name)
        made.clear()
    except OSError as exc:
        raise WriteError(f"cannot write {name}: {exc.strerror or exc}") from None
    finally:
        for tmp in made:
            _remove(tmp)


def temporary_file(made: list[str], directory: str, prefix: str) -> None:
    """Create an empty temporary file in directory (`mkstemp`: a name nobody can guess, created by this
    process alone) and append its name to `made`.

    Ctrl-C, SIGTERM and SIGHUP are held back until its name is in `made`: one that came between the
    file's creation and the moment its name was known left it behind, whatever cleaned up after
    (seen in tests/test_faults.py, which signals a first build the moment its file appears). A
    signal held back is raised on the way out, and the caller removes what `made` names."""
    import tempfile

    signals = __import__("_signal")  # the C module: `signal` builds three enums when imported
    mask = getattr(signals, "pthread_sigmask", None)  # (not on Windows)
    held = {signals.SIGINT, signals.SIGTERM, getattr(signals, "SIGHUP", signals.SIGTERM)}
    before = mask(signals.SIG_BLOCK, held) if mask else None
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
        made.append(name)
        os.close(fd)
    finally:
        if mask:
            mask(signals.SIG_SETMASK, before)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write text (UTF-8) to path, as `replacing` does."""
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write(text)


def _mode(name: str) -> int:
    """The permissions of the file replaced, or those the umask gives a new file (mkstemp makes 0600)."""
    try:
        return stat.S_IMODE(os.stat(name).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _still_replaceable(name: str) -> None:
    """Look again just before the rename: what took the name meanwhile must still be a regular file."""
    try:
        st = os.lstat(name)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        what = _WHAT.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise UsageError(f"{name} is {what}; nichiro writes only regular files")


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass

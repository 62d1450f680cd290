"""The console script `nichiro`: run a command line and exit with its code; Ctrl-C at any moment exits 130.

Everything is imported inside `run`, so that an interrupt in the first milliseconds, while the
modules load, ends as one that comes later does: exit 130, no traceback (docs/reliability.md).
"""

import sys


def run() -> None:
    """The console script (and `python -m nichiro`)."""
    try:
        if sys.stdout is None:  # started with stdout closed (>&-)
            _closed_stdout()
        from .fast import main

        code = main()
        sys.stdout.flush()  # what is left of the output (`--version` is printed outside `guarded`)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = _silenced(0)
    except OSError as exc:
        sys.stderr.write(f"nichiro: error: cannot write to standard output: {exc.strerror or exc}\n")
        code = _silenced(74)
    sys.exit(code)


def _silenced(code: int) -> int:
    from .commands import silence_stdout

    silence_stdout()
    return code


def _closed_stdout() -> None:
    """Hold descriptor 1 with /dev/null opened read-only: no file nichiro opens takes its place, and
    writing the output fails (EBADF) and is reported, rather than vanishing."""
    import os

    sys.stdout = open(os.open(os.devnull, os.O_RDONLY), "w", encoding="utf-8")

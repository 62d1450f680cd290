"""Shared helpers of the benchmark scripts: timing whole processes, medians, machine facts.

Standard library only, so that the benchmarks run under any Python, not just the one nichiro is
installed in.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One finished process: wall time from spawn to reaped, its own peak RSS, its exit code."""

    seconds: float
    maxrss_kb: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def ms(self) -> float:
        return self.seconds * 1000.0


def run_process(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 300.0,
    capture: bool = False,
) -> Run:
    """Run argv once and time it from fork to reap.

    The child is reaped with os.wait4, which gives that child's own rusage (ru_maxrss in KiB on
    Linux): the per-process equivalent of resource.getrusage(RUSAGE_CHILDREN), which only keeps the
    maximum over every child reaped so far. Output goes to a temporary file (read back only when
    capture is set), so a large output cannot block the child on a full pipe.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        stdout = stderr = ""
        if capture:
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        return Run(seconds, int(usage.ru_maxrss), proc.returncode, stdout, stderr)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def target_info(python: str) -> dict[str, object]:
    """The target interpreter's version, the installed versions of nichiro's dependencies, and
    whether the compiled .pyc files of nichiro, typer and rich exist (without them every cold run
    compiles those modules again: see docs/performance.md)."""
    code = r"""
import importlib.metadata as md, importlib.util as iu, json, os, sys
versions = {}
for name in ("nichiro", "typer", "click", "rich", "rapidfuzz", "tomli", "pydantic"):
    try:
        versions[name] = md.version(name)
    except md.PackageNotFoundError:
        versions[name] = None
pyc = {}
for mod in ("nichiro.cli", "nichiro.factbase", "typer.main", "rich.table"):
    try:
        spec = iu.find_spec(mod)
    except ImportError:
        spec = None
    if spec is not None and spec.origin and spec.origin.endswith(".py"):
        pyc[mod] = os.path.exists(iu.cache_from_source(spec.origin))
print(json.dumps({"version": sys.version.split()[0], "executable": sys.executable,
                  "packages": versions, "pyc_present": pyc}))
"""
    # From a neutral directory: `-c` puts the working directory first on sys.path, and in a checkout
    # that would find the source tree instead of the installed package.
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, cwd=tempfile.gettempdir())
    if proc.returncode != 0:
        raise SystemExit(f"cannot run {python}: {proc.stderr.strip()}")
    info: dict[str, object] = json.loads(proc.stdout)
    return info


def machine_info() -> dict[str, object]:
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "platform": platform.platform(),
        "runner_python": sys.version.split()[0],
    }


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for benchmarked runs: this one, less nichiro's own variables and colour forcing."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NICHIRO_") and k not in ("FORCE_COLOR", "TTY_COMPATIBLE")
    }
    env.update(extra or {})
    return env


def console_script(python: str, name: str = "nichiro") -> str:
    """The console script installed beside the interpreter (bin/ of its venv); symlinks not followed."""
    path = Path(python).parent / name
    if not path.exists():
        raise SystemExit(f"no {name} beside {python}: install nichiro into that environment, or give --nichiro")
    return str(path)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A plain-text table with aligned columns (no dependencies)."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"

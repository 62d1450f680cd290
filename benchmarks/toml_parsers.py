"""Compare TOML parsers on nichiro's fact files: tomli (compiled wheel) against the stdlib tomllib.

    .venv/bin/python benchmarks/toml_parsers.py [DIR ...] [--repeat 20]

Run it with the interpreter nichiro is installed in (it needs tomli importable, and Python 3.11+
for tomllib). Parses every *.toml file of each DIR (default: the repository's facts/) from text
already in memory, --repeat times, and prints the median time of one full pass per parser, and
the time to import each parser in a fresh process. Both parsers must give the same data.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def time_parser(name: str, texts: list[str], repeat: int) -> float:
    loads = importlib.import_module(name).loads
    passes = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            loads(text)
        passes.append(time.perf_counter() - start)
    return statistics.median(passes) * 1000.0


def import_ms(name: str, repeat: int = 7) -> float:
    code = f"import time; t = time.perf_counter(); import {name}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(repeat)
    ]
    return statistics.median(runs) * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[REPO / "facts"], help="directories of *.toml files")
    parser.add_argument("--repeat", type=int, default=20, help="full passes per parser (default 20)")
    args = parser.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for d in args.dirs for p in sorted(d.glob("*.toml"))]
    size = sum(len(t.encode()) for t in texts)
    names = [n for n in ("tomli", "tomllib") if importlib.util.find_spec(n) is not None]
    if len(names) < 2:
        raise SystemExit(f"need both tomli and tomllib (Python 3.11+); found: {', '.join(names) or 'neither'}")
    tomli, tomllib = (importlib.import_module(n) for n in names)
    if [tomli.loads(t) for t in texts] != [tomllib.loads(t) for t in texts]:
        raise SystemExit("tomli and tomllib disagree on these files")
    compiled = str(Path(tomli._parser.__file__).name)
    sys.stdout.write(f"Python {sys.version.split()[0]}; {len(texts)} files, {size / 1024:.0f} KiB; tomli {compiled}\n")
    results = {n: time_parser(n, texts, args.repeat) for n in names}
    for n in names:
        sys.stdout.write(
            f"{n:8s} parse {results[n]:8.1f} ms ({size / 1024 / results[n] * 1000 / 1024:.1f} MiB/s), "
            f"import {import_ms(n):5.1f} ms\n"
        )
    sys.stdout.write(f"tomllib / tomli: {results['tomllib'] / results['tomli']:.2f}x\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

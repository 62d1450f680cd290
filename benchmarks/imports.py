"""Import-time profile of nichiro's commands: which packages and modules a cold run spends on.

    python benchmarks/imports.py --python .venv/bin/python [--runs 5] [--top 12] [--json]

Runs each command of the cold-start benchmark (benchmarks/coldstart.py) with PYTHONPROFILEIMPORTTIME=1
(the same as `python -X importtime`) --runs times and reports, as medians over the runs:

- the total import time and the number of modules imported;
- per top-level package (typer, rich, rapidfuzz, nichiro, json, ...), the sum of the self time of
  its modules: what the package itself costs, wherever it was imported from;
- the modules with the largest cumulative time (a module and everything it imported first).

importtime's own bookkeeping inflates the numbers a little; compare them with each other, and use
coldstart.py for wall-clock times. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from itertools import zip_longest
from typing import Any

from _bench import clean_env, console_script, format_table, median, run_process, target_info

_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")

COMMANDS = {
    "search Shikotan --json": (["search", "Shikotan", "--json"], {}),
    "meetings --year 2016 --format table": (["meetings", "--year", "2016", "--format", "table"], {"COLUMNS": "120"}),
    "--help": (["--help"], {}),
}


def parse(stderr: str) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) for each import of an importtime report."""
    out = []
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m:
            out.append((m[4], int(m[1]), int(m[2]), (len(m[3]) - 1) // 2))
    return out


def profile(nichiro: str, args: list[str], env: dict[str, str], runs: int, cwd: str) -> dict[str, Any]:
    totals: list[float] = []
    counts: list[int] = []
    per_package: dict[str, list[float]] = defaultdict(list)
    per_module: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        run = run_process([nichiro, *args], clean_env({**env, "PYTHONPROFILEIMPORTTIME": "1"}), cwd, 60.0, capture=True)
        if run.returncode != 0:
            raise SystemExit(f"{args}: exit code {run.returncode}\n{run.stderr[-2000:]}")
        rows = parse(run.stderr)
        package: dict[str, int] = defaultdict(int)
        for module, self_us, cumulative_us, _depth in rows:
            package[module.split(".")[0]] += self_us
            per_module[module].append(cumulative_us / 1000.0)
        for name, us in package.items():
            per_package[name].append(us / 1000.0)
        totals.append(sum(r[1] for r in rows) / 1000.0)
        counts.append(len(rows))
    return {
        "total_ms": round(median(totals), 1),
        "modules": int(median(counts)),
        "packages": sorted(
            ({"package": k, "self_ms": round(median(v), 1)} for k, v in per_package.items()),
            key=lambda r: -float(r["self_ms"]),
        ),
        "cumulative": sorted(
            ({"module": k, "cumulative_ms": round(median(v), 1)} for k, v in per_module.items()),
            key=lambda r: -float(r["cumulative_ms"]),
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter to profile (default: this one)")
    parser.add_argument("--nichiro", help="the console script (default: nichiro beside --python)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--top", type=int, default=12, help="rows of each list (default 12)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    nichiro = args.nichiro or console_script(args.python)
    info = target_info(args.python)
    with tempfile.TemporaryDirectory(prefix="nichiro-imports-") as cwd:
        # nichiro's store in a cache of our own, built by a first run of each command (not profiled):
        # the profile is of the usual run, which reads the store.
        commands = {name: (a, {**e, "XDG_CACHE_HOME": f"{cwd}/cache"}) for name, (a, e) in COMMANDS.items()}
        for a, e in commands.values():
            run_process([nichiro, *a], clean_env(e), cwd)
        results = {name: profile(nichiro, a, e, args.runs, cwd) for name, (a, e) in commands.items()}
    if args.json:
        for r in results.values():
            r["packages"] = r["packages"][: args.top * 2]
            r["cumulative"] = r["cumulative"][: args.top * 2]
        sys.stdout.write(json.dumps({"target": info, "runs": args.runs, "commands": results}, indent=2) + "\n")
        return 0
    w = sys.stdout.write
    w(f"Python {info['version']} ({info['executable']}); medians of {args.runs} runs under -X importtime\n")
    for name, r in results.items():
        w(f"\nnichiro {name}: {r['total_ms']:.1f} ms of imports, {r['modules']} modules\n")
        top = r["packages"][: args.top]
        cum = [c for c in r["cumulative"] if c["module"] != "encodings"][: args.top]
        rows = [
            [
                p["package"] if p else "",
                f"{p['self_ms']:.1f}" if p else "",
                c["module"] if c else "",
                f"{c['cumulative_ms']:.1f}" if c else "",
            ]
            for p, c in zip_longest(top, cum)
        ]
        w(format_table(["package", "self ms", "module", "cumulative ms"], rows, right=(1, 3)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

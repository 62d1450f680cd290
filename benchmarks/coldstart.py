"""Cold-start benchmark: whole-process runs of nichiro, each as a ratio to `python -c pass`.

    python benchmarks/coldstart.py --python .venv/bin/python [--runs 15] [--json] [--check]

Times, as the median of --runs cold processes after one warm-up run each, with the same
interpreter and the same environment:

    python -c pass                                   the baseline: interpreter start-up and site
    nichiro search Shikotan --json                   target: at most 3x the baseline (issue 11; 5x before)
    nichiro meetings --year 2016 --format table      target: at most 5x (COLUMNS=120, rich table)
    nichiro --help                                   target: at most 5x
    nichiro --version                                target: at most 2x
    nichiro cite 1956-10-19-... (five sources, APA)  target: at most 10x (loads citeproc-py, lxml, the style)

The runs are interleaved (baseline, search, table, help, baseline, ...) so that a slow patch of
the machine hits all of them alike. nichiro's cache lives in a temporary XDG_CACHE_HOME that the
warm-up fills: the timed runs are the usual case, a warm cache. Benchmark an installed package
(`pip install .`, not -e), with the console script beside the interpreter: see
docs/performance.md for why a source tree under PYTHONDONTWRITEBYTECODE=1 measures compilation
instead. Exits 0 unless --check is given and a target is missed (then 1). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from _bench import clean_env, console_script, format_table, machine_info, median, run_process, target_info


@dataclass
class Case:
    name: str
    args: list[str]
    target: float | None  # the largest ratio to the baseline allowed; None for the baseline itself
    check_output: Callable[[str], str | None] = lambda out: None  # what is wrong with the output, or None
    env: dict[str, str] = field(default_factory=dict)
    times_ms: list[float] = field(default_factory=list)


def _json_list(out: str) -> str | None:
    try:
        data = json.loads(out)
    except ValueError as exc:
        return f"not JSON: {exc}"
    return None if isinstance(data, list) and data else "expected a non-empty JSON list"


def _table(out: str) -> str | None:
    if "Meetings (" not in out or not any(ch in out for ch in "─━│┃"):
        return "expected a rich table titled Meetings"
    if max(len(line) for line in out.splitlines()) > 120:
        return "the table is wider than COLUMNS=120"
    return None


def _apa(out: str) -> str | None:
    return None if "Skaltsounis, P. (2017)." in out else "expected the APA references"


def _version(out: str) -> str | None:
    return None if out.startswith("nichiro ") and out.count("\n") == 1 else "expected one line, the version"


def _help(out: str) -> str | None:
    return None if "Usage" in out and "search" in out else "expected the usage text"


def cases(python: str, nichiro: str) -> list[Case]:
    return [
        Case("python -c pass", [python, "-c", "pass"], None),
        Case("nichiro search Shikotan --json", [nichiro, "search", "Shikotan", "--json"], 3.0, _json_list),
        Case(
            "nichiro meetings --year 2016 --format table",
            [nichiro, "meetings", "--year", "2016", "--format", "table"],
            5.0,
            _table,
            {"COLUMNS": "120"},
        ),
        Case("nichiro --help", [nichiro, "--help"], 5.0, _help),
        Case("nichiro --version", [nichiro, "--version"], 2.0, _version),
        Case(
            "nichiro cite 1956-10-19-... (APA, CSL processor)",
            [nichiro, "cite", "1956-10-19-soviet-japanese-joint-declaration"],
            10.0,
            _apa,
        ),
    ]


def measure(python: str, nichiro: str, runs: int, timeout: float) -> list[Case]:
    todo = cases(python, nichiro)
    # A directory of our own as the working directory (no stray nichiro/ on the path) and as
    # XDG_CACHE_HOME: nichiro's cache is filled by the warm-up and warm for every timed run,
    # and the user's own cache is left alone.
    with tempfile.TemporaryDirectory(prefix="nichiro-coldstart-") as cwd:
        envs = [clean_env({**case.env, "XDG_CACHE_HOME": cwd}) for case in todo]
        for case, env in zip(todo, envs, strict=True):  # warm-up: the page cache, nichiro's cache
            run = run_process(case.args, env, cwd, timeout, capture=True)
            problem = f"exit code {run.returncode}" if run.returncode != 0 else case.check_output(run.stdout)
            if problem:
                raise SystemExit(f"{case.name}: {problem}\n{run.stderr.strip()}")
        for _ in range(runs):
            for case, env in zip(todo, envs, strict=True):
                case.times_ms.append(run_process(case.args, env, cwd, timeout).ms)
    return todo


def report(todo: list[Case]) -> dict[str, object]:
    base = median(todo[0].times_ms)
    results = []
    for case in todo:
        med = median(case.times_ms)
        ratio = med / base
        results.append(
            {
                "command": case.name,
                "median_ms": round(med, 1),
                "min_ms": round(min(case.times_ms), 1),
                "max_ms": round(max(case.times_ms), 1),
                "ratio": round(ratio, 2),
                "target": case.target,
                "pass": None if case.target is None else ratio <= case.target,
            }
        )
    return {"baseline_ms": round(base, 1), "runs": len(todo[0].times_ms), "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter to benchmark (default: this one)")
    parser.add_argument("--nichiro", help="the console script (default: nichiro beside --python)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15, at least 10)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is killed (default 60)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 10:
        parser.error("--runs must be at least 10: a median of fewer cold runs is too noisy")
    nichiro = args.nichiro or console_script(args.python)
    info = target_info(args.python)
    todo = measure(args.python, nichiro, args.runs, args.timeout)
    result = {"machine": machine_info(), "target": info, "nichiro": nichiro, **report(todo)}
    rows = result["results"]
    assert isinstance(rows, list)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        m, t = result["machine"], info
        assert isinstance(m, dict)
        sys.stdout.write(
            f"Python {t['version']} ({args.python}); {m['cpu']}, {m['nproc']} CPUs; "
            f"median of {result['runs']} cold runs after a warm-up\n"
        )
        missing = [mod for mod, ok in dict(t["pyc_present"]).items() if not ok]  # type: ignore[call-overload]
        if missing:
            sys.stdout.write(f"warning: no .pyc for {', '.join(missing)}: each run compiles them again\n")
        table = [
            [
                r["command"],
                f"{r['median_ms']:.1f}",
                f"{r['ratio']:.2f}x",
                "-" if r["target"] is None else f"<= {r['target']:g}x",
                "" if r["pass"] is None else ("pass" if r["pass"] else "FAIL"),
            ]
            for r in rows
        ]
        sys.stdout.write(format_table(["command", "median ms", "ratio", "target", "result"], table, right=(1, 2)))
    failed = [r for r in rows if r["pass"] is False]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())

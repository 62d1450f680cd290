"""Write the output of every example query in docs/sqlite.md, run against a fresh export of the bundled base.

python scripts/gen_sqlite_docs.py          # rewrite the outputs (commit them with the change)
python scripts/gen_sqlite_docs.py --check  # exit 1 when what the doc shows is stale

Each example is a `$ sqlite3 nichiro.db "SQL"` line in a console block; its output is printed as the
sqlite3 shell prints it by default (columns joined by |, NULL as nothing). Lines of the block that
do not start with `$ ` are the output, and are replaced.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "sqlite.md"
_BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)
_QUERY = re.compile(r'^\$ sqlite3 nichiro\.db "(.*)"$')


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def _run(db: sqlite3.Connection, sql: str) -> list[str]:
    return ["|".join(_cell(v) for v in row) for row in db.execute(sql)]


def render(text: str, db: sqlite3.Connection) -> str:
    def block(match: re.Match[str]) -> str:
        lines = match.group(2).splitlines()
        if not lines or not _QUERY.match(lines[0]):
            return match.group(0)
        out: list[str] = []
        for line in lines:
            query = _QUERY.match(line)
            if query:
                out += [line, *_run(db, query.group(1))]
        return match.group(1) + "\n".join(out) + "\n" + match.group(3)

    return _BLOCK.sub(block, text)


def generate() -> str:
    from nichiro.export import export_sqlite
    from nichiro.factbase import load_factbase

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nichiro.db"
        export_sqlite(load_factbase(), path)
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return render(DOC.read_text(encoding="utf-8"), db)


if __name__ == "__main__":
    text = generate()
    if "--check" in sys.argv:
        stale = DOC.read_text(encoding="utf-8") != text
        if stale:
            sys.stderr.write(f"stale: {DOC} (run python scripts/gen_sqlite_docs.py)\n")
        sys.exit(1 if stale else 0)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")

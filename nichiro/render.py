"""Turns records into output: rich tables and panels, plain rows, JSON, JSON Lines, CSV and TSV.

The only user of rich, imported inside the functions that draw, so that machine formats never pay
for it. Functions return strings or renderables; where they go is the CLI's business.
"""

from __future__ import annotations

import io

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from rich.console import RenderableType

Column = tuple[str, str]  # (record key, header)


def cell(value: Any, sep: str = ", ") -> str:
    """A record value as text for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return sep.join(cell(v, sep) for v in value)
    if isinstance(value, dict):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def to_json(data: Any) -> str:
    """Indented JSON that keeps Japanese and Cyrillic readable, keys in the records' own order."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_jsonl(records: Sequence[dict[str, Any]]) -> str:
    import json

    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def to_delimited(records: Sequence[dict[str, Any]], columns: Sequence[Column], dialect: str) -> str:
    """CSV (a header row, lists joined with "; ") or TSV (tabs and newlines in values become spaces)."""
    buf = io.StringIO()
    if dialect == "csv":
        import csv

        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([key for key, _ in columns])
        for rec in records:
            writer.writerow([cell(rec.get(key), "; ") for key, _ in columns])
        return buf.getvalue()
    lines = ["\t".join(key for key, _ in columns)]
    lines += ["\t".join(_flat(cell(rec.get(key), "; ")) for key, _ in columns) for rec in records]
    return "\n".join(lines) + "\n"


def to_plain(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """Tab-separated rows with no header, for pipes (as `gh` prints when stdout is not a terminal)."""
    return "".join("\t".join(_flat(cell(rec.get(key))) for key, _ in columns) + "\n" for rec in records)


def _flat(text: str) -> str:
    return " ".join(text.split())


_NARROW = frozenset(
    {"date", "id", "score", "category", "kind", "level", "value", "count", "unit", "qualifier"}
    | {"total", "exports", "imports", "claim", "facts", "amount", "measure", "program", "direction", "scope", "since"}
    | {"place_names", "source_ids", "licence"}
)
# Shares of the width left over for the columns that wrap: titles and summaries get the most.
_RATIOS = {
    **{"title": 5, "summary": 4, "participant_names": 2, "why": 2, "provisions": 4, "reporter": 3, "change": 3},
    **{"publisher": 3, "authors": 2},
}


def table(records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None) -> RenderableType:
    """A rich table of records; long text wraps, dates and ids never do."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Text, not str: a title may hold what the user typed ("Search: [bold]"), never read as markup.
    t = Table(
        title=Text(title) if title is not None else None,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        header_style="bold",
        title_justify="left",
    )
    keys = [key for key, _ in columns]
    # The id goes under the title, dimmed: it is what `show` takes, and a column of its own is too wide.
    id_under_title = "id" in keys and "title" in keys
    # Columns with nothing in them are left out: a table has no room to waste.
    shown = [
        (key, header)
        for key, header in columns
        if not (id_under_title and key == "id") and any(cell(rec.get(key)) for rec in records)
    ]
    t.expand = any(key not in _NARROW for key, _ in shown)  # only text columns take the spare width
    for key, header in shown:
        if key in _NARROW:
            t.add_column(header, no_wrap=True)
        elif key == "title" and id_under_title:
            # Wide enough for the ids beneath, so that one can be copied whole.
            longest = max((len(cell(rec.get("id"))) for rec in records), default=8)
            t.add_column(header, ratio=_RATIOS["title"], min_width=min(longest, 60), overflow="fold")
        else:
            t.add_column(header, ratio=_RATIOS.get(key, 1), min_width=8, overflow="fold")
    for rec in records:
        cells = []
        for key, _ in shown:
            # Text() so that brackets in fact text are shown literally, never read as rich markup.
            text = Text(cell(rec.get(key)))
            if key == "title" and id_under_title:
                text.append("\n" + cell(rec.get("id")), style="dim")
            cells.append(text)
        t.add_row(*cells)
    return t


def detail(rec: dict[str, Any], plain: bool) -> RenderableType | str:
    """Everything about one fact: a panel on a terminal, labelled lines otherwise."""
    lines = _detail_lines(rec)
    if plain:
        return "".join(f"{label}: {value}\n" if label else f"{value}\n" for label, value in lines)
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    for label, value in lines:
        if label:
            body.append(f"{label}: ", style="bold")
        body.append(f"{value}\n")
    body.rstrip()
    return Group(Panel(body, title=Text(rec["title"]), title_align="left", expand=True))


_SKIP = {
    "id",
    "title",
    "summary",
    "sources",
    "note",
    "status",
    "disagreements",
    "related_facts",
    "related",
    "disagrees_with",
    "date_precision",
    "as_written",
    "participants",
    "place",
    "tags",
    "figures",
}


def _detail_lines(rec: dict[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = [("id", rec["id"]), ("category", rec["category"])]
    if rec.get("date"):
        lines.append(("date", f"{rec['date']} ({rec['date_precision']})"))
    if rec.get("status") == "claim":
        cited = ", ".join(s["source"] for s in rec["sources"])
        lines.append(("status", f"CLAIM by {cited}: the sources cannot back this up"))
    lines.append(("title", rec["title"]))
    lines.append(("summary", rec["summary"]))
    for key, value in rec.items():
        if key in _SKIP or key in ("category", "date") or value in (None, [], ""):
            continue
        lines.append((key.replace("_", " "), cell(value)))
    for fig in rec.get("figures") or ():
        parts = [fig.get("subject"), fig["label"]]
        qual = fig.get("qualifier")
        amount = f"{'' if not qual or qual == 'exactly' else qual.replace('-', ' ') + ' '}{cell(fig['value'])}"
        lines.append(("figure", f"{': '.join(p for p in parts if p)} = {amount} {fig.get('unit') or ''}".rstrip()))
    if rec.get("tags"):
        lines.append(("tags", ", ".join(rec["tags"])))
    if rec.get("as_written"):
        lines.append(("as written", ", ".join(rec["as_written"])))
    if rec.get("note"):
        lines.append(("note", rec["note"]))
    for i, src in enumerate(rec["sources"], 1):
        about = ", ".join(x for x in (src.get("publisher"), src.get("source_date")) if x)
        lines.append((f"source {i}", f"{src['source']}" + (f" ({src.get('title')}; {about})" if about else "")))
        lines.append(("", f'    "{src["quote"]}"'))
    for other in rec.get("disagreements") or ():
        lines.append(("DISAGREES WITH", f"{other['id']} [{', '.join(other['sources'])}]: {other['summary']}"))
    for other in rec.get("related_facts") or ():
        lines.append(("related", f"{other['id']}: {other['title']}"))
    return lines


def bar_chart(items: Sequence[tuple[str, float, str]], width: int, block: str = "█") -> str:
    """Horizontal bars, one per (label, value, suffix), scaled to the largest value."""
    if not items:
        return ""
    label_width = max(len(label) for label, _, _ in items)
    top = max(abs(value) for _, value, _ in items) or 1.0
    room = max(10, width - label_width - 24)
    lines = []
    for label, value, suffix in items:
        bar = block * max(1, round(abs(value) / top * room))
        lines.append(f"{label.ljust(label_width)}  {bar} {cell(value)} {suffix}".rstrip())
    return "\n".join(lines) + "\n"

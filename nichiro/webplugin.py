"""A Datasette plugin that `nichiro serve` registers: the rows of the search query link to their facts.

Datasette links a table's keys by itself; a canned query's columns it cannot know. Imported by
`web` alone (it needs Datasette).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from .model import FACT_ID_RE


@hookimpl  # type: ignore[untyped-decorator]
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if table is None and column == "id" and isinstance(value, str) and FACT_ID_RE.match(value):
        href = datasette.urls.row(database, "facts", value)
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None

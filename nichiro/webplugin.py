"""A Datasette plugin that `nichiro serve` registers: nichiro's search, and rows that link to their facts.

For the Datasette instances `web.datasette` makes (and no other, though the plugin manager is
global): `nichiro search` behind the `search` query (the SQL function `nichiro_search`), Datasette's
own `escape_fts` replaced by nichiro's reading of the words for the table's search box, what either
read differently from what was typed said above the rows, and the search query's rows linked to
their facts. Imported by `web` alone (it needs Datasette).
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any
from weakref import WeakKeyDictionary

from datasette import hookimpl
from datasette.filters import FilterArguments
from markupsafe import Markup, escape

from .model import FACT_ID_RE
from .web import DATABASE, SearchReader

READERS: WeakKeyDictionary[Any, SearchReader] = WeakKeyDictionary()  # Datasette instance -> its reader
SEARCH_TEMPLATE = f"query-{DATABASE}-search.html"  # nichiro/templates: the search query's page
SEARCHED_TABLE = "facts"  # the one table with a full-text index


def _reader(datasette: Any, database: str) -> SearchReader | None:
    return READERS.get(datasette) if database == DATABASE else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


@hookimpl(trylast=True)  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    # trylast: after Datasette's own functions, so that this escape_fts replaces Datasette's.
    reader = _reader(datasette, database)
    if reader is None:
        return
    # The `search` query (export.FORGIVING_SEARCH_SQL): `nichiro search`'s hits, as JSON.
    conn.create_function("nichiro_search", 1, lambda q: reader.search(_text(q)).hits, deterministic=True)
    # The table's search box (`?_search=`): its words read as nichiro's search reads them.
    conn.create_function("escape_fts", 1, lambda q: reader.read(_text(q)).fts, deterministic=True)


@hookimpl(trylast=True)  # type: ignore[untyped-decorator]
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """The search box's reading, said where Datasette says what the rows are: "where search matches
    "Shikotn" and "Shikotn" read as "Shikotan" (typo)" (trylast: after Datasette's own words)."""
    reader = _reader(datasette, database)
    # What Datasette's search reads through escape_fts: ?_search= and ?_search_COLUMN=, unless raw.
    queries = [request.args[k] for k in request.args if k.startswith("_search") and k != "_searchmode"]
    queries = [q for q in queries if q]
    if reader is None or table != SEARCHED_TABLE or not queries or request.args.get("_searchmode") == "raw":
        return None

    async def inner() -> FilterArguments:
        notes = [(await asyncio.wrap_future(reader.submit_read(q))).note() for q in queries]
        return FilterArguments([], human_descriptions=[n for n in notes if n])

    return inner


@hookimpl  # type: ignore[untyped-decorator]
def extra_template_vars(template: str, database: str, request: Any, datasette: Any) -> Any:
    """The `search` query's reading, for its page's line above the rows."""
    reader = _reader(datasette, database)
    if reader is None or template != SEARCH_TEMPLATE or request is None:
        return None

    async def inner() -> dict[str, Any]:
        found = await asyncio.wrap_future(reader.submit_search(request.args.get("q") or ""))
        return {"nichiro_reading": found.note}

    return inner


@hookimpl  # type: ignore[untyped-decorator]
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if table is None and column == "id" and isinstance(value, str) and FACT_ID_RE.match(value):
        href = datasette.urls.row(database, "facts", value)
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None

"""`nichiro serve`: the base in Datasette, through Datasette's own test client, and once in a real browser.

Datasette comes with the web extra: these tests skip where it is not installed, and fail in CI,
which installs it (and Debian's chromium for the browser check).
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from nichiro import web
from nichiro.errors import UsageError
from nichiro.export import FORGIVING_SEARCH_SQL
from nichiro.factbase import load_factbase
from nichiro.fields import CATEGORIES
from nichiro.model import FactBase
from nichiro.paths import bundled_dir
from nichiro.search import run
from nichiro.store import Store, load

from .conftest import needs_chromium, needs_datasette

DECLARATION_1956 = "1956-10-19-soviet-japanese-joint-declaration"
VISITS_TO_THE_ISLANDS = "2016-visa-free-cumulative-japan-to-islands"  # placed on Kunashir, Shikotan, Iturup, ...
# The facts that refer to Shikotan (tagged with it, or placed there), which come before those that only mention it.
SHIKOTAN = {DECLARATION_1956, VISITS_TO_THE_ISLANDS}
DECLARATION_TITLE = "The Soviet–Japanese Joint Declaration ends the state of war"


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load_factbase()


def open_store() -> Store:
    """The store nichiro's search reads (the bundled base), built in memory: no test shares a cache."""
    return load([bundled_dir()], use_cache=False)


@pytest.fixture(scope="module")
def ds(base: FactBase, tmp_path_factory: pytest.TempPathFactory) -> Any:
    needs_datasette()
    path = web.export(base, tmp_path_factory.mktemp("cache"))
    return web.datasette(path, base, open_store)


def get(ds: Any, path: str) -> Any:
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response


def test_facts_table_shows_titles_facets_and_a_search_box(ds: Any) -> None:
    data = get(ds, "/nichiro/facts.json?_size=5").json()
    # The metadata's default facets and sort.
    assert {"category", "year", "status"} <= set(data["facet_results"])
    categories = {r["value"]: r["count"] for r in data["facet_results"]["category"]["results"]}
    assert categories["treaty"] >= 10 and categories["meeting"] >= 50
    assert data["human_description_en"] == "sorted by date_start"
    html = get(ds, "/nichiro/facts").text
    assert 'name="_search"' in html  # Datasette found the index on facts by itself


def test_fact_ids_show_as_titles_that_link_to_the_fact(ds: Any) -> None:
    rows = get(ds, f"/nichiro/quotes.json?fact_id={DECLARATION_1956}&_labels=on&_shape=array").json()
    assert rows and rows[0]["fact_id"] == {"value": DECLARATION_1956, "label": rows[0]["fact_id"]["label"]}
    assert rows[0]["fact_id"]["label"].startswith(DECLARATION_TITLE)
    assert rows[0]["source_id"]["label"]  # a source by its title
    html = get(ds, "/nichiro/participants?fact_id=2016-09-02-putin-abe-vladivostok").text
    assert '<a href="/nichiro/facts/2016-09-02-putin-abe-vladivostok">' in html
    assert "Vladimir Putin" in html and '<a href="/nichiro/people/vladimir-putin">' in html


def test_search_knows_aliases_in_every_script(ds: Any) -> None:
    for q in ("Shikotan", "色丹", "Шикотан"):
        table = get(ds, f"/nichiro/facts.json?_search={q}&_shape=array&_col=title").json()
        assert DECLARATION_1956 in [r["id"] for r in table], q
        found = get(ds, f"/nichiro/search.json?q={q}&_shape=array").json()
        assert DECLARATION_1956 in [r["id"] for r in found], q
    # The canned query: best first, snippets, and FTS syntax in the input is plain text.
    found = get(ds, "/nichiro/search.json?q=Shikotan&_shape=array").json()
    assert {r["id"] for r in found[:2]} == SHIKOTAN and all("[Shikotan]" in r["snippet"] for r in found[:2])
    assert get(ds, '/nichiro/search.json?q=NEAR("xylophone&_shape=array').json() == []
    # A minus is no NOT, quotes are no phrase syntax: "-1956" still asks for 1956.
    assert DECLARATION_1956 in [r["id"] for r in get(ds, '/nichiro/search.json?q="Shikotan" -1956&_shape=array').json()]
    assert get(ds, "/nichiro/search.json?q=&_shape=array").json() == []


def test_a_facet_on_a_link_table_names_people(ds: Any) -> None:
    data = get(ds, "/nichiro/participants.json?_facet=person_id").json()
    top = data["facet_results"]["person_id"]["results"][0]
    assert top["value"] == "vladimir-putin" and top["label"] == "Vladimir Putin"


def test_the_metadata_is_served(ds: Any) -> None:
    html = get(ds, "/").text
    assert "nichiro" in html and "CC BY-SA" in html and "MIT" in html
    meta = get(ds, "/-/metadata.json").json()
    assert meta["databases"]["nichiro"]["queries"]["search"]["title"] == "Search every fact, best first"
    page = get(ds, "/nichiro/search?q=Shikotan").text
    assert DECLARATION_TITLE in page
    assert f'<a href="/nichiro/facts/{DECLARATION_1956}">{DECLARATION_1956}</a>' in page  # rows link to facts
    body = page.split("</head>", 1)[1]
    assert "with recursive" not in body  # the query's SQL is hidden: a search page, not a lesson


def test_without_datasette_serve_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # import datasette fails
    monkeypatch.setitem(sys.modules, "datasette.app", None)
    with pytest.raises(UsageError, match=r'pip install "nichiro\[web\]"'):
        web.datasette(tmp_path / "x.db", load_factbase(), open_store)


def test_a_bad_port_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--port: 70000 is not a port"):
        web.serve(load_factbase(), tmp_path, open_store, port=70000)


# --------------------------------------------------------------------------- search that forgives


def reading_line(page: str) -> str | None:
    """The line above the search query's rows that says how it read the query."""
    found = re.findall(r'<p class="nichiro-reading[^"]*">(.*?)</p>', page, re.S)
    return html.unescape(found[0]).strip() if found else None


# A typo, Habomai misspelt, Kunrei spellings (シコタン, クナシリ), a typo in Cyrillic: (query, read as, how).
MISSPELT = [
    ("Shikotn", "Shikotan", "typo"),
    ("Habomi", "Habomai Islands", "typo"),
    ("Sikotan", "Shikotan", "transliteration"),
    ("Kunasiri", "Kunashir", "transliteration"),
    ("Шикотна", "Shikotan", "typo"),
]


@pytest.mark.parametrize(("typed", "read", "how"), MISSPELT)
def test_the_search_query_reads_typos_and_spellings_as_nichiro_search(ds: Any, typed: str, read: str, how: str) -> None:
    found = get(ds, f"/nichiro/search.json?q={typed}&_shape=array").json()
    # `nichiro search` itself: the same facts in the same order, with its reasons.
    store = open_store()
    expected = run(store, typed, CATEGORIES, web.SEARCH_LIMIT)
    assert expected.hits and expected.corrections == [(typed, read, how)]
    assert [r["id"] for r in found] == [h.id for h in expected.hits]
    assert [r["score"] for r in found] == [h.score for h in expected.hits]
    assert all(typed.casefold() in r["why"] and (how == "typo") == ("(typo)" in r["why"]) for r in found)
    # Said on the page, above the rows: never silently.
    assert reading_line(get(ds, f"/nichiro/search?q={typed}").text) == f'Search: "{typed}" read as "{read}" ({how})'


@pytest.mark.parametrize(("typed", "read", "how"), MISSPELT)
def test_the_search_box_reads_typos_and_spellings_and_says_so(ds: Any, typed: str, read: str, how: str) -> None:
    data = get(ds, f"/nichiro/facts.json?_search={typed}&_col=title&_shape=objects").json()
    ids = [r["id"] for r in data["rows"]]
    assert ids and set(ids) <= {h.id for h in run(open_store(), typed, CATEGORIES, 500).hits}
    assert f'"{typed}" read as "{read}" ({how})' in data["human_description_en"]
    page = html.unescape(get(ds, f"/nichiro/facts?_search={typed}").text)
    assert f'where search matches "{typed}" and "{typed}" read as "{read}" ({how})' in page


def test_the_misspelt_islands_find_the_1956_declaration(ds: Any) -> None:
    for typed in ("Shikotn", "Habomi", "Sikotan", "Шикотна", "Shikotn 1956"):
        found = get(ds, f"/nichiro/search.json?q={typed}&_shape=array").json()
        assert found[0]["id"] in SHIKOTAN and DECLARATION_1956 in [r["id"] for r in found[:2]], typed
        table = get(ds, f"/nichiro/facts.json?_search={typed}&_shape=array&_col=title").json()
        assert DECLARATION_1956 in [r["id"] for r in table], typed
    for row in get(ds, "/nichiro/search.json?q=Shikotn&_shape=array").json()[:2]:
        assert "[Shikotan]" in row["snippet"]  # the word it was read as, found in the text


def test_a_search_for_what_no_fact_mentions_finds_nothing_and_says_so(ds: Any) -> None:
    for q in ("xylophone", "Shikotn xylophone", 'NEAR("xylophone'):
        assert get(ds, f"/nichiro/search.json?q={q}&_shape=array").json() == [], q
        line = reading_line(get(ds, f"/nichiro/search?q={q}").text)
        assert line is not None and line.startswith('Search: no fact mentions "xylophone"'), (q, line)
        data = get(ds, f"/nichiro/facts.json?_search={q}").json()
        assert data["rows"] == [] and 'no fact mentions "xylophone"' in data["human_description_en"], q
    # Every word must match: one that no fact has is not dropped (the rows could not say so).
    line = reading_line(get(ds, "/nichiro/search?q=Shikotn xylophone").text)
    assert line == 'Search: no fact mentions "xylophone", and every word must match'


def test_a_word_the_facts_have_is_searched_as_typed_and_nothing_is_said(ds: Any) -> None:
    for q in ("Shikotan", "色丹", "Шикотан"):
        assert reading_line(get(ds, f"/nichiro/search?q={q}").text) is None, q
        data = get(ds, f"/nichiro/facts.json?_search={q}").json()
        assert data["human_description_en"] == f'where search matches "{q}" sorted by date_start', q
    # A raw FTS query is the user's own: read as typed, not corrected.
    assert get(ds, "/nichiro/facts.json?_search=Shikotn&_searchmode=raw").json()["rows"] == []


FTS_SYNTAX = ['"', '""', "AND", "OR NOT", "NEAR(a b)", "*", "-Shikotn", "title:Shikotn", "^Abe", "(", "a + b", "'"]


@pytest.mark.parametrize("q", [*FTS_SYNTAX, "\\", '"Shikotn', "Shikotn AND NEAR(Habomi"])
def test_the_forgiving_search_is_safe_against_fts_syntax(reader: web.SearchReader, exported: Path, q: str) -> None:
    with closing(sqlite3.connect(exported)) as conn:
        conn.create_function("nichiro_search", 1, lambda q: reader.search(q).hits)
        conn.execute(FORGIVING_SEARCH_SQL, {"q": q}).fetchall()  # no error, whatever is typed
        conn.execute("select count(*) from facts_fts where facts_fts match ?", (reader.read(q).fts,)).fetchall()


def test_the_search_box_keeps_a_quoted_phrase_and_corrects_words(reader: web.SearchReader) -> None:
    assert reader.read('"Shikotan Island"').fts == '"Shikotan Island"'
    assert reader.read('"Shikotn Island"').unmatched == ["Shikotn Island"]  # a phrase is the user's own
    reading = reader.read("Shikotn  1956")
    assert reading.fts.startswith('("Shikotan" OR ') and reading.fts.endswith(' AND "1956"')
    assert reading.read_as == [("Shikotn", "Shikotan", "typo")] and reading.unmatched == []
    assert reader.read("").fts == reader.read(" - ").fts == '""'  # nothing to find: finds nothing


@pytest.fixture(scope="module")
def exported(base: FactBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web.export(base, tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def reader(exported: Path) -> Iterator[web.SearchReader]:
    reader = web.SearchReader(exported, open_store)
    yield reader
    reader.close()


# --------------------------------------------------------------------------- the real thing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"nichiro serve exited {server.returncode}: {server.communicate()[1]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nichiro serve did not listen on {port} within {timeout}s")


# What Chromium needs on a machine with no network and no display, run as root.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--window-size=1280,1400",
)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_serve_in_a_real_browser(tmp_path: Path) -> None:
    """The installed console script serves; headless Chromium renders the search page for Shikotan."""
    needs_datasette()
    chromium = needs_chromium()
    script = shutil.which("nichiro", path=str(Path(sys.executable).parent))
    assert script, "the nichiro console script is not installed beside this Python"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "NICHIRO_FACTS"}
    env["NICHIRO_CACHE_DIR"] = str(tmp_path / "cache")
    server = subprocess.Popen(
        [script, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, server)
        url = f"http://127.0.0.1:{port}/nichiro/search?q=Shikotan"
        browse = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
        shot = tmp_path / "search.png"
        subprocess.run([*browse, f"--screenshot={shot}", url], capture_output=True, timeout=120, check=True)
        width, height = _png_size(shot)
        assert (width, height) == (1280, 1400) and shot.stat().st_size > 10_000  # a page, not a blank
        dom = subprocess.run([*browse, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True)
        assert DECLARATION_TITLE in dom.stdout
        assert f'href="/nichiro/facts/{DECLARATION_1956}"' in dom.stdout or DECLARATION_1956 in dom.stdout
        assert "Search every fact, best first" in dom.stdout
        typo = subprocess.run(
            [*browse, "--dump-dom", url.replace("Shikotan", "Shikotn")], capture_output=True, text=True, timeout=120
        )
        assert DECLARATION_TITLE in typo.stdout
        assert reading_line(typo.stdout) == 'Search: "Shikotn" read as "Shikotan" (typo)'
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Traceback" not in err and out == ""
    assert f"http://127.0.0.1:{port}/nichiro" in err
    assert json.loads(json.dumps(err)) == err  # stderr is text: one line of where, nothing else noisy


def test_plain_datasette_finds_search_and_labels_without_metadata(base: FactBase, tmp_path: Path) -> None:
    """`nichiro export sqlite x.db && datasette x.db`: no metadata, no plugin, and still search and labels."""
    needs_datasette()
    from datasette.app import Datasette

    from nichiro.export import export_sqlite

    export_sqlite(base, tmp_path / "x.db")
    plain = Datasette([str(tmp_path / "x.db")])
    found = get(plain, "/x/facts.json?_search=色丹&_shape=array&_col=title").json()
    assert {r["id"] for r in found} == SHIKOTAN  # by the aliases of Shikotan, which only these two refer to
    rows = get(plain, f"/x/quotes.json?fact_id={DECLARATION_1956}&_labels=on&_shape=array").json()
    assert rows[0]["fact_id"]["label"].startswith(DECLARATION_TITLE)
    assert all(r["source_id"]["label"] for r in rows)  # every source by its name, titled or not
    people = get(plain, "/x/participants.json?_facet=person_id&_size=0").json()["facet_results"]["person_id"]
    assert people["results"][0]["label"] == "Vladimir Putin"
    # Exact words and aliases only (docs/sqlite.md): nichiro serve's plugin, registered in this
    # process, forgives typos for its own Datasette alone.
    typo = get(plain, "/x/facts.json?_search=Shikotn").json()
    assert typo["rows"] == [] and typo["human_description_en"] == 'where search matches "Shikotn"'


def test_the_forgiving_search_leaves_out_a_hit_that_lacks_a_word(reader: web.SearchReader) -> None:
    """Every word must match in serve's search: a hit that `nichiro search` marks `missing` is left out."""
    found = json.loads(reader.search("Putin Abe Sochi").hits)
    assert found and all("missing" not in hit["why"] for hit in found)
    assert {"2014-02-08-putin-abe-sochi-olympics", "2016-05-putin-abe-sochi"} <= {hit["id"] for hit in found}
    assert "2012-putin-and-abe-re-elected" not in {hit["id"] for hit in found}  # no Sochi
    assert json.loads(reader.search("Lavrov ambassador 2010").hits) == []  # no fact has all three

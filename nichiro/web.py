"""`nichiro serve`: the fact base in Datasette, on this machine. The only module that imports Datasette.

The base is exported to the cache (docs/sqlite.md) and served read-only (immutable) on 127.0.0.1
with the metadata of `export.datasette_metadata`. Datasette comes with the `web` extra
(`pip install "nichiro[web]"`); without it, `serve` says so.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any

from .errors import UsageError
from .export import datasette_metadata, export_sqlite
from .model import FactBase

DATABASE = "nichiro"  # Datasette names a database after its file: /nichiro, /nichiro/facts, ...
HOST = "127.0.0.1"
DEFAULT_PORT = 8001  # Datasette's own default
NEEDS_WEB = 'nichiro serve needs Datasette, which the web extra installs: pip install "nichiro[web]"'


def database_path(cache: str | os.PathLike[str]) -> Path:
    return Path(cache) / "datasette" / f"{DATABASE}.db"


def export(base: FactBase, cache: str | os.PathLike[str]) -> Path:
    """Export the base to the cache (replacing the last export, atomically) and return its path."""
    path = database_path(cache)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {path.parent}: {exc.strerror or exc}") from None
    export_sqlite(base, path, force=True)
    return path


def datasette(path: Path, base: FactBase) -> Any:
    """A Datasette instance serving the exported database, immutable, with nichiro's metadata, started."""
    try:
        from datasette.app import Datasette
    except ImportError:
        raise UsageError(NEEDS_WEB) from None
    from datasette.plugins import pm

    from . import webplugin

    if not pm.is_registered(webplugin):
        pm.register(webplugin, name="nichiro")
    ds = Datasette(
        immutables=[str(path)],
        metadata=datasette_metadata(base, DATABASE),
        settings={"default_page_size": 50, "facet_time_limit_ms": 500},
    )
    asyncio.run(ds.invoke_startup())
    return ds


def _open_when_up(url: str, port: int, timeout: float = 15.0) -> None:
    """Open the browser once the server answers (uvicorn takes a moment to bind)."""

    def wait_and_open() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, port), timeout=0.5):
                    webbrowser.open(url)
                    return
            except OSError:
                time.sleep(0.1)

    threading.Thread(target=wait_and_open, daemon=True).start()


def serve(base: FactBase, cache: str | os.PathLike[str], port: int = DEFAULT_PORT, open_browser: bool = False) -> None:
    """Export the base and serve it on 127.0.0.1:port until interrupted."""
    if not 0 < port < 65536:
        raise UsageError(f"--port: {port} is not a port (1 to 65535)")
    try:
        import uvicorn
    except ImportError:
        raise UsageError(NEEDS_WEB) from None
    path = export(base, cache)
    ds = datasette(path, base)
    with socket.socket() as probe:  # a clear error, not a traceback from deep in uvicorn
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise UsageError(f"--port: cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    url = f"http://{HOST}:{port}/{DATABASE}"
    sys.stderr.write(f"nichiro: serving the fact base at {url} (search: {url}/search?q=Shikotan); Ctrl-C stops\n")
    sys.stderr.flush()
    if open_browser:
        _open_when_up(url, port)
    uvicorn.run(ds.app(), host=HOST, port=port, log_level="warning", lifespan="on")

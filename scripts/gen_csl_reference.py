"""Write tests/data/csl_reference.json: CSL items and what citeproc-js renders for them, as the reference.

python scripts/gen_csl_reference.py   # needs node and npm; installs citeproc-js into a temporary directory

citeproc-js is the CSL processor Zotero and Mendeley use. The items are every bundled source and
variants of each kind of source (several authors, an organisation, a month, a question for a title,
no type, no URL); the styles are the ones shipped in nichiro/styles, with citeproc-py's en-US
locale. tests/test_cite.py renders the same items with nichiro's processor and compares.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nichiro.cite import csl_item  # noqa: E402
from nichiro.csl import STYLES, STYLES_DIR  # noqa: E402
from nichiro.factbase import load_factbase  # noqa: E402

OUT = REPO / "tests" / "data" / "csl_reference.json"

RENDER = r"""
const fs = require('fs');
const CSL = require('citeproc');
const [stylePath, itemsPath, localePath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, 'utf8'));
const byId = Object.fromEntries(items.map(i => [i.id, i]));
const sys = { retrieveLocale: () => fs.readFileSync(localePath, 'utf8'), retrieveItem: id => byId[id] };
const out = [];
for (const it of items) {
  const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, 'utf8'), 'en-US');
  engine.setOutputFormat('text');
  engine.updateItems([it.id]);
  const entries = engine.makeBibliography()[1];
  if (entries.length) { out.push({id: it.id, text: entries[0].trim(), in_bibliography: true}); continue; }
  const r = engine.processCitationCluster({citationItems: [{id: it.id}], properties: {noteIndex: 1}}, [], []);
  out.push({id: it.id, text: r[1][0][1], in_bibliography: false});
}
console.log(JSON.stringify(out));
"""


def items() -> list[dict[str, Any]]:
    sources = [s.to_record() for s in load_factbase([REPO / "facts"]).sources.values()]
    out = [csl_item(s) for s in sources]

    def variant(base: str, new_id: str, **changes: Any) -> None:
        rec = {**next(s for s in sources if s["id"] == base), **changes, "id": new_id}
        out.append(csl_item(rec))

    two = [{"family": "Skaltsounis", "given": "Panagiotis"}, {"family": "Kimura", "given": "Hiroshi"}]
    variant("pecob-2017", "analysis-two-authors-month", authors=two, date="2017-02", url="https://example.org/a")
    variant("pecob-2017", "analysis-question-day", title="Is a peace treaty near?", date="2016-12-15")
    variant(
        "sputnik-2016",
        "news-byline-titled",
        authors=[{"family": "Ivanov", "given": "Ivan I."}],
        title="Putin to visit Japan",
        described_as=None,
    )
    variant(
        "russian-government-2012",
        "government-organisation-titled",
        authors=[{"name": "Ministry of Foreign Affairs of Japan"}],
        title="Japan–Russia Relations",
        described_as=None,
        publisher="Ministry of Foreign Affairs of Japan",
        date="2019-03",
    )
    variant("wikipedia-2019", "encyclopedia-day", date="2019-11-26")
    variant("russian-government-2012", "untyped-no-url", type=None, url=None)
    return out


def main() -> int:
    import citeproc

    locale = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
    data: dict[str, Any] = {"items": items()}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "install", "--silent", "--prefix", tmp, "citeproc"], check=True)
        (Path(tmp) / "render.js").write_text(RENDER, encoding="utf-8")
        (Path(tmp) / "items.json").write_text(json.dumps(data["items"], ensure_ascii=False), encoding="utf-8")
        version = json.loads((Path(tmp) / "node_modules" / "citeproc" / "package.json").read_text())["version"]
        data["processor"] = f"citeproc-js {version}"
        for name, (file, _) in STYLES.items():
            run = [str(Path(tmp) / "render.js"), str(STYLES_DIR / file), str(Path(tmp) / "items.json"), str(locale)]
            done = subprocess.run(["node", *run], check=True, capture_output=True, text=True, cwd=tmp)
            data[name] = json.loads(done.stdout)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""APA, Chicago and MLA references from CSL-JSON: citeproc-py with the official CSL styles shipped here.

Imported by `nichiro cite` alone (it loads lxml). The styles are the Citation Style Language
project's own files (nichiro/styles, CC BY-SA 3.0). citeproc-py implements CSL 1.0.1 but for four
rules that these styles rely on; `_complete_citeproc` adds them, each as the CSL specification
words it, and tests/test_cite.py checks the result against citeproc-js (the processor Zotero uses)
on every kind of source nichiro has:

1. Substituted variables are suppressed in the rest of the output (CSL 1.0.2, "Substitution"):
   a work without an author is listed under its title, and the title is not printed twice.
   citeproc-py suppresses only a bare `<text variable>` substitute, not one rendered by a macro.
2. `cs:label` renders only when its variable is non-empty ("Label"): no stray "Edition".
3. `initialize="false"` on `cs:name` keeps given names whole ("Name Options"): MLA and Chicago
   write "Skaltsounis, Panagiotis", APA "Skaltsounis, P.".
4. `punctuation-in-quote` (a locale option, true in en-US): a period or comma after a closing
   quotation mark goes inside it, as American usage has it: “Title.”
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

STYLES_DIR = Path(__file__).resolve().parent / "styles"
# The style a name picks, and what it is.
STYLES: dict[str, tuple[str, str]] = {
    "apa": ("apa.csl", "APA Style 7th edition"),
    "chicago": ("chicago-notes-bibliography.csl", "Chicago Manual of Style 18th edition (notes and bibliography)"),
    "mla": ("modern-language-association.csl", "MLA Handbook 9th edition"),
}


class Reference:
    """One work as a style renders it: its bibliography entry, or (where the style lists the work in
    notes only, as Chicago does an encyclopedia) the note."""

    __slots__ = ("id", "in_bibliography", "text")

    def __init__(self, id: str, text: str, in_bibliography: bool) -> None:
        self.id = id
        self.text = text
        self.in_bibliography = in_bibliography


def references(items: list[dict[str, Any]], style: str) -> list[Reference]:
    """Each item's reference in the style, as plain text, in the style's bibliography order."""
    _complete_citeproc()
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    csl = CitationStylesStyle(str(STYLES_DIR / STYLES[style][0]), validate=False)
    _ALIVE.append([*csl.root.iter(), *(e for loc in csl.root.locales for e in loc.iter())])
    bib = CitationStylesBibliography(csl, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    if len(items) > 1:
        bib.sort()
    piq = str(csl.root.get_locale_option("punctuation-in-quote")).lower() == "true"
    out = []
    for cited in list(bib.items):
        entries = csl.render_bibliography([cited])
        if entries:
            text, listed = str(entries[0]), True
        else:  # a work the style cites in notes only
            citation = Citation([CitationItem(cited.key)])
            bib.register(citation)
            note = bib.cite(citation, lambda item: None)
            text, listed = str(note), False
        out.append(Reference(cited.key, _punctuation_in_quote(_tidy(text)) if piq else _tidy(text), listed))
    return out


def _tidy(text: str) -> str:
    """Spaces collapsed, and a period after a question or exclamation mark dropped (CSL processors'
    punctuation rules: "Is a peace treaty near? Pecob.", not "near?. Pecob.")."""
    return re.sub(r"([?!])\.(?=\s|$)", r"\1", " ".join(text.split()))


_CLOSE = "\u201d"  # ” closes a quotation in the en-US locale (and “ opens it)


def _punctuation_in_quote(text: str) -> str:
    """“Title”. becomes “Title.”; “Why?”. becomes “Why?” (the mark a quotation ends with stands)."""
    text = re.sub(rf"(?<=[.?!]){_CLOSE}[.,]", _CLOSE, text)
    return re.sub(rf"{_CLOSE}([.,])", rf"\1{_CLOSE}", text)


# --------------------------------------------------------------------------- citeproc-py, completed

_done = False
# The elements of the styles loaded, kept alive: lxml then hands out the same Python object for an
# element every time, so that what is worked out once about an element can be kept by its id.
_ALIVE: list[list[Any]] = []


def _complete_citeproc() -> None:
    """Add to citeproc-py the CSL rules the shipped styles need and it lacks (see the module's doc)."""
    global _done
    if _done:
        return
    from citeproc import model
    from citeproc.source import VariableError

    def suppressed(context: Any) -> set[str]:
        return context.get_layout().repressed.setdefault("*substituted", set())  # type: ignore[no-any-return]

    def recording(context: Any) -> list[set[str]]:
        return context.get_layout().repressed.setdefault("*recording", [])  # type: ignore[no-any-return]

    def rendered(context: Any, variables: list[str]) -> None:
        for seen in recording(context):
            seen.update(variables)

    # 1. Substitution: what a substitute rendered is suppressed in the rest of the output.
    def substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        context = self if context is None else context
        for child in self.getchildren():
            seen: set[str] = set()
            recording(context).append(seen)
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                recording(context).pop()
            if text:
                suppressed(context).update(seen)
                rendered(context, list(seen))  # an enclosing substitute suppresses them too
                return text
        return None

    text_variable = model.Text._variable

    def text_variable_suppressed(self: Any, item: Any, context: Any) -> Any:
        variable = self.get("variable")
        if variable in suppressed(context):
            return None
        text = text_variable(self, item, context)
        if text:
            rendered(context, [variable])
        return text

    names_process = model.Names.process

    def names_process_suppressed(
        self: Any, item: Any, names_context: Any = None, context: Any = None, **kw: Any
    ) -> Any:
        context = self if context is None else context
        roles = self.get("variable").split()
        gone = suppressed(context)
        if any(role in gone for role in roles):
            kept = [role for role in roles if role not in gone]
            if not kept:
                raise VariableError
            self.set("variable", " ".join(kept))
            try:
                return names_process_suppressed(self, item, names_context, context, **kw)
            finally:
                self.set("variable", " ".join(roles))
        text = names_process(self, item, names_context=names_context, context=context, **kw)
        if text:
            rendered(context, [role for role in roles if role in item.reference])
        return text

    date_process = model.Date.process

    def date_process_suppressed(self: Any, item: Any, variable: Any = None, *args: Any, **kw: Any) -> Any:
        if self.is_locale_date():  # the locale's form of a date the style's element asked for: done there
            return date_process(self, item, variable, *args, **kw)
        name = variable or self.get("variable")
        context = kw.get("context")
        context = self if context is None else context  # (an lxml element with no children is falsy)
        if name in suppressed(context):
            return None
        text = date_process(self, item, variable, *args, **kw)
        if text:
            rendered(context, [name])
        return text

    # 2. A label renders only when its variable is non-empty.
    label_process = model.Label.process

    def label_process_nonempty(self: Any, item: Any, variable: Any = None, *args: Any, **kw: Any) -> Any:
        own = self.get("variable")
        if variable is None and own not in (None, "locator") and own.replace("-", "_") not in item.reference:
            return None
        return label_process(self, item, variable, *args, **kw)

    # 3. initialize="false": given names are not initialized.
    name_get_option = model.Name.get_option

    def name_get_option_initialize(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name == "initialize-with" and self.get("initialize", "true").lower() == "false":
            return None
        return name_get_option(self, name, context, sort_options)

    # Speed, not behaviour: citeproc-py looks macros, a date's locale and a names element's substitute
    # up by XPath, and asks again and again whether a group's macros call a variable; all of it depends
    # on the style alone, so each is worked out once (as is an item's reference, below).
    macros: dict[int, dict[str, Any]] = {}

    def get_macro_once(self: Any, name: str) -> Any:
        root = self.get_root()
        if id(root) not in macros:  # every macro of the style, in one pass
            tag = "{http://purl.org/net/xbiblio/csl}macro"
            macros[id(root)] = {m.get("name"): m for m in root.iterchildren(tag)}
        return macros[id(root)][name]

    def once(method: Any) -> Any:
        known: dict[int, Any] = {}

        def remembered(self: Any) -> Any:
            key = id(self)
            if key not in known:
                known[key] = method(self)
            return known[key]

        return remembered

    for cls in (model.Parent, model.Text, model.Group, model.Names, model.Date, model.Number, model.Label):
        if "calls_variable" in vars(cls):
            cls.calls_variable = once(vars(cls)["calls_variable"])
    model.Date.is_locale_date = once(model.Date.is_locale_date)
    model.Names.substitute = once(model.Names.substitute)
    layouts: dict[int, Any] = {}
    get_layout = model.CitationStylesElement.get_layout

    def get_layout_once(self: Any) -> Any:
        key = id(self)
        if key not in layouts:
            layouts[key] = get_layout(self)
        return layouts[key]

    # An item's reference is looked up (through three dictionary lookups) thousands of times a render.
    from citeproc.source import CitationItem

    def reference_once(self: Any) -> Any:
        known = vars(self)
        if "_reference" not in known:
            known["_reference"] = self.bibliography.source[self.key]
        return known["_reference"]

    CitationItem.reference = property(reference_once)
    model.CitationStylesElement.get_macro = get_macro_once
    model.CitationStylesElement.get_layout = get_layout_once
    model.Substitute.render = substitute_render
    model.Text._variable = text_variable_suppressed
    model.Names.process = names_process_suppressed
    model.Date.process = date_process_suppressed
    model.Label.process = label_process_nonempty
    model.Name.get_option = name_get_option_initialize
    _done = True

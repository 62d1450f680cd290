"""Shell completion, from the declaration in `options`: the scripts `nichiro completion SHELL` prints, and the answers.

A script calls the console script with `_NICHIRO_COMPLETE=SHELL` and the words of the command line
(the last one being completed); `fast` hands that to `respond`, without typer. The answer is one
candidate a line, `value<TAB>description`, or `:files` / `:dirs` for the shell's own file names.
People and places complete by id, found by any of their names or aliases (in any script) and shown
with their names; sources with their titles, tags with what they mean, `--fields` with the fields
of that command's records, and every option and value the declaration lists.
"""

from __future__ import annotations

from .options import GLOBAL_OPTIONS, ROOT, Argument, Command, Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

SHELLS = ("bash", "zsh", "fish")
ENV = "_NICHIRO_COMPLETE"
FILES, DIRS = ":files", ":dirs"
Candidate = tuple[str, str]  # value, description ("" for none)

# --------------------------------------------------------------------------- the scripts

_BASH = r"""# bash completion for nichiro: `nichiro completion bash`
_nichiro() {
    local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\n' line
    local -a lines
    lines=($(_NICHIRO_COMPLETE=bash "${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
    case ${lines[0]} in
        :files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
        :dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    COMPREPLY=()
    if ((${#lines[@]} == 1)); then
        COMPREPLY=("${lines[0]%%$'\t'*}")
        return
    fi
    # Several: each with its description (a person's name, a source's title), as gh does.
    for line in "${lines[@]}"; do
        if [[ $line == *$'\t'?* ]]; then
            COMPREPLY+=("${line%%$'\t'*}  (${line#*$'\t'})")
        else
            COMPREPLY+=("${line%%$'\t'*}")
        fi
    done
}
complete -F _nichiro nichiro
"""

_ZSH = r"""#compdef nichiro
# zsh completion for nichiro: `nichiro completion zsh`. It sets no style and changes no other setting.
_nichiro() {
    local -a lines described
    local line
    lines=("${(@f)$(_NICHIRO_COMPLETE=zsh "${words[1]}" "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    case ${lines[1]} in
        :files) _files; return ;;
        :dirs) _files -/; return ;;
    esac
    for line in $lines; do
        [[ -n $line ]] && described+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    done
    # -U: the candidates are already chosen (a name may find an id that does not start with it).
    (( ${#described} )) && _describe -t values nichiro described -U
}
if [[ $funcstack[1] == _nichiro ]]; then
    _nichiro "$@"
else
    compdef _nichiro nichiro
fi
"""

_FISH = r"""# fish completion for nichiro: `nichiro completion fish`
function __nichiro_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l answer (env _NICHIRO_COMPLETE=fish $words[1] $words[2..-1] 2>/dev/null)
    switch "$answer[1]"
        case :files
            __fish_complete_path (commandline -ct)
        case :dirs
            __fish_complete_directories (commandline -ct)
        case '*'
            printf '%s\n' $answer
    end
end
complete -c nichiro -f -a '(__nichiro_complete)'
"""

SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}

# Where each shell finds a completion script without any edit to a start-up file.
INSTALL_PATHS = {
    "bash": "~/.local/share/bash-completion/completions/nichiro",
    "zsh": "a directory of your $fpath, as _nichiro (e.g. ~/.zfunc/_nichiro, with fpath+=~/.zfunc before compinit)",
    "fish": "~/.config/fish/completions/nichiro.fish",
}


def script(shell: str) -> str:
    from .errors import UsageError

    if shell not in SCRIPTS:
        raise UsageError(f"completion: {shell!r} is not one of: {', '.join(SHELLS)}")
    return SCRIPTS[shell]


# --------------------------------------------------------------------------- the answers


def _option_by_flag(command: Command, flag: str) -> Option | None:
    for opt in (*command.all_options(), *GLOBAL_OPTIONS):
        if flag in opt.flags:
            return opt
    return None


def complete(words: Sequence[str]) -> list[Candidate] | str:
    """What completes the last of words (the words after `nichiro`): candidates, or FILES / DIRS."""
    *before, current = list(words) or [""]
    command, pending, positional = ROOT, None, 0
    after_dashes = False
    optional: Option | None = None  # an option whose value is optional, just given: the next word may be it
    for word in before:
        if pending is not None:
            if word != "=":  # bash splits --fields=x into --fields, =, x
                pending = None
            continue
        if optional is not None and optional.takes(word):
            optional = None
            continue
        optional = None
        if word == "--":
            after_dashes = True
        elif word.startswith("-") and len(word) > 1 and not after_dashes:
            flag, eq, _ = word.partition("=")
            opt = _option_by_flag(command, flag)
            if opt is not None and opt.bare is not None and not eq:
                optional = opt  # (its value is a number, which nothing completes: the word after is completed as usual)
            elif opt is not None and opt.kind != "flag" and not eq:
                pending = opt
        elif command.commands and word in command.commands:
            command = command.commands[word]
        else:
            positional += 1
    if pending is not None:
        return _values(pending, command, current)
    if current.startswith("--") and "=" in current:
        flag, _, value = current.partition("=")
        opt = _option_by_flag(command, flag)
        if opt is None or opt.kind == "flag":
            return []
        found = _values(opt, command, value)
        return found if isinstance(found, str) else [(f"{flag}={v}", d) for v, d in found]
    if current.startswith("-") and not after_dashes:
        return _flags(command, current)
    if command.commands:
        return [(name, sub.summary) for name, sub in command.commands.items() if name.startswith(current)]
    if positional < len(command.arguments) or (command.arguments and command.arguments[-1].many):
        arg = command.arguments[min(positional, len(command.arguments) - 1)]
        return _argument(arg, current)
    return []


def _flags(command: Command, current: str) -> list[Candidate]:
    out: list[Candidate] = []
    for opt in command.all_options():
        if opt.typer_only:
            continue
        for flag in opt.flags:
            if flag.startswith(current) and (flag.startswith("--") or current in ("-", flag)):
                out.append((flag, opt.help.split(". ")[0].rstrip(".").replace("{values}", "...")))
    if "--help".startswith(current):
        out.append(("--help", "Show the help and exit"))
    return out


def _argument(arg: Argument, current: str) -> list[Candidate] | str:
    if arg.kind == "path":
        return FILES
    if arg.complete:
        return _named(arg.complete, current)
    return []


def _values(opt: Option, command: Command, current: str) -> list[Candidate] | str:
    if opt.kind == "path":
        return DIRS if not opt.file_okay else FILES
    if opt.dest == "fields":
        return _fields(command, current)
    if opt.complete:
        found = _named(opt.complete, current)
        if found or not (opt.values or opt.choices):
            return found
    if opt.dest == "country" and command.name == "places":
        return _named("place_country", current)
    listed = opt.values or opt.choices
    return [(v, "") for v in listed if v.startswith(current.lower())]


def _fields(command: Command, current: str) -> list[Candidate]:
    """`--fields a,b,c`: the fields of this command's records, after those already given."""
    done, _, last = current.rpartition(",")
    given = set(done.split(",")) if done else set()
    prefix = f"{done}," if done else ""
    return [(prefix + f, "") for f in command_fields(command.name) if f.startswith(last) and f not in given]


def command_fields(name: str) -> list[str]:
    """The fields a command's --fields takes (tests/test_completion.py runs the command with each)."""
    from .views import listing_fields

    return listing_fields(name)


def _named(name: str, current: str) -> list[Candidate]:
    """Values from the base itself: ids found by any of their names, shown with what they stand for."""
    from .errors import NichiroError

    if name == "shell":
        return [(s, "") for s in SHELLS if s.startswith(current)]
    static = {
        "category": "CATEGORIES",
        "facet": "FACETS",
    }
    if name in static:
        from . import options

        values = getattr(options, static[name], ())
        return [(v, "") for v in values if v.startswith(current)]
    if name == "schema":
        from .schema import SCHEMA_FILES

        help = {"records": "the JSON the commands print", "facts": "the TOML fact files"}
        return [(n, help.get(n, "")) for n in SCHEMA_FILES if n.startswith(current)]
    try:
        from .commands import load_store

        store = load_store()
        if name == "fact_id":
            return [(i, "") for i in store.fact_ids() if i.startswith(current)][:200]
        if name == "place_country":
            countries = sorted({str(r.get("country")) for r in store.registry("place").values() if r.get("country")})
            return [(c, "") for c in countries if c.startswith(current.lower())]
        kind = {"person": "person", "place": "place", "source": "source", "tag": "tag"}.get(name)
        if kind is None:
            return []
        registry = store.registry(kind)
    except Exception as exc:
        from .store import is_busy, is_damage

        if isinstance(exc, (NichiroError, KeyError)) or is_damage(exc) or is_busy(exc):
            return []  # a store found damaged or busy while completing: no values, never a traceback
        raise
    return _matching(kind, registry, current)


def _describe(kind: str, rec: dict[str, object]) -> str:
    if kind == "person":
        return f"{rec.get('name')}, {rec.get('country')}" if rec.get("country") else str(rec.get("name"))
    if kind == "place":
        return ", ".join(str(rec[k]) for k in ("name", "kind", "country") if rec.get(k))
    if kind == "source":
        label = rec.get("title") or (f"[{rec['described_as']}]" if rec.get("described_as") else None)
        return ", ".join(str(v) for v in (label, rec.get("publisher"), rec.get("date")) if v)
    return str(rec.get("description") or "")


def _matching(kind: str, registry: dict[str, dict[str, object]], current: str) -> list[Candidate]:
    """Ids that start with what was typed, else ids whose name or an alias has a word that does."""
    from .text import fold

    by_id = [(i, _describe(kind, rec)) for i, rec in registry.items() if i.startswith(current.lower())]
    if by_id or not current:
        return sorted(by_id)
    typed = fold(current)
    found = []
    for i, rec in registry.items():
        names = [str(rec.get("name") or rec.get("title") or ""), *(str(a) for a in rec.get("aliases") or ())]  # type: ignore[attr-defined]
        folded = [fold(n) for n in names if n]
        if any(n.startswith(typed) or f" {typed}" in f" {n}" for n in folded):
            found.append((i, _describe(kind, rec)))
    return sorted(found)


def answer(words: Sequence[str]) -> str:
    """The answer to a completion request, as the scripts read it."""
    found = complete(words)
    if isinstance(found, str):
        return found + "\n"
    return "".join(f"{value}\t{help}\n" if help else f"{value}\n" for value, help in found)


def respond(shell: str, words: Sequence[str]) -> int:
    """Print the answer; a completion that fails prints nothing (a shell shows no traceback at a TAB)."""
    import sys

    from .commands import configure

    try:
        configure()  # NICHIRO_FACTS is read as a run reads it
        text = answer(words)
    except Exception:
        return 1
    sys.stdout.write(text)
    return 0

"""Shell completion: `nichiro completion SHELL`, the values it completes, and the scripts in real shells."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nichiro import completion
from nichiro.options import COMMANDS

SCRIPT = shutil.which("nichiro", path=str(Path(sys.executable).parent))


def values(*words: str) -> list[str] | str:
    found = completion.complete(list(words))
    return found if isinstance(found, str) else [v for v, _ in found]


def described(*words: str) -> dict[str, str]:
    found = completion.complete(list(words))
    assert not isinstance(found, str)
    return dict(found)


@pytest.fixture(autouse=True)
def _bundled_only(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.delenv("NICHIRO_FACTS", raising=False)
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    from nichiro import commands

    commands.configure()


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize("shell", completion.SHELLS)
def test_completion_prints_the_script(run, shell: str) -> None:  # type: ignore[no-untyped-def]
    r = run("completion", shell)
    assert r.code == 0 and r.err == ""
    assert r.out == completion.SCRIPTS[shell]
    assert "_NICHIRO_COMPLETE=" in r.out and "nichiro" in r.out


def test_completion_of_another_shell_is_a_usage_error(run) -> None:  # type: ignore[no-untyped-def]
    r = run("completion", "powershell")
    assert r.code == 2 and r.out == ""
    assert "bash, zsh, fish" in r.err and "\n" == r.err[-1] and r.err.count("\n") == 1


def test_no_installer_that_edits_start_up_files(run) -> None:  # type: ignore[no-untyped-def]
    # typer's --install-completion wrote bash's script when asked for fish, and a global zstyle to .zshrc.
    assert "zstyle" not in completion.SCRIPTS["zsh"]
    r = run("--help")
    assert "--install-completion" not in r.out and "--show-completion" not in r.out
    assert "completion" in r.out


# --------------------------------------------------------------------------- what completes


def test_people_complete_by_any_name_and_show_it() -> None:
    assert described("meetings", "--person", "vla") == {"vladimir-putin": "Vladimir Putin, russia"}
    for name in ("Putin", "путин", "Путин", "プーチン"):
        assert values("meetings", "--person", name) == ["vladimir-putin"], name
    assert values("meetings", "--person", "xylophone") == []  # nothing, not the files of the directory


def test_places_complete_with_their_names() -> None:
    found = described("meetings", "--place", "shi")
    assert found["shikotan"].startswith("Shikotan")
    assert "色丹" not in found and all(v.startswith("shi") for v in found)
    assert "shikotan" in values("meetings", "--place", "色丹島")


def test_registries_categories_and_choices() -> None:
    assert values("people", "--country", "ja") == ["japan"]
    assert "disputed" in values("places", "--country", "")  # the places' own countries
    assert values("timeline", "--category", "tr") == ["treaty", "trade"]
    assert values("meetings", "--kind", "phone") == ["phone-call"]
    assert values("stats", "--by", "p") == ["person", "place"]
    assert values("meetings", "--format", "j") == ["json", "jsonl"]
    assert values("show", "1956-10") == ["1956-10-19-soviet-japanese-joint-declaration"]
    assert values("schema", "") == ["records", "facts"]
    assert values("completion", "") == list(completion.SHELLS)


def test_sources_and_tags_complete_where_an_option_takes_them() -> None:
    # --source and --tag are the listings' filters: complete them wherever they are declared.
    declared = {opt.complete for c in COMMANDS.values() for opt in c.options}
    for name in ("source", "tag"):
        found = completion._named(name, "")
        assert found, name
        assert all(desc for _, desc in found if name == "source")
    assert completion._named("source", "wiki") == [
        ("wikipedia-2019", "Japan–Russia relations, Wikipedia, 2019"),
        ("wikipedia-2022", "Japan–Russia relations, Wikipedia, 2022"),
    ]
    assert "person" in declared and "place" in declared


def test_commands_options_and_flags() -> None:
    assert "meetings" in values("me") and "search" not in values("me")
    assert values("export", "") == ["json", "sqlite"]
    assert values("meetings", "--fi") == ["--fields"]
    assert "--no-cache" in values("meetings", "--no")  # the global options, after the command too
    assert values("export", "sqlite", "") == completion.FILES
    assert values("check", "--sources", "") == completion.DIRS
    assert values("export", "sqlite", "x.db", "--metadata", "") == completion.FILES
    assert values("meetings", "--year", "") == []  # a number: nothing to suggest


def test_an_optional_value_leaves_the_next_word_to_the_command() -> None:
    """show --context [N]: after --context, the fact id completes; a number after it is its value, not the id."""
    declaration = "1956-10-19-soviet-japanese-joint-declaration"
    assert values("show", "--context", "1956-10-19-sov") == [declaration]
    assert values("show", "--context", "2", "1956-10-19-sov") == [declaration]
    assert values("show", "--context=2", "1956-10-19-sov") == [declaration]
    assert values("show", declaration, "--context", "") == []  # the id is given: nothing else to complete
    assert values("show", "--context", "--j") == ["--json"]


def test_fields_complete_one_after_another() -> None:
    assert values("meetings", "--fields", "ti") == ["title"]
    assert values("meetings", "--fields", "id,da") == ["id,date", "id,date_precision"]
    assert "id,id" not in values("meetings", "--fields", "id,")
    assert values("meetings", "--fields=ti") == ["--fields=title"]
    # bash splits --fields=ti into three words
    assert values("meetings", "--fields", "=", "ti") == ["title"]


@pytest.mark.parametrize("name", [n for n, c in COMMANDS.items() if any(o.dest == "fields" for o in c.options)])
def test_every_completed_field_is_one_the_command_takes(run, name: str) -> None:  # type: ignore[no-untyped-def]
    fields = completion.command_fields(name)
    assert fields, name
    line = [name, *(["Shikotan"] if name == "search" else []), "--fields", ",".join(fields), "--format", "json"]
    r = run(*line)
    assert r.code == 0, r.err


def test_a_completion_that_fails_prints_nothing(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    def broken(words: object) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(completion, "answer", broken)
    assert completion.respond("bash", ["meetings", ""]) == 1
    assert capsys.readouterr() == ("", "")


def test_completion_does_not_import_typer(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom nichiro import fast\nfast.main(['meetings', '--person', 'Put'])\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click'))))"
    )
    env = {"_NICHIRO_COMPLETE": "bash", "NICHIRO_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.stdout == "vladimir-putin\tVladimir Putin, russia\n"
    assert r.stderr == ""  # neither typer nor click


# --------------------------------------------------------------------------- in the shells themselves


def _shell_env(tmp_path: Path) -> dict[str, str]:
    assert SCRIPT, "the nichiro console script is not installed beside this Python"
    env = {k: v for k, v in os.environ.items() if k != "NICHIRO_FACTS"}
    env |= {"HOME": str(tmp_path), "NICHIRO_CACHE_DIR": str(tmp_path / "cache")}
    env["PATH"] = f"{Path(SCRIPT).parent}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


def test_bash_sources_the_script_and_completes(tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash here")
    (tmp_path / "nichiro.bash").write_text(completion.SCRIPTS["bash"], encoding="utf-8")
    program = """
source ./nichiro.bash
complete -p nichiro
t() {
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _nichiro; printf '%s|' "${COMPREPLY[@]}"; echo
}
t nichiro meetings --person Putin
t nichiro meetings --place shi
t nichiro export sqlite nichiro.bas
t nichiro sch
"""
    (tmp_path / "nichiro.bash.test").write_text("", encoding="utf-8")
    (tmp_path / "nichiro.bak").write_text("", encoding="utf-8")
    r = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        cwd=tmp_path,
        env=_shell_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = r.stdout.splitlines()
    assert lines[0] == "complete -F _nichiro nichiro"
    assert lines[1] == "vladimir-putin|"  # one candidate: the id alone, which the line takes
    assert lines[2].startswith("shikotan  (Shikotan, island") and "shizuoka-prefecture  (" in lines[2]
    # A file to write: the shell's own file names.
    assert sorted(lines[3].split("|")) == ["", "nichiro.bash", "nichiro.bash.test"]
    assert lines[4] == "schema|"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no start-up file written


def test_zsh_and_fish_complete_with_descriptions(tmp_path: Path) -> None:
    env = _shell_env(tmp_path)
    ran = 0
    if shutil.which("fish"):
        (tmp_path / "nichiro.fish").write_text(completion.SCRIPTS["fish"], encoding="utf-8")
        r = subprocess.run(
            ["fish", "--no-config", "-c", "source nichiro.fish; complete -C'nichiro meetings --person Put'"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.stdout == "vladimir-putin\tVladimir Putin, russia\n", r.stderr
        ran += 1
    if shutil.which("zsh"):
        (tmp_path / "zfunc").mkdir()
        (tmp_path / "zfunc" / "_nichiro").write_text(completion.SCRIPTS["zsh"], encoding="utf-8")
        # The script loads as an autoloaded completion function, and asks for what _describe shows.
        program = (
            "fpath=(./zfunc $fpath); autoload -U compinit; compinit -u -d ./zcompdump; print -r -- ${_comps[nichiro]}"
        )
        r = subprocess.run(
            ["zsh", "-f", "-c", program], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert r.stdout.strip() == "_nichiro", r.stderr
        assert not (tmp_path / ".zshrc").exists()
        ran += 1
    if not ran:
        pytest.skip("neither zsh nor fish is installed here")

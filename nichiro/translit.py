"""Spellings across scripts and schemes: one name as Hepburn, Kunrei, German, French or scholarly
spelling, in Cyrillic or in katakana, brought to one key.

Rules, not lists of names: a query word the facts do not have is respelled by each scheme's rules
(`respellings`), written in Latin letters if it is Cyrillic or kana (`cyrillic_to_latin`,
`kana_to_latin`), and compared with the words of the facts by a lossy key (`skeleton`) in which
the differences between the schemes disappear: "Hatojama", "Hatoyama" and "Хатояма" have the
same key, as do "Sikotan", "Shikotan" and "Шикотан", "Jelzin", "Eltsine" and "Yeltsin". The key
is compared only for a word that is not itself in the facts, so that it never replaces a real
word. docs/search.md (section 3) has the rules and their measurement.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- Cyrillic

# BGN/PCGN, the spelling English texts use ("Yeltsin", "Khabarovsk", "Shoigu"), with е as e except
# at the start of a word or after a vowel, where it is ye.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
_VOWELS = "аеёиоуыэюяіїє"


def is_cyrillic(word: str) -> bool:
    return bool(word) and all("\u0400" <= ch <= "\u04ff" for ch in word)


def cyrillic_to_latin(word: str) -> str:
    """A folded Cyrillic word in Latin letters (BGN/PCGN): "ельцин" -> "yeltsin", "хатояма" -> "khatoyama"."""
    out = []
    for i, ch in enumerate(word):
        if ch == "е" and (i == 0 or word[i - 1] in _VOWELS or word[i - 1] in "ъь"):
            out.append("ye")
        else:
            out.append(_CYRILLIC.get(ch, ch))
    return "".join(out)


# The other systems people write Russian names in, as a folded query has them (diacritics off: ISO 9
# "Šojgu" is "sojgu"): ISO 9 and the scholarly system without their marks, German (Duden) and French.
# A Cyrillic name of the gazetteer is keyed in each (`romanisations`), so that a query in any finds it.
_ROMANISATIONS: dict[str, dict[str, str]] = {
    "ISO 9": {"ж": "z", "й": "j", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ю": "u", "я": "a", "ё": "e"},
    "scholarly": {"ж": "z", "й": "j", "х": "x", "ц": "c", "ч": "c", "ш": "s", "щ": "sc", "ю": "ju", "я": "ja",
                  "ё": "e", "э": "e"},
    "German": {"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
               "щ": "schtsch", "ю": "ju", "я": "ja", "ё": "jo", "э": "e"},
    "French": {"ж": "j", "й": "i", "у": "ou", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch",
               "ю": "iou", "я": "ia", "ё": "io", "э": "e"},
}  # fmt: skip


def romanisations(word: str) -> list[tuple[str, str]]:
    """A folded Cyrillic word in each system's Latin letters, marks dropped: (spelling, system).

    "шойгу": BGN/PCGN "shoygu", ISO 9 and scholarly "sojgu", German "schojgu" (and "schoigu"),
    French "choigou"; "курильские": "kurilskiye", "kurilskie", "kurilskije".
    """
    out = [(cyrillic_to_latin(word), "BGN/PCGN")]
    for system, table in _ROMANISATIONS.items():
        spelt = []
        for i, ch in enumerate(word):
            after_vowel = i == 0 or word[i - 1] in _VOWELS or word[i - 1] in "ъь"
            if system in ("German", "French") and ch == "е" and after_vowel:
                spelt.append("je" if system == "German" else "ie")
            elif system == "German" and ch == "с" and 0 < i < len(word) - 1 and after_vowel and word[i + 1] in _VOWELS:
                spelt.append("ss")  # s between vowels is voiced in German: Gerassimow
            elif system == "French" and ch == "с" and 0 < i < len(word) - 1 and after_vowel and word[i + 1] in _VOWELS:
                spelt.append("ss")
            elif system == "French" and ch == "г" and i + 1 < len(word) and word[i + 1] in "еиэ":
                spelt.append("gu")  # Sergueï
            elif ch in table:
                spelt.append(table[ch])
            else:
                spelt.append(_CYRILLIC.get(ch, ch).replace("kh", "h") if ch in "ъь" else _CYRILLIC.get(ch, ch))
        latin = "".join(spelt)
        out.append((latin, system))
        if system == "German" and "j" in latin:  # й as i after a vowel, -ий and -ый as -i and -y: Schoigu
            plain = re.sub(r"(?<=[iy])j$", "", latin)  # -ий as -i, -ый as -y: Nazi, Perekrjostny
            out.append((re.sub(r"(?<=[aeiouy])j(?![aeiou])", "i", plain), system))
    return list(dict.fromkeys(out))  # (one spelling and system once)


# --------------------------------------------------------------------------- kana

_KANA_ROWS = """
a i u e o
ka ki ku ke ko
sa shi su se so
ta chi tsu te to
na ni nu ne no
ha hi fu he ho
ma mi mu me mo
ya - yu - yo
ra ri ru re ro
wa wi - we wo
ga gi gu ge go
za ji zu ze zo
da ji zu de do
ba bi bu be bo
pa pi pu pe po
"""
_KANA_ORDER = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤ-ユ-ヨラリルレロワヰ-ヱヲ"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ"
)
_KANA = {k: r for k, r in zip(_KANA_ORDER, _KANA_ROWS.split(), strict=True) if k != "-" and r != "-"}
_KANA.update({"ン": "n", "ヴ": "vu", "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"})
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}


def is_kana(text: str) -> bool:
    return bool(text) and all("\u3041" <= ch <= "\u30ff" for ch in text)


def kana_to_latin(text: str) -> str:
    """Kana in Hepburn: "クリル" -> "kuriru", "ノモンハン" -> "nomonhan", "プーチン" -> "puuchin"."""
    # Hiragana as katakana (the blocks are 0x60 apart).
    kata = "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)
    out: list[str] = []
    double = False
    for ch in kata:
        if ch in "ッ":
            double = True
            continue
        if ch == "ー" and out:
            out.append(out[-1][-1])  # a long vowel: the vowel again
            continue
        if ch in _SMALL_Y and out and out[-1].endswith("i"):
            base = out.pop()[:-1]  # "キ" + "ャ" is "kya", "シ" + "ャ" is "sha"
            out.append((base if base in ("sh", "ch", "j") else base + "y") + _SMALL_Y[ch])
            continue
        if ch in "ァィゥェォ" and out:
            before = out.pop()  # "ファ" is "fa", "ティ" is "ti", "チェ" is "che", "ウィ" is "wi"
            out.append(("w" if before == "u" else before[:-1] if len(before) > 1 else before) + _KANA[ch])
            continue
        roman = _KANA.get(ch)
        if roman is None:
            return ""
        if double:
            roman = ("t" if roman.startswith("ch") else roman[0]) + roman
            double = False
        out.append(roman)
    return "".join(out)


def loanword_spellings(roman: str) -> list[str]:
    """Latin spellings a katakana loanword may stand for: r as l, a final vowel the katakana added.

    "kuriru" -> "kuriru", "kurir", "kulilu", "kulil", ...: katakana has no l, and writes a final
    consonant with a vowel after it.
    """
    stems = [roman]
    if len(roman) > 3 and roman[-1] in "uo" and roman[-2] not in "aeiou":
        stems.append(roman[:-1])
    out = []
    for s in stems:
        out.append(s)
        if "r" in s and s.count("r") <= 3:
            out.append(s.replace("r", "l"))
            if s.count("r") > 1:  # "ra...ru": only the last (a final l) or only the first
                i = s.rfind("r")
                out.append(s[:i] + "l" + s[i + 1 :])
                j = s.find("r")
                out.append(s[:j] + "l" + s[j + 1 :])
        if "b" in s:
            out.append(s.replace("b", "v"))
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- respellings of a Latin word

# Each scheme's letters as the English and Hepburn spellings of the facts have them. A query word
# is respelled by each scheme on its own; the key below takes care of what the schemes share.
_SCHEMES: dict[str, tuple[tuple[str, str], ...]] = {
    # German transliteration of Russian: Jelzin, Medwedjew, Gerassimow, Schoigu, Tschernomyrdin,
    # Chabarowsk, Kosyrew (s between vowels is з). "C" holds a "ch" that later rules must not touch.
    "German": (
        ("tsch", "C"),
        ("sch", "sh"),
        ("ch", "kh"),
        ("C", "ch"),
        ("(?<=[bcdfgklmnprstvwz])je", "e"),
        ("j", "y"),
        ("w", "v"),
        ("z", "ts"),
        ("(?<=[aeiouy])s(?=[aeiouy])", "z"),
    ),
    # French: Poutine, Eltsine, Chikotan, Tchernomyrdine, Khrouchtchev, Jirinovski, Sergueï, Medvedev
    "French": (
        ("tch", "C"),
        ("ch", "sh"),
        ("C", "ch"),
        ("ou", "u"),
        ("gu(?=[eiy])", "g"),
        ("j", "zh"),
        ("e$", ""),
        ("ff$", "v"),
    ),
    # Scholarly and ISO 9 without their marks: Elcin, Xabarovsk, Jurij
    "scholarly": (("c", "ts"), ("x", "kh"), ("j", "y")),
    # Japanese long vowels written out, and n before b, m, p: Ryuutarou, Koumura, Oohashi, Genba
    # Nihon-shiki di, du and wo for Hepburn ji, zu and o.
    "Japanese": (
        ("ou", "o"),
        ("oo", "o"),
        ("uu", "u"),
        ("nb", "mb"),
        ("np", "mp"),
        ("nm", "mm"),
        ("di", "ji"),
        ("du", "zu"),
        ("wo", "o"),
    ),
}
_SCHEME_RES: dict[str, list[tuple[re.Pattern[str], str]]] = {}


def respellings(word: str) -> list[tuple[str, str]]:
    """The word as each scheme would have it written in English or Hepburn: (spelling, scheme)."""
    if not _SCHEME_RES:
        for name, rules in _SCHEMES.items():
            _SCHEME_RES[name] = [(re.compile(a), b) for a, b in rules]
    out: list[tuple[str, str]] = []
    for name, compiled in _SCHEME_RES.items():
        spelt = word
        for pattern, repl in compiled:
            spelt = pattern.sub(repl, spelt)
        if spelt != word and len(spelt) >= 3:
            out.append((spelt, name))
    return out


# --------------------------------------------------------------------------- the key

# In order. Hepburn to Kunrei first (shi si, chi ti, tsu tu, fu hu, ji zi, sha sya), so that the
# three Japanese systems and the Russian (Polivanov) spelling of Japanese names meet; then the
# letters that Russian transliterations spell in several ways (kh h, zh j, ts z, y i, w v, ...).
_KEY_RULES = (
    ("tsch", "ch"),
    ("tch", "ch"),
    ("shch", "sh"),
    ("sch", "sh"),
    ("tsu", "tu"),
    ("dzu", "zu"),
    ("shi", "si"),
    ("chi", "ti"),
    ("dzi", "zi"),
    ("ji", "zi"),
    ("fu", "hu"),
    ("sh(?=[aeou])", "sy"),
    ("ch(?=[aeou])", "ty"),
    ("j(?=[aeou])", "zy"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("dz", "z"),
    ("t[sz]", "z"),
    ("ph", "f"),
    ("ck", "k"),
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
    ("y", "i"),
    ("m(?=[bp])", "n"),
    ("oh(?=[^aeiou]|$)", "o"),
    (r"(.)\1", r"\1"),  # a doubled letter (Gerassimow, Matsumotto, Hokkaido); not a run of them
    ("^i(?=[aeou])", ""),  # Yeltsin, Eltsine
    ("ii", "i"),
)
_KEY_RE: list[tuple[re.Pattern[str], str]] = []
_LATIN_WORD = re.compile(r"[a-z]+")


def skeleton(word: str) -> str | None:
    """The key of a Latin word in which the spellings of one name meet; None for other words.

    "hatojama" (after German j to y), "hatoyama" and "khatoyama" (from Хатояма) are all "hatoiama".
    """
    if not _LATIN_WORD.fullmatch(word):
        return None
    if not _KEY_RE:
        _KEY_RE.extend((re.compile(a), b) for a, b in _KEY_RULES)
    for pattern, repl in _KEY_RE:
        word = pattern.sub(repl, word)
    return word


def phrase_keys(name: str) -> list[str]:
    """The keys of a folded name of several words in Latin letters or Cyrillic: each word's key; a
    Cyrillic name in every system of nichiro.translit.romanisations ("курильские острова":
    "kurilskie ostrova", "kurilskizie ostrova", ...), its words in one system at a time."""
    words = name.split()
    if len(words) < 2 or not all(w.isalnum() and (w.isascii() or is_cyrillic(w)) for w in words):
        return []
    # Each word's spellings by system (a system may have two: German -ий as -ij and as -i).
    spelt: list[dict[str, list[str]]] = []
    for w in words:
        by_system: dict[str, list[str]] = {}
        for r, system in romanisations(w) if is_cyrillic(w) else [(w, "")]:
            by_system.setdefault(system, []).append(r)
        spelt.append(by_system)
    keys = []
    for system in dict.fromkeys(k for by_system in spelt for k in by_system):
        for variant in (0, 1):
            chosen = [by.get(system) or next(iter(by.values())) for by in spelt]
            keys.append(" ".join(skeleton(o[min(variant, len(o) - 1)]) or o[0] for o in chosen))
    return list(dict.fromkeys(keys))


def spellings(word: str) -> list[tuple[str, str]]:
    """What a query word may be a spelling of, in Latin letters: (spelling, how it was got).

    A Latin word: itself and its respellings by scheme; Cyrillic: its BGN/PCGN spelling; kana:
    its Hepburn spelling and the loanword forms of it.
    """
    if is_cyrillic(word):
        latin = cyrillic_to_latin(word)
        return [(latin, "transliteration"), *((s, "transliteration") for s, _ in respellings(latin))]
    if is_kana(word):
        roman = kana_to_latin(word)
        return [(s, "transliteration") for s in loanword_spellings(roman)] if roman else []
    return [(word, "as typed"), *respellings(word)]

"""Text normalisation shared by filtering and search: case, width forms, diacritics, word forms."""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Regular expressions are compiled on first use: those over Unicode classes cost milliseconds to
# compile, and a search of an ASCII query needs none of them.
_PATTERNS = {
    "not_word": r"[^\w\x00]+|_+",
    # Apostrophes join the parts of a word ("Jun'ichirō" is "junichiro"); a possessive 's goes ("Putin's").
    "apostrophes": r"['’ʼ‘`](?:(?<=['’])s\b)?",
    "latin_marks": r"(?<=[\u0000-\u024f])[\u0300-\u036f]+",
    "cjk": r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]",
}
_COMPILED: dict[str, re.Pattern[str]] = {}


def pattern(name: str) -> re.Pattern[str]:
    found = _COMPILED.get(name)
    if found is None:
        found = _COMPILED[name] = re.compile(_PATTERNS[name])
    return found


# Punctuation common in the facts, made ASCII so that most texts take the fast path below.
_PUNCTUATION = (("–", " "), ("—", " "), ("’", "'"), ("‘", "'"), ("“", " "), ("”", " "), ("«", " "), ("»", " "))
# For ASCII text bytes.translate splits words far faster than a regex; NUL separates texts.
_ASCII_SPACES = bytes(b if chr(b).isalnum() or b == 0 else 32 for b in range(256))


def normalize(text: str) -> str:
    """Casefolded NFKC text with Latin diacritics removed ("Shinzō" -> "shinzo") and ё as е."""
    if text.isascii():  # NFKC leaves ASCII as it is; unicodedata is imported only for other text
        return text.lower()
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        if len(decomposed) != len(text):
            # Drop the marks on Latin letters only: those on kana (ガ) or Cyrillic (й) make other letters.
            text = unicodedata.normalize("NFC", pattern("latin_marks").sub("", decomposed)).replace("ё", "е")
    return text


def _split(text: str) -> str:
    """Normalised text with every run of non-word characters as one space (NUL kept)."""
    if not text.isascii():
        for char, ascii in _PUNCTUATION:
            if char in text:
                text = text.replace(char, ascii)
    if "'" in text or "`" in text or not text.isascii():
        text = pattern("apostrophes").sub("", text)
    if text.isascii():
        return text.encode().translate(_ASCII_SPACES).decode()
    return pattern("not_word").sub(" ", text)


def words(text: str) -> list[str]:
    """The normalised words of a text: dashes, punctuation and underscores split words."""
    return _split(normalize(text)).split()


def fold(text: str) -> str:
    """The normalised words of a text joined by single spaces: "Soviet–Japanese" -> "soviet japanese"."""
    return " ".join(words(text))


def fold_all(texts: list[str]) -> list[str]:
    """fold() of every text, in one pass over them all (the search index folds every field of a fact)."""
    return [" ".join(part.split()) for part in _split(normalize("\x00".join(texts))).split("\x00")]


def has_cjk(text: str) -> bool:
    """True for text in Japanese or Chinese script, which is written without spaces between words."""
    if text.isascii():
        return False
    if len(text) > 64:
        return pattern("cjk").search(text) is not None
    # A short text (a name, a word): a loop costs less than compiling the pattern over these ranges.
    return any(
        "\u3040" <= ch <= "\u30ff"
        or "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\uff66" <= ch <= "\uff9f"
        for ch in text
    )


_STEMMERS: dict[str, Any] = {}
# British spellings as American ones, before stemming: (British ending, American ending, letters
# the word must have before it). defence/defense, organise/organize, analyse/analyze,
# favour/favor, centre/center, travelled/traveled, dialogue/dialog. Only keys change: a fact shows
# its own spelling. Longest endings first.
_SPELLINGS = sorted(
    [
        *((f"our{e}", f"or{e}", 3) for e in ("", "s", "ed", "ing", "able", "ite", "ites", "ful", "less")),
        *((f"ence{e}", f"ense{e}", 1) for e in ("", "s", "d")),
        *((f"is{e}", f"iz{e}", 2) for e in ("e", "es", "ed", "ing", "ation", "ations", "er", "ers")),
        *((f"ys{e}", f"yz{e}", 2) for e in ("e", "es", "ed", "ing")),
        *((f"{c}re{e}", f"{c}er{e}", 3) for c in "tb" for e in ("", "s")),
        *((f"{v}ll{e}", f"{v}l{e}", 3) for v in "aeiou" for e in ("ed", "ing", "er", "ers")),
        *((f"ogue{e}", f"og{e}", 3) for e in ("", "s")),
    ],
    key=lambda r: -len(r[0]),
)


def american(word: str) -> str:
    """A folded English word in American spelling ("defence" -> "defense", "organised" -> "organized")."""
    for british, us, before in _SPELLINGS:
        if word.endswith(british) and len(word) - len(british) >= before:
            return word[: -len(british)] + us
    return word


def stem(word: str) -> str:
    """The Snowball stem of a folded word (English, or Russian for Cyrillic), so that "kurils",
    "meetings", "defence" and "путина" meet "kuril", "meet", "defense" and "путин".

    Words in other scripts, and numbers, are their own stem.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.isascii():
        language = "english"
        word = american(word)
    elif "\u0400" <= word[0] <= "\u04ff":
        language = "russian"
    else:
        return word
    stemmer = _STEMMERS.get(language)
    if stemmer is None:
        import Stemmer  # PyStemmer: the Snowball stemmers, compiled (imports in under a millisecond)

        stemmer = _STEMMERS[language] = Stemmer.Stemmer(language)
    return str(stemmer.stemWord(word))


def stem_phrase(phrase: str) -> str:
    """Every word of a folded phrase stemmed."""
    return " ".join(stem(w) for w in phrase.split())

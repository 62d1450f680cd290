"""Text normalisation shared by filtering and search: case, width forms, diacritics, word forms."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w\x00]+|_+")
# Apostrophes join the parts of a word ("Jun'ichirō" is "junichiro"); a possessive 's goes ("Putin's").
_APOSTROPHES = re.compile(r"['’ʼ‘`](?:(?<=['’])s\b)?")
# Punctuation common in the facts, made ASCII so that most texts take the fast path below.
_PUNCTUATION = (("–", " "), ("—", " "), ("’", "'"), ("‘", "'"), ("“", " "), ("”", " "), ("«", " "), ("»", " "))
# For ASCII text bytes.translate splits words far faster than a regex; NUL separates texts.
_ASCII_SPACES = bytes(b if chr(b).isalnum() or b == 0 else 32 for b in range(256))
_LATIN_MARKS = re.compile(r"(?<=[\u0000-\u024f])[\u0300-\u036f]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
# Russian case and number endings, longest first: enough to find "Путина" and "во Владивостоке".
_RU_ENDINGS = tuple(
    sorted(
        "ями ами ого его ому ему ыми ими ией ах ях ам ям ов ев ом ем ой ей ий ый ая яя ое ее ие ые их ых ую юю "
        "а я о е у ю ы и ь й".split(),
        key=len,
        reverse=True,
    )
)


def normalize(text: str) -> str:
    """Casefolded NFKC text with Latin diacritics removed ("Shinzō" -> "shinzo") and ё as е."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        if len(decomposed) != len(text):
            # Drop the marks on Latin letters only: those on kana (ガ) or Cyrillic (й) make other letters.
            text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed)).replace("ё", "е")
    return text


def _split(text: str) -> str:
    """Normalised text with every run of non-word characters as one space (NUL kept)."""
    if not text.isascii():
        for char, ascii in _PUNCTUATION:
            if char in text:
                text = text.replace(char, ascii)
    if "'" in text or "`" in text or not text.isascii():
        text = _APOSTROPHES.sub("", text)
    if text.isascii():
        return text.encode().translate(_ASCII_SPACES).decode()
    return _NOT_WORD.sub(" ", text)


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
    return _CJK.search(text) is not None


def stem(word: str) -> str:
    """A light stem of a normalised word, so that "kurils", "meetings" and "путина" meet their base form.

    English: plural -s/-es/-ies and -ing/-ed; Russian: one case or number ending. Deliberately
    crude: it only has to map a word and its common inflections to the same key, never to be shown.
    """
    n = len(word)
    if n <= 3:
        return word
    if "\u0400" <= word[0] <= "\u04ff":
        for ending in _RU_ENDINGS:
            if word.endswith(ending) and n - len(ending) >= 3:
                return word[: -len(ending)]
        return word
    if not word.isascii():
        return word
    if word.endswith("ies") and n > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    n = len(word)
    if word.endswith("ing") and n >= 7:
        word = word[:-3]
    elif word.endswith("ied") and n > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and not word.endswith("eed") and n >= 6:
        word = word[:-2]
    elif word.endswith("ation") and n >= 8:
        word = word[:-5]  # "declaration" meets "declared" and "declares"
    # A final e goes, so that "declare", "declares" and "declared" (and "Kurile", "Kurils") meet.
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def stem_phrase(phrase: str) -> str:
    """Every word of a folded phrase stemmed."""
    return " ".join(stem(w) for w in phrase.split())

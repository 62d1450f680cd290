"""Text normalisation shared by filtering and search: case, width forms, Latin diacritics."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Casefolded NFKC text with Latin diacritics removed ("Shinzō" -> "shinzo"), dashes as spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        out: list[str] = []
        for ch in unicodedata.normalize("NFD", text):
            if unicodedata.combining(ch) and out and ord(out[-1]) < 0x250:
                continue  # a mark on a Latin letter: drop it; marks on kana or Cyrillic stay
            out.append(ch)
        text = unicodedata.normalize("NFC", "".join(out))
    return text


def words(text: str) -> list[str]:
    """The normalised words of a text (letters and digits; punctuation and dashes split words)."""
    return _WORD.findall(normalize(text))


def has_cjk(text: str) -> bool:
    """True for text in Japanese or Chinese script, which is written without spaces between words."""
    return any("\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uff66" <= ch <= "\uff9f" for ch in text)

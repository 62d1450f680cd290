"""Spellings across scripts and schemes (nichiro.translit): the rules, and that the key keeps apart what differs."""

from __future__ import annotations

import pytest

from nichiro.translit import cyrillic_to_latin, kana_to_latin, respellings, skeleton, spellings


def keys(word: str) -> set[str | None]:
    return {skeleton(s) for s, _ in spellings(word)}


@pytest.mark.parametrize(
    ("typed", "english"),
    [
        ("sikotan", "shikotan"),  # Kunrei-shiki
        ("kunasiri", "kunashiri"),
        ("hasimoto", "hashimoto"),
        ("ryuutarou", "ryutaro"),  # long vowels written out
        ("oobuti", "obuchi"),  # Nihon-shiki, oo
        ("zyunitirou", "junichiro"),
        ("genba", "gemba"),  # n before b
        ("hatojama", "hatoyama"),  # German j
        ("jelzin", "yeltsin"),
        ("medwedew", "medvedev"),
        ("gerassimow", "gerasimov"),
        ("schoigu", "shoigu"),
        ("tschernomyrdin", "chernomyrdin"),
        ("poutine", "putin"),  # French
        ("eltsine", "yeltsin"),
        ("chikotan", "shikotan"),
        ("elcin", "yeltsin"),  # scholarly, marks dropped
        ("shoygu", "shoigu"),  # BGN/PCGN y
        ("matviyenko", "matvienko"),
        ("хатояма", "hatoyama"),  # Cyrillic (Polivanov spelling of a Japanese name)
        ("синдзо", "shinzo"),
        ("ельцин", "yeltsin"),
        ("шойгу", "shoigu"),
        ("クリル", "kuril"),  # katakana, a loanword
        ("シコタン", "shikotan"),
    ],
)
def test_spellings_meet_in_the_key(typed: str, english: str) -> None:
    assert skeleton(english) in keys(typed)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("putin", "patin"),
        ("abe", "abel"),
        ("noda", "nada"),
        ("sochi", "sachi"),
        ("lavrov", "lavrin"),
        ("kono", "kano"),
        ("vladivostokkkk", "vladivostok"),  # a run of letters is not a doubled letter
    ],
)
def test_the_key_keeps_apart_what_differs(one: str, other: str) -> None:
    assert skeleton(other) not in keys(one)


def test_the_key_is_for_latin_words_only() -> None:
    assert skeleton("путин") is None and skeleton("2016") is None and skeleton("g20") is None


def test_cyrillic_and_kana_in_latin_letters() -> None:
    assert cyrillic_to_latin("ельцин") == "yeltsin" and cyrillic_to_latin("хабомаи") == "khabomai"
    assert cyrillic_to_latin("лавров") == "lavrov" and cyrillic_to_latin("подъезд") == "podyezd"
    assert kana_to_latin("プーチン") == "puuchin" and kana_to_latin("ノモンハン") == "nomonhan"
    assert kana_to_latin("チェルノムイルジン") == "cherunomuirujin" and kana_to_latin("サッポロ") == "sapporo"
    assert kana_to_latin("きょうと") == "kyouto"  # hiragana too
    assert kana_to_latin("東京") == ""  # kanji have readings, not a spelling


def test_respellings_say_which_scheme() -> None:
    assert ("yeltsin", "German") in respellings("jelzin")
    assert ("putin", "French") in respellings("poutine")
    assert ("ryutaro", "Japanese") in respellings("ryuutarou")


def test_a_russian_word_in_each_system() -> None:
    from nichiro.translit import romanisations

    spelt = dict((system, s) for s, system in reversed(romanisations("шойгу")))
    assert spelt == {
        "BGN/PCGN": "shoygu",
        "ISO 9": "sojgu",
        "scholarly": "sojgu",
        "German": "schojgu",
        "French": "choigou",
    }
    assert ("schoigu", "German") in romanisations("шойгу")  # й after a vowel as i
    assert ("nazi", "German") in romanisations("наций") and ("gerassimow", "German") in romanisations("герасимов")
    assert ("kourilskiie", "French") in romanisations("курильские")

"""A small bilingual glossary: the common Russian and Japanese words of questions about Japan–Russia
relations, in the English the facts are written in.

The gazetteer (facts/*.toml) names people, places, offices and key terms in every language; these
are the ordinary words around them ("визит", "переговоры", "会談", "貿易") that no registry lists and
no transliteration finds. A query word found here is searched for as its English words, and said so
("read 'визит' as 'visit' (translation)"). A word whose English no fact has is absent from the
sources, as an English word would be (docs/search.md, section 5).

Russian entries are stems: a query word is the entry when it starts with it and what follows is an
ending of at most three letters ("визита", "визитом" are "визит"); the longest entry wins.
Japanese entries are words, found in a query's Japanese runs beside the gazetteer's names.
Only words with one plain translation are listed; a word that means several things is left out.
A translation of several words is searched for as several terms ("訪日": visit, japan); one in
Japanese script is a name of the gazetteer ("外相" is "外務大臣").
"""

from __future__ import annotations

RUSSIAN: dict[str, tuple[str, ...]] = {
    "визит": ("visit",),
    "посещени": ("visit",),
    "посетил": ("visited",),
    "встреч": ("meet", "meeting"),
    "встретил": ("met",),
    "переговор": ("talks", "negotiations"),
    "саммит": ("summit",),
    "торговл": ("trade",),
    "товарооборот": ("trade",),
    "торгов": ("trade",),
    "экспорт": ("exports",),
    "импорт": ("imports",),
    "договор": ("treaty",),
    "соглашени": ("agreement",),
    "деклараци": ("declaration",),
    "заявлени": ("statement",),
    "войн": ("war",),
    "мирн": ("peace",),
    "остров": ("islands",),
    "министр": ("minister",),
    "президент": ("president",),
    "посол": ("ambassador",),
    "посольств": ("embassy",),
    "санкци": ("sanctions",),
    "вторжени": ("invasion",),
    "сотрудничеств": ("cooperation",),
    "экономическ": ("economic",),
    "экономик": ("economy",),
    "совместн": ("joint",),
    "учени": ("drills", "exercises"),
    "военн": ("military",),
    "границ": ("border",),
    "пограничн": ("border",),
    "рыболовств": ("fishing",),
    "рыбак": ("fishermen",),
    "безвизов": ("visa",),
    "обмен": ("exchanges",),
    "телефон": ("telephone", "phone"),
    "телефонн": ("telephone", "phone"),
    "разговор": ("call",),
    "японск": ("japanese",),
    "российск": ("russian",),
    "советск": ("soviet",),
    "территориальн": ("territorial",),
    "территори": ("territory",),
    "спор": ("dispute",),
    "передач": ("handover",),
    "возвращени": ("return",),
    "нефт": ("oil",),
    "газ": ("gas",),
    "энергетик": ("energy",),
    "опрос": ("poll",),
    "турист": ("tourists",),
    "население": ("population",),
    "флот": ("fleet",),
    "нейтралитет": ("neutrality",),
    "пакт": ("pact",),
    "интервенци": ("intervention",),
    "оккупаци": ("occupation",),
    "пленн": ("prisoners",),
    "культур": ("culture",),
    "фестивал": ("festival",),
    "отношени": ("relations",),
    "дипломатическ": ("diplomatic",),
    "инвестици": ("investment",),
    "форум": ("forum",),
    "выбор": ("election",),
    "капитуляци": ("surrender",),
    "атомн": ("nuclear",),
    "ядерн": ("nuclear",),
    "землетрясени": ("earthquake",),
    "взрыв": ("explosion",),
    "газопровод": ("pipeline",),
    "трубопровод": ("pipeline",),
    "убийств": ("assassination",),
    "покушени": ("assassination",),
}

JAPANESE: dict[str, tuple[str, ...]] = {
    "外相": ("外務大臣",),  # (the gazetteer's name of the office)
    "首相": ("内閣総理大臣",),
    "訪問": ("visit",),
    "訪日": ("visit japan",),
    "訪露": ("visit russia",),
    "来日": ("visit japan",),
    "会談": ("talks", "meet"),
    "首脳会談": ("summit", "talks", "meet"),
    "首脳": ("leaders",),
    "会合": ("meeting", "meet"),
    "電話": ("telephone", "phone"),
    "電話会談": ("telephone", "phone"),
    "大統領": ("president",),
    "大使": ("ambassador",),
    "大使館": ("embassy",),
    "貿易": ("trade",),
    "輸出": ("exports",),
    "輸入": ("imports",),
    "交渉": ("negotiations",),
    "条約": ("treaty",),
    "協定": ("agreement",),
    "宣言": ("declaration",),
    "声明": ("statement",),
    "戦争": ("war",),
    "平和": ("peace",),
    "制裁": ("sanctions",),
    "侵攻": ("invasion",),
    "協力": ("cooperation",),
    "経済": ("economic",),
    "共同": ("joint",),
    "演習": ("drills",),
    "軍事": ("military",),
    "国境": ("border",),
    "漁業": ("fishing",),
    "交流": ("exchanges",),
    "領土": ("territorial",),
    "返還": ("return",),
    "石油": ("oil",),
    "世論調査": ("poll",),
    "観光": ("tourism",),
    "人口": ("population",),
    "捕虜": ("prisoners",),
    "中立": ("neutrality",),
    "外交": ("diplomatic",),
    "関係": ("relations",),
    "投資": ("investment",),
    "選挙": ("election",),
    "降伏": ("surrender",),
    "原発": ("nuclear",),
    "地震": ("earthquake",),
    "爆発": ("explosion",),
    "暗殺": ("assassination",),
}

_ENDING = 3  # letters a Russian word may have after its stem ...
_ENDING_LETTERS = frozenset("аеёиоуыэюяйьмхвг")  # ... all of them of case and number endings ("спорт" is not "спор")


def russian(word: str) -> tuple[str, ...]:
    """The English of a folded Russian word ("переговорах": talks, negotiations), or ()."""
    for end in range(len(word), max(len(word) - _ENDING, 3) - 1, -1):
        found = RUSSIAN.get(word[:end])
        if found is not None and set(word[end:]) <= _ENDING_LETTERS:
            return found
    return ()


def japanese_words() -> list[str]:
    """The Japanese entries, longest first (how a query's Japanese runs are cut)."""
    return sorted(JAPANESE, key=len, reverse=True)

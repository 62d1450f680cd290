"""Generate a synthetic nichiro fact base of N fact records, in the real TOML format.

    python benchmarks/synthetic.py OUTDIR --records 100000 [--seed 1] [--per-file 1000]

Writes `sources.toml` (three [[source]]), `people.toml` and `places.toml` (registries with aliases
in Latin, Japanese and Cyrillic script), and `facts-NNNN.toml` files of about --per-file fact
records each: meetings, events, treaties, trades and exchanges with realistic titles, summaries,
quotes, tags, notes and `related` links, spread over 1855-2024 with most after 1991. Every file
passes `nichiro --facts-only --facts OUTDIR check`.

Deterministic: the same --records, --seed and --per-file give byte-identical files. A
`manifest.json` (ignored by nichiro, which reads only *.toml) records the parameters and a few
ids and words that the scale benchmark uses (`show` of a fact in the middle, `search` of a place).
Standard library only.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
from pathlib import Path

GENERATOR_VERSION = 1

SOURCES = [
    (
        "synthetic-agency-2016",
        "Russia–Japan relations (synthetic backgrounder)",
        "Synthetic News Agency (Moscow)",
        "2016",
    ),
    ("synthetic-ministry-2012", "Russia–Japan relations (synthetic official overview)", "Synthetic Ministry", "2012"),
    ("synthetic-encyclopedia-2019", "Japan–Russia relations (synthetic article)", "Synthetic Encyclopedia", "2019"),
]

# id, name, country, role, aliases
PEOPLE = [
    ("vladimir-putin", "Vladimir Putin", "russia", "President of the Russian Federation", ["Путин", "プーチン"]),
    ("dmitry-medvedev", "Dmitry Medvedev", "russia", "President of the Russian Federation", ["Медведев"]),
    ("sergey-lavrov", "Sergey Lavrov", "russia", "Minister of Foreign Affairs of Russia", ["Sergei Lavrov", "Лавров"]),
    ("mikhail-mishustin", "Mikhail Mishustin", "russia", "Prime Minister of Russia", ["Мишустин"]),
    ("sergei-shoigu", "Sergei Shoigu", "russia", "Minister of Defence of Russia", ["Sergey Shoygu", "Шойгу"]),
    ("valentina-matviyenko", "Valentina Matviyenko", "russia", "Chair of the Federation Council", ["Матвиенко"]),
    ("igor-morgulov", "Igor Morgulov", "russia", "Deputy Minister of Foreign Affairs of Russia", ["Моргулов"]),
    ("denis-manturov", "Denis Manturov", "russia", "Minister of Industry and Trade of Russia", ["Мантуров"]),
    ("alexander-novak", "Alexander Novak", "russia", "Minister of Energy of Russia", ["Новак"]),
    ("oleg-kozhemyako", "Oleg Kozhemyako", "russia", "Governor of Primorsky Krai", ["Кожемяко"]),
    ("valery-limarenko", "Valery Limarenko", "russia", "Governor of Sakhalin Oblast", ["Лимаренко"]),
    ("yuri-trutnev", "Yuri Trutnev", "russia", "Presidential Envoy to the Far Eastern Federal District", ["Трутнев"]),
    ("mikhail-galuzin", "Mikhail Galuzin", "russia", "Ambassador of Russia to Japan", ["Галузин"]),
    ("boris-yeltsin", "Boris Yeltsin", "russia", "President of the Russian Federation", ["Ельцин"]),
    ("mikhail-gorbachev", "Mikhail Gorbachev", "soviet-union", "General Secretary of the CPSU", ["Горбачёв"]),
    ("nikita-khrushchev", "Nikita Khrushchev", "soviet-union", "First Secretary of the CPSU", ["Хрущёв"]),
    ("nicholas-ii", "Nicholas II", "russian-empire", "Emperor of Russia", ["Николай II"]),
    ("shinzo-abe", "Shinzo Abe", "japan", "Prime Minister of Japan", ["Shinzō Abe", "安倍晋三", "Абэ"]),
    ("fumio-kishida", "Fumio Kishida", "japan", "Minister for Foreign Affairs of Japan", ["岸田文雄", "Кисида"]),
    ("yoshihide-suga", "Yoshihide Suga", "japan", "Prime Minister of Japan", ["菅義偉", "Суга"]),
    ("taro-kono", "Taro Kono", "japan", "Minister for Foreign Affairs of Japan", ["Tarō Kōno", "河野太郎"]),
    ("yoshimasa-hayashi", "Yoshimasa Hayashi", "japan", "Minister for Foreign Affairs of Japan", ["林芳正"]),
    ("hiroshige-seko", "Hiroshige Seko", "japan", "Minister of Economy, Trade and Industry", ["世耕弘成"]),
    ("toshimitsu-motegi", "Toshimitsu Motegi", "japan", "Minister for Foreign Affairs of Japan", ["茂木敏充"]),
    ("yoshihiko-noda", "Yoshihiko Noda", "japan", "Prime Minister of Japan", ["野田佳彦"]),
    ("naoto-kan", "Naoto Kan", "japan", "Prime Minister of Japan", ["菅直人"]),
    ("yukio-hatoyama", "Yukio Hatoyama", "japan", "Prime Minister of Japan", ["鳩山由紀夫"]),
    ("ichiro-hatoyama", "Ichiro Hatoyama", "japan", "Prime Minister of Japan", ["Ichirō Hatoyama", "鳩山一郎"]),
    ("junichiro-koizumi", "Junichiro Koizumi", "japan", "Prime Minister of Japan", ["Jun'ichirō Koizumi"]),
    ("ryutaro-hashimoto", "Ryutaro Hashimoto", "japan", "Prime Minister of Japan", ["橋本龍太郎"]),
    ("keizo-obuchi", "Keizo Obuchi", "japan", "Prime Minister of Japan", ["小渕恵三"]),
    ("yoshiro-mori", "Yoshiro Mori", "japan", "Prime Minister of Japan", ["森喜朗"]),
    ("muneo-suzuki", "Muneo Suzuki", "japan", "Member of the House of Representatives", ["鈴木宗男"]),
    ("toyohisa-kozuki", "Toyohisa Kozuki", "japan", "Ambassador of Japan to Russia", ["上月豊久"]),
    ("tatsuo-akiba", "Tatsuo Akiba", "japan", "Vice-Minister for Foreign Affairs", ["秋葉剛男"]),
    ("emperor-meiji", "Emperor Meiji", "japan", "Emperor of Japan", ["明治天皇"]),
]

# id, name, kind, country, aliases
PLACES = [
    ("kuril-islands", "Kuril Islands", "island-group", "disputed", ["Northern Territories", "北方領土", "Курилы"]),
    ("shikotan", "Shikotan", "island", "disputed", ["Shikotan Island", "色丹島", "Шикотан"]),
    ("kunashir", "Kunashir", "island", "disputed", ["Kunashiri", "国後島", "Кунашир"]),
    ("iturup", "Iturup", "island", "disputed", ["Etorofu", "択捉島", "Итуруп"]),
    ("habomai", "Habomai", "island-group", "disputed", ["Habomai Islands", "歯舞群島", "Хабомаи"]),
    ("sakhalin", "Sakhalin", "island", "russia", ["Karafuto", "樺太", "Сахалин"]),
    ("vladivostok", "Vladivostok", "city", "russia", ["ウラジオストク", "Владивосток"]),
    ("moscow", "Moscow", "city", "russia", ["モスクワ", "Москва"]),
    ("saint-petersburg", "Saint Petersburg", "city", "russia", ["St. Petersburg", "Санкт-Петербург"]),
    ("sochi", "Sochi", "city", "russia", ["ソチ", "Сочи"]),
    ("khabarovsk", "Khabarovsk", "city", "russia", ["ハバロフスク", "Хабаровск"]),
    ("yuzhno-sakhalinsk", "Yuzhno-Sakhalinsk", "city", "russia", ["Южно-Сахалинск"]),
    ("irkutsk", "Irkutsk", "city", "russia", ["イルクーツク", "Иркутск"]),
    ("kazan", "Kazan", "city", "russia", ["Казань"]),
    ("tokyo", "Tokyo", "city", "japan", ["東京", "Токио"]),
    ("osaka", "Osaka", "city", "japan", ["大阪", "Осака"]),
    ("nagato", "Nagato", "city", "japan", ["長門市", "Нагато"]),
    ("sapporo", "Sapporo", "city", "japan", ["札幌", "Саппоро"]),
    ("hakodate", "Hakodate", "city", "japan", ["函館", "Хакодате"]),
    ("nemuro", "Nemuro", "city", "japan", ["根室", "Немуро"]),
    ("kyoto", "Kyoto", "city", "japan", ["京都", "Киото"]),
    ("shimoda", "Shimoda", "city", "japan", ["下田", "Симода"]),
    ("portsmouth", "Portsmouth", "city", "united-states", ["Portsmouth, New Hampshire"]),
    ("beijing", "Beijing", "city", "china", ["Peking", "北京"]),
    ("san-francisco", "San Francisco", "city", "united-states", ["サンフランシスコ"]),
    ("singapore", "Singapore", "city", "singapore", ["シンガポール"]),
    ("lima", "Lima", "city", "peru", ["リマ"]),
    ("da-nang", "Da Nang", "city", "vietnam", ["Danang"]),
    ("buenos-aires", "Buenos Aires", "city", "argentina", []),
    ("hokkaido", "Hokkaido", "region", "japan", ["Hokkaidō", "北海道", "Хоккайдо"]),
    ("primorsky-krai", "Primorsky Krai", "region", "russia", ["Primorye", "Приморский край"]),
    ("kremlin", "Kremlin", "venue", "russia", ["Moscow Kremlin", "Кремль"]),
]

MEETING_KINDS = ["summit", "official-visit", "working-visit", "visit", "sidelines", "phone-call", "talks", "dialogue"]
MEETING_LEVELS = [
    "leaders",
    "ministers",
    "deputy-ministers",
    "parliament",
    "military",
    "party",
    "regional",
    "officials",
]
OCCASIONS = [
    "G20 summit",
    "APEC summit",
    "Eastern Economic Forum",
    "St. Petersburg International Economic Forum",
    "ASEAN Regional Forum",
    "United Nations General Assembly",
    "East Asia Summit",
    "G8 summit",
]
TOPICS = [
    ("peace treaty", "peace-treaty"),
    ("the Kuril Islands dispute", "kuril-islands"),
    ("joint economic activities on the islands", "joint-economic-activities"),
    ("energy cooperation", "energy"),
    ("liquefied natural gas supplies", "lng"),
    ("fisheries quotas", "fisheries"),
    ("visa-free exchanges", "visa-free-exchange"),
    ("development of the Russian Far East", "russian-far-east"),
    ("the eight-point economic plan", "eight-point-plan"),
    ("security on the Korean Peninsula", "korean-peninsula"),
    ("sanctions over Crimea", "sanctions"),
    ("humanitarian exchange", "culture"),
    ("investment in Sakhalin projects", "sakhalin-projects"),
    ("military confidence-building", "defence"),
    ("graves of Japanese internees", "internees"),
    ("customs cooperation", "customs"),
    ("medical centres and healthcare", "healthcare"),
    ("tourism and youth exchanges", "tourism"),
]
EVENT_KINDS = ["diplomatic", "incident", "poll", "plan", "proposal", "statement", "policy", "military", "economic"]
EVENT_TEMPLATES = [
    ("{country} protests a military exercise near {place}", "military"),
    ("{country} announces new measures on {topic}", "policy"),
    ("A poll on {topic} is published in {country}", "poll"),
    ("Fishing vessel detained off {place}", "incident"),
    ("{person} proposes talks on {topic}", "proposal"),
    ("{country} issues a statement on {topic}", "statement"),
    ("A plan for {topic} is presented in {place}", "plan"),
    ("Delegation from {place} visits on {topic}", "diplomatic"),
    ("Investment agreement on {topic} announced in {place}", "economic"),
]
TREATY_KINDS = [
    "treaty",
    "convention",
    "declaration",
    "agreement",
    "exchange-of-notes",
    "memorandum",
    "joint-statement",
]
QUALIFIERS = ["exactly", "over", "more-than", "some", "about", "almost", "at-least"]
NOTES = [
    "The source gives the month only; the day is not known.",
    "Two sources give different figures; the later one is kept here.",
    "The source spells the name differently; the common spelling is used.",
    "The place is not named by the source; it is inferred from the occasion.",
    "The source calls it a working visit; other reports call it official.",
]


def _date(rng: random.Random) -> tuple[str, int]:
    """A partial date at a random precision, mostly after 1991, and its year."""
    year = rng.randint(1855, 1990) if rng.random() < 0.15 else rng.randint(1991, 2024)
    r = rng.random()
    if r < 0.15:
        return f"{year}", year
    month = rng.randint(1, 12)
    if r < 0.35:
        return f"{year}-{month:02d}", year
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    if r < 0.95:
        return f"{year}-{month:02d}-{day:02d}", year
    end_day = min(day + rng.randint(1, 3), calendar.monthrange(year, month)[1])
    return f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{end_day:02d}", year


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isascii() and ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in out.split("-") if p)[:60].strip("-")


def _q(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids: list[str] = []
        self.serial = 0

    def _new_id(self, date: str, title: str) -> str:
        self.serial += 1
        fid = f"{date.split('/')[0]}-{_slug(title)}-n{self.serial}"
        self.ids.append(fid)
        return fid

    def _common(self, kind: str, date: str, title: str, summary: str, tags: list[str], quotes: list[str]) -> list[str]:
        rng = self.rng
        fid = self._new_id(date, title)
        lines = [f"[[{kind}]]", f"id = {_q(fid)}", f"date = {_q(date)}", f"title = {_q(title)}"]
        lines.append(f"summary = {_q(summary)}")
        lines.append(f"tags = {_list(tags)}")
        if rng.random() < 0.2:
            lines.append(f"note = {_q(rng.choice(NOTES))}")
        if len(self.ids) > 10 and rng.random() < 0.3:
            # Only ids already written, so that every reference resolves.
            picks = {self.ids[rng.randrange(len(self.ids) - 1)] for _ in range(2)}
            lines.append(f"related = {_list(sorted(picks))}")
        self._pending_sources = [(rng.choice(SOURCES)[0], q) for q in quotes]
        return lines

    def _sources(self, kind: str) -> list[str]:
        out = []
        for source, quote in self._pending_sources:
            out += ["", f"[[{kind}.sources]]", f"source = {_q(source)}", f"quote = {_q(quote)}"]
        return out

    def meeting(self) -> list[str]:
        rng = self.rng
        date, year = _date(rng)
        japanese = rng.choice([p for p in PEOPLE if p[2] == "japan"])
        russian = rng.choice([p for p in PEOPLE if p[2] != "japan"])
        place = rng.choice(PLACES)
        kind = rng.choice(MEETING_KINDS)
        level = rng.choice(MEETING_LEVELS)
        topic, tag = rng.choice(TOPICS)
        topic2, tag2 = rng.choice(TOPICS)
        verb = {"phone-call": "speak by phone about", "summit": "hold a summit on"}.get(kind, "meet to discuss")
        title = f"{russian[1]} and {japanese[1]} {verb} {topic} in {place[1]}"
        summary = (
            f"In {year} {russian[1]} ({russian[3]}) and {japanese[1]} ({japanese[3]}) met in {place[1]}, "
            f"discussing {topic} and {topic2}; both sides agreed to continue the dialogue."
        )
        quote = f"{russian[1]} and {japanese[1]} discussed {topic} during the talks in {place[1]} in {year}."
        lines = self._common("meeting", date, title, summary, sorted({tag, tag2}), [quote])
        lines += [f"kind = {_q(kind)}", f"level = {_q(level)}", f"place = {_list([place[0]])}"]
        lines.append(f"participants = {_list([russian[0], japanese[0]])}")
        if kind == "sidelines" or rng.random() < 0.15:
            lines.append(f"occasion = {_q(rng.choice(OCCASIONS))}")
        return lines + self._sources("meeting")

    def event(self) -> list[str]:
        rng = self.rng
        date, year = _date(rng)
        template, kind = rng.choice(EVENT_TEMPLATES)
        person = rng.choice(PEOPLE)
        place = rng.choice(PLACES)
        topic, tag = rng.choice(TOPICS)
        country = rng.choice(["Japan", "Russia"])
        title = template.format(country=country, place=place[1], topic=topic, person=person[1])
        summary = f"{title} ({year}). The source reports it in connection with {topic}."
        quote = f"In {year}, {title[0].lower() + title[1:]}, according to officials in {place[1]}."
        lines = self._common("event", date, title, summary, [tag], [quote])
        lines += [f"kind = {_q(kind)}", f"place = {_list([place[0]])}", f"participants = {_list([person[0]])}"]
        if kind == "poll":
            value = rng.randint(5, 80)
            lines.append(
                f'figures = [{{ label = "share in favour", value = {value}, unit = "%", '
                f'subject = "{country.lower()}", qualifier = "about" }}]'
            )
        return lines + self._sources("event")

    def treaty(self) -> list[str]:
        rng = self.rng
        date, year = _date(rng)
        kind = rng.choice(TREATY_KINDS)
        topic, tag = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        name = kind.replace("-", " ")
        article = "an" if name[0] in "aeiou" else "a"
        title = f"{name.capitalize()} on {topic} signed in {place[1]}"
        summary = f"Japan and Russia signed {article} {name} on {topic} in {place[1]} in {year}."
        quote = f"The two countries signed {article} {name} on {topic} in {year}."
        lines = self._common("treaty", date, title, summary, [tag, "agreements"], [quote])
        lines += [f"kind = {_q(kind)}", 'parties = ["Japan", "Russia"]']
        lines.append(f"provisions = {_q(f'Provides for cooperation on {topic}; details as the source gives them.')}")
        lines.append(f"place = {_list([place[0]])}")
        if rng.random() < 0.2:
            lines += [f"count = {rng.randint(2, 80)}", f"qualifier = {_q(rng.choice(QUALIFIERS))}"]
        return lines + self._sources("treaty")

    def trade(self) -> list[str]:
        rng = self.rng
        year = rng.randint(1992, 2024)
        measure = rng.choice(["total", "exports", "imports"])
        value = round(rng.uniform(1.0, 35.0), 2)
        title = f"Trade {measure} in {year}: USD {value} billion"
        summary = f"Russia–Japan trade {measure} in {year} was USD {value} billion, per the customs service."
        quote = f"In {year} the trade {measure} between Russia and Japan amounted to ${value} billion."
        lines = self._common("trade", str(year), title, summary, ["trade"], [quote])
        lines += [f"measure = {_q(measure)}", f"value = {value}", 'unit = "USD billion"']
        lines.append('reporter = "Russian Federal Customs Service"')
        if measure != "total":
            lines.append(f"perspective = {_q(rng.choice(['russia', 'japan']))}")
        return lines + self._sources("trade")

    def exchange(self) -> list[str]:
        rng = self.rng
        year = rng.randint(1992, 2024)
        direction = rng.choice(["japan-to-islands", "islands-to-japan", "both"])
        count = rng.randint(100, 30000)
        qualifier = rng.choice(QUALIFIERS)
        island = rng.choice(PLACES[:5])
        title = f"Visa-free exchange {year}: {count} visitors ({direction.replace('-', ' ')}, {island[1]})"
        summary = f"{qualifier.replace('-', ' ').capitalize()} {count} people travelled under the visa-free program."
        quote = f"In {year}, {count} people visited {island[1]} and the neighbouring islands without visas."
        lines = self._common("exchange", str(year), title, summary, ["visa-free-exchange"], [quote])
        lines += ['program = "visa-free"', f"direction = {_q(direction)}", f"count = {count}"]
        lines += [f"qualifier = {_q(qualifier)}", 'scope = "annual"']
        return lines + self._sources("exchange")

    def record(self) -> list[str]:
        r = self.rng.random()
        make = (
            self.meeting
            if r < 0.45
            else self.event
            if r < 0.75
            else self.treaty
            if r < 0.87
            else self.trade
            if r < 0.94
            else self.exchange
        )
        return make()


def _registries() -> dict[str, str]:
    src = ["# Synthetic sources (benchmarks/synthetic.py).", ""]
    for i, (sid, title, publisher, date) in enumerate(SOURCES):
        src += ["[[source]]", f"id = {_q(sid)}", f'file = "{i:03d}_synthetic.txt"', f"title = {_q(title)}"]
        src += [f"publisher = {_q(publisher)}", f"date = {_q(date)}", ""]
    people = ["# Synthetic people registry (benchmarks/synthetic.py).", ""]
    for pid, name, country, role, aliases in PEOPLE:
        people += ["[[person]]", f"id = {_q(pid)}", f"name = {_q(name)}", f"country = {_q(country)}"]
        people += [f"roles = {_list([role])}", f"aliases = {_list(aliases)}", ""]
    places = ["# Synthetic places registry (benchmarks/synthetic.py).", ""]
    for pid, name, kind, country, aliases in PLACES:
        places += ["[[place]]", f"id = {_q(pid)}", f"name = {_q(name)}", f"kind = {_q(kind)}"]
        places += [f"country = {_q(country)}", f"aliases = {_list(aliases)}", ""]
    return {"sources.toml": "\n".join(src), "people.toml": "\n".join(people), "places.toml": "\n".join(places)}


def generate(outdir: Path, records: int, seed: int = 1, per_file: int = 1000) -> dict[str, object]:
    """Write the fact base into outdir (created; existing *.toml files there are removed)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.toml"):
        old.unlink()
    for name, text in _registries().items():
        (outdir / name).write_text(text, encoding="utf-8")
    gen = _Gen(seed)
    files = 0
    for start in range(0, records, per_file):
        chunk = [f"# Synthetic facts {start + 1}-{min(start + per_file, records)} (benchmarks/synthetic.py)."]
        for _ in range(min(per_file, records - start)):
            chunk += ["", *gen.record()]
        (outdir / f"facts-{files:04d}.toml").write_text("\n".join(chunk) + "\n", encoding="utf-8")
        files += 1
    manifest: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "records": records,
        "seed": seed,
        "per_file": per_file,
        "fact_files": files,
        "show_id": gen.ids[len(gen.ids) // 2],
        "first_id": gen.ids[0],
        "last_id": gen.ids[-1],
        "search_word": "Shikotan",
    }
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path, help="directory to write into (its *.toml files are replaced)")
    parser.add_argument("--records", "-n", type=int, default=1000, help="number of fact records (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--per-file", type=int, default=1000, help="fact records per file (default 1000)")
    args = parser.parse_args(argv)
    if args.records < 1 or args.per_file < 1:
        parser.error("--records and --per-file must be positive")
    manifest = generate(args.outdir, args.records, args.seed, args.per_file)
    sys.stdout.write(f"wrote {args.records} facts in {manifest['fact_files']} files to {args.outdir}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

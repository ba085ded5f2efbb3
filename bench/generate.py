"""A deterministic synthetic corpus in the seeds' layout, at any size.

Meetings of committees from a pool, dated 2005–2026, with attendance lists
(§ ranges, substitutes replacing members for some §§), § headings, case
numbers that recur across meetings, officers and the usual sections.  The
running text is drawn from a word-bigram model of the bundled corpus, so its
word statistics are the corpus's own.  The same seed gives the same files.

    python bench/generate.py OUT_DIR PARAGRAPHS [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMITTEES = [
    "Kommunstyrelsens trygghetsutskott", "Kommunstyrelsens utskott för socialt förebyggande arbete",
    "Kommunstyrelsen", "Kommunfullmäktige", "Socialnämnden", "Tekniska nämnden", "Byggnadsnämnden",
    "Kultur- och fritidsnämnden", "Miljönämnden", "Gymnasie- och arbetsmarknadsnämnden",
    "Förskolenämnden", "Grundskolenämnden", "Vård- och omsorgsnämnden", "Programnämnd social välfärd",
]
FIRST = ["Anna", "Anders", "Maria", "Johan", "Karin", "Erik", "Eva", "Lars", "Sara", "Mats", "Lena", "Per",
         "Kemal", "Jessica", "Helena", "Maja", "Susanne", "Karolina", "Christopher", "Linda", "Murad", "Niclas",
         "Ullis", "Marlene", "Johanna", "Robert", "Erika", "Patrik", "Sofia", "Björn", "Elin", "Ahmed", "Fatima"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
        "Gustafsson", "Hoso", "Ekerbring", "Ståhl", "Ekström", "Gullberg", "Lindholm", "Sjöström", "Wallström",
        "Åhrlin", "Sollerman", "Pettersson", "Brantsberg", "Lindby", "Edlund", "Hedbom", "Artin", "Smedberg"]
PARTIES = ["S", "M", "C", "L", "V", "KD", "SD", "MP"]
TITLES = ["Säkerhetschef", "Nämndsekreterare", "Strateg", "Planerare", "Samordnare", "Verksamhetschef",
          "Enhetschef", "Utredare", "Controller", "Förvaltningschef"]
PLACES = ["Dialogen, Rådhuset", "Lagrummet, Rådhuset", "Stadshuset", "Sessionssalen", "Digitalt möte"]
TITLE_STARTS = ["Information om", "Svar på remiss om", "Uppföljning av", "Redovisning av", "Införande av",
                "Rapport om", "Yttrande över", "Budget för", "Handlingsplan för", "Avstämning av arbetet med"]


class Bigrams:
    """A word-bigram model of the bundled corpus."""

    def __init__(self, texts: list[str]):
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
                words = sentence.split()
                if len(words) < 4 or any(w.startswith(("§", "Ärendenummer")) for w in words):
                    continue
                self.starts.append(words[0])
                for a, b in zip(words, words[1:]):
                    self.next[a].append(b)
        self.nouns = sorted({w.strip(".,:;()") for ws in self.next.values() for w in ws
                             if len(w) > 8 and w.strip(".,:;()").isalpha() and w.islower()})

    def sentence(self, rng: random.Random, max_words: int = 28) -> str:
        word = rng.choice(self.starts)
        out = [word]
        while len(out) < max_words and not word.endswith((".", "!", "?")):
            choices = self.next.get(word)
            if not choices:
                break
            word = rng.choice(choices)
            out.append(word)
        text = " ".join(out)
        return text if text.endswith((".", "!", "?")) else text.rstrip(",;:") + "."

    def paragraph(self, rng: random.Random, chars: int) -> str:
        parts, size = [], 0
        while size < chars:
            s = self.sentence(rng)
            parts.append(s)
            size += len(s) + 1
        return " ".join(parts)


def wrap(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def meeting(rng: random.Random, model: Bigrams, first_number: int, count: int, cases: list[str]) -> str:
    committee = rng.choice(COMMITTEES)
    year = rng.randint(2005, 2026)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    numbers = list(range(first_number, first_number + count))
    lo, hi = numbers[0], numbers[-1]
    members = [(person(rng), rng.choice(PARTIES)) for _ in range(7)]
    lines = [committee, "", f"Datum: {date}", f"Tid: {rng.randint(8, 15):02d}.00–{rng.randint(16, 18):02d}.30",
             f"Plats: {rng.choice(PLACES)}", "", "Närvarande ledamöter"]
    cut = rng.randint(lo, hi)
    absent = members[0]
    for i, (name, party) in enumerate(members):
        if i == 0 and cut < hi:
            lines.append(f"{name} ({party}) §§ {lo}–{cut}")
        else:
            lines.append(f"{name} ({party})")
    lines += ["", "Tjänstgörande ersättare"]
    if cut < hi:
        lines.append(f"{person(rng)} ({absent[1]}) Ersätter {absent[0]} ({absent[1]}) §§ {cut + 1}–{hi}")
    lines.append(f"{person(rng)} ({rng.choice(PARTIES)}) Ersätter {person(rng)} ({rng.choice(PARTIES)})")
    lines += ["", "Övriga"]
    for _ in range(rng.randint(2, 5)):
        n = rng.choice(numbers)
        lines.append(f"{person(rng)} {rng.choice(TITLES)}" + (f" § {n}" if rng.random() < 0.5 else ""))
    secretary = person(rng)
    lines += ["", f"Paragraf {lo}–{hi}", "", f"{secretary}, sekreterare", "", "Digitalt justerat protokoll.", "",
              f"{members[1][0]} ({members[1][1]}), ordförande", "", f"{members[2][0]} ({members[2][1]}), justerare", ""]
    for n in numbers:
        if cases and rng.random() < 0.35:
            case = rng.choice(cases)
        else:
            case = f"Ks {rng.randint(1, 1500)}/{year}"
            cases.append(case)
        title = f"{rng.choice(TITLE_STARTS)} {rng.choice(model.nouns)}"
        lines += [f"§ {n} {title}", "", f"Ärendenummer: {case}", "", f"Handläggare: {person(rng)}", "",
                  "Ärendebeskrivning", ""]
        for _ in range(rng.randint(1, 3)):
            lines += wrap(model.paragraph(rng, rng.randint(300, 600))) + [""]
        lines += ["Beslutsunderlag", "", f"Tjänsteskrivelse, {date}", "", "Förslag till beslut", "",
                  f"Förvaltningens förslag till {committee}:", "", "- " + model.sentence(rng, 16), "",
                  "Beslut", "", f"{committee} beslutar:", "", "- Enligt förvaltningens förslag.", ""]
    return "\n".join(lines) + "\n"


def generate(out: Path, paragraphs: int, seed: int = 7) -> list[Path]:
    """Write meetings holding ``paragraphs`` §§ in all into ``out``; the same seed gives the same files."""
    rng = random.Random(seed)
    model = Bigrams([p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))])
    out.mkdir(parents=True, exist_ok=True)
    cases: list[str] = []
    written, files = 0, []
    while written < paragraphs:
        count = min(rng.randint(6, 14), paragraphs - written)
        path = out / f"meeting-{len(files):06d}.txt"
        path.write_text(meeting(rng, model, rng.randint(1, 300), count, cases), encoding="utf-8")
        files.append(path)
        written += count
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("paragraphs", type=int)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    files = generate(args.out, args.paragraphs, args.seed)
    print(f"{len(files)} files, {args.paragraphs} paragraphs -> {args.out}")


if __name__ == "__main__":
    main()

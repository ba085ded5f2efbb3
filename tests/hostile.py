"""Text no protocol should have but any file may: one long word, a line of dots, leaders, § signs by the
hundred thousand, runs of digits, a list of a hundred thousand names.  The parser must read each in time
linear in its size (``bench/run.py --hostile`` times them at 1 MB) and keep every word of it
(tests/test_nothing_lost.py).  Shared by the benchmark and the tests."""

from __future__ import annotations

import random

MB = 2**20


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _names(size: int) -> str:
    rng = random.Random(1)
    out, total, i = [], 0, 0
    while total < size:
        line = (f"{rng.choice(['Anna', 'Karl', 'Eva', 'Lars', 'Maria'])} "
                f"{rng.choice(['Andersson', 'Johansson', 'Karlsson', 'Nilsson'])}{i} ({rng.choice('SMVCL')}), "
                f"{rng.choice(['ledamot', 'ersättare', 'ordförande'])}\n")
        out.append(line)
        total += len(line)
        i += 1
    return "".join(out)[:size]


def _rising(size: int, unit) -> str:
    out, total, i = [], 0, 1
    while total < size:
        piece = unit(i)
        out.append(piece)
        total += len(piece)
        i += 1
    return "".join(out)[:size]


def texts(size: int = MB) -> dict[str, str]:
    """Name -> a text of about ``size`` characters."""
    front = "Protokoll\nSocialnämnden\nSammanträdesdatum 2024-01-01\nNärvarande\n"
    return {
        "one long word": "a" * size,
        "a line of dots": "." * size,
        "contents lists with leaders": _fill("Innehåll\nBudget " + "." * 200 + " 3\n", size),
        "leaders in one line": "Innehåll " + _fill("Budget " + "." * 200 + " 3 ", size),
        "§ signs": "§" * size,
        "§ signs and spaces": _fill("§ ", size),
        "one heading again and again": _fill("§ 12 Budget\n", size),
        "headings in one line": _fill("text § 12 Budget ", size),
        "rising headings in one line": _rising(size, lambda i: f"§ {i} Budget text "),
        "rising headings a line each": _rising(size, lambda i: f"§ {i} Budget\nText.\n"),
        "a run of digits": "1" * size,
        "numbers": _fill("12 ", size),
        "numbered lines": _rising(size, lambda i: f"{i} Text\n"),
        "a list of names": _names(size),
        "a front page of names": front + _names(size) + "§ 1 Budget\nText\n",
        "spaces": " " * size,
        "spaces inside a line": "a" + " " * size + "b",
        "blank lines": "\n" * size,
        "blank lines of all kinds": _fill(" \t\f\n\u00a0", size),
        "case numbers": _fill("Dnr KS 2024/12 ", size),
        "dates": _fill("2024-01-01 ", size),
        "parentheses": "(" * size,
        "words in parentheses": _fill("(a ", size),
        "capitals": _fill("BUDGET ", size),
        "section names": _fill("Beslut\n", size),
        "declared ranges": _fill("Paragrafer 1-5 ", size),
        "hyphens at line ends": _fill("a-\n", size),
        "a word hyphenated again and again": _fill("kommun-\n", size),
        "compounds hyphenated": _fill("kommun-\nstyrelse ", size),
        "capitalised words before a proposal": "§ 1 Budget\n" + _fill("Anna Berg Karl Lund ", size) + " yrkar bifall.",
        "proposals": "§ 1 Budget\n" + _fill("Anna Berg (S) yrkar bifall. Ledamöterna från SD reserverar sig. ", size),
        "a roll call": ("§ 1 Budget\nGodkänd voteringsproposition: ”Ja för bifall”.\n" + _fill("Anna Berg (S), ", size)
                        + " röstar Ja (3)."),
        "votes": "§ 1 Budget\n" + _fill("Omröstningen utfaller med 48 Ja mot 19 Nej. ", size),
    }

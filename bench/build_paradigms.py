"""Build tests/data/paradigms.tsv: Swedish inflection paradigms for the words of the corpus.

Source: simplemma's Swedish form -> lemma dictionary (simplemma is MIT; its
data come from Měchura's lemmatization lists (ODbL), Wiktionary via Kaikki,
FreeLing, spaCy lookups, UniMorph and Wikinflection (CC BY 4.0); see the
`licenses` folder of the simplemma package).  Only the lemmas whose forms occur
in the bundled corpus are kept, with all their single-word forms.

Needs `pip install simplemma` (not a dependency of trygg-search: run it only to
rebuild the file).  Usage: python bench/build_paradigms.py [corpus-folder]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from simplemma.strategies.dictionaries import DefaultDictionaryFactory

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"^[a-zåäöé]{3,}$")


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus"
    vocabulary = set()
    for path in corpus.rglob("*.txt"):
        vocabulary.update(w.lower() for w in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
    forms_of: dict[str, set[str]] = defaultdict(set)
    for form, lemma in DefaultDictionaryFactory().get_dictionary("sv").items():
        form = form.decode() if isinstance(form, bytes) else form
        lemma = lemma.decode() if isinstance(lemma, bytes) else lemma
        form, lemma = form.lower(), lemma.lower()
        if WORD.match(form) and WORD.match(lemma):
            forms_of[lemma].add(form)
    rows = []
    for lemma in sorted(forms_of):
        forms = forms_of[lemma] | {lemma}
        if len(lemma) >= 4 and len(forms) >= 2 and forms & vocabulary:
            rows.append(f"{lemma}\t{' '.join(sorted(forms))}")
    out = ROOT / "tests" / "data" / "paradigms.tsv"
    out.write_text(
        "# lemma<TAB>forms, from simplemma's Swedish data (see bench/build_paradigms.py for sources and licences)\n"
        + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} paradigms, {sum(len(r.split()) - 1 for r in rows)} forms -> {out}")


if __name__ == "__main__":
    main()

"""Build tests/data/paradigms.tsv: Swedish inflection paradigms for the words of the corpus.

Source: the Swedish Hunspell dictionary (hunspell-sv, LGPL; a dependency of
trygg-search): each root with every form its suffix rules make.  It is
independent of the lexicon the analysis uses for inflections (simplemma's
data), so the figures measure the analysis, not the lexicon against itself.
Only roots of at least four letters whose forms occur in the bundled corpus
are kept, with all their single-word forms (linking forms that stand only
inside compounds left out).

Usage: python bench/build_paradigms.py [corpus-folder]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trygg_search.hunspell import ONLY_IN_COMPOUND, dictionary_files, expand  # noqa: E402

WORD = re.compile(r"^[a-zåäöé]{3,}$")


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus"
    vocabulary = set()
    for path in corpus.rglob("*.txt"):
        vocabulary.update(w.lower() for w in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
    dic, aff = dictionary_files()
    forms_of: dict[str, set[str]] = defaultdict(set)
    for form, root, flags, _ in expand(dic, aff):
        if root.islower() and WORD.match(form) and WORD.match(root) and ONLY_IN_COMPOUND not in flags:
            forms_of[root].add(form)
    rows = []
    for lemma in sorted(forms_of):
        forms = forms_of[lemma] | {lemma}
        if len(lemma) >= 4 and len(forms) >= 2 and forms & vocabulary:
            rows.append(f"{lemma}\t{' '.join(sorted(forms))}")
    out = ROOT / "tests" / "data" / "paradigms.tsv"
    out.write_text(
        "# lemma<TAB>forms, from hunspell-sv's suffix rules (see bench/build_paradigms.py)\n"
        + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} paradigms, {sum(len(r.split()) - 1 for r in rows)} forms -> {out}")


if __name__ == "__main__":
    main()

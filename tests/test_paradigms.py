"""Inflections: do the forms of one word share a term (conflation), and do different words (over-merging)?

Measured on tests/data/paradigms.tsv (716 Swedish words of the corpus with all
their forms, built by bench/build_paradigms.py from hunspell-sv's suffix rules:
a source independent of the lexicon the analysis uses for inflections, which is
simplemma's data), for our stem beside plain Snowball.  A noun and the verb made
from it by -a (hjälp, hjälpa) are two words there, as in the lexicon.  Printed at the end of
the test run.  Over-merging counts participles and their verbs (berörd,
beröra) as two words, as the dictionary lists them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from trygg_search.analysis import snowball, stem

from .conftest import ROOT

FIGURES: dict[str, dict] = {}

# Reached when written (0.936; plain Snowball 0.621).  Over-merging is held to plain Snowball's,
# measured in the same run (0.000100 against 0.000125 when written).
MIN_CONFLATION = 0.93


def paradigms():
    rows = []
    for line in (ROOT / "tests" / "data" / "paradigms.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lemma, forms = line.split("\t")
            rows.append((lemma, forms.split()))
    return rows


def measure(fn) -> dict:
    rows = paradigms()
    same = same_ok = 0
    by_term = defaultdict(list)
    for lemma, forms in rows:
        terms = {f: fn(f) for f in forms}
        for a, b in itertools.combinations(forms, 2):
            same += 1
            same_ok += terms[a] == terms[b]
        for form, term in terms.items():
            by_term[term].append((lemma, form))
    forms_total = sum(len(f) for _, f in rows)
    different = forms_total * (forms_total - 1) // 2 - same
    merged = sum(
        1
        for group in by_term.values()
        for (l1, f1), (l2, f2) in itertools.combinations(group, 2)
        if l1 != l2 and f1 != f2
    )
    return {"conflation": same_ok / same, "over_merging": merged / different, "lemmas": len(rows),
            "forms": forms_total}


def test_normalization_conflates_more_than_snowball():
    ours, plain = measure(stem), measure(snowball)
    FIGURES["trygg-search"], FIGURES["plain Snowball"] = ours, plain
    assert len(paradigms()) >= 300
    assert ours["conflation"] >= MIN_CONFLATION
    assert ours["conflation"] > plain["conflation"] + 0.2
    assert ours["over_merging"] <= plain["over_merging"]


def test_the_issue_examples_now_meet():
    for a, b in [("tertialanalys", "tertialanalysen"), ("narkotikahandeln", "narkotikahandel"),
                 ("protokollet", "protokoll"), ("alkoholers", "alkoholer"), ("våldet", "våld"),
                 ("anslagstavlans", "anslagstavla"), ("bedömda", "bedöma")]:
        assert stem(a) == stem(b), (a, b)
    for a, b in [("information", "format"), ("region", "regi"), ("förslag", "slag")]:
        assert stem(a) != stem(b)


def test_the_lexicon_reaches_what_suffix_rules_cannot_and_keeps_names_apart():
    for forms in [("antog", "antagit", "anta", "antar"), ("gick", "gått", "gå"), ("gjorde", "göra"),
                  ("bedrivna", "bedriva"), ("skrivit", "skriva"), ("barnen", "barn")]:
        assert len({stem(f) for f in forms}) == 1, forms
    for a, b in [("göran", "göra"), ("johan", "johanna"), ("handla", "handlägga"), ("tum", "tumme")]:
        assert stem(a) != stem(b), (a, b)
    assert stem("görans") == stem("göran")
    # a base form the dictionary lists keeps its -n (no definite ending): kommun|styrelsen, not kommu
    assert stem("kommun") == stem("kommunen") == stem("kommunens") == "kommun"
    assert stem("region") == stem("regionen") == "region"


def test_a_noun_and_the_verb_made_from_it_stay_apart_and_each_keeps_its_forms():
    # hjälp (help) and hjälpa (to help), syfte and syfta, grund and grunda: Snowball gives each pair one stem
    for nouns, verbs in [(("hjälp", "hjälpen", "hjälpens"), ("hjälpa", "hjälper", "hjälpte", "hjälpt")),
                         (("syfte", "syftet", "syften", "syftena"), ("syfta", "syftar", "syftade")),
                         (("grund", "grunden", "grunder"), ("grunda", "grundar", "grundade")),
                         (("arbete", "arbetet", "arbeten"), ("arbeta", "arbetar", "arbetade", "arbetat"))]:
        assert len({stem(f) for f in nouns}) == 1, nouns
        assert len({stem(f) for f in verbs}) == 1, verbs
        assert stem(nouns[0]) != stem(verbs[0])
        # the noun's term still begins with the stem, so a prefix query reaches both
        assert stem(nouns[0]).startswith(stem(verbs[0]))
    # nouns without such a verb are untouched
    assert stem("kommunen") == "kommun" and stem("polisen") == "polis"

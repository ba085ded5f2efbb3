"""The three best-path choices of the parser (§ headings over a document, a contents list's numbers,
headings inside flattened pages) run in n log n by looking up the best chain below a number.  Each is
checked against an oracle that tries every chain of a small input: the chain chosen scores as well as
the best there is, and is a chain the rules allow."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg_search.protocol.contents import _best_chain
from trygg_search.protocol.flat import Inline
from trygg_search.protocol.headings import JUMP, STEP_ONE, Candidate, choose
from trygg_search.protocol.layout import _accepted


def _chains(n: int):
    for size in range(1, n + 1):
        yield from combinations(range(n), size)


def _heading_score(chain: list[Candidate]) -> float | None:
    if any(c.score <= 0 for c in chain) or any(b.number <= a.number for a, b in zip(chain, chain[1:])):
        return None
    return sum(c.score for c in chain) + sum(STEP_ONE if b.number == a.number + 1 else JUMP
                                              for a, b in zip(chain, chain[1:]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.sampled_from([-8.0, -1.0, 0.5, 2.0, 4.0, 6.0])), max_size=9))
def test_the_headings_chosen_are_the_best_chain(items):
    found = [Candidate(k, number, "", None, "sign", score) for k, (number, score) in enumerate(items)]
    scores = [s for idx in _chains(len(found)) if (s := _heading_score([found[i] for i in idx])) is not None]
    best = max(scores, default=None)
    chosen = choose(found)
    if best is None or best <= 0:
        assert chosen == []
    else:
        assert _heading_score(chosen) == best


def _contents_score(chain, declared):
    values = [v for _, v in chain]
    if declared and not all(declared[0] <= v <= declared[1] for v in values):
        return None
    steps = [b - a for a, b in zip(values, values[1:])]
    if any(s <= 0 or (s > 5 and not declared) for s in steps):
        return None
    return (sum(1 for s in steps if s == 1), len(chain))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 15), max_size=9), st.one_of(st.none(), st.tuples(st.integers(0, 6), st.integers(6, 15))))
def test_a_contents_list_reads_the_best_chain_of_numbers(values, declared):
    candidates = [(k * 2, v) for k, v in enumerate(values)]
    scores = [s for idx in _chains(len(candidates))
              if (s := _contents_score([candidates[i] for i in idx], declared)) is not None]
    chain = _best_chain(candidates, declared)
    if not scores:
        assert chain == []
    else:
        assert _contents_score(chain, declared) == max(scores)


def _inline_score(chain: list[Inline], everything: list[Inline], known: frozenset[int]):
    """(length, page heads) of a run the rules allow, else None: each heading stands by itself (a number
    listed or declared, or where none is, a sign, prefix or case number at a page's head, or a bare number
    there that the next number follows) or follows the number before by one."""
    signed = any(c.form == "sign" for c in everything)

    def alone(c: Inline) -> bool:
        if c.number in known:
            return True
        if known or not c.page_start:
            return False
        k = everything.index(c)
        return c.form != "bare" or any(d.number == c.number + 1 for d in everything[k + 1:])

    for n, c in enumerate(chain):
        if signed and c.form == "bare" and c.number not in known:
            return None
        if n and chain[n - 1].number >= c.number:
            return None
        if not alone(c) and not (n and c.number == chain[n - 1].number + 1):
            return None
    return (len(chain), sum(int(c.page_start) for c in chain))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10), st.sampled_from(["sign", "bare", "prefix", "case"]), st.booleans()),
                max_size=8),
       st.frozensets(st.integers(1, 10), max_size=5))
def test_the_headings_accepted_inside_pages_are_the_best_run(items, known):
    found = [Inline(k, 0, number, form, page_start) for k, (number, form, page_start) in enumerate(items)]
    scores = [s for idx in _chains(len(found)) if (s := _inline_score([found[i] for i in idx], found, known)) is not None]
    run = _accepted(found, known)
    if not scores:
        assert run == []
    else:
        assert _inline_score(run, found, known) == max(scores)

"""The best chain of rising numbers, found in n log n: the tree of prefix maxima that the heading
choice, contents lists and headings inside flattened pages share.  A chain's best extension is looked
up among the numbers below a value, never searched among all earlier candidates, so that a document of
many numbers stays linear (but for the logarithm)."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class PrefixMax(Generic[T]):
    """The greatest item stored at any rank up to a bound (a Fenwick tree).  Ranks run from 1 to
    ``size``; items are compared as Python compares them (tuples: score first, then a tie-breaker)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.tree: list[T | None] = [None] * (size + 1)

    def put(self, rank: int, item: T) -> None:
        while rank <= self.size:
            if self.tree[rank] is None or item > self.tree[rank]:
                self.tree[rank] = item
            rank += rank & -rank

    def get(self, rank: int) -> T | None:
        """The greatest item at a rank of at most ``rank`` (None where nothing is stored there)."""
        out = None
        rank = min(rank, self.size)
        while rank > 0:
            if self.tree[rank] is not None and (out is None or self.tree[rank] > out):
                out = self.tree[rank]
            rank -= rank & -rank
        return out


def ranks(numbers) -> dict[int, int]:
    """Each distinct number's rank among them, from 1."""
    return {n: r for r, n in enumerate(sorted(set(numbers)), 1)}

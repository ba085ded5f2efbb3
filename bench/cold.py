"""A fresh process for a baseline: import, open the index, run one query, print the ids (the cold-CLI measure)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

if __name__ == "__main__":
    kind, index, query = sys.argv[1:4]
    from systems import Fts5, PlainWhoosh

    system = PlainWhoosh() if kind == "whoosh" else Fts5()
    system.open(Path(index))
    print("\n".join(system.search({"q": query})))

"""The systems the benchmark compares, behind one small interface.

* ``trygg-search``: this project, through its library (parse, index, search with snippets).
* ``OpenSearch``: the same, with the index on an OpenSearch cluster (``--opensearch``).

Each search returns the top ten with snippets and counts every match (the
``total`` that the command line reports).
* ``plain whoosh``: what one writes in an afternoon: RegexTokenizer | LowercaseFilter |
  StopFilter(Snowball Swedish) | StemFilter(Snowball, cached), one writer, whoosh's
  own parser and highlighter.
* ``sqlite fts5``: Python's standard library, text pre-stemmed with the same Snowball
  stemmer, FTS-first SQL with filters joined from a plain table.

All of them read the documents with trygg-search's parser, so they index the same §§.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def paragraphs(corpus: Path):
    """(id, committee, date, case key, participants, title, text) for every § of the corpus."""
    from trygg_search import casenum
    from trygg_search.protocol import parse_meeting

    for path in sorted(corpus.glob("*.txt")):
        meeting = parse_meeting(path.read_text(encoding="utf-8"), str(path))
        for p in meeting.paragraphs:
            case = casenum.try_parse(p.case_number)
            yield (f"{path.stem}#{p.number}", meeting.committee or "", meeting.date or "",
                   case.key if case else "", ",".join(p.participants), p.title, p.text)


# --- trygg-search ----------------------------------------------------------------------


class Trygg:
    name = "trygg-search"

    def ingest(self, corpus: Path, index: Path) -> int:
        from trygg_search.ingest import ingest

        return ingest([str(corpus)], index).paragraphs_total

    def open(self, index: Path) -> None:
        from trygg_search.backends import open_index

        self.ix = open_index(index)

    def search(self, spec: dict) -> list[str]:
        from trygg_search.filters import make_filters
        from trygg_search.search import search

        filters = make_filters(**{k: spec.get(k) for k in ("committee", "from", "to", "case", "participant")})
        return [h.id for h in search(self.ix, spec["q"], filters, limit=10).hits]

    def case(self, number: str) -> list[str]:
        from trygg_search.lookup import case_history

        return [h["id"] for h in case_history(self.ix, number)["hits"]]

    def cases(self, numbers: list[str]) -> list[list[str]]:
        """A batch as ``case -`` answers it: the lines at hand together (up to the CLI's BATCH)."""
        from trygg_search.lookup import BATCH, case_histories

        out = []
        for k in range(0, len(numbers), BATCH):
            out += [[h["id"] for h in r["hits"]] for r in case_histories(self.ix, numbers[k:k + BATCH])]
        return out

    def cli(self, index: Path, query: str) -> list[str]:
        return [sys.executable, "-m", "trygg_search", "--index", str(index), "search", query, "--json"]


class TryggOpenSearch(Trygg):
    """trygg-search on OpenSearch: the same code, the index on the cluster at $TRYGG_BENCH_OPENSEARCH
    (one index per benchmark index folder, named after it)."""

    name = "OpenSearch"

    @staticmethod
    def location(index: Path) -> str:
        return f"{os.environ['TRYGG_BENCH_OPENSEARCH']}#{index.name.lower()}"

    def ingest(self, corpus: Path, index: Path) -> int:
        from trygg_search.ingest import ingest

        index.mkdir(parents=True, exist_ok=True)  # the folder only names the index
        return ingest([str(corpus)], self.location(index), rebuild=True).paragraphs_total

    def open(self, index: Path) -> None:
        from trygg_search.backends import open_index

        self.ix = open_index(self.location(index))

    def size_mb(self, index: Path) -> float:
        """The primary store of the index on the cluster."""
        import json
        import urllib.request

        url = os.environ["TRYGG_BENCH_OPENSEARCH"].split(",")[0]
        with urllib.request.urlopen(f"{url}/{index.name.lower()}/_stats/store") as answer:
            stats = json.loads(answer.read())
        return stats["_all"]["primaries"]["store"]["size_in_bytes"] / 2**20

    def cli(self, index: Path, query: str) -> list[str]:
        return [sys.executable, "-m", "trygg_search", "--index", self.location(index), "search", query, "--json"]


# --- plain whoosh -------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _snowball(word: str) -> str:
    import snowballstemmer

    return _stemmer(snowballstemmer).stemWord(word)


@lru_cache(maxsize=1)
def _stemmer(module):
    return module.stemmer("swedish")


def plain_analyzer():
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.lang.stopwords import stoplists

    return (RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=stoplists["sv"], minsize=1)
            | StemFilter(stemfn=_snowball))


class PlainWhoosh:
    name = "plain whoosh"

    def ingest(self, corpus: Path, index: Path) -> int:
        from whoosh import index as windex
        from whoosh.fields import ID, KEYWORD, TEXT, Schema

        index.mkdir(parents=True, exist_ok=True)
        analyzer = plain_analyzer()
        schema = Schema(id=ID(stored=True, unique=True), committee=ID(stored=True), date=ID(stored=True),
                        case=ID(stored=True), participant=KEYWORD(commas=True, lowercase=True),
                        title=TEXT(analyzer=analyzer, stored=True), text=TEXT(analyzer=analyzer, stored=True))
        ix = windex.create_in(str(index), schema)
        writer = ix.writer(limitmb=256)
        n = 0
        for pid, committee, date, case, people, title, text in paragraphs(corpus):
            writer.add_document(id=pid, committee=committee, date=date, case=case, participant=people.lower(),
                                title=title, text=text)
            n += 1
        writer.commit()
        return n

    def open(self, index: Path) -> None:
        from whoosh import index as windex
        from whoosh.qparser import MultifieldParser

        self.ix = windex.open_dir(str(index))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "text"], self.ix.schema)

    def _filter(self, spec: dict):
        from whoosh import query as wq

        parts = []
        if spec.get("committee"):
            parts.append(wq.Term("committee", spec["committee"]))
        if spec.get("from") or spec.get("to"):
            parts.append(wq.TermRange("date", spec.get("from"), spec.get("to")))
        if spec.get("participant"):
            parts.append(wq.Term("participant", spec["participant"].lower()))
        if spec.get("case"):
            from trygg_search import casenum

            parts.append(wq.Term("case", casenum.parse(spec["case"]).key))
        return wq.And(parts) if parts else None

    def search(self, spec: dict) -> list[str]:
        results = self.searcher.search(self.parser.parse(spec["q"]), filter=self._filter(spec), limit=10)
        len(results)  # the total, as every system reports it
        out = []
        for hit in results:
            hit.highlights("text")  # snippets, as the others make them
            out.append(hit["id"])
        return out

    def case(self, number: str) -> list[str]:
        from whoosh import query as wq

        from trygg_search import casenum

        results = self.searcher.search(wq.Term("case", casenum.parse(number).key), limit=None)
        return [h["id"] for h in sorted(results, key=lambda h: h["date"])]

    def cli(self, index: Path, query: str) -> list[str]:
        return [sys.executable, str(Path(__file__).with_name("cold.py")), "whoosh", str(index), query]


# --- SQLite FTS5 ----------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def stem_text(text: str) -> str:
    from whoosh.lang.stopwords import stoplists

    stops = _stops(frozenset(stoplists["sv"]))
    return " ".join(_snowball(w) for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in stops)


@lru_cache(maxsize=1)
def _stops(s):
    return s


def fts_query(q: str) -> str:
    """Our query syntax -> FTS5's: words stemmed, phrases and prefixes kept, operators as they are."""
    out = []
    for token in re.findall(r'"[^"]*"|\S+', q):
        if token in ("AND", "OR", "NOT"):
            out.append(token)
        elif token.startswith('"'):
            out.append('"' + stem_text(token.strip('"')) + '"')
        elif token.endswith("*"):
            out.append(token[:-1].lower() + "*")
        else:
            s = stem_text(token)
            if s:
                out.append(s)
    return " ".join(out)


class Fts5:
    name = "sqlite fts5"

    def ingest(self, corpus: Path, index: Path) -> int:
        index.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(index / "fts.db")
        db.executescript("""
            DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS fts;
            CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, committee TEXT, date TEXT, case_key TEXT,
                              participants TEXT);
            CREATE VIRTUAL TABLE fts USING fts5(title, text);
        """)
        n = 0
        for n, (pid, committee, date, case, people, title, text) in enumerate(paragraphs(corpus), 1):
            db.execute("INSERT INTO meta VALUES (?,?,?,?,?,?)", (n, pid, committee, date, case, people.lower()))
            db.execute("INSERT INTO fts(rowid, title, text) VALUES (?,?,?)", (n, stem_text(title), stem_text(text)))
        db.executescript("CREATE INDEX meta_case ON meta(case_key); CREATE INDEX meta_date ON meta(date);"
                         "CREATE INDEX meta_committee ON meta(committee);")
        db.commit()
        db.close()
        return n

    def open(self, index: Path) -> None:
        self.db = sqlite3.connect(index / "fts.db")

    def search(self, spec: dict) -> list[str]:
        where, args = ["fts MATCH ?"], [fts_query(spec["q"])]
        if spec.get("committee"):
            where.append("meta.committee = ?")
            args.append(spec["committee"])
        if spec.get("from"):
            where.append("meta.date >= ?")
            args.append(spec["from"])
        if spec.get("to"):
            where.append("meta.date <= ?")
            args.append(spec["to"])
        if spec.get("participant"):
            where.append("(',' || meta.participants || ',') LIKE ?")
            args.append(f"%,{spec['participant'].lower()},%")
        if spec.get("case"):
            from trygg_search import casenum

            where.append("meta.case_key = ?")
            args.append(casenum.parse(spec["case"]).key)
        joined = f"FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE {' AND '.join(where)}"
        self.db.execute(f"SELECT count(*) {joined}", args).fetchone()  # the total, as every system reports it
        sql = (f"SELECT meta.id, snippet(fts, 1, '[', ']', '…', 24) {joined} "
               "ORDER BY bm25(fts, 3.0, 1.0) LIMIT 10")
        return [row[0] for row in self.db.execute(sql, args)]

    def case(self, number: str) -> list[str]:
        from trygg_search import casenum

        rows = self.db.execute("SELECT id FROM meta WHERE case_key = ? ORDER BY date",
                               (casenum.parse(number).key,))
        return [r[0] for r in rows]

    def cli(self, index: Path, query: str) -> list[str]:
        return [sys.executable, str(Path(__file__).with_name("cold.py")), "fts5", str(index), query]


SYSTEMS = {s.name: s for s in (Trygg, PlainWhoosh, Fts5, TryggOpenSearch)}

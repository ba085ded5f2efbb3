"""User text -> a query tree of our own (no engine in it), with notes on how the text was read.

Query syntax::

    narkotika handel        all words must match (any inflection)
    "våld i nära relation"  a phrase
    GVI OR EST              either (AND may be written; operators in capitals)
    narkotika NOT team      exclude; -team does the same
    (polis OR kommun) NOT "öppen handel"
    brotts*  bo?ättning     prefix and wildcard
    narkotika^2             weigh a word more
    title:narkotika         in the title only (also text:)
    committee:trygghet  date:2023  kind:notice  case:"Ks 930/2023"
    participant:"Kemal Hoso"  officer:Sollerman  from:2023-06  to:2024
                            filters (the table in :mod:`filters`); they are
                            clauses like any other: under NOT they exclude,
                            under OR they are alternatives
    Ks 930/2023  KS-2023-930  a case number: matches its text and every
                            spelling of the same case, as ``case`` does

Everything the parser cannot read as written it reads some other way and says
so in ``ParsedQuery.notes`` (a trailing operator, an unbalanced quote or
parenthesis, an unknown ``field:``, ``~``); a value a filter cannot take
raises QueryError, and so does a query past the limits below (too long, too
deeply nested, too many clauses) or a word that begins with a wildcard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import QueryError
from .filters import BY_NAME, Clause, clause
from .textnorm import normalize_text

OPERATORS = {"AND", "OR", "NOT"}
TEXT_FIELDS = ("title", "text")  # the text of a §: snippets, highlights, acronyms, the vocabulary
QUERY_FIELDS = ("title", "text", "people")  # what ``field:word`` may name (people: who took part, by name)

# The limits of a query, the same on every backend (docs/query-syntax.md).  A clause is a word, phrase,
# pattern, case number or filter; on a cluster each may become up to eight of its clauses (two fields, an
# acronym's three long forms), so a hundred stay below OpenSearch's default limit of 1,024.
MAX_QUERY_CHARS = 2000
MAX_DEPTH = 64  # parentheses inside parentheses
MAX_CLAUSES = 100

# --- the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word, matched in any inflection; ``field`` None means title or text."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words in this order."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Indexed terms that begin with ``text`` (``brotts*``)."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """Indexed terms matching a pattern with ``*`` and ``?``."""

    pattern: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class CaseRef:
    """A case number written in the query: its text as written, or any § filed under or mentioning it."""

    raw: str
    key: str


@dataclass(frozen=True)
class Filter:
    """A filter clause written in the query."""

    clause: Clause


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class All:
    """Every §."""


def leaves(node, negated: bool = False):
    """(leaf, negated) for every leaf of the tree."""
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from leaves(child, negated)
    elif isinstance(node, Not):
        yield from leaves(node.child, not negated)
    else:
        yield node, negated


def render(node) -> str:
    """The tree written back in the query syntax (for notes and tests)."""
    if isinstance(node, Word):
        return _fielded(node.field, node.text) + _boost(node.boost)
    if isinstance(node, Phrase):
        return _fielded(node.field, '"' + node.text + '"') + _boost(node.boost)
    if isinstance(node, Prefix):
        return _fielded(node.field, node.text + "*") + _boost(node.boost)
    if isinstance(node, Wildcard):
        return _fielded(node.field, node.pattern) + _boost(node.boost)
    if isinstance(node, CaseRef):
        return node.raw
    if isinstance(node, Filter):
        raw = node.clause.raw
        return f"{node.clause.name}:" + (f'"{raw}"' if re.search(r'[\s()"]', raw) else raw)
    if isinstance(node, Not):
        return "NOT " + _grouped(node.child)
    if isinstance(node, And):
        return " ".join(_grouped(c) for c in node.children)
    if isinstance(node, Or):
        return " OR ".join(_grouped(c) for c in node.children)
    if isinstance(node, All):
        return "*"
    raise TypeError(node)


def _fielded(fieldname, text):
    return f"{fieldname}:{text}" if fieldname else text


def _boost(b: float) -> str:
    return "" if b == 1.0 else f"^{b:g}"


def _grouped(node) -> str:
    text = render(node)
    return f"({text})" if isinstance(node, (And, Or)) and len(node.children) > 1 else text


# --- the lexer ---------------------------------------------------------------------------

_QUOTES = '"“”„'
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<neg>-(?=[^\s-]))
  | (?P<field>[^\W\d_]+):
  | (?P<quote>["“”„][^"“”„]*["“”„]?)
  | (?P<word>[^\s()"“”„]+)
    """,
    re.VERBOSE,
)
# The number and year of a case, either way round: 930/2023, or the year first with a number of three
# digits or more (2021/0123; "2021/22" is as often a school year).
_NUM_YEAR = r"(?:\d{1,7}/\d{4}|(?:19|20)\d\d/\d{3,6})(?::\d+)?"
_CASE_PAIR = re.compile(rf"^(?P<prefix>[A-Za-zÅÄÖåäö]{{1,6}})\.?\s+(?P<num>{_NUM_YEAR})$")
_BARE_CASE = re.compile(rf"^{_NUM_YEAR}$")
# One word: KS-2023-930, 930/2023, ks930/2023, Ks.930/2023, KS/2021:123, KS2021/0123
_ONE_WORD_CASE = re.compile(
    r"^(?:[A-Za-zÅÄÖåäö]{1,6}-\d{4}-\d{1,7}|(?:[A-Za-zÅÄÖåäö]{1,6}\.?)?\d{1,7}/\d{4}"
    r"|(?:[A-Za-zÅÄÖåäö]{1,6}[/.]?)?(?:19|20)\d\d[/:]\d{3,6}|[A-Za-zÅÄÖåäö]{1,6}/(?:19|20)\d\d:\d{1,6})(?::\d+)?$")


@dataclass
class _Tok:
    kind: str  # open close neg field quote word op
    text: str
    unclosed: bool = False


def _tokens(text: str, notes: list[str]) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "space":
            continue
        if kind == "quote":
            closed = len(value) > 1 and value[-1] in _QUOTES
            inner = value[1:-1] if closed else value[1:]
            if not closed:
                notes.append(f"a quote is not closed: searched {inner.strip()!r} as a phrase")
            out.append(_Tok("quote", inner, unclosed=not closed))
            continue
        if kind == "field":
            out.append(_Tok("field", value))
            continue
        if kind == "word" and value in OPERATORS:
            out.append(_Tok("op", value))
            continue
        if kind == "word" and value.lower() in ("and", "or", "not") and value != value.upper():
            notes.append(f"{value!r} was searched as a word (operators are written in capitals: {value.upper()})")
        out.append(_Tok(kind, value))
    return out


# --- the parser ----------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """The tree read from the user's text, and notes on how it was read."""

    text: str
    tree: object  # a node, or None when nothing is left to search
    notes: list[str] = field(default_factory=list)

    def plain_words(self) -> list[str] | None:
        """The words when the query is two or more plain words and nothing else (for proximity), else None."""
        nodes = self.tree.children if isinstance(self.tree, And) else ()
        if len(nodes) >= 2 and all(type(n) is Word and n.field is None and n.boost == 1.0 for n in nodes):
            return [n.text for n in nodes]
        return None


class _Parser:
    def __init__(self, tokens: list[_Tok], notes: list[str]):
        self.toks, self.i, self.notes = tokens, 0, notes

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self):
        parts = [self.or_expr()]
        while self.peek() is not None:  # a stray ")" ends an expression early
            tok = self.take()
            self.notes.append(f"an unmatched {tok.text!r} was ignored")
            parts.append(self.or_expr())
        return _and(parts)

    def or_expr(self):
        parts = [self.and_expr()]
        while self._at_op("OR"):
            self.take()
            if self._ends():
                self.notes.append("a trailing OR was ignored")
                break
            parts.append(self.and_expr())
        parts = [p for p in parts if p is not None]
        if len(parts) == 1:
            return parts[0]
        return Or(tuple(parts)) if parts else None

    def and_expr(self):
        parts = []
        while not self._ends() and not self._at_op("OR"):
            if self._at_op("AND"):
                self.take()
                if not parts or self._ends() or self._at_op("OR"):
                    self.notes.append("an AND with nothing on one side was ignored")
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        return _and(parts)

    def unary(self):
        negations = 0
        while (tok := self.peek()).kind == "neg" or (tok.kind == "op" and tok.text == "NOT"):
            self.take()
            negations += 1
            if self._ends() or self._at_op("OR") or self._at_op("AND"):
                self.notes.append(f"a trailing {tok.text!r} was ignored")
                return None
        child = self.primary()
        if negations > 1:  # read as one NOT or none, not a tree as deep as the NOTs are many
            self.notes.append(f"{negations} NOTs in a row were read as {'one' if negations % 2 else 'none'}")
        return Not(child) if negations % 2 and child is not None else child

    def primary(self):
        tok = self.take()
        if tok.kind == "open":
            node = self.or_expr()
            if self.peek() is not None and self.peek().kind == "close":
                self.take()
            else:
                self.notes.append("a '(' is not closed: read as closed at the end")
            return node
        if tok.kind == "field":
            return self.fielded(tok.text)
        if tok.kind == "quote":
            return Phrase(tok.text) if tok.text.strip() else None
        return self.word(tok.text, None)

    def fielded(self, name: str):
        nxt = self.peek()
        value_tok = self.take() if nxt is not None and nxt.kind in ("quote", "word", "op") else None
        lowered = name.lower()
        if lowered in QUERY_FIELDS:
            if value_tok is None:
                raise QueryError(f"{name}: needs a word or a phrase after it")
            if value_tok.kind == "quote":
                return Phrase(value_tok.text, lowered)
            return self.word(value_tok.text, lowered)
        if lowered in BY_NAME:
            if value_tok is None:
                raise QueryError(f"{name}: needs a value")
            return Filter(clause(lowered, value_tok.text, f"{name}:"))
        known = ", ".join(QUERY_FIELDS + tuple(BY_NAME))
        value = value_tok.text if value_tok is not None else ""
        self.notes.append(f"{name}: is not a field ({known}); searched {name} {value} as words".replace("  ", " "))
        words = [self.word(name, None)] + ([self.word(value, None)] if value_tok is not None
                                            and value_tok.kind != "quote" else
                                            [Phrase(value)] if value_tok is not None else [])
        return _and([w for w in words if w is not None])

    def word(self, text: str, fieldname: str | None):
        boost = 1.0
        if re.fullmatch(r"\^\d+(?:\.\d+)?", text):
            self.notes.append(f"a boost ({text}) weighs single words only: ignored after a group")
            return None
        m = re.fullmatch(r"(.+?)\^(\d+(?:\.\d+)?)", text)
        if m:
            text, boost = m.group(1), float(m.group(2))
        if "^" in text:
            self.notes.append(f"{text!r}: a boost is a number after the word (narkotika^2): searched as words")
        m = re.fullmatch(r"(.+?)~(\d*)", text)
        if m:
            self.notes.append(f"fuzzy matching ({text}) is not supported: searched for {m.group(1)}")
            text = m.group(1)
        if fieldname is None and boost == 1.0:
            case = self.case_number(text)
            if case is not None:
                return case
        if "*" in text or "?" in text:
            core = text.strip("*?")
            if not re.search(r"[^\W_]", core):
                self.notes.append(f"{text!r} has no letters to match: ignored")
                return None
            if text[0] in "*?":  # it would have to test every term of the index
                raise QueryError(f"{text!r}: a word cannot begin with * or ? (compound parts are indexed: "
                                 f"{core.strip('*?')!r} also finds the compounds that end with it)")
            if re.fullmatch(r"[^*?]+\*", text):
                return Prefix(text[:-1].lower(), fieldname, boost)
            return Wildcard(text.lower(), fieldname, boost)
        if not re.search(r"[^\W_]", text):
            return None  # punctuation alone
        return Word(text, fieldname, boost)

    def case_number(self, text: str):
        """A case number: ``KS-2023-930``, ``930/2023``, or a prefix word followed by ``930/2023``."""
        if _ONE_WORD_CASE.match(text):
            from . import casenum  # only now: most queries hold no case number

            found = casenum.try_parse(text)
            if found:
                return CaseRef(text, found.key)
        nxt = self.peek()
        if nxt is not None and nxt.kind == "word" and _BARE_CASE.match(nxt.text):
            from . import casenum

            pair = _CASE_PAIR.match(f"{text} {nxt.text}")
            # Read strictly: "aktivt 855/2023" is a word and a number, "Ks 855/2023" a case.
            found = casenum.try_parse(f"{text} {nxt.text}") if pair else None
            if found is not None and found.prefix:
                self.take()
                return CaseRef(f"{text} {nxt.text}", found.key)
        return None

    def _at_op(self, op: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "op" and tok.text == op

    def _ends(self) -> bool:
        tok = self.peek()
        return tok is None or tok.kind == "close"


def split_top_filters(tree):
    """(the filter clauses every hit must pass, the rest of the tree): top-level positive filters
    become a filter on the documents rather than scored clauses."""
    if isinstance(tree, Filter):
        return [tree.clause], None
    if isinstance(tree, And):
        clauses = [c.clause for c in tree.children if isinstance(c, Filter)]
        rest = [c for c in tree.children if not isinstance(c, Filter)]
        if not rest:
            return clauses, None
        return clauses, rest[0] if len(rest) == 1 else And(tuple(rest))
    return [], tree


def has_words(node) -> bool:
    """Whether a tree has anything to search: not only stop words (which an engine drops)."""
    from .analysis import query_terms

    if isinstance(node, (Word, Phrase)):
        return bool(query_terms(node.text))
    if isinstance(node, Not):
        return has_words(node.child)
    if isinstance(node, (And, Or)):
        return any(has_words(c) for c in node.children)
    return node is not None


def _and(parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def parse_query(text: str) -> ParsedQuery:
    """Read the user's query text into a tree; QueryError when there is nothing to search
    or a filter's value is malformed."""
    text = normalize_text(text)
    if not text.strip():
        raise QueryError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long: at most {MAX_QUERY_CHARS:,} are searched")
    notes: list[str] = []
    tokens = _tokens(text, notes)
    depth = deepest = 0
    for tok in tokens:
        depth = depth + 1 if tok.kind == "open" else max(0, depth - 1) if tok.kind == "close" else depth
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise QueryError(f"query nested deeper than {MAX_DEPTH} levels of parentheses ({deepest})")
    tree = _Parser(tokens, notes).parse()
    clauses = sum(1 for _ in leaves(tree)) if tree is not None else 0
    if clauses > MAX_CLAUSES:
        raise QueryError(f"the query has {clauses:,} words, phrases and filters: at most {MAX_CLAUSES} are "
                         f"searched at once")
    if tree is None and not notes:
        notes.append("the query has no words to search")
    if tree is None and all(t.kind in ("op", "open", "close", "neg") for t in _tokens(text, [])):
        raise QueryError(f"the query {text!r} has only operators: nothing to search")
    return ParsedQuery(text, tree, notes)

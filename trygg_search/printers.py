"""Rendering for people (rich) and scripts (JSON).  The only module that writes results.

JSON goes through ``emit_json`` (one object, or one line per object for
JSON Lines); human output through a rich Console.  On a terminal, long lines
wrap and keep their indent; written to a pipe or a file, every line is
printed whole, unpadded, as ripgrep prints.  Colour follows ``--color``:
``auto`` (a terminal without NO_COLOR), ``always`` or ``never``.
"""

from __future__ import annotations

import json
import re
import sys


def emit_json(data, lines: bool = False) -> None:
    """Write one JSON document (indented) or one JSON Lines record."""
    text = json.dumps(data, ensure_ascii=False, indent=None if lines else 2) + "\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()


READER_GONE = [False]  # the reader closed the pipe: what was printed may not have been read


def reader_gone() -> None:
    """The reader closed the pipe (``| head``): drop the rest of the output, keep the exit code.

    The command still exits 0 or 1 for what it found; a closed pipe is not an error.
    """
    import os

    READER_GONE[0] = True

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# Characters that a terminal obeys rather than shows: C0 and C1 controls (ESC starts the sequences that
# retitle a window or clear the screen) and the bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(m: re.Match) -> str:
    ch = m.group(0)
    if ch == "\f":  # a page break: nothing to show
        return ""
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def visible(text: str) -> str:
    """Text from a document or an argument as a terminal may show it: controls written as escapes
    (``\\x1b``), as less and ripgrep show them; line breaks and tabs kept.  JSON is escaped by itself."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def _visible_text(t):
    """A rich Text with its controls escaped and its styled spans moved with the text."""
    from rich.text import Span, Text

    plain = t.plain
    if not _UNSAFE.search(plain):
        return t
    at = [0] * (len(plain) + 1)  # old offset -> new offset
    pieces, n = [], 0
    for i, ch in enumerate(plain):
        at[i] = n
        piece = visible(ch)
        pieces.append(piece)
        n += len(piece)
    at[len(plain)] = n
    out = Text("".join(pieces), style=t.style, justify=t.justify, no_wrap=t.no_wrap, end=t.end)
    out.spans = [Span(at[s.start], at[s.end], s.style) for s in t.spans]
    return out


COLOR = ["auto"]  # --color: auto, always or never (set by the command line)
WHOLE_LINES = 1_000_000  # the width a pipe is given: no line is wrapped or cut


def colour(stream) -> bool:
    """Whether output to ``stream`` is coloured, by --color (auto: a terminal, unless NO_COLOR is set)."""
    import os

    if COLOR[0] != "auto":
        return COLOR[0] == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def console(stderr: bool = False):
    from rich.console import Console
    from rich.text import Text

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's own exits 1, which reads as "nothing found"
            self.quiet = True
            reader_gone()

        def print(self, *objects, **kwargs) -> None:  # nothing printed can take over the terminal
            objects = tuple(visible(o) if isinstance(o, str) else _visible_text(o) if isinstance(o, Text) else o
                            for o in objects)
            super().print(*objects, **kwargs)

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    coloured = colour(stream)
    return _Console(file=stream, highlight=False, emoji=False, soft_wrap=not terminal,
                    width=None if terminal else WHOLE_LINES, force_terminal=coloured, no_color=not coloured,
                    color_system="auto" if coloured else None)


def _indented(c, text, indent: int = 4, style: str | None = None) -> None:
    """A Text indented: wrapped lines keep the indent on a terminal; a pipe gets the line whole."""
    from rich.padding import Padding
    from rich.text import Text

    if c.soft_wrap:
        c.print(Text(" " * indent) + text, style=style)
    else:
        c.print(Padding(text, (0, 0, 0, indent)), style=style)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 paragraph``, ``2 paragraphs``, ``1 §``, ``3 §§``."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def shown_path(path) -> str:
    """A relative path shown as one (``./index``), so that it reads as a path in a sentence."""
    text = str(path)
    return text if text.startswith(("/", ".", "~")) or "://" in text else f"./{text}"


def _ranges(numbers) -> str:
    """(22, 23, 26) -> '§§ 22–23, 26'."""
    numbers = sorted(numbers)
    if not numbers:
        return ""
    runs, lo, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(f"{lo}–{prev}" if prev != lo else f"{lo}")
        if n is not None:
            lo = prev = n
    sign = "§§" if len(numbers) > 1 else "§"
    return f"{sign} {', '.join(runs)}"


def _marked(text: str, spans, style: str = "bold yellow"):
    from rich.text import Text

    t = Text(text)
    for start, end in spans:
        t.stylize(style, start, end)
    return _visible_text(t)


def _label(paragraph, kind: str) -> str:
    if kind == "front":
        return "front page"
    if paragraph is None:
        return "section"
    return f"item {paragraph}" if kind == "notice" else f"§ {paragraph}"


# --- parse ---------------------------------------------------------------------------


def print_meeting(meeting) -> None:
    """A readable summary of a parsed document: header, attendance, one line per §."""
    from rich.text import Text

    c = console()
    c.print(Text(f"{meeting.committee or '(no committee)'} — {meeting.kind}", style="bold"))
    facts = [("Datum", meeting.date), ("Tid", meeting.time), ("Plats", meeting.place)]
    c.print("  ".join(f"{k}: {v}" for k, v in facts if v) or "(no date)")
    people = [("Ordförande", meeting.chair), ("Sekreterare", meeting.secretary)]
    people += [("Justerare", a) for a in meeting.adjusters]
    if any(v for _, v in people):
        c.print("  ".join(f"{k}: {v}" for k, v in people if v))
    if meeting.attendance:
        c.print(Text("Närvarande", style="bold"))
        for a in meeting.attendance:
            bits = [a.name + (f" ({a.party})" if a.party else "")]
            if a.title:
                bits.append(a.title)
            if a.paragraphs:
                bits.append(("del av " if a.partial else "") + _ranges(a.paragraphs))
            for r in a.replaces:
                bits.append(f"ersätter {r.name}" + (f" ({r.party})" if r.party else "")
                            + (f" {_ranges(r.paragraphs)}" if r.paragraphs else ""))
            c.print(f"  {a.role:<24} " + ", ".join(bits))
    missing = meeting.missing_expected()
    if missing:
        c.print(Text("not found: " + ", ".join("§§ (read as headed sections)" if m == "paragraphs" else
                                                 "date (from the file name)" if m == "date" and meeting.date else m
                                                 for m in missing)
                     + (f" (the list stands elsewhere: {meeting.attendance_note})" if meeting.attendance_note else ""),
                     style="yellow"))
    c.print(Text(plural(len(meeting.paragraphs), "paragraph"), style="bold"))
    for p in meeting.paragraphs:
        line = f"  {_label(p.number, meeting.kind):<9} {p.title}"
        extra = []
        if p.case_number:
            extra.append(p.case_number)
        if p.officers:
            extra.append("Handläggare: " + ", ".join(p.officers))
        if p.participants:
            extra.append(f"{len(p.participants)} present")
        c.print(line + (f"  [{'; '.join(extra)}]" if extra else ""), markup=False)


# --- search ---------------------------------------------------------------------------


def print_hits(result) -> None:
    """Ranked hits with highlighted snippets."""
    from rich.text import Text

    c = console()
    err = console(stderr=True)
    for note in result.notes:
        err.print(f"note: {note}", markup=False)
    described = result.filters.describe()
    if result.query in ("", "*"):  # a list without a query
        head = plural(result.total, "record") + (f" ({described})" if described else "") + ", newest first"
    else:
        head = f"{plural(result.total, 'hit')} for {result.query!r}" + (f" ({described})" if described else "")
    if result.total > len(result.hits) and result.hits:
        head += f", showing {len(result.hits)}"
    c.print(Text(head, style="bold"))
    for rank, hit in enumerate(result.hits, 1):
        c.print()
        meta = [hit.date or "undated", hit.committee or "", _label(hit.paragraph, hit.kind), hit.case_number or ""]
        c.print(Text(f"{rank:>2}. ", style="bold") + Text("  ".join(m for m in meta if m), style="cyan"))
        _indented(c, _marked(hit.title, hit.title_highlights, "bold yellow"), style="bold")
        _indented(c, _marked(hit.snippet, hit.highlights))
        if hit.people:
            c.print(Text("    matched: " + "; ".join(f"{p['name']} ({', '.join(p['as'])})" for p in hit.people),
                         style="green"))
        brief = decisions_brief(hit.decisions)
        if brief:
            c.print(Text("    " + brief, style="magenta"))
        c.print(Text(f"    id: {hit.id}", style="dim"))
    if result.total == 0 and result.did_you_mean:
        err.print(f"Did you mean: {result.did_you_mean}?", markup=False)


def print_explanation(explanation: dict) -> None:
    """--explain: the query's analysis and expansions, and the terms behind the top scores."""
    from rich.text import Text

    c = console()
    c.print()
    c.print(Text("How the query was read", style="bold"))
    for w in explanation["words"]:
        if w["stop_word"]:
            c.print(f"  {w['word']}: a stop word, ignored", markup=False)
            continue
        line = f"  {w['word']} -> {' '.join(w['terms'])}"
        if w["compound_parts"]:
            line += f"  (a compound of {' + '.join(w['compound_parts'])}; matched whole, and as a part of longer words)"
        c.print(line, markup=False)
    for e in explanation["expansions"]:
        c.print(f"  acronym: {e}", markup=False)
    if explanation["diacritics"]:
        c.print(f"  without å/ä/ö nothing was found; searched for {explanation['diacritics']!r}", markup=False)
    c.print(f"  engine query: {explanation['query']}", markup=False)
    if explanation.get("engine"):
        c.print(f"  answered by {explanation['engine']}", markup=False)
    for hit in explanation["top_hits"]:
        parts = ", ".join(f"{m['term']} {m['score']:.2f}" for m in hit["matched"])
        c.print(f"  {hit['id']} scored {hit['score']:.2f}: {parts}", markup=False)


def print_terms(terms: list[dict]) -> None:
    c = console()
    for t in terms:
        kind = "  part of the word above" if t["type"] == "part" else f"  ({t['rule']})" if t.get("rule") else ""
        split = f"  {t['split']}" if t.get("split") else ""
        c.print(f"{t['position']:>4}  {t['start']:>5}-{t['end']:<5} {t['term']:<24} {t['text']}{split}{kind}",
                markup=False)


# --- case / show / stats ---------------------------------------------------------------------------


def print_case(result) -> None:
    """A case's history: every § filed under it, oldest first, then the §§ that mention it."""
    from rich.text import Text

    c = console()
    c.print(Text(f"Case {result['case_number']}: {plural(len(result['hits']), '§', '§§')} filed under it",
                 style="bold"))
    for hit in result["hits"]:
        c.print()
        meta = [hit["date"] or "undated", hit["committee"] or "", _label(hit["paragraph"], hit["kind"]),
                hit["case_number"] or ""]
        c.print(Text("  ".join(m for m in meta if m), style="cyan"))
        c.print(Text("  " + hit["title"], style="bold"))
        if hit.get("decision"):
            c.print(Text("  Beslut: ", style="bold") + Text(hit["decision"]))
        c.print(Text(f"  id: {hit['id']}", style="dim"))
    if result["mentioned_in"]:
        c.print()
        c.print(Text("Mentioned in", style="bold"))
        for hit in result["mentioned_in"]:
            meta = [hit["date"] or "undated", hit["committee"] or "", _label(hit["paragraph"], hit["kind"])]
            c.print(f"  {'  '.join(m for m in meta if m)}  {hit['title']}  (id: {hit['id']})", markup=False)


def _who(item: dict) -> str:
    """Who proposed or reserved: the names with their parties, and parties named as a group."""
    named = [p["name"] + (f" ({p['party']})" if p.get("party") else "") for p in item.get("by", [])]
    among = {p.get("party") for p in item.get("by", [])}
    named += [party for party in item.get("parties", []) if party not in among]
    return ", ".join(named) or "?"


def vote_text(v: dict) -> str:
    """A vote as people read it: ``48–19, 14 abstained (bilaga 3)``."""
    out = f"{v['yes']}–{v['no']}"
    if v.get("abstained"):
        out += f", {v['abstained']} abstained"
    if v.get("absent"):
        out += f", {v['absent']} absent"
    if v.get("appendix"):
        out += f" ({v['appendix']})"
    if v.get("proposition"):
        out += f": {v['proposition']}"
    return out


def decision_lines(d: dict | None) -> list[tuple[str, str]]:
    """A § 's decision record as labelled lines (Yrkande, Omröstning, Reservation, …, Utfall)."""
    if not d:
        return []
    out = [("Yrkande", f"{_who(p)}: {p['kind']}") for p in d.get("proposals", [])]
    out += [("Omröstning", vote_text(v)) for v in d.get("votes", [])]
    out += [("Reservation", _who(r) + (" (skriftlig)" if r.get("written") else "")) for r in d.get("reservations", [])]
    out += [(n["kind"].capitalize(), _who(n)) for n in d.get("notes", [])]
    if d.get("outcome"):
        out.append(("Utfall", d["outcome"]))
    return out


def decisions_brief(d: dict | None) -> str:
    """One line for a search hit: the votes and who reserved themselves."""
    if not d:
        return ""
    parts = [f"vote {vote_text(dict(v, proposition=None))}" for v in d.get("votes", [])]
    reserved = list(dict.fromkeys(x for r in d.get("reservations", []) for x in (r.get("parties") or [_who(r)])))
    if reserved:
        parts.append("reserved: " + ", ".join(reserved))
    if d.get("outcome") in ("återremiss", "bordläggning", "avslag"):
        parts.append(d["outcome"])
    return " · ".join(parts)


def print_paragraph(record: dict) -> None:
    """A whole § with its meeting's header, sections and who was present."""
    from rich.text import Text

    c = console()
    label = _label(record["paragraph"], record["kind"])
    c.print(Text(f"{label}  {record['title']}", style="bold"))
    meeting = record.get("meeting") or {}
    facts = [("Datum", record.get("date")), ("Tid", meeting.get("time")), ("Plats", meeting.get("place"))]
    c.print(Text(record.get("committee") or "", style="cyan"), Text("  ".join(f"{k}: {v}" for k, v in facts if v)))
    if record.get("case_number"):
        c.print(Text("Ärendenummer: ", style="bold") + Text(record["case_number"]))
    if record.get("officers"):
        c.print(Text("Handläggare: ", style="bold") + Text(", ".join(record["officers"])))
    if record.get("present"):
        names = [f"{p['name']}" + (f" ({p['party']})" if p.get("party") else "") for p in record["present"]]
        c.print(Text("Närvarande: ", style="bold") + Text(", ".join(names)))
    if record.get("recused"):
        c.print(Text("Jäv: ", style="bold") + Text(", ".join(record["recused"]) + " (took no part)"))
    for label, line in decision_lines(record.get("decisions")):
        c.print(Text(f"{label}: ", style="bold") + Text(line))
    c.print()
    if record.get("sections"):
        for heading, body in record["sections"].items():
            c.print(Text(heading, style="bold"))
            c.print(body, markup=False)
            c.print()
    else:
        c.print(record["text"], markup=False)
    c.print(Text(f"id: {record['id']}  source: {record.get('source')}", style="dim"))


def print_watch(report) -> None:
    """A saved search's run: a head line, then the new and the changed §§ as search shows hits."""
    from rich.text import Text

    c = console()
    since = f" since {report.since}" if report.since else " (its first run)"
    head = (f"{report.watch}: {plural(len(report.new), 'new §', 'new §§')}, {len(report.changed):,} changed{since}; "
            f"{plural(report.total, '§', '§§')} match now")
    c.print(Text(head, style="bold"))
    for change, hits in (("new", report.new), ("changed", report.changed)):
        for hit in hits:
            meta = [hit.date or "undated", hit.committee or "", _label(hit.paragraph, hit.kind), hit.case_number or ""]
            c.print(Text(f"  {change:<8}", style="bold green" if change == "new" else "bold yellow")
                    + Text("  ".join(m for m in meta if m), style="cyan"))
            _indented(c, _marked(hit.title, hit.title_highlights, "bold yellow"), indent=12, style="bold")
            _indented(c, _marked(hit.snippet, hit.highlights), indent=12)
            c.print(Text(f"{'':12}id: {hit.id}", style="dim"))


_ROLE_LABELS = {"chair": "ordförande", "secretary": "sekreterare", "adjuster": "justerare", "officer": "handläggare"}


def print_person(result: dict) -> None:
    """Each person of the name: their parties and roles, then a line a meeting with the §§ attended."""
    from rich.text import Text

    c = console()
    for i, person in enumerate(result["people"]):
        if i:
            c.print()
        parties = ", ".join(p["party"] + (f" {p['from']}–{p['to']}" if len(person["parties"]) > 1 else "")
                            for p in person["parties"])
        span = " to ".join(dict.fromkeys(d for d in (person["first"], person["last"]) if d))
        head = (f"{person['name']}" + (f" ({parties})" if parties else "") + f": {plural(len(person['meetings']), 'meeting')}, "
                f"{plural(person['paragraphs'], '§', '§§')}" + (f", {span}" if span else ""))
        c.print(Text(head, style="bold"))
        for m in person["meetings"]:
            numbered = [n for n in m["paragraphs"] if isinstance(n, int)]
            attended = _ranges(numbered) or (plural(len(m["paragraphs"]), "section") if m["paragraphs"] else "")
            roles = ", ".join(_ROLE_LABELS.get(r, r) for r in m["roles"])
            line = "  ".join(x for x in (f"  {m['date'] or 'undated'}", m["committee"] or "(no committee)", roles,
                                         attended) if x)
            if m["recused"]:
                line += "  jäv: " + (_ranges([n for n in m["recused"] if isinstance(n, int)]) or "a section")
            if m.get("proposals"):
                line += "  yrkanden: " + ", ".join(f"§ {p['paragraph']} {p['kind']}" for p in m["proposals"])
            if m.get("reservations"):
                line += "  reserverade sig: " + (_ranges([n for n in m["reservations"] if isinstance(n, int)])
                                                 or "a section")
            c.print(line, markup=False)


def print_parties(result: dict) -> None:
    """Per party: §§ with its proposals and its reservations."""
    from rich.table import Table

    c = console()
    if not result["parties"]:
        c.print("no proposals or reservations by a party in the index" + (" (filtered)" if result.get("filters") else ""))
        return
    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("Parti", style="bold")
    table.add_column("§§ with a proposal (yrkande)", justify="right")
    table.add_column("§§ with a reservation", justify="right")
    for row in result["parties"]:
        table.add_row(row["party"], str(row["proposed"]), str(row["reserved"]))
    c.print(table)


def print_stats(stats: dict) -> None:
    c = console()
    def row(label: str, value) -> None:
        c.print(f"{label + ':':<16}{value}", markup=False)

    row("Index", shown_path(stats["index"]))
    by_kind = stats.get("documents_by_kind") or {}
    row("Documents", f"{stats['documents']} (" + ", ".join(
        plural(n, kind if kind != "other" else "other document", kind + "s" if kind != "other" else "other documents")
        for kind, n in by_kind.items() if n) + ")" if any(by_kind.values()) else stats["documents"])
    if stats.get("duplicates"):
        row("Duplicates", f"{stats['duplicates']} (files of a protocol already indexed: not indexed again)")
    row("Paragraphs", stats["paragraphs"])
    if stats.get("front_pages"):
        row("Front pages", f"{stats['front_pages']} (what stands before a document's first §)")
    row("Committees", len(stats["committees"]))
    for committee, count in stats["committees"].items():
        c.print(f"  {count:>6}  {committee}", markup=False)
    if stats["without_committee"]:
        c.print(f"  {stats['without_committee']:>6}  (no committee named)", markup=False)
    row("Kinds", ", ".join(f"{k} {v}" for k, v in stats["kinds"].items()) or "none")
    row("Date range", " to ".join(d for d in (stats["date_from"], stats["date_to"]) if d) or "none")
    row("Case numbers", stats["case_numbers"])
    row("Schema version", stats["schema_version"])
    if stats.get("analysis"):
        row("Analysis data", ", ".join(f"{name} {version}" for name, version in stats["analysis"].items()))
    row("Parser version", "not recorded" if stats.get("parser_version") is None else stats["parser_version"])
    row("Last ingest", stats["last_ingest"] or "unknown")


def print_ingest(report) -> None:
    c = console()
    if not report.made:
        c.print(f"nothing to index in the paths given: no index was made at {shown_path(report.location)}",
                markup=False)
        return
    line = (
        f"{plural(report.files_indexed, 'file')} indexed "
        f"({plural(report.paragraphs_indexed, 'paragraph')}), {report.files_unchanged:,} unchanged, "
        f"{report.files_removed:,} removed, {len(report.skipped):,} skipped; "
        f"the index at {shown_path(report.location)} holds {plural(report.paragraphs_total, 'paragraph')}"
    )
    if report.rebuilt:
        line += " (built anew)"
    c.print(line, markup=False)
    for twin in report.duplicates:
        c.print(f"{twin['path']}: the same protocol as {twin['duplicate_of']}: not indexed again", markup=False)

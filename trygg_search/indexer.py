"""Building and updating the index: one whoosh document per § (item, section).

Incremental: a file whose content hash is already indexed is skipped; a
changed file's paragraphs are replaced; files that are gone lose theirs.
Every document of a file is deleted before the file is added again, so a
re-run can never leave duplicates.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import casenum
from .acronyms import mine as mine_acronyms
from .analysis import compound_parts, surface_words
from .expand import acronym_entries
from .errors import SourceError
from .parse import decision, parse_meeting, presence
from .records import Meeting
from .schema import SCHEMA_VERSION, build_schema, day_number
from .sources import find_sources, read_source
from .store import (
    META,
    current_generation,
    ingest_lock,
    new_generation,
    read_meta,
    switch_generation,
    write_json_atomic,
    write_vocabulary,
)


@dataclass
class IngestReport:
    """What an ingest did, for the summary line and ``--json``."""

    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    paragraphs_indexed: int = 0
    paragraphs_total: int = 0
    rebuilt: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "files_indexed": self.files_indexed,
            "files_unchanged": self.files_unchanged,
            "files_removed": self.files_removed,
            "paragraphs_indexed": self.paragraphs_indexed,
            "paragraphs_total": self.paragraphs_total,
            "rebuilt": self.rebuilt,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "seconds": round(self.seconds, 3),
        }


def paragraph_id(stem: str, number: int | None, ordinal: int) -> str:
    """``000_85df296f62d2738a#22``; sections of other documents are ``...#s3``."""
    return f"{stem}#{number}" if number is not None else f"{stem}#s{ordinal}"


def documents(meeting: Meeting, path: str, sha1: str, stem: str, plain: bool = False) -> list[dict]:
    """A parsed meeting -> whoosh documents, one per paragraph."""
    numbers = tuple(p.number for p in meeting.paragraphs if p.number is not None)
    people = presence(meeting.attendance, numbers) if meeting.attendance else {}
    header = {
        "time": meeting.time,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "adjusters": list(meeting.adjusters),
    }
    docs = []
    for ordinal, p in enumerate(meeting.paragraphs, 1):
        case = casenum.try_parse(p.case_number)
        own = set(case.keys()) if case else set()
        mentioned = [k for c in casenum.mentions(p.text) for k in c.keys() if k not in own]
        doc = {
            "id": paragraph_id(stem, p.number, ordinal),
            "path": path,
            "fileref": f"{path}\0{sha1}",
            "kind": meeting.kind,
            "paragraph": p.number,
            "title": p.title,
            "text": p.text,
            "parts": {"title": compound_parts(p.title), "text": compound_parts(p.text)} if not plain else {},
            "case_number": p.case_number,
            "decision": decision(p.sections),
            "case": ",".join(case.keys()) if case else "",
            "mentions": ",".join(dict.fromkeys(mentioned)),
            "acronyms": "" if plain else ",".join(acronym_entries(mine_acronyms(p.text))),
            "officer": ",".join(o.replace(",", " ") for o in p.officers),
            "participant": ",".join(n.replace(",", " ") for n in p.participants),
            "present": [[a.name, a.party, a.role] for a in people.get(p.number, ())],
            "meeting": header,
        }
        if meeting.committee:
            doc["committee"] = meeting.committee
            doc["committee_key"] = meeting.committee.casefold()
        if meeting.date:
            doc["date"] = meeting.date
            doc["day"] = day_number(meeting.date)
        docs.append(doc)
    return docs


def codec():
    """whoosh's codec, without per-block length statistics.

    whoosh reads every posting's document length back from disk at commit to
    record each block's shortest and longest document: a syscall or two a
    posting, 15 % of ingest time.  The figures only tighten the block-quality
    bound that whoosh's own top-k skipping uses; without them (0) the bound
    stays a true upper bound, and the engine does not use it.
    """
    from whoosh.codec.whoosh3 import W3Codec

    c = W3Codec()
    c.length_stats = False
    return c


def indexed_files(ix) -> dict[str, str]:
    """path -> sha1 of every file in the index, from the ``fileref`` lexicon."""
    out: dict[str, str] = {}
    with ix.reader() as reader:
        for term in reader.lexicon("fileref"):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            path, _, sha1 = text.partition("\0")
            out[path] = sha1
    return out


def _stem_for(path: str, taken: dict[str, str]) -> str:
    """The file-name stem used in ids; made unique when two folders hold the same name."""
    stem = Path(path).stem
    owner = taken.setdefault(stem, path)
    if owner != path:
        stem = f"{stem}~{hashlib.sha1(path.encode()).hexdigest()[:6]}"
        taken[stem] = path
    return stem


def ingest(
    paths: list[str],
    index_dir: str | os.PathLike,
    *,
    wait: float = 10.0,
    rebuild: bool = False,
    progress: Callable[[str, int], None] | None = None,
    plain: bool = False,
) -> IngestReport:
    """Index the given files and folders into ``index_dir``.

    ``progress(event, n)`` is called with ("total", number of files) once and
    ("file", 1) after each file.  ``plain`` builds a plain-Snowball baseline
    index (for the relevance harness and benchmarks).
    """
    from whoosh import index as windex

    started = time.monotonic()
    report = IngestReport()
    index_dir = Path(index_dir)
    files, problems = find_sources(paths)
    report.skipped.extend((p.split(": ", 1)[0], p.split(": ", 1)[1]) for p in problems)
    report.files_seen = len(files)
    roots = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]

    with ingest_lock(index_dir, wait):
        gen = current_generation(index_dir)
        old_ix = None
        meta = read_meta(gen) if gen is not None else {}
        if (gen is not None and not rebuild and meta.get("schema_version") == SCHEMA_VERSION
                and meta.get("plain", False) == plain):
            try:
                old_ix = windex.open_dir(str(gen))
            except Exception:
                old_ix = None
        fresh = old_ix is None
        _remove_stale_generations(index_dir, keep=gen)
        if fresh:
            target = new_generation(index_dir)
            ix = windex.create_in(str(target), build_schema(plain=plain))
            indexed: dict[str, str] = {}
        else:
            target, ix = gen, old_ix
            indexed = indexed_files(ix)
        report.rebuilt = fresh

        taken: dict[str, str] = {}
        for p in sorted(indexed):
            _stem_for(p, taken)
        found: set[str] = set()
        vocabulary: dict[str, int] = {}
        todo = []
        if progress:
            progress("total", len(files))
        for f in files:
            abspath = str(f.resolve())
            found.add(abspath)
            try:  # only the hash now: texts are decoded one at a time while writing
                sha1 = hashlib.sha1(f.read_bytes()).hexdigest()
            except OSError as exc:
                report.skipped.append((str(f), f"cannot read ({exc.strerror or exc})"))
                if progress:
                    progress("file", 1)
                continue
            if indexed.get(abspath) == sha1:
                report.files_unchanged += 1
                if progress:
                    progress("file", 1)
                continue
            todo.append((f, abspath))

        gone = [
            p
            for p in indexed
            if p not in found and (not os.path.exists(p) or any(p.startswith(r + os.sep) for r in roots))
        ]
        if todo or gone:
            # whoosh's pool holds about four times its limitmb in Python objects: 64 keeps
            # an ingest of 100,000 §§ well under 500 MB, at a few per cent of speed.
            writer = ix.writer(limitmb=64, compound=False, codec=codec())
            try:
                for p in gone:
                    writer.delete_by_term("path", p)
                    report.files_removed += 1
                for f, abspath in todo:
                    try:
                        src = read_source(f)
                        meeting = parse_meeting(src.text, str(f))
                    except SourceError as exc:
                        report.skipped.append((str(f), str(exc).split(": ", 1)[-1]))
                        continue
                    except Exception as exc:  # the parser should never raise; never lose the run to it
                        report.skipped.append((str(f), f"cannot parse ({type(exc).__name__}: {exc})"))
                        continue
                    finally:
                        if progress:
                            progress("file", 1)
                    docs = documents(meeting, abspath, src.sha1, _stem_for(abspath, taken), plain=plain)
                    if not docs:
                        report.skipped.append((str(f), "no paragraphs or sections found"))
                        continue
                    if abspath in indexed:
                        writer.delete_by_term("path", abspath)
                    for doc in docs:
                        writer.add_document(**doc)
                        for word in set(surface_words(doc["text"])):
                            vocabulary[word] = vocabulary.get(word, 0) + 1
                    report.files_indexed += 1
                    report.paragraphs_indexed += len(docs)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise

        if vocabulary or fresh:
            write_vocabulary(target, vocabulary, merge=not fresh)
        with windex.open_dir(str(target)).reader() as reader:
            report.paragraphs_total = reader.doc_count()
            files_total = len(list(reader.lexicon("fileref")))
        write_json_atomic(
            target / META,
            {
                "schema_version": SCHEMA_VERSION,
                "plain": plain,
                "last_ingest": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": files_total,
                "paragraphs": report.paragraphs_total,
            },
        )
        if fresh:
            switch_generation(index_dir, target)
            _remove_stale_generations(index_dir, keep=target)
    report.seconds = time.monotonic() - started
    return report


def _remove_stale_generations(index_dir: Path, keep: Path | None) -> None:
    """Delete generation folders other than the live one (left by killed or replaced builds)."""
    if not index_dir.is_dir():
        return
    for p in index_dir.glob("g*"):
        if p.is_dir() and p.name[1:].isdigit() and (keep is None or p.name != keep.name):
            shutil.rmtree(p, ignore_errors=True)

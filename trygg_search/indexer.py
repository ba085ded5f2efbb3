"""Building and updating the index: one whoosh document per § (item, section).

Incremental: a file whose content hash is already indexed is skipped; a
changed file's paragraphs are replaced; files that are gone lose theirs.
Every document of a file is deleted before the file is added again, so a
re-run can never leave duplicates.  What is indexed is read from the
catalog of the live commit (never from term lists, which keep deleted
documents' terms), and the new catalog is part of the new commit.

Ids are ``<name>#<§>``: the name is the file's path relative to the folder
given, without its suffix (the file's stem when it was named directly), kept
while the file stays in the index.  Two files of the same name both get a
``~`` and six hex digits of their absolute path's hash, whichever came
first, so that ids depend on the set of files only.
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
from .analysis import compound_parts, index_length, surface_words
from .expand import acronym_entries
from .errors import SourceError
from .parse import decision, parse_meeting, presence
from .records import Meeting
from .schema import SCHEMA_VERSION, build_schema
from .sources import find_sources, read_source
from .store import (
    META,
    current_generation,
    ingest_lock,
    new_generation,
    read_catalog,
    read_meta,
    read_vocabulary,
    remove_older_commits,
    switch_generation,
    write_catalog,
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


def documents(meeting: Meeting, path: str, stem: str, plain: bool = False) -> list[dict]:
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


def id_stems(names: dict[str, str]) -> dict[str, str]:
    """path -> id stem, from path -> name: a name held by two paths gets each path's own suffix."""
    holders: dict[str, int] = {}
    for name in names.values():
        holders[name] = holders.get(name, 0) + 1
    return {
        path: name if holders[name] == 1 else f"{name}~{hashlib.sha1(path.encode('utf-8', 'surrogateescape')).hexdigest()[:6]}"
        for path, name in names.items()
    }


def _words_of(texts) -> dict[str, int]:
    """word -> number of the texts it occurs in."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(surface_words(text)):
            counts[word] = counts.get(word, 0) + 1
    return counts


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
    found_files, problems = find_sources(paths)
    report.skipped.extend((p.split(": ", 1)[0], p.split(": ", 1)[1]) for p in problems)
    report.files_seen = len(found_files)
    roots = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]

    with ingest_lock(index_dir, wait):
        gen = current_generation(index_dir)
        old_ix = None
        catalog = vocabulary = None
        meta = read_meta(gen) if gen is not None else {}
        if (gen is not None and not rebuild and meta.get("schema_version") == SCHEMA_VERSION
                and meta.get("plain", False) == plain):
            try:
                old_ix = windex.open_dir(str(gen))
                catalog = read_catalog(gen, old_ix.latest_generation())
            except Exception:
                old_ix = None
            if catalog is None:  # no catalog for the live commit: build anew rather than guess
                old_ix = None
        fresh = old_ix is None
        _remove_stale_generations(index_dir, keep=gen)
        if fresh:
            target = new_generation(index_dir)
            ix = windex.create_in(str(target), build_schema(plain=plain))
            catalog, vocabulary = {}, {}
        else:
            target, ix = gen, old_ix
            vocabulary = read_vocabulary(target, ix.latest_generation())
        report.rebuilt = fresh

        if progress:
            progress("total", len(found_files))
        present: dict[str, tuple[Path, str, str]] = {}  # path -> (file, name, sha1)
        for f in found_files:
            abspath = str(f.path.resolve())
            try:  # only the hash now: texts are decoded one at a time while writing
                sha1 = hashlib.sha1(f.path.read_bytes()).hexdigest()
            except OSError as exc:
                report.skipped.append((str(f.path), f"cannot read ({exc.strerror or exc})"))
                if progress:
                    progress("file", 1)
                continue
            present[abspath] = (f.path, f.name, sha1)

        gone = [
            p for p in catalog
            if p not in present and (not os.path.exists(p) or any(p.startswith(r + os.sep) for r in roots))
        ]
        # A file keeps the name it was indexed under; the stems follow from all the names.
        names = {p: entry["name"] for p, entry in catalog.items() if p not in gone}
        for p, (_, name, _) in present.items():
            names.setdefault(p, name)
        stems = id_stems(names)
        todo = []
        for abspath, (path, _, sha1) in present.items():
            entry = catalog.get(abspath)
            if entry and entry["sha1"] == sha1 and entry["stem"] == stems[abspath]:
                report.files_unchanged += 1
                if progress:
                    progress("file", 1)
                continue
            todo.append((path, abspath))
        for p, entry in catalog.items():  # renamed by a newcomer of the same name, but not given this time
            if p not in gone and p not in present and entry["stem"] != stems[p]:
                todo.append((Path(p), p))

        if todo or gone or vocabulary is None:
            if vocabulary is None:  # lost: counted again from the live §§
                with ix.searcher() as searcher:
                    vocabulary = _words_of(fields.get("text", "") for fields in searcher.all_stored_fields())
            # whoosh's pool holds about four times its limitmb in Python objects: 64 keeps
            # an ingest of 100,000 §§ well under 500 MB, at a few per cent of speed.
            writer = ix.writer(limitmb=64, compound=False, codec=codec())
            try:
                with ix.searcher() as searcher:
                    def drop(path: str) -> None:
                        """Delete a file's §§ and take their words out of the vocabulary."""
                        for word, n in _words_of(d.get("text", "") for d in searcher.documents(path=path)).items():
                            vocabulary[word] = vocabulary.get(word, 0) - n
                        writer.delete_by_term("path", path)
                        catalog.pop(path, None)

                    for p in gone:
                        drop(p)
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
                            if progress and abspath in present:
                                progress("file", 1)
                        docs = documents(meeting, abspath, stems[abspath], plain=plain)
                        if not docs:
                            report.skipped.append((str(f), "no paragraphs or sections found"))
                            continue
                        if abspath in catalog:
                            drop(abspath)
                        lengths = {"title": 0, "text": 0}
                        for doc in docs:
                            for fieldname in lengths:
                                lengths[fieldname] += index_length(doc[fieldname] or "", plain)
                            writer.add_document(**doc)
                        for word, n in _words_of(doc["text"] for doc in docs).items():
                            vocabulary[word] = vocabulary.get(word, 0) + n
                        catalog[abspath] = {"sha1": src.sha1, "name": names[abspath], "stem": stems[abspath],
                                            "paragraphs": len(docs), "lengths": lengths}
                        report.files_indexed += 1
                        report.paragraphs_indexed += len(docs)
                # The catalog and vocabulary of the commit, written before whoosh writes its table of contents.
                write_catalog(target, writer.generation, catalog)
                write_vocabulary(target, writer.generation, vocabulary)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            remove_older_commits(target, ix.latest_generation())

        with windex.open_dir(str(target)).reader() as reader:
            report.paragraphs_total = reader.doc_count()
        write_json_atomic(
            target / META,
            {
                "schema_version": SCHEMA_VERSION,
                "plain": plain,
                "last_ingest": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": len(catalog),
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

"""Building and updating the index: sources -> parse -> one document per § (item, section) -> a backend.

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

import contextlib
import errno
import hashlib
import itertools
import re
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import casenum
from .acronyms import mine as mine_acronyms
from .analysis import analyze_for_index, compound_parts, index_length, people_length, prime, surface_word_set
from .backends import backend_at
from .errors import IndexWriteError, SourceError, TryggError, working_on
from .expand import acronym_entries
from .protocol import decision, plain_meeting, presence_at, read_meeting
from .records import Meeting, Paragraph
from .sources import Found, find_sources, read_file, read_source, shown


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
    notes: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # what was understood of each file indexed
    followed: list[str] = field(default_factory=list)  # links followed out of a folder (--follow)
    duplicates: list[dict] = field(default_factory=list)  # {"path", "duplicate_of"}: the same protocol again
    seconds: float = 0.0
    location: str = ""  # the index, as the backend shows it (no credentials)
    made: bool = True  # False: there was nothing to index and no index, and none was made

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
            "notes": self.notes,
            "files": self.files,
            "followed": self.followed,
            "duplicates": self.duplicates,
            "seconds": round(self.seconds, 3),
            "made": self.made,
        }


def paragraph_id(stem: str, number: int | None, ordinal: int) -> str:
    """``000_85df296f62d2738a#22``; sections of other documents are ``...#s3``."""
    return f"{stem}#{number}" if number is not None else f"{stem}#s{ordinal}"


def documents(meeting: Meeting, path: str, stem: str, plain: bool = False,
              paragraphs: Iterable[Paragraph] | None = None) -> Iterator[dict]:
    """A parsed meeting -> documents (field dicts), one per paragraph, made one at a time.

    ``paragraphs`` (default: the meeting's own) may be the iterator
    :func:`protocol.read_meeting` gives, so that a large file is never held whole.
    """
    present = presence_at(meeting.attendance)
    header = {
        "time": meeting.time,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "adjusters": list(meeting.adjusters),
    }
    front = [Paragraph(None, FRONT_TITLE, meeting.front)] if meeting.front else []
    for ordinal, p in enumerate(itertools.chain(front, meeting.paragraphs if paragraphs is None else paragraphs)):
        own: dict[str, None] = {}  # the keys of every case the § is filed under
        for written in p.case_numbers or ((p.case_number,) if p.case_number else ()):
            found = casenum.try_parse(written)
            if found:
                own.update(dict.fromkeys(found.keys()))
        base = f"{stem}#{FRONT}" if front and ordinal == 0 else paragraph_id(stem, p.number, ordinal + (not front))
        people = [[a.name, a.party, a.role] for a in present(p.number)] if p.number is not None else []
        names = people_of(meeting, p)
        for piece, text in enumerate(pieces(p.text), 1):
            mentioned = [k for c in casenum.mentions(text) for k in c.keys() if k not in own]
            doc = {
                "id": base if piece == 1 else f"{base}.{piece}",
                "path": path,
                "kind": FRONT if front and ordinal == 0 else meeting.kind,
                "paragraph": p.number,
                "title": p.title,
                "text": text,
                "parts": {"title": compound_parts(p.title), "text": compound_parts(text)} if not plain else {},
                "case_number": p.case_number,
                "decision": decision(p.sections) if piece == 1 else None,
                "case": ",".join(own),
                "mentions": ",".join(dict.fromkeys(mentioned)),
                "acronyms": "" if plain else ",".join(acronym_entries(mine_acronyms(text))),
                "officer": ",".join(o.replace(",", " ") for o in p.officers),
                "participant": ",".join(n.replace(",", " ") for n in p.participants),
                "people": "\n".join(names) if piece == 1 else "",
                "present": people,
                "recused": list(p.recused),
                "decisions": p.decisions.to_dict() if p.decisions else None,  # on every piece, as its keys
                "reserved": ",".join(decision_keys(p.decisions.reservations)),
                "proposed": ",".join(decision_keys(p.decisions.proposals)),
                "voted": "yes" if p.decisions.votes else "",
                "outcome": p.decisions.outcome or "",
                "meeting": header,
            }
            if meeting.committee:
                doc["committee"] = meeting.committee
                doc["committee_key"] = meeting.committee.casefold()
            if meeting.date:
                doc["date"] = meeting.date
            doc["browse"] = browse_key(meeting.date, path, ordinal + (not front), piece)
            doc["digest"] = digest_of(doc)
            yield doc


def decision_keys(said) -> list[str]:
    """What the filters --reserved-by and --proposed-by find a § by: the parties and the names of those
    who reserved themselves or proposed (each once, commas out of names)."""
    keys: dict[str, None] = {}
    for item in said:
        keys.update(dict.fromkeys(item.parties))
        keys.update(dict.fromkeys(p.name.replace(",", " ") for p in item.by))
    return list(keys)


def digest_of(doc: dict) -> str:
    """What a § says, as sixteen hex digits: its meeting, number, title, text and case number.  The same
    § ingested again (a rebuild, a file moved) has the same digest; an edited one another."""
    import json

    said = [doc.get(k) for k in ("kind", "date", "committee", "paragraph", "title", "text", "case_number")]
    return hashlib.sha1(json.dumps(said, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def browse_key(date: str | None, path: str, ordinal: int, piece: int) -> str:
    """What §§ listed without a query are sorted by, ascending: the newest meeting first (undated last),
    then by file, then in the order of the file."""
    newest_first = 99_999_999 - int(date.replace("-", "")) if date else 99_999_999
    return f"{newest_first:08d}\t{path}\t{ordinal:07d}.{piece:04d}"


def people_of(meeting: Meeting, p: Paragraph) -> list[str]:
    """Who a § names by role, each once: those who took part in it, the meeting's chair, secretary and
    adjusters (for its §§), and the § 's officers.  What a search finds a person by."""
    names: dict[str, str] = {}
    signers = (meeting.chair, meeting.secretary, *meeting.adjusters) if p.number is not None else ()
    for name in (*p.participants, *signers, *p.officers):
        if name and name.strip():
            names.setdefault(" ".join(name.split()).casefold(), " ".join(name.split()))
    return list(names.values())


PIECE_CHARS = 500_000  # about 150 pages: no real § is longer; one that is goes in pieces


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """The text, or for a § longer than ``size`` characters, pieces of it cut at white space:
    each is indexed as its own document (``…#12``, ``…#12.2``, …), so that no § can take
    the memory or time of the whole file, and none of its text is left out."""
    if len(text) <= size:
        yield text
        return
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            cut = max(cut, text.rfind("\n", start + size // 2, end))
            end = cut + 1 if cut > start else end
        yield text[start:end]
        start = end


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
        _count_words(counts, text)
    return counts


def _count_words(counts: dict[str, int], text: str) -> None:
    """One more text for each word of ``text`` (the vocabulary's counts)."""
    for word in surface_word_set(text):
        counts[word] = counts.get(word, 0) + 1


def _bug(exc: BaseException) -> str:
    """What a bug met in reading a file is called in a note or a skipped file's line."""
    message = " ".join(str(exc).split())[:200]
    return f"a bug in trygg-search ({type(exc).__name__}" + (f": {message})" if message else ")")


class _ReadAsPlain(Exception):
    """The parser failed on this file before: it is read as plain text from the start."""


class _FailedInsideFile(Exception):
    """A file failed after some of its §§ went to the writer, which cannot take them back."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.path, self.reason = path, reason


PROGRESS_EVERY = 500  # §§ of one file between progress events


def ingest(
    paths: list[str],
    index_dir: str | os.PathLike,
    *,
    wait: float = 10.0,
    rebuild: bool = False,
    progress: Callable[..., None] | None = None,
    plain: bool = False,
    follow: bool = False,
    jobs: int | None = None,
) -> IngestReport:
    """Index the given files and folders into the index at ``index_dir``.

    ``progress(event, n, path=None)`` is called with ("total", number of
    files) once, ("pages", pages so far, path) while a long PDF is read,
    ("paragraphs", §§ so far, path) while a large file is indexed, and
    ("file", 1, path) after each file.  ``plain`` builds a
    plain-Snowball baseline index (for the relevance harness and benchmarks).
    ``follow`` follows links out of the folders given (see :func:`sources.find_sources`).
    ``jobs`` worker processes (default: the machine's cores) read, parse, analyse and write runs of
    files, which this process commits (see :func:`_written_files`); one job does it all here.
    A file the parser fails on (a bug) is indexed as plain text, a section a
    page, with a note; where that happens after some of its §§ were written,
    the ingest is made again with the file read as plain text from the start,
    so that no half of a file is indexed.  A file that fails even so is left out.
    """
    with _fewer_collections():
        return _ingest_all(paths, index_dir, wait, rebuild, progress, plain, follow, jobs)


# Container objects allocated (less those freed) before Python collects its youngest generation: 700 by
# default.  An ingest allocates millions (records, terms, a segment's postings), most of which live until
# their file or part is written; collecting every 700 took a fifth of a process's time (1,000 benchmark
# files in one process: 26.5 s, against 21.6 s at 10,000, 21.1 s at 50,000 and 20.7 s with no collections).
# Cycles are still collected, after more allocations.  At 100,000 §§ with two workers, 10,000 is as fast
# as 50,000, and each worker's peak memory about 10 MB above the default's (50,000: about 20 MB).
GC_YOUNG = 10_000


def _collect_less() -> tuple[int, ...]:
    """Python's garbage collector's youngest generation collected after GC_YOUNG allocations, not fewer
    (unless collecting is off: a threshold of 0); the thresholds it had."""
    import gc

    before = gc.get_threshold()
    if before[0]:
        gc.set_threshold(max(GC_YOUNG, before[0]), *before[1:])
    return before


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """:func:`_collect_less` until the block ends."""
    import gc

    before = _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _ingest_all(paths: list[str], index_dir: str | os.PathLike, wait: float, rebuild: bool,
                progress: Callable[..., None] | None, plain: bool, follow: bool, jobs: int | None) -> IngestReport:
    started = time.monotonic()
    excluded: dict[str, str] = {}
    as_plain: dict[str, str] = {}  # path -> why it is read as plain text
    backend = backend_at(index_dir)
    sources = find_sources(paths, follow)
    if not sources.found and not backend.exists():  # no index is made of nothing
        report = IngestReport(made=False, skipped=list(sources.problems), notes=list(sources.notes))
        report.location = backend.location
        return report
    while True:
        try:
            report = _ingest(backend, paths, wait, rebuild, progress, plain, excluded, as_plain, follow,
                             jobs if jobs is not None else (os.cpu_count() or 1))
            break
        except _FailedInsideFile as failed:
            if failed.path in as_plain:
                excluded[failed.path] = failed.reason
            else:
                as_plain[failed.path] = failed.reason
        except OSError as exc:
            raise IndexWriteError(_write_failure(Path(index_dir), exc)) from None
    report.seconds = time.monotonic() - started
    report.location = backend.location
    return report


def _write_failure(index_dir: Path, exc: OSError) -> str:
    """One line for an index that could not be written: what, where, and what to do."""
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return (f"no space left on the device of {index_dir}{where}: the index is as it was before this "
                f"ingest; free some space and run the ingest again")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"cannot write the index at {index_dir}{where}: {exc.strerror.lower()}; choose another "
                f"folder with --index or change its permissions")
    return f"cannot write the index at {index_dir}{where}: {exc.strerror or exc}"


def _ingest(backend, paths, wait, rebuild, progress, plain, excluded, as_plain, follow, jobs=1) -> IngestReport:
    report = IngestReport()
    sources = find_sources(paths, follow)
    found_files = sources.found
    report.skipped.extend(sources.problems)
    report.notes.extend(sources.notes)
    report.followed = sources.followed
    roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]

    def tick(event: str, n: int = 1, path: str | None = None) -> None:
        if progress:
            progress(event, n, path)

    with backend.update(wait=wait, rebuild=rebuild, plain=plain) as update:
        if update.why:
            report.notes.append(f"the index was built anew: {update.why}")
        if update.rebuilt:
            # A rebuild keeps what the index held: the files of its last catalog that are still there.
            given = {os.path.realpath(f.path) for f in found_files}
            found_files += [Found(Path(p), entry["name"]) for p, entry in sorted(update.previous_catalog.items())
                            if p not in given and os.path.isfile(p)]
        report.files_seen = len(found_files)
        report.rebuilt = update.rebuilt
        catalog = _update(update, report, found_files, excluded, as_plain, roots, plain, tick, jobs)
        # §§ and sections: the front records are no §§
        report.paragraphs_total = update.doc_count() - sum(e.get("fronts", 0) for e in catalog.values())
    return report


def _update(update, report: IngestReport, found_files, excluded: dict, as_plain: dict, roots: list[str], plain: bool,
            tick, jobs: int = 1) -> dict[str, dict]:
    """Bring the index up to date with the files: one commit, with its catalog and vocabulary; the catalog."""
    catalog = dict(update.catalog)
    vocabulary = update.vocabulary
    tick("total", len(found_files))
    present: dict[str, tuple[Path, str, str]] = {}  # path -> (file, name, sha1)
    for f in found_files:
        abspath = os.path.realpath(f.path)
        if abspath in excluded:
            report.skipped.append((shown(str(f.path)), excluded[abspath]))
            tick("file", 1, shown(str(f.path)))
            continue
        try:  # only the hash now: texts are decoded one at a time while writing
            sha1 = hashlib.sha1(read_file(f.path)).hexdigest()
        except SourceError as exc:
            report.skipped.append((shown(str(f.path)), str(exc).split(": ", 1)[-1]))
            tick("file", 1, shown(str(f.path)))
            continue
        present[abspath] = (f.path, shown(f.name), sha1)

    gone = [
        p for p in catalog
        if p not in present and p not in excluded
        and (not os.path.exists(p) or any(p.startswith(r + os.sep) for r in roots))
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
            tick("file", 1, shown(str(path)))
            continue
        todo.append((path, abspath))
    for p, entry in catalog.items():  # renamed by a newcomer of the same name, but not given this time
        if p not in gone and p not in present and p not in excluded and entry["stem"] != stems[p]:
            todo.append((Path(p), p))
    # A copy of a protocol that is gone or changed is read again: it may be the one to index now.
    again = set(gone) | {abspath for _, abspath in todo}
    todo += [(present[p][0], p) for p, entry in catalog.items()
             if entry.get("duplicate_of") in again and p in present and p not in again]
    todo.sort(key=lambda item: item[1])  # of two copies, the first by path is the one indexed
    originals = {entry["fingerprint"]: p for p, entry in catalog.items()
                 if entry.get("fingerprint") and not entry.get("duplicate_of") and p not in again}

    if not (todo or gone or vocabulary is None or update.needs_commit()):
        return catalog
    if vocabulary is None:  # lost: counted again from the live §§
        vocabulary = _words_of(update.all_texts())

    def drop(path: str) -> None:
        """Delete a file's §§ and take their words out of the vocabulary."""
        for word, n in _words_of(update.texts_of(shown(path))).items():
            vocabulary[word] = vocabulary.get(word, 0) - n
        update.delete(shown(path))
        catalog.pop(path, None)

    for p in gone:
        drop(p)
        report.files_removed += 1
    tasks = [(f, abspath, stems[abspath], plain, as_plain.get(abspath)) for f, abspath in todo]
    sink = update.sink() if jobs > 1 and len(tasks) >= WORTH_WORKERS else None
    if sink is not None:
        prepared_files = _written_files(tasks, jobs, sink, update, vocabulary, tick)
    else:
        prepared_files = _prepared_files(tasks, jobs)
    for (f, abspath, *_), prepared in _closing(prepared_files):
        entry = _index_file(update, f, abspath, stems[abspath], plain, vocabulary, drop, catalog, report, tick,
                            as_plain.get(abspath), originals, prepared)
        if entry is not None:
            entry["name"] = names[abspath]
            catalog[abspath] = entry
            if entry.get("fingerprint") and not entry.get("duplicate_of"):
                originals.setdefault(entry["fingerprint"], abspath)
        if sink is None or prepared is None:  # else the worker that wrote it told
            tick("file", 1, shown(str(f)))
    update.commit(catalog, vocabulary)
    return catalog


BUFFER_DOCS, BUFFER_CHARS = 5000, 20_000_000  # a file held back this far to be told a copy before it is added


FRONT = "front"  # the id of a protocol's front record: ``000_85df296f62d2738a#front``
FRONT_TITLE = "Inledning"  # its title: what stands before the first § (the front page, a contents list)


def fingerprint_of(doc: dict) -> bytes:
    """What a § of a protocol is, whatever file it came from: its meeting, number, title and words (a PDF
    and a Word file of one protocol wrap, break and punctuate their lines differently)."""
    if doc.get("id", "").endswith(f"#{FRONT}"):
        return b""  # a front page's running heads and furniture differ between a PDF and its Word file
    words = re.findall(r"[^\W_]+", f"{doc.get('title') or ''} {doc.get('text') or ''}".casefold())
    head = f"{doc.get('kind')}|{doc.get('date')}|{(doc.get('committee') or '').casefold()}|{doc.get('paragraph')}"
    return (head + "|" + " ".join(words) + "\n").encode("utf-8", "surrogatepass")


def _plain_note(name: str, reason: str) -> str:
    return (f"{name}: {reason}: indexed as plain text, a section a page (run again with --debug to see the "
            f"traceback, and please report it)")


WORTH_WORKERS = 8  # files: fewer are read here (starting the workers takes longer than reading them)
PREPARED_BYTES = 8_000_000  # a file larger than this is read by the writing process, as it writes (never held whole)


def _closing(items: Iterator) -> Iterator:
    """The items of a generator, closed (its workers stopped) before an error here goes on."""
    try:
        yield from items
    finally:
        items.close()


def _prepared_files(tasks: list[tuple], jobs: int) -> Iterator[tuple[tuple, dict | None]]:
    """Each task with the file read, parsed and analysed by a worker process (``jobs`` of them, a few files
    ahead of the writer), in the order given; None for a file the writer reads itself (one job, few files,
    a large file, or a worker that failed: then nothing is lost, the file is read here)."""
    if jobs <= 1 or len(tasks) < WORTH_WORKERS:
        for task in tasks:
            yield task, None
        return
    import collections
    import concurrent.futures

    with _pool(jobs, None, None) as pool:
        ahead: collections.deque = collections.deque()
        pending = iter(tasks)

        def submit() -> None:
            for task in pending:
                future = None
                try:
                    if os.path.getsize(task[0]) <= PREPARED_BYTES:
                        future = pool.submit(_prepare, task)
                except (OSError, concurrent.futures.BrokenExecutor):  # a pool a worker broke: read here
                    future = None
                ahead.append((task, future))
                return

        for _ in range(2 * jobs):
            submit()
        while ahead:
            task, future = ahead.popleft()
            submit()
            prepared = None
            if future is not None:
                try:
                    prepared = future.result()
                except Exception:  # a worker that died or failed: the file is read here instead
                    prepared = None
            yield task, prepared


def _pool(jobs: int, sink, progress):
    """``jobs`` worker processes, each with ``sink`` and the ``progress`` queue."""
    import concurrent.futures

    return concurrent.futures.ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_worker_start,
                                                  initargs=(sink, progress))


def _context():
    """A fresh interpreter for each worker (not a fork of this one, which holds the index's lock and
    files): a killed ingest leaves no worker holding them.  Where workers are forked from a fork server,
    it loads the analysis data first, for all of them to share (:mod:`._preload`)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([f"{__package__}._preload"])
    return context


RANGE_BYTES = 100_000_000  # of files a worker writes into one part (segment) of the index, about


def ranges(sizes: list[int], jobs: int) -> list[range]:
    """The files (their sizes, in order) cut into runs of consecutive files of about equal bytes: ``jobs``
    of them, or a multiple of ``jobs`` where that keeps each under about RANGE_BYTES."""
    total = sum(sizes)
    n = min(len(sizes), jobs * max(1, -(-total // (jobs * RANGE_BYTES))))
    out, start, seen = [], 0, 0
    for i, size in enumerate(sizes):
        seen += size
        if len(out) < n - 1 and seen * n >= total * (len(out) + 1) and i + 1 < len(sizes):
            out.append(range(start, i + 1))
            start = i + 1
    out.append(range(start, len(sizes)))
    return [r for r in out if len(r)]


def _written_files(tasks: list[tuple], jobs: int, sink, update, vocabulary: dict[str, int],
                   tick) -> Iterator[tuple[tuple, dict]]:
    """Each task with what a worker process made of it (as :func:`_prepare` makes it, the records added to
    the worker's ``sink`` in their place: ``"added"``), in the order given.  The tasks are cut into runs
    of consecutive files (:func:`ranges`), each written by one worker into parts of its own, which the
    ``update`` takes in the order of the runs before their files come: the records stand in the index in
    the order of the files, as one process writes them, whichever worker wrote them.  The words of a run's records
    are counted into ``vocabulary`` as it comes (a copy found later takes its words out).  The workers'
    progress events (``tick``) come as they make them: a file's ``"file"`` as its worker finishes it."""
    import concurrent.futures
    import queue

    sizes = []
    for task in tasks:
        try:
            sizes.append(max(os.path.getsize(task[0]), 1))
        except OSError:
            sizes.append(1)
    progress = _context().Queue()

    def drain() -> None:
        while True:
            try:
                event, n, name = progress.get_nowait()
            except queue.Empty:
                return
            tick(event, n, name)

    with _pool(jobs, sink, progress) as pool:
        try:
            runs = ranges(sizes, jobs)
            futures = _submitted(pool, [[tasks[i] for i in r] for r in runs])
            for r, future in zip(runs, futures):
                while future is not None and not future.done():
                    concurrent.futures.wait([future], timeout=0.1)
                    drain()
                    update.keep_alive()
                try:
                    written = None if future is None else future.result()  # None: never given to a worker
                except concurrent.futures.BrokenExecutor:  # a worker died, or none could start
                    written = None
                if written is None:  # the files of this run and those after it are read here (what
                    for i in range(r.start, len(tasks)):  # other workers wrote of them is not taken)
                        yield tasks[i], None
                    return
                drain()
                if "failed" in written:
                    _raise(written["failed"], written["path"])
                for part in written["parts"]:
                    update.take(part)
                for word, n in written["words"].items():
                    vocabulary[word] = vocabulary.get(word, 0) + n
                for i, prepared in zip(r, written["files"], strict=True):
                    yield tasks[i], prepared
        finally:  # the workers stop before the ingest goes on (or cleans up after an error)
            pool.shutdown(wait=True, cancel_futures=True)


def _submitted(pool, runs: list[list[tuple]]) -> list:
    """Each run given to the pool: its future, or None from the first the pool would not take.  A pool
    whose first worker died as it started (a script read from stdin) may refuse a run or, in a race of
    CPython's own (its manager thread closes the pool's queue unlocked while another worker is being
    started with it), fail with EBADF: either way, those runs are read in the ingest's own process."""
    import concurrent.futures

    futures: list = []
    for run in runs:
        try:
            futures.append(pool.submit(_write_range, run))
        except (concurrent.futures.BrokenExecutor, OSError):
            return futures + [None] * (len(runs) - len(futures))
    return futures


_WORKER: dict = {}  # in a worker process: the sink it writes records into, the progress queue


def _worker_start(sink, progress) -> None:
    import multiprocessing
    import threading

    _WORKER.update(sink=sink, progress=progress)
    _collect_less()  # as the ingest's process collects, for the worker's life
    parent = multiprocessing.parent_process()
    if parent is not None:  # a worker of a killed ingest would otherwise wait for work for ever
        threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent) -> None:
    """In a worker: end this process as soon as the ingest's process has ended (its sentinel closed)."""
    parent.join()
    os._exit(1)


def _failure(exc: BaseException) -> dict:
    if isinstance(exc, TryggError):  # the index engine refused (BackendError): the ingest's error, as it is
        return {"error": exc}
    if isinstance(exc, OSError):
        return {"oserror": (exc.errno, exc.strerror or str(exc), exc.filename)}
    return {"bug": _bug(exc)}


def _raise(failure: dict, path: str | None):
    """A worker's failure to add records, raised here: the ingest stops (a file's bug: and starts again,
    that file read as plain text)."""
    if "error" in failure:
        raise failure["error"]
    if "oserror" in failure:
        raise OSError(*failure["oserror"])
    if path is None:
        raise RuntimeError(failure["bug"])
    raise _FailedInsideFile(path, failure["bug"])


def _write_range(tasks: list[tuple]) -> dict:
    """In a worker: consecutive files, each read and its records added to the worker's sink, into parts of
    their own; {"files": what each file made (:func:`_prepare_and_add`), "parts": the parts, in order}, or
    {"failed", "path"} where adding failed (the parts are then not to be trusted)."""
    sink, progress = _WORKER["sink"], _WORKER["progress"]

    def tick(event: str, n: int, path: str | None) -> None:  # to the ingest's process, which tells them
        progress.put((event, n, path))

    files, parts, words = [], [], {}
    for task in tasks:
        try:
            files.append(_prepare_and_add(task, sink, parts, words, tick))
        except Exception as exc:
            return {"failed": _failure(exc), "path": task[1]}
        tick("file", 1, shown(str(task[0])))
    try:
        part = sink.finish()
    except Exception as exc:
        return {"failed": _failure(exc), "path": None}
    return {"files": files, "parts": parts + ([part] if part is not None else []), "words": words}


def _prepare_and_add(task: tuple, sink, parts: list, words: dict[str, int], tick) -> dict:
    """In a worker: :func:`_prepare`, and the file's records added to ``sink`` (a part it fills up goes to
    ``parts``, their words counted into ``words``): what adding made instead of the records
    (``"added"``), with the progress events of a large file's pages and §§ (``tick``).  A file larger
    than PREPARED_BYTES is added as it is read, never held whole."""
    f, abspath, stem, plain, plain_because = task
    try:
        large = os.path.getsize(f) > PREPARED_BYTES
    except OSError:  # gone: _prepare tells it as the file's problem
        large = False
    prepared = _prepare(task, lazily=large, tick=tick)
    docs = prepared.get("docs")
    if not docs:  # skipped, or nothing found: as the writing process takes it
        return prepared
    if not large and not sink.fits(len(docs)):
        part = sink.finish()
        if part is not None:
            parts.append(part)
    part_id, first = sink.part_id(), sink.count()
    adding = _Adding(sink.add, plain, shown(str(f)), prepared.pop("terms", {}), words, tick)
    fingerprint, records, chars = hashlib.sha1(), 0, 0
    for doc in docs:
        fingerprint.update(fingerprint_of(doc))
        records += 1
        chars += len(doc["text"])
        adding.add(doc)
    del prepared["docs"]
    prepared["added"] = {
        "part": part_id, "first": first, "end": sink.count(), "count": adding.count, "fronts": adding.fronts,
        "lengths": adding.lengths, "notes": adding.notes, "fingerprint": fingerprint.hexdigest(),
        "held": records <= BUFFER_DOCS and chars <= BUFFER_CHARS,
    }
    if not sink.fits(1):  # full: the next file starts a part of its own
        parts.append(sink.finish())
    return prepared


def _prepare(task: tuple, lazily: bool = False, tick=None) -> dict:
    """In a worker: one file read, parsed and made into documents, with the analysis of their titles and
    texts (what the writer's analyzer would make again).  ``lazily``: the documents as they are made (an
    iterator; a parser's failure past the first is the caller's), and no analysis.  ``tick``: told the
    pages of a long PDF as they are read."""
    f, abspath, stem, plain, plain_because = task
    name = shown(str(f))
    try:
        src = read_source(f, pages=None if tick is None else lambda n: tick("pages", n, name))
    except SourceError as exc:
        return {"skip": str(exc).split(": ", 1)[-1]}
    notes = []
    try:
        if plain_because is not None:
            raise _ReadAsPlain(plain_because)
        header, paragraphs = read_meeting(src.text, name)
        docs = documents(header, shown(abspath), stem, plain, paragraphs)
        docs = _first_made(docs) if lazily else list(docs)
    except Exception as exc:  # a bug in the parser: the file is indexed as plain text, never lost
        notes.append(_plain_note(name, plain_because if isinstance(exc, _ReadAsPlain) else _bug(exc)))
        header = plain_meeting(src.text, name)
        docs = documents(header, shown(abspath), stem, plain)
        docs = _first_made(docs) if lazily else list(docs)
    terms = {} if plain or lazily else {t: analyze_for_index(t, keep=True) for d in docs for t in (d["title"] or "", d["text"] or "")}
    return {"sha1": src.sha1, "header": header, "docs": docs, "terms": terms, "notes": notes,
            "problems": [problem.split(": ", 1)[-1] for problem in src.problems]}


def _first_made(docs: Iterator[dict]) -> Iterator[dict] | list:
    """The documents, the first of them made now (where a parser fails on a file's start); [] for none."""
    first = next(docs, None)
    return [] if first is None else itertools.chain([first], docs)


class _Adding:
    """One file's records added one at a time (``add_record``): the catalog's lengths, the §§ and front
    records, the vocabulary's counts (into ``words``) and the notes on §§ indexed in pieces."""

    def __init__(self, add_record, plain: bool, name: str, terms: dict, words: dict[str, int], tick):
        self.add_record, self.plain, self.name, self.terms, self.words, self.tick = \
            add_record, plain, name, terms, words, tick
        self.lengths = {"title": 0, "text": 0, "people": 0}
        self.count = self.fronts = 0  # §§ (sections, pieces) and front records
        self.notes: list[str] = []

    def add(self, doc: dict) -> None:
        for fieldname in ("title", "text"):  # the analysis a worker made, for the calls below
            made = self.terms.get(doc[fieldname] or "")
            if made is not None:
                prime(doc[fieldname] or "", made)
        for fieldname in ("title", "text"):
            self.lengths[fieldname] += index_length(doc[fieldname] or "", self.plain)
        self.lengths["people"] += people_length(doc["people"], self.plain)
        self.add_record(doc)
        _count_words(self.words, doc["text"])
        if doc["kind"] == FRONT:
            self.fronts += 1
        else:
            self.count += 1
        if self.count % PROGRESS_EVERY == 0 or len(doc["text"]) > PIECE_CHARS // 2:
            self.tick("paragraphs", self.count, self.name)
        if "." in doc["id"].rsplit("#", 1)[-1] and doc["id"].endswith(".2"):
            self.notes.append(f"{self.name}: {doc['id'][:-2]} is longer than {PIECE_CHARS:,} characters: "
                              f"indexed in pieces ({doc['id'][:-2]}, {doc['id']}, …)")


def _index_file(update, f: Path, abspath: str, stem: str, plain: bool, vocabulary: dict[str, int],
                drop, catalog: dict, report: IngestReport, tick, plain_because: str | None,
                originals: dict[str, str], prepared: dict | None = None) -> dict | None:
    """Parse one file and add its §§ one at a time; its catalog entry, or None when it was skipped.
    ``plain_because``: why the file is read as plain text (the parser failed on it before).  A file whose
    §§ are those of a file already indexed (``originals``: fingerprint -> path) is not indexed again: its
    entry names the file it copies.  A file is held back up to BUFFER_DOCS §§ to tell; a larger one is
    added as it is read.  ``prepared``: the file as a worker read it (:func:`_prepare`)."""
    name = shown(str(f))
    terms: dict[str, list] = {}
    if prepared is not None:
        if "skip" in prepared:
            report.skipped.append((name, prepared["skip"]))
            return None
        sha1, header, terms = prepared["sha1"], prepared["header"], prepared.get("terms", {})
        report.skipped.extend((name, problem) for problem in prepared["problems"])
        report.notes.extend(prepared["notes"])
        if "added" in prepared:  # a worker added the records
            return _added_by_worker(update, prepared["added"], abspath, name, stem, sha1, header, vocabulary,
                                    drop, catalog, report, originals)
        docs = iter(prepared["docs"])
        first = next(docs, None)
    else:
        try:
            with working_on(name):
                src = read_source(f, pages=lambda n: tick("pages", n, name))
        except SourceError as exc:
            report.skipped.append((name, str(exc).split(": ", 1)[-1]))
            return None
        sha1 = src.sha1
        report.skipped.extend((name, problem.split(": ", 1)[-1]) for problem in src.problems)  # pages of scans
        try:
            if plain_because is not None:
                raise _ReadAsPlain(plain_because)
            header, paragraphs = read_meeting(src.text, name)
            docs = documents(header, shown(abspath), stem, plain, paragraphs)
            first = next(docs, None)
        except Exception as exc:  # a bug in the parser: the file is indexed as plain text, never lost
            reason = plain_because if isinstance(exc, _ReadAsPlain) else _bug(exc)
            report.notes.append(_plain_note(name, reason))
            header = plain_meeting(src.text, name)
            docs = documents(header, shown(abspath), stem, plain)
            first = next(docs, None)
        del src
    if first is None:
        report.skipped.append((name, "no paragraphs or sections found"))
        return None
    adding = _Adding(update.add, plain, name, terms, vocabulary, tick)
    fingerprint = hashlib.sha1()
    held: list[dict] | None = []  # None once the file is added as it is read
    held_chars = 0
    add = adding.add

    try:
        for doc in itertools.chain([first], docs):
            fingerprint.update(fingerprint_of(doc))
            if held is None:
                add(doc)
                continue
            held.append(doc)
            held_chars += len(doc["text"])
            if len(held) > BUFFER_DOCS or held_chars > BUFFER_CHARS:  # too large to hold: added as read
                if abspath in catalog:
                    drop(abspath)
                for d in held:
                    add(d)
                held = None
        key = fingerprint.hexdigest()
        copies = originals.get(key)
        if held is not None and copies is not None and copies != abspath:  # the same protocol again
            if abspath in catalog:
                drop(abspath)
            return _duplicate(report, name, copies, sha1, stem, header, key)
        if held is not None:
            if abspath in catalog:
                drop(abspath)
            for d in held:
                add(d)
    except (OSError, TryggError):  # the index's failure (a disk, a cluster that refused), not the file's
        raise
    except Exception as exc:
        raise _FailedInsideFile(abspath, _bug(exc)) from None
    report.notes.extend(adding.notes)
    return _indexed(report, name, header, adding.count, adding.fronts, adding.lengths, sha1, stem, key)


def _added_by_worker(update, added: dict, abspath: str, name: str, stem: str, sha1: str, header, vocabulary,
                     drop, catalog: dict, report: IngestReport, originals: dict[str, str]) -> dict:
    """The catalog entry of a file whose records a worker added (:func:`_prepare_and_add`), as
    :func:`_index_file` makes it; a copy of a protocol already indexed has its records discarded."""
    key = added["fingerprint"]
    copies = originals.get(key)
    if abspath in catalog:
        drop(abspath)
    if added["held"] and copies is not None and copies != abspath:  # the same protocol again
        for word, n in _words_of(update.part_texts(added["part"], added["first"], added["end"])).items():
            vocabulary[word] = vocabulary.get(word, 0) - n  # counted with the worker's run
        update.discard(added["part"], added["first"], added["end"])
        return _duplicate(report, name, copies, sha1, stem, header, key)
    report.notes.extend(added["notes"])
    return _indexed(report, name, header, added["count"], added["fronts"], added["lengths"], sha1, stem, key)


def _duplicate(report: IngestReport, name: str, copies: str, sha1: str, stem: str, header, key: str) -> dict:
    """A file that is a copy of the protocol ``copies`` holds: the report told, and its catalog entry."""
    report.duplicates.append({"path": name, "duplicate_of": shown(copies)})
    return {"sha1": sha1, "stem": stem, "paragraphs": 0, "lengths": {}, "kind": header.kind,
            "fingerprint": key, "duplicate_of": copies}


def _indexed(report: IngestReport, name: str, header, count: int, fronts: int, lengths: dict, sha1: str,
             stem: str, key: str) -> dict:
    """A file's records added: the report told, and its catalog entry."""
    if header.kind == "other" and count == 1:
        report.notes.append(f"{name}: no §§ or headings found: indexed as one section")
    report.files_indexed += 1
    report.paragraphs_indexed += count
    report.files.append({"path": name, "kind": header.kind, "paragraphs": count, "committee": header.committee,
                         "date": header.date, "date_source": header.date_source,
                         "missing": header.missing_expected()})
    return {"sha1": sha1, "stem": stem, "paragraphs": count, "fronts": fronts, "lengths": lengths,
            "kind": header.kind, "fingerprint": key}

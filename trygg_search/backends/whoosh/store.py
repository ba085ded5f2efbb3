"""Where the index lives on disk: generations, the CURRENT pointer, metadata and the ingest lock.

Layout of the index folder::

    CURRENT              name of the live generation ("g3"), replaced atomically
    g3/                  a whoosh index (its own commits are atomic too)
    g3/catalog.7.json    the files whose §§ whoosh commit 7 holds: path -> hash, name, id stem, §§
    g3/totals.7.json     §§ and terms per field in those §§: what the engine scores with
    g3/vocabulary.7.tsv  the words of those §§, for did-you-mean and the å/ä/ö fallback
    g3/meta.json         schema version, time of the last ingest, ...
    g3/readers.lock      held shared (flock) by every reader of g3, for as long as it reads
    ingest.lock          held (flock) by the one ingest running

The catalog and the vocabulary of a commit are written before whoosh writes
that commit's table of contents, and read by the commit number a reader sees:
they always describe exactly the documents that commit holds.

A full rebuild writes a new generation and switches CURRENT with
``os.replace``; an incremental ingest commits into the live generation.  A
killed ingest therefore leaves the previous index whole either way.  An old
generation is removed only when no reader holds it: one still read is left
for a later ingest to remove, so that a search running beside a rebuild
answers from the old index or the new one, never from neither.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from pathlib import Path

from ...errors import IndexDamagedError, IndexMissingError, IngestLockedError, SchemaMismatchError
from .schema import SCHEMA_VERSION

CURRENT = "CURRENT"
META = "meta.json"
LOCK = "ingest.lock"
READERS = "readers.lock"


def catalog_file(folder: Path, commit: int) -> Path:
    return Path(folder) / f"catalog.{commit}.json"


def vocabulary_file(folder: Path, commit: int) -> Path:
    return Path(folder) / f"vocabulary.{commit}.tsv"


def totals_file(folder: Path, commit: int) -> Path:
    return Path(folder) / f"totals.{commit}.json"


def read_totals(folder: Path, commit: int) -> dict[str, int] | None:
    """{"paragraphs": live §§, "title": terms in all live titles, "text": ...} of a commit, or None."""
    try:
        with open(totals_file(folder, commit), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_catalog(folder: Path, commit: int) -> dict[str, dict] | None:
    """path -> {"sha1", "name", "stem", "paragraphs"} for every file whoosh commit ``commit`` holds;
    None when that commit has no catalog."""
    try:
        with open(catalog_file(folder, commit), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_catalog(folder: Path, commit: int, catalog: dict[str, dict]) -> None:
    """The catalog of a commit, and the totals the engine scores with (summed from it)."""
    write_json_atomic(catalog_file(folder, commit), catalog)
    totals = {"paragraphs": sum(e["paragraphs"] + e.get("fronts", 0) for e in catalog.values())}  # every record
    for entry in catalog.values():
        for fieldname, n in entry.get("lengths", {}).items():
            totals[fieldname] = totals.get(fieldname, 0) + n
    write_json_atomic(totals_file(folder, commit), totals)


def clean_uncommitted(gen: Path, commit: int) -> None:
    """After a failed write: remove what the commit that did not happen left (its catalog, totals and
    vocabulary, whoosh's segment files no commit names, half-written temporary files)."""
    for path in (catalog_file(gen, commit), totals_file(gen, commit), vocabulary_file(gen, commit)):
        path.unlink(missing_ok=True)
    for path in gen.glob(".*.tmp"):
        path.unlink(missing_ok=True)
    for path in gen.glob("*.tmp"):  # whoosh's temporary storage of a writer's pool
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    try:
        from whoosh import index as windex

        from .internals import segments_of

        with unread(gen) as alone:
            if alone:
                ix = windex.open_dir(str(gen))
                windex.clean_files(ix.storage, ix.indexname, ix.latest_generation(), segments_of(ix))
    except Exception:  # nothing more to clean, or the index cannot say: the next commit's clean-up will
        pass


def remove_older_commits(folder: Path, commit: int) -> None:
    """Delete the catalogs, totals and vocabularies of commits before ``commit - 1`` (a reader may still
    be on the one before), while no reader holds the generation."""
    with unread(Path(folder)) as alone:
        if not alone:
            return
        _remove_older_commits(folder, commit)


def _remove_older_commits(folder: Path, commit: int) -> None:
    for p in [p for pattern in ("catalog.*.json", "totals.*.json", "vocabulary.*.tsv") for p in Path(folder).glob(pattern)]:
        number = p.name.split(".")[1]
        if number.isdigit() and int(number) < commit - 1:
            p.unlink(missing_ok=True)


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when there is no index."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = index_dir / name
    return gen if name and gen.is_dir() else None


def read_meta(gen: Path) -> dict:
    try:
        return json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_json_atomic(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")  # ASCII: paths may hold undecodable bytes
    os.replace(tmp, path)


def switch_generation(index_dir: Path, gen: Path) -> None:
    """Make ``gen`` the live generation, atomically."""
    tmp = index_dir / f".{CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(gen.name + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / CURRENT)


def new_generation(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[1:]) for p in index_dir.glob("g*") if p.name[1:].isdigit()]
    gen = index_dir / f"g{max(numbers, default=0) + 1}"
    gen.mkdir()
    (gen / READERS).touch()
    return gen


class Hold:
    """A shared lock on a generation's readers.lock, let go by ``close()``, when the reader is collected, or
    when the process ends."""

    def __init__(self, fd: int):
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    __del__ = close


def hold_generation(index_dir: Path):
    """(the live generation, a hold on it) for a reader: its readers.lock open and locked shared, so that
    no ingest removes it while it is read.  A generation removed between reading CURRENT and taking the
    hold is let go and CURRENT read again.  The hold is a file object: closing it, or the process ending,
    lets go.  (gen, None) for an index from before reader locks, or one this user may not lock."""
    import fcntl

    for _ in range(50):
        gen = current_generation(index_dir)
        if gen is None:
            return None, None
        path = gen / READERS
        try:
            hold = Hold(os.open(path, os.O_RDONLY))
        except FileNotFoundError:
            if gen.is_dir() and current_generation(index_dir) == gen:
                return gen, None
            continue  # removed on the way: the new CURRENT
        except OSError:
            return gen, None
        fcntl.flock(hold.fd, fcntl.LOCK_SH)  # waits only while a remover moves the folder away
        try:
            same = os.stat(path).st_ino == os.fstat(hold.fd).st_ino
        except OSError:
            same = False
        if same:
            return gen, hold
        hold.close()
    raise IndexDamagedError(f"the index at {index_dir} changed under every attempt to read it: try again")


@contextlib.contextmanager
def unread(gen: Path):
    """``with unread(gen) as alone:`` alone is True while no reader holds the generation, and none can
    take a hold until the block ends (keep it short: a reader waits); False where readers hold it."""
    import fcntl

    try:
        hold = Hold(os.open(gen / READERS, os.O_RDONLY))
    except FileNotFoundError:  # from before reader locks, or a build that did not get far
        yield gen.is_dir()
        return
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(hold.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        hold.close()


def _remove_generation(gen: Path) -> bool:
    """Remove a generation no reader holds (True), or leave one that is read for a later ingest (False).
    It is moved aside while locked, so that a reader arriving late finds it gone, not half removed."""
    aside = gen.with_name(f".{gen.name}.removed.{os.getpid()}")
    with unread(gen) as alone:
        if not alone:
            return False
        try:
            os.rename(gen, aside)
        except OSError:
            return False
    shutil.rmtree(aside, ignore_errors=True)
    return True


def commit_quietly(writer, gen: Path, added: list = ()) -> None:
    """Commit a whoosh writer, removing the files of earlier commits (whoosh's clean-up) only while no
    reader holds the generation: a search that began on an earlier commit reads it to the end, and what
    it kept is removed by a later commit's clean-up.  ``added``: segments written beside the writer
    (``segment_writer``), named in the commit after the index's own."""
    from whoosh.index import TOC, clean_files
    from whoosh.writing import MERGE_SMALL

    def commit_toc(segments):  # whoosh's own _commit_toc, its clean-up held to no readers
        TOC(writer.schema, segments, writer.generation).write(writer.storage, writer.indexname)
        with unread(gen) as alone:
            if alone:
                clean_files(writer.storage, writer.indexname, writer.generation, segments)

    writer._commit_toc = commit_toc
    writer.commit(mergetype=lambda w, segments: MERGE_SMALL(w, segments) + list(added))


def open_index(index_dir: str | os.PathLike):
    """(the live whoosh index open for reading, the hold on its generation), or a one-line error that
    says what to do."""
    index_dir = Path(index_dir)
    gen, hold = hold_generation(index_dir)
    try:
        return _open_generation(index_dir, gen), hold
    except BaseException:
        if hold is not None:
            hold.close()
        raise


def _open_generation(index_dir: Path, gen: Path | None):
    if gen is None:
        if (index_dir / CURRENT).exists():
            raise IndexDamagedError(
                f"the index at {index_dir} is damaged ({index_dir / CURRENT} names no generation folder): "
                f"run 'trygg-search ingest --rebuild'")
        raise IndexMissingError(f"no index at {index_dir}: run 'trygg-search ingest' first")
    meta_path = gen / META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        version = meta["schema_version"]
    except FileNotFoundError:
        raise IndexDamagedError(f"the index at {index_dir} is damaged ({meta_path} is missing): "
                                f"run 'trygg-search ingest --rebuild'") from None
    except PermissionError:
        raise IndexDamagedError(f"cannot read {meta_path} (permission denied)") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise IndexDamagedError(f"the index at {index_dir} is damaged ({meta_path} cannot be read): "
                                f"run 'trygg-search ingest --rebuild'") from None
    if type(version) is not int:
        raise IndexDamagedError(f"the index at {index_dir} is damaged ({meta_path} holds no schema version "
                                f"number): run 'trygg-search ingest --rebuild'")
    if version != SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"the index at {index_dir} was built with schema version {version}, "
            f"this trygg-search uses {SCHEMA_VERSION}: re-run 'trygg-search ingest'"
        )
    from ...lexicon import changed_data

    changed = changed_data(meta.get("analysis"))
    if changed:
        raise SchemaMismatchError(f"the index at {index_dir} was built with other analysis data ({changed}): "
                                  f"re-run 'trygg-search ingest', which builds it anew")
    damage = check_files(gen)
    if damage:
        raise IndexDamagedError(f"the index at {index_dir} is damaged ({damage}): run 'trygg-search ingest --rebuild'")
    from whoosh import index as windex

    try:
        return windex.open_dir(str(gen))
    except Exception as exc:  # an unpicklable schema or a damaged table of contents
        raise IndexDamagedError(
            f"the index at {index_dir} cannot be opened ({type(exc).__name__}: {exc}): "
            f"run 'trygg-search ingest --rebuild'"
        ) from None


def latest_commit(gen: Path) -> int | None:
    """The number of whoosh's newest table of contents in a generation folder (its live commit)."""
    numbers = [int(m.group(1)) for p in gen.glob("_MAIN_*.toc") if (m := re.fullmatch(r"_MAIN_(\d+)\.toc", p.name))]
    return max(numbers, default=None)


DERIVED = ("vocabulary.", "totals.")  # counted again by the next ingest when missing: not damage


def write_manifest(gen: Path, commit: int) -> None:
    """Record the size of every file of a commit (``files.N.json``), so that a truncated or deleted one is
    named: its table of contents, its segments' files and its catalog (not what earlier commits left for
    the readers still on them, which a later clean-up removes)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    toc = TOC.read(FileStorage(str(gen)), "MAIN", commit)
    own = {f"_MAIN_{commit}.toc", f"catalog.{commit}.json"}
    segments = tuple(f"{s.segment_id()}." for s in toc.segments)
    sizes = {p.name: p.stat().st_size for p in sorted(gen.iterdir())
             if p.is_file() and (p.name in own or p.name.startswith(segments))}
    write_json_atomic(gen / f"files.{commit}.json", sizes)
    for old in gen.glob("files.*.json"):
        number = old.name.split(".")[1]
        if number.isdigit() and int(number) < commit:
            old.unlink(missing_ok=True)


def check_files(gen: Path) -> str | None:
    """What is wrong with the live commit's files, by its manifest (None: all there and whole, or no manifest:
    an ingest stopped between whoosh's commit and the manifest)."""
    commit = latest_commit(gen)
    try:
        sizes = json.loads((gen / f"files.{commit}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for name, size in sizes.items():
        try:
            actual = (gen / name).stat().st_size
        except FileNotFoundError:
            return f"{gen / name} is missing"
        except OSError as exc:
            return f"{gen / name} cannot be read ({exc.strerror})"
        if actual != size:
            return f"{gen / name} has {actual:,} bytes where {size:,} were written"
    return None


def ingest_lock(index_dir: Path, wait: float):
    """Hold the ingest lock; wait up to ``wait`` seconds for another ingest, then give up."""
    return held(index_dir, LOCK, wait, f"another ingest is writing {index_dir}; try again when it is done (or pass "
                                        f"--wait SECONDS)")


@contextlib.contextmanager
def held(index_dir: Path, name: str, wait: float, busy: str):
    """Hold the lock file ``name`` of the index folder (flock); wait up to ``wait`` seconds for another
    process that holds it, then give up with IngestLockedError(``busy``)."""
    import fcntl

    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / name, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestLockedError(busy) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing releases the flock, as a killed process's exit does


def read_vocabulary(folder: Path, commit: int) -> dict[str, int] | None:
    """Surface word -> number of live §§ it occurs in, for did-you-mean and the å/ä/ö fallback;
    None when the commit has no vocabulary file."""
    vocabulary: dict[str, int] = {}
    try:
        with open(vocabulary_file(folder, commit), encoding="utf-8") as f:
            for line in f:
                word, _, count = line.rstrip("\n").partition("\t")
                vocabulary[word] = int(count or 0)
    except (OSError, ValueError):
        return None
    return vocabulary


def write_vocabulary(folder: Path, commit: int, vocabulary: dict[str, int]) -> None:
    path = vocabulary_file(folder, commit)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(f"{w}\t{n}\n" for w, n in sorted(vocabulary.items()) if n > 0)
    os.replace(tmp, path)


def codec():
    """The codec a new segment is written with (see :mod:`.codec`)."""
    from .codec import SplitCodec

    return SplitCodec()


def remove_stale_generations(index_dir: Path, keep: Path | None) -> None:
    """Delete generation folders other than the live one (left by killed or replaced builds) that no
    reader holds, and what a killed removal left aside."""
    if not index_dir.is_dir():
        return
    for p in index_dir.glob("g*"):
        if p.is_dir() and p.name[1:].isdigit() and (keep is None or p.name != keep.name):
            _remove_generation(p)
    for p in index_dir.glob(".g*.removed.*"):
        shutil.rmtree(p, ignore_errors=True)

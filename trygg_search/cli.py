"""The command line: a thin click layer over the library.

Exit codes, as grep and ripgrep: 0 found, 1 nothing found, 2 error.
Every library error becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import os
import sys

import click

from .errors import CaseNumberError, TryggError

EXIT_FOUND, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> None:
    """One line on stderr naming the problem (any password in it masked)."""
    from .printers import visible
    from .redact import scrubbed

    click.echo(f"trygg-search: {visible(scrubbed(message))}", err=True)


def reports_errors(fn):
    """Turn library errors into one line and exit code 2; Ctrl-C into exit 130 without a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TryggError as exc:
            fail(str(exc))
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            fail("interrupted")
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors and help: the group prints them
        except OSError as exc:  # the operating system said no where nothing else caught it
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{(exc.strerror or str(exc)).lower()}")
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # a bug: one line that says so, the traceback only when asked for
            fail(bug_line(exc))
            if debugging():
                import traceback

                traceback.print_exc()
            sys.exit(EXIT_ERROR)

    return wrapper


_only_read = [False]  # set by a command that only reads the index and prints (see run)


def only_reads(fn):
    """A command that only reads and prints: once it has returned, :func:`run` may end the process
    without the interpreter's teardown."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _only_read[0] = True
        return fn(*args, **kwargs)

    return wrapper


def run(prog_name: str | None = None) -> None:
    """The program (``trygg-search``, ``python -m trygg_search``): the command group, then the exit.

    After a command that only reads (search, case, show, stats) the process ends with ``os._exit``
    once its output is flushed: tearing down the interpreter (every module and object freed one by
    one) is about 15 ms of a 170 ms search, and such a command leaves nothing for it to do: no
    files to finish, no workers, no exit handlers of its own.  In-process callers (tests, scripts
    calling ``main``) keep the usual exit: this is only the installed command's entry point.
    """
    try:
        main(prog_name=prog_name)
    except SystemExit as exc:
        if not _only_read[0] or not (exc.code is None or isinstance(exc.code, int)):
            raise
        code = exc.code or 0
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (ValueError, OSError):  # closed, or its reader went away: the code stands (printers)
                pass
        os._exit(code)


DEBUG_ENV = "TRYGG_SEARCH_DEBUG"
_debug = [False]  # set by each run of the command group from --debug (or TRYGG_SEARCH_DEBUG=1)


def debugging() -> bool:
    """Whether --debug (or TRYGG_SEARCH_DEBUG=1) asks for the traceback of a bug."""
    return _debug[0]


def bug_line(exc: BaseException) -> str:
    """The line an unexpected error gets: it is a bug, where it happened, and how to see the details."""
    from .errors import file_of

    where = f" while reading {file_of(exc)}" if file_of(exc) else ""
    message = " ".join(str(exc).split())[:300]
    hint = "" if debugging() else f"; run again with --debug ({DEBUG_ENV}=1) to see the traceback"
    return (f"a bug in trygg-search{where}: {type(exc).__name__}" + (f": {message}" if message else "")
            + f"{hint}, and please report it")


class _Main(click.Group):
    """The command group: click's usage errors become one ``trygg-search:`` line and exit 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            message = exc.format_message().rstrip(".")
            message = message[:1].lower() + message[1:]
            where = exc.ctx.command_path if exc.ctx else "trygg-search"
            fail(f"{message} (see '{where} --help')")
            sys.exit(EXIT_ERROR)
        except click.ClickException as exc:
            fail(exc.format_message())
            sys.exit(EXIT_ERROR)
        except click.Abort:
            fail("interrupted")
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


def _set_index(ctx: click.Context, _param, value):
    if value is not None:
        ctx.ensure_object(dict)["index"] = value


def index_option(fn):
    """``--index`` after the command name too: ``trygg-search search --index DIR ...``."""
    return click.option(
        "--index", type=click.Path(file_okay=False), default=None, expose_value=False, metavar="DIR|NAME",
        callback=_set_index, help="Index folder or cluster index name (the same as before the command name).",
    )(fn)


def _set_color(ctx: click.Context, _param, value):
    if value is not None:
        from . import printers

        printers.COLOR[0] = value


COLOR_HELP = "When to colour the output: auto (on a terminal, unless NO_COLOR is set), always or never."


def color_option(fn, default=None):
    """``--color`` before or after the command name, as ripgrep has it."""
    return click.option("--color", type=click.Choice(["auto", "always", "never"]), default=default,
                        expose_value=False, callback=_set_color, help=COLOR_HELP)(fn)


DEFAULT_URL = "http://127.0.0.1:9200"  # OpenSearch's own default, and scripts/opensearch-dev's


def _index_dir(ctx: click.Context) -> str:
    """The index location: a folder (whoosh), or ``URL[,URL...]#NAME`` on a cluster (opensearch)."""
    obj = ctx.obj
    backend = obj.get("backend") or ("opensearch" if obj.get("url") else "whoosh")
    if backend == "whoosh":
        if obj.get("url") and obj.get("backend"):
            raise click.UsageError("--url is for --backend opensearch (the whoosh index is a folder: --index)")
        return obj.get("index") or "index"
    urls = [u.strip() for u in (obj.get("url") or DEFAULT_URL).split(",")]
    for url in urls:
        if not url.startswith(("http://", "https://")):
            from .redact import redacted

            raise click.UsageError(f"--url: not an OpenSearch URL: {redacted(url)!r} (expected http(s)://host:port)")
    name = obj.get("index") or "trygg-search"
    if "/" in name or name.startswith("."):
        from .redact import redacted

        raise click.UsageError(f"--index {redacted(name)!r}: with --backend opensearch, --index is an index name "
                               f"on the cluster, not a folder")
    return f"{','.join(urls)}#{name}"


def _prepare() -> None:
    """Expand the Swedish dictionaries now if this is the first run, with a word first (see lexicon.prepare)."""
    from .lexicon import prepare

    prepare(lambda message: click.echo(f"note: {message}", err=True))


def _open(ctx: click.Context):
    from .backends import open_index

    return open_index(_index_dir(ctx))


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--index",
    "index",
    envvar="TRYGG_SEARCH_INDEX",
    default=None,
    metavar="DIR|NAME",
    type=click.Path(file_okay=False),
    help="Index folder (whoosh; default ./index), or the index name on the cluster (opensearch; default "
         "trygg-search) (environment: TRYGG_SEARCH_INDEX).",
)
@click.option(
    "--backend",
    type=click.Choice(["whoosh", "opensearch"]),
    envvar="TRYGG_SEARCH_BACKEND",
    default=None,
    help="Index engine: whoosh, embedded in a folder (the default), or opensearch, a cluster at --url "
         "(environment: TRYGG_SEARCH_BACKEND).",
)
@click.option(
    "--url",
    envvar="TRYGG_SEARCH_URL",
    default=None,
    metavar="URL",
    help="OpenSearch node address(es), comma-separated (default http://127.0.0.1:9200, where "
         "scripts/opensearch-dev starts one); implies --backend opensearch.  Credentials in the URL or in TRYGG_SEARCH_USER and TRYGG_SEARCH_PASSWORD, or "
         "TRYGG_SEARCH_API_KEY (environment: TRYGG_SEARCH_URL).",
)
@functools.partial(color_option, default="auto")
@click.option("--debug", is_flag=True, envvar=DEBUG_ENV,
              help=f"Print the traceback of an unexpected error (a bug), to report it (environment: {DEBUG_ENV}=1).")
@click.version_option(package_name="trygg-search")
@click.pass_context
def main(ctx: click.Context, index: str | None, backend: str | None, url: str | None, debug: bool) -> None:
    """Full-text search over Swedish municipal meeting protocols.

    Index the protocols once with `ingest`, then find §§ with `search`, follow a
    case with `case`, read a § with `show`.  Exit codes: 0 found, 1 nothing
    found, 2 error.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(index=index, backend=backend, url=url)
    _debug[0] = debug


@main.command()
@color_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@reports_errors
def parse(file: str, as_json: bool) -> None:
    """Parse one protocol FILE and show what was found in it.

    Prints the meeting header, the attendance and one line per §; with --json
    the whole record: source, kind (protocol, notice, other), committee, date,
    date_source, time, place, chair, secretary, adjusters, attendance (name,
    party, role, title, the §§ attended, whom a substitute replaced), missing
    (what was not found) and paragraphs (number, title, case numbers,
    officers, participants, sections, text).  Exit 0 when §§ or sections were
    found, 1 when none were, 2 when the file cannot be read.
    """
    from .protocol import parse_meeting
    from .printers import emit_json, print_meeting
    from .sources import read_source

    from .errors import working_on

    _prepare()
    with working_on(file):
        src = read_source(file)
        meeting = parse_meeting(src.text, file)
    for problem in src.problems:
        fail(problem)
    if as_json:
        emit_json(meeting.to_dict())
    else:
        print_meeting(meeting)
    sys.exit(EXIT_ERROR if src.problems else EXIT_FOUND if meeting.paragraphs else EXIT_NOTHING)


@main.command()
@color_option
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--rebuild", is_flag=True, help="Build the index anew instead of updating it.")
@click.option("--wait", default=10.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait for another ingest to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--progress", "progress_lines", is_flag=True,
              help="Report progress on stderr as JSON Lines (files done, §§ of a large file).")
@click.option("-L", "--follow", is_flag=True,
              help="Follow links in a folder to files and folders outside it (not followed without; each is "
                   "named in --json).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes that read, parse and write runs of files (whoosh: segments of their own; "
                   "OpenSearch: bulk requests), which the ingest then commits (default: the machine's cores; "
                   "1 does it all in this process).")
@index_option
@click.pass_context
@reports_errors
def ingest(ctx: click.Context, paths: tuple[str, ...], rebuild: bool, wait: float, as_json: bool,
           progress_lines: bool, follow: bool, jobs: int | None) -> None:
    """Parse and index PATHS (files and folders; default ./corpus).

    Incremental: only new or changed files are indexed again, and the §§ of
    files that are gone are dropped.  A failed or killed ingest leaves the
    previous index whole.  Files that cannot be read or hold no paragraphs are
    reported by name and skipped; the exit code is then 2.  Progress shows
    on a terminal, or as JSON Lines on stderr with --progress.
    """
    from .ingest import ingest as run_ingest
    from .printers import emit_json, print_ingest, visible

    index_dir = _index_dir(ctx)
    _prepare()
    if progress_lines:
        bar = _ProgressLines()
    else:
        bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        report = run_ingest(list(paths) or ["corpus"], index_dir, wait=wait, rebuild=rebuild,
                            progress=bar.update if bar else None, follow=follow, jobs=jobs)
    finally:
        if bar:
            bar.close()
    for path, reason in report.skipped:
        fail(f"{path}: {reason}")
    if as_json:
        emit_json(report.to_dict())
    else:
        for note in report.notes:
            click.echo(f"note: {visible(note)}", err=True)
        print_ingest(report)
    sys.exit(EXIT_ERROR if report.skipped else EXIT_FOUND if report.made else EXIT_NOTHING)


class _ProgressBar:
    """A rich progress bar on stderr, driven by the ingest's callback: files, and §§ of a large file."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.description}"), transient=True, console=Console(stderr=True),
        )
        self.task = None

    def update(self, event: str, n: int, path: str | None = None) -> None:
        if event == "total":
            self.progress.start()
            self.task = self.progress.add_task("", total=n)
        elif self.task is None:
            return
        elif event in ("paragraphs", "pages"):
            from .printers import visible

            what = "§§" if event == "paragraphs" else "pages"
            self.progress.update(self.task, description=f"{n:,} {what} of {visible(path)}")
        else:
            self.progress.update(self.task, advance=n, description="")

    def close(self) -> None:
        self.progress.stop()


class _ProgressLines:
    """Progress as JSON Lines on stderr: {"files_done", "files_total"}, {"path", "pages"} (a long PDF
    read) and {"path", "paragraphs"} (a large file indexed)."""

    def __init__(self):
        self.done = self.total = 0

    def update(self, event: str, n: int, path: str | None = None) -> None:
        import json

        if event == "total":
            self.total = n
            line = {"files_done": 0, "files_total": n}
        elif event in ("paragraphs", "pages"):
            line = {"path": path, event: n}
        else:
            self.done += n
            line = {"files_done": self.done, "files_total": self.total, "path": path}
        click.echo(json.dumps(line, ensure_ascii=False), err=True)

    def close(self) -> None:
        pass


def filter_options(fn):
    """The options that narrow which §§ count, one per row of the filter table (repeatable: all must hold)."""
    from .filters import FILTERS

    for spec in reversed(FILTERS):
        if spec.flag:
            fn = click.option(spec.option, spec.name, is_flag=True, default=False, help=spec.help)(fn)
        else:
            fn = click.option(spec.option, spec.name, metavar=spec.metavar, multiple=True,
                              help=spec.help)(fn)
    return fn


# Unknown options pass through as query words, so that "-word" excludes a word;
# no short options here, or "-narkotika" would read as "-n arkotika".
@main.command(context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@color_option
@click.argument("query", nargs=-1, required=False)
@filter_options
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1), help="Hits to show (also -n N).")
@click.option("--explain", is_flag=True,
              help="Show how the query was analyzed and expanded and what made the top hits score.")
@click.option("--json", "as_json", is_flag=True, help="Print {query, total, hits} as JSON.")
@index_option
@click.pass_context
@only_reads
@reports_errors
def search(ctx, query, limit, explain, as_json, **filter_values):
    """Find §§ matching QUERY, best first, with highlighted snippets.

    Without a QUERY (or with '*'), lists the §§ the filters allow, newest
    first: search --committee socialnämnden --from 2024.  A person is found by
    name, in the text and among the people of a § (who took part, chaired,
    kept the minutes, adjusted them, or handled the case): search "Leif
    Persson".

    \b
    Query syntax:
      narkotika handel      all words must match (any inflection)
      "våld i nära relation" a phrase
      GVI OR EST            either word (operators in capitals: AND OR NOT)
      narkotika NOT team    exclude a word; -team does the same
      (polis OR kommun) NOT "öppen handel"
      brotts*  bo?ättning   prefix, wildcard
      narkotika^2 polis     weigh a word more
      title:narkotika       in the title only (also text:, and people:
                            for the names of those who took part)
      Ks 930/2023           a case number: every spelling of that case
      committee:trygghet participant:"Kemal Hoso" case:"Ks 930/2023"
      date:2023 from:2023-06 to:2024 kind:notice officer:Sollerman
      reserved:SD proposed:"Karin Pleijel" voted:yes outcome:återremiss
                            filters, as the options below; in the query
                            they combine like words: NOT kind:notice,
                            (date:2018 OR polis)
    Filter options may be repeated; every filter given, as an option or in
    the query, must hold.
    """
    from .filters import make_filters
    from .printers import emit_json, print_explanation, print_hits
    from .search import search as run_search

    if query == ("-h",):  # -h is help here too; other "-word"s exclude a word
        click.echo(ctx.get_help())
        sys.exit(EXIT_FOUND)
    query, limit = _short_limit(query, limit)
    unknown = [w for w in query if w.startswith("--") and len(w) > 2]
    if unknown:  # "-word" excludes a word; "--word" is a mistyped option
        raise click.UsageError(f"no such option: {unknown[0].split('=')[0]}")
    filters = make_filters(**filter_values)
    text = " ".join(query)
    if not text.strip() and filters.is_empty():
        raise click.UsageError("give a query, or a filter to list §§ by (search --committee socialnämnden)")
    ix = _open(ctx)
    _prepare()
    result = run_search(ix, text, filters, limit=limit, explain=explain)
    if as_json:
        emit_json(result.to_dict())
    else:
        print_hits(result)
        if explain:
            print_explanation(result.explanation)
    sys.exit(EXIT_FOUND if result.total else EXIT_NOTHING)


def _short_limit(query: tuple[str, ...], limit: int) -> tuple[tuple[str, ...], int]:
    """``-n 3`` or ``-n3`` among the query's words is the limit (click cannot take it as an option here:
    ``-narkotika`` would read as ``-n arkotika``, where it excludes a word)."""
    words = list(query)
    for i, word in enumerate(words):
        number = words[i + 1] if word == "-n" and i + 1 < len(words) else word[2:] if word.startswith("-n") else ""
        if number.isdigit() and (word == "-n" or word[2:] == number):
            if int(number) < 1:
                raise click.UsageError(f"-n {number}: the limit is a number of hits, 1 or more")
            del words[i:i + (2 if word == "-n" else 1)]
            return tuple(words), int(number)
    return query, limit


def _ready(stream) -> bool:
    """More input is there to be read without waiting (a file, or a pipe its writer has filled)."""
    import select

    try:
        return bool(select.select([stream], [], [], 0)[0])
    except (OSError, ValueError, TypeError):  # no select on this stream (a pipe on Windows): one at a time
        return False


def _stdin_batches():
    """The non-blank stdin lines, normalised as queries are, in batches: the lines that are there now
    (up to lookup.BATCH), so that a script that writes a line and waits for its answer gets it at once."""
    from .lookup import BATCH  # lines answered together at most (what stdin holds at the moment, up to this)
    from .textnorm import normalize_text

    stream = getattr(sys.stdin, "buffer", None) or sys.stdin
    batch: list[str] = []
    for number, raw in enumerate(stream, 1):
        if isinstance(raw, bytes):  # any bytes: a line that is not UTF-8 is read with U+FFFD, as ids are made
            raw = raw.decode("utf-8", "replace")
        line = normalize_text(raw.lstrip("\ufeff") if number == 1 else raw).rstrip("\r\n")
        if line.strip():
            batch.append(line)
        if batch and (len(batch) >= BATCH or not _ready(stream)):
            yield batch
            batch = []
    if batch:
        yield batch


def _batch(lookup, many=None) -> int:
    """The batch contract of ``case -`` and ``show -``: stdin lines in, one JSON object per line out.

    In input order; each object has ``input`` and ``found``, and ``error`` for
    a line that could not be read; blank lines are skipped and line ends
    (CRLF too) stripped.  Returns the exit code: 0 when every line was found,
    1 when any was not, 2 when any line was an error.  ``many`` answers the
    lines at hand together (a record, None, or the TryggError of each): few
    index reads, one request to a cluster.
    """
    from .printers import emit_json

    def one(line: str):
        try:
            return lookup(line)
        except TryggError as exc:
            return exc

    missing = errors = False
    seen = 0
    for lines in _stdin_batches():
        seen += len(lines)
        if many is not None and len(lines) > 1:
            try:
                records = many(lines)
            except TryggError as exc:
                records = [exc] * len(lines)
        else:
            records = [one(line) for line in lines]
        for line, record in zip(lines, records):
            if isinstance(record, TryggError):
                emit_json({"input": line, "found": False, "error": str(record)}, lines=True)
                errors = True
            elif record is None:
                missing = True
                emit_json({"input": line, "found": False}, lines=True)
            else:
                emit_json({"input": line, "found": True, **record}, lines=True)
    if errors:
        return EXIT_ERROR
    return EXIT_NOTHING if missing or not seen else EXIT_FOUND


@main.command()
@color_option
@click.argument("words", metavar="NUMBER", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print {case_number, hits, mentioned_in} as JSON.")
@index_option
@click.pass_context
@only_reads
@reports_errors
def case(ctx, words: tuple[str, ...], as_json: bool) -> None:
    """Every § filed under case NUMBER, oldest first, then the §§ that mention it.

    NUMBER in any spelling: 'Ks 1113/2021', 'KS 1113/2021', '1113/2021' (any
    prefix), 'Dnr Ks 01113/2021', 'SLK-2023-00364', 'KS 2017/484',
    'KSKF/2014:1', 'Dnr 2011/KS 0193 10'.  Text that is not a case number is
    searched as text, with a note.  Exit 0 found, 1 nothing found.

    With NUMBER '-', reads one case number a line from stdin and prints one
    JSON object a line, in order: {"input", "found": true, ...} or {"input",
    "found": false} (and "error" for a line that is not a case number).  Exit
    0 when every line was found, 1 when any was not, 2 when any was an error.
    """
    from .lookup import case_histories, case_history
    from .printers import emit_json, print_case

    number = " ".join(words)  # "Ks 1113/2021" typed without quotes is two words
    ix = _open(ctx)
    _prepare()
    if number == "-":

        def found(result):
            return result if isinstance(result, TryggError) or result["hits"] or result["mentioned_in"] else None

        sys.exit(_batch(lambda line: found(case_history(ix, line)),
                        lambda lines: [found(r) for r in case_histories(ix, lines)]))
    try:
        result = case_history(ix, number)
    except CaseNumberError as exc:  # searched as text instead, with a note
        from .filters import Filters
        from .printers import print_hits, visible
        from .search import search as run_search

        note = f"{exc.args[0].split(' (expected')[0]}: searched as text"
        found = run_search(ix, number, Filters(), limit=20)
        if as_json:
            emit_json({"case_number": number, "key": None, "hits": [h.to_dict() for h in found.hits],
                       "mentioned_in": [], "total": found.total, "notes": [note] + found.notes})
        else:
            click.echo(f"note: {visible(note)}", err=True)
            print_hits(found)
        sys.exit(EXIT_FOUND if found.total else EXIT_NOTHING)
    if as_json:
        emit_json(result)
    elif result["hits"] or result["mentioned_in"]:
        print_case(result)
    else:
        fail(f"no § filed under or mentioning case {number!r}")
    sys.exit(EXIT_FOUND if result["hits"] or result["mentioned_in"] else EXIT_NOTHING)


@main.command()
@color_option
@click.argument("paragraph_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the whole § as JSON.")
@index_option
@click.pass_context
@only_reads
@reports_errors
def show(ctx, paragraph_id: str, as_json: bool) -> None:
    """Show the whole § with id ID (from search or case output).

    The meeting's header, the sections and who was present.  Exit 0 found,
    1 no such §.

    With ID '-', reads one id a line from stdin and prints one JSON object a
    line, in order: {"input", "found": true, ...the §...} or {"input",
    "found": false}.  Exit 0 when every id was found, 1 when any was not.
    """
    from .lookup import paragraph_record, paragraph_records
    from .printers import emit_json, print_paragraph

    ix = _open(ctx)
    if paragraph_id == "-":
        sys.exit(_batch(lambda line: paragraph_record(ix, line), lambda lines: paragraph_records(ix, lines)))
    record = paragraph_record(ix, paragraph_id)
    if record is None:
        from .lookup import example_id

        example = example_id(ix)
        fail(f"no § with id {paragraph_id!r} in the index" + (
            f" (ids are shown by search and case, such as {example!r})" if example else " (it holds no §§)"))
        sys.exit(EXIT_NOTHING)
    if as_json:
        emit_json(record)
    else:
        print_paragraph(record)
    sys.exit(EXIT_FOUND)


@main.command()
@color_option
@click.argument("name", nargs=-1, required=True)
@click.option("--committee", "committee", metavar="TEXT", multiple=True, help="Only meetings of a committee whose "
              "name holds TEXT.")
@click.option("--from", "date_from", metavar="DATE", multiple=True, help="Only meetings on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", multiple=True, help="Only meetings on or before DATE.")
@click.option("--json", "as_json", is_flag=True, help="Print {name, people[...]} as JSON.")
@index_option
@click.pass_context
@reports_errors
def person(ctx, name: tuple[str, ...], committee, date_from, date_to, as_json: bool) -> None:
    """One person across the index: the meetings and §§ where a § names them.

    NAME in whole words: 'Karin Jansson', or 'Jansson' for everyone of that
    name.  For each person: the meetings (date, committee, party, role:
    ledamot, ersättare, chair, secretary, adjuster, case officer), the §§
    present at each, the §§ they took no part in for a conflict of interest
    (jäv), and their parties over time.  Exit 0 found, 1 nobody of that name.
    """
    from .filters import make_filters
    from .lookup import person_record
    from .printers import emit_json, print_person

    filters = make_filters(committee=committee, date_from=date_from, date_to=date_to)
    wanted = " ".join(" ".join(name).split())
    if not any(ch.isalpha() for ch in wanted):
        raise click.UsageError(f"{wanted!r} is no name (give a name in whole words: 'Karin Jansson')")
    ix = _open(ctx)
    _prepare()
    result = person_record(ix, wanted, filters)
    if as_json:
        emit_json(result)
    elif result["people"]:
        print_person(result)
    else:
        fail(f"nobody named {wanted!r} in the index (a § names people present, chairing, keeping the minutes, "
             f"adjusting them or handling the case)")
    sys.exit(EXIT_FOUND if result["people"] else EXIT_NOTHING)


@main.group(cls=click.Group, context_settings={"help_option_names": ["-h", "--help"]})
def watch() -> None:
    """Saved searches that report what is new after each ingest.

    \b
      trygg-search watch add narkotika narkotikahandel --committee socialnämnden
      trygg-search watch add gvi-case --case "KS 2023/930"
      trygg-search watch add jansson --participant "Karin Jansson"
      trygg-search ingest ~/protokoll/ && trygg-search watch run
      trygg-search watch run --json --atom feeds/
      trygg-search watch list; trygg-search watch remove narkotika

    A saved search is kept with the index, so every script and cron job that
    uses the index shares it.  'watch run' prints, for each saved search, the
    §§ that match now and did not at its last run (new: from protocols
    ingested since, whatever their meeting's date) and those whose text
    changed; it records the run only after its output is written.  Exit 0
    when anything is new, 1 when nothing is, 2 on an error: watch run && mail.
    """


def _watch_backend(ctx: click.Context):
    from .backends import backend_at

    return backend_at(_index_dir(ctx))


@watch.command("add")
@color_option
@click.argument("name")
@click.argument("query", nargs=-1)
@filter_options
@click.option("--replace", is_flag=True, help="Replace a saved search of that name.")
@click.option("--json", "as_json", is_flag=True, help="Print the saved search as JSON.")
@index_option
@click.pass_context
@reports_errors
def watch_add(ctx, name: str, query: tuple[str, ...], replace: bool, as_json: bool, **filter_values) -> None:
    """Save a search as NAME: QUERY and filters, as 'search' takes them.

    What it matches now is where it starts: its first run reports what is
    new after this.  Without a QUERY it watches the §§ the filters allow.
    """
    from .printers import emit_json
    from .watch import Session, describe

    backend = _watch_backend(ctx.find_root())
    ix = backend.open() if backend.exists() else None
    if ix is not None:
        _prepare()
    with Session(backend) as session:
        saved = session.add(name, " ".join(query), filter_values, replace, ix)
    if as_json:
        emit_json({"watch": name, "query": saved["query"], "filters": saved["filters"], "created": saved["created"],
                   "matching": len(saved["seen"])})
    else:
        click.echo(f"saved {name!r}: {describe(saved)} ({len(saved['seen']):,} §§ match now; 'watch run' reports "
                   f"what is new after this)")
    sys.exit(EXIT_FOUND)


@watch.command("list")
@color_option
@click.option("--json", "as_json", is_flag=True, help="Print the saved searches as JSON.")
@index_option
@click.pass_context
@reports_errors
def watch_list(ctx, as_json: bool) -> None:
    """The saved searches, with their queries, filters and last runs.  Exit 1 when there are none."""
    from .printers import emit_json
    from .watch import describe

    watches = _watch_backend(ctx.find_root()).read_watches()
    if as_json:
        emit_json([{"watch": n, "query": w["query"], "filters": w["filters"], "created": w.get("created"),
                    "last_run": w.get("last_run")} for n, w in sorted(watches.items())])
    else:
        for n, w in sorted(watches.items()):
            click.echo(f"{n}: {describe(w)}  (last run: {w.get('last_run') or 'never'})")
    sys.exit(EXIT_FOUND if watches else EXIT_NOTHING)


@watch.command("remove")
@color_option
@click.argument("name")
@index_option
@click.pass_context
@reports_errors
def watch_remove(ctx, name: str) -> None:
    """Remove the saved search NAME."""
    from .watch import Session

    with Session(_watch_backend(ctx.find_root())) as session:
        session.remove(name)
    click.echo(f"removed {name!r}")
    sys.exit(EXIT_FOUND)


@watch.command("run")
@color_option
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON object a saved search, a line each: {watch, query, filters, since, total, new[], "
                   "changed[]}.")
@click.option("--atom", "atom_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Also write each saved search's Atom feed to DIR/NAME.atom.")
@click.option("--dry-run", is_flag=True, help="Show what is new without recording the run.")
@click.option("--wait", default=10.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait for another watch command to finish.")
@index_option
@click.pass_context
@reports_errors
def watch_run(ctx, names: tuple[str, ...], as_json: bool, atom_dir: str | None, dry_run: bool, wait: float) -> None:
    """Report, for each saved search (or those NAMES), what is new since its last run.

    New: §§ that match now and did not at the last run, or did not exist
    (a protocol ingested since, whatever its meeting's date).  Changed: §§
    that matched then and say something else now.  The run is recorded
    after the output is written.  Exit 0 when anything is new or changed, 1
    when nothing is.
    """
    from pathlib import Path

    from .printers import READER_GONE, emit_json, print_watch, reader_gone
    from .watch import Session, atom

    backend = _watch_backend(ctx.find_root())
    ix = backend.open()
    _prepare()
    with Session(backend, wait) as session:
        reports = session.run(ix, names)
        for report in reports:
            if as_json:
                emit_json(report.to_dict(), lines=True)
            else:
                print_watch(report)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            reader_gone()
        if not dry_run and not READER_GONE[0]:  # what a reader did not take is reported again next time
            session.record(reports)
        if atom_dir:
            folder = Path(atom_dir)
            folder.mkdir(parents=True, exist_ok=True)
            for report in reports:
                (folder / f"{report.watch}.atom").write_text(atom(report.watch, session.watches[report.watch],
                                                                  backend.location), encoding="utf-8")
    sys.exit(EXIT_FOUND if any(r.new or r.changed for r in reports) else EXIT_NOTHING)


@watch.command("feed")
@click.argument("name")
@index_option
@click.pass_context
@reports_errors
def watch_feed(ctx, name: str) -> None:
    """Print the Atom feed of the saved search NAME: the §§ its runs reported, newest first."""
    from .errors import QueryError
    from .watch import atom

    backend = _watch_backend(ctx.find_root())
    watches = backend.read_watches()
    if name not in watches:
        raise QueryError(f"no saved search named {name!r} (watch list shows them)")
    click.echo(atom(name, watches[name], backend.location), nl=False)
    sys.exit(EXIT_FOUND if watches[name].get("feed") else EXIT_NOTHING)


@main.command()
@color_option
@click.argument("text", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the terms as JSON.")
@reports_errors
def analyze(text, as_json: bool) -> None:
    """Show the terms the Swedish analyzer makes for TEXT, as they are indexed.

    Each term with its character offsets into TEXT, its position and the rule
    that made it; a compound shows its split (lokal|polis|område) and its
    parts share its position.  A name (a capital inside a sentence, a word
    the dictionary does not know) is not split.  The same chain indexes, parses
    queries (without compound parts: a query word matches whole) and finds
    what to highlight.  Like Elasticsearch's _analyze.
    """
    from .analysis import analyze as run_analyze
    from .analysis import stem_rule
    from .compounds import split
    from .printers import emit_json, print_terms

    value = " ".join(text)
    _prepare()
    analyzed = run_analyze(value)
    terms = []
    for i, t in enumerate(analyzed):
        word = value[t.start:t.end]
        entry = {"term": t.term, "start": t.start, "end": t.end, "position": t.position,
                 "type": "part" if t.part else "word", "text": word}
        if t.part:
            entry["rule"] = "compound part (hunspell-sv)"
        elif i and analyzed[i - 1].position == t.position and not analyzed[i - 1].part:
            entry["type"] = "reading"  # "delar": the verb's term, then the noun's
            entry["rule"] = "also the noun's plural (lexicon)"
        else:
            entry["rule"] = stem_rule(word.lower())
            has_parts = any(u.part for u in analyzed[i + 1:i + 3] if u.position == t.position)
            if has_parts:
                entry["split"] = "|".join(word[a:b] for _, a, b in split(word.lower()))
        terms.append(entry)
    if as_json:
        emit_json({"text": value, "terms": terms})
    else:
        print_terms(terms)
    sys.exit(EXIT_FOUND if terms else EXIT_NOTHING)


@main.command()
@color_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.option("--by", "by", type=click.Choice(["party"]), help="Per party: the §§ where it proposed (yrkade) and "
              "where it reserved itself; the filter options narrow which §§ count.")
@filter_options
@index_option
@click.pass_context
@only_reads
@reports_errors
def stats(ctx, as_json: bool, by: str | None, **filter_values) -> None:
    """What the index holds: documents, paragraphs, committees, dates, cases, schema, analysis data,
    parser version, last ingest.

    With --by party: each party's proposals and reservations, counted in §§
    (stats --by party --committee kommunfullmäktige --from 2023).
    """
    from .filters import make_filters
    from .lookup import index_stats, party_counts
    from .printers import emit_json, print_parties, print_stats

    filters = make_filters(**filter_values)
    if not by and not filters.is_empty():
        raise click.UsageError("filters narrow the counts of --by party; the index statistics are over all of it")
    ix = _open(ctx)
    if by == "party":
        result = party_counts(ix, filters)
        emit_json(result) if as_json else print_parties(result)
        sys.exit(EXIT_FOUND if result["parties"] else EXIT_NOTHING)
    result = index_stats(ix)
    if as_json:
        emit_json(result)
    else:
        print_stats(result)
    sys.exit(EXIT_FOUND if result["paragraphs"] else EXIT_NOTHING)


if __name__ == "__main__":  # pragma: no cover
    main()

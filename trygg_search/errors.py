"""The exceptions trygg-search raises; the CLI turns each into one line and exit code 2.

    TryggError
    ├── SourceError          a file cannot be read or decoded as text
    ├── IndexMissingError    no index where one was expected
    ├── SchemaMismatchError  the index was built by another schema version
    ├── IndexDamagedError    a file of the index is missing, truncated or unreadable
    ├── IndexWriteError      the index cannot be written (permissions, a full disk)
    ├── IngestLockedError    another ingest holds the index
    ├── BackendError         the index engine cannot be reached, or refused a request
    ├── QueryError           a query or filter argument is malformed
    └── CaseNumberError      an argument is not a case number
"""


class TryggError(Exception):
    """Base class: every error the tool reports to the user as one line."""


class SourceError(TryggError):
    """A source file cannot be read, is not text, or holds nothing to index."""


class IndexMissingError(TryggError):
    """There is no index at the given location."""


class SchemaMismatchError(TryggError):
    """The index was built by a different schema version; re-run ingest."""


class IndexDamagedError(TryggError):
    """A file of the index is missing, truncated or cannot be read; ``ingest --rebuild`` mends it."""


class IndexWriteError(TryggError):
    """The index cannot be written: no permission, no space; the previous index is left as it was."""


class IngestLockedError(TryggError):
    """Another ingest is writing the index."""


class BackendError(TryggError):
    """The index engine (an OpenSearch cluster) cannot be reached, refused the credentials, or a request."""


class QueryError(TryggError):
    """A query, filter or date argument is malformed."""


class CaseNumberError(TryggError):
    """An argument does not look like a case number."""


# --- what the tool was working on, for the line an unexpected error (a bug) gets ---------------------


class working_on:
    """``with working_on(path):`` names the file being read on any exception that leaves the block, so
    that the line a bug gets can say where it happened (see :func:`file_of`)."""

    def __init__(self, path: str):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is not None and getattr(exc, "trygg_file", None) is None:
            try:
                exc.trygg_file = self.path
            except AttributeError:  # an exception that takes no attributes: it goes unnamed
                pass
        return False


def file_of(exc: BaseException) -> str | None:
    """The file being read when ``exc`` was raised, or None."""
    return getattr(exc, "trygg_file", None)

"""Where the cluster is, how to log in, and its failures as one line each.

A location is ``URL[,URL...]#INDEX``: one or more node addresses (the client
goes on to the next when one stops answering) and the index name; the CLI
builds it from ``--url`` and ``--index``.  Credentials come from the URL
(``https://user:password@host:9200``) or the environment
(``TRYGG_SEARCH_USER`` and ``TRYGG_SEARCH_PASSWORD``, or
``TRYGG_SEARCH_API_KEY``); ``TRYGG_SEARCH_CA_CERTS`` names a CA bundle for
https.  :func:`shown` is the location with every credential taken out: the
only form ever printed.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ...errors import BackendError
from ...redact import redacted

DEFAULT_INDEX = "trygg-search"


@dataclass(frozen=True)
class Location:
    urls: tuple[str, ...]  # as given, credentials included
    index: str

    @property
    def shown(self) -> str:
        return ",".join(_without_credentials(u) for u in self.urls) + f"#{self.index}"


def parse_location(location: str) -> Location:
    """``URL[,URL...]#INDEX`` (the index defaults to trygg-search) -> Location; BackendError when malformed."""
    urls_part, _, index = location.partition("#")
    index = index or DEFAULT_INDEX
    urls = tuple(u.strip() for u in urls_part.split(",") if u.strip())
    if not urls:
        raise BackendError("no OpenSearch URL given: use --url or TRYGG_SEARCH_URL")
    for u in urls:
        try:
            parts = urlsplit(u)
            parts.port  # noqa: B018 - raises for a port that is no number
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise BackendError(f"not an OpenSearch URL: {redacted(u)!r} (expected http(s)://host:port)")
    if index != index.lower() or not index or index[0] in "-_+." or any(c in index for c in ' \\/*?"<>|,#:'):
        raise BackendError(f"not a valid OpenSearch index name: {redacted(index)!r} (lower case, no spaces or "
                           f"\\/*?\"<>|,#:)")
    return Location(urls, index)


def shown(location: str) -> str:
    """The location for messages: credentials never printed."""
    urls_part, _, index = location.partition("#")
    return ",".join(_without_credentials(u.strip()) for u in urls_part.split(",")) + f"#{index or DEFAULT_INDEX}"


def _without_credentials(url: str) -> str:
    """A URL without its user name and password; one that cannot be read as a URL, masked."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number
    except ValueError:
        return redacted(url)
    if not parts.hostname or "@" in (parts.path + parts.query + parts.fragment):
        return redacted(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


TIMEOUT = 30.0  # seconds a request may take (TRYGG_SEARCH_TIMEOUT)


def request_timeout() -> float:
    """Seconds a request to the cluster may take: TRYGG_SEARCH_TIMEOUT, or TIMEOUT."""
    raw = os.environ.get("TRYGG_SEARCH_TIMEOUT")
    if not raw:
        return TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise BackendError(f"TRYGG_SEARCH_TIMEOUT={raw!r}: not a number of seconds above 0")
    return value


# How hard a request's body is gzipped (to a node on another machine: connect).  opensearch-py compresses
# at gzip's default, 9: a bulk request's JSON took about 280 µs a § to compress, a sixth of an ingest
# worker's time, where level 1 takes about 40 µs and sends a body about a third larger (still a quarter
# of the JSON).
COMPRESS_LEVEL = 1


@functools.lru_cache(maxsize=1)
def _connection_class():
    """opensearch-py's urllib3 connection, its request bodies gzipped at COMPRESS_LEVEL; the client's own
    where the method it compresses with is not there (another version)."""
    import gzip

    from opensearchpy import Urllib3HttpConnection

    if not callable(getattr(Urllib3HttpConnection, "_gzip_compress", None)):
        return Urllib3HttpConnection

    class Connection(Urllib3HttpConnection):
        def _gzip_compress(self, body) -> bytes:
            return gzip.compress(body, compresslevel=COMPRESS_LEVEL)

    return Connection


def _loopback(host: str) -> bool:
    """Whether a node's host name is this machine's loopback address (``localhost``, 127.0.0.1, ::1)."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(where: Location):
    """An opensearch-py client for the location's nodes (imported here only: the CLI starts faster without it)."""
    from opensearchpy import OpenSearch

    # The client logs every refused request (a 404 is an answer here) as a warning, and Python
    # prints a library's warnings on stderr when no handler is set: errors are ours to report.
    log = logging.getLogger("opensearch")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    hosts, auth = [], None
    for u in where.urls:
        parts = urlsplit(u)
        if parts.username:
            auth = (parts.username, parts.password or "")
        hosts.append({"host": parts.hostname, "port": parts.port or (443 if parts.scheme == "https" else 9200),
                      "scheme": parts.scheme, "url_prefix": parts.path.rstrip("/")})
    # Every request has a time limit (a frozen node or cluster ends a command with one line, not a hang);
    # one that runs out is tried once more, on the next node where there are several.
    # Bodies are gzipped on their way to a node on another machine, not to one on this machine (loopback),
    # where compressing only spends the CPU the node and the ingest share.
    options: dict = {"timeout": request_timeout(), "max_retries": 1, "retry_on_timeout": True,
                     "http_compress": not all(_loopback(h["host"]) for h in hosts),
                     "connection_class": _connection_class()}
    if auth is None and os.environ.get("TRYGG_SEARCH_USER"):
        auth = (os.environ["TRYGG_SEARCH_USER"], os.environ.get("TRYGG_SEARCH_PASSWORD", ""))
    if auth is not None:
        options["http_auth"] = auth
    if os.environ.get("TRYGG_SEARCH_API_KEY"):
        options["headers"] = {"Authorization": f"ApiKey {os.environ['TRYGG_SEARCH_API_KEY']}"}
    if any(h["scheme"] == "https" for h in hosts):
        options["use_ssl"] = True
        options["verify_certs"] = True
        if os.environ.get("TRYGG_SEARCH_CA_CERTS"):
            options["ca_certs"] = os.environ["TRYGG_SEARCH_CA_CERTS"]
    return OpenSearch(hosts=hosts, **options)


@contextlib.contextmanager
def answers(where: Location):
    """Turn the client's exceptions into one BackendError line naming the cluster (never its credentials)."""
    from opensearchpy import exceptions as ex

    try:
        yield
    except BackendError:
        raise
    except ex.AuthenticationException:
        raise BackendError(f"OpenSearch at {where.shown} refused the credentials (401): check "
                           f"TRYGG_SEARCH_USER/TRYGG_SEARCH_PASSWORD or TRYGG_SEARCH_API_KEY") from None
    except ex.AuthorizationException as exc:
        raise BackendError(f"OpenSearch at {where.shown} does not allow this (403): {_reason(exc)}") from None
    except ex.ConnectionTimeout:
        raise BackendError(f"OpenSearch at {where.shown} did not answer within {request_timeout():g} s (twice); is "
                           f"the cluster overloaded or down? (TRYGG_SEARCH_TIMEOUT sets the limit)") from None
    except ex.SSLError as exc:
        raise BackendError(f"cannot open https to OpenSearch at {where.shown}: {_first_line(exc)}; "
                           f"set TRYGG_SEARCH_CA_CERTS to its CA bundle") from None
    except ex.ConnectionError:
        raise BackendError(f"cannot reach OpenSearch at {where.shown}: connection refused or no such host "
                           f"(is the cluster running? scripts/opensearch-dev start starts one)") from None
    except ex.TransportError as exc:
        status = exc.status_code if isinstance(exc.status_code, int) else "?"
        raise BackendError(f"OpenSearch at {where.shown} answered {status}: {_reason(exc)}") from None


def guarded(method):
    """A method of an object with a ``where`` Location, its cluster failures as BackendError; for a
    generator, those met while it is iterated too."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self, *args, **kwargs):
            with answers(self.where):
                yield from method(self, *args, **kwargs)

        return generator

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with answers(self.where):
            return method(self, *args, **kwargs)

    return wrapper


def _reason(exc) -> str:
    info = getattr(exc, "info", None)
    if isinstance(info, dict):
        error = info.get("error")
        if isinstance(error, dict):
            cause = (error.get("root_cause") or [error])[0]
            return f"{cause.get('type', 'error')}: {cause.get('reason', '')}".strip()
        if error:
            return str(error)
    return _first_line(exc)


def _first_line(exc) -> str:
    text = str(getattr(exc, "error", "") or exc)
    return text.splitlines()[0][:300] if text else type(exc).__name__

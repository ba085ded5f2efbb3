"""Index engines behind one contract (:mod:`.base`), one package each.

Each package under ``backends/`` names its class ``BACKEND``, which says
what locations it serves (``handles``); ``backend_at`` takes the first that
does, in name order.  A new engine is a new package: nothing here names one.
"""

from __future__ import annotations

import importlib
import os
import pkgutil

from .base import Backend, Index, Request, Run, Update

__all__ = ["Backend", "Index", "Request", "Run", "Update", "backend_at", "open_index"]


def backend_at(location: str | os.PathLike, kind: str | None = None) -> Backend:
    """The backend for an index location (or of the given kind, by its ``name``)."""
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg):
        cls = importlib.import_module(f"{__name__}.{module}").BACKEND
        if (cls.name == kind) if kind else cls.handles(str(location)):
            return cls(location)
    from ..errors import BackendError
    from ..redact import redacted

    raise BackendError(f"no index engine serves {redacted(str(location))!r}" + (f" as {kind!r}" if kind else ""))


def open_index(location: str | os.PathLike) -> Index:
    """The index at ``location``, open for reading (a one-line error when it cannot be)."""
    return backend_at(location).open()

"""An OpenSearch cluster as the index (see :mod:`.backend` for how it is kept).

Only the class that says which locations it serves lives here: the backend
itself, and the OpenSearch client, are imported when a cluster is used, so
that a command on the whoosh index does not pay for them.
"""

from __future__ import annotations


class OpenSearchBackend:
    """Serves ``http(s)://`` locations; making one makes :class:`.backend.OpenSearchBackend`."""

    name = "opensearch"

    @classmethod
    def handles(cls, location: str) -> bool:
        return location.startswith(("http://", "https://"))

    def __new__(cls, location: str):
        from .backend import OpenSearchBackend as Backend

        return Backend(location)


BACKEND = OpenSearchBackend

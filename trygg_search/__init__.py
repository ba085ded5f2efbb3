"""trygg-search: full-text search over Swedish municipal meeting protocols.

The public API: parse a document, build an index, search it.  Names are
imported on first use, so that the command line starts fast.
"""

__version__ = "0.1.0"
__all__ = ["Attendee", "Meeting", "Paragraph", "Replacement", "TryggError", "parse_meeting"]


def __getattr__(name):
    if name == "parse_meeting":
        from .protocol import parse_meeting

        return parse_meeting
    if name == "TryggError":
        from .errors import TryggError

        return TryggError
    if name in ("Attendee", "Meeting", "Paragraph", "Replacement"):
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module 'trygg_search' has no attribute {name!r}")

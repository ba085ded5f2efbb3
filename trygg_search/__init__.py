"""trygg-search: full-text search over Swedish municipal meeting protocols.

The public API: parse a document, build an index, search it.
"""

from .errors import TryggError
from .parse import parse_meeting
from .records import Attendee, Meeting, Paragraph, Replacement

__all__ = ["Attendee", "Meeting", "Paragraph", "Replacement", "TryggError", "parse_meeting"]
__version__ = "0.1.0"

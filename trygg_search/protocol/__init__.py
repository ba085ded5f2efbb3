"""Protocol text -> a Meeting record.  Pure functions: text in, records out, nothing read or printed.

The pipeline, a module a step::

    clean       line ends, page furniture, wrapper lines, hyphenation      -> lines
    layout      contents lists run together, headings inside flattened     -> lines, what they hold
                pages (flat)
    headings    § headings and notice items, the §§ declared               -> where each § starts
    document    the kind of document (protocol, notice, other)
    header      date (dates), committee, attendance (attendance, ranges),
                signers (signers)                                          -> the meeting's header
    paragraphs  each §'s title, case numbers, officers, sections; who was
                present at it                                              -> Paragraph records
    sections    documents without §§, split at their headings

``vocabulary`` names the words every rule reads; case numbers are read by
:mod:`..casenum` alone.
"""

from __future__ import annotations

from .attendance import presence, presence_at
from .clean import clean_lines, furniture, normalize
from .dates import meeting_date, parse_date
from .document import detect, parse_meeting, plain_meeting, read_meeting
from .header import committee_name, deciding_body, parse_header
from .paragraphs import decision, sections_from_text
from .ranges import expand_ranges

__all__ = ["clean_lines", "committee_name", "deciding_body", "decision", "detect", "expand_ranges", "furniture",
           "meeting_date", "normalize", "parse_date", "parse_header", "parse_meeting", "plain_meeting", "presence",
           "presence_at", "read_meeting", "sections_from_text"]

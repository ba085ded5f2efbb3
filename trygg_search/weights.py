"""How much each part of a match weighs: the one table both backends score by.

A word of a query matches a §'s title, its text and its people (who was
present, chaired, kept the minutes, adjusted them, or handled the case).
Scores are BM25 over each field with these parameters, the title's terms
counted three times (whoosh's field boost; OpenSearch gets the terms
repeated), the people's match weighed less than the text's, so that a § that
speaks of a person ranks above one the person only attended.
"""

from __future__ import annotations

BM25_B = 0.5  # milder length normalisation than the usual 0.75: long §§ about the subject should not lose
BM25_K1 = 1.2
TITLE = 3  # a title's terms count this many times (an integer: OpenSearch repeats them)
PEOPLE = 0.5  # a match among the people of a §, against 1.0 in its text
TITLE_PHRASE = 3.0  # plain words standing together (slop 2) in a title
NAME_PHRASE = 2.0  # plain words standing together as one name among the people
FRONT = 0.2  # a front record (what stands before the first §: attendance, contents) against a §: a name or a
# title matches there too, and the §§ come first
EXPANSION = 0.9  # an acronym's long form, or a long form's acronym, against the word as written
# The fields a word without a field (``narkotika``, not ``title:narkotika``) is looked for in, and what a match
# there weighs (the title's weight is in its term frequencies, above).
SEARCHED = {"title": 1.0, "text": 1.0, "people": PEOPLE}
PEOPLE_GAP = 100  # positions between two names of a §'s people: no phrase runs from one name into the next

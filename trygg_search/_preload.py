"""Imported by the fork server that starts an ingest's workers (multiprocessing's forkserver preload).

The compound data (about 140 MB of word forms) is loaded here once, and every worker, forked from this
process, shares its pages instead of loading a copy of its own.  The objects made so far are frozen
(``gc.freeze``): a collection in a worker never scans them, which would write to their pages and copy
them.  Nothing that may not be shared across a fork is opened (the lemma database is opened by each
worker).  Where loading fails, each worker loads what it needs itself, as without this module.
"""

import gc

try:
    from . import ingest  # noqa: F401 - what a worker runs
    from .lexicon import compound_data

    compound_data()
except Exception:  # noqa: BLE001 - never the fork server's end: its workers would not start
    pass
gc.freeze()

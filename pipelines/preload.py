"""Imported by the worker pool's fork server (pipelines/work.py) before it forks any worker, when the run
enriches: the matcher is loaded once there (from its on-disk cache), and every worker, replacements
included, shares it copy-on-write instead of loading its own. A worker then starts at once.
gc.freeze() keeps them shared: the collector no longer writes to those objects, which would copy their pages."""

import gc

from pipelines.enrich import shared_matcher

try:
    shared_matcher()
except Exception:  # an unreadable cache, say: it would end the fork server; each worker tries again, and says why
    pass
gc.freeze()

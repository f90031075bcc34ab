"""Imported by the worker pool's fork server (pipelines/work.py) before it forks any worker, when the run
enriches: the matcher (120 MB) and the language model (80 MB) are built once there, and every worker,
replacements included, shares them copy-on-write instead of building its own. A worker then starts at once.
gc.freeze() keeps them shared: the collector no longer writes to those objects, which would copy their pages."""

import gc

from crawler.enrichment.language import identifier
from pipelines.enrich import shared_matcher

shared_matcher()
identifier()
gc.freeze()

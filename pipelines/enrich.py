"""Actors, places, comment languages, reply links and the near-duplicate signature, found while the page is
still in memory; for `frontline enrich`, the same for an article read back from the database."""

from functools import cache

from crawler.enrichment.duplicates import signature
from crawler.enrichment.enrich import enrich
from crawler.enrichment.matcher import EntityMatcher, load_matcher
from crawler.items import RawPage


@cache
def shared_matcher() -> EntityMatcher:
    """Loaded once per process (from the on-disk cache); the worker pool loads it before forking
    (pipelines/preload.py)."""
    return load_matcher()


class EnrichPipeline:
    def __init__(self):
        self.matcher = shared_matcher()

    def process_item(self, item):
        article = item.extraction if isinstance(item, RawPage) else item  # a StoredArticle has the same fields
        item.enrichment = enrich(self.matcher, article.title, article.body, article.comments)
        item.signature = signature(article.body)
        return item

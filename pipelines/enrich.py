"""Actors, places, comment languages, reply links and the near-duplicate signature, found while the page is
still in memory; for `frontline enrich`, the same for an article read back from the database."""

from crawler.enrichment.duplicates import signature
from crawler.enrichment.enrich import enrich
from crawler.enrichment.gazetteer import load_gazetteer
from crawler.enrichment.matcher import EntityMatcher
from crawler.items import RawPage


class EnrichPipeline:
    def __init__(self):
        """The matcher is built once per process (2 s of gazetteer)."""
        self.matcher = EntityMatcher(load_gazetteer())

    def process_item(self, item):
        article = item.extraction if isinstance(item, RawPage) else item  # a StoredArticle has the same fields
        item.enrichment = enrich(self.matcher, article.title, article.body, article.comments)
        item.signature = signature(article.body)
        return item

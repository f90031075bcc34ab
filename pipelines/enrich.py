"""Actors, places, comment languages and reply links, found while the page is still in memory."""

from scrapy.exceptions import NotConfigured

from crawler.enrichment.enrich import enrich
from crawler.enrichment.matcher import load_matcher


class EnrichPipeline:
    def __init__(self):
        self.matcher = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("FRONTLINE_ENRICH"):
            raise NotConfigured("FRONTLINE_ENRICH is off")
        return cls()

    def open_spider(self):
        self.matcher = load_matcher()

    def process_item(self, item):
        page = item.extraction
        item.enrichment = enrich(self.matcher, page.title, page.body, page.comments)
        return item

"""Text or HTML to title, byline, body, comments and boilerplate. A page without a body is rejected."""

import logging

from scrapy.exceptions import DropItem

from crawler.extraction import extract_page
from crawler.extraction.html import PARTIAL_THREAD_WARNING
from crawler.monitoring import PARTIAL_THREAD_STAT

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, comment_selectors=None, stats=None):
        """comment_selectors: the site profile's CSS selectors for its comment markup, if it has them."""
        self.comment_selectors = comment_selectors
        self.stats = stats

    def process_item(self, item):
        url = item.url if item.url.startswith("http") else None
        parts = [(part.role, decoded, part.url) for part, decoded in zip(item.parts, item.decoded_parts)]
        item.extraction = extract_page(item.decoded, url=url, parts=parts, comment_selectors=self.comment_selectors)
        if not item.extraction.body:
            raise DropItem(f"no article body found ({item.decoded.format}, {len(item.decoded.text)} characters)")
        for warning in item.extraction.warnings[len(item.decoded.warnings):]:
            logger.warning("%s: %s", item.url, warning)
            if warning.startswith(PARTIAL_THREAD_WARNING) and self.stats is not None:
                self.stats.inc_value(PARTIAL_THREAD_STAT)  # crawl_runs.stats; `frontline status` shows it
        return item

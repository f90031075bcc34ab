"""Text or HTML to title, byline, body, comments and boilerplate. A page without a body is rejected."""

import logging

from scrapy.exceptions import DropItem

from crawler.extraction import extract_page

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def process_item(self, item):
        url = item.url if item.url.startswith("http") else None
        item.extraction = extract_page(item.decoded, url=url)
        if not item.extraction.body:
            raise DropItem(f"no article body found ({item.decoded.format}, {len(item.decoded.text)} characters)")
        for warning in item.extraction.warnings[len(item.decoded.warnings):]:
            logger.warning("%s: %s", item.url, warning)
        return item

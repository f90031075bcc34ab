"""Raw bytes to text. Empty, binary, oversized and unreadable pages stop here, with their reason."""

import logging

from scrapy.exceptions import DropItem

from crawler.extraction import RejectedInput, decode_page
from crawler.items import SkipPage

logger = logging.getLogger(__name__)


class DecodePipeline:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes  # DOWNLOAD_MAXSIZE

    def process_item(self, item):
        if item.skipped:
            raise SkipPage(item.skipped)
        if item.error:
            raise DropItem(item.error)
        try:
            item.decoded = decode_page(item.body, name=item.url, content_type=item.content_type,
                                       max_bytes=self.max_bytes)
        except RejectedInput as exc:
            raise DropItem(str(exc)) from None
        item.decoded_parts = [self.decode_part(item, part) for part in item.parts]
        item.parts = [part for part, decoded in zip(item.parts, item.decoded_parts) if decoded]
        item.decoded_parts = [decoded for decoded in item.decoded_parts if decoded]
        for warning in item.decoded.warnings:
            logger.warning("%s: %s", item.url, warning)
        return item

    def decode_part(self, item, part):
        """A further page that cannot be read loses only itself, with a warning, not the article."""
        try:
            return decode_page(part.body, name=part.url, content_type=part.content_type or "text/html", max_bytes=self.max_bytes)
        except RejectedInput as exc:
            logger.warning("%s: page %s skipped: %s", item.url, part.url, exc)
            return None

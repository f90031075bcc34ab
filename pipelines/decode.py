"""Raw bytes to text. Empty, binary, oversized and unreadable pages stop here, with their reason."""

import logging

from scrapy.exceptions import DropItem

from crawler.extraction import RejectedInput, decode_page

logger = logging.getLogger(__name__)


class DecodePipeline:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def process_item(self, item):
        if item.error:
            raise DropItem(item.error)
        try:
            item.decoded = decode_page(item.body, name=item.url, content_type=item.content_type,
                                       max_bytes=self.max_bytes)
        except RejectedInput as exc:
            raise DropItem(str(exc)) from None
        for warning in item.decoded.warnings:
            logger.warning("%s: %s", item.url, warning)
        return item

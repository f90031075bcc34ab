"""The page's raw_pages rows (gzip, sha256), made where the page was processed rather than in the writer.

Compressing a saved HTML page costs 1-3 ms, which the one writer process would spend per page while the
workers wait. The decoded text goes then: nothing after extraction reads it, and it is one more copy of the
page to send back to the writer and hold until stored.
"""

from __future__ import annotations

from db.articles import raw_page_rows


class PackPipeline:
    def process_item(self, item):
        item.raw_rows = raw_page_rows(item)
        item.decoded, item.decoded_parts = None, []
        return item

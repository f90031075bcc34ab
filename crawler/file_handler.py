"""file:// downloads for the seeds spider, with the same DOWNLOAD_MAXSIZE rule as HTTP."""

from __future__ import annotations

from pathlib import Path

from scrapy.core.downloader.handlers.file import FileDownloadHandler
from w3lib.url import file_uri_to_path

from crawler.extraction.decode import check_size


class SizeLimitedFileDownloadHandler(FileDownloadHandler):
    """Scrapy's file handler reads any file whole; a 50 MB stray file is refused before it is read."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    async def download_request(self, request):
        max_bytes = request.meta.get("download_maxsize", self.max_bytes)
        check_size(Path(file_uri_to_path(request.url)).stat().st_size, max_bytes)
        return await super().download_request(request)

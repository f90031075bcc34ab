"""file:// downloads for the seeds spider, with the same DOWNLOAD_MAXSIZE rule as HTTP."""

from __future__ import annotations

from pathlib import Path

from scrapy.core.downloader.handlers.file import FileDownloadHandler
from w3lib.url import file_uri_to_path

from crawler.extraction.decode import RejectedInput, check_size
from crawler.spiders.seeds import not_regular


class SizeLimitedFileDownloadHandler(FileDownloadHandler):
    """Scrapy's file handler reads any file whole; a 50 MB stray file is refused before it is read, and a FIFO
    or device put in a seed's place since the folder was walked is never opened (reading a FIFO hangs)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    async def download_request(self, request):
        max_bytes = request.meta.get("download_maxsize", self.max_bytes)
        status = Path(file_uri_to_path(request.url)).stat()
        if problem := not_regular(status.st_mode):
            raise RejectedInput(problem)
        check_size(status.st_size, max_bytes)
        return await super().download_request(request)

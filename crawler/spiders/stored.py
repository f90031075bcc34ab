"""What the database holds, through the pipelines again, without any network:

    frontline reextract [--no-enrich]      scrapy crawl reextract -s FRONTLINE_DB=data/frontline.db
    frontline enrich                       scrapy crawl enrich -s FRONTLINE_DB=data/frontline.db

`reextract` yields the stored raw pages (bytes, headers, the further pages of an article) into the usual
stages (decode, extract, normalize, enrich, store): an article whose extraction changes is updated, its
previous version kept; a page that no longer extracts is a reject and keeps its article. `enrich` yields the
stored articles with their comments, which go through the enrich and store stages only, so that a gazetteer
update reaches old articles. Each article is stored in its own transaction: a rerun does the rest.
"""

from __future__ import annotations

from typing import Iterator

import scrapy
import sqlite_utils

from crawler.spiders.window import ItemWindow
from db.schema import open_database
from db.stored import article_ids, stored_articles, stored_page


class StoredSpider(scrapy.Spider):
    """Reads FRONTLINE_DB, the database the store pipeline writes, one article at a time."""

    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "FRONTLINE_MIN_ARTICLES": 0,  # an empty database is no failure
        "CONCURRENT_ITEMS": 8,  # items in the pipelines at once (crawler/spiders/window.py): workers kept busy
    }

    @property
    def target(self) -> str:  # crawl_runs.target
        return self.settings.get("FRONTLINE_DB")

    async def start(self):
        window = ItemWindow(self.crawler)
        db = open_database(self.target)
        try:
            for item in self.stored_items(db):
                await window.admit()
                yield item
            await window.drained()
        finally:
            db.close()

    def stored_items(self, db: sqlite_utils.Database) -> Iterator:
        raise NotImplementedError


class ReextractSpider(StoredSpider):
    name = "reextract"

    def stored_items(self, db):
        for article_id in article_ids(db):
            page = stored_page(db, article_id)
            if page is None:
                self.crawler.stats.inc_value("frontline/no_raw_page")
            else:
                yield page


class EnrichSpider(StoredSpider):
    name = "enrich"
    custom_settings = {**StoredSpider.custom_settings, "FRONTLINE_ENRICH": True}

    def stored_items(self, db):
        return stored_articles(db)

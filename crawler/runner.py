"""Run a spider in-process with frontline's settings, from anywhere (no scrapy.cfg needed)."""

from __future__ import annotations

from typing import Callable

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


def run_spider(spider_cls, settings: Settings, on_page: Callable[[], None] | None = None, **spider_args) -> dict:
    """Crawl to the end and return the crawler's stats. on_page is called once per stored or rejected page."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_cls)
    if on_page:
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(lambda *args, **kwargs: on_page(), signal=signal, weak=False)
    process.crawl(crawler, **spider_args)
    process.start()
    stats = crawler.stats.get_stats()
    if "finish_reason" not in stats:
        raise CrawlFailed(f"the {spider_cls.name} crawl did not run; see the errors above")
    return stats


class CrawlFailed(RuntimeError):
    """A crawl that never started (broken settings, a pipeline that failed to load)."""

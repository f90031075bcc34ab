"""Run a spider in-process with frontline's settings, from anywhere (no scrapy.cfg needed)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Callable

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


def run_spider(spider_cls, settings: Settings, on_page: Callable[[], None] | None = None,
               log_file: Path | None = None, **spider_args) -> dict:
    """Crawl to the end and return the crawler's stats. on_page is called once per stored or rejected page;
    log_file gets the whole log at FRONTLINE_LOG_FILE_LEVEL, whatever the console shows."""
    process = CrawlerProcess(settings)
    if log_file:
        add_log_file(log_file, settings)
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


def add_log_file(path: Path, settings: Settings) -> None:
    """A rotating log beside the database, so cron runs leave a bounded, readable trail."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=settings.getint("FRONTLINE_LOG_MAX_BYTES"),
                                  backupCount=settings.getint("FRONTLINE_LOG_BACKUPS"), encoding="utf-8")
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("FRONTLINE_LOG_FILE_LEVEL"))
    logging.root.addHandler(handler)


class CrawlFailed(RuntimeError):
    """A crawl that never started (broken settings, a pipeline that failed to load)."""

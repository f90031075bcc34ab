"""A DNS resolver for crawl tests: frontline.test and its subdomains resolve to 127.0.0.1, so one local server
can answer as both host names of a site (www.frontline.test and frontline.test, its www/apex twins).
Every other name goes to the system resolver.

    frontline crawl http://www.frontline.test:PORT/ -s TWISTED_DNS_RESOLVER=tests.resolver.LoopbackResolver
"""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

TEST_DOMAIN = "frontline.test"  # .test is reserved (RFC 2606): no real host has such a name


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout=()):
        if name == TEST_DOMAIN or name.endswith("." + TEST_DOMAIN):
            return defer.succeed("127.0.0.1")
        return super().getHostByName(name, timeout)

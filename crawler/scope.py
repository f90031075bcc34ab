"""Where a site crawl may send requests: the site's scheme, hosts and ports, and nothing else.

A hostile or compromised site can answer with a redirect, a meta refresh or a link to another host, or to
another port of its own host, to make the crawler read an internal service and publish what it got. The
scope is derived from the site profile alone, so no answer from the site can widen it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Scope:
    domains: frozenset[str]  # these host names and their subdomains
    hosts: frozenset[str]  # these hosts exactly: IP addresses, and the www/apex twins of the domains
    ports: frozenset[int]

    @classmethod
    def from_profile(cls, profile) -> Scope:
        """The profile's allowed domains with their subdomains, plus the www/apex twin of each (www.example.org
        and example.org are one site); the ports its own URLs use. A site on the standard ports is one site
        over http and https, so either standard port then counts."""
        names = {d.lower().strip(".") for d in profile.allowed_domains} - {""}
        addresses = {name for name in names if is_ip_address(name)}
        domains = names - addresses
        urls = profile.start_urls + profile.sitemap_urls + profile.feed_urls + profile.guessed_feed_urls
        ports = {port(urlsplit(url)) for url in urls if urlsplit(url).scheme in DEFAULT_PORTS}
        if ports & set(DEFAULT_PORTS.values()):
            ports |= set(DEFAULT_PORTS.values())
        return cls(frozenset(domains), frozenset(addresses | set(map(www_twin, domains))), frozenset(ports))

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            return False
        try:
            if port(parts) not in self.ports:
                return False
        except ValueError:  # a port that is not a number, or out of range
            return False
        host = parts.hostname or ""
        return host in self.hosts or any(host == d or host.endswith("." + d) for d in self.domains)


def port(parts) -> int:
    """The port a URL connects to: the one it names, else its scheme's default."""
    return DEFAULT_PORTS[parts.scheme] if parts.port is None else parts.port


def www_twin(host: str) -> str:
    """example.org for www.example.org, and the reverse."""
    return host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True

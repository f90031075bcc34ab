"""Title, authors, tags and categories cleaned beyond what trafilatura's metadata gives.

trafilatura 2.3 already reads og:site_name, application-name and JSON-LD `publisher` into `sitename`, splits
authors on `;`, `,` and `and`, and drops a leading "By" / "Posted by". What it leaves, and this module
removes: the site name glued to the title (`Title | The Site`, from og:title or <title>), bylines such as
"View all posts by Name" or an e-mail address, co-authors beyond the first byline link, and WordPress
category links (`rel="category tag"`) counted as tags.
"""

from __future__ import annotations

import re

from trafilatura.json_metadata import AUTHOR_SPLIT, normalize_authors

from .dates import DATE_TIME
from .schema_org import json_ld_nodes

# where a site name sits: "Title | Site", "Title - Site", "Site: Title", "Site » Title"
TITLE_SEPARATOR = r"(?:\s*[|–—•·»«~/:]\s*|\s+-\s+)"

SITE_NAME_META = "//head/meta[@property='og:site_name' or @name='application-name' or @name='og:site_name']/@content"

# prefixes trafilatura's author normaliser does not know (it strips "By", "Posted by", "Written by")
BYLINE_PREFIX = re.compile(r"^(?:view all posts by|all posts by|more posts by|posts by|articles by|"
                           r"about the authors?|authors?)\s*:?\s+", re.I)
EMAIL = re.compile(r"\S+@\S+\.\w+")
DATE_LEAD = re.compile(r"\s+(?:on|at|published|posted|updated)\s*:?\s*$", re.I)  # what a removed date leaves
MAX_NAME_WORDS = 6  # "Maria del Carmen de la Fuente": longer is a sentence, not a name

# Links that are page furniture, not this post's own: a sidebar's tag cloud lists every tag of the site. Whole
# class tokens, never substrings: <body class="has-sidebar"> wraps the post too.
FURNITURE_CLASSES = frozenset({"sidebar", "widget", "widget-area", "widget_tag_cloud", "tagcloud", "tag-cloud",
                               "wp-tag-cloud", "related-posts", "menu"})
FURNITURE_ROLES = frozenset({"complementary", "navigation", "contentinfo"})
FURNITURE_IDS = frozenset({"comments", "sidebar", "secondary"})  # "secondary": WordPress themes' sidebar


def post_links(tree) -> dict[str, list[str]]:
    """The texts of the post's own rel="tag", rel="category" and rel="author" links, in page order.

    One pass over the links that have a rel, their ancestors checked in Python: on the shared benchmark an XPath
    ancestor predicate per kind of link cost as much again as the rest of the metadata."""
    found: dict[str, list[str]] = {"tag": [], "category": [], "author": []}
    for link in tree.xpath("//a[@rel]"):
        rel = set(link.get("rel", "").split())
        kind = "category" if "category" in rel else "tag" if "tag" in rel else "author" if "author" in rel else None
        if kind and not is_furniture(link):
            text = " ".join(link.text_content().split())
            if text and text not in found[kind]:
                found[kind].append(text)
    return found


def is_furniture(link) -> bool:
    if "tag-cloud-link" in link.get("class", "").split():
        return True
    in_article = False
    for node in reversed(list(link.iterancestors())):  # outermost first: an article's own footer is not furniture
        tag = node.tag if isinstance(node.tag, str) else ""
        in_article = in_article or tag == "article"
        if tag in ("aside", "nav") or (tag == "footer" and not in_article) or node.get("id") in FURNITURE_IDS \
                or node.get("role") in FURNITURE_ROLES or not FURNITURE_CLASSES.isdisjoint(node.get("class", "").split()):
            return True
    return False


def post_tags(tree, links: dict[str, list[str]]) -> list[str]:
    """The post's own rel="tag" links, else its article:tag meta. Not trafilatura's tags: they include the
    sidebar's tag cloud (rel="tag" too), which lists every tag of the site on every page."""
    return links["tag"] or list(dict.fromkeys(
        value.strip() for value in tree.xpath("//meta[@property='article:tag']/@content") if value.strip()))


def post_categories(links: dict[str, list[str]], fallback) -> list[str]:
    """WordPress category links (rel="category tag", or rel="category"), else trafilatura's categories."""
    return links["category"] or list(dict.fromkeys(c for c in fallback or [] if c))


def clean_title(title: str | None, tree, sitename: str | None) -> str | None:
    """The headline without the site's name. Most titles have no separator: their site names are not looked up."""
    if not title or not re.search(TITLE_SEPARATOR, title):
        return title or None
    return strip_site_name(title, site_names(tree, sitename))


def site_names(tree, sitename: str | None) -> list[str]:
    """Every name the page gives its site (trafilatura keeps only one), longest first."""
    names = [sitename or "", *tree.xpath(SITE_NAME_META), *(publisher_name(node) for node in json_ld_nodes(tree))]
    names = {" ".join(name.split()) for name in names if name}
    return sorted((name for name in names if name), key=len, reverse=True)


def publisher_name(node: dict) -> str:
    """A JSON-LD node's publisher.name; '' when there is none."""
    publisher = node.get("publisher")
    name = publisher.get("name") if isinstance(publisher, dict) else publisher
    return name if isinstance(name, str) else ""


def strip_site_name(title: str, names: list[str]) -> str:
    """The title without a site name before or after it: "Title | Site", "Title - Site", "Site: Title"."""
    title = " ".join(title.split())
    for name in names:
        quoted = re.escape(name)
        for pattern in (rf"^(?P<rest>.+?){TITLE_SEPARATOR}{quoted}$", rf"^{quoted}{TITLE_SEPARATOR}(?P<rest>.+)$"):
            match = re.match(pattern, title, re.I)
            if match and match.group("rest").strip(" |-–—:"):
                return match.group("rest").strip()
    return title


def author_names(*bylines: str | None) -> list[str]:
    """Names only, each once, in byline order: no "By" / "View all posts by", e-mail addresses or dates."""
    names: list[str] = []
    for byline in bylines:
        byline = DATE_TIME.sub("", byline or "")  # before the split: "May 2, 2024" would leave a name "May"
        for part in AUTHOR_SPLIT.split(byline):  # trafilatura's own split, so the prefixes go from each name
            part = DATE_LEAD.sub("", EMAIL.sub("", BYLINE_PREFIX.sub("", (part or "").strip()))).strip()
            normalized = normalize_authors(None, part) if part else None
            names += [name.strip() for name in (normalized or "").split(";")]
    names = [name for name in names if name and len(name.split()) <= MAX_NAME_WORDS]
    # the fullest form of each name: "Ivana" in one place and "Ivana Petrovic" in another are one author
    names = [n for n in names if not any(n != m and f" {n.lower()} " in f" {m.lower()} " for m in names)]
    return list(dict.fromkeys(names))

"""A WordPress-like conflict-reporting site served on 127.0.0.1 for crawl tests (standard library only).

    with FixtureSite() as site:
        site.base_url        # http://127.0.0.1:PORT
        site.requests        # [(method, path, headers)] in arrival order
        site.set_version("k", 2)

Site map (every path is relative to base_url):
    /robots.txt                    disallows /private/, names /sitemap_index.xml
    /sitemap_index.xml             -> /post-sitemap.xml, /page-sitemap.xml
    /post-sitemap.xml              A B C D K, a 404, a 301, the disallowed page (all with lastmod)
    /feed/                         RSS: A with tracking parameters, B, and E (only reachable here)
    /, /category/syria/ (+ /page/2/) listing pages; /tag/aleppo/, /tag/homs/, /tag/drones/ tag archives;
                                   /about/ a page (no article: skipped by a generic crawl)
    every page                     a sidebar tag cloud (rel="tag" links that are not the post's tags)
    A /2024/03/12/aleppo-offensive/      7 comments over 2 comment pages, nested replies, 2 figures,
                                         an AMP copy at .../amp/
    B /2024/03/14/long-read-siege/       three pages (/2/, /3/) with 3 comments on page 1;
                                         reached also through the redirect /old-url/
    C /2024/03/15/hama-frontline/        served as ISO-8859-1 (header and meta), really Latin-1
    D /2024/03/16/idlib-displacement/    declares ISO-8859-1 but is UTF-8; links off-site and to file://
    E /2024/03/18/drone-war-notes/       only in the feed; answers 503 the first time; its rel=next is
                                         the next post (K), not a page of E
    K /2024/03/19/conditional-get/       ETag/Last-Modified; answers 304; set_version("k", 2) changes it
"""

from __future__ import annotations

from email.utils import formatdate
from html import escape

from tests.local_server import LocalServer, answering_handler

LOREM = [
    "Rebel units pushed into the outskirts of {place} before dawn, according to residents reached by phone, "
    "and by midday fighting had spread to the old market district.",
    "Aid agencies said the main road into {place} had been closed for a fourth day, leaving thousands of "
    "families without access to bread, fuel or medical care.",
    "Commanders on both sides gave sharply different accounts of the battle, and neither claim could be "
    "independently verified by reporters in the region.",
    "A local council member said that the water network in {place} had been damaged in several places and "
    "that repair crews could not reach the pumping station.",
]


def paragraphs(place: str, marker: str = "", count: int = 4) -> list[str]:
    texts = [p.format(place=place) for p in LOREM[:count]]
    if marker:
        texts[0] = f"{marker} {texts[0]}"
    return texts


def comment_html(comment: dict, children: str = "") -> str:
    nested = f'<ol class="children">{children}</ol>' if children else ""
    return (f'<li id="comment-{comment["id"]}" class="comment"><article class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{escape(comment["author"])}</b>'
            f' <span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-{comment["id"]}">'
            f'<time datetime="{comment["posted"]}">{comment["posted"][:10]}</time></a></div></footer>'
            f'<div class="comment-content"><p>{escape(comment["text"])}</p></div>'
            f'<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>{nested}</li>')


def thread_html(comments: list[dict]) -> str:
    """Comments with a 'parent' (index into the same page's list) nest under it."""
    def render(index: int) -> str:
        children = "".join(render(i) for i, c in enumerate(comments) if c.get("parent") == index)
        return comment_html(comments[index], children)
    return "".join(render(i) for i, c in enumerate(comments) if c.get("parent") is None)


def page(base: str, path: str, title: str, body: str, *, author: str = "", date: str = "", tags=(),
         comments: str = "", head: str = "", charset: str = "utf-8", canonical: str | None = None) -> str:
    tag_links = ", ".join(f'<a rel="tag" href="{base}/tag/{t.lower()}/">{escape(t)}</a>' for t in tags)
    byline = (f'<p class="byline">By <span class="author vcard">{escape(author)}</span> | '
              f'<time class="entry-date" datetime="{date}T08:00:00+00:00">{date}</time></p>') if author else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}"><title>{escape(title)} | The Front Line Review</title>
<link rel="canonical" href="{canonical or base + path}">
<link rel="alternate" type="application/rss+xml" href="{base}/feed/">
{('<meta name="author" content="' + escape(author) + '">') if author else ''}
{('<meta property="article:published_time" content="' + date + 'T08:00:00+00:00">') if date else ''}
{head}</head>
<body><header><nav class="main-menu"><ul><li><a href="{base}/">Home</a></li><li><a href="{base}/category/syria/">Syria</a></li>
<li><a href="{base}/about/">About</a></li></ul></nav></header>
<main><article class="post"><h1 class="entry-title">{escape(title)}</h1>{byline}
<div class="entry-content">{body}</div>
{('<p class="tags">Tags: ' + tag_links + '</p>') if tags else ''}
<div class="sharedaddy"><h3>Share this:</h3><a href="#">Twitter</a> <a href="#">Facebook</a></div>
</article>{comments}
<aside class="widget"><h2>Recent posts</h2><ul><li><a href="{base}/2024/03/18/drone-war-notes/">Notes on the drone war</a></li></ul></aside>
<div class="widget widget_tag_cloud"><div class="tagcloud"><a rel="tag" href="{base}/tag/aleppo/">Aleppo</a>
<a rel="tag" href="{base}/tag/homs/">Homs</a> <a rel="tag" href="{base}/tag/drones/">Drones</a></div></div>
</main><footer><p>© 2024 The Front Line Review. All rights reserved.</p></footer></body></html>"""


def paras(texts) -> str:
    return "".join(f"<p>{escape(t)}</p>" for t in texts)


A_PATH = "/2024/03/12/aleppo-offensive/"
A_COMMENTS_1 = [
    {"id": 1, "author": "steppe_watcher", "posted": "2024-03-12T09:15:00", "text": "The northern villages fell first, exactly as in 2015."},
    {"id": 2, "author": "Marta", "posted": "2024-03-12T10:02:00", "text": "Do you have a source for the villages?", "parent": 0},
    {"id": 3, "author": "J. Reyes", "posted": "2024-03-12T11:30:00", "text": "Good reporting under hard conditions."},
    {"id": 4, "author": "Amira", "posted": "2024-03-12T12:45:00", "text": "Agreed, thank you for the maps.", "parent": 2},
]
A_COMMENTS_2 = [
    {"id": 5, "author": "Leo", "posted": "2024-03-13T08:00:00", "text": "What happened to the water station?"},
    {"id": 6, "author": "Hana", "posted": "2024-03-13T09:20:00", "text": "It was repaired on Wednesday.", "parent": 0},
    {"id": 7, "author": "Karim", "posted": "2024-03-13T14:05:00", "text": "@steppe_watcher the villages were retaken since."},
]
FIGURES = ('<figure class="wp-caption"><img src="/wp-content/uploads/2024/03/aleppo-1.jpg" alt="">'
           '<figcaption>Smoke rises over the old market district <span class="credit">Photo: AFP</span></figcaption></figure>'
           '<figure class="wp-caption"><img data-src="/wp-content/uploads/2024/03/aleppo-2.jpg" alt="">'
           '<figcaption>A convoy of aid trucks waits at the checkpoint (Photo: Reuters)</figcaption></figure>')


def article_a(base: str, comment_page: int = 1) -> str:
    body = paras(paragraphs("Aleppo", "Aleppo offensive.")[:2]) + FIGURES + paras(paragraphs("Aleppo")[2:])
    if comment_page == 1:
        thread, nav = A_COMMENTS_1, f'<a class="next page-numbers" href="{base}{A_PATH}comment-page-2/#comments">Newer Comments</a>'
    else:
        thread, nav = A_COMMENTS_2, f'<a class="prev page-numbers" href="{base}{A_PATH}#comments">Older Comments</a>'
    comments = (f'<section id="comments" class="comments-area"><h2 class="comments-title">7 thoughts on “Aleppo offensive”</h2>'
                f'<ol class="comment-list">{thread_html(thread)}</ol>'
                f'<nav class="navigation comment-navigation"><div class="nav-links">{nav}</div></nav></section>')
    head = f'<link rel="amphtml" href="{base}{A_PATH}amp/">'
    return page(base, A_PATH, "Rebels push into Aleppo's northern villages", body, author="Olena Kovalenko",
                date="2024-03-12", tags=["Aleppo", "Syria"], comments=comments, head=head, canonical=base + A_PATH)


def amp_a(base: str) -> str:
    return (f'<!doctype html><html amp><head><meta charset="utf-8"><link rel="canonical" href="{base}{A_PATH}">'
            f'<title>Rebels push into Aleppo</title></head><body><h1>Rebels push into Aleppo</h1>'
            f'{paras(paragraphs("Aleppo"))}</body></html>')


B_PATH = "/2024/03/14/long-read-siege/"
B_COMMENTS = [
    {"id": 21, "author": "historian_k", "posted": "2024-03-14T18:00:00", "text": "The best account of the siege I have read."},
    {"id": 22, "author": "Nadia", "posted": "2024-03-14T19:10:00", "text": "Part two was the hardest to read.", "parent": 0},
    {"id": 23, "author": "Ivo", "posted": "2024-03-15T07:00:00", "text": "Will there be a fourth part?"},
]


def article_b(base: str, part: int) -> str:
    marker = ["Part one.", "Part two.", "Part three."][part - 1]
    links = " ".join(f'<a href="{base}{B_PATH}{n}/">{n}</a>' for n in (2, 3) if n != part)
    body = paras(paragraphs("Homs", marker)) + f'<div class="page-links">Pages: {links}</div>'
    head = f'<link rel="next" href="{base}{B_PATH}{part + 1}/">' if part < 3 else ""
    comments = (f'<section id="comments"><h2 class="comments-title">3 Responses to “The siege”</h2>'
                f'<ol class="commentlist">{thread_html(B_COMMENTS)}</ol></section>')
    path = B_PATH if part == 1 else f"{B_PATH}{part}/"
    return page(base, path, "The siege, a long read", body, author="Daniel Reyes", date="2024-03-14",
                tags=["Homs"], comments=comments, head=head)


def article_c(base: str) -> str:
    body = paras(["Hélène Dubois reached Hama on Tuesday, déjà vu for a city that has changed hands before.",
                  *paragraphs("Hama")[1:3], "A señor from Köln who runs the bakery said prices had tripled."])
    comments = (f'<section id="comments"><h2>2 Comments</h2><ol class="commentlist">'
                f'{thread_html([{"id": 31, "author": "Zoë", "posted": "2024-03-15T10:00:00", "text": "Très bien écrit."}, {"id": 32, "author": "Jürgen", "posted": "2024-03-15T11:00:00", "text": "Grüße aus Köln."}])}</ol></section>')
    return page(base, "/2024/03/15/hama-frontline/", "On the Hama front line", body, author="Hélène Dubois",
                date="2024-03-15", comments=comments, charset="iso-8859-1")


def article_d(base: str) -> str:
    body = paras(["“We left with nothing” — families from إدلب describe the road north, Hélène Dubois reports.",
                  *paragraphs("Idlib")[1:3]])
    body += ('<p>Read the <a href="http://elsewhere.invalid/story">original report</a> and '
             '<a href="file:///etc/passwd">the appendix</a> for the full figures on displacement.</p>')
    return page(base, "/2024/03/16/idlib-displacement/", "Idlib: the road north", body, author="Hélène Dubois",
                date="2024-03-16", charset="iso-8859-1")


def article_e(base: str) -> str:
    return page(base, "/2024/03/18/drone-war-notes/", "Notes on the drone war", paras(paragraphs("Kharkiv", "Drones.")),
                author="Olena Kovalenko", date="2024-03-18",
                head=f'<link rel="next" href="{base}/2024/03/19/conditional-get/">')  # the next *post*, not page 2


def article_k(base: str, version: int) -> str:
    extra = ["Update: the bridge reopened to civilian traffic on Thursday evening."] if version > 1 else []
    return page(base, "/2024/03/19/conditional-get/", "The bridge at Raqqa", paras(paragraphs("Raqqa") + extra),
                author="Daniel Reyes", date="2024-03-19")


def listing(base: str, title: str, links: list[str], next_page: str | None = None) -> str:
    items = "".join(f'<article class="excerpt"><h2><a href="{base}{href}">{escape(href)}</a></h2><p>Excerpt.</p></article>'
                    for href in links)
    more = f'<a class="next page-numbers" rel="next" href="{base}{next_page}">Next</a>' if next_page else ""
    return page(base, "/", title, items + more)


def sitemap(base: str, paths: list[str], kind: str = "urlset", lastmod: dict | None = None) -> str:
    tag = "url" if kind == "urlset" else "sitemap"
    entries = "".join(f"<{tag}><loc>{base}{p}</loc><lastmod>{(lastmod or {}).get(p, '2024-03-20T12:00:00+00:00')}"
                      f"</lastmod></{tag}>" for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><{kind} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{kind}>'


def feed(base: str) -> str:
    items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in (
        A_PATH + "?utm_source=twitter&amp;utm_medium=social", B_PATH, "/2024/03/18/drone-war-notes/"))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>The Front Line Review</title>{items}</channel></rss>'


HTML = "text/html; charset=utf-8"
LATIN1 = "text/html; charset=iso-8859-1"
K_MODIFIED = {1: "Tue, 19 Mar 2024 10:00:00 GMT", 2: "Fri, 22 Mar 2024 10:00:00 GMT"}
K_LASTMOD = {1: "2024-03-20T12:00:00+00:00", 2: "2099-01-01T00:00:00+00:00"}  # the sitemap says when K changed


class FixtureSite(LocalServer):
    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []
        self.versions = {"k": 1}
        self.failures_left = {"/2024/03/18/drone-war-notes/": 1}  # answers 503 once: retried with backoff
        super().__init__(answering_handler(self.answer))

    def answer(self, request):
        self.requests.append(("GET", request.path, dict(request.headers)))
        return self.respond(request.path, request.headers)

    def reset_log(self):
        self.requests.clear()

    def set_version(self, name: str, version: int):
        self.versions[name] = version

    def respond(self, path: str, request_headers) -> tuple[int, dict, bytes]:
        base = self.base_url
        k = self.versions["k"]
        pages = {
            "/robots.txt": ("text/plain", f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap_index.xml\n"),
            "/sitemap_index.xml": ("application/xml", sitemap(base, ["/post-sitemap.xml", "/page-sitemap.xml"], "sitemapindex")),
            "/post-sitemap.xml": ("application/xml", sitemap(base, [
                A_PATH, B_PATH, "/2024/03/15/hama-frontline/", "/2024/03/16/idlib-displacement/",
                "/2024/03/19/conditional-get/", "/2024/03/20/missing-report/", "/old-url/", "/private/draft-report/"],
                lastmod={"/2024/03/19/conditional-get/": K_LASTMOD[k]})),
            "/page-sitemap.xml": ("application/xml", sitemap(base, ["/about/"])),
            "/feed/": ("application/rss+xml", feed(base)),
            "/category/syria/": (HTML, listing(base, "Syria", [A_PATH, "/2024/03/15/hama-frontline/",
                                                               "/2024/03/16/idlib-displacement/", "/private/draft-report/"],
                                               "/category/syria/page/2/")),
            "/category/syria/page/2/": (HTML, listing(base, "Syria, page 2", [B_PATH, "/2024/03/19/conditional-get/"])),
            "/": (HTML, listing(base, "The Front Line Review", [A_PATH, "/2024/03/18/drone-war-notes/"])),
            "/tag/aleppo/": (HTML, listing(base, "Aleppo", [A_PATH, "/2024/03/16/idlib-displacement/"])),
            "/tag/homs/": (HTML, listing(base, "Homs", [B_PATH])),
            "/tag/drones/": (HTML, listing(base, "Drones", ["/2024/03/18/drone-war-notes/"])),
            "/about/": (HTML, page(base, "/about/", "About us", "<p>We report on war.</p>")),
            A_PATH: (HTML, article_a(base)),
            A_PATH + "comment-page-2/": (HTML, article_a(base, 2)),
            A_PATH + "amp/": (HTML, amp_a(base)),
            B_PATH: (HTML, article_b(base, 1)),
            B_PATH + "2/": (HTML, article_b(base, 2)),
            B_PATH + "3/": (HTML, article_b(base, 3)),
            "/2024/03/15/hama-frontline/": (LATIN1, article_c(base).encode("latin-1")),
            "/2024/03/16/idlib-displacement/": (LATIN1, article_d(base).encode("utf-8")),
            "/2024/03/18/drone-war-notes/": (HTML, article_e(base)),
            "/private/draft-report/": (HTML, page(base, "/private/draft-report/", "Draft", paras(paragraphs("Mosul")))),
        }
        clean = path.split("#", 1)[0]
        route = clean.split("?", 1)[0]
        if self.failures_left.get(route):
            self.failures_left[route] -= 1
            return 503, {"Content-Type": HTML, "Retry-After": "1"}, b"<html><body>Busy</body></html>"
        if route == "/old-url/":
            return 301, {"Location": f"{base}{B_PATH}"}, b""
        if route == "/2024/03/19/conditional-get/":
            etag, modified = f'"k-v{k}"', K_MODIFIED[k]
            if request_headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": HTML, "ETag": etag, "Last-Modified": modified}, article_k(base, k).encode()
        if route not in pages:
            return 404, {"Content-Type": HTML}, b"<html><body><h1>Not found</h1></body></html>"
        content_type, body = pages[route]
        return 200, {"Content-Type": content_type, "Last-Modified": formatdate(usegmt=True)}, \
            body if isinstance(body, bytes) else body.encode("utf-8")

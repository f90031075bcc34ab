"""A deterministic synthetic corpus of long-form war reporting: saved HTML pages and plain-text seeds.

    .venv/bin/python benchmarks/synthetic.py OUT_DIR --articles N [--kind html|text|both] [--seed 1]

Every article is a function of (seed, index) alone, so any page can be produced on its own (the crawl
benchmark serves `html_page(i)` without writing files) and the files are written one by one: the corpus
is never held in memory.

HTML pages look like real WordPress long-form pages: 60-150 KB, with a head full of meta, inline styles,
JSON-LD and scripts, a nav menu, a sidebar, a footer, and an `<article>` whose body has 900-2,500 words in
paragraphs of varied length, subheadings, block quotes and figures with captions, then tags, share
buttons, an author bio and a WordPress comment thread (`ol.comment-list`, nested `ol.children`) of 0-40
comments. The body names armed groups and places from the gazetteer (crawler/enrichment/data/).

Text seeds follow the bundled seed's layout (seeds/lwj-2015-06-aleppo-counteroffensive.txt): title,
byline with date, body paragraphs and captions, author bio, tags, "N Comments", then "  • Name says:"
author lines with indented comment text (replies indented further). 5-20 KB each.

From Python:
    write_corpus(out_dir, n, kind="html", seed=1) -> list[Path]     (iter_corpus(...) yields them one by one)
    html_page(index, seed=1, base="") -> str                         one HTML page
    article_path(index, seed=1) -> "/2019/04/07/slug-123/"           its URL path
    text_seed(index, seed=1) -> str                                  one plain-text seed
    article_spec(index, seed=1) -> Spec                              what the page holds (title, comments...)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Iterator

DATA = Path(__file__).resolve().parent.parent / "crawler" / "enrichment" / "data"
SITE_NAME = "The Front Line Review"

# Fallbacks if the gazetteer files cannot be read (the generator must not depend on the product code).
FALLBACK_ACTORS = ["Islamic State", "Al Nusrah Front", "Ahrar al Sham", "Jaysh al Islam", "Hezbollah", "Wagner Group",
                   "Syrian Democratic Forces", "Houthis", "Al Shabaab", "Taliban", "Hamas", "Peshmerga"]
FALLBACK_PLACES = ["Aleppo", "Idlib", "Raqqa", "Mosul", "Kharkiv", "Bakhmut", "Sanaa", "Mogadishu", "Palmyra",
                   "Deir ez-Zor", "Kobani", "Tal Afar", "Marib", "El Fasher", "Avdiivka", "Gaza City"]

FIRST = ["Thomas", "Olena", "Daniel", "Hélène", "Bill", "Caleb", "Amira", "Jonas", "Nadia", "Karim", "Sofia", "Yusuf",
         "Marta", "Leo", "Hana", "Ivo", "Rachel", "Omar", "Katya", "David", "Layla", "Pavel", "Ines", "Samir"]
LAST = ["Joscelyn", "Kovalenko", "Reyes", "Dubois", "Roggio", "Weiss", "Haddad", "Novak", "Petrenko", "Aziz",
        "Lindqvist", "Morales", "Okafor", "Brennan", "Sato", "Rahimi", "Fischer", "Mansour", "Kowalski", "Ortega"]
HANDLES = ["steppe_watcher", "Telh", "Hispanic", "Oberron", "idi", "snackbar", "mike merlo", "C-Low", "cessch",
           "James", "historian_k", "Zoe", "Jurgen", "Kilo 2-1", "desert_fox", "Anon", "Grunt", "Vlad T.",
           "Paul in Ohio", "M. Haddad", "observer99", "Frank", "Analyst", "Sgt Rock", "EastWatch", "Ruth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

OPENERS = [
    "Fighters of the {actor} pushed into the outskirts of {place} before dawn, according to residents reached by phone",
    "The {actor} has launched yet another offensive near {place}, just weeks after its units captured {place2}",
    "Commanders of the {actor} and the {actor2} gave sharply different accounts of the battle for {place}",
    "Aid agencies said the main road between {place} and {place2} had been closed for a {ordinal} day",
    "A spokesman for the {actor} said on {weekday} that its forces had repelled an attack on {place}",
    "Satellite images reviewed by analysts show new trench lines dug around {place} since the {actor} arrived",
    "Residents of {place} described a night of shelling that they blamed on the {actor}",
    "Local officials in {place} said that the water network had been damaged in several places",
    "The {actor} claimed responsibility for a drone strike on a depot outside {place}",
    "Reinforcements from the {actor2} were seen moving along the highway toward {place}",
]
MIDDLES = [
    "and by midday fighting had spread to the old market district",
    "although neither claim could be independently verified by reporters in the region",
    "leaving thousands of families without access to bread, fuel or medical care",
    "a move that analysts said was intended to break the momentum of its rivals",
    "while repair crews could not reach the pumping station because of sniper fire",
    "in what local journalists called the heaviest fighting since {year}",
    "according to a statement posted on one of the group's official channels",
    "after negotiations mediated by tribal elders collapsed late on {weekday}",
    "and at least {number} civilians were reported killed, according to a monitoring group",
    "even as the {actor2} redeployed several hundred men from {place2}",
]
CLOSERS = [
    "The claim could not be independently confirmed.",
    "Previous offensives in the area stalled within weeks.",
    "A second convoy was reported on the same road the next morning.",
    "The group has used similar tactics in {place2} and elsewhere.",
    "Officials declined to comment on the record.",
    "Videos posted online purportedly show the fighting, but their dates are unclear.",
    "It is the {ordinal} such attack this month.",
    "Both sides have accused each other of targeting civilians.",
]
QUOTES = [
    "“We left with nothing,” one resident of {place} said. “The roads were closed and the bakeries were empty.”",
    "“They should be ready to taste defeat in {place},” a commander of the {actor} wrote on Telegram.",
    "“This is not a ceasefire, it is a pause,” said an official who asked not to be named.",
    "“Every village we take back is a village they will try to take again,” a {actor} fighter said.",
]
COMMENT_TEXTS = [
    "Not the only offensive. The {actor} is also hitting positions around {place}, and nobody is reporting it.",
    "Good reporting under hard conditions. The maps are especially useful.",
    "Do you have a source for the claim about {place}? I have seen conflicting reports on social media.",
    "The {actor} has been here before. In {year} they held {place} for almost a month before withdrawing.",
    "Infighting between the {actor} and the {actor2} can only help the civilians caught in between, for now.",
    "What happened to the water station? The article mentions it but never follows up.",
    "This is exactly what analysts predicted last spring, and nobody listened.",
    "The road from {place} to {place2} was retaken since, according to local journalists.",
    "Interesting piece, but it overstates the strength of the {actor}. Their numbers are much smaller now.",
    "Thank you for covering this. Hardly anyone else does.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh"]
SUBHEADS = ["The road north", "A second front", "What the videos show", "Reinforcements", "The humanitarian toll",
            "Rival claims", "Background", "What comes next", "The view from the ground", "Analysis"]
TAGS = ["Syria", "Iraq", "Ukraine", "Yemen", "Sudan", "Sahel", "Somalia", "Drones", "Ceasefire", "Islamic State",
        "Al Qaeda", "Humanitarian", "Analysis", "Hezbollah", "Russia", "Iran"]
MENU = ["Home", "Analysis", "Syria", "Iraq", "Ukraine", "Africa", "Yemen", "Maps", "Podcasts", "Newsletter",
        "About", "Contact", "Donate", "Archives", "Authors", "Threat Matrix", "Special Reports", "Events"]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[str]]:
    """Canonical names (and some aliases) of actors and places from the gazetteer."""
    actors, places = list(FALLBACK_ACTORS), list(FALLBACK_PLACES)
    try:
        import yaml
        doc = yaml.safe_load((DATA / "actors.yml").read_text(encoding="utf-8"))
        found = []
        for actor in doc.get("actors", []):
            found.append(actor["name"])
            found.extend(a for a in actor.get("aliases", []) if len(a) > 5 and not a.isupper())
        actors = sorted(set(found)) or actors
        doc = yaml.safe_load((DATA / "places.yml").read_text(encoding="utf-8"))
        found = [p["name"] for p in doc.get("places", [])] + [r["name"] for r in doc.get("regions", [])]
        found += [c["name"] for c in doc.get("countries", [])][:40]
        places = sorted(set(found) | set(FALLBACK_PLACES)) or places
    except Exception:  # noqa: BLE001 - a benchmark corpus still works on the fallback lists
        pass
    return actors, places


@dataclass
class SpecComment:
    id: int
    author: str
    posted: str  # ISO datetime
    paragraphs: list[str]
    parent: int | None = None  # index into the article's comment list


@dataclass
class Spec:
    index: int
    title: str
    slug: str
    author: str
    published: dt.date
    paragraphs: list[tuple[str, str]]  # (kind, text): p, h2, quote, figure
    tags: list[str]
    comments: list[SpecComment] = field(default_factory=list)

    @property
    def path(self) -> str:
        d = self.published
        return f"/{d.year:04d}/{d.month:02d}/{d.day:02d}/{self.slug}/"

    @property
    def body_words(self) -> int:
        return sum(len(text.split()) for kind, text in self.paragraphs if kind in ("p", "quote"))


def _fill(rng: random.Random, template: str) -> str:
    actors, places = vocabulary()
    return template.format(
        actor=rng.choice(actors), actor2=rng.choice(actors), place=rng.choice(places), place2=rng.choice(places),
        weekday=rng.choice(WEEKDAYS), ordinal=rng.choice(ORDINALS), year=rng.randint(2012, 2024),
        number=rng.randint(3, 140))


def _sentence(rng: random.Random) -> str:
    text = _fill(rng, rng.choice(OPENERS))
    if rng.random() < 0.7:
        text += ", " + _fill(rng, rng.choice(MIDDLES))
    return text + "."


def _paragraph(rng: random.Random) -> str:
    sentences = [_sentence(rng) for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5]))]
    if rng.random() < 0.5:
        sentences.append(_fill(rng, rng.choice(CLOSERS)))
    return " ".join(sentences)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _thread_order(comments: list[SpecComment]) -> list[SpecComment]:
    """Depth-first, as a threaded page shows them (a reply right under its parent); parents re-indexed."""
    order: list[int] = []

    def visit(i: int) -> None:
        order.append(i)
        for j, c in enumerate(comments):
            if c.parent == i:
                visit(j)
    for i, c in enumerate(comments):
        if c.parent is None:
            visit(i)
    new_index = {old: new for new, old in enumerate(order)}
    return [SpecComment(comments[i].id, comments[i].author, comments[i].posted, comments[i].paragraphs,
                        None if comments[i].parent is None else new_index[comments[i].parent]) for i in order]


def _headline(rng: random.Random, index: int) -> tuple[str, str, dt.date]:
    actors, places = vocabulary()
    place, actor = rng.choice(places), rng.choice(actors)
    title = rng.choice([
        f"With sudden advances near {place}, {actor} provokes counteroffensive",
        f"{actor} fighters push into {place} as rivals scramble",
        f"The battle for {place}: how the {actor} regrouped",
        f"Analysis: what the fall of {place} means for the {actor}",
        f"Inside the siege of {place}",
        f"{actor} claims drone strikes around {place}",
    ]) + f", dispatch {index}"  # unique; a title ending in ")" would read as prose in a text seed
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70].strip("-") + f"-{index}"
    published = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 13))
    return title, slug, published


def article_spec(index: int, seed: int = 1, *, min_words: int = 900, max_words: int = 2500,
                 max_comments: int = 40) -> Spec:
    """The article number `index` of corpus `seed`: a function of both alone."""
    rng = random.Random(f"frontline-synthetic-{seed}-{index}")
    title, slug, published = _headline(rng, index)
    target = rng.randint(min_words, max_words)
    paragraphs: list[tuple[str, str]] = []
    words = 0
    while words < target:
        roll = rng.random()
        if paragraphs and roll < 0.06:
            paragraphs.append(("h2", rng.choice(SUBHEADS)))
            continue
        if paragraphs and roll < 0.12:
            paragraphs.append(("figure", f"{_fill(rng, 'Fighters of the {actor} near {place}')}, "
                                         f"{MONTHS[published.month - 1]} {published.year}"))
            continue
        text = _fill(rng, rng.choice(QUOTES)) if roll < 0.18 else _paragraph(rng)
        paragraphs.append(("quote" if roll < 0.18 else "p", text))
        words += len(text.split())
    tags = rng.sample(TAGS, rng.randint(2, 6))
    comments: list[SpecComment] = []
    count = rng.choice([0, 0, rng.randint(1, 5), rng.randint(1, 15), rng.randint(5, max_comments)]) \
        if max_comments else 0
    posted = dt.datetime.combine(published, dt.time(8, 0))
    depth: list[int] = []
    for c in range(min(count, max_comments)):
        posted += dt.timedelta(minutes=rng.randint(3, 600))
        parent = rng.randrange(c) if c and rng.random() < 0.35 else None
        if parent is not None and depth[parent] >= 3:  # WordPress' default thread depth is 5; keep it shallow
            parent = None
        depth.append(0 if parent is None else depth[parent] + 1)
        texts = [_fill(rng, rng.choice(COMMENT_TEXTS)) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        comments.append(SpecComment(id=index * 100 + c + 1, author=rng.choice(HANDLES), posted=posted.isoformat(),
                                    paragraphs=texts, parent=parent))
    comments = _thread_order(comments)
    return Spec(index, title, slug, _person(rng), published, paragraphs, tags, comments)


def article_path(index: int, seed: int = 1) -> str:
    _, slug, d = _headline(random.Random(f"frontline-synthetic-{seed}-{index}"), index)
    return f"/{d.year:04d}/{d.month:02d}/{d.day:02d}/{slug}/"


# --- HTML --------------------------------------------------------------------------------------------

def _comment_li(comments: list[SpecComment], i: int, date_text) -> str:
    c = comments[i]
    children = "".join(_comment_li(comments, j, date_text) for j, k in enumerate(comments) if k.parent == i)
    nested = f'<ol class="children">{children}</ol>' if children else ""
    text = "".join(f"<p>{escape(p)}</p>" for p in c.paragraphs)
    return (f'<li id="comment-{c.id}" class="comment even thread-even depth-1"><article id="div-comment-{c.id}" '
            f'class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
            f'<img alt="" src="https://secure.gravatar.com/avatar/{c.id:032x}?s=56&amp;d=mm" class="avatar" '
            f'height="56" width="56" loading="lazy"><b class="fn">{escape(c.author)}</b> <span class="says">says:</span>'
            f'</div><div class="comment-metadata"><a href="#comment-{c.id}"><time datetime="{c.posted}">'
            f'{date_text(c.posted)}</time></a></div></footer><div class="comment-content">{text}</div>'
            f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom={c.id}#respond" '
            f'data-commentid="{c.id}" aria-label="Reply to {escape(c.author)}">Reply</a></div></article>{nested}</li>\n')


def _thread(spec: Spec) -> str:
    def date_text(iso: str) -> str:
        d = dt.datetime.fromisoformat(iso)
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year} at {d.strftime('%I:%M %p').lstrip('0').lower()}"
    items = "".join(_comment_li(spec.comments, i, date_text) for i, c in enumerate(spec.comments) if c.parent is None)
    heading = (f'<h2 class="comments-title">{len(spec.comments)} thoughts on “{escape(spec.title)}”</h2>'
               f'<ol class="comment-list">{items}</ol>') if spec.comments else ""
    return (f'<section id="comments" class="comments-area">{heading}<div id="respond" class="comment-respond">'
            '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form action="/wp-comments-post.php" '
            'method="post" id="commentform" class="comment-form"><p class="comment-notes">Your email address will not '
            'be published. Required fields are marked *</p><p class="comment-form-comment"><label for="comment">Comment'
            '</label><textarea id="comment" name="comment" cols="45" rows="8"></textarea></p><p class="comment-form-'
            'author"><label for="author">Name *</label><input id="author" name="author" type="text"></p><p class='
            '"form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p>'
            '</form></div></section>')


def _body_html(rng: random.Random, spec: Spec, base: str) -> str:
    out = []
    d = spec.published
    for n, (kind, text) in enumerate(spec.paragraphs):
        if kind == "p":
            out.append(f"<p>{escape(text)}</p>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
        elif kind == "h2":
            out.append(f"<h2>{escape(text)}</h2>")
        else:
            src = f"{base}/wp-content/uploads/{d.year:04d}/{d.month:02d}/photo-{spec.index}-{n}.jpg"
            credit = rng.choice(["AFP", "Reuters", "AP", "social media", "the group's channel"])
            lazy = rng.random() < 0.3
            img = (f'<img data-src="{src}" class="lazyload" alt="" width="800" height="533">' if lazy else
                   f'<img src="{src}" alt="" width="800" height="533" srcset="{src} 800w, {src[:-4]}-300x200.jpg 300w" '
                   f'sizes="(max-width: 800px) 100vw, 800px">')
            out.append(f'<figure id="attachment_{spec.index}{n}" class="wp-caption aligncenter">{img}'
                       f'<figcaption class="wp-caption-text">{escape(text)} <span class="credit">Photo: {credit}'
                       f'</span></figcaption></figure>')
    return "\n".join(out)


def _filler_css(rng: random.Random, size: int) -> str:
    rules, total = [], 0
    props = ["margin", "padding", "color", "font-size", "line-height", "border", "display", "width"]
    while total < size:
        rule = (f".wp-block-{rng.choice(MENU).lower()}-{rng.randint(1, 9999)} .el-{rng.randint(1, 999)}"
                f"{{{rng.choice(props)}:{rng.randint(0, 40)}px;{rng.choice(props)}:#{rng.randint(0, 0xFFFFFF):06x}}}")
        rules.append(rule)
        total += len(rule)
    return "\n".join(rules)


def _filler_js(rng: random.Random, size: int) -> str:
    entries, total = [], 0
    while total < size:
        entry = json.dumps({"id": rng.randint(1, 10**6), "slot": f"ad-{rng.randint(1, 99)}",
                            "sizes": [[300, 250], [728, 90]], "targeting": {"section": rng.choice(MENU),
                                                                            "kw": rng.sample(TAGS, 3)}})
        entries.append(entry)
        total += len(entry)
    return "window.__adSlots = [" + ",".join(entries) + "];"


def _filler_dom(rng: random.Random, size: int, base: str) -> tuple[str, str]:
    """Markup that real pages carry around the article: a mega menu and a related-posts grid."""
    menu, related, total = [], [], 0
    while total < size // 2:
        section = rng.choice(MENU)
        items = "".join(f'<li class="menu-item menu-item-type-taxonomy"><a href="{base}/category/{section.lower()}/'
                        f'{rng.choice(TAGS).lower().replace(" ", "-")}-{k}/"><span class="menu-text">'
                        f'{escape(_fill(rng, "{place}"))}</span></a></li>' for k in range(rng.randint(4, 10)))
        block = (f'<li class="menu-item menu-item-has-children mega"><a href="{base}/category/{section.lower()}/">'
                 f'{section}</a><div class="mega-panel"><ul class="sub-menu">{items}</ul></div></li>')
        menu.append(block)
        total += len(block)
    while total < size:
        n = rng.randint(1, 10**5)
        block = (f'<div class="related-card"><a class="thumb" href="{base}/related/{n}/"><img src="{base}/wp-content/'
                 f'uploads/thumb-{n}.jpg" alt="" width="300" height="200" loading="lazy"></a><div class="meta">'
                 f'<span class="cat">{rng.choice(TAGS)}</span><h3 class="title"><a href="{base}/related/{n}/">'
                 f'{escape(_fill(rng, "{actor} near {place}"))}</a></h3><span class="date">{rng.choice(MONTHS)} '
                 f'{rng.randint(1, 28)}, {rng.randint(2012, 2024)}</span></div></div>')
        related.append(block)
        total += len(block)
    return ('<ul class="mega-menu">' + "".join(menu) + "</ul>",
            '<aside class="related-posts"><h2>Related</h2><div class="grid">' + "".join(related) + "</div></aside>")


def html_page(index: int, seed: int = 1, base: str = "") -> str:
    """One article page, 60-150 KB. `base` is the site's origin for absolute links ('' = relative)."""
    spec = article_spec(index, seed)
    rng = random.Random(f"frontline-synthetic-html-{seed}-{index}")
    target = rng.randint(60, 150) * 1024
    d = spec.published
    iso = f"{d.isoformat()}T{rng.randint(6, 20):02d}:{rng.randint(0, 59):02d}:00+00:00"
    url = f"{base}{spec.path}"
    menu = "".join(f'<li class="menu-item menu-item-{i}"><a href="{base}/category/{m.lower()}/">{m}</a></li>'
                   for i, m in enumerate(MENU))
    recent = "".join(f'<li><a href="{base}{article_path(max(0, index - k - 1), seed) if index > k else "/"}">'
                     f'{escape(rng.choice(SUBHEADS))}: {escape(_fill(rng, "{place}"))}</a></li>' for k in range(8))
    tag_cloud = " ".join(f'<a href="{base}/tag/{t.lower().replace(" ", "-")}/" rel="tag" class="tag-cloud-link" '
                         f'style="font-size:{rng.randint(8, 22)}pt">{t}</a>' for t in TAGS)
    tags = ", ".join(f'<a href="{base}/tag/{t.lower().replace(" ", "-")}/" rel="tag">{escape(t)}</a>' for t in spec.tags)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
                     "datePublished": iso, "author": {"@type": "Person", "name": spec.author},
                     "publisher": {"@type": "Organization", "name": SITE_NAME}, "mainEntityOfPage": url})
    date_text = f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    bio = (f'<div class="author-bio"><p>{escape(spec.author)} is a Senior Fellow at the Foundation for Defense of '
           f'Democracies and a contributor to {SITE_NAME}.</p></div>')
    head = f"""<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(spec.title)} | {SITE_NAME}</title>
<link rel="canonical" href="{url}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} Feed" href="{base}/feed/">
<meta name="author" content="{escape(spec.author)}">
<meta name="description" content="{escape(spec.paragraphs[0][1][:150])}">
<meta property="og:type" content="article"><meta property="og:title" content="{escape(spec.title)}">
<meta property="og:url" content="{url}"><meta property="og:site_name" content="{SITE_NAME}">
<meta property="article:published_time" content="{iso}">
<link rel="stylesheet" id="theme-css" href="{base}/wp-content/themes/frontline/style.css?ver=6.4.2" media="all">
<script type="application/ld+json">{ld}</script>"""
    parts_before = f"""<!DOCTYPE html>
<html lang="en-US"><head>{head}
<style id="global-styles-inline-css">{{FILL_CSS}}</style>
</head>
<body class="post-template-default single single-post postid-{spec.index} single-format-standard">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site"><header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="{base}/" rel="home">{SITE_NAME}</a></p><p class="site-description">Reporting from the
front lines since 2007</p></div><nav id="site-navigation" class="main-navigation"><button class="menu-toggle"
aria-controls="primary-menu" aria-expanded="false">Menu</button><ul id="primary-menu" class="menu">{menu}</ul>
{{FILL_MENU}}</nav>
<form role="search" method="get" class="search-form" action="{base}/"><input type="search" class="search-field"
name="s" placeholder="Search …"><input type="submit" class="search-submit" value="Search"></form></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-{spec.index}" class="post-{spec.index} post type-post status-publish format-standard hentry">
<header class="entry-header"><h1 class="entry-title">{escape(spec.title)}</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n" href="{base}/author/{spec.author.lower().replace(' ', '-')}/">{escape(spec.author)}</a></span></span> | <span class="posted-on">
<time class="entry-date published" datetime="{iso}">{date_text}</time></span></div></header>
<div class="entry-content">
{_body_html(rng, spec, base)}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
{bio}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a class="share-twitter"
href="#">Twitter</a></li><li><a class="share-facebook" href="#">Facebook</a></li><li><a class="share-email"
href="#">Email</a></li></ul></div>
</article>
{_thread(spec)}
{{FILL_RELATED}}
</main>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">
Recent Posts</h2><ul>{recent}</ul></section><section class="widget widget_tag_cloud"><h2 class="widget-title">Tags
</h2><div class="tagcloud">{tag_cloud}</div></section><section class="widget widget_text"><h2 class="widget-title">
Newsletter</h2><p>Get our analysis in your inbox every week.</p></section></aside></div>
<footer id="colophon" class="site-footer"><nav class="footer-navigation"><ul>{menu}</ul></nav><div class="site-info">
© {d.year} {SITE_NAME}. All rights reserved. <a href="{base}/privacy/">Privacy policy</a></div></footer></div>
<script id="ads-js">{{FILL_JS}}</script>
<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
</body></html>
"""
    room = max(0, target - len(parts_before.encode("utf-8")))
    mega, related = _filler_dom(rng, room // 2, base)  # half markup, a quarter inline CSS, a quarter scripts
    css = _filler_css(rng, room // 4)
    js = _filler_js(rng, room - len(css) - len(mega) - len(related))
    return (parts_before.replace("{FILL_MENU}", mega, 1).replace("{FILL_RELATED}", related, 1)
            .replace("{FILL_CSS}", css, 1).replace("{FILL_JS}", js, 1))


# --- plain text -----------------------------------------------------------------------------------

def _wrap(text: str, indent: str) -> str:
    return indent + text  # the seed keeps one paragraph per line


def text_seed(index: int, seed: int = 1) -> str:
    """One plain-text seed in the bundled seed's layout, 5-20 KB."""
    spec = article_spec(index, seed, min_words=750, max_words=2200, max_comments=30)
    d = spec.published
    lines = [spec.title, f"By {spec.author} | {MONTHS[d.month - 1]} {d.day}, {d.year}"]
    for kind, text in spec.paragraphs:
        if kind == "figure":
            lines.append(f"Screen Shot {d.isoformat()} at {1 + spec.index % 11}.{spec.index % 60:02d}.16 PM")
        elif kind == "h2":
            continue
        else:
            lines.append(text)
    lines.append(f"{spec.author} is a Senior Fellow at the Foundation for Defense of Democracies and a contributor "
                 f"to {SITE_NAME}.")
    lines.append("Tags: " + ", ".join(spec.tags))
    text = "\n\n".join(lines)
    budget = 20 * 1024 - 300
    thread, depths = [], {}
    if spec.comments:
        for i, c in enumerate(spec.comments):
            depth = 0 if c.parent is None else depths[c.parent] + 1
            depths[i] = depth
            pad = "  " + "    " * depth
            when = dt.datetime.fromisoformat(c.posted)
            author = (f"{pad}• {c.author} says:" if i % 3 else
                      f"{pad}• {c.author} on {MONTHS[when.month - 1]} {when.day}, {when.year} at "
                      f"{when.strftime('%I:%M %p').lstrip('0').lower()} said:")
            block = [author] + [f"{pad}  {p}" for p in c.paragraphs]
            chunk = "\n\n".join(block)
            if len((text + "\n\n".join(thread) + chunk).encode("utf-8")) > budget:
                break
            thread.append(chunk)
    if thread:
        text += f"\n\n{len(thread)} Comments\n\n" + "\n\n".join(thread)
    return text + "\n"


def text_seed_comments(index: int, seed: int = 1) -> int:
    """How many comments text_seed(index) carries (a thread may be cut to stay under 20 KB)."""
    match = re.search(r"^(\d+) Comments$", text_seed(index, seed), re.MULTILINE)
    return int(match.group(1)) if match else 0


# --- corpus ---------------------------------------------------------------------------------------

def documents(n: int, kind: str = "html", seed: int = 1) -> Iterator[tuple[str, str]]:
    """(file name, content) of each corpus file in turn, generated on demand."""
    kinds = ["html", "text"] if kind == "both" else [kind]
    if any(k not in ("html", "text") for k in kinds):
        raise ValueError(f"kind must be html, text or both, not {kind!r}")
    for i in range(n):
        for k in kinds:
            if k == "html":
                yield f"article-{i:06d}.html", html_page(i, seed)
            else:
                yield f"seed-{i:06d}.txt", text_seed(i, seed)


def iter_corpus(out_dir, n: int, kind: str = "html", seed: int = 1) -> Iterator[Path]:
    """Write the corpus file by file, yielding each path as it is written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in documents(n, kind, seed):
        path = out / name
        path.write_text(content, encoding="utf-8")
        yield path


def write_corpus(out_dir, n: int, kind: str = "html", seed: int = 1) -> list[Path]:
    return list(iter_corpus(out_dir, n, kind, seed))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--kind", choices=["html", "text", "both"], default="html")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count, size = 0, 0
    for path in iter_corpus(args.out_dir, args.articles, args.kind, args.seed):
        count += 1
        size += path.stat().st_size
    print(f"wrote {count} files, {size / 1e6:.1f} MB, to {args.out_dir}")


if __name__ == "__main__":
    sys.exit(main())

"""Is this page an article? For a site without a profile, the page decides, not its URL.

A generic crawl cannot know a site's URL scheme (`/YYYY/MM/slug`, `/news/123`, `?p=42`...), so it fetches
every page it is led to and asks the page itself. The signals, strongest first:
- the page type the site declares, as trafilatura reads it: og:type, then JSON-LD `@type`
  (Article, NewsArticle, BlogPosting, Report...; CollectionPage, ProfilePage, SearchResultsPage... say no);
- prose: an article has one block of running paragraphs; a listing has many short excerpts, each in its own
  element, and a home or about page has little running text.
"""

from __future__ import annotations

from trafilatura.metadata import Document, extract_meta_json, extract_opengraph

ARTICLE_TYPES = {
    "article", "newsarticle", "analysisnewsarticle", "askpublicnewsarticle", "backgroundnewsarticle",
    "opinionnewsarticle", "reportagenewsarticle", "reviewnewsarticle", "report", "satiricalarticle",
    "scholarlyarticle", "medicalscholarlyarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "advertisercontentarticle", "techarticle",
}
NOT_ARTICLE_TYPES = {
    "aboutpage", "checkoutpage", "collectionpage", "contactpage", "faqpage", "itempage", "profilepage",
    "qapage", "realestatelisting", "searchresultspage", "profile", "video.other", "music.song", "product",
}
MIN_PROSE_WORDS = 50  # running text of one block: 95% of real blog posts have more (shared bench), an excerpt less
MIN_PARAGRAPH_WORDS = 8
NOT_PROSE = "ancestor::nav or ancestor::footer or ancestor::aside or ancestor::header or ancestor::form"


def page_type(tree) -> str | None:
    """The type the page declares (og:type first, then JSON-LD), lower-cased; None when it declares none."""
    declared = extract_opengraph(tree).get("pagetype") or extract_meta_json(tree, Document()).pagetype
    return declared.strip().lower().removeprefix("og:") if declared else None


def prose_words(tree) -> int:
    """Words in the longest run of paragraphs that share one parent, outside navigation and footers. A
    paragraph is a <p>, or text written straight into a block (a div or cell whose lines are split by <br>)."""
    blocks: dict = {}

    def add(block, text: str) -> None:
        words = len(text.split())
        if words >= MIN_PARAGRAPH_WORDS:
            blocks[block] = blocks.get(block, 0) + words

    for paragraph in tree.xpath(f"//body//p[not({NOT_PROSE})]"):
        add(paragraph.getparent(), paragraph.text_content())
    for block in tree.xpath(f"//body//*[self::div or self::td or self::section or self::article or self::blockquote]"
                            f"[text()[normalize-space()]][not({NOT_PROSE})]"):
        for line in " ".join(block.xpath("text()")).split("\n\n"):
            add(block, line)
    return max(blocks.values(), default=0)


def article_verdict(tree) -> tuple[bool, str]:
    """(is it an article, why): the reason goes into `skipped` when it is not. A document without a <title>
    is no web page to judge (random bytes, tag soup): it counts as a candidate, and extraction rejects it
    with the exact reason (binary data, no article body) if nothing can be read from it."""
    if not tree.xpath("//head/title | //title"):
        return True, "no <title>: left to extraction"
    declared = page_type(tree)
    if declared in ARTICLE_TYPES:
        return True, f"page type {declared}"
    if declared in NOT_ARTICLE_TYPES:
        return False, f"not an article (page type {declared})"
    words = prose_words(tree)
    if words >= MIN_PROSE_WORDS:
        return True, f"{words} words of running text"
    kind = f"page type {declared}, " if declared else "no article page type, "
    return False, f"not an article ({kind}longest block of running text {words} words)"

"""What extraction produces, independent of where the page came from (text seed, saved HTML, web)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Comment:
    author: str | None
    text: str
    posted: str | None = None
    reply_to: int | None = None  # 0-based index of an earlier comment on the same page
    reply_by: str | None = None  # how reply_to was found: "nesting" or "mention"
    posted_text: str | None = None  # the date as the page prints it, beside the parsed `posted`
    author_url: str | None = None  # the commenter's profile link
    # how the comment was read: a comment system's registry name, "generic" (structure alone), "text-blob"
    # (a thread without recognisable records, kept as text), "profile" (a site profile's selectors), "schema.org"
    # (schema.org Comment records in JSON-LD, microdata or RDFa), "text" (a plain-text rendering's segmenter)
    structure: str | None = None
    language: str | None = None  # set by enrichment; not part of the extract contract


@dataclass
class Boilerplate:
    kind: str  # nav, image, caption, author_bio, tags, comment_header, share, menu, footer, ...
    text: str


@dataclass
class Media:
    src: str
    caption: str | None = None
    credit: str | None = None
    figcaption: str | None = field(default=None, repr=False)  # caption and credit as printed


@dataclass
class Extraction:
    title: str | None = None
    author: str | None = None  # the authors joined by "; "
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO date
    date_source: str | None = None  # byline, url, image_filename, metadata, first_comment
    body: str = ""  # paragraphs separated by blank lines
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # the site's sections the post is filed in
    comments_declared: int | None = None
    comments: list[Comment] = field(default_factory=list)
    comment_path: str | None = None  # how the thread was read: the structure of its comments, "none" without
    comment_coverage: float | None = None  # share of the comment region's words that the comments hold
    boilerplate: list[Boilerplate] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    extractor: str = ""
    warnings: list[str] = field(default_factory=list)

    def author_list(self) -> list[str]:
        """The authors one by one; a plain-text page names only its one author."""
        return list(self.authors) or ([self.author] if self.author else [])

    def to_json(self) -> dict:
        """The `frontline extract` document: a stable contract, so internal fields stay out."""
        return {
            "title": self.title,
            "author": self.author,
            "authors": self.author_list(),
            "published": self.published,
            "body": self.body,
            "tags": list(self.tags),
            "categories": list(self.categories),
            "comments_declared": self.comments_declared,
            "comment_path": self.comment_path,
            "comments": [
                {"author": c.author, "author_url": c.author_url, "posted": c.posted, "posted_text": c.posted_text,
                 "text": c.text, "reply_to": c.reply_to, "structure": c.structure}
                for c in self.comments
            ],
            "boilerplate": [asdict(b) for b in self.boilerplate],
        }

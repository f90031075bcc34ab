"""What a spider reads of a page in the one writer process: its head alone, unless it must read more.

`response.xpath` parses the whole page with lxml and keeps the tree on the response, which lives while its
item waits for a worker: parsing every ~100 KB page cost the writer ~3 ms of its time per page, and the
dozens of pages in flight held some 350 MB (benchmarks/README.md, "Issue 15: the writer's memory"). The
workers parse the page anyway. rel=canonical, rel=next and og:url belong in the head, where search engines
read them too.
"""

from __future__ import annotations

import re

from parsel import Selector
from w3lib.encoding import html_to_unicode

HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)


def head_selector(response) -> Selector:
    """A selector over the page up to the end of its head (the whole page when no end is found)."""
    end = HEAD_END.search(response.body)
    content_type = response.headers.get(b"Content-Type")
    return Selector(text=html_to_unicode(content_type and content_type.decode("latin-1"),
                                         response.body[:end.start() if end else None])[1])


def page_selector(response, markers: tuple[str, ...]) -> Selector:
    """The head alone, or the whole page when its text holds one of `markers` (class names of what must be
    read in the body): a page without them is never parsed whole here."""
    if any(marker in response.text for marker in markers):
        return Selector(text=response.text)
    return head_selector(response)

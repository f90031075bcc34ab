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

HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.IGNORECASE)


def head_selector(response) -> Selector:
    """A selector over the page up to the end of its head (the whole page when no end is found)."""
    text = response.text  # decoded as Scrapy decodes it: headers, BOM, <meta charset>, then a guess
    end = HEAD_END.search(text)
    return Selector(text=text[:end.start()] if end else text)


def page_selector(response, markers: tuple[str, ...]) -> Selector:
    """The head alone, or the whole page when its text holds one of `markers` (class names of what must be
    read in the body): a page without them is never parsed whole here. A selector of its own, not
    `response.selector`, so that no tree stays on the response."""
    if any(marker in response.text for marker in markers):
        return Selector(text=response.text)
    return head_selector(response)

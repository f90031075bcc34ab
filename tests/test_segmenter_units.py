"""The pieces the segmenter is built from: comment headers, author lines, dates, furniture, layouts."""

import textwrap

import pytest

from crawler.extraction.boilerplate import bio_author, classify_line
from crawler.extraction.comments import comment_header_count, parse_author_line
from crawler.extraction.dates import is_relative_date_line, parse_date, parse_date_line
from crawler.extraction.text import segment_text, split_segments


@pytest.mark.parametrize("line, expected", [
    ("12 Comments", (True, 12)),
    ("3 Responses to “Rebels regroup north of Aleppo”", (True, 3)),
    ("Comments (5)", (True, 5)),
    ("One Response", (True, 1)),
    ("2 thoughts on “Kobani”", (True, 2)),
    ("No comments", (True, 0)),
    ("Comments", (True, None)),
    ("1,024 comments", (True, 1024)),
    ("12 fighters were killed", (False, None)),
    ("Comments from the minister were not available.", (False, None)),
])
def test_comment_headers(line, expected):
    assert comment_header_count(line) == expected


@pytest.mark.parametrize("line, name, posted", [
    ("Telh says:", "Telh", None),
    ("  • mike merlo says:", "mike merlo", None),
    ("C-Low says:", "C-Low", None),
    ("Jan on June 2, 2015 at 3:01 pm said:", "Jan", "2015-06-02T15:01:00"),
    ("Sarah K | June 2, 2015", "Sarah K", "2015-06-02"),
    ("user_1987 | 4 May 2017 at 09:15", "user_1987", "2017-05-04T09:15:00"),
    ("Hélène Dubois says:", "Hélène Dubois", None),
])
def test_author_lines(line, name, posted):
    author = parse_author_line(line)
    assert (author.name, author.posted) == (name, posted)


@pytest.mark.parametrize("line", [
    "The statement says:",
    "• The ministry says: the strikes hit military targets only.",
    "Kobani: the YPG says the town is secure",
    "Reuters | Aleppo",
    "He said:",
])
def test_not_author_lines(line):
    assert parse_author_line(line) is None


@pytest.mark.parametrize("text, expected", [
    ("June 2, 2015 at 3:01 pm", "2015-06-02T15:01:00"),
    ("Published: 4 May 2017", "2017-05-04"),
    ("2019-03-03", "2019-03-03"),
    ("Wed, June 3, 2015 | 09:12", "2015-06-03T09:12:00"),
    ("June 2, 2015 at 3:01 pm EST", "2015-06-02T15:01:00"),
])
def test_date_lines(text, expected):
    assert parse_date_line(text) == expected


@pytest.mark.parametrize("text, expected", [  # dateutil's readings: month names and am/pm are read without it
    ("Monday, March 3rd, 2019", "2019-03-03"),
    ("3 Sept. 2019", "2019-09-03"),
    ("Tues 31st DECEMBER 1999, 12:00 pm", "1999-12-31T12:00:00"),
    ("Feb 29, 2020 12:30 am", "2020-02-29T00:30:00"),
    ("February 30, 2019", None),
    ("1 Jan 0000", "2000-01-01"),  # dateutil's century for a year under 100
    ("May 5, 2019 at 0:30 pm", "2019-05-05T12:30:00"),
    ("May 5, 2019 13:05 pm", "2019-05-05T13:05:00"),  # no such hour with pm: dateutil drops the pm
    ("May 5, 2019 4.12 p.m.", "2019-05-05T16:12:00"),
    ("May 5, 2019 at 11:59:59 PM", "2019-05-05T23:59:59"),
])
def test_dates_with_month_names_read_as_dateutil_reads_them(text, expected):
    assert parse_date(text) == expected


def test_dates_inside_sentences_are_not_date_lines():
    assert parse_date_line("On June 2, 2015 the town fell to the rebels.") is None
    assert parse_date("On June 2, 2015 the town fell to the rebels.") == "2015-06-02"
    assert parse_date("in the spring") is None


@pytest.mark.parametrize("line, kind", [
    ("Screen Shot 2015-06-01 at 1.58.16 PM", "image"),
    ("IMG_4021.jpg", "image"),
    ("[Image: rebels near Aleppo]", "image"),
    ("Photo: Reuters", "caption"),
    ("Tags: Syria, Aleppo", "tags"),
    ("Filed under: Middle East", "categories"),
    ("Share this:", "share"),
    ("Twitter", "share"),
    ("Leave a Reply", "comment_form"),
    ("Your email address will not be published. Required fields are marked *", "comment_form"),
    ("Reply", "comment_ui"),
    ("Related posts", "related"),
    ("© 2019 Example Media", "footer"),
    ("Privacy Policy", "footer"),
    ("Skip to content", "nav"),
    ("Advertisement", "ad"),
    ("Residents gather outside the church after Sunday mass. (AFP)", "caption"),
    ("Share this: Twitter Facebook Email", "share"),
    ("About | Privacy Policy | © 2024 Horn Review", "footer"),
    ("Print / Share", "share"),
    ("Like (8)   Reply", "comment_ui"),
    ("Re: Sahel: what the withdrawal of French troops changed", "comment_ui"),
])
def test_furniture(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize("line", [
    "The group said on Twitter that its fighters would reply to any attack.",
    "Print media in the region has been shut down for months, and reporters now share a single satellite link.",
])
def test_prose_mentioning_furniture_words_is_not_furniture(line):
    assert classify_line(line) is None


def test_author_bio():
    assert bio_author("Thomas Joscelyn is a Senior Fellow at the Foundation for Defense of Democracies.") == \
        "Thomas Joscelyn"
    assert bio_author("Abu Muhammad al Maqdisi is a jihadist ideologue who backs al Qaeda.") is None


ARTICLE = [
    "Shelling resumes on the southern front",
    "Artillery fire resumed along the southern front line on Tuesday, local officials said, after two days of calm.",
    "The shelling hit three villages and damaged a water pumping station that serves about 40,000 people.",
]


def test_crlf_and_no_blank_lines():
    page = segment_text("\r\n".join(ARTICLE + ["2 Comments", "anna says:", "Terrible news.", "Bob says:",
                                               "Stay safe everyone."]) + "\r\n")
    assert page.title == ARTICLE[0]
    assert page.body.split("\n\n") == ARTICLE[1:]
    assert [(c.author, c.text) for c in page.comments] == [("anna", "Terrible news."), ("Bob", "Stay safe everyone.")]


def test_bullet_list_in_body_is_not_a_comment_thread():
    text = "\n\n".join(ARTICLE + ["The agreement includes:", "• a ceasefire along the front: from Friday",
                                 "• prisoner exchanges", "• humanitarian corridors", ARTICLE[2]])
    page = segment_text(text)
    assert page.comments == []
    assert "• prisoner exchanges" in page.body.split("\n\n")


def test_hard_wrapped_paragraphs_are_rejoined():
    paragraph = ("Artillery fire resumed along the southern front line on Tuesday, local officials said, after "
                 "two days of calm in which residents had begun to return to their homes and repair roofs.")
    wrapped = "\n".join(textwrap.wrap(paragraph, 70))
    segments = split_segments("\n\n".join([ARTICLE[0], wrapped, wrapped, wrapped, wrapped]))
    assert [s.text for s in segments][1:] == [paragraph] * 4


def test_nesting_by_indentation():
    thread = "\n".join(["3 Comments", "", "  anna says:", "    First.", "", "      Bob says:", "        Reply to anna.",
                        "", "  carl says:", "    Separate point."])
    page = segment_text("\n\n".join(ARTICLE) + "\n\n" + thread)
    assert [(c.author, c.reply_to, c.reply_by) for c in page.comments] == [
        ("anna", None, None), ("Bob", 0, "nesting"), ("carl", None, None)]


def test_date_from_url_when_the_page_shows_none():
    page = segment_text("\n\n".join(ARTICLE), url="https://example.org/2016/02/11/shelling/")
    assert (page.published, page.date_source) == ("2016-02-11", "url")


@pytest.mark.parametrize("line, expected", [
    ("2 days ago", True), ("5 hrs ago", True), ("an hour ago", True), ("yesterday at 14:05", True),
    ("Two days ago the road was cut.", False), ("2 June 2015", False),
])
def test_relative_date_lines(line, expected):
    assert is_relative_date_line(line) is expected


def test_reply_markers_and_quote_levels_nest_like_indentation():
    marked = ["1 Comments", "anna", "2 June 2024, 10:00", "First.", "└ Bob", "   2 June 2024, 11:00", "   Second."]
    quoted = ["1 Comments", "anna", "2 June 2024, 10:00", "First.", "> Bob", "> 2 June 2024, 11:00", "> Second."]
    for thread in (marked, quoted):
        page = segment_text("\n\n".join(ARTICLE) + "\n\n" + "\n".join(thread))
        assert [(c.author, c.text, c.reply_to) for c in page.comments] == [("anna", "First.", None),
                                                                            ("Bob", "Second.", 0)]


def test_a_quotation_in_a_comment_is_no_reply_level():
    thread = ["2 Comments", "anna says:", "> the shelling hit three villages", "Which ones?", "Bob says:", "Near Kharkiv."]
    page = segment_text("\n\n".join(ARTICLE) + "\n\n" + "\n".join(thread))
    assert [(c.author, c.reply_to) for c in page.comments] == [("anna", None), ("Bob", None)]
    assert page.comments[0].text.startswith("> the shelling")


def test_unmarked_caption_between_paragraphs_but_not_a_short_article_sentence():
    long = ARTICLE[1] + " " + ARTICLE[2]
    caption = "Children walk past a destroyed tank on the road to Korem."
    page = segment_text("\n\n".join([ARTICLE[0], long, caption, long, "He never came back.", long]))
    assert caption not in page.body
    assert ("caption", caption) in [(b.kind, b.text) for b in page.boilerplate]
    assert "He never came back." in page.body.split("\n\n")


def test_a_relative_date_line_is_not_a_bare_commenter_name():
    from crawler.extraction.comments import is_short_name_line

    assert is_short_name_line("Mita B.") and not is_short_name_line("3 hours ago")

"""The structured comment parser on the markup comment systems produce, and how pages are merged."""

from crawler.extraction.html_comments import parse_html_comments
from crawler.extraction.model import Comment
from crawler.extraction.page import merge_comments
from crawler.sites import CommentSelectors, generic_profile, load_profile
from crawler.sites import canonical_url

WORDPRESS_NESTED = """<html><body><div id="comments"><h3 class="comments-title">4 thoughts on “Siege”</h3>
<ol class="comment-list">
 <li id="comment-1" class="comment depth-1"><article class="comment-body">
   <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Amira</b> <span class="says">says:</span></div>
   <div class="comment-metadata"><a href="#comment-1"><time datetime="2024-03-12T09:15:00+00:00">March 12, 2024 at 9:15 am</time></a></div></footer>
   <div class="comment-content"><p>First paragraph.</p><p>Second paragraph.</p></div>
   <div class="reply"><a class="comment-reply-link">Reply</a></div></article>
   <ol class="children">
     <li id="comment-2" class="comment depth-2"><article class="comment-body">
       <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Tom</b></div>
       <div class="comment-metadata"><time datetime="2024-03-12T10:00:00+00:00">March 12, 2024</time></div></footer>
       <div class="comment-content"><p>A reply to Amira.</p></div></article>
       <ol class="children"><li id="comment-3" class="comment depth-3"><article class="comment-body">
         <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Amira</b></div></footer>
         <div class="comment-content"><p>And back to Tom.</p></div></article></li></ol>
     </li>
   </ol>
 </li>
 <li id="comment-4" class="comment depth-1"><article class="comment-body">
   <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Lena</b></div></footer>
   <div class="comment-content"><p>Top level again. <script>alert(1)</script></p></div></article></li>
</ol></div></body></html>"""

GENERIC = """<div class="comments"><div class="comment"><span class="author">x1</span><p>one</p></div>
<div class="comment"><span class="author">x2</span><p>two</p></div></div>"""

CUSTOM = """<section id="talk"><div class="msg"><em class="who">Oksana</em><span class="when">4 May 2017</span>
<div class="words">Trains are running again.</div></div>
<div class="msg"><em class="who">Petro</em><div class="words">Not to Kharkiv.</div></div></section>"""


def test_wordpress_nested_thread():
    comments, declared = parse_html_comments(WORDPRESS_NESTED)
    assert declared == 4
    assert [(c.author, c.posted, c.reply_to, c.reply_by) for c in comments] == [
        ("Amira", "2024-03-12T09:15:00", None, None),
        ("Tom", "2024-03-12T10:00:00", 0, "nesting"),
        ("Amira", None, 1, "nesting"),
        ("Lena", None, None, None)]
    assert comments[0].text == "First paragraph.\n\nSecond paragraph."
    assert "Reply" not in comments[0].text and "A reply to Amira" not in comments[0].text


def test_generic_comment_blocks():
    comments, declared = parse_html_comments(GENERIC)
    assert [(c.author, c.text) for c in comments] == [("x1", "one"), ("x2", "two")] and declared is None


def test_profile_selectors_override_generic_rules():
    assert parse_html_comments(CUSTOM)[0] == []
    selectors = CommentSelectors(container="div.msg", author=".who", date=".when", text=".words")
    comments, _ = parse_html_comments(CUSTOM, selectors)
    assert [(c.author, c.posted, c.text) for c in comments] == [
        ("Oksana", "2017-05-04", "Trains are running again."), ("Petro", None, "Not to Kharkiv.")]


def test_merging_a_further_page_skips_repeated_comments_and_keeps_reply_links():
    thread = [Comment("a", "one"), Comment("b", "two", reply_to=0, reply_by="nesting")]
    more = [Comment("a", "one"), Comment("c", "three", reply_to=0, reply_by="nesting"), Comment("d", "four")]
    merge_comments(thread, more)
    assert [(c.author, c.reply_to) for c in thread] == [("a", None), ("b", 0), ("c", 0), ("d", None)]


def test_canonical_urls_drop_tracking_and_fragments():
    assert canonical_url("HTTP://Example.ORG:80/2024/03/12/x/?utm_source=twitter&utm_medium=social#comments") == \
        "http://example.org/2024/03/12/x/"
    assert canonical_url("https://example.org/story?id=7&utm_campaign=a") == "https://example.org/story?id=7"


def test_profiles_tell_articles_from_listings():
    lwj = load_profile("lwj")
    assert lwj.is_article_url("https://www.longwarjournal.org/archives/2015/06/with-sudden-advances-in-aleppo.php")
    assert not lwj.is_article_url("https://www.longwarjournal.org/tags/syria")
    generic = generic_profile("https://example.org/news/")
    assert generic.is_article_url("https://example.org/2024/03/12/aleppo-offensive/")
    for not_article in ["/2024/03/12/aleppo-offensive/amp/", "/2024/03/12/aleppo-offensive/comment-page-2/",
                        "/2024/03/14/long-read-siege/2/", "/tag/aleppo/", "/category/syria/page/2/", "/feed/"]:
        assert not generic.is_article_url("https://example.org" + not_article), not_article


UNKNOWN_MARKUP = """<html><body><article><h1>Ceasefire talks stall</h1>
<p>Negotiators left the talks on Tuesday without agreement on the exchange of prisoners, officials said, and no new date was set for another round.</p>
<p>Both delegations blamed the other for the breakdown, and fighting resumed near the front line within hours of the announcement.</p></article>
<div id="comments"><h3>2 Comments</h3>
<div class="entry"><p>nadia_k says:</p><p>Predictable, sadly.</p></div>
<div class="entry"><p>Omar F. says:</p><p>@nadia_k they will be back at the table within a month.</p></div>
<div class="respond"><p>Leave a Reply</p></div></div></body></html>"""


def test_unknown_comment_markup_falls_back_to_trafilatura_text_with_authors_only():
    from crawler.extraction.html import extract_html

    page = extract_html(UNKNOWN_MARKUP, "https://example.org/2024/01/02/talks/")
    assert [(c.author, c.reply_to) for c in page.comments] == [("nadia_k", None), ("Omar F.", 0)]
    assert page.comments[0].text == "Predictable, sadly."


def test_a_comment_section_of_furniture_gives_no_comments():
    from crawler.extraction.html import extract_html

    page = extract_html(UNKNOWN_MARKUP.split('<div class="entry">')[0] + "<p>0 Comments</p><p>Leave a Reply</p></div></body></html>")
    assert page.comments == []


ARTICLE = """<article><h1>Grain corridor</h1>
<p>Ships left the southern ports on Monday for the first time in a month, the port authority said in a statement.</p>
<p>Insurers raised their rates again, and two of the ships turned back before reaching open water.</p></article>"""


def test_a_thread_without_records_is_kept_as_one_comment_without_an_author():
    from crawler.extraction.html import extract_html

    thread = ("<div id='comments'><h3>Comments</h3><div><div>The corridor only works while the navy escorts the "
              "convoys, and nobody has said for how long that will go on this winter.</div></div>"
              "<form><textarea class='comment'></textarea></form></div>")
    page = extract_html(f"<html><body>{ARTICLE}{thread}</body></html>", "https://example.org/2024/01/02/grain/")
    assert [(c.author, c.structure) for c in page.comments] == [(None, "text-blob")]
    assert page.comments[0].text.startswith("The corridor only works") and page.comment_path == "text-blob"
    assert "escorts" not in page.body


def test_hidden_comment_templates_are_never_comments():
    hidden = """<div id="comments"><ol class="comment-list">
    <li id="comment-1" class="comment"><div class="comment-author"><b class="fn">Ada</b></div>
      <div class="comment-content"><p>A real comment.</p></div></li></ol>
    <template><li class="comment"><div class="comment-content"><p>{{ text }}</p></div></li></template>
    <div hidden><div class="comment"><p>Hidden by attribute.</p></div></div>
    <div id="comment-preview" class="comment" style="display: none"><p>Your comment preview</p></div></div>"""
    comments, _ = parse_html_comments(hidden)
    assert [(c.author, c.text) for c in comments] == [("Ada", "A real comment.")]


def test_an_xhtml_page_with_an_xml_declaration_gets_its_comments_and_tags():
    from crawler.extraction.html import extract_html

    xhtml = ("<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
             "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html xmlns='http://www.w3.org/1999/xhtml'>"
             f"<body>{ARTICLE}<p><a rel='tag' href='/tag/ports'>Ports</a></p>" + WORDPRESS_NESTED.split("<body>")[1])
    page = extract_html(xhtml, "https://example.org/2024/01/02/grain/")
    assert [c.author for c in page.comments] == ["Amira", "Tom", "Amira", "Lena"] and page.tags == ["Ports"]


def test_text_split_by_br_and_sitting_directly_in_a_div_is_read():
    markup = """<ol class="commentlist"><li id="comment-7" class="comment"><cite>Ivo</cite>
      <div class="comment-text">First line<br>second line<br/>third line</div></li>
      <li id="comment-8" class="comment"><cite>Eva</cite>Text with no paragraph at all.</li></ol>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.text) for c in comments] == [
        ("Ivo", "First line\n\nsecond line\n\nthird line"), ("Eva", "Text with no paragraph at all.")]


def test_a_comment_meta_element_that_wraps_the_whole_comment_keeps_its_text():
    markup = """<ol class="commentlist"><li id="comment-3" class="comment"><div class="comment-meta">
      <span class="comment-author"><a href="https://example.org/~nika">Nika</a></span>
      <a href="#comment-3">May 5, 2013 at 10:01 am</a>
      <p>The whole comment sits inside the meta block on this theme, paragraphs and all, as some themes do.</p>
      <p>Second paragraph.</p></div></li></ol>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.author_url, c.posted, c.posted_text) for c in comments] == [
        ("Nika", "https://example.org/~nika", "2013-05-05T10:01:00", "May 5, 2013 at 10:01 am")]
    assert comments[0].text.endswith("as some themes do.\n\nSecond paragraph.")
    assert "Nika" not in comments[0].text


def test_a_thread_read_in_part_is_a_warning():
    from crawler.extraction.html import extract_html

    page = extract_html(f"<html><body>{ARTICLE}" + WORDPRESS_NESTED.split("<body>")[1].replace(
        "4 thoughts", "40 thoughts"), "https://example.org/2024/01/02/grain/")
    assert page.warnings == ["comment thread read in part: 40 declared, 4 found"]
    assert page.comment_coverage is not None and 0.5 < page.comment_coverage <= 1


def test_a_definition_list_thread_takes_names_from_the_terms_and_texts_from_the_descriptions():
    markup = """<dl id="comment_list"><dt class="comment depth-1" id="comment-5"><span class="comment-author">
      <a href="https://example.org/~bo" class="url">Bo</a></span> <span class="comment-date">Oct 2, 2012</span></dt>
      <dd class="comment depth-1"><div class="format_text"><p>Clear and useful.</p><p class="reply"><a>Reply</a></p></div></dd>
      <dt class="comment depth-1"><span class="blod-user">Jacob said, </span></dt>
      <dd class="comment depth-1"><div class="format_text"><p>Thanks for the list.</p></div></dd></dl>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.author_url, c.posted, c.text) for c in comments] == [
        ("Bo", "https://example.org/~bo", "2012-10-02", "Clear and useful."), ("Jacob", None, None, "Thanks for the list.")]


def test_bare_paragraphs_after_comment_anchors_are_comments_and_leave_the_body():
    from crawler.extraction.html import extract_html

    thread = """<h2><a id="comments"></a>Comments</h2>
    <a id="c1001"></a><p>The second bridge is the one that matters for the supply road in the north.</p>
    <p>Without it the trucks take the mountain pass, two more days each way.</p>
    <p class="posted">Posted by: <a href="https://example.org/~reed">Reed</a> | Apr 6, 2007 1:11:01 PM</p>
    <a id="c1002"></a><p>Both bridges were hit in the same week, according to the local paper.</p>
    <p class="posted">Posted by: Ana | Apr 7, 2007 9:00:00 AM</p>"""
    page = extract_html(f"<html><body><div class='entry'>{ARTICLE}{thread}</div></body></html>",
                        "https://example.org/2007/04/bridges.html")
    assert [(c.author, c.posted) for c in page.comments] == [("Reed", "2007-04-06T13:11:01"), ("Ana", "2007-04-07T09:00:00")]
    assert page.comments[0].text.endswith("two more days each way.") and "Posted by" not in page.comments[0].text
    assert "mountain pass" not in page.body and "Ships left the southern ports" in page.body


def test_name_and_date_lines_give_the_author_and_leave_the_text():
    markup = """<ol class="commentlist">
      <li id="comment-1"> Kate on October 23rd, 2012 1:38 pm <div class="commenttext"><p>Same here.</p></div></li>
      <li id="comment-2"><div class="comment-body"><p>Search results are mostly spam now.</p>
        <p class="comment-meta">by <a href="https://example.org/" class="url">alan p</a> on November 30, 2010 at 1:24 am.</p></div></li>
      <li id="comment-3"><h5><a href="https://example.org/users/u/" class="url">Unbelievable</a></h5><p>Oye.</p></li></ol>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.posted, c.text) for c in comments] == [
        ("Kate", "2012-10-23T13:38:00", "Same here."), ("alan p", "2010-11-30T01:24:00", "Search results are mostly spam now."),
        ("Unbelievable", None, "Oye.")]


def test_pingbacks_and_comment_widgets_are_not_comments():
    from crawler.extraction.html import extract_html

    thread = """<div id="comments"><h2 id="comments-title">2 thoughts on “Grain corridor”</h2>
    <ol class="commentlist">
     <li class="post pingback"><p>Pingback: <a href="https://example.net/a" class="url">Shipping weekly | Ports and routes</a></p></li>
     <li class="post trackback"><p>Trackback: <a href="https://example.net/b" class="url">Another blog about the grain deal</a></p></li>
    </ol>
    <div id="comment-providers-select-message">Click on a tab to select how you would like to leave your comment</div>
    <div id="comment-providers"><ul><li><a href="#wp"><span>Blog account</span></a></li><li><a href="#tw"><span>Twitter</span></a></li></ul>
     <div class="comment-provider"><div class="login-button"><a href="#"><span>Log in with your account to comment</span></a></div></div>
     <div class="comment-provider"><div class="login-button"><a href="#"><span>Log in with another account instead</span></a></div></div>
    </div></div>"""
    page = extract_html(f"<html><body>{ARTICLE}{thread}</body></html>", "https://example.org/2024/01/02/grain/")
    assert page.comments == [] and page.comment_path == "none"


def test_a_comment_region_of_counts_and_labels_keeps_no_text_blob():
    from crawler.extraction.html import comments_from_text

    assert comments_from_text("Add first Comment\n28\n10\nNEW!\n27\n8\nNEW!\nNEW!\n3\nNEW!\n12\nNEW!\n9\n4\n6\nNEW!")[0] == []


def test_repeated_siblings_signed_name_writes_are_a_thread():
    from crawler.extraction.html import extract_html

    thread = """<div id="comments"><h3>Responses</h3>
    <div class="response"><h4>Claire Sanz writes</h4><p>The harbour photographs are lovely, especially the last one.</p></div>
    <div class="response"><h4>Trent writes:</h4><p>Beautiful work, and a fine day for it as well.</p></div></div>"""
    page = extract_html(f"<html><body>{ARTICLE}{thread}</body></html>", "https://example.org/2024/01/02/grain/")
    assert [(c.author, c.structure) for c in page.comments] == [("Claire Sanz", "generic"), ("Trent", "generic")]


def test_flat_records_take_parents_from_depth_classes():
    markup = """<div id="comments">
      <div class="comment depth-1" id="comment-1"><cite>Ana</cite><p>Where were the photos taken?</p></div>
      <div class="comment depth-2" id="comment-2"><cite>Ben</cite><p>On the old pier, I think.</p></div>
      <div class="comment depth-3" id="comment-3"><cite>Ana</cite><p>Thanks, I will go and see.</p></div>
      <div class="comment depth-2" id="comment-4"><cite>Cy</cite><p>No, the new one.</p></div>
      <div class="comment depth-1" id="comment-5"><cite>Dee</cite><p>Lovely light.</p></div></div>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.reply_to, c.reply_by) for c in comments] == [
        ("Ana", None, None), ("Ben", 0, "nesting"), ("Ana", 1, "nesting"), ("Cy", 0, "nesting"), ("Dee", None, None)]


def test_flat_records_take_parents_from_reply_wrappers_beside_them():
    markup = """<div id="comments">
      <div class="comment" id="comment-1"><cite>Ana</cite><p>Where were the photos taken?</p></div>
      <div class="replies"><div class="comment" id="comment-2"><cite>Ben</cite><p>On the old pier.</p></div>
        <div class="comment" id="comment-3"><cite>Cy</cite><p>No, the new one.</p></div></div>
      <div class="comment" id="comment-4"><cite>Dee</cite><p>Lovely light.</p></div></div>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.reply_to) for c in comments] == [("Ana", None), ("Ben", 0), ("Cy", 0), ("Dee", None)]


def test_flat_records_take_parents_from_their_indentation():
    markup = """<div id="comments">
      <div class="comment" id="c1" style="margin-left: 0px"><b class="author">Ana</b><p>Where were the photos taken?</p></div>
      <div class="comment" id="c2" style="margin-left:30px"><b class="author">Ben</b><p>On the old pier.</p></div>
      <div class="comment" id="c3" style="padding-top: 4px; margin-left: 60px"><b class="author">Ana</b><p>Thanks.</p></div>
      <div class="comment" id="c4" style="margin-left:0"><b class="author">Dee</b><p>Lovely light.</p></div></div>"""
    comments, _ = parse_html_comments(markup)
    assert [(c.author, c.reply_to) for c in comments] == [("Ana", None), ("Ben", 0), ("Ana", 1), ("Dee", None)]


def test_a_comments_heading_opens_the_thread_when_nothing_marks_it():
    from crawler.extraction.html import extract_html

    thread = """<div class="post"><h3>COMMENTS</h3>
    <div class="Normal"><a name="comment501"></a>Thank you for the piece, the part about the night trains was new to me.
      <p class="postfoot">posted on Wednesday, October 24, 2012 at 7:26 PM by <a href="https://example.net/d">Darren</a></p></div>
    <hr><div class="Normal"><a name="comment502"></a>Great post!<br>The map helps a lot to follow the route.
      <p class="postfoot">posted on Thursday, October 25, 2012 at 2:11 AM by Shachar</p></div></div>"""
    page = extract_html(f"<html><body><p class='nav'><a class='comments' href='#c'>Comments (2)</a></p>{ARTICLE}"
                        f"{thread}</body></html>", "https://example.org/2012/10/24/trains/")
    assert [(c.author, c.posted, c.structure) for c in page.comments] == [
        ("Darren", "2012-10-24T19:26:00", "generic"), ("Shachar", "2012-10-25T02:11:00", "generic")]
    assert page.comments[1].text == "Great post!\n\nThe map helps a lot to follow the route."


def test_one_comment_list_per_comment_is_one_thread():
    thread = "".join(f"""<a name="c{i}"></a><ol class="commentlist"><li class="commentpost"><strong>{i} {name}</strong>
      | <small class="commentmetadata">10/29/2012 5:1{i}:00 PM</small><p>{text}</p></li></ol>""" for i, (name, text) in
                     enumerate([("Stephan", "The link seems to be broken, possibly this one?"),
                                ("Ed", "Thanks, indeed. Just fixed it."), ("Ranjit", "Does this run on browsers too?")]))
    comments, _ = parse_html_comments(f"<html><body><div class='commentsblock'><h3>Post a Comment</h3>{thread}"
                                      "</div></body></html>")
    assert [c.text.splitlines()[-1] for c in comments] == [
        "The link seems to be broken, possibly this one?", "Thanks, indeed. Just fixed it.", "Does this run on browsers too?"]


def test_a_comment_quoting_the_article_leaves_the_quoted_paragraph_in_the_body():
    from crawler.extraction.html import body_without_comments
    from crawler.extraction.model import Comment

    body = "Ships left the southern ports on Monday for the first time.\n\nInsurers raised their rates again."
    quoting = Comment(author="Ann", text="Ships left the southern ports on Monday for the first time.\n\n"
                                          "That is the part nobody expected, least of all the insurers.")
    leaked = Comment(author="Bo", text="Insurers raised their rates again.")
    assert body_without_comments(body, [quoting]) == body
    assert body_without_comments(body, [quoting, leaked]) == "Ships left the southern ports on Monday for the first time."


def test_a_selector_list_runs_without_the_alternatives_the_page_cannot_match_and_finds_what_lxml_finds():
    from lxml.cssselect import CSSSelector

    from crawler.extraction.html_comments import GENERIC, marks, parse_markup, required_names, select

    tree = parse_markup(WORDPRESS_NESTED.replace('<a href="#comment-1">', '<a href="/files/siege.pdf">'))
    # an attribute other than id and class names no class: "[href$='.pdf']" does not need a class "pdf"
    assert required_names(".comment-metadata a[href$='.pdf'], .missing-class") == (("comment-metadata",),
                                                                                     ("missing-class",))
    css = f"{GENERIC.controls}, {GENERIC.author}, .comment-metadata a[href$='.pdf'], li[id^='comment-']:not(.depth-2)"
    found = select(css, marks(tree), tree)
    assert found == CSSSelector(css)(tree) and len(found) > 10
    assert select(".missing-class, #nowhere", marks(tree), tree) == []

"""Web archives in and out: WARC and WACZ files written by warcio inside each test, imported by the real CLI;
exports read back by warcio and passed through py-wacz's validator; a crawl that writes WARC, rebuilt from its
archives."""

import hashlib
import io
import json
import subprocess
import urllib.request
import zipfile
from pathlib import Path

import pytest
import sqlite_utils
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.spiders.seeds import named_origin
from tests.conftest import FIXTURES, copy_database, frontline, tool_program
from tests.test_crawl import FAST, NO_ENRICHMENT
from tests.wordpress_site import A_PATH, FixtureSite

HTML = "text/html; charset=utf-8"
DATE = "2024-05-02T08:30:00Z"
REVISIT_DATE = "2024-05-09T08:30:00Z"
LWJ_ARTICLE = "https://www.longwarjournal.org/archives/2016/02/al-nusrah-front-fighters-regroup-in-idlib.php"


def article_html(title: str, place: str, paragraphs: int = 6) -> str:
    text = "".join(f"<p>{place} paragraph {i}: fighting around {place} continued through the night, residents "
                   f"said, as convoys moved along the main road and shelling was heard from the hills.</p>"
                   for i in range(paragraphs))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{text}</article></body></html>"


class Archive:
    """A WARC built record by record, gzip per record; each record's bytes are kept so a test can damage one."""

    def __init__(self):
        self.members: list[bytes] = []
        self.digests: dict[str, str] = {}  # URI -> payload digest of its response

    def add(self, make) -> int:
        """make(writer) -> record; returns the record's index."""
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        record = make(writer)
        writer.write_record(record)
        self.members.append(buffer.getvalue())
        if record.rec_type == "response":
            self.digests[record.rec_headers.get_header("WARC-Target-URI")] = \
                record.rec_headers.get_header("WARC-Payload-Digest")
        return len(self.members) - 1

    def response(self, uri: str, body: bytes, content_type: str = HTML, status: str = "200 OK",
                 date: str = DATE) -> int:
        http = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                                protocol="HTTP/1.1")
        return self.add(lambda w: w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                       warc_headers_dict={"WARC-Date": date}))

    def request(self, uri: str) -> int:
        http = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        return self.add(lambda w: w.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http))

    def metadata(self, uri: str) -> int:
        return self.add(lambda w: w.create_warc_record(uri, "metadata", payload=io.BytesIO(b'{"outlinks": []}'),
                                                       warc_content_type="application/json"))

    def revisit(self, uri: str, original: str) -> int:
        http = StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1")
        return self.add(lambda w: w.create_revisit_record(uri, self.digests.get(original, "sha1:AAAA"), original,
                                                          DATE, http_headers=http,
                                                          warc_headers_dict={"WARC-Date": REVISIT_DATE}))

    def truncate(self, index: int) -> None:
        self.members[index] = self.members[index][:len(self.members[index]) // 2]

    def offset(self, index: int) -> int:
        return sum(len(member) for member in self.members[:index])

    def write(self, path: Path) -> Path:
        path.write_bytes(b"".join(self.members))
        return path


def rows(db_path: Path) -> dict:
    """What an article is, whichever way it arrived: its fields, source and comments, by URL."""
    db = sqlite_utils.Database(db_path)
    articles = {}
    for article in db.query("select a.*, s.name as source from articles a join sources s on s.id = a.source_id"):
        comments = [(c["position"], c["author"], c["posted"], c["body"], c["parent_position"], c["reply_by"])
                    for c in db.query("select c.*, p.position as parent_position from comments c left join comments p "
                                      "on p.id = c.parent_id where c.article_id = ? order by c.position",
                                      [article["id"]])]
        articles[article["url"]] = {**{key: article[key] for key in (
            "source", "title", "author", "published", "date_source", "body", "word_count", "language", "tags",
            "comments_declared", "comment_count", "comment_path", "content_hash", "fetched_at", "extractor")},
            "comments": comments}
    return articles


def provenance(db_path: Path) -> dict:
    db = sqlite_utils.Database(db_path)
    return {r["url"]: (r["arrived_via"], r["origin_path"], r["origin_offset"])
            for r in db.query("select url, arrived_via, origin_path, origin_offset from articles")}


def outcomes(db_path: Path, table: str) -> dict:
    return {r["input"]: r["reason"] for r in sqlite_utils.Database(db_path)[table].rows}


def test_warc_records_become_pages_skips_and_rejects(tmp_path, db_path):
    archive = Archive()
    archive.add(lambda w: w.create_warcinfo_record("test.warc.gz", {"software": "warcio"}))
    archive.request("https://example.org/2024/05/kharkiv/")
    kharkiv = archive.response("https://example.org/2024/05/kharkiv/",
                               article_html("Kharkiv under fire", "Kharkiv").encode())
    archive.metadata("https://example.org/2024/05/kharkiv/")
    archive.revisit("https://example.org/2024/05/kharkiv-copy/", original="https://example.org/2024/05/kharkiv/")
    archive.revisit("https://example.org/2024/05/lost/", original="https://example.org/never-archived/")
    archive.response("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")
    archive.response("https://example.org/gone/", b"<html>gone</html>", status="404 Not Found")
    broken = archive.response("https://example.org/2024/05/broken/", article_html("Broken", "Izium").encode())
    archive.truncate(broken)
    latin1 = archive.response("https://example.org/2024/05/hama/",
                              article_html("Hélène à Hama", "Hama, dit Hélène,").encode("latin-1"),
                              content_type="text/html; charset=iso-8859-1")
    warc = archive.write(tmp_path / "test.warc.gz")

    result = frontline("import", "--db", db_path, warc)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 3, updated 0, unchanged 0, rejected 1"), result.stdout
    assert "Importing 1 archive(s)" in result.stderr
    db = sqlite_utils.Database(db_path)
    articles = {r["url"]: r for r in db["articles"].rows}
    assert set(articles) == {"https://example.org/2024/05/kharkiv/", "https://example.org/2024/05/kharkiv-copy/",
                             "https://example.org/2024/05/hama/"}
    assert articles["https://example.org/2024/05/hama/"]["title"] == "Hélène à Hama"
    assert "dit Hélène" in articles["https://example.org/2024/05/hama/"]["body"]
    assert articles["https://example.org/2024/05/kharkiv-copy/"]["body"] == \
        articles["https://example.org/2024/05/kharkiv/"]["body"]  # the revisit is its original's page
    assert {url: r["fetched_at"] for url, r in articles.items()} == {  # the WARC-Date, a revisit's own
        "https://example.org/2024/05/kharkiv/": "2024-05-02T08:30:00+00:00",
        "https://example.org/2024/05/kharkiv-copy/": "2024-05-09T08:30:00+00:00",
        "https://example.org/2024/05/hama/": "2024-05-02T08:30:00+00:00"}
    assert provenance(db_path)["https://example.org/2024/05/kharkiv/"] == ("warc", str(warc), archive.offset(kharkiv))
    assert provenance(db_path)["https://example.org/2024/05/hama/"] == ("warc", str(warc), archive.offset(latin1))
    with warc.open("rb") as stream:  # the offset finds the record again
        stream.seek(articles["https://example.org/2024/05/hama/"]["origin_offset"])
        assert next(iter(ArchiveIterator(stream))).rec_headers.get_header("WARC-Target-URI") == \
            "https://example.org/2024/05/hama/"
    assert outcomes(db_path, "skipped") == {
        "https://example.org/2024/05/lost/":
            "revisit of a response not in the archive: https://example.org/never-archived/ 2024-05-02T08:30:00Z",
        "https://example.org/logo.png": "not HTML: image/png (archived response)",
        "https://example.org/gone/": "HTTP 404 (archived response)",
    }  # request, metadata and warcinfo records are no pages: not counted at all
    rejects = outcomes(db_path, "rejects")
    assert list(rejects) == [f"{warc} at byte {archive.offset(broken)}"]
    assert list(rejects.values())[0].startswith("truncated or corrupt WARC record: ")
    run = next(db["crawl_runs"].rows)
    assert (run["spider"], run["imported"], run["skipped"], run["rejected"]) == ("archive", 3, 3, 1)


def test_cc_news_shaped_file_filtered_by_profile_and_domain(tmp_path):
    archive = Archive()
    for site in ("https://warontherocks.com/2024/05/the-long-war/", "https://news.example.com/2024/05/story/",
                 "https://www.bellingcat.com/news/2024/05/02/open-source/", "https://other.example.net/2024/05/x/"):
        archive.request(site)
        archive.response(site, article_html(f"Story at {site}", "Donetsk").encode())
    archive.response(LWJ_ARTICLE, (FIXTURES / "profile_pages" / "lwj.html").read_bytes())
    archive.response("https://www.longwarjournal.org/tags/syria/", article_html("Tag page", "Idlib").encode())
    warc = archive.write(tmp_path / "CC-NEWS-20240502083000-00001.warc.gz")

    lwj_db = tmp_path / "lwj.db"
    result = frontline("import", "--db", lwj_db, warc, "--profile", "lwj")
    assert result.returncode == 0, result.stderr
    assert "left out 4 page record(s) of other sites (--domain, --profile)" in result.stderr
    assert list(rows(lwj_db)) == [LWJ_ARTICLE]
    assert rows(lwj_db)[LWJ_ARTICLE]["source"] == "lwj"
    assert outcomes(lwj_db, "skipped") == \
        {"https://www.longwarjournal.org/tags/syria/": "not an article URL of profile lwj"}

    domain_db = tmp_path / "domains.db"
    result = frontline("import", "--db", domain_db, warc, "--domain", "warontherocks.com", "--domain", "example.com")
    assert result.returncode == 0, result.stderr
    assert {url: article["source"] for url, article in rows(domain_db).items()} == {
        "https://warontherocks.com/2024/05/the-long-war/": "warontherocks",  # the shipped profile's name
        "https://news.example.com/2024/05/story/": "news.example.com"}
    assert sqlite_utils.Database(domain_db)["skipped"].count == 0  # records outside the filters are not inputs

    result = frontline("import", "--db", domain_db, warc, "--profile", "nosuchsite")
    assert result.returncode != 0 and "nosuchsite" in result.stderr


def test_wacz_built_in_the_test_is_imported_from_its_warcs(tmp_path, db_path):
    archive = Archive()
    archive.response("https://example.org/2024/05/mariupol/", article_html("Mariupol", "Mariupol").encode())
    wacz = tmp_path / "collection.wacz"
    with zipfile.ZipFile(wacz, "w") as package:
        package.writestr("archive/data.warc.gz", b"".join(archive.members))
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
        package.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0", "id": "pages"}\n')

    result = frontline("import", "--db", db_path, wacz)

    assert result.returncode == 0, result.stderr
    assert provenance(db_path) == {"https://example.org/2024/05/mariupol/": ("wacz", f"{wacz}#archive/data.warc.gz", 0)}
    exported = json.loads(frontline("export", "--db", db_path).stdout)
    assert exported["provenance"] == {"arrived_via": "wacz", "fetched_at": "2024-05-02T08:30:00+00:00",
                                      "origin_path": f"{wacz}#archive/data.warc.gz", "origin_offset": 0}


def test_wacz_packaged_by_py_wacz_is_imported_from_its_warcs(tmp_path, db_path):
    """A standard WACZ, as webrecorder's own tool writes it (index.cdx.gz, index.idx, detected pages)."""
    archive = Archive()
    first = archive.response("https://example.org/2024/05/kherson/", article_html("Kherson", "Kherson").encode())
    archive.response("https://example.org/2024/05/avdiivka/", article_html("Avdiivka", "Avdiivka").encode())
    warc, wacz = archive.write(tmp_path / "data.warc.gz"), tmp_path / "py-wacz.wacz"
    created = subprocess.run([tool_program("wacz"), "create", "-o", wacz, "--detect-pages", warc],
                             capture_output=True, text=True, timeout=300)
    assert created.returncode == 0, created.stdout + created.stderr
    with zipfile.ZipFile(wacz) as package:
        assert "indexes/index.cdx.gz" in package.namelist()

    result = frontline("import", "--db", db_path, wacz)

    assert result.returncode == 0, result.stderr
    origin, second = f"{wacz}#archive/data.warc.gz", len(archive.members[first])
    assert provenance(db_path) == {"https://example.org/2024/05/kherson/": ("wacz", origin, 0),
                                   "https://example.org/2024/05/avdiivka/": ("wacz", origin, second)}


def test_seed_files_and_web_archives_are_separate_imports(tmp_path, db_path, seed_path):
    warc = Archive()
    warc.response("https://example.org/a/", b"<html></html>")
    result = frontline("import", "--db", db_path, warc.write(tmp_path / "a.warc"), seed_path)
    assert result.returncode == 2 and "separate commands" in result.stderr
    result = frontline("import", "--db", db_path, seed_path, "--domain", "example.org")
    assert result.returncode == 2 and "--domain and --profile" in result.stderr
    assert not db_path.exists()


def test_export_warc_of_seed_files_is_resource_records_and_imports_back(tmp_path, showcase_database):
    source = copy_database(showcase_database, tmp_path / "source.db")
    warc = tmp_path / "export.warc.gz"
    result = frontline("export", "--db", source, "--format", "warc", "-o", warc)
    assert result.returncode == 0, result.stderr
    with warc.open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Refers-To"),
                    r.content_stream().read()) for r in ArchiveIterator(stream)]
    assert [kind for kind, *_ in records] == ["warcinfo"] + ["resource", "metadata"] * 3
    with warc.open("rb") as stream:
        resource_ids = [r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(stream)
                        if r.rec_type == "resource"]
    metadata = [json.loads(payload) for kind, _, _, payload in records if kind == "metadata"]
    assert [refers for kind, _, refers, _ in records if kind == "metadata"] == resource_ids
    assert {m["provenance"]["arrived_via"] for m in metadata} == {"file"}
    saved = next(m for m in metadata if m["url"] == "https://fixture-journal.example/2023/03/14/drone-strikes-kharkiv/")
    assert saved["provenance"]["origin_path"].endswith("wordpress-article.html") and saved["comments"]

    rebuilt = tmp_path / "rebuilt.db"
    result = frontline("import", "--db", rebuilt, warc)
    assert result.returncode == 0, result.stderr
    assert rows(rebuilt) == rows(source)
    assert {via for via, *_ in provenance(rebuilt).values()} == {"warc"}


@pytest.fixture(scope="module")
def crawled_with_warc(tmp_path_factory):
    """One crawl of the fixture site writing WARC (small files, so they roll over): (database, WARC folder).
    With enrichment, as the imports that rebuild it (reply links by @mention are made there)."""
    work = tmp_path_factory.mktemp("warc-crawl")
    with FixtureSite() as site:
        result = frontline("crawl", "--db", work / "crawl.db", f"{site.base_url}/category/syria/", *FAST,
                           "-s", f"FRONTLINE_WARC_DIR={work / 'warc'}",
                           "-s", "FRONTLINE_WARC_MAX_SIZE=4000")
    assert "Traceback" not in result.stderr, result.stderr
    return work / "crawl.db", work / "warc"


def test_crawl_writes_warc_that_rebuilds_the_same_articles(tmp_path, crawled_with_warc):
    crawl_db, warc_dir = crawled_with_warc
    files = sorted(warc_dir.iterdir())
    assert len(files) > 1 and all(f.name.endswith(".warc.gz") for f in files)  # rolled over by size
    crawled = rows(crawl_db)
    assert len(crawled) == 6 and any(article["comment_count"] == 7 for article in crawled.values())

    rebuilt = tmp_path / "rebuilt.db"
    result = frontline("import", "--db", rebuilt, warc_dir)
    assert result.returncode == 0, result.stderr
    assert rows(rebuilt) == crawled  # the paginated thread and the three-page article regrouped, Latin-1 read


def test_export_warc_round_trip(tmp_path, crawled_with_warc):
    crawl_db, _ = crawled_with_warc
    warc = tmp_path / "crawl.warc.gz"
    assert frontline("export", "--db", crawl_db, "--format", "warc", "-o", warc).returncode == 0
    with warc.open("rb") as stream:
        kinds = [r.rec_type for r in ArchiveIterator(stream)]
    assert kinds[0] == "warcinfo" and kinds.count("metadata") == 6 and "resource" not in kinds
    assert kinds.count("response") == 6 + 1 + 2  # A's comment page 2, B's pages 2 and 3

    from_warc = tmp_path / "from-warc.db"
    assert frontline("import", "--db", from_warc, warc).returncode == 0
    assert rows(from_warc) == rows(crawl_db)


@pytest.fixture(scope="module")
def exported_wacz(tmp_path_factory, crawled_with_warc) -> Path:
    wacz = tmp_path_factory.mktemp("wacz") / "crawl.wacz"
    result = frontline("export", "--db", crawled_with_warc[0], "--format", "wacz", "-o", wacz)
    assert result.returncode == 0, result.stderr
    return wacz


def test_export_wacz_packages_warc_index_pages_and_hashes_and_imports_back(tmp_path, crawled_with_warc,
                                                                          exported_wacz):
    crawled = rows(crawled_with_warc[0])
    with zipfile.ZipFile(exported_wacz) as package:
        assert set(package.namelist()) == {"archive/frontline.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl",
                                           "datapackage.json", "datapackage-digest.json"}
        assert package.getinfo("archive/frontline.warc.gz").compress_type == zipfile.ZIP_STORED
        members = {name: package.read(name) for name in package.namelist()}
    datapackage = json.loads(members["datapackage.json"])
    assert datapackage["wacz_version"] == "1.1.1" and datapackage["profile"] == "data-package"
    assert {r["path"]: (r["hash"], r["bytes"]) for r in datapackage["resources"]} == {
        name: ("sha256:" + hashlib.sha256(data).hexdigest(), len(data)) for name, data in members.items()
        if not name.startswith("datapackage")}
    assert json.loads(members["datapackage-digest.json"])["hash"] == \
        "sha256:" + hashlib.sha256(members["datapackage.json"]).hexdigest()

    warc = members["archive/frontline.warc.gz"]
    index = [json.loads(line.split(" ", 2)[2]) for line in members["indexes/index.cdxj"].decode().splitlines()]
    assert len(index) == 6 + 1 + 2 and set(crawled) <= {entry["url"] for entry in index}  # the responses
    for entry in index:  # each entry finds its record in the stored WARC
        record = next(ArchiveIterator(io.BytesIO(warc[int(entry["offset"]):][:int(entry["length"])])))
        assert entry["filename"] == "frontline.warc.gz" and record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]

    pages = [json.loads(line) for line in members["pages/pages.jsonl"].decode().splitlines()]
    assert pages[0]["format"] == "json-pages-1.0"
    assert {page["url"] for page in pages[1:]} == set(crawled)
    assert {page["title"] for page in pages[1:]} == {article["title"] for article in crawled.values()}
    from_wacz = tmp_path / "from-wacz.db"
    assert frontline("import", "--db", from_wacz, exported_wacz).returncode == 0
    assert rows(from_wacz) == crawled


def test_exported_wacz_passes_py_wacz_validate(tmp_path, exported_wacz):
    """py-wacz's own validator (a tool environment of its own: py-wacz brings rich, see the Makefile)."""
    wacz = tool_program("wacz")
    validated = subprocess.run([wacz, "validate", "-f", exported_wacz], capture_output=True, text=True, timeout=300)
    assert validated.returncode == 0 and "Validation succeeded, the passed WACZ is valid" in validated.stdout, \
        validated.stdout + validated.stderr

    damaged = tmp_path / "damaged.wacz"  # a page list changed after packaging: its hash no longer matches
    with zipfile.ZipFile(exported_wacz) as source, zipfile.ZipFile(damaged, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, data.replace(b'"title"', b'"name"') if info.filename == "pages/pages.jsonl" else data)
    validated = subprocess.run([wacz, "validate", "-f", damaged], capture_output=True, text=True, timeout=300)
    assert validated.returncode == 1 and "the passed WACZ is invalid" in validated.stdout, validated.stdout
    assert "'index.cdxj': [], 'pages.jsonl': [{'type': 'hash-count'" in validated.stdout, validated.stdout


def test_saved_page_and_a_later_crawl_are_one_article(tmp_path, db_path):
    """Issue 13, point 9: a saved page names its original address (rel=canonical); that address is its URL and
    its host its source, the file stays as provenance, and a crawl of the site finds the same article."""
    with FixtureSite() as site:
        saved = tmp_path / "aleppo.html"
        saved.write_bytes(urllib.request.urlopen(site.base_url + A_PATH).read())
        assert frontline("import", "--db", db_path, saved).returncode == 0
        url = site.base_url + A_PATH
        assert provenance(db_path) == {url: ("file", str(saved), None)}
        assert rows(db_path)[url]["source"] == "127.0.0.1"
        result = frontline("crawl", "--db", db_path, f"{site.base_url}/category/syria/", *FAST, *NO_ENRICHMENT)
    assert "Traceback" not in result.stderr, result.stderr
    db = sqlite_utils.Database(db_path)
    assert db.execute("select count(*) from articles where url = ?", [url]).fetchone()[0] == 1
    assert db.execute("select count(*) from articles where url like 'file:%'").fetchone()[0] == 0
    assert db["sources"].count == 1
    assert rows(db_path)[url]["comment_count"] == 7  # the crawl read the second comment page too


@pytest.mark.parametrize("head, origin", [
    ('<meta property="og:url" content="https://news.example/2024/05/a/">', "https://news.example/2024/05/a/"),
    ('<link rel="canonical" href="https://news.example/c/"><meta property="og:url" content="https://news.example/o/">',
     "https://news.example/c/"),
    ('<link rel="canonical" href="/relative/"><meta property="og:url" content="https://news.example/o/">',
     "https://news.example/o/"),  # a relative canonical says nothing about a saved file's origin
    ('<link rel="canonical" href="javascript:alert(1)">', None),
    ("", None),
])
def test_a_saved_page_names_its_origin(head, origin):
    page = HtmlResponse(url="file:///saved/page.html", body=f"<html><head>{head}</head><body></body></html>".encode(),
                        encoding="utf-8")
    assert named_origin(page) == origin


@pytest.mark.parametrize("html", [
    # only the head is parsed when it ends: a link after it is not the page's
    '<html><head><title>Ünïcode — “quoted”</title><link rel="canonical" href="https://news.example/é/"></head>'
    '<body><link rel="canonical" href="https://elsewhere.example/"></body></html>',
    # no </head> at all (a truncated save): the whole page is read
    '<html><title>t</title><link rel="canonical" href="https://news.example/é/"><body><p>text',
])
def test_the_origin_is_read_from_the_head(html):
    page = HtmlResponse(url="file:///saved/page.html", body=html.encode(), encoding="utf-8")
    assert named_origin(page) == "https://news.example/é/"


def test_re_extraction_keeps_how_an_article_arrived(imported_db, seed_path):
    """A page rebuilt from raw_pages (reextract, enrich) carries no provenance: the stored one stays."""
    from crawler.extraction.page import extractor_version
    from db.articles import save_article
    from db.stored import stored_page
    from pipelines.decode import DecodePipeline
    from pipelines.extract import ExtractPipeline
    from pipelines.normalize import NormalizePipeline

    article = next(imported_db.query("select id, url, source_id from articles"))
    page = stored_page(imported_db, article["id"])
    page.body = page.body.replace(b"Jaysh al Fateh", b"Jaish al Fatah")
    for stage in (DecodePipeline(10_000_000), ExtractPipeline(), NormalizePipeline()):
        page = stage.process_item(page)
    assert save_article(imported_db, page, extractor_version(page.extraction.extractor)) == "updated"
    row = next(imported_db.query("select arrived_via, origin_path, origin_offset, version from articles"))
    assert row == {"arrived_via": "file", "origin_path": str(seed_path), "origin_offset": None, "version": 2}

"""The job boards' feeds a careers site publishes: `rolepack build -f linkedin,indeed,jobfeed`.

Each feed of the shipped content, for every brand, is checked against a schema written here from
the board's own documentation (tests/render/feeds: LinkedIn's and Indeed's publish field lists, not
XSDs) and against the job pages it comes from: the same roles, titles and addresses. Small content
written here pins down what a feed may not carry: a closed role, a role that lacks what one board
requires (which stays in the others), a French role's words, markup in a title.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from lxml import etree

from conftest import REPO, rolepack, without_approvals

CONTENT = REPO / "content"
LAYOUTS = REPO / "layouts"
SCHEMAS = Path(__file__).parent / "feeds"
BRANDS = sorted(p.parent.name for p in (CONTENT / "brands").glob("*/brand.yaml"))
ROLES = sorted(p.stem for p in (CONTENT / "roles").glob("*.yaml"))
FEEDS = "html,linkedin,indeed,jobfeed"
LINKEDIN_TAGS = {"p", "ul", "ol", "li", "br", "b", "strong", "i", "em", "u"}


def build(content: Path, out: Path, *extra: str):
    return rolepack("build", "-f", FEEDS, "--content", str(content), "--layouts", str(LAYOUTS), "--out", str(out),
                    *extra)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds")
    run = build(CONTENT, out, "--quiet")
    assert run.exit_code == 0, run.stderr
    return out


def xml(out: Path, brand: str, name: str) -> etree._Element:
    return etree.parse(str(out / brand / "site" / "feeds" / name)).getroot()


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def job_page_titles(out: Path, brand: str) -> dict[str, str]:
    """Each job page's address and the title its JobPosting states."""
    found = {}
    for page in (out / brand / "site").glob("*.html"):
        scripts = lxml.html.fromstring(page.read_bytes()).xpath('//script[@type="application/ld+json"]')
        if scripts:
            data = json.loads(scripts[0].text)
            found[data["url"]] = data["title"]
    return found


@pytest.mark.parametrize("brand", BRANDS)
class TestShippedFeeds:
    def test_linkedin_follows_its_field_list(self, feeds: Path, brand: str) -> None:
        root = xml(feeds, brand, "linkedin.xml")
        checker = schema("linkedin.xsd")
        assert checker.validate(root), checker.error_log
        for job in root.iter("job"):
            description = lxml.html.fragment_fromstring(job.findtext("description"), create_parent="div")
            assert len(description.text_content()) >= 100  # LinkedIn's minimum
            assert {e.tag for e in description.iter()} - {"div"} <= LINKEDIN_TAGS

    def test_indeed_follows_its_field_list(self, feeds: Path, brand: str) -> None:
        root = xml(feeds, brand, "indeed.xml")
        checker = schema("indeed.xsd")
        assert checker.validate(root), checker.error_log
        references = [job.findtext("referencenumber") for job in root.iter("job")]
        assert len(references) == len(set(references)), "Indeed needs a reference number per job and place"
        for job in root.iter("job"):
            assert job.findtext("city") or job.findtext("remotetype") == "Fully remote"
            assert all(isinstance(node, etree._Element) for node in job)
        assert b"<![CDATA[" in (feeds / brand / "site" / "feeds" / "indeed.xml").read_bytes()

    def test_jobfeed_is_a_schema_org_data_feed(self, feeds: Path, brand: str) -> None:
        data = json.loads((feeds / brand / "site" / "feeds" / "jobs.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, json.loads((SCHEMAS / "jobs.schema.json").read_text(encoding="utf-8")))

    def test_every_feed_carries_every_published_role_as_its_page_states_it(self, feeds: Path, brand: str) -> None:
        pages = job_page_titles(feeds, brand)
        assert len(pages) == len(ROLES)
        linkedin = {job.findtext("applyUrl"): job.findtext("title") for job in xml(feeds, brand, "linkedin.xml").iter("job")}
        indeed = {job.findtext("url"): job.findtext("title") for job in xml(feeds, brand, "indeed.xml").iter("job")}
        items = json.loads((feeds / brand / "site" / "feeds" / "jobs.json").read_text(encoding="utf-8"))["dataFeedElement"]
        assert linkedin == pages  # apply where the page is: no shipped role has an address of its own
        assert indeed == pages
        assert {item["url"]: item["title"] for item in items} == pages

    def test_the_pay_a_board_shows_is_the_range_the_page_states(self, feeds: Path, brand: str) -> None:
        items = json.loads((feeds / brand / "site" / "feeds" / "jobs.json").read_text(encoding="utf-8"))["dataFeedElement"]
        ranges = {item["url"]: item["baseSalary"]["value"] for item in items if "baseSalary" in item}
        assert ranges
        for job in xml(feeds, brand, "linkedin.xml").iter("job"):
            value = ranges[job.findtext("applyUrl")]
            assert int(job.findtext("salaries/salary/lowEnd/amount")) == value["minValue"]
            assert int(job.findtext("salaries/salary/highEnd/amount")) == value["maxValue"]
        for job in xml(feeds, brand, "indeed.xml").iter("job"):
            value = ranges[job.findtext("url")]
            figures = [int(f.replace(",", "")) for f in re.findall(r"\d[\d,]*", job.findtext("salary"))]
            assert figures == [value["minValue"], value["maxValue"]], job.findtext("salary")


def test_a_build_without_the_feeds_makes_none(feeds: Path, tmp_path: Path) -> None:
    run = rolepack("build", "-f", "html", "--content", str(CONTENT), "--layouts", str(LAYOUTS), "--out", str(tmp_path))
    assert run.exit_code == 0, run.stderr
    assert not list(tmp_path.rglob("feeds"))


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    content = without_approvals(Path(shutil.copytree(CONTENT, tmp_path / "content")))
    return content


def edit(content: Path, slug: str, pattern: str, replacement: str) -> Path:
    """The role's file with one line pattern replaced (text, not a YAML round trip, which would turn
    a region code ON into true)."""
    path = content / "roles" / f"{slug}.yaml"
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), flags=re.M)
    assert count, pattern
    path.write_text(text, encoding="utf-8")
    return path


def feed_titles(out: Path, brand: str) -> dict[str, list[str]]:
    return {"linkedin": [j.findtext("partnerJobId") for j in xml(out, brand, "linkedin.xml").iter("job")],
            "indeed": sorted({j.findtext("requisitionid") for j in xml(out, brand, "indeed.xml").iter("job")}),
            "jobfeed": [i["identifier"]["value"] for i in json.loads(
                (out / brand / "site" / "feeds" / "jobs.json").read_text(encoding="utf-8"))["dataFeedElement"]]}


def test_a_closed_role_leaves_every_feed_and_the_sitemap_and_google_is_told(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(demo, out).exit_code == 0
    site = "https://tidewater.example/careers/"
    first = json.loads((out / "default" / "indexing-requests.json").read_text(encoding="utf-8"))
    assert {"url": f"{site}qa-engineer.html", "type": "URL_UPDATED"} in first
    assert len(first) == len(ROLES)

    edit(demo, "qa-engineer", r"^title:", "state: closed\ntitle:")
    run = build(demo, out)
    assert run.exit_code == 0, run.stderr
    for brand in BRANDS:
        assert all("qa-engineer" not in found for found in feed_titles(out, brand).values())
        assert all(len(found) == len(ROLES) - 1 for found in feed_titles(out, brand).values())
        sitemap = (out / brand / "site" / "sitemap.xml").read_text(encoding="utf-8")
        assert "qa-engineer" not in sitemap and "backend-engineer.html" in sitemap
        page = lxml.html.fromstring((out / brand / "site" / "qa-engineer.html").read_bytes())
        assert page.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    requests = json.loads((out / "default" / "indexing-requests.json").read_text(encoding="utf-8"))
    assert {"url": f"{site}qa-engineer.html", "type": "URL_DELETED"} in requests  # the latest word on the page
    assert {"url": f"{site}backend-engineer.html", "type": "URL_UPDATED"} in requests  # kept until sent
    assert len(requests) == len(ROLES)


def test_a_role_lacking_what_one_board_needs_leaves_that_feed_only(demo: Path, tmp_path: Path) -> None:
    edit(demo, "data-engineer", r"^reviewed:.*\n", "")
    path = edit(demo, "data-engineer", r"^  posted:.*\n", "")
    out = tmp_path / "out"
    run = build(demo, out)
    assert run.exit_code == 0, run.stderr
    key = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("posting:"))
    assert re.search(rf"withheld default/site/feeds/indeed.xml#data-engineer: {re.escape(str(path))}:{key}:1: error: "
                     r"posting\.posted: left out of the indeed feed: the board needs the date", run.stderr), run.stderr
    assert "linkedin.xml#data-engineer" not in run.stderr and "jobs.json#data-engineer" not in run.stderr
    found = feed_titles(out, "default")
    assert "data-engineer" not in found["indeed"]
    assert "data-engineer" in found["linkedin"] and "data-engineer" in found["jobfeed"]


def test_a_french_role_is_posted_in_french(content: Path, tmp_path: Path) -> None:
    french = (REPO / "tests" / "fixtures" / "interviews" / "ingenieur-plateforme.yaml")
    shutil.copy(french, content / "roles" / french.name)
    brand = shutil.copytree(LAYOUTS / "brands" / "default", content / "brands" / "default")
    with (brand / "brand.yaml").open("a", encoding="utf-8") as file:
        file.write("site_url: https://jobs.example.org/\n")
    out = tmp_path / "out"
    run = rolepack("build", "-f", "indeed,linkedin", "--brand", "default", "--content", str(content),
                   "--layouts", str(LAYOUTS), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    jobs = {job.findtext("requisitionid"): job for job in xml(out, "default", "indeed.xml").iter("job")}
    job = jobs["ingenieur-plateforme"]
    assert "par an" in job.findtext("salary") and "per year" not in job.findtext("salary")
    description = job.findtext("description")
    assert "Ce que vous ferez" in description or "Vos missions" in description, description[:300]
    for english in ("What you will do", "About the role", "How to apply", "per year"):
        assert english not in description


def test_markup_in_a_title_is_text_in_every_feed(demo: Path, tmp_path: Path) -> None:
    title = "Backend Engineer ]]> <job><title>Injected</title></job> & more"
    edit(demo, "backend-engineer", r"^title:.*$", "title: " + json.dumps(title))
    out = tmp_path / "out"
    run = build(demo, out)
    assert run.exit_code == 0, run.stderr
    for brand in BRANDS:
        assert title in [j.findtext("title") for j in xml(out, brand, "indeed.xml").iter("job")]
        assert title in [j.findtext("title") for j in xml(out, brand, "linkedin.xml").iter("job")]
        assert "Injected" not in [j.findtext("title") for j in xml(out, brand, "indeed.xml").iter("job")]

"""The careers site and its JobPosting data: what `rolepack build -f html -f jsonld` publishes.

The shipped content is built once; the JobPosting of every role and brand is checked against
Google's job-posting rules and against the page it sits in (every structured value must be text
the page shows). Small roles written here pin down the posting model: remote-only roles, the
posted pay levels, dates in order, codes of real places. The pages themselves are loaded from a
web server on 127.0.0.1 in headless Chromium, at desktop and phone widths.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from xml.etree import ElementTree

import lxml.html
import pytest
import yaml

from conftest import REPO, rolepack, with_demo_brands
from pipeline.render import locales
from pipeline.schema.places import ISO_3166_1

CONTENT = REPO / "content"
LAYOUTS = REPO / "layouts"
ROLES = sorted(p.stem for p in (CONTENT / "roles").glob("*.yaml"))
BRANDS = sorted(p.parent.name for p in (CONTENT / "brands").glob("*/brand.yaml"))  # the demo company's own
EMPLOYMENT = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "PER_DIEM", "VOLUNTEER", "OTHER"}
UNITS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
DESCRIPTION_TAGS = {"p", "ul", "ol", "li", "h2", "h3", "h4", "br", "strong", "em", "b", "i", "a"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run = rolepack("build", "-f", "html", "-f", "jsonld", "--content", str(CONTENT), "--layouts", str(LAYOUTS),
                   "--out", str(out), "--quiet")
    assert run.exit_code == 0, run.stderr
    return out


@functools.cache
def shipped(slug: str) -> dict:
    from pipeline.check.catalogue import load_catalogue

    catalogue = load_catalogue(CONTENT, today=dt.date(2026, 12, 1), layouts=LAYOUTS)
    return {"role": catalogue.roles[slug], "company": catalogue.company}


def posting(out: Path, brand: str, slug: str) -> dict:
    return json.loads((out / brand / slug / f"{slug}-job-description.jsonld").read_text(encoding="utf-8"))


def page(out: Path, brand: str, slug: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / brand / "site" / f"{slug}.html").read_bytes())


def visible_text(tree: lxml.html.HtmlElement) -> str:
    body = tree.find("body")
    for script in body.iter("script", "style"):
        script.drop_tree()
    return " ".join(body.text_content().split())


CASES = [pytest.param(b, r, id=f"{b}/{r}") for b in BRANDS for r in ROLES]


class TestJobPostingOfEveryRole:
    @pytest.mark.parametrize(("brand", "slug"), CASES)
    def test_it_has_what_google_requires_in_the_types_google_reads(self, site: Path, brand: str, slug: str) -> None:
        data = posting(site, brand, slug)
        role = shipped(slug)["role"]
        assert (data["@context"], data["@type"]) == ("https://schema.org/", "JobPosting")
        assert data["title"] == role.title
        assert ISO_DATE.match(data["datePosted"])
        if "validThrough" in data:
            assert data["validThrough"] > data["datePosted"]
        assert data["employmentType"] in EMPLOYMENT
        organisation = data["hiringOrganization"]
        assert organisation["@type"] == "Organization" and organisation["name"]
        assert organisation["logo"].startswith("https://") and organisation["sameAs"].startswith("https://")
        assert data["identifier"]["value"]
        assert isinstance(data["directApply"], bool)
        assert data["url"].startswith("https://") and data["url"].endswith(f"/{slug}.html")

    @pytest.mark.parametrize(("brand", "slug"), CASES)
    def test_places_and_pay_are_structured(self, site: Path, brand: str, slug: str) -> None:
        data = posting(site, brand, slug)
        remote_only = all(loc.mode == "remote" for loc in shipped(slug)["role"].locations)
        if remote_only:
            assert data["jobLocationType"] == "TELECOMMUTE" and data["applicantLocationRequirements"]
        else:
            assert "jobLocationType" not in data
            assert data["jobLocation"], "a role with offices names them"
        for place in data.get("jobLocation", []):
            assert place["@type"] == "Place" and place["address"]["@type"] == "PostalAddress"
            assert place["address"]["addressCountry"] in ISO_3166_1
        pay = data["baseSalary"]
        assert pay["@type"] == "MonetaryAmount" and re.fullmatch(r"[A-Z]{3}", pay["currency"])
        value = pay["value"]
        assert value["@type"] == "QuantitativeValue" and value["unitText"] in UNITS
        assert 0 < value["minValue"] <= value["maxValue"]

    @pytest.mark.parametrize(("brand", "slug"), CASES)
    def test_the_description_is_the_html_google_reads(self, site: Path, brand: str, slug: str) -> None:
        description = lxml.html.fragment_fromstring(posting(site, brand, slug)["description"], create_parent="div")
        assert {e.tag for e in description.iter() if e is not description} <= DESCRIPTION_TAGS
        text = description.text_content()
        role = shipped(slug)["role"]
        for line in role.job_description.key_responsibilities + role.qualifications.prerequisites:
            assert " ".join(line.split()).replace("**", "")[:40] in " ".join(text.split())

    @pytest.mark.parametrize(("brand", "slug"), CASES)
    def test_the_file_is_the_data_the_page_embeds(self, site: Path, brand: str, slug: str) -> None:
        scripts = page(site, brand, slug).xpath('//script[@type="application/ld+json"]')
        assert len(scripts) == 1
        assert json.loads(scripts[0].text) == posting(site, brand, slug)

    @pytest.mark.parametrize(("brand", "slug"), CASES)
    def test_every_structured_value_is_text_the_page_shows(self, site: Path, brand: str, slug: str) -> None:
        data = posting(site, brand, slug)
        role = shipped(slug)["role"]
        locale = locales.babel_locale(role.language)
        shown = visible_text(page(site, brand, slug))
        expected = [data["title"], data["hiringOrganization"]["name"], data["identifier"]["value"],
                    locales.long_date(dt.date.fromisoformat(data["datePosted"]), locale)]
        if "validThrough" in data:
            expected.append(locales.long_date(dt.date.fromisoformat(data["validThrough"]), locale))
        for place in data.get("jobLocation", []):
            address = place["address"]
            expected += [address["addressLocality"], locales.country(address["addressCountry"], locale)]
            expected += [address["addressRegion"]] if "addressRegion" in address else []
        for area in data.get("applicantLocationRequirements", []):
            expected.append(locales.area(area["name"], locale))
        value = data["baseSalary"]["value"]
        currency = data["baseSalary"]["currency"]
        expected += [locales.money(value["minValue"], currency, locale), locales.money(value["maxValue"], currency, locale)]
        missing = [text for text in expected if text not in shown]
        assert not missing, f"structured values the page does not show: {missing}"


def write_role(content: Path, slug: str, **changes: object) -> Path:
    """The fixture role `support-engineer`, changed, saved as `slug`."""
    data = yaml.safe_load((content / "roles" / "support-engineer.yaml").read_text(encoding="utf-8"))
    data.update(slug=slug, **changes)
    path = content / "roles" / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build(workdir: Path, *args: str):
    """The posting formats of made-up roles: the law checks (pay-transparency) are accepted, since these
    roles test the JobPosting model, not the law (tests/export/test_role_states.py tests the gate)."""
    return rolepack("build", "-f", "html", "-f", "jsonld", "--brand", "default", "--out", str(workdir / "out"),
                    "--allow", "pay-transparency", *args)


class TestThePostingModel:
    def test_a_remote_only_role_is_telecommute_with_the_areas_it_hires_in(self, workdir: Path) -> None:
        write_role(workdir / "content", "remote-agent",
                   locations=[{"mode": "remote", "places": ["Americas time zones"], "hires_in": ["US-CO", "CA"]}])
        assert build(workdir, "--role", "remote-agent").exit_code == 0
        data = posting(workdir / "out", "default", "remote-agent")
        assert data["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in data
        assert data["applicantLocationRequirements"] == [{"@type": "State", "name": "US-CO"},
                                                         {"@type": "Country", "name": "CA"}]
        assert "CO, United States" in visible_text(page(workdir / "out", "default", "remote-agent"))

    def test_offices_are_places_with_their_codes_and_remote_is_not_claimed(self, workdir: Path) -> None:
        write_role(workdir / "content", "office-agent", locations=[
            {"mode": "hybrid", "places": [{"name": "Oslo", "country": "NO"}, {"name": "Toronto", "country": "CA", "region": "ON"}]},
            {"mode": "remote", "places": ["Europe"], "hires_in": ["NO"]}])
        assert build(workdir, "--role", "office-agent").exit_code == 0
        data = posting(workdir / "out", "default", "office-agent")
        assert "jobLocationType" not in data
        assert [p["address"] for p in data["jobLocation"]] == [
            {"@type": "PostalAddress", "addressLocality": "Oslo", "addressCountry": "NO"},
            {"@type": "PostalAddress", "addressLocality": "Toronto", "addressCountry": "CA", "addressRegion": "ON"}]

    def test_posted_levels_choose_the_range_the_posting_states(self, workdir: Path) -> None:
        pay = yaml.safe_load((workdir / "content" / "roles" / "support-engineer.yaml").read_text())["compensation"]
        pay["levels"] = [{"level": "Junior", "min": 30000, "max": 38000}, {"level": "Mid-level", "min": 40000, "max": 50000},
                         {"level": "Senior", "min": 52000, "max": 65000}]
        pay["posted_levels"] = ["Mid-level", "Senior"]
        write_role(workdir / "content", "banded", compensation=pay)
        assert build(workdir, "--role", "banded").exit_code == 0
        value = posting(workdir / "out", "default", "banded")["baseSalary"]["value"]
        assert (value["minValue"], value["maxValue"]) == (40000, 65000)
        assert "Junior" not in visible_text(page(workdir / "out", "default", "banded"))

    def test_occupation_codes_become_the_occupational_category(self, workdir: Path) -> None:
        write_role(workdir / "content", "coded", occupation={"onet": "15-1252.00", "isco": "2512"})
        assert build(workdir, "--role", "coded").exit_code == 0
        data = posting(workdir / "out", "default", "coded")
        assert [(c["codeValue"], c["inCodeSet"]["name"]) for c in data["occupationalCategory"]] == [
            ("15-1252.00", "O*NET-SOC 2019"), ("2512", "ISCO-08")]

    @pytest.mark.parametrize(("language", "months", "experience", "education"), [
        ("en", 24, "At least 2 years of relevant experience.",
         "Education: a bachelor’s degree, or equivalent experience instead."),
        ("fr", 18, "Au moins 18 mois d’expérience pertinente.",
         "Formation : un diplôme de niveau licence (bac+3), ou une expérience équivalente."),
        ("de", 12, "Mindestens 1 Jahr einschlägige Berufserfahrung.",
         "Ausbildung: ein Bachelorabschluss oder gleichwertige Berufserfahrung."),
    ])
    def test_experience_and_education_are_printed_and_structured(self, workdir: Path, language: str, months: int,
                                                                 experience: str, education: str) -> None:
        qualifications = yaml.safe_load((workdir / "content" / "roles" / "support-engineer.yaml").read_text())[
            "qualifications"]
        qualifications.update(experience_months=months, education="bachelor degree", experience_instead_of_education=True)
        write_role(workdir / "content", "schooled", qualifications=qualifications, language=language)
        assert build(workdir, "--role", "schooled").exit_code == 0
        data = posting(workdir / "out", "default", "schooled")
        assert data["experienceRequirements"] == {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": months}
        assert data["educationRequirements"] == {"@type": "EducationalOccupationalCredential",
                                                 "credentialCategory": "bachelor degree"}
        assert data["experienceInPlaceOfEducation"] is True
        shown = visible_text(page(workdir / "out", "default", "schooled"))
        assert experience in shown and education in shown, shown[:2000]

    @pytest.mark.parametrize(("changes", "anchor", "message"), [
        pytest.param({"posting": {"posted": dt.date(2027, 2, 1), "closes": dt.date(2027, 1, 15)}}, "  posted:",
                     "posting: the closing date (2027-01-15) must come after the posting date (2027-02-01)",
                     id="closing before posting"),
        pytest.param({"locations": [{"mode": "on-site", "places": [{"name": "Atlantis", "country": "XA"}]}]},
                     "name: Atlantis", "locations[0].places[0]: 'XA' is not an ISO 3166-1 country code (such as US, CA, PT, DE)",
                     id="a country that is not one"),
        pytest.param({"locations": [{"mode": "on-site", "places": [{"name": "Austin", "region": "TX"}]}]},
                     "name: Austin", "locations[0].places[0]: a region needs its country: add `country:` (e.g. US for TX)",
                     id="a region without its country"),
        pytest.param({"locations": [{"mode": "hybrid", "places": ["Lisbon"], "hires_in": ["PT"]}]},
                     "mode: hybrid", "locations[0]: `hires_in` says where a remote hire may live; give places their "
                     "country instead", id="hires_in on an office role"),
        pytest.param({"compensation": {"currency": "EUR", "source": {"name": "Survey", "as_of": dt.date(2026, 3, 1)},
                                       "levels": [{"level": "Mid", "min": 1, "max": 2}], "posted_levels": ["Senior"]}},
                     "  currency: EUR", "compensation: posted_levels names levels that are not in `levels`: Senior "
                     "(the levels are: Mid)", id="posted_levels naming no level"),
        pytest.param({"occupation": {"onet": "15-9999.00"}}, "15-9999.00",
                     "occupation.onet: '15-9999.00' is not an O*NET-SOC 2019 occupation (rolepack checks against the "
                     "official list in pipeline/schema/data/)", id="an O*NET code not in the list"),
        pytest.param({"occupation": {"isco": "2511", "esco": "http://data.europa.eu/esco/occupation/"
                                     "f2b15a0e-e65a-438a-affb-29b9d50b77d1"}}, "isco: '2511'",
                     "occupation: the ESCO occupation 'software developer' is in ISCO-08 group 2512, not in 2511",
                     id="an ESCO occupation outside its ISCO group"),
    ])
    def test_a_wrong_posting_value_is_located(self, workdir: Path, changes: dict, anchor: str, message: str) -> None:
        path = write_role(workdir / "content", "bad", **changes)
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next(i for i, text in enumerate(lines, 1) if anchor in text)
        column = lines[line - 1].index(anchor.strip()) + 1
        run = rolepack("validate")
        assert run.exit_code == 2
        assert run.problems == [f"content/roles/bad.yaml:{line}:{column}: {message}"]

    def test_norway_and_ontario_are_codes_not_booleans(self, workdir: Path) -> None:
        """YAML 1.1 reads an unquoted NO as false and ON as true; rolepack reads them as text."""
        path = write_role(workdir / "content", "nordic", locations=[
            {"mode": "on-site", "places": [{"name": "Oslo", "country": "NORWAY"}, {"name": "Ottawa", "country": "CA", "region": "ONTARIO"}]}])
        path.write_text(path.read_text(encoding="utf-8").replace("NORWAY", "NO").replace("ONTARIO", "ON"), encoding="utf-8")
        assert "country: NO\n" in path.read_text(encoding="utf-8")
        assert build(workdir, "--role", "nordic").exit_code == 0
        addresses = [p["address"] for p in posting(workdir / "out", "default", "nordic")["jobLocation"]]
        assert [(a["addressCountry"], a.get("addressRegion")) for a in addresses] == [("NO", None), ("CA", "ON")]

    def test_markup_in_a_title_cannot_close_the_data_script(self, workdir: Path) -> None:
        title = 'Agent </script><script>alert(1)</script><!-- & "quotes"'
        write_role(workdir / "content", "hostile", title=title)
        assert build(workdir, "--role", "hostile").exit_code == 0
        html = (workdir / "out" / "default" / "site" / "hostile.html").read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
        tree = lxml.html.fromstring(html)
        assert len(tree.xpath("//script")) == 1
        assert json.loads(tree.xpath("//script")[0].text)["title"] == title
        assert tree.xpath("//h1")[0].text_content() == title


class TestTheSite:
    @pytest.mark.parametrize("brand", BRANDS)
    def test_the_index_links_every_role_to_its_page(self, site: Path, brand: str) -> None:
        folder = site / brand / "site"
        index = lxml.html.fromstring((folder / "index.html").read_bytes())
        links = {a.get("href") for a in index.xpath('//ul[@class="job-list"]//a')}
        assert links == {f"{slug}.html" for slug in ROLES}
        assert all((folder / link).is_file() for link in links)

    @pytest.mark.parametrize("brand", BRANDS)
    def test_every_page_refers_only_to_files_inside_the_site(self, site: Path, brand: str) -> None:
        folder = site / brand / "site"
        for html in folder.glob("*.html"):
            tree = lxml.html.fromstring(html.read_bytes())
            for ref in tree.xpath("//link[@rel='stylesheet']/@href | //img/@src | //script/@src"):
                assert (folder / ref).is_file(), f"{html.name} refers to {ref}"
        css = (folder / "assets" / "site.css").read_text(encoding="utf-8")
        for font in re.findall(r'url\("([^"]+)"\)', css):
            assert (folder / "assets" / font).read_bytes()[:4] == b"wOF2"

    @pytest.mark.parametrize("brand", BRANDS)
    def test_the_sitemap_lists_every_page_at_the_brands_address(self, site: Path, brand: str) -> None:
        base = yaml.safe_load((CONTENT / "brands" / brand / "brand.yaml").read_text())["site_url"]
        tree = ElementTree.parse(site / brand / "site" / "sitemap.xml")
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        urls = {loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)}
        assert urls == {f"{base}index.html"} | {f"{base}{slug}.html" for slug in ROLES}

    def test_a_brand_without_an_address_has_no_sitemap_and_no_absolute_links(self, workdir: Path) -> None:
        layouts = workdir / "layouts"
        with_demo_brands(shutil.copytree(LAYOUTS, layouts))
        brand = layouts / "brands" / "default" / "brand.yaml"
        brand.write_text(re.sub(r"(?m)^site_url:.*$", "", brand.read_text(encoding="utf-8")), encoding="utf-8")
        assert build(workdir, "--layouts", str(layouts)).exit_code == 0
        assert not (workdir / "out" / "default" / "site" / "sitemap.xml").exists()
        data = posting(workdir / "out", "default", "support-engineer")
        assert "url" not in data and "logo" not in data["hiringOrganization"]

    def test_a_rebuild_after_one_role_changes_remakes_its_pages_and_the_listings_only(self, workdir: Path) -> None:
        with_demo_brands(workdir / "content")  # a brand with the site's address, so there is a sitemap to remake
        assert build(workdir).exit_code == 0
        role = workdir / "content" / "roles" / "support-engineer.yaml"
        role.write_text(role.read_text(encoding="utf-8").replace("Help customers get unstuck.",
                                                                 "Help customers get moving again."), encoding="utf-8")
        run = build(workdir, "--log-format", "json")
        events = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
        built = {e["target"] for e in events if e.get("status") == "built"}
        # the role, the role that extends it, and the two pages that list every role; not the assets
        assert built == {f"default/site/{slug}.html" for slug in ("support-engineer", "senior-support-engineer")} | {
            f"default/{slug}/{slug}-job-description.jsonld" for slug in ("support-engineer", "senior-support-engineer")} | {
            "default/site/index.html", "default/site/sitemap.xml"}


# --- In a browser -------------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path):
    """`folder` served from 127.0.0.1, as any static web server would: yields its address."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path):
    """The built site on a web server."""
    yield from serve(site)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = [pytest.param(b, p, v, id=f"{b}/{p}/{v}") for b in BRANDS for p in ("index", "backend-engineer")
         for v in VIEWPORTS]


def open_page(browser, url: str, viewport: str, *, settled: bool = False):
    """A page, loaded with its fonts; with `settled`, also after its network has been idle for half a
    second (Chromium's "networkidle"), for a test of every request it makes: 0.5 s more a page."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page_ = context.new_page()
    requests: list[str] = []
    page_.on("request", lambda request: requests.append(request.url))
    failures: list[str] = []
    page_.on("requestfailed", lambda request: failures.append(request.url))
    page_.goto(url, wait_until="networkidle" if settled else "load")
    page_.evaluate("document.fonts.ready.then(() => true)")
    return context, page_, requests, failures


class TestInChromium:
    @pytest.mark.parametrize(("brand", "name", "viewport"), PAGES)
    def test_the_page_loads_only_its_own_files_and_fits_the_screen(self, browser, server: str, brand: str, name: str,
                                                                   viewport: str, tmp_path_factory) -> None:
        context, page_, requests, failures = open_page(browser, f"{server}/{brand}/site/{name}.html", viewport,
                                                       settled=True)
        try:
            assert not failures
            assert all(url.startswith(f"{server}/{brand}/site/") for url in requests), requests
            assert page_.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            family = json.loads(page_.evaluate("JSON.stringify(getComputedStyle(document.body).fontFamily)"))
            brand_font = yaml.safe_load((CONTENT / "brands" / brand / "brand.yaml").read_text())["fonts"]["body"]
            assert family.startswith(f'"{brand_font}"') or family.startswith(brand_font)
            assert page_.evaluate(f"document.fonts.check('16px \"{brand_font}\"')")
            shots = Path("/tmp/rolepack-site-shots")
            shots.mkdir(exist_ok=True)
            page_.screenshot(path=str(shots / f"{brand}-{name}-{viewport}.png"), full_page=True)
        finally:
            context.close()

    @pytest.mark.parametrize(("brand", "name", "viewport"), [p for p in PAGES if p.values[2] == "desktop"])
    def test_the_page_is_accessible_in_structure(self, browser, server: str, brand: str, name: str, viewport: str) -> None:
        context, page_, _, _ = open_page(browser, f"{server}/{brand}/site/{name}.html", viewport)
        try:
            assert page_.evaluate("document.documentElement.lang")
            for landmark in ("header", "nav", "main", "footer"):
                assert page_.locator(landmark).count() >= 1, landmark
            levels = page_.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
            assert levels[0] == 1 and levels.count(1) == 1
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
            assert page_.evaluate("[...document.images].every(i => i.alt.trim().length > 0)")
            assert page_.evaluate("[...document.links].every(a => a.textContent.trim() || a.querySelector('img[alt]'))")
        finally:
            context.close()

    @pytest.mark.parametrize("brand", BRANDS)
    def test_the_keyboard_reaches_a_visible_skip_link_first(self, browser, server: str, brand: str) -> None:
        context, page_, _, _ = open_page(browser, f"{server}/{brand}/site/backend-engineer.html", "desktop")
        try:
            page_.keyboard.press("Tab")
            focused = page_.evaluate("""(() => { const e = document.activeElement, s = getComputedStyle(e);
                return {text: e.textContent.trim(), outline: parseFloat(s.outlineWidth), top: e.getBoundingClientRect().top}; })()""")
            assert focused["text"] == "Skip to content"
            assert focused["outline"] >= 2 and focused["top"] >= 0
        finally:
            context.close()

    @pytest.mark.parametrize(("anchor", "roles"), [
        ("d-data", {"Data Engineer"}),
        ("d-platform-engineering", {"DevOps / Site Reliability Engineer"}),
        ("p-lisbon", None),
    ])
    def test_the_filters_are_links_that_show_only_matching_roles(self, browser, server: str, anchor: str,
                                                                 roles: set[str] | None) -> None:
        context, page_, _, _ = open_page(browser, f"{server}/default/site/index.html", "desktop")
        try:
            everyone = set(page_.locator(".job-card h3").all_inner_texts())
            page_.click(f'.filters a[href="#{anchor}"]')
            shown = {t for t in page_.locator(".job-card:visible h3").all_inner_texts()}
            assert shown == (roles if roles is not None else everyone)
        finally:
            context.close()


# --- axe-core -----------------------------------------------------------------------------------
# axe-core, the npm package, at the version tools/system-deps.sh --tests pins and installs (make test
# runs it first). Not installed is a failure, not a skip: the pages would go unchecked.

AXE = REPO / ".test-deps" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PIN = re.search(r"(?m)^AXE_VERSION=(\S+)", (REPO / "tools" / "system-deps.sh").read_text(encoding="utf-8"))[1]
AXE_RUN = """axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag22aa']},
                                resultTypes: ['violations']})
    .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       targets: v.nodes.map(n => n.target.join(' '))})))"""
CLOSED = "qa-engineer"
AXE_PAGES = [pytest.param(b, p, id=f"{b}/{p}", marks=() if p in ("index", "backend-engineer", f"closed/{CLOSED}")
                          else pytest.mark.long) for b in BRANDS for p in ("index", *ROLES, f"closed/{CLOSED}")]
"""Each brand's index, a job page and a closed role's page in `make test`; every job page in `make long`
(the job pages share one layout)."""


@pytest.fixture(scope="module")
def closed_server(tmp_path_factory: pytest.TempPathFactory):
    """The job page a shipped role gets once it closes (layouts/web/closed.html.j2), on a web server."""
    work = tmp_path_factory.mktemp("closed")
    shutil.copytree(CONTENT, work / "content")
    role = work / "content" / "roles" / f"{CLOSED}.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("\ntitle:", "\nstate: closed\ntitle:", 1), encoding="utf-8")
    run = rolepack("build", "-f", "html", "--content", str(work / "content"), "--layouts", str(LAYOUTS),
                   "--out", str(work / "out"), "--role", CLOSED, "--quiet")
    assert run.exit_code == 0, run.stderr
    yield from serve(work / "out")


@pytest.fixture(scope="module")
def axe_tab(browser):
    """One browser tab that every axe check navigates: a new context per page would cost more than axe."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    yield context.new_page()
    context.close()


def axe_violations(page_, state: str) -> list[str]:
    return [f"{state}: {v['id']} ({v['impact']}) {v['help']}: {'; '.join(v['targets'])}" for v in page_.evaluate(AXE_RUN)]


class TestAxe:
    """axe-core's rules for WCAG 2.0 levels A and AA and WCAG 2.2 level AA (its tags wcag2a, wcag2aa and
    wcag22aa) find nothing on any page of any shipped brand: the index, every job page and the page of a
    role that closed; at desktop width, and at phone width with the skip link focused (it then shows
    above the header); the index also with a filter on."""

    @pytest.mark.parametrize(("brand", "name"), AXE_PAGES)
    def test_axe_finds_no_wcag_a_or_aa_violation(self, request, axe_tab, brand: str, name: str) -> None:
        assert AXE.is_file(), f"axe-core is not installed at {AXE}: run tools/system-deps.sh --tests"
        closed = name.startswith("closed/")
        base = request.getfixturevalue("closed_server" if closed else "server")
        page_ = axe_tab
        page_.set_viewport_size(VIEWPORTS["desktop"])
        page_.goto(f"{base}/{brand}/site/{name.removeprefix('closed/')}.html", wait_until="load")
        page_.evaluate("document.fonts.ready.then(() => true)")
        if closed:
            assert page_.locator('meta[name="robots"][content="noindex"]').count() == 1, "not the closed page"
        page_.add_script_tag(path=str(AXE))
        version = page_.evaluate("axe.version")
        assert version == AXE_PIN, f"axe-core {version} is installed, {AXE_PIN} pinned: run tools/system-deps.sh --tests"
        found = axe_violations(page_, "desktop")
        page_.set_viewport_size(VIEWPORTS["phone"])
        page_.keyboard.press("Tab")
        assert page_.evaluate("document.activeElement.className") == "skip-link"
        found += axe_violations(page_, "phone, skip link focused")
        if name == "index":
            page_.evaluate("location.hash = '#d-data'")  # a filter on: its link highlighted, other roles hidden
            assert page_.locator(".job-card:visible").count() < page_.locator(".job-card").count()
            found += axe_violations(page_, "phone, data filter on")
        if found:
            pytest.fail("axe-core found WCAG violations:\n" + "\n".join(found), pytrace=False)

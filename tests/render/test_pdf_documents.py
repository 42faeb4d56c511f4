"""What every shipped PDF promises a reader: its fonts, its tags, its pages and its words.

One build of all shipped content (every role × every brand) is made per test run and each
document is read back with poppler, qpdf and pikepdf.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pdf_support import (BRANDS, CHAPTERS, DOCS, LAYOUTS, PAGE_SIZES, PDFUAID, RELATED, ROLES, SCALE, Build, assert_all_in,
                         assert_in_order, bbox_pages, brand_yaml, catalogue, children, company_field, doc_id,
                         family_of, first_page_with_line, footer_text, header_text, header_words, javascript_in, lines,
                         open_pdf, pages_text, pdf_path, pdffonts, pdfinfo, plain, role_of, sections, shipped_build,
                         squash, structure_elements, toc_entries, xmp_properties)

GUIDES = [(brand, role) for brand in BRANDS for role in ROLES]
KIND_LABELS = {"job-description": "Job description", "hiring-guide": "Hiring guide"}


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = shipped_build(tmp_path_factory)
    assert build.exit_code == 0, build.stderr
    return build


@pytest.fixture(params=DOCS, ids=doc_id)
def doc(request: pytest.FixtureRequest, shipped: Build) -> tuple[str, str, str, Path]:
    brand, role, kind = request.param
    return brand, role, kind, pdf_path(shipped.out, brand, role, kind)


@pytest.fixture(params=GUIDES, ids=lambda g: "/".join(g))
def guide(request: pytest.FixtureRequest, shipped: Build) -> tuple[str, str, Path]:
    brand, role = request.param
    return brand, role, pdf_path(shipped.out, brand, role, "hiring-guide")


@pytest.fixture(params=GUIDES, ids=lambda g: "/".join(g))
def job_description(request: pytest.FixtureRequest, shipped: Build) -> tuple[str, str, Path]:
    brand, role = request.param
    return brand, role, pdf_path(shipped.out, brand, role, "job-description")


def guide_text(path: Path) -> list[str]:
    """A guide's pages in content order: its tables have narrow cells and its questions carry
    inline badges, which poppler's reading order interleaves with the text around them. (A job
    description is read in poppler's order, because its pay table floats beside the text.)"""
    return pages_text(path, raw=True)


def chapters_of(role: str) -> list[str]:
    return CHAPTERS + ([RELATED] if catalogue().roles[role].related_roles else [])


def numbered(role: str, title: str) -> str:
    """A chapter's heading as the page shows it: its number in the contents, then its title."""
    return f"{chapters_of(role).index(title) + 1} {title}"


class TestFonts:
    def test_every_font_is_embedded_as_a_subset(self, doc) -> None:
        *_, path = doc
        rows = pdffonts(path)
        assert rows, "pdffonts lists no fonts at all"
        assert [r.name for r in rows if not (r.embedded and r.subset)] == []

    def test_every_font_is_one_of_the_bundled_families(self, doc) -> None:
        *_, path = doc
        foreign = [r.name for r in pdffonts(path) if family_of(r.name) is None]
        assert foreign == [], f"fonts not in layouts/fonts/fonts.yaml (machine fonts?): {foreign}"

    def test_fonts_are_the_ones_the_brand_names(self, doc) -> None:
        brand, _, _, path = doc
        fonts = brand_yaml(brand)["fonts"]
        named = {fonts["body"], fonts["heading"], *fonts["fallbacks"]}
        if pdfinfo(path).get("Form") == "AcroForm":  # the scorecard's fields: layouts/css/document.css
            named.add("Noto Sans Forms")
        used = {family_of(r.name) for r in pdffonts(path)}
        assert used <= named, f"{sorted(used - named)} used but {brand}/brand.yaml names {sorted(named)}"
        assert fonts["body"] in used


class TestTagging:
    def test_is_tagged_with_a_structure_tree_and_marked_content(self, doc) -> None:
        *_, path = doc
        pdf = open_pdf(path)
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.get("/Marked")) is True
        assert pdfinfo(path)["Tagged"] == "yes"
        assert len(structure_elements(pdf)) > 20

    def test_declares_the_roles_language(self, doc) -> None:
        """Every shipped role is in English (the default), so this is /Lang (en)."""
        _, role, _, path = doc
        assert str(open_pdf(path).Root.get("/Lang")) == catalogue().roles[role].language == "en"

    def test_asks_viewers_to_show_the_title_rather_than_the_file_name(self, doc) -> None:
        *_, path = doc
        preferences = open_pdf(path).Root.get("/ViewerPreferences")
        assert preferences is not None and bool(preferences.get("/DisplayDocTitle")) is True

    def test_info_dictionary_has_title_author_subject_and_keywords(self, doc) -> None:
        brand, role, kind, path = doc
        info = open_pdf(path).docinfo
        title = catalogue().roles[role].title
        company = company_field(role, "name")
        assert str(info["/Title"]) == f"{title} – {KIND_LABELS[kind]} – {company}"
        assert str(info["/Author"]) == brand_yaml(brand)["name"]
        assert title in str(info["/Subject"])
        assert title in str(info["/Keywords"]) and company in str(info["/Keywords"])

    def test_xmp_metadata_claims_pdf_ua_1(self, doc) -> None:
        *_, path = doc
        assert xmp_properties(open_pdf(path)).get(f"{PDFUAID}part") == "1"

    def test_logo_figure_carries_the_brands_alternative_text(self, doc) -> None:
        brand, _, _, path = doc
        figures = [e for e in structure_elements(open_pdf(path)) if role_of(e) == "/Figure"]
        assert figures, "no Figure in the structure tree"
        assert all(str(f.get("/Alt", "")).strip() for f in figures), "a Figure without /Alt"
        assert brand_yaml(brand)["logo_alt"] in [str(f.get("/Alt", "")) for f in figures]

    def test_table_header_cells_are_tagged_TH(self, doc) -> None:
        *_, path = doc
        tables = [e for e in structure_elements(open_pdf(path)) if role_of(e) == "/Table"]
        assert tables, "no Table in the structure tree"
        for number, table in enumerate(tables, 1):
            groups = children(table)
            head_rows = [row for g in groups if role_of(g) == "/THead" for row in children(g)]
            rows = [g for g in groups if role_of(g) == "/TR"] + [row for g in groups if role_of(g) != "/TR"
                                                               for row in children(g)]
            cells = [role_of(c) for row in rows for c in children(row)]
            assert "/TH" in cells, f"table {number} has no TH cell: {cells}"
            head_cells = [role_of(c) for row in head_rows for c in children(row)]
            assert set(head_cells) <= {"/TH"}, f"table {number} has header-row cells tagged {head_cells}"

    def test_contains_no_javascript_or_automatic_actions(self, doc) -> None:
        *_, path = doc
        assert javascript_in(open_pdf(path)) == []
        assert pdfinfo(path)["JavaScript"] == "no"

    def test_passes_qpdf_check_without_warnings(self, doc) -> None:
        *_, path = doc
        done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "WARNING" not in (done.stdout + done.stderr).upper()


class TestPages:
    def test_page_size_follows_the_brand(self, doc) -> None:
        brand, _, _, path = doc
        width, height = PAGE_SIZES[brand_yaml(brand)["page_size"]]
        for number, page in enumerate(open_pdf(path).pages, 1):
            box = [float(v) for v in page.mediabox]
            assert (round(box[2] - box[0], 1), round(box[3] - box[1], 1)) == (round(width, 1), round(height, 1)), \
                f"page {number} is {box}"

    def test_job_description_is_at_most_two_pages(self, job_description) -> None:
        *_, path = job_description
        assert 1 <= len(open_pdf(path).pages) <= 2

    def test_guide_cover_has_no_running_header_or_footer(self, guide) -> None:
        brand, _, path = guide
        cover = bbox_pages(path)[0]
        assert header_text(cover, brand) == ""
        assert footer_text(cover, brand) == ""
        assert "Page 1 of" not in pages_text(path)[0]

    def test_every_page_but_the_cover_is_numbered_page_x_of_y(self, doc) -> None:
        brand, _, kind, path = doc
        pages = bbox_pages(path)
        total = len(open_pdf(path).pages)
        assert len(pages) == total
        first = 2 if kind == "hiring-guide" else 1
        for number in range(first, total + 1):
            assert f"Page {number} of {total}" in footer_text(pages[number - 1], brand), f"page {number}"

    def test_every_page_but_the_cover_has_the_brand_footer(self, doc) -> None:
        brand, _, kind, path = doc
        pages = bbox_pages(path)
        first = 2 if kind == "hiring-guide" else 1
        for number in range(first, len(pages) + 1):
            assert squash(brand_yaml(brand)["footer"]) in squash(footer_text(pages[number - 1], brand)), f"page {number}"

    def test_pages_after_the_first_carry_brand_and_role_in_the_header(self, doc) -> None:
        brand, role, _, path = doc
        expected = squash(brand_yaml(brand)["name"].upper() + catalogue().roles[role].title)
        for number, page in enumerate(bbox_pages(path)[1:], 2):
            assert squash(header_text(page, brand)) == expected, f"page {number}"


class TestJobDescriptionText:
    def test_sections_come_in_reading_order_with_their_content(self, job_description) -> None:
        """Headings in order, each followed by its own content; prose in order, list items and
        table cells anywhere in their section (a two-column list reads either way)."""
        _, slug, path = job_description
        role = catalogue().roles[slug]
        jd, q, comp = role.job_description, role.qualifications, role.compensation
        company = company_field(slug, "name")
        in_order, anywhere = True, False
        expected = {
            role.title: ([jd.summary], in_order),
            "About the role": (jd.about_the_role, in_order),
            "What you will do": (jd.key_responsibilities, anywhere),
            "What you will bring": (q.prerequisites + q.hard_skills, anywhere),
            "Pay": ([part for band in comp.levels for part in (band.level, f"{band.min:,}", f"{band.max:,}")]
                    + [comp.source.name], anywhere),
            "Benefits": (jd.perks + company_field(slug, "benefits"), anywhere),
            f"About {company}": (company_field(slug, "about"), in_order),
            "How to apply": ([jd.how_to_apply, company_field(slug, "contact").email]
                             + [t for t in [company_field(slug, "accommodations")] if t]
                             + [company_field(slug, "equal_opportunity")], in_order),
        }
        found = sections(pages_text(path), list(expected))
        for heading, (items, ordered) in expected.items():
            check = assert_in_order if ordered else assert_all_in
            check(found[heading], items, f"section '{heading}'")

    def test_first_page_opens_with_the_company_and_the_title(self, job_description) -> None:
        """An agency brand says whose job it is and who recruits for it; a company's own brand prints its name alone."""
        brand, slug, path = job_description
        first = lines(pages_text(path)[0])[:2]
        company, agency = company_field(slug, "name"), brand_yaml(brand)["name"]
        masthead = f"{company} · with {agency}" if brand_yaml(brand).get("agency") else company
        assert first == [masthead, catalogue().roles[slug].title]


class TestBookmarks:
    def test_the_guide_has_a_bookmark_per_chapter_under_the_role_title(self, guide) -> None:
        _, slug, path = guide
        with open_pdf(path).open_outline() as outline:
            assert [item.title for item in outline.root] == [catalogue().roles[slug].title]
            chapters = [item.title for item in outline.root[0].children]
        assert chapters == ["Contents"] + chapters_of(slug)

    def test_the_job_description_has_a_bookmark_per_section(self, job_description) -> None:
        _, slug, path = job_description
        with open_pdf(path).open_outline() as outline:
            top = outline.root[0]
            sections = [item.title for item in top.children]
        assert top.title == catalogue().roles[slug].title
        assert sections[:3] == ["About the role", "What you will do", "What you will bring"]
        assert sections[-1] == "How to apply"


class TestHiringGuideText:
    def test_contents_lists_every_chapter_in_order(self, guide) -> None:
        _, role, path = guide
        entries = toc_entries(path)
        assert [(n, title) for n, title, _ in entries] == list(enumerate(chapters_of(role), 1))

    def test_contents_page_numbers_are_the_pages_where_chapters_start(self, guide) -> None:
        _, _, path = guide
        texts = guide_text(path)
        page = 2
        for number, title, listed in toc_entries(path):
            index = first_page_with_line(texts, f"{number} {title}", page)  # numbered as in the contents
            assert index is not None, f"chapter '{title}' has no heading after page {page + 1}"
            page = index
            assert listed == index + 1, f"contents says '{title}' is on page {listed}; it starts on page {index + 1}"

    def test_chapters_come_in_contents_order_with_their_content(self, guide) -> None:
        from pipeline.render.html import environment

        duration = environment(LAYOUTS).filters["duration"]
        _, slug, path = guide
        cat = catalogue()
        role = cat.roles[slug]
        q, comp, interview = role.qualifications, role.compensation, role.interview
        guidance = company_field(slug, "interviewer_guidance")
        bank = []
        for attribute in interview.scorecard:
            asked = [item for item in interview.questions if item.attribute == attribute.id]
            if asked:
                bank += [attribute.name, asked[0].question, asked[0].good_answer] + [a.question for a in asked[1:]]
        in_order, anywhere = True, False
        expected = {
            "Job description": ([role.job_description.about_the_role[0], role.job_description.key_responsibilities[0],
                                 "How to apply", company_field(slug, "equal_opportunity")], in_order),
            "What the role handles": (role.responsibilities, in_order),
            "Qualifications": (q.prerequisites + q.hard_skills + q.soft_skills + q.nice_to_have, in_order),
            "Compensation by level": ([part for band in comp.levels
                                       for part in (band.level, f"{band.min:,}", f"{band.max:,}")]
                                      + [comp.source.name], anywhere),
            "Interview plan": ([part for stage in interview.stages for part in (stage.name, duration(stage.minutes))],
                               anywhere),
            "Question bank": (bank, in_order),
            "Scorecard": (SCALE + [a.name for a in interview.scorecard], anywhere),
            "Debrief template": ([a.name for a in interview.scorecard], anywhere),
            "Interviewer do’s and don’ts": (guidance.dos + guidance.donts, in_order),
            "Frequently asked questions": ([part for entry in role.faq for part in (entry.question, entry.answer)],
                                           in_order),
            "Tools and programs": ([part for group in role.tools for part in (group.category, ", ".join(group.tools))],
                                   anywhere),
            "Team sizing": (role.team_sizing, in_order),
        }
        if role.related_roles:
            expected[RELATED] = ([cat.roles[other].title for other in role.related_roles], in_order)
        assert list(expected) == chapters_of(slug)
        found = sections(guide_text(path)[2:], [numbered(slug, title) for title in expected])
        for heading, (items, ordered) in expected.items():
            check = assert_in_order if ordered else assert_all_in
            check(found[numbered(slug, heading)], items, f"chapter '{heading}'")

    def test_scorecard_starts_a_page_of_its_own(self, guide) -> None:
        brand, slug, path = guide
        texts = guide_text(path)
        bank = first_page_with_line(texts, numbered(slug, "Question bank"), 2)
        assert bank is not None
        index = first_page_with_line(texts, numbered(slug, "Scorecard"), bank)
        assert index is not None and index > bank
        page = squash(texts[index])
        for leftover in ("What good looks like:", "Red flags:", numbered(slug, "Question bank")):
            assert squash(leftover) not in page, f"'{leftover}' shares the scorecard's page {index + 1}"
        last_question = [item.question for item in catalogue().roles[slug].interview.questions][-1]
        assert squash(plain(last_question)) in squash("".join(texts[bank:index]))
        page_words = bbox_pages(path)[index]
        header = header_words(page_words, brand)
        body = [w for w in page_words.words if w not in header]
        heading = min((w for w in body if w.text == "Scorecard"), key=lambda w: w.top)
        above = [w for w in body if w.bottom <= heading.top]
        assert above == [], f"text above the scorecard heading: {page_words.text_of(above)}"

    def test_scorecard_shows_the_four_point_scale_and_every_attribute(self, guide) -> None:
        _, slug, path = guide
        scorecard = numbered(slug, "Scorecard")
        found = sections(guide_text(path)[2:], [scorecard, numbered(slug, "Debrief template")])
        assert_in_order(found[scorecard], SCALE, "the scorecard's scale")
        for attribute in catalogue().roles[slug].interview.scorecard:
            assert squash(attribute.name) in found[scorecard], attribute.name

    def test_scorecard_gives_each_attribute_its_four_anchors_in_scale_order(self, guide) -> None:
        _, slug, path = guide
        scorecard = numbered(slug, "Scorecard")
        found = sections(guide_text(path)[2:], [scorecard, numbered(slug, "Debrief template")])
        items = [part for a in catalogue().roles[slug].interview.scorecard
                 for part in (a.name, a.anchors.strong_no, a.anchors.lean_no, a.anchors.lean_yes, a.anchors.strong_yes)]
        assert_in_order(found[scorecard], items, "the scorecard")

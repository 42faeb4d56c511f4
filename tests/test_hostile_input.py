"""Hostile content: nothing a content author writes runs, reads a file, reaches the network, leaves
its field or crashes rolepack.

One catalogue, one row per case: the change made to a copy of the fixture content (or to the
command line, a brand, the file system), and the outcome: either the exact located problems
(`file:line:col: path: message`) with exit code 2 and every file of an earlier complete build left
as it was, or a safe rendering, checked in every format the way its reader sees it (PDF text with
pdftotext, DOCX runs with python-docx, the careers page parsed by lxml, the Markdown's CommonMark
tokens, the JSON-LD parsed). Builds ask for every format (`-f pdf -f docx -f html -f md -f jsonld`).

Groups, each a table below: YAML, WRONG_SHAPES, TEXT_CHARACTERS, LINKS and PATHS (refused content),
BRANDS and LOGOS (refused brands), OPTIONS (command-line values), EMAIL_REFUSED (addresses),
IMPORTED (untrusted documents), and MARKUP_FIELDS and SCRIPT_ROWS: safe renderings read from one
build of roles full of hostile text, made while a web server on 127.0.0.1 records every request.
A few single tests stand beside the tables (a manifest naming files outside --out, `--out` with
`..`, 10,000 list items), and each bug it found is fixed.

Hostile cases other test files already hold, not repeated here (91, counted apart):
- tests/check/test_validation.py (42): the 26 broken files of ONE_FILE_RULES (wrong types, unknown and
  missing keys, a syntax error, an empty file, prose, a top-level list, not UTF-8, a duplicate key,
  a billion-laughs alias bomb of lists, a top-level merge key, an impossible date, bad `extends`,
  cycles, duplicate and bad slugs, bad related roles…), 6 of them again in a new process, and 10
  more (three problems in one file, problems across files, a file over 1 MiB, 50,000-deep and
  70-deep nesting, missing files and folders, broken `extends` chains, validation writes nothing);
- tests/source/test_yaml_reader.py (19): 8 texts libyaml reads differently, 11 syntax errors worded with the fix;
- tests/render/test_pdf_security.py (11): 8 layout and brand-stylesheet attacks on the PDF (file and
  network URLs, `<base>`, a symlinked logo and font folder), markup and Jinja syntax in a summary
  and a list item (3);
- tests/importing/test_import.py (19): 14 unreadable or hostile imported files (zip bomb, macros, UTF-16,
  binary, over 5 MB, 3,000-deep lists…), a missing file, 4 documents that must fetch nothing.
Also near: tests/render/test_markdown_format.py (hostile text through the Markdown writer),
tests/render/test_email.py (6 bad and 3 CR/LF addresses), tests/check/test_fitness.py (invisible and uncovered
characters), tests/render/test_careers_site.py (markup in a title against the page's data script).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
import yaml
from lxml import etree
from lxml import html as lxml_html

from conftest import FIXTURE_CONTENT, Run, outputs, rolepack
from hostile_support import (BRAND, EVERY_FORMAT, FORMATS, Earlier, add_brand, assert_refused, build, docx_targets,
                             docx_text, earlier_build, html_tree, json_strings, jsonld, listening, markdown_tokens,
                             pdf_text, private_layouts, squash)

INVALID = 2
SUPPORT = "support-engineer"


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Earlier:
    return earlier_build(tmp_path_factory)


@pytest.fixture
def work(workdir: Path, earlier: Earlier) -> Path:
    """The fixture content at ./content (the working directory) and a copy of the earlier complete
    build at ./out; builds use the earlier build's private layouts."""
    earlier.copy_to(workdir)
    return workdir


def build_here(work: Path, earlier: Earlier, *args: str, brand: str = BRAND) -> Run:
    return build(Path("content"), work / "out", earlier.layouts, *args, brand=brand)


# ==================================================================================================
# Refused: a located error, and no output changed
# ==================================================================================================

Change = Callable[[Path], None]
"""What a case does to the working folder: content/ at ./content, and for brand cases a private
copy of the layouts at ./layouts."""


def role(name: str, text: str | bytes) -> Change:
    """Write content/roles/NAME.yaml."""
    def change(work: Path) -> None:
        path = work / "content" / "roles" / f"{name}.yaml"
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return change


def variant(name: str, text: str) -> Change:
    """A role that extends the valid fixture role and writes `text` after its first line."""
    return role(name, f"extends: {SUPPORT}\n{text}")


def company(old: str, new: str) -> Change:
    def change(work: Path) -> None:
        path = work / "content" / "company.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def symlink(link: str, target: Callable[[Path], Path]) -> Change:
    """Make `link` (relative to the working folder) a symbolic link to `target(work)`."""
    def change(work: Path) -> None:
        path = work / link
        if path.exists() or path.is_symlink():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        path.symlink_to(target(work))
    return change


def elsewhere(name: str, text: str) -> Callable[[Path], Path]:
    """A file outside content/ and layouts/, holding `text`."""
    def make(work: Path) -> Path:
        path = work / "elsewhere" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return make


def both(*changes: Change) -> Change:
    def change(work: Path) -> None:
        for one in changes:
            one(work)
    return change


def at(name: str, spot: str, message: str) -> str:
    """A problem line in content/roles/NAME.yaml."""
    return f"content/roles/{name}.yaml:{spot}: {message}"


HONEST_ROLE = f"extends: {SUPPORT}\ntitle: Night Support Engineer\n"
BILLION_MAPPINGS = "l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol, i: lol}\n" + "".join(
    f"l{n}: &l{n} {{" + ", ".join(f"{key}: *l{n - 1}" for key in "abcdefghi") + "}\n" for n in range(1, 9))
"""A billion laughs made of mappings: nine keys per level, each an alias of the level below."""
WHOLE_ADDRESS = "is not a whole address; write it with https://, http:// or mailto: at the start"


def forbidden_scheme(url: str, scheme: str) -> str:
    return (f"the link to {url!r} is a {scheme}: address, which a document must not link to; "
            "a link goes only to an https://, http:// or mailto: address")


YAML = [
    pytest.param(role("utf16", HONEST_ROLE.encode("utf-16")), [
        at("utf16", "1:1", "the file is UTF-16 (or UTF-32) text; save it as UTF-8"),
    ], id="yaml: UTF-16 with a byte-order mark is named as UTF-16"),
    pytest.param(role("utf16be", HONEST_ROLE.encode("utf-16-be")), [
        at("utf16be", "1:1", "the file holds a NUL byte, so it is binary, or text saved as UTF-16 or UTF-32; "
                             "save it as UTF-8 text"),
    ], id="yaml: UTF-16 without a byte-order mark is seen by its NUL bytes"),
    pytest.param(role("utf32", HONEST_ROLE.encode("utf-32")), [
        at("utf32", "1:1", "the file is UTF-16 (or UTF-32) text; save it as UTF-8"),
    ], id="yaml: UTF-32 is named too"),
    pytest.param(role("bom", b"\xef\xbb\xbf" + f"extends: {SUPPORT}\ntitle: [a list]\n".encode()), [
        at("bom", "2:8", "title: expected text, got a list"),
    ], id="yaml: a UTF-8 byte-order mark is read past and moves no column"),
    pytest.param(role("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), [
        at("png", "1:1", "the file is not UTF-8 text (byte 0x89); save it as UTF-8"),
    ], id="yaml: a binary file is refused at its first byte"),
    pytest.param(role("nul", f"extends: {SUPPORT}\ntitle: Night\x00Engineer\n"), [
        at("nul", "2:13", "the file holds a NUL byte, so it is binary, or text saved as UTF-16 or UTF-32; "
                          "save it as UTF-8 text"),
    ], id="yaml: a NUL byte is located, in one line"),
    pytest.param(role("escape", f"extends: {SUPPORT}\ntitle: Night \x1b[31mEngineer\n"), [
        at("escape", "2:14", "U+001B is a control character, which YAML does not allow in a file; delete it "
                             "(it usually comes with pasted text)"),
    ], id="yaml: a raw terminal escape is located and never echoed"),
    pytest.param(role("comments", "# only a comment\n# and another\n"), [
        at("comments", "1:1", "the file is empty; expected a mapping of keys"),
    ], id="yaml: a file of comments is empty"),
    pytest.param(role("dashes", "---\n"), [
        at("dashes", "1:1", "the file is empty; expected a mapping of keys"),
    ], id="yaml: a document marker alone is empty"),
    pytest.param(role("two", f"extends: {SUPPORT}\n---\ntitle: Second\n"), [
        at("two", "2:1", "YAML syntax error: but found another document; expected a single document in the "
                         "stream at line 1, column 1"),
    ], id="yaml: a second document is refused"),
    pytest.param(variant("apply", "title: !!python/object/apply:os.system ['touch /tmp/rolepack-pwned']\n"), [
        at("apply", "2:8", "title: the YAML tag !!python/object/apply:os.system is not allowed: content is plain "
                           "text, numbers, dates, lists and mappings; remove the tag"),
    ], id="yaml: a Python object tag runs nothing and is refused"),
    pytest.param(variant("pyname", "title: !!python/name:os.system\n"), [
        at("pyname", "2:8", "title: the YAML tag !!python/name:os.system is not allowed: content is plain text, "
                            "numbers, dates, lists and mappings; remove the tag"),
    ], id="yaml: a Python name tag is refused"),
    pytest.param(variant("binary", "title: !!binary SGVsbG8=\n"), [
        at("binary", "2:8", "title: the YAML tag !!binary is not allowed: content is plain text, numbers, dates, "
                            "lists and mappings; remove the tag"),
    ], id="yaml: a binary tag is refused"),
    pytest.param(variant("set", "qualifications:\n  hard_skills: !!set {SQL: null}\n"), [
        at("set", "3:16", "qualifications.hard_skills: the YAML tag !!set is not allowed: content is plain text, "
                          "numbers, dates, lists and mappings; remove the tag"),
    ], id="yaml: a set tag on a collection is refused"),
    pytest.param(role("custom", f"%TAG !e! tag:evil.example,2026:\n---\nextends: {SUPPORT}\ntitle: !e!shell id\n"), [
        at("custom", "4:8", "title: the YAML tag tag:evil.example,2026:shell is not allowed: content is plain "
                            "text, numbers, dates, lists and mappings; remove the tag"),
    ], id="yaml: a tag declared by a %TAG directive is refused"),
    pytest.param(variant("tagkey", "!!python/name:os.system : x\n"), [
        at("tagkey", "2:1", "the YAML tag !!python/name:os.system is not allowed: content is plain text, numbers, "
                            "dates, lists and mappings; remove the tag"),
    ], id="yaml: a tag on a key is refused"),
    pytest.param(variant("nested-merge", "about: &about {summary: Merged in}\njob_description:\n  <<: *about\n"), [
        at("nested-merge", "4:3", "job_description: YAML merge keys (<<) are not supported; use `extends` to "
                                  "vary a role"),
    ], id="yaml: a merge key inside a mapping is refused"),
    pytest.param(variant("merge-list", "job_description:\n  <<: [{summary: a}, {summary: b}]\n"), [
        at("merge-list", "3:3", "job_description: YAML merge keys (<<) are not supported; use `extends` to vary "
                                "a role"),
    ], id="yaml: a merge key with a list of mappings is refused"),
    pytest.param(role("laughing-maps", BILLION_MAPPINGS + f"extends: {SUPPORT}\n"), [
        at("laughing-maps", "6:1", "l5: expands to more than 100,000 values through aliases (an alias bomb); "
                                   "write the content out plainly"),
    ], id="yaml: a billion laughs of mappings is stopped at the key that explodes"),
    pytest.param(variant("self-alias", "faq: &loop [*loop]\n"), [
        at("self-alias", "2:6", "faq: nested more than 64 levels deep; write the content out plainly"),
    ], id="yaml: an alias to itself is nesting, not a hang"),
    pytest.param(variant("undefined-alias", "title: *nowhere\n"), [
        at("undefined-alias", "2:8", "YAML syntax error: found undefined alias 'nowhere'"),
    ], id="yaml: an alias to nothing is a syntax error"),
    pytest.param(variant("ten-mb", "title: " + "x" * 10 * 1024 * 1024 + "\n"), [
        at("ten-mb", "1:1", "the file is 10,485,794 bytes; the limit is 1,048,576"),
    ], id="yaml: a 10 MB field is refused before parsing"),
    pytest.param(variant("many", "team_sizing: [" + "x, " * 100_001 + "x]\n"), [
        at("many", "2:1", "team_sizing: holds more than 100,000 values, far more than any role needs; shorten it"),
    ], id="yaml: 100,001 plain items are too many, and not called an alias bomb"),
    pytest.param(variant("deep-1000", "faq: " + "[" * 1000 + "]" * 1000 + "\n"), [
        at("deep-1000", "2:70", "faq: nested more than 64 levels deep; write the content out plainly"),
    ], id="yaml: 1,000-deep flow nesting is a problem at the 65th level, not a crash"),
    pytest.param(variant("deep-block", "faq:\n" + "".join("  " * i + "- \n" for i in range(1, 1000))), [
        at("deep-block", "67:131", "faq: nested more than 64 levels deep; write the content out plainly"),
    ], id="yaml: 1,000-deep block nesting is a problem at the 65th level, not a crash"),
    pytest.param(variant("collection-key", "? [a, b]\n: value\n"), [
        at("collection-key", "2:3", "a list or mapping is written as a key, but keys must be text; write a plain key"),
    ], id="yaml: a list as a key is refused"),
    pytest.param(variant("number-key", "1: one\n"), [
        at("number-key", "2:1", "key '1' is read as a number, but keys must be text; quote it"),
    ], id="yaml: a number as a key is refused"),
    pytest.param(variant("control-key", '"title\\e]0;owned\\a": x\n'), [
        at("control-key", "2:1", "key 'title\\x1b]0;owned\\x07' holds the control character U+001B; keys are plain "
                                 "words: retype it"),
    ], id="yaml: a key with a terminal escape is refused and shown escaped"),
    pytest.param(variant("surrogate", 'title: "Rocket \\ud83d\\ude80 Engineer"\n'), [
        at("surrogate", "2:8", "title: U+D83D is half of a UTF-16 surrogate pair, not a character; write the "
                               "character itself, or one \\U0001F680-style escape"),
    ], id="yaml: a JSON-style surrogate pair escape is refused, not a crash"),
    pytest.param(variant("equals", "department: =\n"), [
        at("equals", "2:13", "department: has no words, only spaces or punctuation; write the text, or remove the key"),
    ], id="yaml: a lone = is text (YAML 1.2), not YAML 1.1's value type"),
    pytest.param(role("crlf", f"extends: {SUPPORT}\r\ntitle: Night\r\ndepartment: [Support]\r\n"), [
        at("crlf", "3:13", "department: expected text, got a list"),
    ], id="yaml: Windows line ends keep lines and columns right"),
    pytest.param(role("cr", f"extends: {SUPPORT}\rtitle: Night\rdepartment: [Support]\r"), [
        at("cr", "3:13", "department: expected text, got a list"),
    ], id="yaml: old Mac line ends keep lines and columns right"),
]

WRONG_SHAPES = [
    pytest.param(variant("locations-text", "locations: remote\n"), [
        at("locations-text", "2:12", "locations: expected a list, got text"),
    ], id="shape: text where a list belongs"),
    pytest.param(variant("jd-list", "job_description: [About us]\n"), [
        at("jd-list", "2:18", "job_description: expected a mapping of keys, got a list"),
    ], id="shape: a list where a mapping belongs"),
    pytest.param(variant("pay-text", "compensation:\n  levels:\n    - {level: Mid, min: 40k, max: 50000}\n"), [
        at("pay-text", "4:25", "compensation.levels[0].min: expected a whole number, got text"),
    ], id="shape: text where a number belongs"),
    pytest.param(variant("pay-infinite", "compensation:\n  levels:\n    - {level: Mid, min: .inf, max: .nan}\n"), [
        at("pay-infinite", "4:25", "compensation.levels[0].min: expected a whole number, got a number"),
        at("pay-infinite", "4:36", "compensation.levels[0].max: expected a whole number, got a number"),
    ], id="shape: infinity and not-a-number are no pay"),
    pytest.param(variant("minutes", "interview:\n  stages:\n    - {name: Marathon, minutes: 100000, who: Everyone, "
                                    "focus: [empathy]}\n"), [
        at("minutes", "4:33", "interview.stages[0].minutes: must be at most 480; got 100000"),
    ], id="shape: an absurd number is refused at its bound"),
    pytest.param(variant("flag-text", 'job_description:\n  show_nice_to_have: "no"\n'), [
        at("flag-text", "3:22", "job_description.show_nice_to_have: expected true or false, got text"),
    ], id="shape: quoted no is text, not false"),
    pytest.param(variant("timestamp", "reviewed: 2026-03-01T09:00:00Z\n"), [
        at("timestamp", "2:11", "reviewed: expected a date written as YYYY-MM-DD, got datetime"),
    ], id="shape: a timestamp is not a date"),
    pytest.param(variant("mode-number", "locations:\n  - mode: 1\n"), [
        at("mode-number", "3:11", "locations[0].mode: must be one of 'remote', 'hybrid' or 'on-site'; got 1"),
    ], id="shape: a number where a choice belongs"),
]

TEXT_CHARACTERS = [
    pytest.param(variant("nul-escape", 'title: "Night\\0Engineer"\n'), [
        at("nul-escape", "2:14", "title: U+0000 <control> cannot be stored in a PDF, Word or web document; delete "
                                 "it (it usually comes with pasted text)"),
        at("nul-escape", "2:14", "warning: title: U+0000 <control> is a control character: it prints as nothing or "
                                 "as an empty box; delete it (it usually comes with pasted text)"),
    ], id="text: a NUL written as an escape is refused at the escape"),
    pytest.param(variant("vertical-tab", 'job_description:\n  summary: "Help\\vcustomers"\n'), [
        at("vertical-tab", "3:17", "job_description.summary: U+000B <control> cannot be stored in a PDF, Word or web "
                                   "document; delete it (it usually comes with pasted text)"),
        at("vertical-tab", "3:17", "warning: job_description.summary: U+000B <control> is a control character: it "
                                   "prints as nothing or as an empty box; delete it (it usually comes with pasted text)"),
    ], id="text: a vertical tab is refused at the character"),
    pytest.param(variant("noncharacter", 'faq:\n  - {question: "Why\\uffff?", answer: Because.}\n'), [
        at("noncharacter", "3:20", "faq[0].question: U+FFFF <control> cannot be stored in a PDF, Word or web "
                                   "document; delete it (it usually comes with pasted text)"),
        at("noncharacter", "3:20", "warning: faq[0].question: U+FFFF <unassigned> “\uffff”: no bundled font of "
                                   "any brand (default, plain) has it, so the PDF prints an empty box in its "
                                   "place; remove it or say it in words"),
    ], id="text: a noncharacter is refused"),
    pytest.param(company("name: Example Co", 'name: "Example\\x1fCo"'), [
        "content/company.yaml:2:15: name: U+001F <control> cannot be stored in a PDF, Word or web document; delete "
        "it (it usually comes with pasted text)",
        "content/company.yaml:2:15: warning: name: U+001F <control> is a control character: it prints as nothing or "
        "as an empty box; delete it (it usually comes with pasted text)",
    ], id="text: a control character in company.yaml is refused in that file"),
    pytest.param(variant("title-crlf", 'title: "Support Engineer\\r\\nBcc: everyone@example.org"\n'), [
        at("title-crlf", "2:8", "title: must be one line: it names the documents and the email that sends them; "
                                "remove the line break"),
    ], id="text: a title with CR/LF cannot smuggle an email header"),
    pytest.param(variant("title-block", "title: |\n  Support Engineer\n  X-Priority: 1\n"), [
        at("title-block", "2:8", "title: must be one line: it names the documents and the email that sends them; "
                                 "remove the line break"),
    ], id="text: a title written as a block of lines is refused"),
    pytest.param(variant("title-separator", 'department: "Support\\u2028Bcc: x@example.org"\n'), [
        at("title-separator", "2:13", "department: must be one line: it names the documents and the email that "
                                      "sends them; remove the line break"),
    ], id="text: a Unicode line separator in the department is a line break too"),
    pytest.param(company("name: Example Co", 'name: "Example Co\\nBcc: x@example.org"'), [
        "content/company.yaml:2:7: name: must be one line: it names the documents and the email that sends them; "
        "remove the line break",
    ], id="text: the company name, in every email subject, is one line"),
    pytest.param(company("  name: Sam Recruiter", '  name: "Sam\\rReply-To: x@example.org"'), [
        "content/company.yaml:10:9: contact.name: must be one line: it names the documents and the email that "
        "sends them; remove the line break",
    ], id="text: the contact's name, the email's sender, is one line"),
]


def md_link(name: str, url: str, where: str = "summary") -> Change:
    return variant(name, f"job_description:\n  {where}: See [the page]({url}) today.\n")


LINKS = [
    pytest.param(md_link("js-link", "javascript:alert(1)"), [
        at("js-link", "3:16", f"job_description.summary: {forbidden_scheme('javascript:alert(1)', 'javascript')}"),
    ], id="links: a javascript: link is refused at its bracket"),
    pytest.param(md_link("js-case", "JaVaScRiPt:alert(1)"), [
        at("js-case", "3:16", f"job_description.summary: {forbidden_scheme('JaVaScRiPt:alert(1)', 'javascript')}"),
    ], id="links: the scheme's case does not matter"),
    pytest.param(md_link("js-entity", "&#106;avascript:alert(1)"), [
        at("js-entity", "3:16", f"job_description.summary: {forbidden_scheme('javascript:alert(1)', 'javascript')}"),
    ], id="links: an entity-encoded javascript: link is seen as the parser reads it"),
    pytest.param(md_link("js-angle", "<javascript:alert(1)>"), [
        at("js-angle", "3:16", f"job_description.summary: {forbidden_scheme('javascript:alert(1)', 'javascript')}"),
    ], id="links: a javascript: link in angle brackets is refused"),
    pytest.param(md_link("vb-link", "vbscript:msgbox(1)"), [
        at("vb-link", "3:16", f"job_description.summary: {forbidden_scheme('vbscript:msgbox(1)', 'vbscript')}"),
    ], id="links: a vbscript: link is refused"),
    pytest.param(variant("file-link", "qualifications:\n  hard_skills:\n    - Read [the logs](file:///etc/passwd)\n"), [
        at("file-link", "4:12", "qualifications.hard_skills[0]: "
                                + forbidden_scheme("file:///etc/passwd", "file")),
    ], id="links: a file: link in a list item is refused at the item's bracket"),
    pytest.param(variant("data-link", "faq:\n  - question: Why?\n    answer: '**[Because](data:text/html,<script>alert(1)</script>)**'\n"), [
        at("data-link", "4:16", "faq[0].answer: " + forbidden_scheme("data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
                                                                     "data")),
        at("data-link", "4:41", "warning: faq[0].answer: “<script>” is an HTML tag, and prints literally as typed; "
                                "remove it"),
        at("data-link", "4:57", "warning: faq[0].answer: “</script>” is an HTML tag, and prints literally as typed; "
                                "remove it"),
    ], id="links: a data: link inside bold is refused"),
    pytest.param(md_link("relative", "apply.html"), [
        at("relative", "3:16", f"job_description.summary: the link to 'apply.html' {WHOLE_ADDRESS}"),
    ], id="links: a relative link is refused"),
    pytest.param(md_link("dotdot", "../../etc/passwd"), [
        at("dotdot", "3:16", f"job_description.summary: the link to '../../etc/passwd' {WHOLE_ADDRESS}"),
    ], id="links: a ../ path is refused"),
    pytest.param(md_link("protocol-relative", "//evil.example/x"), [
        at("protocol-relative", "3:16", f"job_description.summary: the link to '//evil.example/x' {WHOLE_ADDRESS}"),
    ], id="links: a protocol-relative link is refused"),
    pytest.param(variant("title-link", "title: Engineer [x](javascript:alert(1))\n"), [
        at("title-link", "2:17", "title: " + forbidden_scheme("javascript:alert(1)", "javascript")),
    ], id="links: a link in a field printed as plain text is refused too"),
    pytest.param(company("  - Example Co makes small tools for small teams.",
                         "  - Example Co makes [small tools](vbscript:run) for small teams."), [
        "content/company.yaml:5:22: about[0]: " + forbidden_scheme("vbscript:run", "vbscript"),
    ], id="links: a link in company.yaml is refused in that file"),
    pytest.param(variant("apply-js", "posting:\n  apply_url: javascript:alert(1)\n"), [
        at("apply-js", "3:14", "posting.apply_url: must be an https:// address; got 'javascript:alert(1)'"),
    ], id="links: posting.apply_url with javascript: is refused"),
    pytest.param(variant("apply-data", "posting:\n  apply_url: data:text/html,hello\n"), [
        at("apply-data", "3:14", "posting.apply_url: must be an https:// address; got 'data:text/html,hello'"),
    ], id="links: posting.apply_url with data: is refused"),
    pytest.param(variant("apply-relative", "posting:\n  apply_url: /apply\n"), [
        at("apply-relative", "3:14", "posting.apply_url: must be an https:// address; got '/apply'"),
    ], id="links: posting.apply_url as a path is refused"),
    pytest.param(variant("apply-nul", 'posting:\n  apply_url: "https://jobs.example/\\0apply"\n'), [
        at("apply-nul", "3:14", "posting.apply_url: must be an https:// address without spaces or control "
                                "characters; got 'https://jobs.example/\\x00apply'"),
        at("apply-nul", "3:36", "posting.apply_url: U+0000 <control> cannot be stored in a PDF, Word or web "
                                "document; delete it (it usually comes with pasted text)"),
        at("apply-nul", "3:36", "warning: posting.apply_url: U+0000 <control> is a control character: it prints as "
                                "nothing or as an empty box; delete it (it usually comes with pasted text)"),
    ], id="links: posting.apply_url with a NUL is refused"),
    pytest.param(variant("website-file", "company:\n  website: file:///etc/passwd\n"), [
        at("website-file", "3:12", "company.website: must be an https:// address; got 'file:///etc/passwd'"),
    ], id="links: company.website with file: is refused"),
    pytest.param(company("website: https://example.com", "website: vbscript:msgbox"), [
        "content/company.yaml:3:10: website: must be an https:// address; got 'vbscript:msgbox'",
    ], id="links: the shared company website with vbscript: is refused"),
    pytest.param(variant("website-space", "company:\n  website: https://example.com/a b\n"), [
        at("website-space", "3:12", "company.website: must be an https:// address without spaces or control "
                                    "characters; got 'https://example.com/a b'"),
    ], id="links: a website with a space is refused"),
    pytest.param(variant("source-js", "compensation:\n  source:\n    url: javascript:alert(1)\n"), [
        at("source-js", "4:10", "compensation.source.url: must be an http:// or https:// address; "
                                "got 'javascript:alert(1)'"),
    ], id="links: a salary source url with javascript: is refused"),
    pytest.param(variant("source-relative", "compensation:\n  source:\n    url: ../pay.html\n"), [
        at("source-relative", "4:10", "compensation.source.url: must be an http:// or https:// address; "
                                      "got '../pay.html'"),
    ], id="links: a salary source url as a relative path is refused"),
]


def slug_message(value: str) -> str:
    return ("must use only lowercase letters, digits and single hyphens (like `backend-engineer`); "
            f"got {value!r}")


def fixed(target: str) -> Callable[[Path], Path]:
    """A link target that is the same wherever the test runs (/etc/passwd)."""
    return lambda work: Path(target)


PATHS = [
    pytest.param(role("dots", f"slug: ../../escape\nextends: {SUPPORT}\n"), [
        at("dots", "1:7", "slug: " + slug_message("../../escape")),
    ], id="paths: a slug with ../ is refused"),
    pytest.param(role("absolute", f"slug: /etc/passwd\nextends: {SUPPORT}\n"), [
        at("absolute", "1:7", "slug: " + slug_message("/etc/passwd")),
    ], id="paths: an absolute slug is refused"),
    pytest.param(role("nul-slug", f'slug: "a\\0b"\nextends: {SUPPORT}\n'), [
        at("nul-slug", "1:7", "slug: " + slug_message("a\x00b")),
        at("nul-slug", "1:9", "slug: U+0000 <control> cannot be stored in a PDF, Word or web document; delete it "
                              "(it usually comes with pasted text)"),
    ], id="paths: a slug with a NUL byte is refused"),
    pytest.param(role("extends-dots", "extends: ../company\n"), [
        at("extends-dots", "1:10", "extends: extends '../company', which is not a role"),
    ], id="paths: extends with ../ names no file"),
    pytest.param(role("extends-absolute", "extends: /etc/passwd\n"), [
        at("extends-absolute", "1:10", "extends: extends '/etc/passwd', which is not a role"),
    ], id="paths: extends with an absolute path names no file"),
    pytest.param(role("extends-escape", 'extends: "support-engineer\\e[2J"\n'), [
        at("extends-escape", "1:10", "extends: extends 'support-engineer\\x1b[2J', which is not a role "
                                     "(did you mean 'support-engineer'?)"),
        at("extends-escape", "1:27", "extends: U+001B <control> cannot be stored in a PDF, Word or web document; "
                                     "delete it (it usually comes with pasted text)"),
    ], id="paths: extends with a terminal escape is shown escaped"),
    pytest.param(variant("related-dots", "related_roles: [../../etc/passwd, /etc/shadow]\n"), [
        at("related-dots", "2:17", "related_roles[0]: must be a role slug (lowercase letters, digits and hyphens); "
                                   "got '../../etc/passwd'"),
        at("related-dots", "2:35", "related_roles[1]: must be a role slug (lowercase letters, digits and hyphens); "
                                   "got '/etc/shadow'"),
    ], id="paths: related_roles with paths are refused"),
    pytest.param(symlink("content/roles/passwd.yaml", fixed("/etc/passwd")), [
        "content/roles/passwd.yaml:1:1: is a link to /etc/passwd, outside the content folder content; content "
        "files must be files inside it",
    ], id="paths: a role file that links to /etc/passwd is refused unread"),
    pytest.param(symlink("content/roles/secret.yaml", elsewhere("secret.yaml", HONEST_ROLE)), [
        "content/roles/secret.yaml:1:1: is a link to {work}/elsewhere/secret.yaml, outside the content folder "
        "content; content files must be files inside it",
    ], id="paths: a valid role file outside content/ is refused unread too"),
    pytest.param(symlink("content/company.yaml", elsewhere("company.yaml", "name: Elsewhere\n")), [
        "content/company.yaml:1:1: is a link to {work}/elsewhere/company.yaml, outside the content folder content; "
        "content files must be files inside it",
    ], id="paths: a company file outside content/ is refused unread"),
    pytest.param(both(symlink("content/roles/night.yaml", elsewhere("night.yaml", HONEST_ROLE)),
                      role("nightly", "extends: night\n")), [
        "content/roles/night.yaml:1:1: is a link to {work}/elsewhere/night.yaml, outside the content folder "
        "content; content files must be files inside it",
        "note: content/roles/night.yaml could not be read, so 1 role that extends it could not be checked: nightly",
    ], id="paths: a role extending a refused link is held back with it"),
    pytest.param(symlink("content/roles/copy.yaml", lambda work: work / "content" / "roles" / f"{SUPPORT}.yaml"), [
        at(SUPPORT, "2:7", "slug: 'support-engineer' is already the slug of content/roles/copy.yaml"),
    ], id="paths: a link inside content/ is read like any file"),
]


def brand_problem(line: str) -> str:
    return "{brands}/evil/brand.yaml:" + line


def evil_brand(**replace: str) -> Change:
    """The brand `evil`: the default brand with `replace` applied (see hostile_support.add_brand)."""
    def change(work: Path) -> None:
        add_brand(work / "layouts", "evil", **replace)
    return change


def evil_brand_folder_elsewhere(work: Path) -> None:
    shutil.copytree(work / "layouts" / "brands" / "default", work / "elsewhere" / "evil")
    (work / "layouts" / "brands" / "evil").symlink_to(work / "elsewhere" / "evil")


def evil_logo(svg: str, name: str = "logo.svg") -> Change:
    def change(work: Path) -> None:
        folder = add_brand(work / "layouts", "evil", logo=name)
        (folder / name).write_text(svg, encoding="utf-8")
    return change


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="96" height="96">{}</svg>'
LOGO_PICTURE_ONLY = "a logo must be a picture only: remove it"
LOGO_SELF_CONTAINED = "a logo must be self-contained: remove the reference"
FAMILY = "must be the name of a bundled font family: letters, digits and spaces (like Noto Sans)"

BRANDS = [
    pytest.param(evil_brand(primary='"red; background: url({url}/colour)"'), [
        brand_problem("5:12: colours.primary: must be a colour written #rrggbb (like #16324f); "
                      "got 'red; background: url({url}/colour)'"),
    ], id="brands: a colour that tries to add a CSS declaration is refused"),
    pytest.param(evil_brand(accent='"#0f7a8a; } body { display: none"'), [
        brand_problem("6:11: colours.accent: must be a colour written #rrggbb (like #16324f); "
                      "got '#0f7a8a; } body { display: none'"),
    ], id="brands: a colour that closes the CSS rule is refused"),
    pytest.param(evil_brand(body="'Inter\", serif; src: url({url}/font.woff)'"), [
        brand_problem(f"11:9: fonts.body: {FAMILY}; got 'Inter\", serif; src: url({{url}}/font.woff)'"),
    ], id="brands: a font name with quotes is refused"),
    pytest.param(evil_brand(fallbacks='[Noto Sans, "x}</style><script>alert(1)</script>"]'), [
        brand_problem(f"13:26: fonts.fallbacks[1]: {FAMILY}; got 'x}}</style><script>alert(1)</script>'"),
    ], id="brands: a fallback font with markup is refused"),
    pytest.param(evil_brand(name='"Tidewater\\e[2J"'), [
        brand_problem("3:7: name: holds the control character U+001B; delete it"),
    ], id="brands: a brand name with a terminal escape is refused"),
    pytest.param(evil_brand(footer='"Tidewater\\0careers"'), [
        brand_problem("19:9: footer: holds the control character U+0000; delete it"),
    ], id="brands: a footer with a NUL is refused"),
    pytest.param(evil_brand(site_url="javascript:alert(1)"), [
        brand_problem("20:11: site_url: must be an https:// address; got 'javascript:alert(1)'"),
    ], id="brands: a site_url with javascript: is refused"),
    pytest.param(evil_brand(logo="../../../../etc/passwd"), [
        brand_problem("15:7: logo: must be the file name of an .svg or .png in the brand folder; "
                      "got '../../../../etc/passwd'"),
    ], id="brands: a logo path with ../ is refused"),
    pytest.param(evil_brand(logo="/etc/logo.svg"), [
        brand_problem("15:7: logo: must be the file name of an .svg or .png in the brand folder; got '/etc/logo.svg'"),
    ], id="brands: an absolute logo path is refused"),
    pytest.param(evil_brand(logo="{url}/logo.svg"), [
        brand_problem("15:7: logo: must be the file name of an .svg or .png in the brand folder; "
                      "got '{url}/logo.svg'"),
    ], id="brands: a logo on the network is refused"),
    pytest.param(evil_brand(logo="file:///etc/logo.svg"), [
        brand_problem("15:7: logo: must be the file name of an .svg or .png in the brand folder; "
                      "got 'file:///etc/logo.svg'"),
    ], id="brands: a file: URL logo is refused"),
    pytest.param(evil_brand(logo="'data:image/svg+xml,<svg/>.svg'"), [
        brand_problem("15:7: logo: must be the file name of an .svg or .png in the brand folder; "
                      "got 'data:image/svg+xml,<svg/>.svg'"),
    ], id="brands: a data: URL logo is refused"),
]

LOGOS = [
    pytest.param(evil_logo(SVG.format('<image href="{url}/pixel.png" width="9" height="9"/>')), [
        brand_problem("15:7: logo: logo file 'logo.svg' refers to something outside itself on line 1 "
                      "(href=\"{url}/pixel.png\"); " + LOGO_SELF_CONTAINED),
    ], id="logos: an SVG image from the network is refused"),
    pytest.param(evil_logo(SVG.format('<image xlink:href="https://tracker.example/p.png"/>')), [
        brand_problem("15:7: logo: logo file 'logo.svg' refers to something outside itself on line 1 "
                      "(href=\"https://tracker.example/p.png\"); " + LOGO_SELF_CONTAINED),
    ], id="logos: an xlink:href to the network is refused"),
    pytest.param(evil_logo(SVG.format('\n<use href="file:///etc/passwd#x"/>')), [
        brand_problem("15:7: logo: logo file 'logo.svg' refers to something outside itself on line 2 "
                      "(href=\"file:///etc/passwd#x\"); " + LOGO_SELF_CONTAINED),
    ], id="logos: a use of a local file is refused"),
    pytest.param(evil_logo(SVG.format('<image href="data:image/png;base64,iVBORw0KGgo="/>')), [
        brand_problem("15:7: logo: logo file 'logo.svg' refers to something outside itself on line 1 "
                      "(href=\"data:image/png;base64,iVBORw0KGgo=\"); " + LOGO_SELF_CONTAINED),
    ], id="logos: an embedded data: image is refused (only #fragments may be referred to)"),
    pytest.param(evil_logo(SVG.format('\n\n<script>fetch("{url}/run")</script>')), [
        brand_problem(f"15:7: logo: logo file 'logo.svg' holds a <script> on line 3; {LOGO_PICTURE_ONLY}"),
    ], id="logos: a script in an SVG is refused"),
    pytest.param(evil_logo(SVG.format('<rect width="9" height="9" onload="alert(1)"/>')), [
        brand_problem(f"15:7: logo: logo file 'logo.svg' has an event handler (onload) on line 1; {LOGO_PICTURE_ONLY}"),
    ], id="logos: an on* attribute is refused"),
    pytest.param(evil_logo(SVG.format('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>')), [
        brand_problem(f"15:7: logo: logo file 'logo.svg' holds a <foreignObject> on line 1; {LOGO_PICTURE_ONLY}"),
    ], id="logos: foreign HTML inside an SVG is refused"),
    pytest.param(evil_logo(SVG.format('<a href="#top"><set attributeName="href" to="javascript:alert(1)"/></a>')), [
        brand_problem(f"15:7: logo: logo file 'logo.svg' holds a <set> on line 1; {LOGO_PICTURE_ONLY}"),
    ], id="logos: an animation that rewrites a link is refused"),
    pytest.param(evil_logo(SVG.format('<style>@import url("{url}/logo.css");</style>')), [
        brand_problem("15:7: logo: logo file 'logo.svg' has a stylesheet that refers to something outside the logo "
                      "on line 1; " + LOGO_SELF_CONTAINED),
    ], id="logos: a stylesheet import inside an SVG is refused"),
    pytest.param(evil_logo(SVG.format('<rect width="9" height="9" style="fill: url(\'{url}/paint\')"/>')), [
        brand_problem("15:7: logo: logo file 'logo.svg' refers to something outside itself on line 1 "
                      "(style=\"fill: url('{url}/paint')\"); " + LOGO_SELF_CONTAINED),
    ], id="logos: a style attribute with a remote url() is refused"),
    pytest.param(evil_logo('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                           + SVG.format("<text>&x;</text>")), [
        brand_problem("15:7: logo: logo file 'logo.svg' declares a DOCTYPE, whose entities could pull in other "
                      "files; export it again without one"),
    ], id="logos: an SVG with an external entity (XXE) is refused unresolved"),
    pytest.param(evil_logo("<svg><unclosed></svg>"), [
        brand_problem("15:7: logo: logo file 'logo.svg' is not a readable SVG (Opening and ending tag mismatch: "
                      "unclosed line 1 and svg, line 1, column 22 (<string>, line 1)); export it again"),
    ], id="logos: a broken SVG is refused, not a crash of the DOCX writer"),
    pytest.param(evil_logo("<html><script>alert(1)</script></html>", name="logo.png"), [
        brand_problem("15:7: logo: logo file 'logo.png' is not a PNG image; export it again as PNG"),
    ], id="logos: a PNG logo that is HTML is refused"),
    pytest.param(both(evil_brand(), symlink("layouts/brands/evil/logo.svg", fixed("/etc/passwd"))), [
        brand_problem("15:7: logo: logo file file://{brands}/evil/logo.svg is a link to /etc/passwd, outside the "
                      "brand folder; put the file itself in the folder"),
    ], id="logos: a logo that links to /etc/passwd is never published on the careers site"),
    pytest.param(both(evil_brand(), symlink("layouts/brands/evil/brand.css", elsewhere("brand.css", "h1 {}"))), [
        "{brands}/evil/brand.css:1:1: is a link to {work}/elsewhere/brand.css, outside the brand folder; put the "
        "file itself in the folder",
    ], id="logos: a brand stylesheet linked from elsewhere is refused"),
    pytest.param(evil_brand_folder_elsewhere, [
        "{brands}/evil/brand.yaml:1:1: is a link to {work}/elsewhere/evil/brand.yaml, outside {brands}; a brand's "
        "folder and files must be inside it",
    ], id="logos: a brand folder linked from elsewhere is refused"),
]


@dataclass(frozen=True)
class Placeholders:
    """What a row's text may name before the test knows it: the working folder, the private
    layouts' brands folder, the listener's address."""

    work: Path
    brands: Path
    url: str

    def fill(self, text: str) -> str:
        return text.replace("{work}", str(self.work)).replace("{brands}", str(self.brands)).replace("{url}", self.url)


@pytest.fixture(scope="module")
def listener():
    with listening() as recording:
        yield recording


def filled(change: Change, places: Placeholders) -> Change:
    """`change` run with the row's placeholders filled in every file it writes."""
    def run(work: Path) -> None:
        before = {p: p.stat().st_mtime_ns for p in work.rglob("*") if p.is_file() and not p.is_symlink()}
        change(work)
        for path in work.rglob("*"):
            if path.is_file() and not path.is_symlink() and before.get(path) != path.stat().st_mtime_ns:
                data = path.read_bytes()
                if b"{url}" in data:
                    path.write_bytes(data.replace(b"{url}", places.url.encode()))
    return run


@pytest.mark.parametrize(("change", "expected"), YAML + WRONG_SHAPES + TEXT_CHARACTERS + LINKS + PATHS)
def test_hostile_content_is_refused_where_it_is_written(work: Path, earlier: Earlier, listener, change: Change,
                                                       expected: list[str]) -> None:
    places = Placeholders(work.resolve(), earlier.layouts / "brands", listener.url)
    filled(change, places)(work)
    before = outputs(work / "out")
    run = build_here(work, earlier)
    assert_refused(run, work / "out", before, [places.fill(line) for line in expected])
    assert listener.hits == []


@pytest.mark.parametrize(("change", "expected"), BRANDS + LOGOS)
def test_a_hostile_brand_is_refused_before_anything_is_rendered(work: Path, earlier: Earlier, listener,
                                                                change: Change, expected: list[str]) -> None:
    layouts = private_layouts(work, fonts=earlier.layouts / "fonts")  # refused before any font is read for a page
    places = Placeholders(work.resolve(), layouts / "brands", listener.url)
    filled(change, places)(work)
    before = outputs(work / "out")
    run = build(Path("content"), work / "out", layouts, brand="evil")
    assert_refused(run, work / "out", before, [places.fill(line) for line in expected])
    assert run.stderr.startswith("Brand problems:\n")
    assert listener.hits == []


def test_a_self_contained_svg_logo_with_internal_references_loads(tmp_path: Path) -> None:
    """The check refuses what points outside the logo, not SVG's own references to its parts."""
    from pipeline.check.brands import load_brand

    layouts = private_layouts(tmp_path)
    folder = add_brand(layouts, "evil")
    (folder / "logo.svg").write_text(SVG.format(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#16324f"/></linearGradient>'
        '<path id="wave" d="M0 0h9v9z"/></defs><style>rect { fill: url(#g) }</style>'
        '<rect width="9" height="9" style="fill: url(#g)"/><use href="#wave"/><use xlink:href="#wave"/>'), encoding="utf-8")
    assert load_brand(layouts, "evil").logo == folder / "logo.svg"


# --- command-line values ---------------------------------------------------------------------------

OPTIONS = [  # (option, value), and the start of the error line
    pytest.param(("--role", "../support-engineer"),
                 "error: no role '../support-engineer' (did you mean 'support-engineer'?) "
                 "(roles: senior-support-engineer, support-engineer)", id="options: --role with ../"),
    pytest.param(("--role", "/etc/passwd"),
                 "error: no role '/etc/passwd' (roles: senior-support-engineer, support-engineer)",
                 id="options: --role with an absolute path"),
    pytest.param(("--role", "support-engineer/../../../tmp"),
                 "error: no role 'support-engineer/../../../tmp' (did you mean 'support-engineer'?) "
                 "(roles: senior-support-engineer, support-engineer)",
                 id="options: --role with a path that climbs out"),
    pytest.param(("--role", "support\x00-engineer"), "error: no role 'support", id="options: --role with a NUL byte"),
    pytest.param(("--brand", "../brands/plain"),
                 "error: no brand '../brands/plain'; brands: default, plain (in {brands})",
                 id="options: --brand with ../"),
    pytest.param(("--brand", "/etc"),
                 "error: no brand '/etc'; brands: default, plain (in {brands})",
                 id="options: --brand with an absolute path"),
    pytest.param(("--out", "out\x00/x"),
                 "Error: Invalid value for '--out': Value error, embedded null byte",
                 id="options: --out with a NUL byte"),
]


@pytest.mark.parametrize(("option", "error"), OPTIONS)
def test_a_hostile_option_value_is_refused_and_writes_nothing(work: Path, earlier: Earlier, option: tuple[str, str],
                                                              error: str) -> None:
    before = outputs(work / "out")
    tree = sorted(work.rglob("*"))
    chosen = {"--content": "content", "--layouts": str(earlier.layouts), "--out": str(work / "out"), "--brand": BRAND}
    chosen[option[0]] = option[1]
    args = [*EVERY_FORMAT, "--quiet", *(part for pair in chosen.items() for part in pair)]
    run = rolepack("build", *args)
    assert run.exit_code == INVALID, run.stderr
    assert "Traceback" not in run.stderr
    expected = Placeholders(work, earlier.layouts / "brands", "").fill(error)
    assert [line for line in run.stderr.splitlines() if line.startswith(expected)], run.stderr
    assert outputs(work / "out") == before
    assert sorted(work.rglob("*")) == tree


def test_out_with_dot_dot_writes_only_inside_the_folder_it_names(work: Path, earlier: Earlier) -> None:
    """`--out` is the operator's choice, `..` included; the build writes there and nowhere else."""
    (work / "a").mkdir()
    tree = {p for p in work.rglob("*") if not p.is_relative_to(work / "published")}
    run = build(Path("content"), Path("a/../published"), earlier.layouts, "-f", "md", "-f", "jsonld")
    assert run.exit_code == 0, run.stderr
    assert {p for p in work.rglob("*") if not p.is_relative_to(work / "published")} == tree
    assert (work / "published" / BRAND / SUPPORT / f"{SUPPORT}-job-description.md").is_file()


def test_keep_going_past_a_role_whose_slug_climbs_out_touches_nothing_outside_out(work: Path, earlier: Earlier) -> None:
    role("climber", f"slug: ../../../escaped\nextends: {SUPPORT}\n")(work)
    outside_out = {p: p.read_bytes() for p in work.parent.rglob("*")
                   if p.is_file() and not p.is_relative_to(work / "out")}
    run = build_here(work, earlier, "--keep-going", "--role", SUPPORT)
    assert run.exit_code == 1, run.stderr
    assert at("climber", "1:7", "slug: " + slug_message("../../../escaped")) in run.problems
    assert {p: p.read_bytes() for p in work.parent.rglob("*")
            if p.is_file() and not p.is_relative_to(work / "out")} == outside_out
    assert not any("escaped" in str(p) for p in work.parent.rglob("*"))


# --- email ------------------------------------------------------------------------------------------

def email(work: Path, earlier: Earlier, *args: str) -> Run:
    return rolepack("email", SUPPORT, "--content", "content", "--out", str(work / "out"), "--layouts",
                    str(earlier.layouts), "--brand", BRAND, *args)


NOT_VALID = "is not a valid email address"
EMAIL_REFUSED = [
    pytest.param(("--to", "lead@example.com\tBcc: all@example.org"),
                 "error: --to: 'lead@example.com\\tBcc: all@example.org' is not a valid email address (The part after "
                 "the @-sign contains invalid characters: ':', '@', SPACE, U+0009.)", id="email: a tab and a header"),
    pytest.param(("--to", "lead@example.com\u2028Bcc: all@example.org"),
                 "error: --to: 'lead@example.com\\u2028Bcc: all@example.org' is not a valid email address (The part "
                 "after the @-sign contains invalid characters: ':', '@', SPACE.)", id="email: a Unicode line separator"),
    pytest.param(("--cc", "copy@example.com\x85Bcc: all@example.org"),
                 "error: --cc: 'copy@example.com\\x85Bcc: all@example.org' is not a valid email address (The part "
                 "after the @-sign contains invalid characters: ':', '@', SPACE.)", id="email: a NEL in --cc"),
    pytest.param(("--to", "lead@localhost"),
                 "error: --to: 'lead@localhost' is not a valid email address (The part after the @-sign is not "
                 "valid. It should have a period.)", id="email: a host without a domain"),
    pytest.param(("--to", "lead@[127.0.0.1]"),
                 "error: --to: 'lead@[127.0.0.1]' is not a valid email address (A bracketed IP address after the "
                 "@-sign is not allowed here.)", id="email: an address literal"),
    pytest.param(("--to", '"lead\\"@evil.example"@example.com'),
                 "error: --to: '\"lead\\\\\"@evil.example\"@example.com' is not a valid email address (Quoting the "
                 "part before the @-sign is not allowed here.)", id="email: a quoted local part hiding another address"),
]


@pytest.mark.parametrize(("option", "error"), EMAIL_REFUSED)
def test_a_hostile_address_is_refused_and_nothing_is_written(work: Path, earlier: Earlier, option: tuple[str, str],
                                                             error: str) -> None:
    before = outputs(work / "out")
    args = ("--to", "lead@example.com", *option) if option[0] == "--cc" else option
    run = email(work, earlier, *args)
    assert run.exit_code == INVALID, run.stderr
    assert "Traceback" not in run.stderr
    assert error in run.stderr.splitlines()
    assert outputs(work / "out") == before


def test_a_title_with_a_line_break_stops_the_email_at_validation(work: Path, earlier: Earlier) -> None:
    path = work / "content" / "roles" / f"{SUPPORT}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Support Engineer", 'title: "Support Engineer\\r\\nBcc: all@example.org"'), encoding="utf-8")
    before = outputs(work / "out")
    run = email(work, earlier, "--to", "lead@example.com")
    assert_refused(run, work / "out", before, [
        f"content/roles/{SUPPORT}.yaml:4:8: title: must be one line: it names the documents and the email that "
        "sends them; remove the line break"])


def test_an_internationalised_domain_is_written_as_its_ascii_form(work: Path, earlier: Earlier) -> None:
    from email import message_from_bytes

    run = email(work, earlier, "--to", "lead@bücher.example")
    assert run.exit_code == 0, run.stderr
    draft = message_from_bytes((work / "out" / BRAND / SUPPORT / f"{SUPPORT}-draft.eml").read_bytes())
    assert draft["To"] == "lead@xn--bcher-kva.example"
    assert "\n" not in draft["Subject"] and "\r" not in draft["Subject"]


@pytest.mark.parametrize("address", ["josé@example.com", "=?utf-8?q?lead?=@example.com"])
def test_an_address_email_headers_cannot_carry_is_refused_not_crashed_on(work: Path, earlier: Earlier,
                                                                          address: str) -> None:
    before = outputs(work / "out")
    run = email(work, earlier, "--to", address)
    assert run.exit_code == INVALID and isinstance(run.exception, SystemExit), run.exception
    assert run.stderr.startswith("error: --to: ")
    assert outputs(work / "out") == before


# ==================================================================================================
# Rendered safely: one build, every format, of roles full of hostile text, while a server listens
# ==================================================================================================

def hostile(tag: str, url: str) -> str:
    """Markup, template syntax, a Markdown image and references to the listener and to local files:
    a text that would run, fetch or inject something if any of it were interpreted."""
    return (f'{tag}: <script>alert("{tag}")</script> <img src="{url}/{tag}.png" onerror="alert(1)"> '
            f'{{{{ 7*7 }}}} {{% include "/etc/passwd" %}} ![x]({url}/{tag}-md.png) '
            f'<link rel="stylesheet" href="{url}/{tag}.css"> <iframe src="file:///etc/passwd"></iframe> '
            f'<a href="javascript:alert(1)">a</a> &amp; <!-- c --> `code` # h | t ~ $x$ end-{tag}.')


def brief(tag: str) -> str:
    """Hostile text short enough for a title, which the DOCX properties hold with the company's name."""
    return f"{tag} <script>alert(1)</script> {{{{ 7*7 }}}} <b>b</b>"


def markup_role(url: str) -> dict:
    """A role with hostile text in every kind of text field; field Fnn's text starts with `Fnn:`."""
    h = lambda n: hostile(f"F{n:02d}", url)  # noqa: E731 (a table of fields reads better with a short name)
    return {
        "slug": "markup", "title": brief("F01"), "department": brief("F02"), "employment_type": "full-time",
        "reviewed": dt.date(2026, 3, 1),
        "locations": [{"mode": "hybrid", "places": [{"name": h(3), "country": "PT", "street": h(4),
                                                      "postal_code": h(5)}], "note": h(6)}],
        "posting": {"ai_screening": h(7)},
        "job_description": {
            "summary": h(8), "about_the_role": [h(9)], "key_responsibilities": [h(10)], "perks": [h(11)],
            "how_to_apply": h(12),
            "sections": [{"heading": h(13), "paragraphs": [h(14)], "bullets": [h(15)]}]},
        "responsibilities": [h(19)],
        "qualifications": {"prerequisites": [h(20)], "hard_skills": [h(21)], "soft_skills": [h(22)],
                           "nice_to_have": [h(23)]},
        "compensation": {"currency": "EUR", "explanation": h(28), "equity": h(29), "bonus": h(30),
                         "source": {"name": h(24), "as_of": dt.date(2026, 3, 1), "note": h(25),
                                    "url": "https://example.com/pay"},
                         "levels": [{"level": h(26), "years": h(27), "min": 40000, "max": 50000}]},
        "interview": {
            "stages": [{"name": h(31), "minutes": 45, "who": h(32), "focus": ["troubleshooting", "empathy"],
                        "description": h(33)}],
            "questions": [{"question": h(34), "attribute": "troubleshooting", "good_answer": h(35),
                           "red_flags": [h(36)]}],
            "scorecard": [{"id": "troubleshooting", "name": h(37),
                           "anchors": {"strong_no": h(38), "lean_no": h(39), "lean_yes": h(40), "strong_yes": h(41)}},
                          {"id": "empathy", "name": "Empathy",
                           "anchors": {"strong_no": "No", "lean_no": "Some", "lean_yes": "Yes", "strong_yes": "Much"}}]},
        "faq": [{"question": h(42), "answer": h(43)}], "team_sizing": [h(44)],
        "tools": [{"category": h(45), "tools": [h(46)]}],
        "company": {"name": brief("F47"), "about": [h(48)], "benefits": [h(49)], "equal_opportunity": h(50),
                    "accommodations": h(51),
                    "contact": {"name": brief("F53"), "email": "hr@example.com", "role": brief("F54")}},
    }


LINKS_ROLE = """\
title: Links Engineer
department: Support
employment_type: full-time
reviewed: 2026-03-01
locations: [{mode: remote}]
job_description:
  about_the_role:
    - "Read [our site](https://example.com/about), write to [jobs](mailto:jobs@example.com), or see [the page]({url}/page)."
  key_responsibilities: [Answer tickets]
qualifications:
  soft_skills: [Patience]
"""
SAFE_LINKS = ["https://example.com/about", "mailto:jobs@example.com", "{url}/page"]

LONG_WORD = "Unterstützungsverwaltungsbeauftragter" * 5 + "abcdefghijklmnopqrstu"  # 206 characters
SCRIPTS = {
    "accents": "Ça va : naïve café, Zoë, Ångström, Łódź, Şişli, Straße, œuvre, Ŧ.",
    "emoji": "Ship it 🚀, pair 👩\u200d💻, flags 🇵🇹 🇨🇦, with ❤\ufe0f.",
    "cyrillic": "Мы создаём инструменты для небольших команд.",
    "greek": "Φτιάχνουμε εργαλεία για μικρές ομάδες.",
    "arabic": "نحن نبني أدوات للفرق الصغيرة.",
    "hebrew": "אנחנו בונים כלים לצוותים קטנים.",
    "devanagari": "हम छोटी टीमों के लिए उपकरण बनाते हैं।",
    "right-to-left in English": "Apply in English, in עברית or in العربية: all welcome.",
    "a 206-character word": f"Before {LONG_WORD} after.",
    "zero-width characters": "Back\u200bend, a\u200dzero-width joiner, a soft\u00adhyphen.",
}
CJK = "软件工程师"


def scripts_role() -> str:
    about = "\n".join(f"    - {json.dumps(text, ensure_ascii=False)}" for text in SCRIPTS.values())
    return (f"title: Ingénieur·e — Инженер — Μηχανικός\ndepartment: Support\nemployment_type: full-time\n"
            f"reviewed: 2026-03-01\n"
            f"locations: [{{mode: remote}}]\njob_description:\n  about_the_role:\n{about}\n"
            f"  key_responsibilities: [Answer tickets]\nqualifications:\n  soft_skills: [Patience]\n")


CJK_ROLE = f"title: {CJK} Software Engineer\n" + LINKS_ROLE.split("\n", 1)[1].replace("[our site](", "[site](")
LOUD = {"name": 'Loud <b>Brand</b> {{ 7*7 }}',
        "footer": 'x" } @page {{ background: url({url}/footer) }} <script>alert(1)</script> "',
        "logo_alt": 'Logo" onerror="alert(1)'}


@dataclass(frozen=True)
class Hostile:
    """The outputs of one build of the hostile roles for brand `loud`, and what it printed."""

    out: Path
    run: Run
    url: str
    hits: list[str]

    def file(self, role: str, kind: str, extension: str) -> Path:
        return self.out / "loud" / role / f"{role}-{kind}.{extension}"

    def page(self, role: str) -> Path:
        return self.out / "loud" / "site" / f"{role}.html"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory, listener) -> Hostile:
    root = tmp_path_factory.mktemp("hostile")
    layouts = private_layouts(root)
    loud = add_brand(layouts, "loud", body="Roboto Slab", heading="Roboto Slab",
                     **{key: json.dumps(value.replace("{url}", listener.url)) for key, value in LOUD.items()})
    with (loud / "brand.yaml").open("a", encoding="utf-8") as file:
        file.write("agency: true\n")  # an agency's name heads the first page too: its text is printed in both places
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    roles = content / "roles"
    (roles / "markup.yaml").write_text(yaml.safe_dump(markup_role(listener.url), allow_unicode=True, sort_keys=False,
                                                      width=1000), encoding="utf-8")
    (roles / "links.yaml").write_text(LINKS_ROLE.replace("{url}", listener.url), encoding="utf-8")
    (roles / "scripts.yaml").write_text(scripts_role(), encoding="utf-8")
    (roles / "cjk.yaml").write_text(CJK_ROLE.replace("{url}", listener.url), encoding="utf-8")
    run = build(content, root / "out", layouts, "--role", "markup,links,scripts,cjk", brand="loud")
    assert run.exit_code == 0, run.stderr
    return Hostile(root / "out", run, listener.url, list(listener.hits))


EVERYWHERE = FORMATS
PRINTED = ("pdf", "docx")
NOT_IN_DATA = ("pdf", "docx", "html", "md")
MARKUP_FIELDS = [pytest.param(tag, formats, id=f"markup: {path}") for tag, path, formats in [
    ("F01", "title", EVERYWHERE), ("F02", "department", EVERYWHERE),
    ("F03", "locations[0].places[0].name", EVERYWHERE), ("F04", "locations[0].places[0].street", ("jsonld",)),
    ("F05", "locations[0].places[0].postal_code", ("jsonld",)), ("F06", "locations[0].note", EVERYWHERE),
    ("F07", "posting.ai_screening", EVERYWHERE), ("F08", "job_description.summary", NOT_IN_DATA),
    ("F09", "job_description.about_the_role[0]", EVERYWHERE),
    ("F10", "job_description.key_responsibilities[0]", EVERYWHERE),
    ("F11", "job_description.perks[0]", EVERYWHERE), ("F12", "job_description.how_to_apply", EVERYWHERE),
    ("F13", "job_description.sections[0].heading", EVERYWHERE),
    ("F14", "job_description.sections[0].paragraphs[0]", EVERYWHERE),
    ("F15", "job_description.sections[0].bullets[0]", EVERYWHERE), ("F19", "responsibilities[0]", PRINTED),
    ("F20", "qualifications.prerequisites[0]", EVERYWHERE), ("F21", "qualifications.hard_skills[0]", EVERYWHERE),
    ("F22", "qualifications.soft_skills[0]", PRINTED), ("F23", "qualifications.nice_to_have[0]", EVERYWHERE),
    ("F24", "compensation.source.name", EVERYWHERE), ("F25", "compensation.source.note", PRINTED),
    ("F26", "compensation.levels[0].level", EVERYWHERE), ("F27", "compensation.levels[0].years", PRINTED),
    ("F28", "compensation.explanation", EVERYWHERE), ("F29", "compensation.equity", EVERYWHERE),
    ("F30", "compensation.bonus", EVERYWHERE), ("F31", "interview.stages[0].name", PRINTED),
    ("F32", "interview.stages[0].who", PRINTED), ("F33", "interview.stages[0].description", PRINTED),
    ("F34", "interview.questions[0].question", PRINTED), ("F35", "interview.questions[0].good_answer", PRINTED),
    ("F36", "interview.questions[0].red_flags[0]", PRINTED), ("F37", "interview.scorecard[0].name", PRINTED),
    ("F38", "interview.scorecard[0].anchors.strong_no", PRINTED),
    ("F39", "interview.scorecard[0].anchors.lean_no", PRINTED),
    ("F40", "interview.scorecard[0].anchors.lean_yes", PRINTED),
    ("F41", "interview.scorecard[0].anchors.strong_yes", PRINTED), ("F42", "faq[0].question", PRINTED),
    ("F43", "faq[0].answer", PRINTED), ("F44", "team_sizing[0]", PRINTED), ("F45", "tools[0].category", PRINTED),
    ("F46", "tools[0].tools[0]", PRINTED), ("F47", "company.name", EVERYWHERE), ("F48", "company.about[0]", EVERYWHERE),
    ("F49", "company.benefits[0]", EVERYWHERE), ("F50", "company.equal_opportunity", EVERYWHERE),
    ("F51", "company.accommodations", EVERYWHERE), ("F53", "company.contact.name", EVERYWHERE),
    ("F54", "company.contact.role", EVERYWHERE),
]]
SHORT_FIELDS = {"F01", "F02", "F47", "F53", "F54"}


def readers_text(built: Hostile, role: str, extension: str) -> str:
    """All a reader of that format sees of the role's documents, white space squashed."""
    files = [built.file(role, kind, extension) for kind in ("job-description", "hiring-guide")]
    files = [f for f in files if f.is_file()]
    if extension == "pdf":
        return squash("".join(pdf_text(f) for f in files))
    if extension == "docx":
        return squash("".join(docx_text(f) for f in files))
    if extension == "html":
        return squash(html_tree(built.page(role)).body.text_content())
    if extension == "md":
        return squash("".join(t.content for t in markdown_tokens(files[0]) if t.type in ("text", "code_inline")))
    data = jsonld(files[0])
    return squash(" ".join(json_strings(data)) + fragment(data["description"]).text_content())


def fragment(markup: str):
    """An HTML fragment (a JobPosting's description) parsed as a browser would."""
    return lxml_html.fragment_fromstring(markup, create_parent="div")


@pytest.fixture(scope="module")
def markup_texts(hostile_build: Hostile) -> dict[str, str]:
    return {extension: readers_text(hostile_build, "markup", extension) for extension in FORMATS}


@pytest.mark.parametrize(("tag", "formats"), MARKUP_FIELDS)
def test_markup_in_a_text_field_prints_as_typed_in_every_format_that_shows_it(hostile_build: Hostile, markup_texts,
                                                                              tag: str, formats: tuple[str, ...]) -> None:
    typed = squash(brief(tag) if tag in SHORT_FIELDS else hostile(tag, hostile_build.url))
    assert {extension for extension in FORMATS if typed in markup_texts[extension]} == set(formats)
    assert all(squash(f"{tag} 49") not in text and squash(f"{tag}: 49") not in text for text in markup_texts.values())


SAFE = ("https://", "http://", "mailto:")


def pdf_link_targets(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]


def test_no_build_of_any_format_fetched_anything(hostile_build: Hostile) -> None:
    """Every role of the build is full of references to the listener (images, stylesheets, frames,
    Markdown images, links); it was asked for nothing, in any format."""
    assert hostile_build.hits == []
    made = hostile_build.file("markup", "job-description", "pdf").parent
    assert sorted(p.suffix for p in made.iterdir()) == [".docx", ".docx", ".jsonld", ".md", ".pdf", ".pdf"]


def test_the_careers_page_has_no_element_or_attribute_from_content(hostile_build: Hostile) -> None:
    root = html_tree(hostile_build.page("markup"))
    assert [s.get("type") for s in root.iter("script")] == ["application/ld+json"]
    assert [img.get("src") for img in root.iter("img")] == ["assets/logo.svg"]
    assert root.xpath("//iframe|//object|//embed|//base|//form") == []
    assert [link.get("href") for link in root.iter("link") if link.get("rel") == "stylesheet"] == ["assets/site.css"]
    assert [(el.tag, name) for el in root.iter() if isinstance(el.tag, str) for name in el.attrib
            if name.lower().startswith("on")] == []
    hrefs = [a.get("href") for a in root.iter("a")]
    assert all(h.startswith(SAFE) or h.startswith("#") or h == "index.html" for h in hrefs), hrefs
    data = root.xpath("//script[@type='application/ld+json']")[0].text
    assert "<" not in data and json.loads(data)["title"] == brief("F01")


def test_the_markdown_has_no_html_image_or_unsafe_link(hostile_build: Hostile) -> None:
    tokens = markdown_tokens(hostile_build.file("markup", "job-description", "md"))
    assert [t.type for t in tokens if t.type in ("html_inline", "html_block", "image")] == []
    assert [t.attrs["href"] for t in tokens if t.type == "link_open" and not str(t.attrs["href"]).startswith(SAFE)] == []


def test_the_job_posting_data_holds_the_text_as_strings(hostile_build: Hostile) -> None:
    data = jsonld(hostile_build.file("markup", "job-description", "jsonld"))
    assert data["title"] == brief("F01")
    assert data["hiringOrganization"]["name"] == brief("F47")
    assert data["jobLocation"][0]["address"]["streetAddress"] == hostile("F04", hostile_build.url)
    described = fragment(data["description"]).text_content()
    assert hostile("F09", hostile_build.url) in " ".join(described.split())


@pytest.mark.parametrize("kind", ["job-description", "hiring-guide"])
def test_pdf_and_docx_link_only_to_web_and_mail_addresses(hostile_build: Hostile, kind: str) -> None:
    pdf, docx = (hostile_build.file("markup", kind, ext) for ext in ("pdf", "docx"))
    assert all(t.startswith(SAFE) for t in pdf_link_targets(pdf)), pdf_link_targets(pdf)
    assert all(t.startswith(SAFE) for t in docx_targets(docx)), docx_targets(docx)
    from pdf_support import javascript_in

    with pikepdf.open(pdf) as opened:
        assert javascript_in(opened) == []


def test_links_to_web_and_mail_addresses_survive_as_links_in_every_format(hostile_build: Hostile) -> None:
    wanted = [url.replace("{url}", hostile_build.url) for url in SAFE_LINKS]
    found = {
        "pdf": pdf_link_targets(hostile_build.file("links", "job-description", "pdf")),
        "docx": docx_targets(hostile_build.file("links", "job-description", "docx")),
        "html": [a.get("href") for a in html_tree(hostile_build.page("links")).iter("a")],
        "md": [t.attrs["href"] for t in markdown_tokens(hostile_build.file("links", "job-description", "md"))
               if t.type == "link_open"],
        "jsonld": [a.get("href") for a in fragment(jsonld(hostile_build.file("links", "job-description",
                                                                             "jsonld"))["description"]).iter("a")],
    }
    assert {name: [url for url in wanted if url in targets] for name, targets in found.items()} == {
        name: wanted for name in found}
    assert hostile_build.hits == [], "a link is printed, never followed"


def test_brand_text_stays_inside_its_css_string_and_attribute(hostile_build: Hostile) -> None:
    footer = LOUD["footer"].replace("{url}", hostile_build.url)
    text = squash(pdf_text(hostile_build.file("markup", "job-description", "pdf")))
    assert squash(footer) in text and squash(LOUD["name"]) in text
    page = html_tree(hostile_build.page("markup"))
    logo = next(page.iter("img"))
    assert logo.get("alt") == LOUD["logo_alt"] and logo.get("onerror") is None
    assert squash(footer) in squash(page.body.text_content())


def printed_characters(text: str) -> set[str]:
    """The characters a reader sees: not spaces, invisible format characters or emoji presentation selectors."""
    return {c for c in text if not c.isspace() and unicodedata.category(c) != "Cf" and c not in "\ufe0f\u00ad"}


@pytest.fixture(scope="module")
def scripts_pdf(hostile_build: Hostile) -> Path:
    return hostile_build.file("scripts", "job-description", "pdf")


SCRIPT_ROWS = [pytest.param(name, text, id=f"scripts: {name}") for name, text in SCRIPTS.items()]


@pytest.mark.parametrize(("name", "text"), SCRIPT_ROWS)
def test_text_in_a_bundled_script_prints_every_character_in_pdf_docx_and_html(hostile_build: Hostile, scripts_pdf,
                                                                             name: str, text: str) -> None:
    assert printed_characters(text) - set(pdf_text(scripts_pdf)) == set()
    assert squash(text) in readers_text(hostile_build, "scripts", "docx")
    assert squash(text) in readers_text(hostile_build, "scripts", "html")
    assert squash(text) in readers_text(hostile_build, "scripts", "md")


def test_scripts_are_drawn_with_the_bundled_fallbacks_and_no_missing_glyph(hostile_build: Hostile,
                                                                           scripts_pdf: Path) -> None:
    from pdf_support import family_of, pdffonts

    families = {family_of(row.name) for row in pdffonts(scripts_pdf)}
    assert {"Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Emoji"} <= families
    own = [line for line in hostile_build.run.stderr.splitlines() if "loud/scripts/" in line]
    assert not any("[render-warning]" in line or "[overflow]" in line for line in own), own


def test_nothing_of_the_scripts_role_is_outside_the_page(scripts_pdf: Path) -> None:
    from pdf_support import tool

    root = etree.fromstring(tool("pdftotext", "-bbox", "-enc", "UTF-8", str(scripts_pdf), "-").encode(),
                            etree.XMLParser(recover=True))
    outside = [(w.text, page.get("width")) for page in root.iter("{*}page") for w in page.iter("{*}word")
               if float(w.get("xMin")) < 0 or float(w.get("xMax")) > float(page.get("width"))
               or float(w.get("yMin")) < 0 or float(w.get("yMax")) > float(page.get("height"))]
    assert outside == []


def test_text_no_bundled_font_covers_gets_a_located_warning_naming_the_brands(hostile_build: Hostile) -> None:
    lines = hostile_build.run.stderr.splitlines()
    first = next(line for line in lines if "cjk.yaml:" in line and "U+8F6F" in line)
    assert first.endswith("content/roles/cjk.yaml:1:8: warning: title: U+8F6F CJK UNIFIED IDEOGRAPH-8F6F “软”: no "
                          "bundled font of any brand (default, loud, plain) has it, so the PDF prints an empty "
                          "box in its place; remove it or say it in words")
    assert len([line for line in lines if "cjk.yaml:1:" in line and "CJK UNIFIED IDEOGRAPH" in line]) == len(CJK)
    assert any("loud/cjk/cjk-job-description.pdf" in line and "[render-warning]" in line for line in lines)


# --- sizes and shapes that must still build -------------------------------------------------------------

def test_ten_thousand_list_items_build_the_posting_formats(work: Path, earlier: Earlier) -> None:
    """Under the 100,000-value limit, a huge list is content: it validates and builds (the posting
    formats here; a 10,000-item PDF is a minute of layout, which the test budget leaves out)."""
    items = "".join(f"    - Duty number {n}\n" for n in range(10_000))
    variant("long-list", f"job_description:\n  key_responsibilities:\n{items}")(work)
    run = build_here(work, earlier, "-f", "html", "-f", "md", "-f", "jsonld", "--role", "long-list")
    assert run.exit_code == 0, run.stderr
    markdown = (work / "out" / BRAND / "long-list" / "long-list-job-description.md").read_text(encoding="utf-8")
    assert "- Duty number 9999\n" in markdown


def docx_only(work: Path, earlier: Earlier, role_name: str, *kinds: str) -> Run:
    return build_here(work, earlier, "-f", "docx", "--role", role_name, *(part for k in kinds for part in ("--kind", k)))


def test_a_long_title_and_department_build_the_docx(work: Path, earlier: Earlier) -> None:
    variant("long-title", f"title: {'Senior ' * 20}Engineer\ndepartment: {'Platform ' * 10}Support\n")(work)
    run = docx_only(work, earlier, "long-title", "job-description")
    assert run.exit_code == 0, run.stderr


def test_a_free_section_with_subsections_builds_the_hiring_guide_docx(work: Path, earlier: Earlier) -> None:
    variant("subsections", "job_description:\n  sections:\n    - heading: Our stack\n      subsections:\n"
                           "        - heading: Backend\n          bullets: [Go]\n")(work)
    run = docx_only(work, earlier, "subsections", "hiring-guide")
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("names", [("first",), ("first", "second")], ids=["one", "two"])
def test_roles_without_a_department_build_the_careers_index(work: Path, earlier: Earlier, names: tuple[str, ...]) -> None:
    """The fixture roles name their department; one role or two without one beside them."""
    for name in names:
        role(name, f"title: {name.title()} Role\nemployment_type: full-time\nreviewed: 2026-03-01\n"
                   "locations: [{mode: remote}]\njob_description:\n  about_the_role: [Text.]\n"
                   "  key_responsibilities: [Work]\nqualifications:\n  soft_skills: [Care]\n")(work)
    run = build_here(work, earlier, "-f", "html", "--role", ",".join(names))
    assert run.exit_code == 0 and run.exception is None, run.exception


# --- imported documents ---------------------------------------------------------------------------------

IMPORT_BODY = "\n\nWe repair bicycles for the whole city. {line}\n\n## Tasks\n\n- Fix bikes.\n\n## Requirements\n\n- Patience.\n"
IMPORTED = [
    pytest.param("mechanic.md", "# Bike Mechanic" + IMPORT_BODY.format(line="See [our site](javascript:alert(1)) today."),
                 "See [our site] (javascript:alert(1)) today.", id="import: a Markdown javascript: link stays words"),
    pytest.param("mechanic.txt", "Bike Mechanic\n\nWe repair bicycles. Read [the map](file:///etc/passwd) first.\n\n"
                                 "TASKS\n\n- Fix bikes\n\nREQUIREMENTS\n\n- Patience\n",
                 "Read [the map] (file:///etc/passwd) first.", id="import: link syntax typed in a text file stays words"),
    pytest.param("mechanic.html", "<html lang='en'><body><h1>Bike Mechanic</h1><p>We repair bicycles. "
                                  "<a href='data:text/html,x'>Our <b>shop</b></a> and <a href='vbscript:x'>map</a>.</p>"
                                  "<h2>Tasks</h2><ul><li>Fix bikes</li></ul><h2>Requirements</h2><ul><li>Patience"
                                  "</li></ul></body></html>",
                 "We repair bicycles. Our **shop** and map.", id="import: an HTML data: or vbscript: link keeps its words"),
    pytest.param("mechanic2.md", "# Bike Mechanic" + IMPORT_BODY.format(line="![the shop]({url}/shop.png) [a](<x>) "
                                                                       "[b](//evil.example)"),
                 "for the whole city. a b", id="import: an image is left out and relative links keep their words"),
]


@pytest.mark.parametrize(("name", "text", "kept"), IMPORTED)
def test_an_imported_posting_keeps_the_words_of_a_link_it_may_not_keep(tmp_path: Path, listener, name: str,
                                                                       text: str, kept: str) -> None:
    from pipeline.importing import import_files

    source = tmp_path / name
    source.write_text(text.replace("{url}", listener.url), encoding="utf-8")
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    result = import_files([source], tmp_path / "content", language="en", force=False, today=dt.date(2026, 6, 1))
    assert result.errors == []
    role_text = yaml.safe_load(result.written[0].read_text(encoding="utf-8"))
    assert kept in role_text["job_description"]["about_the_role"][0]
    assert listener.hits == []


@pytest.mark.parametrize("listed", ["../victim.txt", "{work}/victim.txt", "plain/../../victim.txt"],
                         ids=["relative", "absolute", "climbing"])
def test_a_manifest_entry_outside_the_output_folder_is_never_removed(work: Path, earlier: Earlier, listed: str) -> None:
    """The manifest says which files a build owns and may remove; one edited to name a file outside
    --out names nothing the build will touch."""
    victim = work / "victim.txt"
    victim.write_text("not rolepack's", encoding="utf-8")
    manifest = work / "out" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["outputs"].append({"path": listed.replace("{work}", str(work)), "role": SUPPORT, "kind": "job-description",
                            "format": "md", "brand": BRAND, "sha256": "0" * 64, "bytes": 1})
    manifest.write_text(json.dumps(data), encoding="utf-8")
    run = build_here(work, earlier, "-f", "md", "--role", SUPPORT, "--force")
    assert run.exit_code == 0, run.stderr
    assert victim.read_text(encoding="utf-8") == "not rolepack's"


def test_a_role_missing_from_thousands_is_named_with_a_dozen_of_them_not_all() -> None:
    """A catalogue of 5,000 roles once answered a mistyped --role with 100 KB of names."""
    from pipeline.export.request import RequestError, check_role

    known = [f"role-{n:04d}" for n in range(5000)]
    with pytest.raises(RequestError) as raised:
        check_role("rolee-0007", known)
    message = str(raised.value)
    assert message.startswith("no role 'rolee-0007' (did you mean 'role-0007'?) (roles: role-0000, role-0001,")
    assert message.endswith("role-0011 and 4988 more; `rolepack list` shows them all)")
    assert len(message) < 300
    with pytest.raises(RequestError, match=r"\(roles: role-0000, role-0001\)$"):
        check_role("x", known[:2])

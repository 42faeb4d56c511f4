"""The drafts' zip writer (pipeline/render/docx/zipped.py): the bytes Python's zipfile writes for the
same members, and the deflated bytes of a part many drafts share made once."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.render.docx import zipped
from pipeline.render.docx.zipped import KEPT_FROM, Member, zip_bytes

EPOCH = (1980, 1, 1, 0, 0, 0)


def by_zipfile(members: list[Member], date_time: tuple[int, ...] = EPOCH) -> bytes:
    """What the writer replaced: zipfile, entry by entry, as package.save_reproducibly called it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.data, compresslevel=None if member.level == -1 else member.level)
    return out.getvalue()


names = st.lists(st.text("abcXYZ019_-./[]", min_size=1, max_size=30), min_size=0, max_size=8, unique=True)
payloads = st.one_of(st.binary(max_size=3000), st.text(max_size=400).map(lambda t: (t * 40).encode()))


@settings(max_examples=150, deadline=None)
@given(names=names, data=st.data())
def test_the_same_bytes_as_zipfile_writes(names: list[str], data: st.DataObject) -> None:
    members = [Member(name, data.draw(payloads), data.draw(st.sampled_from((-1, 1, 6, 9))), data.draw(st.booleans()))
               for name in names]
    stamp = data.draw(st.sampled_from((EPOCH, (2026, 12, 7, 13, 45, 58))))
    written = zip_bytes(members, date_time=stamp)
    assert written == by_zipfile(members, stamp)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert [archive.read(m.name) for m in members] == [m.data for m in members]


def test_a_shared_part_is_deflated_once_and_anything_else_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    deflated: list[bytes] = []
    own = zipped._deflate

    def counted(data: bytes, level: int) -> object:
        deflated.append(data)
        return own(data, level)

    monkeypatch.setattr(zipped, "_deflate", counted)
    font = bytes(range(256)) * (KEPT_FROM // 256 + 1)
    text = b"<w:document/>" * 1000
    for _ in range(3):
        zip_bytes([Member("word/fonts/font1.odttf", font, 1, shared=True), Member("word/document.xml", text)],
                  date_time=EPOCH)
    assert deflated.count(font) == 1 and deflated.count(text) == 3
    edited = font[:-1] + b"!"  # the same name, other bytes: deflated anew, never served stale
    archive = zip_bytes([Member("word/fonts/font1.odttf", edited, 1, shared=True)], date_time=EPOCH)
    assert deflated.count(edited) == 1
    assert zipfile.ZipFile(io.BytesIO(archive)).read("word/fonts/font1.odttf") == edited
    small = b"tiny"
    for _ in range(2):
        zip_bytes([Member("word/theme/theme1.xml", small, shared=True)], date_time=EPOCH)
    assert deflated.count(small) == 2  # too small to be worth the lookup


def test_the_kept_parts_are_bounded() -> None:
    for n in range(zipped.KEPT_MEMBERS + 5):
        zip_bytes([Member("word/media/image1.png", n.to_bytes(4, "big") * (KEPT_FROM // 4), shared=True)],
                  date_time=EPOCH)
    assert len(zipped._kept) == zipped.KEPT_MEMBERS


def test_a_name_beyond_ascii_is_refused_rather_than_written_unflagged() -> None:
    with pytest.raises(UnicodeEncodeError):
        zip_bytes([Member("word/média.png", b"x")], date_time=EPOCH)

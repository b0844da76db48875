"""Pure note logic: the three-way merge, changed fields, item lists and image sniffing."""

from __future__ import annotations

import struct

from app.domain.notes import (
    GIF,
    JPEG,
    PNG,
    WEBP,
    FieldState,
    NoteContent,
    changed_fields,
    image_size,
    merge,
    sniff_image,
    split_items,
)
from tests.factories_notes import png_bytes


def test_merge_takes_each_side_where_only_it_changed() -> None:
    base = NoteContent(summary="元の要約", key_points="移動コスト")
    theirs = NoteContent(summary="元の要約", key_points="移動コスト\n若手の巻き込み")
    yours = NoteContent(summary="新しい要約", key_points="移動コスト")
    result = merge(base, theirs, yours)
    assert result.states["summary"] == FieldState.YOURS
    assert result.states["key_points"] == FieldState.THEIRS
    assert result.states["ideas"] == FieldState.SAME
    assert result.conflicts == []
    assert result.proposal.summary == "新しい要約"
    assert result.proposal.key_points == "移動コスト\n若手の巻き込み"


def test_merge_flags_fields_changed_on_both_sides_and_proposes_both_texts() -> None:
    base = NoteContent(summary="A")
    result = merge(base, NoteContent(summary="B"), NoteContent(summary="C", publishable=False))
    assert result.conflicts == ["summary"]
    assert result.proposal.summary == "B\n\nC"  # neither tab's words are dropped
    assert result.states["publishable"] == FieldState.YOURS and result.proposal.publishable is False


def test_lists_changed_on_both_sides_keep_every_line_once() -> None:
    base = NoteContent(key_points="移動コスト")
    theirs = NoteContent(key_points="移動コスト\n若手の巻き込み")
    yours = NoteContent(key_points="移動コスト\n雑談の価値\n若手の巻き込み")
    result = merge(base, theirs, yours)
    assert result.conflicts == ["key_points"]
    assert result.proposal.key_points == "移動コスト\n若手の巻き込み\n雑談の価値"


def test_a_text_that_contains_the_other_is_proposed_alone() -> None:
    result = merge(NoteContent(summary="A"), NoteContent(summary="AB"), NoteContent(summary="ABC"))
    assert result.proposal.summary == "ABC"


def test_same_change_on_both_sides_is_no_conflict() -> None:
    result = merge(NoteContent(), NoteContent(ideas="中高生とのコラボ"), NoteContent(ideas="中高生とのコラボ"))
    assert result.states["ideas"] == FieldState.SAME and not result.conflicts


def test_normalised_ignores_browser_line_endings_and_trailing_blanks() -> None:
    assert NoteContent(summary="a\r\nb  \r\n\r\n").normalised() == NoteContent(summary="a\nb")
    assert NoteContent(summary=" \n ").is_empty and not NoteContent(quotes="「雑談の価値」").is_empty


def test_changed_fields() -> None:
    first = NoteContent(summary="要約", quotes="")
    assert changed_fields(None, first) == ["summary"]
    assert changed_fields(first, NoteContent(summary="要約", ideas="案", publishable=False)) == ["ideas", "publishable"]


def test_split_items_drops_bullets_numbers_and_blank_lines() -> None:
    text = "・五感を使える\n- 雑談の価値\n\n* 名刺交換\n1. 偶然の出会い\n（2）会場の熱気\n  普通の行  \n"
    assert split_items(text) == ["五感を使える", "雑談の価値", "名刺交換", "偶然の出会い", "会場の熱気", "普通の行"]


def test_sniff_image_reads_magic_bytes_not_names() -> None:
    assert sniff_image(png_bytes()) == PNG
    assert sniff_image(b"\xff\xd8\xff\xe0\x00\x10JFIF") == JPEG
    assert sniff_image(b"GIF89a\x01\x00\x01\x00") == GIF
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == WEBP
    assert sniff_image(b"<svg xmlns='http://www.w3.org/2000/svg'>") is None
    assert sniff_image(b"<html><script>alert(1)</script>") is None
    assert sniff_image(b"%PDF-1.7") is None
    assert sniff_image(b"") is None


def test_image_size_from_headers() -> None:
    assert image_size(png_bytes(7, 5), PNG) == (7, 5)
    assert image_size(b"GIF89a" + struct.pack("<HH", 320, 200), GIF) == (320, 200)
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", 4)
        + b"\x00\x00"
        + b"\xff\xc0"
        + struct.pack(">HBHH", 17, 8, 480, 640)
        + b"\x00" * 12
    )
    assert image_size(jpeg, JPEG) == (640, 480)
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8 + (799).to_bytes(3, "little") + (599).to_bytes(3, "little")
    assert image_size(webp, WEBP) == (800, 600)
    assert image_size(b"\x89PNG\r\n\x1a\n", PNG) is None

"""The Markdown of notes renders normally and every kind of injected markup comes out harmless."""

from __future__ import annotations

import re

import pytest

from app.notes.markdown import render_markdown


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_normal_markdown_renders() -> None:
    html = str(
        render_markdown("# 見出し\n\n**大事**な点と *強調*\n\n- 一つ目\n- 二つ目\n\n1. 順番\n\n> 引用\n\n`code`")
    )
    assert "<h3>見出し</h3>" in html  # headings start below the page's own h1/h2
    assert "<strong>大事</strong>" in html and "<em>強調</em>" in html
    assert "<ul>" in html and "<li>一つ目</li>" in html and "<ol>" in html
    assert "<blockquote>" in html and "<code>code</code>" in html


def test_safe_links_get_rel_nofollow_noopener() -> None:
    html = str(render_markdown("[オンライン市役所](https://example.jp/a?b=1&c=2) と [メール](mailto:info@example.jp)"))
    assert hrefs(html) == ["https://example.jp/a?b=1&amp;c=2", "mailto:info@example.jp"]
    assert html.count('rel="nofollow noopener noreferrer"') == 2


def test_tables_and_strikethrough() -> None:
    html = str(render_markdown("| 論点 | 数 |\n|---|---:|\n| 移動 | 3 |\n\n~~古い~~"))
    assert "<table>" in html and "<td>移動</td>" in html and "<s>古い</s>" in html
    assert "style=" not in html


def test_line_breaks_are_kept() -> None:
    assert "<br>" in str(render_markdown("一行目\n二行目"))


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "before <script>alert('x')</script> after",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<div onclick="alert(1)">x</div>',
        "<svg onload=alert(1)>",
        "<!-- comment --><b>bold</b>",
    ],
)
def test_raw_html_is_never_passed_through(source: str) -> None:
    html = str(render_markdown(source))
    assert not re.search(r"<(script|img|iframe|style|svg|div|b)\b", html)
    assert " on" not in re.sub(r"&[a-z]+;|&#\d+;", "", re.sub(r">[^<]*<", "><", html))  # no event attribute on a tag
    assert "<a " not in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "/manage/events",
        "//evil.example/x",
    ],
)
def test_dangerous_and_relative_links_lose_their_href(link: str) -> None:
    html = str(render_markdown(f"[クリック]({link}) and <{link}>"))
    for href in hrefs(html):
        assert href.startswith(("https://", "http://", "mailto:")), href


def test_reference_links_are_checked_too() -> None:
    html = str(render_markdown("[x][1]\n\n[1]: javascript:alert(1)"))
    assert hrefs(html) == []


def test_images_show_only_their_alt_text() -> None:
    html = str(
        render_markdown("![グラレコ](https://tracker.example/pixel.png) ![<b>x</b>](data:image/png;base64,AAAA)")
    )
    assert "<img" not in html and "tracker.example" not in html and "data:" not in html
    assert "グラレコ" in html


def test_empty_input_renders_nothing() -> None:
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == "" and str(render_markdown("  \n")) == ""

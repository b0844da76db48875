"""Markdown to safe HTML: markdown-it-py without raw HTML, then nh3 with a strict allow-list.

Two layers on purpose: markdown-it never passes HTML through and refuses dangerous link schemes,
and nh3 (the Rust `ammonia` sanitiser) cleans whatever comes out, so a bug in one is caught by the
other. Images written in Markdown are shown as their alt text: pictures come only as uploads
(checked type and size), never from a remote address that would track readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


def _image_as_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Render ![alt](url) as its alt text only: no remote images in notes."""
    return str(escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env)))


def _heading_down(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Headings in a note sit inside a page that already has h1/h2: # becomes h3, ## h4, and so on."""
    token = tokens[idx]
    level = min(int(token.tag[1]) + 2, 6)
    token.tag = f"h{level}"
    return str(self.renderToken(tokens, idx, options, env))


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _image_as_text)
    md.add_render_rule("heading_open", _heading_down)
    md.add_render_rule("heading_close", _heading_down)
    return md


_MD = _parser()


def sanitise_html(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes; every link gets rel=nofollow noopener."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        url_relative="deny",  # a note is shown on several sites (report, exports): only full links
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Markdown source as sanitised HTML, safe to put into any page."""
    if not text or not text.strip():
        return Markup("")
    return Markup(sanitise_html(_MD.render(text)))


_INLINE_MARKS = frozenset("*_`[]<>&\\~!")  # what can start inline Markdown


def render_inline(text: str | None) -> Markup:
    """One line of Markdown (a point: **bold**, *emphasis*, links) as sanitised HTML without a paragraph.

    Most points hold no Markdown at all: those are only escaped (a report of 12,000 points renders in
    a fraction of the time).
    """
    if not text or not text.strip():
        return Markup("")
    if _INLINE_MARKS.isdisjoint(text):
        return escape(text.strip())
    return Markup(sanitise_html(_MD.renderInline(text.strip())))

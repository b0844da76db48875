"""Every template and script works under a Content-Security-Policy without 'unsafe-inline'.

Templates may not carry inline <script> or <style>, on…= event handlers, style="…" attributes or
javascript: links; static scripts may not build code from strings or write style attributes.
E-mails are not web pages (mail programs need inline styles); the report's self-contained HTML
download inlines its stylesheet and is served with a policy that allows exactly that stylesheet by hash.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SCRIPTS = ROOT / "static" / "js"
NOT_WEB_PAGES = {"email"}
HASHED_INLINE_STYLE = {"reports/standalone.html"}

_TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if p.relative_to(TEMPLATES).parts[0] not in NOT_WEB_PAGES)


def inline_code_problems(html: str, *, allow_style_element: bool = False) -> list[str]:
    """What in an HTML text would be blocked by (or would need) 'unsafe-inline'."""
    problems = []
    for match in _SCRIPT_TAG.finditer(html):
        if "src=" not in match.group(1):
            problems.append(f"inline script: {match.group(0)[:80]}")
    if not allow_style_element and re.search(r"<style\b", html, re.I):
        problems.append("a <style> element")
    for tag in _TAG.findall(html):
        if _HANDLER.search(tag):
            problems.append(f"event handler attribute: {tag[:80]}")
        if _STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute: {tag[:80]}")
    if re.search(r"javascript\s*:", html, re.I):
        problems.append("a javascript: link")
    return problems


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_inline_code(path: Path) -> None:
    name = str(path.relative_to(TEMPLATES))
    # Jinja's own tags are not HTML ("{% if only == value %}" is no on…= handler): blank them out.
    source = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", path.read_text(encoding="utf-8"), flags=re.S)
    assert inline_code_problems(source, allow_style_element=name in HASHED_INLINE_STYLE) == []


@pytest.mark.parametrize("path", sorted(SCRIPTS.rglob("*.js")), ids=lambda p: p.name)
def test_script_builds_no_code_from_strings(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    forbidden = [
        r"\beval\s*\(",
        r"\bnew\s+Function\s*\(",
        r"set(?:Timeout|Interval)\s*\(\s*['\"`]",
        r"setAttribute\s*\(\s*['\"]style['\"]",
        r"setAttribute\s*\(\s*['\"]on[a-z]+['\"]",
        r"\.cssText\s*=",
        r"document\.write\s*\(",
    ]
    assert [p for p in forbidden if re.search(p, source)] == []


def test_the_checker_finds_what_it_must() -> None:
    assert inline_code_problems("<script>alert(1)</script>")
    assert inline_code_problems('<button onclick="go()">')
    assert inline_code_problems('<p style="color: red">')
    assert inline_code_problems("<style>p {}</style>")
    assert inline_code_problems('<a href="javascript:alert(1)">')
    assert not inline_code_problems('<script src="/static/js/x.js" defer></script><p class="a" data-on="x">')

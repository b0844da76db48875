"""axe-core (from npm, tests/js) on every page the browser tests visit: WCAG 2.1 A and AA and axe's best
practices, no violation allowed.

Each browser context records the HTML pages it opened (GET, 200). Before the context closes, every page
not yet checked in this test session (its path with ids and tokens folded, so one personal page stands for
all) is opened again in the same context, as the same visitor, and audited. Playwright's evaluate runs
outside the page's Content-Security-Policy, so axe needs no inline script of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Response

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices (unique landmarks, one h1, heading order, named table headers).
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_TOKEN = re.compile(r"/[A-Za-z0-9_-]{16,}(?=/|$)")
_SLUG = re.compile(r"/(events|reports)/[^/]+")
_NUMBER = re.compile(r"/\d+(?=/|$)")


def page_kind(url: str) -> str:
    """A page's path with slugs, ids and tokens folded: /p/<token>/people and /p/<other>/people are one kind."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    return _NUMBER.sub("/<n>", _TOKEN.sub("/<token>", _SLUG.sub(r"/\1/<slug>", path)))


@dataclass
class Audit:
    """What the session's browser contexts visited, what was checked, and the violations found."""

    checked: set[str] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        """Record the context's HTML pages, and audit them before it closes."""
        visited: dict[str, str] = {}

        def on_response(response: Response) -> None:
            request = response.request
            if (
                request.is_navigation_request()
                and request.method == "GET"
                and response.status == 200
                and response.headers.get("content-type", "").startswith("text/html")
                # An email's HTML shown in a script-less sandbox (the invitation preview) is mail, not a page
                # of ours, and no script (axe included) may run in it.
                and "sandbox" not in response.headers.get("content-security-policy", "")
            ):
                visited.setdefault(page_kind(response.url), response.url)

        context.on("response", on_response)
        close = context.close

        def audit_then_close(*args: Any, **kwargs: Any) -> None:
            self._audit(context, visited)
            close(*args, **kwargs)

        context.close = audit_then_close  # type: ignore[method-assign]

    def _audit(self, context: BrowserContext, visited: dict[str, str]) -> None:
        pending = {kind: url for kind, url in visited.items() if kind not in self.checked}
        if not pending:
            return
        page = context.new_page()
        try:
            for kind, url in pending.items():
                self.checked.add(kind)
                response = page.goto(url)
                if response is None or response.status != 200:
                    continue  # gone since (a withdrawn link, a deleted person): nothing to audit
                page.evaluate(AXE.read_text(encoding="utf-8"))
                found = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
                    ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                    " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
                    RULE_TAGS,
                )
                for v in found:
                    self.violations.append(f"{kind}: [{v['impact']}] {v['id']} — {v['help']} at {v['nodes']}")
        finally:
            page.close()

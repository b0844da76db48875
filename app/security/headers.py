"""Security headers on every response: a Content-Security-Policy without inline code, nosniff, no framing,
and a referrer policy that keeps personal links (tokens in the URL) from leaking to other sites."""

from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response, request

# Everything comes from our own origin: scripts and styles only as files under /static (no inline
# <script>, no on…= handlers, no style="…"), nothing may frame our pages, forms post only to us.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# Pages whose address holds a personal token (/p/<token>…): no Referer at all, so following a link
# from them (the meeting link, a link in a note) never hands the token to another site.
PERSONAL_REFERRER_POLICY = "no-referrer"
DEFAULT_REFERRER_POLICY = "same-origin"


def is_personal_request() -> bool:
    """True for routes that carry a personal token in their address."""
    return bool(request.view_args and "token" in request.view_args) or request.path.startswith("/p/")


def standalone_document_policy(*inline_styles: str) -> str:
    """The policy for a self-contained download (the report's HTML file): its own inlined stylesheet
    allowed by hash, images only as data: URIs, no scripts at all."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode() + "'"
        for css in inline_styles
    )
    return f"default-src 'none'; style-src {hashes}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def add_security_headers(response: Response) -> Response:
    """Set the headers unless a view chose stricter ones for its own response (image files, downloads)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if is_personal_request():
        headers["Referrer-Policy"] = PERSONAL_REFERRER_POLICY
    else:
        headers.setdefault("Referrer-Policy", DEFAULT_REFERRER_POLICY)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers (CSP and others) to every response."""
    app.after_request(add_security_headers)

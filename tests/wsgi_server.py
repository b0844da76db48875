"""The app served by a real WSGI server for tests: werkzeug's, in a thread, on a free local port.

Werkzeug's development server closes a response's body only after draining the request socket; when the
client resets the connection in between (a browser closing its page while a small static file was on its
way), the drain raises and the body's open file is never closed. It is garbage-collected later as an
"unclosed file" error in whatever test runs then. The handler here closes every body, whatever happened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from app.extensions import db

_BODY = "tests.response_body"  # the environ key under which a request's response body is kept


class _ClosedOnce:
    """A response body that can be closed twice (by werkzeug when all goes well, then by the handler)."""

    def __init__(self, body: Iterable[bytes]) -> None:
        self.body = body
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if hasattr(self.body, "close"):
                self.body.close()


class _ClosingHandler(WSGIRequestHandler):
    def run_wsgi(self) -> None:
        try:
            super().run_wsgi()
        finally:
            body = getattr(self, "environ", {}).get(_BODY)
            if body is not None:
                body.close()


def _keeping_body(app: Flask) -> Any:
    def wsgi(environ: dict[str, Any], start_response: Any) -> _ClosedOnce:
        body = environ[_BODY] = _ClosedOnce(app(environ, start_response))
        return body

    return wsgi


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL, then stops and closes the app's connections."""
    server = make_server("127.0.0.1", 0, _keeping_body(app), threaded=True, request_handler=_ClosingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        with app.app_context():
            db.engine.dispose()

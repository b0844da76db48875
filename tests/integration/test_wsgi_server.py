"""The tests' WSGI server (tests/wsgi_server.py) closes every response, also when the client resets."""

from __future__ import annotations

import gc
import socket
import struct
import sys
import threading

import pytest
from flask import Flask

from app import create_app
from tests.waiting import wait_until
from tests.wsgi_server import serving

RESETS = 50


def test_a_static_file_is_closed_when_the_browser_resets_the_connection(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser closing its page while a small file is on its way resets the connection just after the file
    was written; werkzeug's server then raised before closing the file (found as a random test error)."""
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: unraisable.append(repr(hook.object)))
    served = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    threads = threading.active_count()
    with serving(served) as url:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(RESETS):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /static/img/logo.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            client.recv(1)  # the server has written the response
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()  # a reset, with the rest of the response unread
        wait_until(lambda: threading.active_count() <= threads + 1, "every request's thread to finish", 30)
    gc.collect()
    assert [name for name in unraisable if "logo.svg" in name] == []

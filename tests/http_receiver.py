"""A real local HTTP(S) server in a thread that records webhook calls, answers from a script, and can check
that a body has the shape Slack or Teams requires (refusing it with 400, as those services do)."""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

JS = Path(__file__).resolve().parent / "js"


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers with `script` in order (status, headers, delay), then as the service in `shape` would
    (Slack: 200 "ok"; Teams Workflows: 202, empty; otherwise 200 JSON); records every call."""

    script: list[tuple[int, dict[str, str], float]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    port: int = 0
    scheme: str = "http"
    shape: str = ""
    problems: list[str] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)
    # Set when the server shuts down: a scripted slow answer stops waiting then, so no test outlives its receiver.
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/hook"


def slack_problems(payload: Any) -> list[str]:
    """What Slack's incoming webhooks would refuse: checked with Slack's own SDK models (limits included)."""
    from slack_sdk.errors import SlackObjectFormationError
    from slack_sdk.models.blocks import Block

    if not isinstance(payload, dict):
        return ["the body is not a JSON object"]
    problems = []
    if not isinstance(payload.get("text"), str) or not payload["text"].strip():
        problems.append("no_text: a top-level text is needed for notifications")
    blocks = payload.get("blocks", [])
    if not isinstance(blocks, list) or len(blocks) > 50:
        return [*problems, "invalid_blocks: blocks must be a list of at most 50"]
    for raw, block in zip(blocks, Block.parse_all(blocks), strict=True):
        if block is None:
            problems.append(f"invalid_blocks: unknown block {raw!r}")
            continue
        try:
            block.validate_json()
        except SlackObjectFormationError as error:
            problems.append(f"invalid_blocks: {error}")
            continue
        if block.to_dict() != raw:  # a misspelt or unknown field is dropped by the SDK's parser
            problems.append(f"invalid_blocks: {raw!r} is not a well-formed {raw.get('type')} block")
    return problems


def adaptive_card_problems(card: Any) -> list[str]:
    """Problems Microsoft's Adaptive Cards library (npm `adaptivecards`, run by node) finds in a card."""
    result = subprocess.run(
        ["node", str(JS / "adaptive_card_check.cjs")],
        input=json.dumps(card),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=JS,
    )
    report = json.loads(result.stdout)
    return [str(p) for p in report["problems"]]


def teams_problems(payload: Any) -> list[str]:
    """What a Teams Workflows webhook ("post to a channel when a webhook request is received") refuses:
    anything but a message whose attachments are Adaptive Cards, and cards the Adaptive Cards library rejects."""
    if not isinstance(payload, dict) or payload.get("type") != "message":
        return ['the body must be {"type": "message", "attachments": [...]}']
    attachments = payload.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return ["attachments must be a non-empty list"]
    problems = []
    for attachment in attachments:
        if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
            problems.append(f"unsupported contentType {attachment.get('contentType')!r}")
            continue
        card = attachment.get("content")
        if not isinstance(card, dict) or card.get("type") != "AdaptiveCard" or not card.get("version"):
            problems.append("content must be an AdaptiveCard with a version")
            continue
        problems += adaptive_card_problems(card)
    return problems


def start_receiver(
    *, tls: ssl.SSLContext | None = None, shape: str = ""
) -> tuple[Receiver, ThreadingHTTPServer, threading.Thread]:
    """Serve on 127.0.0.1 (HTTPS with `tls`); `shape` = "slack" or "teams" checks bodies like that service."""
    receiver = Receiver(scheme="https" if tls else "http", shape=shape)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.calls.append(Call(self.path, dict(self.headers.items()), body))
            if receiver.script:
                status, headers, delay = receiver.script.pop(0)
                receiver.released.wait(delay)  # a slow service: answers after `delay`, or when the test ends
                payload = b'{"ok": true}' if status < 300 else b"upstream says no"
            else:
                status, headers, payload = self._as_service(body)
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def _as_service(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
            if not receiver.shape:
                return 200, {"Content-Type": "application/json"}, b'{"ok": true}'
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            check = slack_problems if receiver.shape == "slack" else teams_problems
            problems = check(payload)
            receiver.problems += problems
            if problems:
                return 400, {"Content-Type": "text/plain"}, "\n".join(problems).encode()
            if receiver.shape == "slack":
                return 200, {"Content-Type": "text/plain"}, b"ok"
            return 202, {}, b""

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:

        def remember_name(sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
            receiver.server_names.append(name)

        tls.sni_callback = remember_name  # type: ignore[assignment]
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shutdown = server.shutdown

    def release_then_shut_down() -> None:
        receiver.released.set()
        shutdown()

    server.shutdown = release_then_shut_down  # type: ignore[method-assign]
    return receiver, server, thread

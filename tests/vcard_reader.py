"""Reads vCard text with an independent parser: ical.js (npm, Mozilla's) run by Node, never the vobject that wrote it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "js" / "parse_vcard.mjs"


def _node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        raise RuntimeError("Node.js is needed to read vCards in tests: apt-get install nodejs npm")
    if not (ROOT / "tests" / "js" / "node_modules" / "ical.js").is_dir():
        raise RuntimeError("ical.js is missing: run `npm ci --prefix tests/js` (./dev.sh test does it)")
    return found


def read_vcards(text: str) -> list[dict[str, list[Any]]]:
    """Each card's properties by lower-case name: {"fn": ["山田 花子"], "n": [["山田", "花子", "", "", ""]], …}."""
    result = subprocess.run(
        [_node(), str(SCRIPT)],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=SCRIPT.parent,
        timeout=60,
    )
    if result.returncode != 0:
        raise AssertionError(f"ical.js could not read the vCard file:\n{result.stderr}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]

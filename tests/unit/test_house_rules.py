"""Rules of the house that no linter checks: module size.

A module over MAX_LINES lines is read in pieces and changed by several people at once; split it by
responsibility instead (see app/domain/participant_import/ for an example). The allow-list names the
modules still over the limit and why they have not been split yet: it may only shrink.
"""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 400

# Module (relative to app/) → why it is still over MAX_LINES. Remove an entry when the module is split.
ALLOWED_OVER: dict[str, str] = {}


def _line_counts() -> dict[str, int]:
    return {
        path.relative_to(APP).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(APP.rglob("*.py"))
    }


def test_no_module_under_app_is_over_the_line_limit() -> None:
    over = {name: lines for name, lines in _line_counts().items() if lines > MAX_LINES and name not in ALLOWED_OVER}
    assert not over, f"over {MAX_LINES} lines, split them by responsibility: {over}"


def test_the_allow_list_names_only_modules_still_over_the_limit() -> None:
    counts = _line_counts()
    stale = sorted(name for name in ALLOWED_OVER if counts.get(name, 0) <= MAX_LINES)
    assert not stale, f"no longer over {MAX_LINES} lines (or gone): remove them from ALLOWED_OVER: {stale}"

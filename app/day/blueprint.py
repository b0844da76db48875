"""The `day` blueprint, shared by the personal pages and the organiser's console."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("day", __name__)


@bp.record_once
def _bench_bare_endpoint(state: BlueprintSetupState) -> None:
    """With BENCH_BARE_ENDPOINT set (bench/where_am_i.py only), a route returning a constant, as a baseline."""
    if state.app.config.get("BENCH_BARE_ENDPOINT"):
        state.app.add_url_rule("/__bench/bare", "bench_bare", lambda: "ok")

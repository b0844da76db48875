"""The `db` fixture's own cost: 200 small tests, each writing a little data and reading it back.

Not collected by the suite (the name does not start with test_); run it on purpose, on SQLite or with
TEST_DATABASE_URL, and compare the wall time of two runs under the same conditions:

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/bench_db_fixture.py
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.extensions import db as _db
from app.participants.models import Participant
from tests import factories


@pytest.mark.parametrize("n", range(200))
def test_a_small_dataset(db: object, client: FlaskClient, n: int) -> None:
    event = factories.make_event()
    for _ in range(3):
        factories.make_participant(event=event)
    assert _db.session.scalar(select(func.count()).select_from(Participant)) == 3
    assert _db.session.scalar(select(func.count()).select_from(Organizer)) == 1
    assert client.get(f"/events/{event.slug}").status_code == 200

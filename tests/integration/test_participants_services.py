"""Participant services and queries on a real database: the API other features use, atomic imports, demo."""

from __future__ import annotations

import pytest
from flask.testing import FlaskCliRunner

from app.demo.participants import demo_people
from app.demo.programme import FINISHED_SLUG, UPCOMING_SLUG
from app.domain import participant_import as pi
from app.events.models import Event
from app.extensions import db
from app.participants import queries, services
from app.participants.models import Participant, Role, Status
from tests import factories


@pytest.fixture()
def event(db: object) -> Event:
    return factories.make_event(slug="svc-summit")


def count(event: Event) -> int:
    db.session.expire_all()
    return len(queries.participants_of(event))


def test_add_participant_normalises_and_refuses_duplicates(event: Event) -> None:
    person = services.add_participant(
        event, family_name=" 神戸 ", given_name="太郎", email="TARO@Kobe.LG.JP", prefecture="兵庫", family_kana="こうべ"
    )
    assert (person.family_name, person.email, person.prefecture, person.family_kana) == (
        "神戸",
        "taro@kobe.lg.jp",
        "兵庫県",
        "コウベ",
    )
    with pytest.raises(services.ParticipantError) as caught:
        services.add_participant(event, family_name="別人", email="taro@KOBE.lg.jp")
    assert caught.value.field == "email"
    with pytest.raises(services.ParticipantError):
        services.add_participant(event, family_name="", email="x@kobe.lg.jp")
    with pytest.raises(services.ParticipantError):
        services.add_participant(event, family_name="x", email="x@kobe.lg.jp", prefecture="Texas")
    assert count(event) == 1


def test_set_status_and_role(event: Event) -> None:
    person = factories.make_participant(event=event)
    services.set_status(person, "absent")
    services.set_role(person, Role.FACILITATOR)
    db.session.expire_all()
    assert (person.status, person.role, person.attends) == (Status.ABSENT, Role.FACILITATOR, False)
    with pytest.raises(ValueError):
        services.set_status(person, "gone")


def test_update_with_a_stale_version_is_refused(event: Event) -> None:
    person = factories.make_participant(event=event, family_name="山田")
    services.update_participant(person, 1, family_name="先")
    with pytest.raises(services.ConflictError):
        services.update_participant(person, 1, family_name="後")
    with pytest.raises(services.ConflictError):
        services.update_participant(person, None, family_name="後")
    db.session.expire_all()
    assert person.family_name == "先" and person.version == 2


def test_participants_of_filters_and_orders_by_reading(event: Event) -> None:
    for family, kana, role, status in (
        ("渡辺", "ワタナベ", Role.PARTICIPANT, Status.REGISTERED),
        ("青木", "アオキ", Role.FACILITATOR, Status.PRESENT),
        ("読無", "", Role.PARTICIPANT, Status.CANCELLED),
        ("伊藤", "イトウ", Role.PARTICIPANT, Status.ABSENT),
    ):
        person = factories.make_participant(event=event, family_name=family, role=role, status=status)
        person.family_kana = kana
    factories.make_participant(event=factories.make_event(slug="svc-other"), family_name="他")
    db.session.commit()
    assert [p.family_name for p in queries.participants_of(event)] == ["青木", "伊藤", "渡辺", "読無"]
    assert [p.family_name for p in queries.participants_of(event, roles=["facilitator"])] == ["青木"]
    present_or_registered = queries.participants_of(event, statuses=[Status.PRESENT, Status.REGISTERED])
    assert [p.family_name for p in present_or_registered] == ["青木", "渡辺"]
    counts = queries.counts(event)
    assert counts.total == 4 and counts.attending == 2 and counts.by_role["facilitator"] == 1


def test_participant_by_token(event: Event) -> None:
    person = factories.make_participant(event=event)
    assert queries.participant_by_token(person.token) == person
    assert queries.participant_by_token("nope") is None
    assert queries.participant_by_token("") is None
    assert queries.participant_by_token("x" * 500) is None


def _parsed(*rows: dict[str, str]) -> pi.Parsed:
    return pi.Parsed(
        [pi.ParsedRow(i + 2, dict(r)) for i, r in enumerate(rows)],
        frozenset({"family_name", "given_name", "email", "prefecture"}),
    )


def test_import_rolls_back_everything_when_a_row_fails_midway(event: Event) -> None:
    """Rows before the failing one were already in the session: none of them may be saved."""
    factories.make_participant(event=event, email="keep@kobe.lg.jp", family_name="元のまま")
    parsed = _parsed(
        {"family_name": "一", "given_name": "", "email": "one@kobe.lg.jp", "prefecture": "兵庫県"},
        {"family_name": "変更", "given_name": "", "email": "keep@kobe.lg.jp", "prefecture": "兵庫県"},
        # Got past the file check somehow (say, a changed prefecture list): the service refuses it.
        {"family_name": "三", "given_name": "", "email": "three@kobe.lg.jp", "prefecture": "Texas"},
    )
    with pytest.raises(services.ParticipantError):
        services.import_participants(event, parsed)
    db.session.expire_all()
    assert [(p.family_name, p.email) for p in queries.participants_of(event)] == [("元のまま", "keep@kobe.lg.jp")]


def test_import_refuses_a_file_with_errors(event: Event) -> None:
    parsed = _parsed({"family_name": "一", "email": "one@kobe.lg.jp"})
    parsed.rows[0].errors.append(pi.CellError(2, "メール", pi.RowProblem.BAD_EMAIL))
    with pytest.raises(services.ParticipantError):
        services.import_participants(event, parsed)
    assert count(event) == 0


def test_register_counts_capacity_and_domains(event: Event) -> None:
    event.registration_open, event.registration_capacity, event.registration_domains = True, 1, "lg.jp"
    db.session.commit()
    with pytest.raises(services.ParticipantError):
        services.register(event, consent=True, family_name="外", email="a@gmail.com")
    services.register(event, consent=True, family_name="内", email="a@city.kobe.lg.jp")
    with pytest.raises(services.RegistrationFull):
        services.register(event, consent=True, family_name="後", email="b@city.kobe.lg.jp")
    with pytest.raises(services.AlreadyRegistered):
        services.register(event, consent=True, family_name="同", email="A@city.kobe.lg.jp")
    assert count(event) == 1


def test_demo_step_is_realistic_and_idempotent(runner: FlaskCliRunner) -> None:
    totals = []
    for _ in range(2):
        result = runner.invoke(args=["demo", "--password", "demo-password-1"])
        assert result.exit_code == 0, result.output
        totals.append(db.session.scalar(db.select(db.func.count(Participant.id))))
    assert totals[0] == totals[1]  # the second run duplicated nothing (other demo steps may add people too)
    events = list(db.session.scalars(db.select(Event).where(Event.slug.in_([UPCOMING_SLUG, FINISHED_SLUG]))))
    assert len(events) == 2
    for event in events:
        mine = {p.email for p in demo_people(event.slug)}
        people = [p for p in queries.participants_of(event) if p.email in mine]
        assert len(people) == len(mine) == 120
        assert sum(p.role == Role.FACILITATOR for p in people) == 20
        assert len({p.organization for p in people}) >= 40
        assert all(p.prefecture in pi.PREFECTURES for p in people)
        assert all(p.email.endswith((".example.lg.jp", ".example.go.jp")) for p in people)
        assert all(p.family_kana and p.given_kana for p in people)
        orgs = [p.organization for p in people]
        assert max(orgs.count(o) for o in orgs) >= 4  # several people share an organisation
    upcoming = next(e for e in events if e.slug == UPCOMING_SLUG)
    assert upcoming.registration_open and upcoming.registration_domains == "lg.jp" and upcoming.registration_consent

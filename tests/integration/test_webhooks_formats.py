"""Slack-format and Teams-format deliveries reach local receivers that check the shape those services require."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from app import outbox, signals
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage
from app.webhooks import hooks, services
from tests import factories
from tests.http_receiver import Receiver, start_receiver


def _receiver(app: Flask, shape: str) -> Iterator[Receiver]:
    found, server, thread = start_receiver(shape=shape)
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    yield found
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture()
def slack(app: Flask) -> Iterator[Receiver]:
    yield from _receiver(app, "slack")


@pytest.fixture()
def teams(app: Flask) -> Iterator[Receiver]:
    yield from _receiver(app, "teams")


@pytest.fixture()
def cafe_event(db: object):  # type: ignore[no-untyped-def]
    event = factories.make_event(title="全国自治体職員ネットワークサミット <夏>")
    return event, factories.make_cafe(event=event)


def _messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_every_topic_reaches_slack_and_teams_in_their_shape(
    app: Flask, slack: Receiver, teams: Receiver, cafe_event
) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    with app.test_request_context():
        to_slack = services.add_endpoint(event, slack.url, list(services.TOPICS), fmt="slack")
        to_teams = services.add_endpoint(event, teams.url, list(services.TOPICS), fmt="teams")
    round_ = cafe.rounds[1]
    signals.rounds_published.send(event, item=cafe, rounds=[1, 2])
    signals.round_started.send(event, round=round_)
    signals.report_published.send(event, report=None, version=None)
    db.session.commit()
    hooks.send_test(to_slack)
    hooks.send_test(to_teams)
    result = outbox.drain()
    assert (result.sent, result.failed, result.retrying) == (8, 0, 0)
    assert slack.problems == [] and teams.problems == []
    assert len(slack.calls) == len(teams.calls) == 4
    for message in _messages():
        assert message.status == MessageStatus.SENT
        assert message.last_status_code == (200 if message.recipient == slack.url else 202)

    slack_bodies = {c.headers["X-Tsunagu-Event"]: json.loads(c.body) for c in slack.calls}
    started = slack_bodies["round.started"]
    assert "ラウンド" in started["text"] or "round 2" in started["text"].lower()
    assert started["blocks"][0]["text"]["text"] == "全国自治体職員ネットワークサミット <夏>"  # plain_text: shown as is
    assert "&lt;夏&gt;" in started["blocks"][1]["text"]["text"]  # mrkdwn: escaped
    teams_bodies = {c.headers["X-Tsunagu-Event"]: json.loads(c.body) for c in teams.calls}
    card = teams_bodies["round.started"]["attachments"][0]["content"]
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts[next(iter(facts))] == "2" and round_.question in facts.values()
    assert card["actions"][0]["url"].endswith(f"/events/{event.slug}")
    assert teams_bodies["ping"]["attachments"][0]["content"]["body"][1]["text"].startswith("Tsunagu")


def test_a_plain_json_body_is_refused_by_teams(app: Flask, teams: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    """Why the format matters: Teams Workflows refuses anything but an Adaptive Card (the old README was wrong)."""
    event, cafe = cafe_event
    with app.test_request_context():
        services.add_endpoint(event, teams.url, ["rounds.published"], fmt="json")
    signals.rounds_published.send(event, item=cafe, rounds=[1])
    db.session.commit()
    assert outbox.drain().failed == 1
    [message] = _messages()
    assert message.last_status_code == 400 and "type" in message.response_excerpt
    assert teams.problems


def test_a_broken_card_is_caught_by_the_adaptive_cards_library(teams: Receiver) -> None:
    """The receiver's check can fail: Microsoft's parser reports an action without its URL."""
    from tests.http_receiver import teams_problems

    card = {"type": "AdaptiveCard", "version": "1.4", "body": [], "actions": [{"type": "Action.OpenUrl", "title": "x"}]}
    message = {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }
    assert any("url" in p for p in teams_problems(message))


def test_changing_the_format_applies_to_the_next_calls(app: Flask, slack: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    with app.test_request_context():
        endpoint = services.add_endpoint(event, slack.url, ["rounds.published"])
    assert endpoint.format == "json"  # 127.0.0.1 is no Slack host: plain JSON, which Slack also reads (`text`)
    services.set_format(endpoint, "slack")
    signals.rounds_published.send(event, item=cafe, rounds=[1])
    db.session.commit()
    assert outbox.drain().sent == 1
    assert "blocks" in json.loads(slack.calls[0].body) and slack.problems == []
    with app.test_request_context(), pytest.raises(services.WebhookError):
        services.set_format(endpoint, "xml")

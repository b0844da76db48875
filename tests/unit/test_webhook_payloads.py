"""Webhook bodies per format: plain JSON for programs, Slack Block Kit, a Teams Adaptive Card."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain import webhook_payloads as payloads
from app.domain.webhook_payloads import slack_escape
from tests.http_receiver import slack_problems

NOTICE = payloads.Notice(
    topic="round.started",
    text="全国サミット: ラウンド2が始まりました。<!channel> & 次の一歩は？",
    occurred_at=datetime(2026, 7, 25, 4, 30, tzinfo=UTC),
    event_slug="network-summit-2026",
    event_title="全国自治体職員ネットワークサミット",
    data={"round": {"number": 2}},
    link="https://tsunagu.example.jp/events/network-summit-2026",
    link_label="イベントページを開く",
    facts=(("ラウンド", "2"), ("問い", "明日からできる一歩は？")),
)


def test_plain_json_keeps_the_fields_programs_read() -> None:
    body = payloads.build("json", NOTICE)
    assert body == {
        "text": NOTICE.text,
        "topic": "round.started",
        "occurred_at": "2026-07-25T04:30:00+00:00",
        "event": {"slug": "network-summit-2026", "title": "全国自治体職員ネットワークサミット"},
        "url": NOTICE.link,
        "data": {"round": {"number": 2}},
    }
    assert payloads.build("unknown", NOTICE) == body


def test_slack_message_is_block_kit_with_escaped_text() -> None:
    body = payloads.build("slack", NOTICE)
    assert body["text"] == slack_escape(NOTICE.text) and "<!channel>" not in body["text"]  # the notification line
    header, section, facts, actions, context = body["blocks"]
    assert header["text"] == {"type": "plain_text", "text": "全国自治体職員ネットワークサミット"}
    # A name or question cannot @-mention a channel or form a link in Slack.
    assert "&lt;!channel&gt; &amp; 次の一歩" in section["text"]["text"] and "<!channel>" not in section["text"]["text"]
    assert "*問い*  明日からできる一歩は？" in facts["text"]["text"]
    assert actions["elements"][0]["url"] == NOTICE.link
    assert "`round.started`" in context["elements"][0]["text"]
    assert slack_problems(body) == []


def test_slack_respects_length_limits() -> None:
    long = payloads.Notice(
        topic="ping", text="あ" * 5000, occurred_at=NOTICE.occurred_at, event_slug="x", event_title="題" * 300
    )
    body = payloads.slack(long)
    assert len(body["blocks"][0]["text"]["text"]) == payloads.SLACK_HEADER_MAX
    assert len(body["blocks"][1]["text"]["text"]) == payloads.SLACK_TEXT_MAX
    assert slack_problems(body) == []
    assert slack_problems(
        {"text": "x", "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "題" * 151}}]}
    )


def test_teams_message_is_one_adaptive_card() -> None:
    body = payloads.build("teams", NOTICE)
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    title, text, facts, footer = card["body"]
    assert title["text"] == "全国自治体職員ネットワークサミット" and title["weight"] == "Bolder"
    assert text["text"] == NOTICE.text and text["wrap"] is True
    assert facts["facts"][1] == {"title": "問い", "value": "明日からできる一歩は？"}
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "イベントページを開く", "url": NOTICE.link}]


def test_the_format_is_guessed_from_the_address() -> None:
    assert payloads.guess_format("https://hooks.slack.com/services/T0/B0/x") == "slack"
    assert (
        payloads.guess_format(
            "https://prod-27.japaneast.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"
        )
        == "teams"
    )
    assert payloads.guess_format("https://default123.environment.api.powerplatform.com/powerautomate/x") == "teams"
    assert payloads.guess_format("https://contoso.webhook.office.com/webhookb2/x") == "teams"
    assert payloads.guess_format("https://hooks.slack.com.evil.example/x") == "json"
    assert payloads.guess_format("https://example.jp/hooks/tsunagu") == "json"

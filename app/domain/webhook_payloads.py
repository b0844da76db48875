"""Webhook bodies in the three formats an endpoint can ask for: plain JSON, Slack and Microsoft Teams.

- plain JSON: `text` plus the machine-readable fields, for programs (and Slack, which reads `text`);
- Slack: `text` (the notification) and Block Kit `blocks` (what the channel shows);
- Teams: a message with one Adaptive Card attachment — Teams' Workflows webhooks accept nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

FORMATS = ("json", "slack", "teams")

# Slack's documented limits (Block Kit reference) and the Adaptive Card version every Teams client renders.
SLACK_TEXT_MAX = 3000
SLACK_HEADER_MAX = 150
SLACK_BUTTON_MAX = 75
ADAPTIVE_CARD_VERSION = "1.4"
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

_SLACK_HOSTS = ("hooks.slack.com",)
# Teams Workflows (Power Automate) and the retired Office 365 connectors.
_TEAMS_HOST_SUFFIXES = (".logic.azure.com", ".powerplatform.com", ".webhook.office.com", "webhook.office.com")


@dataclass(frozen=True)
class Notice:
    """What happened, in words and data; each format lays it out in its own way."""

    topic: str
    text: str
    occurred_at: datetime
    event_slug: str
    event_title: str
    data: Mapping[str, Any] = field(default_factory=dict)
    link: str = ""
    link_label: str = ""
    facts: tuple[tuple[str, str], ...] = ()


def guess_format(url: str) -> str:
    """The format a URL's service needs: Slack's and Teams' webhook hosts are recognised, else plain JSON."""
    host = (urlsplit(url).hostname or "").lower()
    if host in _SLACK_HOSTS:
        return "slack"
    if host.endswith(_TEAMS_HOST_SUFFIXES):
        return "teams"
    return "json"


def build(fmt: str, notice: Notice) -> dict[str, Any]:
    """The JSON body for an endpoint of format `fmt` (unknown formats get plain JSON)."""
    if fmt == "slack":
        return slack(notice)
    if fmt == "teams":
        return teams(notice)
    return plain(notice)


def plain(notice: Notice) -> dict[str, Any]:
    """Plain JSON: a `text` line and the machine-readable fields."""
    return {
        "text": notice.text,
        "topic": notice.topic,
        "occurred_at": notice.occurred_at.isoformat(),
        "event": {"slug": notice.event_slug, "title": notice.event_title},
        "url": notice.link or None,
        "data": dict(notice.data),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_escape(text: str) -> str:
    """Slack mrkdwn control characters (&, <, >) escaped, so names cannot form links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(notice: Notice) -> dict[str, Any]:
    """A Slack message: `text` for notifications, Block Kit blocks for the channel."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(notice.event_title, SLACK_HEADER_MAX)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(slack_escape(notice.text), SLACK_TEXT_MAX)}},
    ]
    if notice.facts:
        lines = "\n".join(f"*{slack_escape(label)}*  {slack_escape(value)}" for label, value in notice.facts)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(lines, SLACK_TEXT_MAX)}})
    if notice.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {
                            "type": "plain_text",
                            "text": _clip(notice.link_label or notice.link, SLACK_BUTTON_MAX),
                        },
                        "url": notice.link,
                    }
                ],
            }
        )
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Tsunagu · `{notice.topic}` · {_stamp(notice)}"}]}
    )
    # `text` is mrkdwn too (it is what notifications show): escaped like the blocks.
    return {"text": _clip(slack_escape(notice.text), SLACK_TEXT_MAX), "blocks": blocks, "unfurl_links": False}


def _stamp(notice: Notice) -> str:
    return notice.occurred_at.strftime("%Y-%m-%d %H:%M UTC")


def teams(notice: Notice) -> dict[str, Any]:
    """A Teams message carrying one Adaptive Card (what Teams Workflows' webhook trigger requires)."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": notice.event_title, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": notice.text, "wrap": True},
    ]
    if notice.facts:
        body.append({"type": "FactSet", "facts": [{"title": label, "value": value} for label, value in notice.facts]})
    body.append(
        {"type": "TextBlock", "text": f"Tsunagu · {notice.topic} · {_stamp(notice)}", "isSubtle": True, "size": "Small",
         "wrap": True}
    )  # fmt: skip
    card: dict[str, Any] = {
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if notice.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": notice.link_label or notice.link, "url": notice.link}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }

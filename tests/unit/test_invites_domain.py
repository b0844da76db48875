"""Pure rules: UIDs, SEQUENCE, fingerprints, backoff, Retry-After, address blocking, signatures."""

from datetime import UTC, datetime, timedelta

from app.domain import calendar as rules
from app.domain import delivery


def test_uids_are_stable_and_distinct_per_holder() -> None:
    assert rules.entry_uid("item-7", "public", "ex.jp") == "item-7-public@ex.jp"
    assert rules.entry_uid("round-9", "p3", "ex.jp") == "round-9-p3@ex.jp"
    assert rules.entry_uid("round-9", "invite-p3", "ex.jp") == "round-9-invite-p3@ex.jp"


def test_sequence_never_goes_down_and_rises_on_change() -> None:
    fp1, fp2 = rules.fingerprint({"room": "A"}), rules.fingerprint({"room": "B"})
    assert rules.next_sequence(None, None, fp1, base=2) == 2
    assert rules.next_sequence(2, fp1, fp1) == 2
    assert rules.next_sequence(2, fp1, fp2) == 3
    assert rules.next_sequence(5, fp1, fp2, base=1) == 6
    assert rules.next_sequence(5, fp1, fp1, base=9) == 9


def test_fingerprint_ignores_key_order_and_keeps_japanese() -> None:
    assert rules.fingerprint({"a": 1, "b": "部屋"}) == rules.fingerprint({"b": "部屋", "a": 1})
    assert rules.fingerprint({"b": "部屋"}) != rules.fingerprint({"b": "部屋2"})


def test_webcal_url() -> None:
    assert rules.webcal_url("https://x.jp/a.ics") == "webcal://x.jp/a.ics"
    assert rules.webcal_url("http://x.jp/a.ics") == "webcal://x.jp/a.ics"


def test_backoff_doubles_and_is_capped() -> None:
    assert delivery.backoff(1) == timedelta(seconds=30)
    assert delivery.backoff(2) == timedelta(seconds=60)
    assert delivery.backoff(4) == timedelta(seconds=240)
    assert delivery.backoff(40) == delivery.MAX_DELAY


def test_retry_after_seconds_and_date() -> None:
    now = datetime(2026, 7, 25, 4, 0, tzinfo=UTC)
    assert delivery.retry_after("120", now) == timedelta(seconds=120)
    assert delivery.retry_after("Sat, 25 Jul 2026 04:05:00 GMT", now) == timedelta(minutes=5)
    assert delivery.retry_after("soon", now) is None
    assert delivery.retry_after(None, now) is None


def test_retryable_statuses() -> None:
    assert delivery.retryable_status(500) and delivery.retryable_status(503) and delivery.retryable_status(429)
    assert not delivery.retryable_status(400) and not delivery.retryable_status(404)


def test_blocked_addresses() -> None:
    for address in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.5",
        "172.16.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "nonsense",
    ):
        assert delivery.blocked_address(address), address
    for address in ("8.8.8.8", "2606:4700:4700::1111"):
        assert not delivery.blocked_address(address), address


def test_signature_roundtrip() -> None:
    body = '{"text":"部屋"}'.encode()
    header = delivery.sign("secret", body, 1_780_000_000)
    assert header.startswith("t=1780000000,v1=") and len(header) == len("t=1780000000,v1=") + 64
    assert delivery.verify("secret", body, header, now=1_780_000_000)
    assert not delivery.verify("other", body, header, now=1_780_000_000)
    assert not delivery.verify("secret", body, header, now=1_780_000_000 + 301)


def test_jitter_only_ever_lengthens_the_backoff_by_up_to_a_quarter() -> None:
    base = delivery.backoff(3)
    assert delivery.jittered(base, 0.0) == base
    assert delivery.jittered(base, 0.5) == base * 1.125
    assert delivery.jittered(base, 1.0) == base * 1.25
    assert delivery.jittered(base, 7.0) == base * 1.25  # a bad draw cannot make it longer

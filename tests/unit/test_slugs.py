"""Readable event addresses: Latin words of the title, else the date; -2, -3… when taken."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.domain.slugs import readable_slug
from app.events.forms import SLUG_PATTERN

DAY = date(2027, 1, 23)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("全国自治体職員ネットワークサミット2027", "2027-01-23"),
        ("DX推進サミット in 東京", "2027-01-23"),  # "dx" and "in" are not words to build an address on
        ("Code for Japan Summit", "code-for-japan-summit-2027"),
        ("ＳＵＭＭＩＴ　２０２７ 東京", "summit-2027"),  # full-width letters and digits fold to ASCII
        ("Tsunagu café 2026", "tsunagu-cafe-2026"),  # the title's own year is kept
        ("Open Data Day " + "long " * 40, None),
    ],
)
def test_readable_slug(title: str, slug: str | None) -> None:
    found = readable_slug(title, DAY, lambda _s: False)
    if slug is not None:
        assert found == slug
    assert re.match(SLUG_PATTERN, found) and len(found) <= 76


def test_taken_addresses_get_a_number() -> None:
    taken = {"2027-01-23", "2027-01-23-2"}
    assert readable_slug("ワールドカフェ", DAY, taken.__contains__) == "2027-01-23-3"
    long_taken = {readable_slug("Open Data Day " + "long " * 40, DAY, lambda _s: False)}
    numbered = readable_slug("Open Data Day " + "long " * 40, DAY, long_taken.__contains__)
    assert numbered.endswith("-2") and re.match(SLUG_PATTERN, numbered)

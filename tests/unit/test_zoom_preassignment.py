"""Who a round's Zoom pre-assignment file places automatically, and who it cannot."""

from __future__ import annotations

from app.domain import zoom


def test_the_file_uses_the_zoom_email_when_given_and_says_who_relies_on_the_registration_email() -> None:
    seated = [
        zoom.Seated(1, "ルーム1", "host@city.kobe.lg.jp"),
        zoom.Seated(2, "ルーム1", "hanako@city.kobe.lg.jp", "Hanako.Private@Example.com"),
        zoom.Seated(3, "ルーム2", "ichiro@city.sakai.lg.jp"),
    ]
    check = zoom.preassignment(seated, expected=[1, 2, 3, 4])
    assert check.rows == [
        ("ルーム1", "host@city.kobe.lg.jp"),
        ("ルーム1", "Hanako.Private@Example.com"),
        ("ルーム2", "ichiro@city.sakai.lg.jp"),
    ]
    assert [s.key for s in check.zoom_account] == [2]
    assert [s.key for s in check.registration_email] == [1, 3]
    assert check.not_seated == [4] and check.rooms == 2
    assert check.shared == {} and not check.over_limit


def test_people_sharing_an_address_are_flagged() -> None:
    seated = [
        zoom.Seated(1, "A", "office@city.kobe.lg.jp"),
        zoom.Seated(2, "B", "yamada@city.kobe.lg.jp", "OFFICE@city.kobe.lg.jp"),
        zoom.Seated(3, "B", "suzuki@city.kobe.lg.jp"),
    ]
    check = zoom.preassignment(seated)
    assert list(check.shared) == ["office@city.kobe.lg.jp"]
    assert [s.key for s in check.shared["office@city.kobe.lg.jp"]] == [1, 2]


def test_zooms_limits() -> None:
    people = [zoom.Seated(i, f"R{i % 60}", f"p{i}@example.jp") for i in range(240)]
    check = zoom.preassignment(people)
    assert check.rooms == 60 and check.over_limit and not check.over_large_limit
    many = zoom.preassignment([zoom.Seated(i, f"R{i}", f"p{i}@example.jp") for i in range(101)])
    assert many.over_large_limit


def test_a_summit_is_cut_into_meetings_zoom_can_pre_assign() -> None:
    from app.domain.zoom import meetings

    runs = meetings([5] * 400)  # 2,000 people in 400 rooms
    assert [(r.start, r.stop) for r in runs] == [(0, 100), (100, 200), (200, 300), (300, 400)]
    assert meetings([5] * 40) == [range(0, 40)]  # fits one meeting
    assert len(meetings([12] * 100)) == 2  # 1,200 people: the people limit cuts, not the rooms
    assert all(sum(([12] * 100)[i] for i in r) <= 1000 for r in meetings([12] * 100))
    assert meetings([]) == []
    assert meetings([1500, 2]) == [range(0, 1), range(1, 2)]  # a room too large for any meeting stays alone

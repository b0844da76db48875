"""Who is missing? One screen between rounds: search, absentees, Zoom, latecomers in bulk, re-plan preview, publish."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.cafe import planner, publishing, services
from app.cafe.models import Seat
from app.domain.attendance import ReportProblem
from app.extensions import db
from app.participants.models import Participant, Rsvp, Status
from tests import factories
from tests.factories_cafe import Cafe, make_cafe_event, make_person
from tests.instants import FUTURE_SUMMIT

BEFORE = FUTURE_SUMMIT - timedelta(days=7)
IN_ROUND_2 = FUTURE_SUMMIT + timedelta(minutes=35)  # rounds every 25 minutes: round 3 is next
EN = {"Accept-Language": "en"}


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    made = make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)
    made.people[0].family_name, made.people[0].given_name = "藤田", "結衣"
    made.people[0].family_kana, made.people[0].given_kana = "フジタ", "ユイ"
    db.session.commit()
    services.generate(made.item, seed=3, now=BEFORE)
    publishing.publish(made.item, 3, confirm=False, now=BEFORE)
    db.session.commit()
    return made


def url(cafe: Cafe, tail: str = "") -> str:
    return f"/manage/events/{cafe.event.slug}/live/missing{tail}"


def seats(cafe: Cafe, number: int) -> list[tuple[int, int]]:
    rnd = cafe.item.rounds[number - 1]
    rows = db.session.execute(
        select(Seat.room_id, Seat.participant_id, Seat.published)
        .where(Seat.round_id == rnd.id)
        .order_by(Seat.published, Seat.room_id, Seat.participant_id)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_search_as_you_type_finds_names_and_readings(client: FlaskClient, cafe: Cafe) -> None:
    with freeze_time(IN_ROUND_2):
        for q in ("藤田", "フジタ", "藤田結衣", "ふじた"[:0] or "ユイ"):
            html = client.get(url(cafe, f"?q={q}&partial=results"), headers=EN).get_data(as_text=True)
            assert "藤田 結衣" in html, q
            assert "<html" not in html  # the fragment only, for the page's script
        page = client.get(url(cafe), headers=EN).get_data(as_text=True)
    assert "Round 3 starts at" in page and "Between rounds: who is missing?" in page
    assert "藤田 結衣" not in page  # nobody is listed before a search: no giant list


def test_mark_absent_and_back_without_javascript_and_with_it(client: FlaskClient, cafe: Cafe) -> None:
    person = cafe.people[0]
    with freeze_time(IN_ROUND_2):
        response = client.post(
            url(cafe, "/status"), data={"participant_id": person.id, "status": "absent", "q": "藤田"}
        )
        assert response.status_code == 302 and "q=%E8%97%A4%E7%94%B0" in response.headers["Location"]
        db.session.refresh(person)
        assert person.status == Status.ABSENT
        fragment = client.post(
            url(cafe, "/status"),
            data={"participant_id": person.id, "status": "present", "q": "藤田"},
            headers={"X-Requested-With": "fetch", **EN},
        ).get_data(as_text=True)
        assert "Marked absent (0)" in fragment and "藤田 結衣" in fragment and "<html" not in fragment
    db.session.refresh(person)
    assert person.status == Status.PRESENT


def test_status_of_another_events_person_is_never_changed(client: FlaskClient, cafe: Cafe) -> None:
    other = make_cafe_event(people=4, facilitators=1, rounds=2)
    client.post(url(cafe, "/status"), data={"participant_id": other.people[0].id, "status": "absent"})
    db.session.refresh(other.people[0])
    assert other.people[0].status == Status.REGISTERED
    assert client.get(f"/manage/events/{other.event.slug}/live/missing").status_code == 404


def test_latecomers_in_bulk_join_the_next_round(client: FlaskClient, cafe: Cafe) -> None:
    paste = "遅刻 一郎\ti.chikoku@city.kobe.lg.jp\t神戸市\n途中 花子, h.tochu@pref.nagano.lg.jp, 長野県\n"
    with freeze_time(IN_ROUND_2):
        html = client.get(url(cafe), headers=EN).get_data(as_text=True)
        assert '<option selected value="3">' in html or 'value="3" selected' in html or "selected" in html
        response = client.post(url(cafe, "/late"), data={"people": paste, "joins_round": 3}, headers=EN)
    assert response.status_code == 302
    late = db.session.scalars(select(Participant).where(Participant.joins_round == 3)).all()
    assert {(p.family_name, p.status, p.organization) for p in late} == {
        ("遅刻", Status.PRESENT, "神戸市"),
        ("途中", Status.PRESENT, "長野県"),
    }


def test_a_bad_line_adds_nobody_and_says_which(client: FlaskClient, cafe: Cafe) -> None:
    count = db.session.scalar(select(func.count()).select_from(Participant))
    with freeze_time(IN_ROUND_2):
        response = client.post(
            url(cafe, "/late"),
            data={"people": "遅刻 一郎, late@example.lg.jp\n名前だけ\n", "joins_round": 3},
            headers=EN,
        )
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        assert "Line 2" in text and "no email address" in text and "Nothing was added" in text
        taken = client.post(
            url(cafe, "/late"), data={"people": f"重複 太郎, {cafe.people[3].email}", "joins_round": 3}, headers=EN
        )
        assert taken.status_code == 400 and "Already in this event" in taken.get_data(as_text=True)
        started = client.post(url(cafe, "/late"), data={"people": "遅い 人, slow@example.lg.jp", "joins_round": 2})
        assert started.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Participant)) == count


ZOOM_HEADER = "名前(元の名前),ユーザーメール,参加時間,退出時間,期間(分),ゲスト\r\n"


def test_zoom_report_shows_who_is_not_in_the_meeting_then_marks_them(client: FlaskClient, cafe: Cafe) -> None:
    here = [p for p in [*cafe.people, *cafe.facilitators] if p not in cafe.people[:2]]
    csv = ZOOM_HEADER + "".join(f"{p.family_name}{p.given_name},{p.email},,,60,いいえ\r\n" for p in here)
    with freeze_time(IN_ROUND_2):
        response = client.post(
            url(cafe, "/zoom"),
            data={"report": (io.BytesIO(csv.encode("cp932")), "participants.csv")},
            content_type="multipart/form-data",
            headers=EN,
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "2 people on the list are not in the meeting" in html
        absent = html.split('name="absent" type="hidden" value="')[1].split('"')[0]
        present = html.split('name="present" type="hidden" value="')[1].split('"')[0]
        assert sorted(int(i) for i in absent.split(",")) == sorted(p.id for p in cafe.people[:2])
        client.post(url(cafe, "/zoom/apply"), data={"present": present, "absent": absent})
    db.session.expire_all()
    assert {p.id for p in db.session.scalars(select(Participant).where(Participant.status == Status.ABSENT))} == {
        p.id for p in cafe.people[:2]
    }


def test_a_zoom_file_that_cannot_be_read_is_explained_in_the_organisers_words(client: FlaskClient, cafe: Cafe) -> None:
    cases = [
        ("日付,件数\r\n1,2\r\n".encode(), "ja", "参加者の表が見つかりません"),
        (b"\xef\xbb\xbfName,Email\r\n\xff\xfe\xfa,a@b.jp\r\n", "en", "encoding could not be read"),
        (("Name,Email\r\n" + ",".join(["x"] * 5000) + "\r\n").encode(), "en", "Row 2 has too many columns"),
    ]
    with freeze_time(IN_ROUND_2):
        for data, lang, message in cases:
            response = client.post(
                url(cafe, "/zoom"),
                data={"report": (io.BytesIO(data), "participants.csv")},
                content_type="multipart/form-data",
                headers={"Accept-Language": lang},
            )
            html = response.get_data(as_text=True)
            assert response.status_code == 400 and message in html, message
            assert not any(f": {problem.value}" in html for problem in ReportProblem)  # never the code's word


def test_replan_preview_then_publish_keeps_started_rounds(client: FlaskClient, cafe: Cafe) -> None:
    held = {n: seats(cafe, n) for n in (1, 2)}
    gone = cafe.people[:3]
    services.mark_absent(cafe.item, [p.id for p in gone])
    db.session.commit()
    with freeze_time(IN_ROUND_2):
        html = client.get(url(cafe), headers=EN).get_data(as_text=True)
        assert "no longer match who is here" in html
        client.post(url(cafe, "/replan"))
        html = client.get(url(cafe), headers=EN).get_data(as_text=True)
        preview = html.split('id="preview"')[1]
        assert "seats change for the people concerned" in preview and "— no room —" in preview
        assert "After the re-plan" in preview and "Publish: everyone" in preview
        client.post(url(cafe, "/publish"))
    data = planner.load(cafe.item)
    assert data.draft == data.published
    assert not {str(p.id) for p in gone} & {pid for m in data.published[2].values() for pid in m}
    assert {n: seats(cafe, n) for n in (1, 2)} == held


def test_discard_the_re_plan(client: FlaskClient, cafe: Cafe) -> None:
    services.mark_absent(cafe.item, [cafe.people[0].id])
    db.session.commit()
    with freeze_time(IN_ROUND_2):
        client.post(url(cafe, "/replan"))
        client.post(url(cafe, "/discard"))
    data = planner.load(cafe.item)
    assert data.draft == data.published


def test_after_the_last_round_started_there_is_nothing_to_re_plan(client: FlaskClient, cafe: Cafe) -> None:
    with freeze_time(FUTURE_SUMMIT + timedelta(hours=3)):
        html = client.get(url(cafe), headers=EN).get_data(as_text=True)
        assert "nothing is left to re-plan" in html
        response = client.post(url(cafe, "/replan"), headers=EN, follow_redirects=True)
        assert "nothing is left to re-plan" in response.get_data(as_text=True)


def test_at_two_thousand_people_the_screen_stays_small(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(
        organizer=logged_in, starts_at=FUTURE_SUMMIT, ends_at=FUTURE_SUMMIT + timedelta(hours=6)
    )
    factories.make_cafe(event=event, rounds=3)
    for n in range(2000):
        make_person(event, n)
    db.session.commit()
    with freeze_time(BEFORE):
        page = client.get(f"/manage/events/{event.slug}/live/missing", headers=EN).get_data(as_text=True)
        found = client.get(f"/manage/events/{event.slug}/live/missing?q=山田1&partial=results", headers=EN)
    assert len(page) < 60_000  # no list of everyone
    assert found.get_data(as_text=True).count('class="missing-person') == 20  # the first 20 of 1,111 matches
    assert "Showing 20 of 1111" in found.get_data(as_text=True)


def test_people_who_said_they_cant_attend_are_expected_absent_one_click_each(client: FlaskClient, cafe: Cafe) -> None:
    said_no, said_yes = cafe.people[0], cafe.people[1]
    said_no.rsvp, said_yes.rsvp = Rsvp.NO, Rsvp.YES
    db.session.commit()
    with freeze_time(IN_ROUND_2):
        page = client.get(url(cafe), headers=EN).get_data(as_text=True)
        expected = page.split('id="expected"', 1)[1].split("</section>", 1)[0]
        assert "Said they can't attend (1)" in page
        assert "藤田 結衣" in expected and said_yes.family_name + " " + said_yes.given_name not in expected
        found = client.get(url(cafe, "?q=藤田&partial=results"), headers=EN).get_data(as_text=True)
        assert "expected absent" in found  # the search says so too
        fragment = client.post(
            url(cafe, "/status"),
            data={"participant_id": said_no.id, "status": "absent", "q": ""},
            headers={"X-Requested-With": "fetch", **EN},
        ).get_data(as_text=True)
    db.session.refresh(said_no)
    assert said_no.status == Status.ABSENT
    assert 'id="expected"' not in fragment and "Marked absent (1)" in fragment  # moved to the absent list

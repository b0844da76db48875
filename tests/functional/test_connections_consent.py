"""Contact exchange by consent: nothing by default, only to people met, only while consent stands; vCard; notes."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.connections.models import ContactCard, ContactPick, PersonNote
from app.extensions import db
from app.participants.models import Participant, Status
from tests.factories_day import Day, make_day
from tests.instants import AFTER_SUMMIT
from tests.vcard_reader import read_vcards

SECRET_TEXT = "内線 4321 Teams で山田を検索"


@pytest.fixture()
def day(db: object, organizer: Organizer) -> Day:
    """people[0] meets people[2], people[4] and both hosts; never people[1], 3 or 5 (make_day, 6 people)."""
    made = make_day(organizer=organizer, people=6)
    made.people[0].family_kana, made.people[0].given_kana = "サンカゼロ", "ハナコ"
    made.people[0].department = "債権管理課"
    db.session.commit()  # type: ignore[attr-defined]
    return made


def share(client: FlaskClient, person: Participant, **form: object) -> int:
    card = db.session.query(ContactCard).filter_by(participant_id=person.id).one_or_none()
    data = {"audience": "everyone", "share_email": "y", "text": "", "version": card.version if card else 0} | form
    if data.get("share_email") is None:
        data.pop("share_email")
    with freeze_time(AFTER_SUMMIT):
        return client.post(f"/p/{person.token}/people/card", data=data).status_code


def page(client: FlaskClient, person: Participant) -> str:
    with freeze_time(AFTER_SUMMIT):
        response = client.get(f"/p/{person.token}/people")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def api_text(client: FlaskClient, person: Participant) -> str:
    """The person's JSON API answer as text with Japanese unescaped (JSON escapes it as \\uXXXX)."""
    with freeze_time(AFTER_SUMMIT):
        response = client.get(f"/api/v1/me/{person.token}/people")
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def shared_json(client: FlaskClient, person: Participant) -> dict[str, dict[str, str]]:
    with freeze_time(AFTER_SUMMIT):
        return client.get(f"/p/{person.token}/people/shared.json").get_json()["shared"]  # type: ignore[no-any-return]


def test_nothing_is_shared_by_default(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    assert me.email not in page(client, mate)
    assert shared_json(client, mate) == {}
    assert "You share nothing" in page(client, me)


def test_shared_email_shows_only_to_people_met_and_disappears_at_once_on_withdrawal(
    client: FlaskClient, day: Day
) -> None:
    me, mate, stranger = day.people[0], day.people[2], day.people[1]
    assert share(client, me, text=SECRET_TEXT) == 302
    html = page(client, mate)
    assert f'href="mailto:{me.email}"' in html and SECRET_TEXT in html
    assert SECRET_TEXT in api_text(client, mate)  # the check below is meaningful: the API does carry it
    assert shared_json(client, mate) == {str(me.id): {"email": me.email, "text": SECRET_TEXT}}
    host = day.hosts[1]
    assert me.email in page(client, host)  # the facilitator met them too
    # Someone who never sat with them sees neither the person nor their contact, anywhere.
    assert me.email not in page(client, stranger) and "参加0" not in page(client, stranger).split("People you met")[-1]
    assert shared_json(client, stranger) == {}
    api = api_text(client, stranger)
    with freeze_time(AFTER_SUMMIT):
        vcf = client.get(f"/p/{stranger.token}/people/contacts.vcf").get_data(as_text=True)
    assert me.email not in api and me.email not in vcf and SECRET_TEXT not in api
    # Withdrawal: gone from the page, the JSON poll, the API and the vCard at once.
    with freeze_time(AFTER_SUMMIT):
        assert client.post(f"/p/{me.token}/people/withdraw").status_code == 302
    assert me.email not in page(client, mate) and SECRET_TEXT not in page(client, mate)
    assert shared_json(client, mate) == {}
    assert me.email not in api_text(client, mate)
    with freeze_time(AFTER_SUMMIT):
        assert me.email not in client.get(f"/p/{mate.token}/people/contacts.vcf").get_data(as_text=True)


def test_text_only_sharing_never_reveals_the_email(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    assert share(client, me, share_email=None, text=SECRET_TEXT) == 302
    assert shared_json(client, mate) == {str(me.id): {"email": "", "text": SECRET_TEXT}}
    assert me.email not in page(client, mate)


def test_picked_people_only(client: FlaskClient, day: Day) -> None:
    me, picked, other_mate = day.people[0], day.people[2], day.people[4]
    assert share(client, me, audience="picked") == 302
    assert shared_json(client, picked) == {}  # picked nobody yet
    with freeze_time(AFTER_SUMMIT):
        assert client.post(f"/p/{me.token}/people/{picked.id}/share", data={"share": "1"}).status_code == 302
    assert str(me.id) in shared_json(client, picked)
    assert shared_json(client, other_mate) == {}
    with freeze_time(AFTER_SUMMIT):
        client.post(f"/p/{me.token}/people/{picked.id}/share", data={"share": "0"})
    assert shared_json(client, picked) == {}


def test_picking_one_person_while_sharing_with_nobody_shares_with_just_them(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    assert share(client, me, audience="nobody", text=SECRET_TEXT) == 302
    assert shared_json(client, mate) == {}
    with freeze_time(AFTER_SUMMIT):
        client.post(f"/p/{me.token}/people/{mate.id}/share", data={"share": "1"})
    assert str(me.id) in shared_json(client, mate)
    assert shared_json(client, day.people[4]) == {}


def test_nobody_can_pick_or_note_someone_they_never_met(client: FlaskClient, day: Day) -> None:
    me, stranger = day.people[0], day.people[1]
    share(client, me, audience="picked")
    with freeze_time(AFTER_SUMMIT):
        response = client.post(f"/p/{me.token}/people/{stranger.id}/share", data={"share": "1"}, follow_redirects=True)
        assert "only do this for people you met" in response.get_data(as_text=True)
        client.post(f"/p/{me.token}/people/{stranger.id}/note", data={"text": "覗き見", "version": "0"})
        client.post(f"/p/{me.token}/people/{me.id}/note", data={"text": "自分", "version": "0"})
    assert db.session.query(ContactPick).count() == 0
    assert db.session.query(PersonNote).count() == 0
    assert shared_json(client, stranger) == {}


def test_sharing_needs_something_to_share_and_a_sane_length(client: FlaskClient, day: Day) -> None:
    me = day.people[0]
    assert share(client, me, share_email=None, text="  ") == 400
    assert share(client, me, text="あ" * 301) == 400
    assert share(client, me, audience="somebody") == 400
    assert db.session.query(ContactCard).count() == 0
    html = page(client, me)
    assert "You share nothing" in html


def test_a_form_from_an_older_state_never_re_shares(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    share(client, me)
    card = db.session.query(ContactCard).filter_by(participant_id=me.id).one()
    stale = card.version
    with freeze_time(AFTER_SUMMIT):
        client.post(f"/p/{me.token}/people/withdraw")
        response = client.post(
            f"/p/{me.token}/people/card",
            data={"audience": "everyone", "share_email": "y", "version": stale},
            follow_redirects=True,
        )
    assert "changed in another window" in response.get_data(as_text=True)
    assert shared_json(client, mate) == {}


def test_shared_text_stays_one_clean_line(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    # A NUL byte is refused before any view runs; a line break is refused by the one-line field: nothing saved.
    assert share(client, me, share_email=None, text="Teams:\x00 山田") == 400
    assert share(client, me, share_email=None, text="Teams: 山田\r\nBEGIN:VCARD") == 400
    assert shared_json(client, mate) == {}
    assert share(client, me, share_email=None, text="  Teams:   山田  ") == 302
    assert shared_json(client, mate)[str(me.id)]["text"] == "Teams: 山田"


def test_vcard_of_contacts_shared_with_me_reads_in_an_independent_parser(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    share(client, me, text="内線 4321, Teams: 山田")
    with freeze_time(AFTER_SUMMIT):
        client.post(
            f"/p/{mate.token}/people/{me.id}/note", data={"text": "聞きたい：債権回収の外部委託", "version": "0"}
        )
        response = client.get(f"/p/{mate.token}/people/contacts.vcf")
    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    (card,) = read_vcards(response.get_data(as_text=True))
    assert card["fn"] == [f"{me.family_name} {me.given_name}"]
    assert card["n"][0][:2] == [me.family_name, me.given_name]
    assert card["email"] == [me.email]
    assert card["org"][0] == [me.organization, "債権管理課"]
    assert card["x-phonetic-last-name"] == ["サンカゼロ"] and card["x-phonetic-first-name"] == ["ハナコ"]
    note = card["note"][0]
    assert "内線 4321, Teams: 山田" in note
    assert "Round 1 (部屋B)" in note and "Round 2 (部屋A)" in note and day.event.title in note
    assert "聞きたい：債権回収の外部委託" in note  # the downloader's own note, in their own file
    assert card["categories"] == [day.event.title]
    # The same person's UID stays the same: importing again updates instead of duplicating.
    with freeze_time(AFTER_SUMMIT):
        again = read_vcards(client.get(f"/p/{mate.token}/people/contacts.vcf").get_data(as_text=True))
    assert again[0]["uid"] == card["uid"]


def test_vcard_with_several_contacts_and_none(client: FlaskClient, day: Day) -> None:
    host = day.hosts[0]
    with freeze_time(AFTER_SUMMIT):
        assert client.get(f"/p/{host.token}/people/contacts.vcf").get_data(as_text=True) == ""
    for person in day.people[:3]:
        share(client, person)
    with freeze_time(AFTER_SUMMIT):
        cards = read_vcards(client.get(f"/p/{host.token}/people/contacts.vcf").get_data(as_text=True))
    assert sorted(c["email"][0] for c in cards) == sorted(p.email for p in day.people[:3])


def test_private_notes_are_seen_by_their_author_only(client: FlaskClient, day: Day, organizer: Organizer) -> None:
    me, mate = day.people[0], day.people[2]
    note = "次は予算要求の話を聞く"
    with freeze_time(AFTER_SUMMIT):
        assert (
            client.post(f"/p/{me.token}/people/{mate.id}/note", data={"text": note, "version": "0"}).status_code == 302
        )
    assert note in page(client, me)
    assert note not in page(client, mate)
    assert note not in api_text(client, mate)
    assert note in api_text(client, me)
    # Emptying the note deletes it.
    version = db.session.query(PersonNote).one().version
    with freeze_time(AFTER_SUMMIT):
        client.post(f"/p/{me.token}/people/{mate.id}/note", data={"text": "  ", "version": version})
    assert db.session.query(PersonNote).count() == 0


def test_a_note_changed_in_another_window_keeps_both_texts(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    with freeze_time(AFTER_SUMMIT):
        client.post(f"/p/{me.token}/people/{mate.id}/note", data={"text": "一つ目の窓", "version": "0"})
        response = client.post(f"/p/{me.token}/people/{mate.id}/note", data={"text": "二つ目の窓", "version": "0"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "一つ目の窓" in html and "二つ目の窓" in html
    assert db.session.query(PersonNote).one().text == "一つ目の窓"


def test_a_person_removed_from_the_event_takes_their_contact_with_them(client: FlaskClient, day: Day) -> None:
    me, mate = day.people[0], day.people[2]
    share(client, me, text=SECRET_TEXT)
    me.status = Status.CANCELLED
    db.session.commit()
    assert SECRET_TEXT not in page(client, mate) and shared_json(client, mate) == {}
    me.status = Status.PRESENT
    db.session.commit()
    assert SECRET_TEXT in page(client, mate)
    db.session.delete(me)
    db.session.commit()
    assert SECRET_TEXT not in page(client, mate) and shared_json(client, mate) == {}
    assert db.session.query(ContactCard).count() == 0


def test_organisers_cannot_read_contacts_or_notes_through_a_participants_link(
    client: FlaskClient, day: Day, logged_in: Organizer
) -> None:
    me, mate = day.people[0], day.people[2]
    share(client, me, text=SECRET_TEXT)  # logged in, but on their own behalf? no: refused for organisers
    assert db.session.query(ContactCard).count() == 0
    client.post("/logout")
    share(client, me, text=SECRET_TEXT)
    with freeze_time(AFTER_SUMMIT):
        client.post(f"/p/{mate.token}/people/{me.id}/note", data={"text": "非公開メモ", "version": "0"})
    client.post("/login", data={"email": logged_in.email, "password": "correct horse battery"})
    html = page(client, mate)
    assert SECRET_TEXT not in html and "非公開メモ" not in html and me.email not in html
    assert "not shown to organisers" in html
    assert shared_json(client, mate) == {}
    assert SECRET_TEXT not in api_text(client, mate) and me.email not in api_text(client, mate)
    with freeze_time(AFTER_SUMMIT):
        assert client.get(f"/p/{mate.token}/people/contacts.vcf").get_data(as_text=True) == ""
        client.post(f"/p/{me.token}/people/withdraw")
    assert db.session.query(ContactCard).one().audience.value == "everyone"  # refused: not theirs to change


def test_an_organiser_who_takes_part_uses_their_own_page_normally(
    client: FlaskClient, day: Day, logged_in: Organizer
) -> None:
    me, mate = day.people[0], day.people[2]
    me.email = logged_in.email
    db.session.commit()
    assert share(client, me, text=SECRET_TEXT) == 302
    client.post("/logout")
    assert SECRET_TEXT in page(client, mate)

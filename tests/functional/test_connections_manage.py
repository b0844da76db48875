"""The organiser's view of connections: the network in numbers and pictures, never people; settings; the report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.connections import network, queries, services
from app.connections.models import ConnectionSettings
from app.domain.connections import Audience
from app.extensions import db
from app.participants.models import Status
from app.reports import services as report_services
from tests import factories
from tests.factories_day import make_day
from tests.factories_reports import make_summit
from tests.instants import AFTER_SUMMIT, BEFORE_SUMMIT


def test_only_the_events_organisers_see_the_page(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(people=6)  # organised by someone else
    assert client.get(f"/manage/events/{day.event.slug}/connections").status_code == 404
    client.post("/logout")
    response = client.get(f"/manage/events/{day.event.slug}/connections")
    assert response.status_code in (302, 401)


def test_numbers_and_pictures_without_names(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in, people=6)
    everyone = day.people + day.hosts
    for person in everyone:
        person.organization = f"{person.family_name}市"
    db.session.commit()
    services.save_card(day.people[0], services.CardData(Audience.EVERYONE, True, "", 0))
    db.session.commit()
    with freeze_time(AFTER_SUMMIT):
        html = client.get(f"/manage/events/{day.event.slug}/connections").get_data(as_text=True)
        data, counts = network.live_section(day.event, AFTER_SUMMIT)
    # Rooms of 4 (a host and 3 people) over 3 rounds, odd and even people never mixing: 2 hosts × 6 + 2 × 3 pairs.
    assert data["cross_pairs"] == 18
    assert counts.sharing == 1 and counts.reached == 4  # 参加0 met 参加2, 参加4 and both hosts
    assert ">18<" in html
    assert 'class="chord"' in html
    for person in everyone:
        assert person.family_name + " " not in html and person.email not in html
    ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # a valid, standalone SVG


def test_before_any_round_the_page_says_what_will_come(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in, people=6)
    with freeze_time(BEFORE_SUMMIT):
        html = client.get(f"/manage/events/{day.event.slug}/connections").get_data(as_text=True)
    assert "Once a café round with published seating has started" in html
    assert 'class="chord"' not in html


def test_settings_are_saved_and_need_the_form(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in, people=4)
    url = f"/manage/events/{day.event.slug}/connections"
    response = client.post(url, data={"talk_again": "y", "in_report": "y"})
    assert response.status_code == 302
    settings = db.session.query(ConnectionSettings).one()
    assert settings.talk_again and settings.in_report
    client.post(url, data={"in_report": "y"})  # the browser sends unticked boxes as nothing
    db.session.refresh(settings)
    assert not settings.talk_again and settings.in_report


def test_the_report_keeps_the_network_in_its_version_unless_the_organiser_leaves_it_out(
    client: FlaskClient, organizer: Organizer
) -> None:
    summit = make_summit(organizer=organizer, slug="cx-report", with_notes=False)
    with freeze_time(AFTER_SUMMIT):
        report = report_services.create_report(summit.event, organizer)
        version = report_services.publish(report, organizer)
        page = client.get("/reports/cx-report").get_data(as_text=True)
        markdown = client.get("/reports/cx-report/report.md").get_data(as_text=True)
    assert '"network"' in version.data
    assert 'id="network"' in page and page.count('class="chord"') == 2  # prefectures and kinds of organisation
    assert "Which kinds of organisation met" in page
    assert "<table" in page.split('id="network"')[1]  # the largest flows also as a table, for print
    network_md = markdown.split("## Connections across organisations", 1)[1].split("\n## ", 1)[0]
    net = json.loads(version.data)["network"]
    assert f"{net['cross_pairs']}" in network_md and "### " in network_md  # the counts, then the largest flows
    assert " pairs\n" in network_md  # "- 東京都 × 石川県: 4 pairs"
    assert "<svg" not in markdown
    for person in summit.people:  # counts and groups, never a name
        assert person.family_name + " " + person.given_name not in network_md
    db.session.add(ConnectionSettings(event_id=summit.event.id, in_report=False))
    db.session.commit()
    with freeze_time(AFTER_SUMMIT):
        report_services.publish(report, organizer)
        page = client.get("/reports/cx-report").get_data(as_text=True)
    assert 'id="network"' not in page


def test_older_report_versions_without_a_network_still_show(client: FlaskClient, organizer: Organizer) -> None:
    summit = make_summit(organizer=organizer, slug="cx-old", with_notes=False)
    with freeze_time(AFTER_SUMMIT):
        report = report_services.create_report(summit.event, organizer)
        version = report_services.publish(report, organizer)
    data = json.loads(version.data)
    data.pop("network")
    version.data = json.dumps(data, ensure_ascii=False)
    db.session.commit()
    response = client.get("/reports/cx-old")
    assert response.status_code == 200 and 'id="network"' not in response.get_data(as_text=True)


def test_people_not_at_the_tables_are_not_counted(organizer: Organizer) -> None:
    day = make_day(organizer=organizer, people=6)
    factories.make_participant(event=day.event, family_name="未着席")
    with freeze_time(AFTER_SUMMIT):
        net, _met = network.event_network(day.event, AFTER_SUMMIT)
        rounds = queries.held_rounds(day.event.id, AFTER_SUMMIT)
    assert net.people == 8 and len(rounds) == 3


def test_met_means_both_there_and_the_people_pages_and_the_network_agree(organizer: Organizer) -> None:
    """One rule everywhere: two people met when both sat at the same table of a round that took place and neither
    is marked absent (or cancelled). Someone marked absent met nobody — on their page, on everyone else's page and
    in the organiser's counts — even though their published seats of the held rounds stay as they were."""
    day = make_day(organizer=organizer, people=6)
    absent = day.people[4]
    absent.status = Status.ABSENT
    db.session.commit()
    everyone = [*day.people, *day.hosts]
    with freeze_time(AFTER_SUMMIT):
        net, met = network.event_network(day.event, AFTER_SUMMIT)
        pages = {p.id: queries.met_ids(p, AFTER_SUMMIT) for p in everyone}
    network_sets = met.sets(pages)
    assert pages[absent.id] == set() and absent.id not in network_sets
    assert all(absent.id not in others for others in pages.values())
    assert {pid: others for pid, others in pages.items() if others} == network_sets  # the same, person by person
    assert dict(met.counts()) == {pid: len(others) for pid, others in pages.items() if others}
    assert sum(len(others) for others in pages.values()) == 2 * net.pairs
    assert net.people == len(everyone) - 1


def test_the_editor_says_unpublished_changes_only_for_a_real_change_never_for_the_networks_live_counts(
    client: FlaskClient, logged_in: Organizer
) -> None:
    summit = make_summit(organizer=logged_in, slug="cx-changes", with_notes=False)
    editor = f"/manage/events/{summit.event.slug}/report"
    banner = "You have changes that readers do not see yet."
    with freeze_time(AFTER_SUMMIT):
        report = report_services.create_report(summit.event, logged_in)
        version = report_services.publish(report, logged_in)
        assert json.loads(version.data)["network"]["sharing"] == 0
        assert banner not in client.get(editor, headers={"Accept-Language": "en"}).get_data(as_text=True)
        # Days later, people share contacts: the network's counts move, the organiser has nothing to publish.
        for person in summit.people[:4]:
            services.save_card(person, services.CardData(Audience.EVERYONE, share_email=True, text="", version=0))
        db.session.commit()
        assert network.report_section(summit.event, AFTER_SUMMIT, show_names=False)["sharing"] > 0  # type: ignore[index]
        assert not report_services.has_unpublished_changes(report)
        assert banner not in client.get(editor, headers={"Accept-Language": "en"}).get_data(as_text=True)
        # The same without a stored fingerprint (versions published before fingerprints existed).
        stored = version.fingerprint
        version.fingerprint = ""
        db.session.commit()
        assert not report_services.has_unpublished_changes(report)
        # The organiser leaves the network out of the report: a real change, seen both ways.
        services.update_settings(summit.event, talk_again=False, in_report=False, actor=logged_in)
        db.session.commit()
        assert report_services.has_unpublished_changes(report)
        version.fingerprint = stored
        db.session.commit()
        assert banner in client.get(editor, headers={"Accept-Language": "en"}).get_data(as_text=True)

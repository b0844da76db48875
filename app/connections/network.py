"""The organiser's view of the network: counts and groups, never names or contacts; its pictures (SVG)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select

from app.connections import queries
from app.connections.models import PersonNote, TalkAgainMatch
from app.domain import chord
from app.domain import connections as domain
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant

# Groups drawn one by one in a picture; the rest are folded into "Other" so labels stay readable in print.
PICTURE_GROUPS = 11

ORG_TYPE_LABELS = {
    domain.OrgType.NATIONAL.value: _l("National government"),
    domain.OrgType.PREFECTURE.value: _l("Prefectural governments"),
    domain.OrgType.DESIGNATED_CITY.value: _l("Designated cities"),
    domain.OrgType.CITY.value: _l("Cities"),
    domain.OrgType.SPECIAL_WARD.value: _l("Special wards"),
    domain.OrgType.TOWN_VILLAGE.value: _l("Towns and villages"),
    domain.OrgType.OTHER.value: _l("Other organisations"),
    domain.OrgType.UNKNOWN.value: _l("Not given"),
}
OTHER = "\x00other"  # the key of the folded group: cannot collide with a real prefecture or organisation


@dataclass(frozen=True)
class Sharing:
    """How many people took part in the exchange: no names, no contacts."""

    sharing: int  # people whose contact reaches at least one person they met
    reached: int  # (owner, viewer) pairs a contact reaches
    noting: int  # people who wrote a private note on someone
    mutual: int  # mutual "talk again" pairs


def _members(event_id: int) -> list[domain.Member]:
    rows = db.session.execute(
        select(Participant.id, Participant.organization, Participant.prefecture).where(
            Participant.event_id == event_id, Participant.status.not_in(queries.NOT_THERE)
        )
    )
    return [domain.Member(pid, org or "", pref or "") for pid, org, pref in rows]


def event_network(event: Event, now: datetime) -> tuple[domain.Network, domain.Meetings]:
    """The café's network as counts, and who met whom (for the sharing counts)."""
    rounds = queries.held_rounds(event.id, now)
    present = queries.present_ids(event.id)
    by_table = domain.tables(queries.event_sittings(rounds), present)
    met = domain.Meetings(by_table, domain.met_pairs(by_table))
    return domain.network(_members(event.id), by_table, met.pairs), met


def sharing(event: Event, met: domain.Meetings) -> Sharing:
    """Counts of the exchange, computed with the same rule the personal pages use."""
    consents = queries.consents((), event_id=event.id)
    counts = met.counts()
    picked = met.sets([o for o, c in consents.items() if c.audience == domain.Audience.PICKED and o in counts])
    reached = {
        owner: domain.reach_count(consent, counts[owner], picked.get(owner, ()))
        for owner, consent in consents.items()
        if owner in counts
    }
    noting = 0
    if counts:
        noting = db.session.scalar(
            select(func.count(func.distinct(PersonNote.author_id))).where(
                PersonNote.author_id.in_(list(counts)), PersonNote.text != ""
            )
        )
    mutual = db.session.scalar(select(func.count(TalkAgainMatch.id)).where(TalkAgainMatch.event_id == event.id))
    return Sharing(
        sharing=sum(1 for n in reached.values() if n),
        reached=sum(reached.values()),
        noting=int(noting or 0),
        mutual=int(mutual or 0),
    )


def report_section(event: Event, now: datetime, *, show_names: bool) -> dict[str, Any] | None:
    """What a report version keeps of the network: counts and groups; organisations only if names are shown."""
    settings = queries.settings_for(event.id)
    if not settings.in_report:
        return None
    net, met = event_network(event, now)
    if not net.people:
        return None
    data = net.to_dict()
    if not show_names:
        data["by_organisation"] = []
    counts = sharing(event, met)
    data["sharing"] = counts.sharing
    data["mutual"] = counts.mutual if settings.talk_again else None
    return data


# ---- pictures ---------------------------------------------------------------------------------------

REGION_LABELS = {
    "hokkaido": _l("Hokkaido"),
    "tohoku": _l("Tohoku"),
    "kanto": _l("Kanto"),
    "chubu": _l("Chubu"),
    "kinki": _l("Kinki"),
    "chugoku": _l("Chugoku"),
    "shikoku": _l("Shikoku"),
    "kyushu_okinawa": _l("Kyushu and Okinawa"),
}


def _flows(rows: list[list[Any]]) -> list[domain.Flow]:
    return [domain.Flow(str(a), str(b), int(n)) for a, b, n in rows]


def _label(kind: str, key: str) -> str:
    if key == OTHER:
        return _("Other")
    if kind == "type":
        return str(ORG_TYPE_LABELS.get(key, key))
    if kind == "region":
        return str(REGION_LABELS.get(key, _("Not given")))
    return key or _("Not given")


@dataclass(frozen=True)
class Picture:
    """One chord diagram (or none, when there would be too many groups to read) and the table of the largest flows."""

    kind: str
    title: str
    svg: Markup | None
    rows: list[tuple[str, int]]  # ("東京都 × 神奈川県", 16)


def _rows(kind: str, flows: list[domain.Flow], limit: int = 8) -> list[tuple[str, int]]:
    rows = []
    for f in flows[:limit]:
        a, b = _label(kind, f.a), _label(kind, f.b)
        rows.append((_("%(group)s (among themselves)", group=a) if f.a == f.b else f"{a} × {b}", f.pairs))
    return rows


def _chord(kind: str, title: str, flows: list[domain.Flow]) -> Markup:
    folded = domain.fold_groups(flows, PICTURE_GROUPS, OTHER)
    labels = {g: _label(kind, g) for g in domain.group_totals(folded)}
    return Markup(chord.chord_svg(title, folded, labels, unit=_(" pairs")))


def pictures(data: dict[str, Any], *, draw: bool = True) -> list[Picture]:
    """The pictures of a network section (a report version's, or the organiser's live one), in the UI's language.

    Prefectures are drawn one by one when there are few; beyond that, grouped into the eight regions, so
    the picture stays readable in print (the table still names the prefectures). Organisations get a table only.
    `draw=False`: the titles and tables only (the Markdown export), no SVG.
    """
    found = []
    by_pref = _flows(data.get("by_prefecture") or [])
    if by_pref:
        if len(domain.group_totals(by_pref)) <= PICTURE_GROUPS + 1:
            title = _("Which prefectures met")
            svg = _chord("prefecture", title, by_pref) if draw else None
        else:
            title = _("Which regions met")
            svg = _chord("region", title, domain.regroup(by_pref, domain.region_of)) if draw else None
        found.append(Picture("prefecture", title, svg, _rows("prefecture", by_pref)))
    by_type = _flows(data.get("by_type") or [])
    if by_type:
        title = _("Which kinds of organisation met")
        found.append(Picture("type", title, _chord("type", title, by_type) if draw else None, _rows("type", by_type)))
    by_org = _flows(data.get("by_organisation") or [])
    if by_org:
        found.append(
            Picture("organisation", _("Which organisations met most"), None, _rows("organisation", by_org, 10))
        )
    return found


def live_section(event: Event, now: datetime) -> tuple[dict[str, Any], Sharing]:
    """The organiser's statistics: the network (organisations included: organisers know who came) and counts."""
    net, met = event_network(event, now)
    return net.to_dict(), sharing(event, met)

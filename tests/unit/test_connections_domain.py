"""Unit tests of app/domain/connections.py: who met whom, the consent rule, organisation types, the network."""

from __future__ import annotations

import pytest

from app.domain import connections as c
from app.domain.connections import Audience, Consent, Sitting

# Round 1: table A = 1, 2, 3; table B = 4, 5 (5 hosts B). Round 2: A = 1, 4; B = 2, 5, 6.
SITTINGS = [
    Sitting(1, "A", 1), Sitting(1, "A", 2), Sitting(1, "A", 3),
    Sitting(1, "B", 4), Sitting(1, "B", 5),
    Sitting(2, "A", 1), Sitting(2, "A", 4),
    Sitting(2, "B", 2), Sitting(2, "B", 5), Sitting(2, "B", 6),
]  # fmt: skip


def test_people_met_are_everyone_at_any_of_their_tables_and_never_themselves() -> None:
    by_table = c.tables(SITTINGS)
    assert c.met_by(1, by_table) == {2, 3, 4}
    assert c.met_by(5, by_table) == {4, 2, 6}
    assert c.met_by(6, by_table) == {2, 5}
    assert c.met_by(99, by_table) == set()
    assert c.tables_of(2, by_table) == [(1, "A"), (2, "B")]


def test_meeting_is_symmetric_and_pairs_are_counted_once() -> None:
    by_table = c.tables(SITTINGS)
    pairs = c.met_pairs(by_table)
    for a, b in pairs:
        assert a < b
        assert b in c.met_by(a, by_table) and a in c.met_by(b, by_table)
    # 3 pairs at 1A, 1 at 1B, 1 at 2A, 3 at 2B
    assert len(pairs) == 8


def test_people_who_were_not_there_meet_nobody_and_nobody_meets_them() -> None:
    by_table = c.tables(SITTINGS, present={1, 2, 4, 5, 6})  # 3 cancelled or absent
    assert 3 not in c.met_by(1, by_table)
    assert c.met_by(3, by_table) == set()


@pytest.mark.parametrize(
    ("consent", "viewer", "met", "visible"),
    [
        (None, 2, True, False),  # nothing shared by default
        (Consent(), 2, True, False),
        (Consent(Audience.EVERYONE, share_email=True), 2, True, True),
        (Consent(Audience.EVERYONE, share_email=True), 2, False, False),  # never to someone not met
        (Consent(Audience.EVERYONE, share_email=False, text="  "), 2, True, False),  # nothing to share
        (Consent(Audience.EVERYONE, text="内線 1234"), 2, True, True),
        (Consent(Audience.PICKED, share_email=True, picked=frozenset({2})), 2, True, True),
        (Consent(Audience.PICKED, share_email=True, picked=frozenset({2})), 3, True, False),
        (Consent(Audience.PICKED, share_email=True, picked=frozenset({2})), 2, False, False),
        (Consent(Audience.NOBODY, share_email=True, picked=frozenset({2})), 2, True, False),  # withdrawn
    ],
)
def test_the_one_consent_rule(consent: Consent | None, viewer: int, met: bool, visible: bool) -> None:
    assert c.may_see_contact(consent, viewer, met) is visible


def test_reach_counts_the_people_met_who_can_see_the_contact() -> None:
    assert c.reach(Consent(Audience.EVERYONE, share_email=True), {2, 3, 4}) == 3
    assert c.reach(Consent(Audience.PICKED, share_email=True, picked=frozenset({2, 9})), {2, 3}) == 1
    assert c.reach(None, {2, 3}) == 0


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("email,text", [(True, ""), (False, "内線 1234"), (False, "  "), (False, "")])
def test_reach_is_the_one_rule_counted_for_everyone_met(audience: Audience, email: bool, text: str) -> None:
    consent = Consent(audience, share_email=email, text=text, picked=frozenset({2, 5, 9}))
    met = {2, 3, 4, 5}
    assert c.reach(consent, met) == sum(c.may_see_contact(consent, other, True) for other in met)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("神戸市", c.OrgType.DESIGNATED_CITY),
        ("兵庫県神戸市", c.OrgType.DESIGNATED_CITY),
        ("神戸市役所", c.OrgType.DESIGNATED_CITY),
        ("さいたま市", c.OrgType.DESIGNATED_CITY),
        ("岩出市", c.OrgType.CITY),
        ("和歌山県岩出市", c.OrgType.CITY),
        ("石川県", c.OrgType.PREFECTURE),
        ("石川県庁", c.OrgType.PREFECTURE),
        ("東京都", c.OrgType.PREFECTURE),
        ("総務省", c.OrgType.NATIONAL),
        ("デジタル庁", c.OrgType.NATIONAL),
        ("内閣官房", c.OrgType.NATIONAL),
        ("品川区", c.OrgType.SPECIAL_WARD),
        ("東京都渋谷区", c.OrgType.SPECIAL_WARD),
        ("那珂川町", c.OrgType.TOWN_VILLAGE),
        ("檜原村", c.OrgType.TOWN_VILLAGE),
        ("株式会社ホープ", c.OrgType.OTHER),
        ("サイボウズ", c.OrgType.OTHER),
        ("神戸大学", c.OrgType.OTHER),
        ("  ", c.OrgType.UNKNOWN),
        ("", c.OrgType.UNKNOWN),
    ],
)
def test_organisation_types_are_read_from_japanese_names(name: str, kind: c.OrgType) -> None:
    assert c.organisation_type(name) == kind


def test_organisation_names_compare_without_spaces_or_width_differences() -> None:
    assert c.normalise_organisation("神戸市 ") == c.normalise_organisation("神戸市")
    assert c.normalise_organisation("ＪＩＰＤＥＣ") == "JIPDEC"


def _members() -> list[c.Member]:
    return [
        c.Member(1, "神戸市", "兵庫県"),
        c.Member(2, "神戸市 ", "兵庫県"),  # the same organisation, typed with a space
        c.Member(3, "岩出市", "和歌山県"),
        c.Member(4, "総務省", "東京都"),
        c.Member(5, "石川県", "石川県"),
        c.Member(6, "", ""),  # organisation not given: never counted as crossing one
    ]


def test_network_counts_only_pairs_across_organisations() -> None:
    net = c.network(_members(), c.tables(SITTINGS))
    # Pairs: 1-2 (same org), 1-3, 2-3, 4-5, 1-4, 2-5, 2-6, 5-6 → cross with known orgs: 1-3, 2-3, 4-5, 1-4, 2-5
    assert net.pairs == 8
    assert net.cross_pairs == 5
    assert net.people == 6
    assert net.organisations == 4
    assert net.avg_cross_people == round(10 / 6, 1)
    by_pref = {(f.a, f.b): f.pairs for f in net.by_prefecture}
    assert by_pref == {
        ("兵庫県", "和歌山県"): 2,
        ("兵庫県", "東京都"): 1,
        ("東京都", "石川県"): 1,
        ("兵庫県", "石川県"): 1,
    }
    assert net.prefectures_linked == 4
    by_type = {(f.a, f.b): f.pairs for f in net.by_type}
    assert by_type[("city", "designated_city")] == 2
    assert by_type[("national", "prefecture")] == 1
    assert sum(f.pairs for f in net.by_organisation) == net.cross_pairs
    # Busiest first, so pictures and tables lead with what matters.
    assert net.by_prefecture[0].pairs == 2


def test_network_to_dict_is_plain_json_and_carries_no_ids() -> None:
    data = c.network(_members(), c.tables(SITTINGS)).to_dict()
    assert data["by_prefecture"][0] == ["兵庫県", "和歌山県", 2]
    assert set(data) == {
        "people", "pairs", "cross_pairs", "avg_cross_people", "organisations", "prefectures_linked",
        "by_prefecture", "by_type", "by_organisation",
    }  # fmt: skip


def test_fold_groups_keeps_the_busiest_and_sums_the_rest_without_losing_pairs() -> None:
    flows = [c.Flow("a", "b", 10), c.Flow("a", "c", 5), c.Flow("c", "d", 2), c.Flow("d", "e", 1), c.Flow("e", "e", 1)]
    folded = c.fold_groups(flows, keep=2, other="other")
    assert sum(f.pairs for f in folded) == 19
    groups = set(c.group_totals(folded))
    assert groups == {"a", "b", "other"} or groups == {"a", "c", "other"}
    # Folding one group into "other" would only rename it: then nothing is folded.
    assert c.fold_groups(flows[:2], keep=2, other="other") == c.fold_groups(flows[:2], keep=5, other="other")


def test_every_prefecture_has_exactly_one_region() -> None:
    assert sorted(p for prefs in c.REGIONS.values() for p in prefs) == sorted(c.PREFECTURES)
    assert c.region_of("東京都") == "kanto" and c.region_of("沖縄県") == "kyushu_okinawa"
    assert c.region_of("大阪") == "kinki" and c.region_of(" 北海道 ") == "hokkaido"
    assert c.region_of("") == "" and c.region_of("Bavaria") == ""


def test_regroup_sums_connections_into_regions_and_keeps_every_pair() -> None:
    flows = [c.Flow("東京都", "神奈川県", 5), c.Flow("大阪府", "東京都", 3), c.Flow("兵庫県", "大阪府", 2)]
    regions = {(f.a, f.b): f.pairs for f in c.regroup(flows, c.region_of)}
    assert regions == {("kanto", "kanto"): 5, ("kanto", "kinki"): 3, ("kinki", "kinki"): 2}


def _network_by_pairs(members: list[c.Member], by_table: dict) -> c.Network:  # type: ignore[type-arg]
    """The network counted pair by pair, the plain way: what the counting by kinds of person must equal."""
    from collections import Counter

    people = {m.id: m for m in members}
    seated = {p for group in by_table.values() for p in group if p in people}
    known = {p: c.normalise_organisation(people[p].organisation) for p in seated}
    pairs = {p for p in c.met_pairs(by_table) if p[0] in people and p[1] in people}
    cross = [(a, b) for a, b in pairs if known[a] and known[b] and known[a] != known[b]]
    per_person: Counter[int] = Counter()
    by_pref: Counter[tuple[str, str]] = Counter()
    by_type: Counter[tuple[str, str]] = Counter()
    by_org: Counter[tuple[str, str]] = Counter()
    for a, b in cross:
        per_person[a] += 1
        per_person[b] += 1
        pa, pb = people[a], people[b]
        by_pref[tuple(sorted((pa.prefecture, pb.prefecture)))] += 1  # type: ignore[index]
        kinds = sorted((c.organisation_type(pa.organisation).value, c.organisation_type(pb.organisation).value))
        by_type[tuple(kinds)] += 1  # type: ignore[index]
        by_org[tuple(sorted((pa.organisation.strip(), pb.organisation.strip())))] += 1  # type: ignore[index]
    flows = lambda counter: [c.Flow(a, b, n) for (a, b), n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]  # noqa: E731
    return c.Network(
        people=len(seated),
        pairs=len(pairs),
        cross_pairs=len(cross),
        avg_cross_people=round(sum(per_person[p] for p in seated) / len(seated), 1) if seated else 0.0,
        organisations=len({o for o in known.values() if o}),
        prefectures_linked=len({k for k in by_pref if k[0] != k[1] and k[0] and k[1]}),
        by_prefecture=flows(by_pref),
        by_type=flows(by_type),
        by_organisation=flows(by_org),
    )


@pytest.mark.parametrize("seed", range(8))
def test_the_network_counted_by_kinds_of_person_equals_counting_pair_by_pair(seed: int) -> None:
    import random

    rng = random.Random(seed)
    orgs = ["神戸市", "神戸市役所", " 神戸市", "長野県", "総務省", "株式会社つなぐ", "", "ＮＰＯ法人まち", "小布施町"]
    prefs = ["兵庫県", "長野県", "東京都", ""]
    members = [c.Member(i, rng.choice(orgs), rng.choice(prefs)) for i in range(60)]
    sittings = [c.Sitting(r, rng.randrange(8), p) for r in range(4) for p in range(70)]  # 60–69 are not members
    by_table = c.tables(sittings)
    assert c.network(members, by_table) == _network_by_pairs(members, by_table)
    only_members = c.tables(sittings, present={m.id for m in members})
    assert c.network(members, only_members) == _network_by_pairs(members, only_members)

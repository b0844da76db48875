"""Who met whom at a world café, who may see whose contact, and the network the café made (pure)."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import chain, combinations
from typing import NamedTuple

from app.domain.participant_import.vocabulary import PREFECTURES

# ---- who met whom -------------------------------------------------------------------------------


class Sitting(NamedTuple):
    """One person at one table: a published seat of a round that took place, or the table's host.

    A named tuple, not a dataclass: an event of 2,000 people has some 10,000 of them per organiser page.
    """

    round_key: Hashable
    room_key: Hashable
    person: int


def tables(
    sittings: Iterable[Sitting], present: Collection[int] | None = None
) -> dict[tuple[Hashable, Hashable], set[int]]:
    """(round, room) → the people at that table; people outside `present` (when given) never sat anywhere."""
    found: dict[tuple[Hashable, Hashable], set[int]] = defaultdict(set)
    for s in sittings:
        if present is None or s.person in present:
            found[(s.round_key, s.room_key)].add(s.person)
    return dict(found)


def tables_of(person: int, by_table: Mapping[tuple[Hashable, Hashable], set[int]]) -> list[tuple[Hashable, Hashable]]:
    """The tables `person` sat at."""
    return [key for key, members in by_table.items() if person in members]


def met_by(person: int, by_table: Mapping[tuple[Hashable, Hashable], set[int]]) -> set[int]:
    """Everyone who shared at least one table with `person` (never the person themself)."""
    others: set[int] = set()
    for members in by_table.values():
        if person in members:
            others |= members
    others.discard(person)
    return others


@dataclass(frozen=True)
class Meetings:
    """Who met whom at an event: its tables and the pairs who met (people's own sets only when asked for)."""

    by_table: Mapping[tuple[Hashable, Hashable], set[int]]
    pairs: set[tuple[int, int]]

    def counts(self) -> Counter[int]:
        """How many people each person met."""
        return Counter(chain.from_iterable(self.pairs))

    def sets(self, people: Collection[int]) -> dict[int, set[int]]:
        """person → everyone they met, for the given people (one pass over the tables)."""
        wanted = set(people)
        found: dict[int, set[int]] = {p: set() for p in wanted}
        for members in self.by_table.values():
            for person in members & wanted:
                found[person] |= members
        for person, others in found.items():
            others.discard(person)
        return {p: others for p, others in found.items() if others}


def met_pairs(by_table: Mapping[tuple[Hashable, Hashable], set[int]]) -> set[tuple[int, int]]:
    """Every pair (low id, high id) that shared at least one table."""
    pairs: set[tuple[int, int]] = set()
    for members in by_table.values():
        pairs.update(combinations(sorted(members), 2))
    return pairs


# ---- consent --------------------------------------------------------------------------------------


class Audience(StrEnum):
    """Whom a person shares their contact with. Nothing is shared until they choose."""

    NOBODY = "nobody"
    EVERYONE = "everyone"  # everyone they met
    PICKED = "picked"  # only the people they picked (among those they met)


@dataclass(frozen=True)
class Consent:
    """What one person shares, and with whom."""

    audience: Audience = Audience.NOBODY
    share_email: bool = False
    text: str = ""
    picked: frozenset[int] = frozenset()

    @property
    def shares_something(self) -> bool:
        return self.audience != Audience.NOBODY and (self.share_email or bool(self.text.strip()))


def may_see_contact(consent: Consent | None, viewer: int, met: bool) -> bool:
    """The one rule: a contact shows only to someone who met its owner, while the owner's consent covers them."""
    if consent is None or not met or not consent.shares_something:
        return False
    if consent.audience == Audience.EVERYONE:
        return True
    return consent.audience == Audience.PICKED and viewer in consent.picked


def reach(consent: Consent | None, met: Collection[int]) -> int:
    """How many of the people met can see the contact (may_see_contact for each of them, counted at once)."""
    return reach_count(consent, len(met), met)


def reach_count(consent: Consent | None, met_count: int, met: Collection[int] = ()) -> int:
    """reach() when the number of people met is known: the people themselves are needed for picked audiences only."""
    if consent is None or not consent.shares_something:
        return 0
    if consent.audience == Audience.EVERYONE:
        return met_count
    if consent.audience == Audience.PICKED:
        return len(consent.picked.intersection(met))
    return 0


# ---- organisation types ---------------------------------------------------------------------------


class OrgType(StrEnum):
    """The kind of public body an organisation is, read from its Japanese name."""

    NATIONAL = "national"
    PREFECTURE = "prefecture"
    DESIGNATED_CITY = "designated_city"
    CITY = "city"
    SPECIAL_WARD = "special_ward"
    TOWN_VILLAGE = "town_village"
    OTHER = "other"
    UNKNOWN = "unknown"


# The twenty cities designated by government ordinance (政令指定都市), as of 2024.
DESIGNATED_CITIES = (
    "札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市", "新潟市", "静岡市", "浜松市",
    "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市", "広島市", "北九州市", "福岡市", "熊本市",
)  # fmt: skip

TOKYO_WARDS = (
    "千代田区", "中央区", "港区", "新宿区", "文京区", "台東区", "墨田区", "江東区", "品川区", "目黒区",
    "大田区", "世田谷区", "渋谷区", "中野区", "杉並区", "豊島区", "北区", "荒川区", "板橋区", "練馬区",
    "足立区", "葛飾区", "江戸川区",
)  # fmt: skip

_NATIONAL_SUFFIXES = ("省", "庁", "内閣府", "内閣官房", "委員会事務局", "人事院", "会計検査院")
_PRIVATE_MARKS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "(株)",
    "（株）",
    "大学",
    "法人",
    "協会",
    "財団",
    "NPO",
    "Inc",
    "Ltd",
)


def normalise_organisation(name: str) -> str:
    """The organisation's name as compared: NFKC (full-width letters, half-width kana), no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@lru_cache(maxsize=4096)
def organisation_type(name: str) -> OrgType:
    """Read the kind of body from a Japanese organisation name ("神戸市" → designated city)."""
    org = normalise_organisation(name)
    if not org:
        return OrgType.UNKNOWN
    if any(mark.lower() in org.lower() for mark in _PRIVATE_MARKS):
        return OrgType.OTHER
    if org in PREFECTURES or org.removesuffix("庁") in PREFECTURES or org.endswith(("県庁", "都庁", "府庁", "道庁")):
        return OrgType.PREFECTURE
    if org.endswith(_NATIONAL_SUFFIXES) or org.startswith(("国土交通省", "総務省", "内閣")):
        return OrgType.NATIONAL
    # "兵庫県神戸市" and "神戸市役所" name the same city.
    city = org.removesuffix("役所").removesuffix("役場")
    for prefecture in PREFECTURES:
        if city.startswith(prefecture) and len(city) > len(prefecture):
            city = city[len(prefecture) :]
            break
    if city in DESIGNATED_CITIES:
        return OrgType.DESIGNATED_CITY
    if city in TOKYO_WARDS or (city.endswith("区") and city.removeprefix("東京都") in TOKYO_WARDS):
        return OrgType.SPECIAL_WARD
    if city.endswith("市"):
        return OrgType.CITY
    if city.endswith(("町", "村")):
        return OrgType.TOWN_VILLAGE
    return OrgType.OTHER


# ---- the network, for organisers -----------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A person as the network sees them: no name, only where they come from."""

    id: int
    organisation: str
    prefecture: str


@dataclass(frozen=True)
class Flow:
    """How many cross-organisation pairs linked group `a` and group `b` (a ≤ b; a == b: within one group)."""

    a: str
    b: str
    pairs: int


@dataclass(frozen=True)
class Network:
    """The café's connections in numbers: never a name, only counts and groups."""

    people: int  # people who sat at a table of a round that took place
    pairs: int  # pairs who shared a table
    cross_pairs: int  # of which from different organisations
    avg_cross_people: float  # new people from other organisations per person
    organisations: int
    prefectures_linked: int  # distinct prefecture pairs (other than within one prefecture) that met
    by_prefecture: list[Flow] = field(default_factory=list)
    by_type: list[Flow] = field(default_factory=list)
    by_organisation: list[Flow] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (for a report version)."""
        flows = ("by_prefecture", "by_type", "by_organisation")
        data: dict[str, object] = {k: v for k, v in self.__dict__.items() if k not in flows}
        for key in flows:
            data[key] = [[f.a, f.b, f.pairs] for f in getattr(self, key)]
        return data


def _flows(counter: Counter[tuple[str, str]]) -> list[Flow]:
    return [Flow(a, b, n) for (a, b), n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def network(
    members: Iterable[Member],
    by_table: Mapping[tuple[Hashable, Hashable], set[int]],
    pairs_met: set[tuple[int, int]] | None = None,
) -> Network:
    """Aggregate who met whom into counts by prefecture, organisation type and organisation.

    Only pairs from different organisations count as connections: the café exists to cross those walls.
    People without an organisation are never counted as crossing one. `pairs_met`: met_pairs(by_table), when
    the caller has it already.

    At 2,000 people there are some 30,000 pairs but only a few hundred kinds of person (organisation,
    prefecture): the pairs are counted by kind first (one pass), and the groups are summed from those counts.
    """
    people = {m.id: m for m in members}
    at_tables = {p for group in by_table.values() for p in group}
    seated = at_tables & people.keys()
    pairs_met = met_pairs(by_table) if pairs_met is None else pairs_met
    # When everyone at the tables is a member, no pair is left out.
    everyone = len(seated) == len(at_tables)
    pairs = pairs_met if everyone else {p for p in pairs_met if p[0] in people and p[1] in people}
    kinds: list[tuple[str, str, str, str]] = []  # (organisation as compared, prefecture, type, organisation as given)
    kind_index: dict[tuple[str, str, str, str], int] = {}
    kind_of: dict[int, int] = {}
    for pid in seated:
        m = people[pid]
        key = (
            normalise_organisation(m.organisation),
            m.prefecture or "",
            organisation_type(m.organisation).value,
            m.organisation.strip(),
        )
        index = kind_index.get(key)
        if index is None:
            index = kind_index[key] = len(kinds)
            kinds.append(key)
        kind_of[pid] = index
    by_kinds = Counter((kind_of[a], kind_of[b]) for a, b in pairs)
    cross = 0
    by_pref: Counter[tuple[str, str]] = Counter()
    by_type: Counter[tuple[str, str]] = Counter()
    by_org: Counter[tuple[str, str]] = Counter()
    for (ka, kb), n in by_kinds.items():
        a, b = kinds[ka], kinds[kb]
        if not a[0] or not b[0] or a[0] == b[0]:
            continue
        cross += n
        by_pref[_ordered(a[1], b[1])] += n
        by_type[_ordered(a[2], b[2])] += n
        by_org[_ordered(a[3], b[3])] += n
    # Each cross pair is two people's new acquaintance from another organisation.
    average = round(2 * cross / len(seated), 1) if seated else 0.0
    linked = {key for key in by_pref if key[0] != key[1] and key[0] and key[1]}
    return Network(
        people=len(seated),
        pairs=len(pairs),
        cross_pairs=cross,
        avg_cross_people=average,
        organisations=len({k[0] for k in kinds if k[0]}),
        prefectures_linked=len(linked),
        by_prefecture=_flows(by_pref),
        by_type=_flows(by_type),
        by_organisation=_flows(by_org),
    )


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def group_totals(flows: Iterable[Flow]) -> Counter[str]:
    """How many connections each group takes part in (a pair inside one group counts for it twice)."""
    totals: Counter[str] = Counter()
    for f in flows:
        totals[f.a] += f.pairs
        totals[f.b] += f.pairs
    return totals


REGIONS: dict[str, tuple[str, ...]] = {
    "hokkaido": ("北海道",),
    "tohoku": ("青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県"),
    "kanto": ("茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県"),
    "chubu": ("新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県"),
    "kinki": ("三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県"),
    "chugoku": ("鳥取県", "島根県", "岡山県", "広島県", "山口県"),
    "shikoku": ("徳島県", "香川県", "愛媛県", "高知県"),
    "kyushu_okinawa": ("福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"),
}
_REGION_OF = {pref: region for region, prefs in REGIONS.items() for pref in prefs}


def region_of(prefecture: str) -> str:
    """The region (地方) of a prefecture: "kanto" for 東京都; "" when the prefecture is not one of the 47."""
    name = normalise_organisation(prefecture)
    if name in _REGION_OF:
        return _REGION_OF[name]
    # "東京" or "大阪" without their suffix.
    return next(
        (r for pref, r in _REGION_OF.items() if name and pref.startswith(name) and len(pref) - len(name) == 1), ""
    )


def regroup(flows: Iterable[Flow], group_of: Callable[[str], str]) -> list[Flow]:
    """The same connections between coarser groups (prefectures → regions), pairs summed."""
    merged: Counter[tuple[str, str]] = Counter()
    for f in flows:
        merged[_ordered(group_of(f.a), group_of(f.b))] += f.pairs
    return _flows(merged)


def fold_groups(flows: Iterable[Flow], keep: int, other: str) -> list[Flow]:
    """Keep the `keep` busiest groups and fold the rest into `other`, so a picture stays readable."""
    flows = list(flows)
    ranked = [g for g, _n in sorted(group_totals(flows).items(), key=lambda kv: (-kv[1], kv[0]))]
    kept = set(ranked[:keep]) if len(ranked) > keep + 1 else set(ranked)
    folded: Counter[tuple[str, str]] = Counter()
    for f in flows:
        a = f.a if f.a in kept else other
        b = f.b if f.b in kept else other
        folded[_ordered(a, b)] += f.pairs
    return _flows(folded)

"""Reading plans: changes between two plans, movers between rounds, paths."""

from app.domain.seating import Change, Move, changes, moves, moves_by_target, paths, room_of, size_warnings

R1 = {"A": ("h1", "p1", "p2"), "B": ("h2", "p3", "p4")}
R2 = {"A": ("h1", "p3"), "B": ("h2", "p1", "p4", "p5")}


def test_room_of_maps_people_to_rooms() -> None:
    assert room_of(R1) == {"h1": "A", "p1": "A", "p2": "A", "h2": "B", "p3": "B", "p4": "B"}
    assert room_of(None) == {}


def test_changes_lists_only_differing_seats_from_the_first_round() -> None:
    before = [R1, R1]
    after = [R2, R2]
    assert changes(before, after, first_round=2) == [
        Change("p1", 2, "A", "B"),
        Change("p2", 2, "A", None),
        Change("p3", 2, "B", "A"),
        Change("p5", 2, None, "B"),
    ]
    assert changes([R1], [R1]) == []
    # A round missing on one side counts as nobody seated.
    assert len(changes([R1], [R1, R2])) == 6


def test_moves_leave_out_people_who_stay_and_group_by_target() -> None:
    found = moves(R1, R2)
    assert Move("h1", "A", "A") not in found
    assert found == [Move("p3", "B", "A"), Move("p1", "A", "B"), Move("p5", None, "B"), Move("p2", "A", None)]
    grouped = moves_by_target(R1, R2)
    assert list(grouped) == ["A", "B", None]
    assert [m.person for m in grouped["B"]] == ["p1", "p5"]


def test_paths_follow_each_person_through_the_rounds() -> None:
    result = paths([R1, None, R2])
    assert result["p1"] == ["A", None, "B"]
    assert result["p5"] == [None, None, "B"]


def test_size_warnings_name_rooms_outside_the_range() -> None:
    assert size_warnings(R2, 3, 3) == [("A", 2), ("B", 4)]
    assert size_warnings({"A": ()}, 3, 4) == []


def test_rooms_are_shared_among_co_hosts_in_even_runs() -> None:
    from app.domain.seating import split_evenly

    runs = split_evenly(400, 8)
    assert [(r.start + 1, r.stop) for r in runs][:2] == [(1, 50), (51, 100)]
    assert [len(r) for r in split_evenly(10, 3)] == [4, 3, 3]
    assert [i for r in split_evenly(397, 7) for i in r] == list(range(397))  # every room once, in order
    assert split_evenly(3, 5) == [range(0, 1), range(1, 2), range(2, 3)]  # never an empty run
    assert split_evenly(0, 4) == []
    assert split_evenly(5, 0) == [range(0, 5)]

"""How many rooms a round opens and how big they are: balanced sizes within the allowed range."""

from __future__ import annotations

from .model import InfeasibleError

# Five people is the size facilitators ask for: everyone speaks, nobody hides.
PREFERRED_SIZE = 5


def room_count_for(attendance: int, size_min: int, size_max: int) -> int:
    """Suggest how many rooms to open for `attendance` people: sizes near 5 within [size_min, size_max]."""
    if attendance <= 0:
        return 0
    low = -(-attendance // size_max)
    high = attendance // size_min
    if low > high:
        raise InfeasibleError(f"{attendance} people cannot be split into rooms of {size_min} to {size_max} people")
    target = min(max(PREFERRED_SIZE, size_min), size_max)
    # Closest average size to the target; on a tie the smaller rooms, so more people get to talk.
    return min(range(low, high + 1), key=lambda k: (abs(attendance / k - target), -k))


def open_room_count(attending: int, hosted: int, rooms: int, size_min: int, size_max: int, round_no: int) -> int:
    """Rooms a round opens: as many as can be filled, since smaller rooms mean fewer repeat meetings."""
    if attending == 0:
        return 0
    if attending < size_min:
        raise InfeasibleError(
            f"round {round_no}: only {attending} people attend, fewer than the minimum room size {size_min}"
        )
    if attending > rooms * size_max:
        raise InfeasibleError(
            f"round {round_no}: {attending} people attend but {rooms} rooms of at most {size_max} "
            f"hold only {rooms * size_max}"
        )
    high = min(rooms, attending // size_min)
    if -(-attending // size_max) > high:
        raise InfeasibleError(
            f"round {round_no}: {attending} people cannot be split into rooms of {size_min} to {size_max}"
        )
    if hosted > high:
        raise InfeasibleError(
            f"round {round_no}: {hosted} hosts are present, but {attending} people can fill only "
            f"{high} rooms of at least {size_min}"
        )
    return high


def balanced_sizes(attending: int, rooms: int) -> list[int]:
    """Sizes of `rooms` open rooms holding `attending` people, differing by at most one, larger first."""
    if rooms == 0:
        return []
    base, extra = divmod(attending, rooms)
    return [base + 1] * extra + [base] * (rooms - extra)

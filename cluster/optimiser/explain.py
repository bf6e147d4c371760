"""Reasons a host can read aloud, for the need-per-pound split.

The words rest on one idea, the **cut-off**: the need per £1,000 of the last pounds the pot paid
for. When a part-funded request is taking the last of the pot, the cut-off is its need per £1,000
(the marginal value of the pot); when every funded request is funded in full or at its minimum, it
is the lowest need per £1,000 among requests the pot paid for.

What each kind of request is told:

* funded in full: its need per £1,000 against the cut-off (or that a floor lifted it);
* part-funded: what stopped it (the pot, its school's cap, or a floor it was lifted to meet), the
  amount, and roughly how much more in the pot or under the cap would fund it in full;
* not funded: what it would take. For a request below the cut-off, a need score that brings its
  need per £1,000 up to the cut-off (need above cut-off x ask), an ask that does the same (ask
  below need / cut-off), or the pot those with more need per pound would take first plus its own
  minimum. For a request above the cut-off that did not fit, the need it would have to outweigh
  (the least need given up to free room for its minimum, taking money from the lowest need per
  pound first), or an ask that fits in what was left. These are estimates ("about") because
  minimums and all-or-nothing asks make the true thresholds jump;
* locked: the host's figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cluster.optimiser.canonical import Canonical
from cluster.optimiser.inputs import RequestInput
from cluster.optimiser.results import Outcome, outcome_of
from cluster.optimiser.rounding import tie_groups
from cluster.optimiser.wording import about_pounds, need_number, per_thousand, percent, pounds

_SAME = 1e-9
NO_NEED = "Not funded: its need score is 0, so funding it would meet no need."


@dataclass(frozen=True)
class Facts:
    """What the explanations draw on, worked out once for the whole round."""

    c: Canonical
    awards: np.ndarray
    ratio: np.ndarray
    pot_left: int
    school_total: np.ndarray
    cut_off: float | None
    at_floor: frozenset[str]
    ties: Mapping[int, int]
    higher_unmet: np.ndarray
    displace: Displacement

    def cap_left(self, j: int) -> float:
        room = self.c.cap_room.get(self.c.school_of(j))
        return math.inf if room is None else room - int(self.school_total[self.c.school_index[j]])

    def lifted(self, j: int) -> bool:
        """Funded only because its school's floor needed the money (the floor is met exactly)."""
        below = self.cut_off is not None and self.ratio[j] < self.cut_off * (1 - _SAME)
        return self.c.school_of(j) in self.at_floor and below


@dataclass(frozen=True)
class Displacement:
    """Need given up to free pounds, taking from the lowest need per pound first.

    Pieces in order: for each funded request (lowest need/£ first, later reference first), the
    pounds above its minimum (given up pound by pound), then its minimum (all or nothing).
    """

    freed_end: np.ndarray
    cost_end: np.ndarray
    length: np.ndarray
    rate: np.ndarray
    whole: np.ndarray

    def need_lost(self, pounds_needed: float) -> float:
        if pounds_needed <= 0:
            return 0.0
        k = int(np.searchsorted(self.freed_end, pounds_needed - 1e-9))
        if k >= len(self.freed_end):
            return math.inf
        if self.whole[k]:
            return float(self.cost_end[k])
        start = self.freed_end[k] - self.length[k]
        return float(self.cost_end[k] - self.length[k] * self.rate[k]
                     + self.rate[k] * (pounds_needed - start))


def displacement(c: Canonical, awards: np.ndarray, members: np.ndarray) -> Displacement:
    members = members[awards[members] > 0]
    ratio = c.need[members] / c.amount[members]
    order = members[np.lexsort((-members, ratio))]
    above = (awards[order] - c.minimum[order]).astype(float)
    base = np.minimum(c.minimum[order], awards[order]).astype(float)
    length = np.column_stack([above, base]).ravel()
    rate = np.repeat(c.need[order] / c.amount[order], 2)
    whole = np.tile([False, True], len(order))
    keep = length > 0
    length, rate, whole = length[keep], rate[keep], whole[keep]
    return Displacement(np.cumsum(length), np.cumsum(length * rate), length, rate, whole)


def _higher_unmet(c: Canonical, awards: np.ndarray, school_total: np.ndarray) -> np.ndarray:
    """Per request: unmet asks of requests with more need per pound that more pot could reach."""
    ratio = c.need / c.amount
    unmet = (c.amount - awards).astype(float)
    for sid, room in c.cap_room.items():
        k = c.schools.index(sid)
        if room - school_total[k] < 1:
            unmet[c.school_index == k] = 0.0
    unmet[c.need <= 0] = 0.0
    order = np.argsort(ratio, kind="stable")
    suffix = np.concatenate([np.cumsum(unmet[order][::-1])[::-1], [0.0]])
    position = np.searchsorted(ratio[order], ratio * (1 + _SAME), side="right")
    return suffix[position]


def _ties(c: Canonical, awards: np.ndarray) -> dict[int, int]:
    """For a request that got less than an equal one, the earlier reference that was preferred."""
    preferred: dict[int, int] = {}
    share = awards / np.maximum(c.amount, 1)
    for group in tie_groups(c, awards):
        for pos, j in enumerate(group):
            for i in group[:pos]:
                if share[i] > share[j]:
                    preferred[j] = i
                    break
    return preferred


def _at_floor(c: Canonical, school_total: np.ndarray) -> frozenset[str]:
    """Schools whose floor the split meets exactly: the floor, not need, set their money."""
    return frozenset(sid for sid, room in c.floor_room.items()
                     if school_total[c.schools.index(sid)] <= room)


def _cap_room(c: Canonical, school_total: np.ndarray) -> np.ndarray:
    room = np.full(len(c.schools), np.inf)
    for sid, cap in c.cap_room.items():
        k = c.schools.index(sid)
        room[k] = cap - school_total[k]
    return room


def cut_off(c: Canonical, awards: np.ndarray, marginal: float | None,
            at_floor: frozenset[str], cap_room: np.ndarray) -> float | None:
    """None when no request was held back by the pot (everything else was full or capped)."""
    short = (awards < c.amount) & (c.need > 0) & (cap_room[c.school_index] >= 1)
    if not short.any():
        return None
    if marginal is not None and marginal > 0:
        return marginal
    bought = (awards > 0) & np.array([c.school_of(j) not in at_floor for j in range(c.size)],
                                     dtype=bool)
    if not bought.any():
        return None
    return float((c.need[bought] / c.amount[bought]).min())


def gather(c: Canonical, awards: np.ndarray, marginal: float | None) -> Facts:
    school_total = np.bincount(
        c.school_index, weights=awards.astype(float), minlength=len(c.schools)
    ).astype(np.int64)
    at_floor = _at_floor(c, school_total)
    free_money = np.array([c.school_of(j) not in at_floor for j in range(c.size)], dtype=bool)
    return Facts(
        c=c,
        awards=awards,
        ratio=c.need / c.amount,
        pot_left=int(c.pot_room - awards.sum()),
        school_total=school_total,
        cut_off=cut_off(c, awards, marginal, at_floor, _cap_room(c, school_total)),
        at_floor=at_floor,
        ties=_ties(c, awards),
        higher_unmet=_higher_unmet(c, awards, school_total),
        displace=displacement(c, awards, np.flatnonzero(free_money)),
    )


# --- locked ---------------------------------------------------------------------------------


def locked_text(r: RequestInput, fair_shares: bool = False) -> str:
    lock = r.locked_pounds or 0
    if lock == 0:
        text = (f"Locked by the host at £0: the host decided not to fund it this round "
                f"(it asked for {pounds(r.amount_pounds)}).")
    elif lock == r.amount_pounds:
        text = f"Locked by the host at {pounds(lock)}, its full ask."
    else:
        text = (f"Locked by the host at {pounds(lock)} of the {pounds(r.amount_pounds)} asked "
                f"({percent(lock, r.amount_pounds)}).")
        if lock < r.minimum_pounds:
            text += f" That is below its minimum of {pounds(r.minimum_pounds)}, as the host chose."
    if fair_shares:
        text += " Locked requests sit outside the fair-shares ordering."
    return text


# --- need per pound -------------------------------------------------------------------------


def _per_k(value: float) -> str:
    return per_thousand(value)


def _against_cut(f: Facts, j: int) -> str:
    assert f.cut_off is not None
    mine, cut = f.ratio[j], f.cut_off
    if math.isclose(mine, cut, rel_tol=1e-6):
        return f"its need per £1,000 ({_per_k(mine)}) is at the cut-off"
    side = "above" if mine > cut else "below"
    return f"its need per £1,000 ({_per_k(mine)}) is {side} the cut-off of {_per_k(cut)}"


def _tie_note(f: Facts, j: int) -> str:
    i = f.ties.get(j)
    if i is None:
        return ""
    other = f.c.requests[f.c.free[i]].request_id
    return (f" It ties on need per £1,000 with {other}; ties go to the earlier request "
            "reference.")


def _full_text(f: Facts, j: int) -> str:
    c = f.c
    award = pounds(f.awards[j])
    sid = c.school_of(j)
    if f.lifted(j):
        return (f"Funded in full ({award}) to bring {sid} up to its floor of "
                f"{pounds(c.floor_target[sid])}: on need per £1,000 alone "
                f"({_per_k(f.ratio[j])}) it would not have been.")
    if f.cut_off is None:
        spare = f" with {pounds(f.pot_left)} to spare" if f.pot_left > 0 else ""
        return f"Funded in full ({award}): the pot covered every request that needed it{spare}."
    if f.ratio[j] >= f.cut_off * (1 - 1e-6):
        return (f"Funded in full ({award}): {_against_cut(f, j)}, the need per £1,000 of the "
                "last pounds the pot paid for.")
    room = f.higher_unmet[j]
    could = (f"could take only about {about_pounds(room)} of it" if room >= 1
             else "were all funded in full")
    return (f"Funded in full ({award}): {_against_cut(f, j)}, but the money it uses would meet "
            f"less need elsewhere: the requests with more need per pound {could}.")


def _part_text(f: Facts, j: int) -> str:
    c = f.c
    award, ask = int(f.awards[j]), int(c.amount[j])
    sid = c.school_of(j)
    head = f"Part-funded: {pounds(award)} of the {pounds(ask)} asked ({percent(award, ask)})"
    if award == c.minimum[j]:
        head += ", its minimum"
    short = ask - award
    if f.cap_left(j) < 1:
        cap = pounds(c.limits[sid].cap_pounds or 0)
        return (f"{head}: {sid} reached its cap of {cap}. A cap about {about_pounds(short)} "
                f"higher would fund it in full.{_tie_note(f, j)}")
    if f.lifted(j):
        return (f"{head}, to bring {sid} up to its floor of {pounds(c.floor_target[sid])}; "
                f"on need per £1,000 alone ({_per_k(f.ratio[j])}) it would have got nothing."
                f"{_tie_note(f, j)}")
    more = about_pounds(short + f.higher_unmet[j])
    locks = sum(c.locked.values())
    locked = f" {pounds(locks)} of the pot was locked by the host." if locks else ""
    where = f" {_sentence(_against_cut(f, j))}, so it took what was left." if f.cut_off else ""
    return (f"{head}: the pot ran out.{where} About {more} more in the pot would fund it in "
            f"full.{locked}{_tie_note(f, j)}")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _need_clause(need_above: float, need: float) -> str | None:
    if not math.isfinite(need_above) or need_above < need - 1e-9:
        return None
    target = round(need_above, 1)
    if target < need:
        target = round(need_above, 2)
    return f"a need score above about {need_number(target)} (it has {need_number(need)})"


def _ask_clause(ask_below: float, ask: float) -> str | None:
    if not math.isfinite(ask_below):
        return None
    step = 1 if ask_below < 100 else 10 if ask_below < 1_000 else 100
    rounded = math.floor(ask_below / step + 1e-9) * step
    if rounded < 1 or rounded >= ask:
        return None
    return f"an ask of about {pounds(rounded)} or less"


def _would_take(clauses: list[str | None]) -> str:
    chosen = [c for c in clauses if c]
    if not chosen:
        return ""
    return " It would take " + ", or ".join(chosen) + "."


def _unfunded_capped(f: Facts, j: int) -> str:
    c = f.c
    sid = c.school_of(j)
    left = max(0, int(f.cap_left(j)))
    minimum = int(c.minimum[j])
    text = (f"Not funded: its minimum of {pounds(minimum)} would not fit under {sid}'s cap of "
            f"{pounds(c.limits[sid].cap_pounds or 0)} ({pounds(left)} left under it).")
    same_school = np.flatnonzero(c.school_index == c.school_index[j])
    lost = displacement(c, f.awards, same_school).need_lost(minimum - left)
    need_above = lost * c.amount[j] / max(minimum, 1)
    clauses = [
        _need_clause(need_above, c.need[j]),
        f"a cap about {about_pounds(minimum - left)} higher",
    ]
    return text + _would_take(clauses) + _tie_note(f, j)


def _unfunded_below(f: Facts, j: int) -> str:
    c = f.c
    assert f.cut_off is not None
    need, ask = c.need[j], c.amount[j]
    more = f.higher_unmet[j] + c.minimum[j] - f.pot_left
    clauses = [
        _need_clause(f.cut_off * ask, need),
        _ask_clause(need / f.cut_off, ask),
        f"about {about_pounds(more)} more in the pot",
    ]
    return f"Not funded: {_against_cut(f, j)}." + _would_take(clauses) + _tie_note(f, j)


def _unfunded_misfit(f: Facts, j: int) -> str:
    c = f.c
    need, ask, minimum = c.need[j], c.amount[j], max(1.0, float(c.minimum[j]))
    left = max(0, f.pot_left)
    lost = min(f.displace.need_lost(minimum - left) * ask / minimum,
               f.displace.need_lost(ask - left))
    more = f.higher_unmet[j] + minimum - left
    where = f"{_against_cut(f, j)}, but" if f.cut_off is not None else "it has need, but"
    text = (f"Not funded: {where} its minimum of {pounds(minimum)} did not fit in the "
            f"{pounds(left)} left, and making room would give up more need than it meets.")
    fits = f"an ask of {pounds(left)} or less (what was left)" if left >= 1 else None
    clauses = [_need_clause(lost, need), fits, f"about {about_pounds(more)} more in the pot"]
    return text + _would_take(clauses) + _tie_note(f, j)


def _unfunded_text(f: Facts, j: int) -> str:
    c = f.c
    if c.need[j] <= 0:
        return NO_NEED
    if f.cap_left(j) < c.minimum[j] and f.cap_left(j) < c.amount[j]:
        return _unfunded_capped(f, j)
    if f.cut_off is not None and f.ratio[j] < f.cut_off * (1 - 1e-6):
        return _unfunded_below(f, j)
    return _unfunded_misfit(f, j)


def need_per_pound_text(f: Facts, j: int) -> tuple[Outcome, str]:
    outcome = outcome_of(int(f.awards[j]), f.c.amount[j])
    write = {"funded_in_full": _full_text, "part_funded": _part_text}.get(outcome, _unfunded_text)
    return outcome, write(f, j)

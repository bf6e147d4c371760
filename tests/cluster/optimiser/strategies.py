"""Random rounds for the property tests: small enough for the brute-force oracles."""

from __future__ import annotations

from hypothesis import strategies as st

from cluster.optimiser import AllocationInput, RequestInput, SchoolLimit

SCHOOLS = ("S1", "S2", "S3")


@st.composite
def requests(draw: st.DrawFn, count: int, max_ask: int, locks: bool, zero_need: bool
             ) -> tuple[RequestInput, ...]:
    made = []
    for k in range(count):
        ask = draw(st.integers(1, max_ask))
        all_or_nothing = draw(st.booleans())
        minimum = ask if all_or_nothing else draw(st.integers(0, ask))
        need = draw(st.integers(0 if zero_need else 1, 20)) / 2
        lock = None
        if locks and draw(st.integers(0, 5)) == 0:
            lock = draw(st.integers(0, ask))
        made.append(RequestInput(f"R{k:02d}", draw(st.sampled_from(SCHOOLS)), ask, minimum,
                                 need, lock))
    return tuple(made)


@st.composite
def limits(draw: st.DrawFn, max_total: int, caps: bool, floors: bool) -> tuple[SchoolLimit, ...]:
    made = []
    for sid in SCHOOLS:
        cap = draw(st.one_of(st.none(), st.integers(0, max_total))) if caps else None
        floor = draw(st.integers(0, max_total // 2)) if floors and draw(st.booleans()) else 0
        if cap is not None and floor > cap:
            floor = cap
        if cap is not None or floor:
            made.append(SchoolLimit(sid, floor, cap))
    return tuple(made)


@st.composite
def rounds(draw: st.DrawFn, max_requests: int = 8, max_ask: int = 20_000, caps: bool = True,
           floors: bool = True, locks: bool = True, zero_need: bool = True,
           objective: str = "need_per_pound", min_requests: int = 1) -> AllocationInput:
    count = draw(st.integers(min_requests, max_requests))
    reqs = draw(requests(count, max_ask, locks, zero_need))
    total = sum(r.amount_pounds for r in reqs)
    pot = draw(st.integers(0, total + max_ask // 4))
    lims = draw(limits(max(1, total // 2), caps, floors))
    return AllocationInput(pot, reqs, lims, objective, 10.0)

"""Plain data for a view to show: one row per request, one line per school."""

from __future__ import annotations

from collections.abc import Mapping

from cluster.optimiser.inputs import AllocationInput
from cluster.optimiser.results import OUTCOME_WORDS, AllocationResult, SchoolSummary
from cluster.optimiser.wording import pounds

SUGGESTION_COLUMNS: tuple[str, ...] = (
    "request_id", "school_id", "asked_pounds", "minimum_pounds", "need_score", "locked_pounds",
    "suggested_pounds", "share_of_ask", "outcome", "explanation",
)


def suggestion_rows(result: AllocationResult, inp: AllocationInput) -> list[dict[str, object]]:
    """One dict per request, in request-reference order, with the columns in SUGGESTION_COLUMNS.

    On an infeasible result `suggested_pounds` is None: there is no split to show.
    """
    rows = []
    for r in sorted(inp.requests, key=lambda r: r.request_id):
        award = result.awards.get(r.request_id)
        outcome = result.outcomes.get(r.request_id)
        rows.append({
            "request_id": r.request_id,
            "school_id": r.school_id,
            "asked_pounds": r.amount_pounds,
            "minimum_pounds": r.minimum_pounds,
            "need_score": r.need_score,
            "locked_pounds": r.locked_pounds,
            "suggested_pounds": award,
            "share_of_ask": None if award is None else award / r.amount_pounds,
            "outcome": OUTCOME_WORDS.get(outcome, "") if outcome else "",
            "explanation": result.explanations.get(r.request_id, ""),
        })
    return rows


def _compare(award: int, share: int, label: str) -> str:
    if award == share:
        return f"exactly its {label} of {pounds(share)}"
    side = "more" if award > share else "less"
    return f"{pounds(abs(award - share))} {side} than its {label} of {pounds(share)}"


def school_summary(
    result: AllocationResult,
    inp: AllocationInput,
    formula_shares: Mapping[str, int],
    need_shares: Mapping[str, int],
) -> tuple[SchoolSummary, ...]:
    """Per school: the suggested award beside what the LA's formula and a need-weighted split give.

    The two shares are passed in (the funding service works them out); a school missing from a
    mapping counts as £0 there.
    """
    schools = sorted({r.school_id for r in inp.requests} | set(formula_shares) | set(need_shares))
    lines = []
    for sid in schools:
        mine = [r for r in inp.requests if r.school_id == sid]
        award = sum(result.awards.get(r.request_id, 0) for r in mine)
        formula = int(round(formula_shares.get(sid, 0)))
        need = int(round(need_shares.get(sid, 0)))
        funded = sum(1 for r in mine if result.awards.get(r.request_id, 0) > 0)
        sentence = (f"{sid}: suggested {pounds(award)} for {funded} of {len(mine)} requests; "
                    f"{_compare(award, formula, 'formula share')}, and "
                    f"{_compare(award, need, 'need share')}.")
        lines.append(SchoolSummary(sid, award, formula, need, len(mine), funded, sentence))
    return tuple(lines)

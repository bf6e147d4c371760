"""Secondary suppression chosen jointly across every table, year and page a reader sees.

Primary suppression (counts of 1 to 4, and what goes with them) is the producer's; here, while
the audit (`audit.py`) finds a hidden figure that the shown ones give away or narrow down too far,
one more figure is hidden beside it: a shown figure in a relation with it, preferring a part to a
total, a non-zero figure to a zero, and the smallest. A figure that the other shown figures fix
exactly (another table pins it, often to 0) is never taken as the partner — hiding it would hide
nothing. The loop re-audits only the group of linked figures that changed, so a forecast of a few
hundred figures settles in well under a second.
"""

from __future__ import annotations

from cluster.disclosure.audit import AuditResult, Range, audit, linked_groups
from cluster.disclosure.figures import FigureSet, Relation

# A bound on the loop: each round hides at least one figure, so it ends anyway; this only guards
# against a producer registering a relation that no hiding can satisfy.
_MOST_ROUNDS = 2_000


def protect(figures: FigureSet) -> AuditResult:
    """Hide more figures in `figures` until the audit passes; returns the final audit."""
    remembered: dict[frozenset[str], list[Range]] = {}
    for _ in range(_MOST_ROUNDS):
        result = audit(figures, remembered)
        if not result.failures:
            return result
        for failing in _one_per_group(figures, result.failures):
            partner = _partner(figures, failing)
            if partner is None:
                raise ValueError(f"No figure can be hidden to protect {failing.name}")
            figures.hide([partner])
    raise ValueError("Secondary suppression did not settle")


def _one_per_group(figures: FigureSet, failures: tuple[Range, ...]) -> list[Range]:
    """The first failure of each linked group: hiding one partner changes its whole group."""
    group_of = {name: k for k, group in enumerate(linked_groups(figures)) for name in group}
    chosen: dict[int, Range] = {}
    for failing in failures:
        chosen.setdefault(group_of[failing.name], failing)
    return list(chosen.values())


def _partner(figures: FigureSet, failing: Range) -> str | None:
    candidates: list[tuple[bool, bool, bool, int, str]] = []
    for relation in figures.relations:
        if failing.name not in relation.names():
            continue
        for name, coefficient in relation.terms:
            figure = figures.figures[name]
            if not figure.shown:
                continue
            candidates.append((_pinned(figures, name), figure.value == 0,
                               _is_total(relation, coefficient), figure.value, name))
    return min(candidates)[4] if candidates else None


def _is_total(relation: Relation, coefficient: int) -> bool:
    return relation.sense == "==" and coefficient < 0 and sum(c < 0 for _, c in relation.terms) == 1


def _pinned(figures: FigureSet, name: str) -> bool:
    """Would the other shown figures give this one away if it were hidden alone?"""
    trial = FigureSet(dict(figures.figures), figures.relations, figures.ties)
    trial.hide([name])
    return any(r.name == name and r.low == r.high for r in audit(_around(trial, name)).ranges)


def _around(figures: FigureSet, name: str) -> FigureSet:
    """Only the relations through `name` and what they touch: enough to tell if it is fixed."""
    near = [r for r in figures.relations if name in r.names()]
    names = {n for r in near for n in r.names()}
    kept = {n: f for n, f in figures.figures.items() if n in names}
    return FigureSet(kept, near, {})
